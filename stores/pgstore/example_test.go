package pgstore_test

import (
	"context"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/sessionkit/session"
	"github.com/sessionkit/session/stores/pgstore"
)

func Example() {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()

	// The same table and ttl as the Node app's connect-pg-simple.
	sessions := pgstore.New(pool, pgstore.Options{TableName: "session"})
	defer sessions.Close()
	if err := sessions.CreateTable(ctx); err != nil { // fail early
		log.Fatal(err)
	}

	m, err := session.New(session.Options{
		Secrets: []string{os.Getenv("SESSION_SECRET")}, // the Node app's secret
		Store:   sessions,
		Cookie:  session.CookieOptions{MaxAge: 24 * time.Hour},
	})
	if err != nil {
		log.Fatal(err)
	}
	http.Handle("/", m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		n, _ := session.GetAs[int](s, "views")
		s.Set("views", n+1)
	})))
	log.Fatal(http.ListenAndServe(":8080", nil))
}
