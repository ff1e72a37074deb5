// Command demo is a small web app on sessionkit: a view counter per visitor
// and per page, sign-in that regenerates the session, "remember me", sign-out
// that destroys the session, and a page that shows the session itself.
//
//	go run ./examples/demo            # http://127.0.0.1:8080
//	go run ./examples/demo -addr :9000
//
// The secret comes from SESSION_SECRET; without it a random one is made, so
// sessions do not survive a restart.
package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"flag"
	"html/template"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/sessionkit/session"
)

func main() {
	addr := flag.String("addr", envOr("ADDR", "127.0.0.1:8080"), "listen address")
	flag.Parse()

	secret := os.Getenv("SESSION_SECRET")
	if secret == "" {
		b := make([]byte, 32)
		_, _ = rand.Read(b)
		secret = hex.EncodeToString(b)
		log.Print("SESSION_SECRET not set: using a random secret; sessions end when the server stops")
	}
	m, err := session.New(session.Options{
		Secrets: []string{secret},
		Cookie:  session.CookieOptions{SameSite: session.SameSiteLax, Secure: session.Auto},
	})
	if err != nil {
		log.Fatal(err)
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", home)
	mux.HandleFunc("POST /login", login)
	mux.HandleFunc("POST /logout", logout)
	mux.HandleFunc("GET /session", showSession)
	log.Printf("demo listening on http://%s", *addr)
	srv := &http.Server{Addr: *addr, Handler: m.Handler(mux), ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.ListenAndServe())
}

var page = template.Must(template.New("page").Parse(`<!doctype html>
<meta charset="utf-8"><title>sessionkit demo</title>
<style>body{font:16px system-ui;max-width:40em;margin:2em auto}code{background:#eee;padding:0 .2em}</style>
<h1>sessionkit demo</h1>
<p>You have viewed this page <b>{{.Views}}</b> time{{if ne .Views 1}}s{{end}}.</p>
{{if .User}}
<p>Signed in as <b>{{.User}}</b>.</p>
<form method="post" action="/logout"><button>Sign out</button></form>
{{else}}
<form method="post" action="/login">
<label>Name <input name="user" required></label>
<label><input type="checkbox" name="remember" value="1"> Remember me for 30 days</label>
<button>Sign in</button></form>
{{end}}
<p><a href="/session">Show this session</a></p>`))

func home(w http.ResponseWriter, r *http.Request) {
	s := session.Get(r)
	views, _ := session.GetAs[int](s, "views")
	views++
	_ = s.Set("views", views)
	user, _ := session.GetAs[string](s, "user")
	_ = page.Execute(w, map[string]any{"Views": views, "User": user})
}

func login(w http.ResponseWriter, r *http.Request) {
	s := session.Get(r)
	user := r.PostFormValue("user")
	if user == "" {
		http.Error(w, "a name is required", http.StatusBadRequest)
		return
	}
	// A new session ID at sign-in defeats session fixation.
	if err := s.RenewID(r.Context()); err != nil {
		http.Error(w, "sign-in failed, try again", http.StatusServiceUnavailable)
		return
	}
	_ = s.Set("user", user)
	if r.PostFormValue("remember") == "1" {
		s.Cookie().SetMaxAge(30 * 24 * time.Hour)
	}
	// Save before redirecting, so that the next request sees the sign-in.
	if err := s.Save(r.Context()); err != nil {
		http.Error(w, "sign-in failed, try again", http.StatusServiceUnavailable)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func logout(w http.ResponseWriter, r *http.Request) {
	if err := session.Get(r).Destroy(r.Context()); err != nil {
		http.Error(w, "sign-out failed, try again", http.StatusServiceUnavailable)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func showSession(w http.ResponseWriter, r *http.Request) {
	s := session.Get(r)
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(map[string]any{"id": s.ID(), "record": s})
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
