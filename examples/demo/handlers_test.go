package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sessionkit/session/memstore"
	"github.com/sessionkit/session/store"
)

// testServer is the demo served by httptest, with a client that keeps
// cookies and does not follow redirects (so tests see them).
type testServer struct {
	*httptest.Server
	client *http.Client
	logs   *syncBuffer
}

// syncBuffer is a bytes.Buffer the server's goroutines can log into.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newTestServer builds the app on st (nil: an SQLite file in a temporary
// directory, the demo's default store) with a fixed secret.
func newTestServer(t *testing.T, st store.Store) *testServer {
	t.Helper()
	logs := &syncBuffer{}
	cfg := config{
		StoreSpec: "sqlite:" + filepath.Join(t.TempDir(), "sessions.db"),
		Secret:    "test secret, not for production, 32+ characters",
		Logger:    slog.New(slog.NewTextHandler(logs, nil)),
		Store:     st,
	}
	if st != nil {
		cfg.StoreSpec = "memory"
	}
	h, closer, err := newApp(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.Close()
		closer.Close()
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	jar, _ := cookiejar.New(nil)
	client := &http.Client{
		Jar:           jar,
		Timeout:       20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return &testServer{Server: srv, client: client, logs: logs}
}

// get fetches path and returns the response and its body.
func (ts *testServer) get(t *testing.T, path string) (*http.Response, string) {
	t.Helper()
	resp, err := ts.client.Get(ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	return resp, readBody(t, resp)
}

func (ts *testServer) post(t *testing.T, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	resp, err := ts.client.PostForm(ts.URL+path, form)
	if err != nil {
		t.Fatal(err)
	}
	return resp, readBody(t, resp)
}

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// sessionCookie returns the value of the session cookie the client holds.
func (ts *testServer) sessionCookie() string {
	u, _ := url.Parse(ts.URL)
	for _, c := range ts.client.Jar.Cookies(u) {
		if c.Name == "connect.sid" {
			return c.Value
		}
	}
	return ""
}

var csrfInput = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// loginToken loads the sign-in page and returns its CSRF token.
func (ts *testServer) loginToken(t *testing.T) string {
	t.Helper()
	resp, body := ts.get(t, "/login")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /login: %s", resp.Status)
	}
	m := csrfInput.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF field on the sign-in page:\n%s", body)
	}
	return m[1]
}

func (ts *testServer) login(t *testing.T, user, password string) *http.Response {
	t.Helper()
	resp, _ := ts.post(t, "/login", url.Values{"csrf_token": {ts.loginToken(t)}, "username": {user}, "password": {password}})
	return resp
}

func wantStatus(t *testing.T, resp *http.Response, want int) {
	t.Helper()
	if resp.StatusCode != want {
		t.Fatalf("%s %s: got %s, want %d", resp.Request.Method, resp.Request.URL.Path, resp.Status, want)
	}
}

func wantRedirect(t *testing.T, resp *http.Response, location string) {
	t.Helper()
	wantStatus(t, resp, http.StatusSeeOther)
	if got := resp.Header.Get("Location"); got != location {
		t.Fatalf("%s %s redirects to %q, want %q", resp.Request.Method, resp.Request.URL.Path, got, location)
	}
}

func TestHomeCountsPerVisitorAndPath(t *testing.T) {
	ts := newTestServer(t, nil)
	for _, step := range []struct {
		path        string
		total, here string
	}{{"/", "1", "1"}, {"/", "2", "2"}, {"/a", "3", "1"}, {"/b", "4", "1"}, {"/a", "5", "2"}} {
		resp, body := ts.get(t, step.path)
		wantStatus(t, resp, http.StatusOK)
		if !strings.Contains(body, `id="total-views">`+step.total+`<`) {
			t.Fatalf("GET %s: total views not %s:\n%s", step.path, step.total, body)
		}
		if !strings.Contains(body, `data-path="`+step.path+`">`+step.here+`<`) {
			t.Fatalf("GET %s: views of %s not %s:\n%s", step.path, step.path, step.here, body)
		}
	}
	// Another visitor starts at 1.
	other := newClientOf(ts)
	resp, body := other.get(t, "/")
	wantStatus(t, resp, http.StatusOK)
	if !strings.Contains(body, `id="total-views">1<`) {
		t.Fatalf("a second visitor does not start at 1:\n%s", body)
	}
}

// newClientOf returns the same server with a new, empty cookie jar.
func newClientOf(ts *testServer) *testServer {
	jar, _ := cookiejar.New(nil)
	c := *ts.client
	c.Jar = jar
	return &testServer{Server: ts.Server, client: &c, logs: ts.logs}
}

func TestCSRFRejected(t *testing.T) {
	ts := newTestServer(t, nil)
	good := ts.loginToken(t)
	creds := url.Values{"username": {"alice"}, "password": {"wonderland"}}
	for name, token := range map[string][]string{
		"missing":  nil,
		"empty":    {""},
		"wrong":    {strings.Repeat("A", len(good))},
		"prefix":   {good[:len(good)-1]},
		"extended": {good + "A"},
	} {
		form := url.Values{"username": creds["username"], "password": creds["password"]}
		if token != nil {
			form["csrf_token"] = token
		}
		resp, body := ts.post(t, "/login", form)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "This form was not accepted") {
			t.Errorf("token %s: got %s, want the 403 page:\n%s", name, resp.Status, body)
		}
	}
	// The right token from another session is refused too.
	other := newClientOf(ts)
	form := url.Values{"csrf_token": {good}, "username": creds["username"], "password": creds["password"]}
	resp, _ := other.post(t, "/login", form)
	wantStatus(t, resp, http.StatusForbidden)
	// Sign-out needs the token as well.
	resp, _ = ts.post(t, "/logout", url.Values{"csrf_token": {"nope"}})
	wantStatus(t, resp, http.StatusForbidden)
	// None of that signed anyone in.
	resp, _ = ts.get(t, "/dashboard")
	wantRedirect(t, resp, "/login?reason=dashboard")
	// And the right token works.
	form["csrf_token"] = []string{good}
	resp, _ = ts.post(t, "/login", form)
	wantRedirect(t, resp, "/dashboard")
}

func TestLoginRefusesUnknownUserAndWrongPassword(t *testing.T) {
	ts := newTestServer(t, nil)
	for _, c := range []struct{ user, password string }{
		{"mallory", "wonderland"}, // unknown user
		{"alice", "Wonderland"},   // wrong password
		{"alice", ""},             // no password
		{"alice", "wonderland" + strings.Repeat("x", 80)}, // longer than bcrypt reads
	} {
		resp, body := ts.post(t, "/login", url.Values{"csrf_token": {ts.loginToken(t)}, "username": {c.user}, "password": {c.password}})
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Unknown user or wrong password.") {
			t.Errorf("%s/%q: got %s, want 401 with the message:\n%s", c.user, c.password, resp.Status, body)
		}
		resp, _ = ts.get(t, "/dashboard")
		wantRedirect(t, resp, "/login?reason=dashboard")
	}
}

func TestLoginRenewsIDAndDashboard(t *testing.T) {
	ts := newTestServer(t, nil)
	ts.get(t, "/")
	ts.loginToken(t)
	before := ts.sessionCookie()
	if before == "" {
		t.Fatal("no session cookie before sign-in")
	}
	resp := ts.login(t, "  Alice ", "wonderland") // names are trimmed and case-insensitive
	wantRedirect(t, resp, "/dashboard")
	after := ts.sessionCookie()
	if sessionID(t, after) == sessionID(t, before) {
		t.Fatal("sign-in kept the session ID")
	}
	resp, body := ts.get(t, "/dashboard")
	wantStatus(t, resp, http.StatusOK)
	if !strings.Contains(body, "Welcome, Alice Liddell") {
		t.Fatalf("dashboard:\n%s", body)
	}
	if !strings.Contains(body, "browser session") {
		t.Fatalf("a plain sign-in should give a browser-session cookie:\n%s", body)
	}
	if got := resp.Header.Get("Cache-Control"); got != "no-store" {
		t.Fatalf("Cache-Control %q", got)
	}
	// The view counter came along (RenewID keeps the data).
	_, body = ts.get(t, "/")
	if !strings.Contains(body, `id="total-views">2<`) {
		t.Fatalf("views were not kept across sign-in:\n%s", body)
	}
	// The old ID is gone from the store: replaying it is a new visitor.
	replay := newClientOf(ts)
	resp, _ = replay.getWithCookie(t, "/dashboard", before)
	wantRedirect(t, resp, "/login?reason=dashboard")
}

// getWithCookie sends the session cookie value by hand.
func (ts *testServer) getWithCookie(t *testing.T, path, value string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", ts.URL+path, nil)
	req.Header.Set("Cookie", "connect.sid="+value)
	resp, err := (&http.Client{Timeout: 20 * time.Second, CheckRedirect: ts.client.CheckRedirect}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp, readBody(t, resp)
}

// sessionID returns the ID inside a cookie value "s:ID.signature".
func sessionID(t *testing.T, value string) string {
	t.Helper()
	v, err := url.QueryUnescape(value)
	if err != nil {
		t.Fatal(err)
	}
	signed, ok := strings.CutPrefix(v, "s:")
	i := strings.LastIndexByte(signed, '.')
	if !ok || i < 0 {
		t.Fatalf("cookie value %q is not s:ID.signature", value)
	}
	return signed[:i]
}

func TestDashboardRedirectsWhenSignedOut(t *testing.T) {
	ts := newTestServer(t, nil)
	resp, _ := ts.get(t, "/dashboard")
	wantRedirect(t, resp, "/login?reason=dashboard")
	resp, body := ts.get(t, "/login?reason=dashboard")
	wantStatus(t, resp, http.StatusOK)
	if !strings.Contains(body, "Sign in to see the dashboard.") {
		t.Fatalf("no notice on the sign-in page:\n%s", body)
	}
}

func TestLogoutDestroysSession(t *testing.T) {
	ts := newTestServer(t, nil)
	wantRedirect(t, ts.login(t, "bob", "canwefixit"), "/dashboard")
	cookie := ts.sessionCookie()
	_, body := ts.get(t, "/dashboard")
	token := csrfInput.FindStringSubmatch(body)[1]

	resp, _ := ts.post(t, "/logout", url.Values{"csrf_token": {token}})
	wantRedirect(t, resp, "/login?reason=signed-out")
	if got := ts.sessionCookie(); got != "" {
		t.Fatalf("the browser still has the session cookie %q", got)
	}
	resp, _ = newClientOf(ts).getWithCookie(t, "/dashboard", cookie)
	wantRedirect(t, resp, "/login?reason=dashboard")
}

func TestRememberMeCookie(t *testing.T) {
	ts := newTestServer(t, nil)
	form := url.Values{"csrf_token": {ts.loginToken(t)}, "username": {"alice"}, "password": {"wonderland"}, "remember": {"on"}}
	resp, _ := ts.post(t, "/login", form)
	wantRedirect(t, resp, "/dashboard")
	var sc *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "connect.sid" {
			sc = c
		}
	}
	if sc == nil {
		t.Fatal("no Set-Cookie at sign-in")
	}
	if d := time.Until(sc.Expires); d < 30*24*time.Hour-time.Hour || d > 30*24*time.Hour+time.Hour {
		t.Fatalf("remember-me cookie expires in %v, want 30 days", d)
	}
	if !sc.HttpOnly || sc.SameSite != http.SameSiteLaxMode || sc.Secure {
		t.Fatalf("cookie attributes: %+v", sc)
	}
}

func TestSecureCookieBehindProxy(t *testing.T) {
	h, closer, err := newApp(config{StoreSpec: "memory", Secret: "0123456789abcdef0123456789abcdef", TrustProxy: true,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer closer.Close()
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("X-Forwarded-Proto", "https")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if sc := w.Header().Get("Set-Cookie"); !strings.Contains(sc, "; Secure") {
		t.Fatalf("behind a TLS proxy the cookie is not Secure: %q", sc)
	}
}

// flakyStore fails its calls while down, as a store whose server is
// unreachable does. failWrites fails only Set and Destroy.
type flakyStore struct {
	store.Store
	down, failWrites atomic.Bool
}

var errStoreDown = errors.New("flakystore: dial tcp 127.0.0.1:6379: connect: connection refused")

func (f *flakyStore) Get(ctx context.Context, id string) ([]byte, bool, error) {
	if f.down.Load() {
		return nil, false, errStoreDown
	}
	return f.Store.Get(ctx, id)
}

func (f *flakyStore) Set(ctx context.Context, id string, data []byte, exp time.Time) error {
	if f.down.Load() || f.failWrites.Load() {
		return errStoreDown
	}
	return f.Store.Set(ctx, id, data, exp)
}

func (f *flakyStore) Destroy(ctx context.Context, id string) error {
	if f.down.Load() || f.failWrites.Load() {
		return errStoreDown
	}
	return f.Store.Destroy(ctx, id)
}

func newFlakyStore(t *testing.T) *flakyStore {
	m := memstore.New(memstore.Options{})
	t.Cleanup(func() { m.Close() })
	return &flakyStore{Store: m}
}

func TestStoreDownShows503(t *testing.T) {
	st := newFlakyStore(t)
	ts := newTestServer(t, st)
	resp, _ := ts.get(t, "/")
	wantStatus(t, resp, http.StatusOK)

	st.down.Store(true)
	for _, path := range []string{"/", "/dashboard", "/session", "/login"} {
		resp, body := ts.get(t, path)
		if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "Sessions are unavailable right now") {
			t.Fatalf("GET %s with the store down: %s\n%s", path, resp.Status, body)
		}
		if resp.Header.Get("Retry-After") == "" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("503 headers: %v", resp.Header)
		}
		if strings.Contains(body, "connection refused") {
			t.Fatal("the 503 page shows the internal error")
		}
	}
	if !strings.Contains(ts.logs.String(), "connection refused") {
		t.Fatalf("the store error was not logged:\n%s", ts.logs.String())
	}

	// A new visitor has no session to load: the page is served, and the
	// failed save at the end of the request is logged.
	resp, _ = newClientOf(ts).get(t, "/")
	wantStatus(t, resp, http.StatusOK)
	if !strings.Contains(ts.logs.String(), "after the response was sent") {
		t.Fatalf("the late save error was not logged:\n%s", ts.logs.String())
	}

	// Back up: the session and its counter are still there.
	st.down.Store(false)
	_, body := ts.get(t, "/")
	if !strings.Contains(body, `id="total-views">2<`) {
		t.Fatalf("after the outage:\n%s", body)
	}
}

// The store answers reads but not writes: the handlers' own store calls
// (RenewID and Save at sign-in, Destroy at sign-out) fail, and the visitor
// gets the 503 page, not a sign-in that did not happen.
func TestStoreWritesFailDuringLoginAndLogout(t *testing.T) {
	st := newFlakyStore(t)
	ts := newTestServer(t, st)
	form := url.Values{"csrf_token": {ts.loginToken(t)}, "username": {"alice"}, "password": {"wonderland"}}
	st.failWrites.Store(true)
	resp, body := ts.post(t, "/login", form)
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "Sessions are unavailable") {
		t.Fatalf("sign-in with failing writes: %s\n%s", resp.Status, body)
	}
	st.failWrites.Store(false)
	resp, _ = ts.get(t, "/dashboard")
	wantRedirect(t, resp, "/login?reason=dashboard")

	form["csrf_token"] = []string{ts.loginToken(t)}
	resp, _ = ts.post(t, "/login", form)
	wantRedirect(t, resp, "/dashboard")
	_, body = ts.get(t, "/dashboard")
	st.failWrites.Store(true)
	resp, body = ts.post(t, "/logout", url.Values{"csrf_token": {csrfInput.FindStringSubmatch(body)[1]}})
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("sign-out with failing writes: %s\n%s", resp.Status, body)
	}
}

func TestNotFound(t *testing.T) {
	ts := newTestServer(t, nil)
	resp, body := ts.get(t, "/nope")
	wantStatus(t, resp, http.StatusNotFound)
	if !strings.Contains(body, "Page not found") {
		t.Fatal(body)
	}
	resp, _ = ts.get(t, "/static/style.css")
	wantStatus(t, resp, http.StatusOK)
	if resp.Header.Get("Set-Cookie") != "" {
		t.Fatal("static files should not start sessions")
	}
}

func TestSessionPage(t *testing.T) {
	ts := newTestServer(t, nil)
	ts.get(t, "/")
	resp, body := ts.get(t, "/session")
	wantStatus(t, resp, http.StatusOK)
	id := sessionID(t, ts.sessionCookie())
	if !strings.Contains(body, `id="session-id">`+id[:8]+"…<") {
		t.Fatalf("the session page does not show %s…:\n%s", id[:8], body)
	}
	if strings.Contains(body, id) {
		t.Fatal("the session page shows the whole session ID")
	}
	if !strings.Contains(body, "when the browser closes") || !strings.Contains(body, "24 hours after its last save") {
		t.Fatalf("the lifetime explanation is missing:\n%s", body)
	}
}
