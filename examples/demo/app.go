package main

import (
	"bytes"
	"crypto/rand"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"

	"github.com/sessionkit/session"
	"github.com/sessionkit/session/store"
)

// config is everything the app is built from; main fills it from flags and
// the environment, tests directly.
type config struct {
	// StoreSpec is the -store value (see parseStoreSpec). Default: an
	// SQLite file in the working directory.
	StoreSpec string

	// Secret signs the session cookies (SESSION_SECRET). If empty, one is
	// generated once and kept in SecretFile.
	Secret string

	// SecretFile keeps the generated secret. Default: beside the database
	// (see storeSpec.defaultSecretFile).
	SecretFile string

	// TrustProxy trusts X-Forwarded-Proto, for running behind a reverse
	// proxy that terminates TLS (session.Options.Proxy).
	TrustProxy bool

	// Logger receives the app's log. Default slog.Default().
	Logger *slog.Logger

	// Store, if set, is used instead of opening StoreSpec (tests). The app
	// does not close it.
	Store store.Store
}

// app holds what the handlers share.
type app struct {
	log      *slog.Logger
	sessions *session.Manager
	store    storeSpec
	cookie   string // the session cookie's name
	pages    map[string]*template.Template
}

//go:embed templates static
var assets embed.FS

// newApp opens the session store and returns the demo's handler and the
// closer that releases the store.
func newApp(cfg config) (http.Handler, io.Closer, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	log := cfg.Logger

	spec, err := parseStoreSpec(cfg.StoreSpec)
	if err != nil {
		return nil, nil, err
	}
	st := cfg.Store
	var closer io.Closer = closers{}
	if st == nil {
		if st, closer, err = openStore(spec, log); err != nil {
			return nil, nil, err
		}
		where := spec.describe()
		if spec.Kind == "sqlite" || spec.Kind == "file" {
			if abs, err := filepath.Abs(spec.Target); err == nil {
				where += " (" + abs + ")"
			}
		}
		log.Info("session store", "store", where, "survives_restart", spec.Kind != "memory")
	}
	ok := false
	defer func() {
		if !ok {
			closer.Close()
		}
	}()

	secret, err := signingSecret(cfg, spec, log)
	if err != nil {
		return nil, nil, err
	}

	a := &app{log: log, store: spec, cookie: "connect.sid"}
	if a.pages, err = parsePages(); err != nil {
		return nil, nil, err
	}

	proxy := session.Default // never trust X-Forwarded-Proto
	if cfg.TrustProxy {
		proxy = session.On
	}
	a.sessions, err = session.New(session.Options{
		Secrets: []string{secret},
		Name:    a.cookie,
		Cookie: session.CookieOptions{
			// No MaxAge: a browser-session cookie, which the browser drops
			// when it closes. Sign-in with "remember me" gives that one
			// session 30 days (handlers.go). How long the store keeps a
			// session without expiry is the store's own default: see
			// storeSpec.browserSessionLifetime, shown on /session.
			HTTPOnly: session.Default, // HttpOnly: scripts cannot read it
			SameSite: session.SameSiteLax,
			Secure:   session.Auto, // Secure when the request came over HTTPS
		},
		Proxy: proxy,
		// Rolling sends the cookie on every response, so a 30-day cookie is
		// always 30 days after the last visit, in the browser as in the
		// store, and /session's countdown is what the browser has.
		Rolling:             true,
		DestroyClearsCookie: true,
		Store:               st,
		Logger:              log,
		ErrorHandler:        a.sessionError,
	})
	if err != nil {
		return nil, nil, err
	}
	ok = true
	return a.routes(), closer, nil
}

// signingSecret returns SESSION_SECRET, or the secret kept in the secret
// file, made on the first start.
func signingSecret(cfg config, spec storeSpec, log *slog.Logger) (string, error) {
	if cfg.Secret != "" {
		log.Info("signing secret from SESSION_SECRET")
		return cfg.Secret, nil
	}
	path := cfg.SecretFile
	if path == "" {
		path = spec.defaultSecretFile()
	}
	if path == "" { // the memory store: nothing survives a restart anyway
		log.Warn("SESSION_SECRET is not set: using a random secret for this run (the memory store forgets every session when the server stops anyway)")
		return rand.Text() + rand.Text(), nil
	}
	src, err := loadOrCreateSecret(path)
	if err != nil {
		return "", err
	}
	abs, _ := filepath.Abs(src.File)
	if src.Created {
		log.Warn("SESSION_SECRET is not set: made a random signing secret and saved it (mode 0600) so that sessions survive a restart; set SESSION_SECRET in production",
			"secret_file", abs)
	} else {
		log.Info("SESSION_SECRET is not set: using the signing secret saved by an earlier run, so sessions from before the restart are still valid",
			"secret_file", abs)
	}
	if fi, err := os.Stat(src.File); err == nil && fi.Mode().Perm()&0o077 != 0 {
		log.Warn("the secret file can be read by other users: chmod 600 it", "secret_file", abs, "mode", fi.Mode().Perm().String())
	}
	return src.Secret, nil
}

// routes returns the app's handler. Static files are served outside the
// session middleware: they need no session, and a store round trip per
// stylesheet would be waste.
func (a *app) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", a.home)
	mux.HandleFunc("GET /a", a.home)
	mux.HandleFunc("GET /b", a.home)
	mux.HandleFunc("GET /login", a.loginPage)
	mux.HandleFunc("POST /login", a.requireCSRF(a.login))
	mux.HandleFunc("POST /logout", a.requireCSRF(a.logout))
	mux.HandleFunc("GET /dashboard", a.dashboard)
	mux.HandleFunc("GET /session", a.sessionPage)
	mux.HandleFunc("/", a.notFound)

	static, _ := fs.Sub(assets, "static")
	root := http.NewServeMux()
	root.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	root.Handle("/", a.sessions.Handler(mux))
	return securityHeaders(root)
}

// securityHeaders sets the headers every page of a site with sign-in
// should have. The pages load no script or style from elsewhere and none
// inline, so the policy can be strict.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// sessionError is the Manager's ErrorHandler. Before the headers are sent
// (the store failed to load the session) the visitor gets a 503 page; once
// they are sent (the end-of-request save failed) it can only be logged.
func (a *app) sessionError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, session.ErrHeadersSent) {
		a.log.Error("session store error after the response was sent; the change was not saved", "err", err, "path", r.URL.Path)
		return
	}
	a.storeDown(w, r, err)
}

// storeDown logs a store error and renders the 503 page.
func (a *app) storeDown(w http.ResponseWriter, r *http.Request, err error) {
	a.log.Error("session store error", "err", err, "path", r.URL.Path)
	w.Header().Set("Retry-After", "5")
	a.renderError(w, r, http.StatusServiceUnavailable, "Sessions are unavailable right now",
		"The session store did not answer, so this page cannot tell who you are. "+
			"Your session is not lost: try again in a few seconds.")
}

// page is what every template gets; each page embeds it.
type page struct {
	Title  string
	Nav    string // the active navigation entry
	User   *user  // nil when signed out
	CSRF   string // the form token; set when the page has a form
	Cookie string // the session cookie's name
}

// base fills the common fields. A signed-in visitor gets the CSRF token for
// the sign-out button in the header.
func (a *app) base(r *http.Request, title, nav string) page {
	p := page{Title: title, Nav: nav, Cookie: a.cookie}
	s := session.Get(r)
	if s == nil {
		return p
	}
	if name, ok := session.GetAs[string](s, "user"); ok {
		if u, ok := lookupUser(name); ok {
			p.User = &u
			p.CSRF, _ = csrfToken(s)
		}
	}
	return p
}

// render executes the page into a buffer first, so that a template error
// becomes a 500 and not half a page.
func (a *app) render(w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := a.pages[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		a.log.Error("template", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	// Pages show personal data: no copy in any cache, and Back after
	// signing out does not show the dashboard again.
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

type errorPage struct {
	page
	Status     int
	StatusText string
	Heading    string
	Message    string
}

func (a *app) renderError(w http.ResponseWriter, r *http.Request, status int, heading, message string) {
	p := errorPage{
		page:       page{Title: heading, Cookie: a.cookie},
		Status:     status,
		StatusText: http.StatusText(status),
		Heading:    heading,
		Message:    message,
	}
	// The header shows who is signed in, unless the session is what failed.
	if status != http.StatusServiceUnavailable {
		p.page = a.base(r, heading, "")
	}
	a.render(w, status, "error", p)
}

func parsePages() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"plural": func(n int, one, many string) string {
			if n == 1 {
				return one
			}
			return many
		},
	}
	pages := map[string]*template.Template{}
	for _, name := range []string{"home", "login", "dashboard", "session", "error"} {
		t, err := template.New(name).Funcs(funcs).ParseFS(assets, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("templates: %w", err)
		}
		pages[name] = t
	}
	return pages, nil
}
