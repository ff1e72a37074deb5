// Command gorillamux is sessionkit with the gorilla/mux router: m.Handler
// is a mux.MiddlewareFunc, so r.Use(m.Handler) gives every matched route a
// session, and handlers read it with session.Get(r), as in plain net/http.
//
//	go run .                                          # http://127.0.0.1:8082
//	curl -b jar -c jar http://127.0.0.1:8082/         # views: 1, 2, 3...
//	curl -b jar -c jar http://127.0.0.1:8082/pages/about
//	curl -b jar -c jar -d user=alice http://127.0.0.1:8082/login
//	curl -b jar -c jar http://127.0.0.1:8082/me
//	curl -b jar -c jar -X POST http://127.0.0.1:8082/logout
//
// The secret comes from SESSION_SECRET; without it a random one is made, so
// sessions end when the server stops. What every example shares (the
// secret, the cookie options, serving) is in ../internal/exampleapp.
package main

import (
	"fmt"
	"net/http"

	"github.com/gorilla/mux"
	"github.com/sessionkit/session"
	"github.com/sessionkit/session/examples/internal/exampleapp"
	"github.com/sessionkit/session/memstore"
)

func main() {
	exampleapp.Run("gorilla/mux", "127.0.0.1:8082", newApp)
}

// newApp builds the whole application: the session middleware and the
// routes behind it.
func newApp(secret string) (http.Handler, error) {
	m, err := session.New(exampleapp.Options(secret, memstore.New(memstore.Options{})))
	if err != nil {
		return nil, err
	}
	r := mux.NewRouter()
	// mux runs middleware only for requests that match a route; to give
	// 404s and 405s a session too, wrap the router instead: m.Handler(r).
	r.Use(m.Handler)
	r.HandleFunc("/", views).Methods(http.MethodGet)
	r.HandleFunc("/login", login).Methods(http.MethodPost)
	r.HandleFunc("/logout", logout).Methods(http.MethodPost)
	r.HandleFunc("/me", me).Methods(http.MethodGet)
	r.HandleFunc("/pages/{name}", page).Methods(http.MethodGet)
	return r, nil
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

// page counts the visitor's views of one page: route parameters and the
// session live side by side in the request.
func page(w http.ResponseWriter, r *http.Request) {
	name := mux.Vars(r)["name"]
	s := session.Get(r)
	n, _ := session.GetAs[int](s, "page:"+name)
	n++
	if err := s.Set("page:"+name, n); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	fmt.Fprintf(w, "%s: %d\n", name, n)
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

// me shows who is logged in.
func me(w http.ResponseWriter, r *http.Request) {
	user, ok := session.GetAs[string](session.Get(r), "user")
	if !ok {
		http.Error(w, "not logged in", http.StatusUnauthorized)
		return
	}
	fmt.Fprintln(w, user)
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
