package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/sessionkit/session"
)

// rememberFor is the cookie lifetime of a "remember me" sign-in.
const rememberFor = 30 * 24 * time.Hour

// countedPaths are the pages whose views are counted one by one.
var countedPaths = []string{"/", "/a", "/b"}

type pathCount struct {
	Path    string
	Views   int
	Current bool
}

type homePage struct {
	page
	Path   string
	Views  int
	Paths  []pathCount
	Store  string
	NewNow bool // this request started the session
}

// home counts the visitor's views, in total and for this path, in the
// session: the classic first session program.
func (a *app) home(w http.ResponseWriter, r *http.Request) {
	s := session.Get(r)
	if s == nil {
		a.storeDown(w, r, fmt.Errorf("no session for %s: the store is not ready", r.URL.Path))
		return
	}
	views, _ := session.GetAs[int](s, "views")
	perPath, _ := session.GetAs[map[string]int](s, "pages")
	if perPath == nil {
		perPath = map[string]int{}
	}
	views++
	perPath[r.URL.Path]++
	if err := s.Set("views", views); err != nil {
		a.fail(w, err)
		return
	}
	if err := s.Set("pages", perPath); err != nil {
		a.fail(w, err)
		return
	}

	p := homePage{page: a.base(r, "Home", r.URL.Path), Path: r.URL.Path, Views: views, Store: a.store.describe(), NewNow: views == 1}
	for _, path := range countedPaths {
		p.Paths = append(p.Paths, pathCount{Path: path, Views: perPath[path], Current: path == r.URL.Path})
	}
	a.render(w, http.StatusOK, "home", p)
}

type loginPage struct {
	page
	Credentials any
	Username    string
	Remember    bool
	Error       string
	Notice      string
}

// loginPage shows the sign-in form. Its CSRF token is kept in the session,
// so even a first-time visitor gets a session here.
func (a *app) loginPage(w http.ResponseWriter, r *http.Request) {
	s := session.Get(r)
	if s == nil {
		a.storeDown(w, r, fmt.Errorf("no session for %s: the store is not ready", r.URL.Path))
		return
	}
	p := loginPage{page: a.base(r, "Sign in", "/login"), Credentials: demoCredentials}
	switch r.URL.Query().Get("reason") {
	case "dashboard":
		p.Notice = "Sign in to see the dashboard."
	case "signed-out":
		p.Notice = "You have signed out. The session was deleted from the store and its cookie removed from your browser."
	}
	a.renderLogin(w, s, http.StatusOK, p)
}

func (a *app) renderLogin(w http.ResponseWriter, s *session.Session, status int, p loginPage) {
	tok, err := csrfToken(s)
	if err != nil {
		a.fail(w, err)
		return
	}
	p.CSRF = tok
	a.render(w, status, "login", p)
}

// login checks the password, moves the session to a new ID (against
// session fixation), records the user, and saves before redirecting so
// that the dashboard's request finds the signed-in session.
func (a *app) login(w http.ResponseWriter, r *http.Request) {
	s := session.Get(r) // requireCSRF made sure there is one
	username := strings.ToLower(strings.TrimSpace(r.PostFormValue("username")))
	remember := r.PostFormValue("remember") != ""
	u, ok := authenticate(username, r.PostFormValue("password"))
	if !ok {
		a.log.Info("sign-in refused", "username", username)
		p := loginPage{page: a.base(r, "Sign in", "/login"), Credentials: demoCredentials,
			Username: username, Remember: remember, Error: "Unknown user or wrong password."}
		a.renderLogin(w, s, http.StatusUnauthorized, p)
		return
	}

	// A new ID for the signed-in session: an ID an attacker planted before
	// sign-in (session fixation) is worthless after it. RenewID keeps the
	// data (the view counters); Regenerate would start an empty session.
	if err := s.RenewID(r.Context()); err != nil {
		a.storeDown(w, r, err)
		return
	}
	for _, kv := range []struct {
		key   string
		value any
	}{{"user", u.Username}, {"loginAt", time.Now().UnixMilli()}, {"remember", remember}} {
		if err := s.Set(kv.key, kv.value); err != nil {
			a.fail(w, err)
			return
		}
	}
	if _, err := newCSRFToken(s); err != nil { // a token seen before sign-in is worthless after it
		a.fail(w, err)
		return
	}
	if remember {
		s.Cookie().SetMaxAge(rememberFor) // this session only
	} else {
		s.Cookie().SetExpires(time.Time{}) // a browser-session cookie, even if an earlier sign-in remembered
	}
	if err := s.Save(r.Context()); err != nil {
		a.storeDown(w, r, err)
		return
	}
	a.log.Info("signed in", "user", u.Username, "remember", remember)
	http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
}

// logout destroys the session in the store; with DestroyClearsCookie the
// response also expires the browser's cookie.
func (a *app) logout(w http.ResponseWriter, r *http.Request) {
	s := session.Get(r)
	name, _ := session.GetAs[string](s, "user")
	if err := s.Destroy(r.Context()); err != nil {
		a.storeDown(w, r, err)
		return
	}
	a.log.Info("signed out", "user", name)
	http.Redirect(w, r, "/login?reason=signed-out", http.StatusSeeOther)
}

type dashboardPage struct {
	page
	LoginAt    time.Time
	Remember   bool
	Views      int
	ExpiresAt  time.Time
	Persistent bool
	Survives   bool   // the store outlives the process
	StoreName  string // the kind of store
}

// dashboard is for signed-in users only; others are sent to sign in.
func (a *app) dashboard(w http.ResponseWriter, r *http.Request) {
	s := session.Get(r)
	if s == nil {
		a.storeDown(w, r, fmt.Errorf("no session for %s: the store is not ready", r.URL.Path))
		return
	}
	p := dashboardPage{page: a.base(r, "Dashboard", "/dashboard"), Survives: a.store.Kind != "memory"}
	p.StoreName = a.store.noun()
	if p.User == nil {
		http.Redirect(w, r, "/login?reason=dashboard", http.StatusSeeOther)
		return
	}
	if ms, ok := session.GetAs[int64](s, "loginAt"); ok {
		p.LoginAt = time.UnixMilli(ms).UTC()
	}
	p.Remember, _ = session.GetAs[bool](s, "remember")
	p.Views, _ = session.GetAs[int](s, "views")
	s.Touch() // what the Rolling cookie of this response will say
	p.ExpiresAt, p.Persistent = s.Cookie().Expires()
	a.render(w, http.StatusOK, "dashboard", p)
}

type recordLine struct {
	Key, Value, Note string
}

type sessionPage struct {
	page
	ShortID       string
	Data          []recordLine
	Record        string
	CookieName    string
	Path          string
	Domain        string
	HTTPOnly      bool
	Secure        bool
	SameSite      string
	Persistent    bool
	Lifetime      string
	ExpiresAt     time.Time
	ExpiresMs     int64
	Left          string
	StoreName     string
	StoreWhere    string
	Survives      bool
	StoreLifetime string
}

// sessionPage shows this session as the server has it: a shortened ID, the
// data, the cookie settings with the expiry counting down, and the record
// in the store's JSON.
func (a *app) sessionPage(w http.ResponseWriter, r *http.Request) {
	s := session.Get(r)
	if s == nil {
		a.storeDown(w, r, fmt.Errorf("no session for %s: the store is not ready", r.URL.Path))
		return
	}
	s.Touch() // what the Rolling cookie of this response will say
	c := s.Cookie()
	p := sessionPage{
		page:          a.base(r, "Your session", "/session"),
		ShortID:       shortID(s.ID()),
		CookieName:    a.cookie,
		Path:          c.Path(),
		Domain:        c.Domain(),
		HTTPOnly:      c.HTTPOnly(),
		Secure:        c.Secure(),
		SameSite:      string(c.SameSite()),
		Survives:      a.store.Kind != "memory",
		StoreLifetime: a.store.browserSessionLifetime(),
	}
	if oma, ok := c.OriginalMaxAge(); ok {
		p.Persistent = true
		p.Lifetime = lifetime(oma)
		p.ExpiresAt, _ = c.Expires()
		p.ExpiresMs = p.ExpiresAt.UnixMilli()
		left, _ := c.MaxAge()
		p.Left = humanDuration(left)
	}

	p.StoreName, p.StoreWhere = a.store.nameWhere()
	token, _ := session.GetAs[string](s, csrfKey)
	for _, k := range s.Keys() {
		v, _ := s.Get(k)
		b, _ := json.Marshal(v)
		line := recordLine{Key: k, Value: string(b)}
		switch k {
		case csrfKey:
			line.Value, line.Note = `"`+mask(token)+`"`, "CSRF token, put in every form (shortened here)"
		case "views":
			line.Note = "pages viewed in this session"
		case "pages":
			line.Note = "views per path"
		case "user":
			line.Note = "set at sign-in"
		case "loginAt":
			line.Note = "sign-in time, milliseconds since 1970"
		case "remember":
			line.Note = `"remember me" was ticked`
		case "__lastAccess":
			line.Note = "added by the file store on every write"
		}
		p.Data = append(p.Data, line)
	}
	if raw, err := s.MarshalJSON(); err == nil {
		if token != "" {
			raw = bytes.ReplaceAll(raw, []byte(token), []byte(mask(token)))
		}
		var out bytes.Buffer
		if json.Indent(&out, raw, "", "  ") == nil {
			p.Record = out.String()
		}
	}
	a.render(w, http.StatusOK, "session", p)
}

func (a *app) notFound(w http.ResponseWriter, r *http.Request) {
	a.renderError(w, r, http.StatusNotFound, "Page not found",
		"There is nothing at "+r.URL.Path+". The demo has a home page, /a, /b, the dashboard and the session page.")
}

// fail reports an error of the app itself (not of the store).
func (a *app) fail(w http.ResponseWriter, err error) {
	a.log.Error("internal error", "err", err)
	http.Error(w, "internal error", http.StatusInternalServerError)
}

// shortID shows enough of a session ID to recognise it. The whole ID is a
// credential: anyone who has it (and the secret's signature, which the
// cookie carries) is signed in as you.
func shortID(id string) string {
	if len(id) <= 8 {
		return id
	}
	return id[:8] + "…"
}

func mask(token string) string {
	if len(token) <= 4 {
		return "…"
	}
	return token[:4] + "…"
}

// lifetime writes a cookie lifetime such as 30 days.
func lifetime(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		n := int(d / (24 * time.Hour))
		if n == 1 {
			return "1 day"
		}
		return fmt.Sprintf("%d days", n)
	}
	return humanDuration(d)
}

// humanDuration writes d as "29d 23h 59m 58s", leaving out leading zeros.
func humanDuration(d time.Duration) string {
	if d <= 0 {
		return "expired"
	}
	d = d.Round(time.Second)
	days := d / (24 * time.Hour)
	d -= days * 24 * time.Hour
	h, m, s := d/time.Hour, (d%time.Hour)/time.Minute, (d%time.Minute)/time.Second
	switch {
	case days > 0:
		return fmt.Sprintf("%dd %dh %dm %ds", days, h, m, s)
	case h > 0:
		return fmt.Sprintf("%dh %dm %ds", h, m, s)
	case m > 0:
		return fmt.Sprintf("%dm %ds", m, s)
	}
	return fmt.Sprintf("%ds", s)
}
