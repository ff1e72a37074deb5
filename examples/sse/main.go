// Command sse streams server-sent events to a visitor, using the session,
// with the standard library only. Each event is flushed as it is written
// (http.ResponseController): the session middleware never buffers the
// body, so the events arrive as they are sent.
//
//	go run .                                          # http://127.0.0.1:8086
//	curl -b jar -c jar -d user=alice http://127.0.0.1:8086/login
//	curl -b jar -c jar -N http://127.0.0.1:8086/events  # an event a second
//	curl -b jar -c jar http://127.0.0.1:8086/me
//	curl -b jar -c jar http://127.0.0.1:8086/         # views: 1, 2, 3...
//	curl -b jar -c jar -X POST http://127.0.0.1:8086/logout
//
// The secret comes from SESSION_SECRET; without it a random one is made, so
// sessions end when the server stops. What every example shares (the
// secret, the cookie options, serving) is in ../internal/exampleapp; its
// server has no WriteTimeout, which would cut the streams.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/sessionkit/session"
	"github.com/sessionkit/session/examples/internal/exampleapp"
	"github.com/sessionkit/session/memstore"
)

func main() {
	exampleapp.Run("sse", "127.0.0.1:8086", func(secret string) (http.Handler, error) {
		return newApp(secret, exampleapp.Every(time.Second))
	})
}

// newApp builds the whole application. wait paces the events of /events:
// it returns when the next one is due.
func newApp(secret string, wait func(context.Context) error) (http.Handler, error) {
	m, err := session.New(exampleapp.Options(secret, memstore.New(memstore.Options{})))
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", views)
	mux.HandleFunc("POST /login", login)
	mux.HandleFunc("POST /logout", logout)
	mux.HandleFunc("GET /me", me)
	mux.Handle("GET /events", events{wait: wait, count: 5})
	return m.Handler(mux), nil
}

// events is the stream: count "tick" events, then "bye".
type events struct {
	wait  func(context.Context) error
	count int
}

func (e events) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s := session.Get(r)
	user, _ := session.GetAs[string](s, "user")
	views, _ := session.GetAs[int](s, "views")
	streams, _ := session.GetAs[int](s, "streams")
	streams++
	if err := s.Set("streams", streams); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	// Save now rather than at the end of the stream, when the middleware
	// would: other requests see the change while the stream runs, and a
	// long stream does not write its old copy of the session over what
	// they store meanwhile (a logout too).
	if err := s.Save(r.Context()); err != nil {
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}

	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	rc := http.NewResponseController(w) // reaches Flush through the middleware's writer
	send := func(id int, name string, data any) error {
		b, err := json.Marshal(data)
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(w, "id: %d\nevent: %s\ndata: %s\n\n", id, name, b); err != nil {
			return err
		}
		return rc.Flush()
	}
	for i := 1; i <= e.count; i++ {
		if i > 1 {
			if err := e.wait(r.Context()); err != nil {
				return // the client has gone
			}
		}
		tick := map[string]any{"n": i, "user": user, "views": views, "streams": streams}
		if err := send(i, "tick", tick); err != nil {
			return
		}
	}
	_ = send(e.count+1, "bye", "see you")
}

// views counts the visitor's requests.
func views(w http.ResponseWriter, r *http.Request) {
	s := session.Get(r)
	n, _ := session.GetAs[int](s, "views")
	n++
	if err := s.Set("views", n); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	fmt.Fprintf(w, "views: %d\n", n)
}

// login starts a new session for the user. Regenerate gives it a new ID,
// so an ID someone planted before the login is worthless after it.
func login(w http.ResponseWriter, r *http.Request) {
	user := r.PostFormValue("user")
	if user == "" {
		http.Error(w, "a user name is required", http.StatusBadRequest)
		return
	}
	// ...check the password here...
	s := session.Get(r)
	if err := s.Regenerate(r.Context()); err != nil {
		http.Error(w, "could not log in, try again", http.StatusServiceUnavailable)
		return
	}
	if err := s.Set("user", user); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	fmt.Fprintf(w, "welcome %s\n", user)
}

// me reports the logged-in user and the streams opened, as JSON.
func me(w http.ResponseWriter, r *http.Request) {
	s := session.Get(r)
	user, ok := session.GetAs[string](s, "user")
	if !ok {
		http.Error(w, "not logged in", http.StatusUnauthorized)
		return
	}
	streams, _ := session.GetAs[int](s, "streams")
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"user": user, "streams": streams})
}

// logout ends the session in the store (and, with DestroyClearsCookie, in
// the browser).
func logout(w http.ResponseWriter, r *http.Request) {
	if err := session.Get(r).Destroy(r.Context()); err != nil {
		http.Error(w, "could not log out, try again", http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintln(w, "bye")
}
