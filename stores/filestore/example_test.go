package filestore_test

import (
	"log"
	"net/http"
	"time"

	"github.com/sessionkit/session"
	"github.com/sessionkit/session/stores/filestore"
)

// Sessions shared with an express-session app that uses
// session-file-store with the same path and secret.
func Example() {
	store, err := filestore.New(filestore.Options{
		Path: "/var/lib/myapp/sessions", // Node: new FileStore({path: "/var/lib/myapp/sessions"})
	})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()

	m, err := session.New(session.Options{
		Secrets: []string{"keyboard cat"}, // the Node app's secret
		Store:   store,
		Cookie:  session.CookieOptions{MaxAge: 24 * time.Hour},
	})
	if err != nil {
		log.Fatal(err)
	}
	http.Handle("/", m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		views, _ := session.GetAs[int](s, "views")
		s.Set("views", views+1)
	})))
}
