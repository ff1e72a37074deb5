package session_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/sessionkit/session"
)

// client is a tiny cookie-keeping client for the examples.
type client struct {
	h      http.Handler
	cookie string
}

func (c *client) get(path string) string {
	r := httptest.NewRequest("GET", path, nil)
	if c.cookie != "" {
		r.Header.Set("Cookie", c.cookie)
	}
	w := httptest.NewRecorder()
	c.h.ServeHTTP(w, r)
	for _, sc := range w.Result().Cookies() {
		c.cookie = sc.Name + "=" + sc.Value
	}
	return strings.TrimSpace(w.Body.String())
}

// A view counter: the classic first session program.
func Example_viewCounter() {
	m, err := session.New(session.Options{
		Secrets: []string{"keyboard cat"}, // in production: from the environment
		Cookie:  session.CookieOptions{MaxAge: 24 * time.Hour},
	})
	if err != nil {
		panic(err)
	}
	h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		views, _ := session.GetAs[int](s, "views")
		views++
		s.Set("views", views)
		fmt.Fprintf(w, "views: %d", views)
	}))

	c := &client{h: h}
	fmt.Println(c.get("/"))
	fmt.Println(c.get("/"))
	fmt.Println(c.get("/"))
	// Output:
	// views: 1
	// views: 2
	// views: 3
}

// Logging in: regenerate the session so that an ID an attacker planted
// before login is worthless after it (session fixation).
func Example_login() {
	m, _ := session.New(session.Options{Secrets: []string{"keyboard cat"}, SaveUninitialized: true})
	mux := http.NewServeMux()
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		// ...check the password first...
		if err := s.Regenerate(r.Context()); err != nil {
			http.Error(w, "could not log in", http.StatusInternalServerError)
			return
		}
		s.Set("user", "bob")
		fmt.Fprint(w, "welcome")
	})
	mux.HandleFunc("/me", func(w http.ResponseWriter, r *http.Request) {
		user, ok := session.GetAs[string](session.Get(r), "user")
		if !ok {
			http.Error(w, "not logged in", http.StatusUnauthorized)
			return
		}
		fmt.Fprint(w, user)
	})
	c := &client{h: m.Handler(mux)}
	fmt.Println(c.get("/me"))
	before := c.cookie
	fmt.Println(c.get("/login"))
	fmt.Println(c.get("/me"))
	fmt.Println("new session ID:", c.cookie != before)
	// Output:
	// not logged in
	// welcome
	// bob
	// new session ID: true
}

// Logging out: destroy the session in the store. With DestroyClearsCookie
// the browser's cookie is expired too.
func Example_logout() {
	m, _ := session.New(session.Options{Secrets: []string{"keyboard cat"}, DestroyClearsCookie: true})
	mux := http.NewServeMux()
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		session.Get(r).Set("user", "bob")
	})
	mux.HandleFunc("/logout", func(w http.ResponseWriter, r *http.Request) {
		if err := session.Get(r).Destroy(r.Context()); err != nil {
			http.Error(w, "could not log out", http.StatusInternalServerError)
			return
		}
		fmt.Fprint(w, "bye")
	})
	mux.HandleFunc("/me", func(w http.ResponseWriter, r *http.Request) {
		user, _ := session.GetAs[string](session.Get(r), "user")
		fmt.Fprintf(w, "user=%q", user)
	})
	c := &client{h: m.Handler(mux)}
	c.get("/login")
	fmt.Println(c.get("/me"))
	fmt.Println(c.get("/logout"))
	fmt.Println("cookie cleared:", c.cookie == "connect.sid=")
	fmt.Println(c.get("/me"))
	// Output:
	// user="bob"
	// bye
	// cookie cleared: true
	// user=""
}

// Remember me: a long cookie lifetime for this session only; everyone else
// gets a browser-session cookie.
func Example_rememberMe() {
	m, _ := session.New(session.Options{Secrets: []string{"keyboard cat"}})
	h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		s.Set("user", "bob")
		if r.URL.Query().Get("remember") == "1" {
			s.Cookie().SetMaxAge(30 * 24 * time.Hour)
		}
		d, persistent := s.Cookie().MaxAge()
		fmt.Fprintf(w, "persistent=%v days=%.0f", persistent, d.Hours()/24)
	}))
	fmt.Println((&client{h: h}).get("/login"))
	fmt.Println((&client{h: h}).get("/login?remember=1"))
	// Output:
	// persistent=false days=0
	// persistent=true days=30
}
