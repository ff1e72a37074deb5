package redisstore_test

import (
	"log"
	"net/http"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sessionkit/session"
	"github.com/sessionkit/session/stores/redisstore"
)

// Sessions shared with a Node app that uses
// new RedisStore({client, prefix: "myapp:"}) on the same Redis database.
func Example() {
	client := redis.NewUniversalClient(&redis.UniversalOptions{
		Addrs:                 []string{"127.0.0.1:6379"}, // several seed nodes for a Cluster
		ContextTimeoutEnabled: true,
	})
	defer client.Close()
	store := redisstore.New(client, redisstore.Options{Prefix: "myapp:"})
	defer store.Close()

	m, err := session.New(session.Options{
		Secrets: []string{"the Node app's secret"},
		Store:   store,
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
}
