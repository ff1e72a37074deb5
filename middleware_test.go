package session

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sessionkit/session/internal/wire"
	"github.com/sessionkit/session/memstore"
	"github.com/sessionkit/session/record"
	"github.com/sessionkit/session/store"
)

// ---------------------------------------------------------------------------
// Test scaffolding: a recording wrapper around the real memstore, and a small
// harness that drives the middleware with httptest.NewRecorder.
// ---------------------------------------------------------------------------

const testSecret = "keyboard cat"

var discardLogger = slog.New(slog.DiscardHandler)

type storeCall struct {
	Op   string // get, set, touch, destroy
	ID   string
	Data string
	Exp  time.Time
}

// recStore wraps a memstore.Store, records every call made to it, and lets a
// test fail or block a call with a hook. It implements store.Store and
// store.Toucher.
type recStore struct {
	mem *memstore.Store

	mu    sync.Mutex
	calls []storeCall
	hooks map[string]func(ctx context.Context, id string) error
}

func newRecStore(t testing.TB) *recStore {
	mem := memstore.New(memstore.Options{SweepInterval: -1})
	t.Cleanup(func() { mem.Close() })
	return &recStore{mem: mem, hooks: map[string]func(context.Context, string) error{}}
}

// hook installs f to run before op (get, set, touch, destroy); a non-nil
// error is returned by the store instead of delegating.
func (s *recStore) hook(op string, f func(ctx context.Context, id string) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f == nil {
		delete(s.hooks, op)
		return
	}
	s.hooks[op] = f
}

func (s *recStore) record(c storeCall) func(context.Context, string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, c)
	return s.hooks[c.Op]
}

func (s *recStore) Get(ctx context.Context, id string) ([]byte, bool, error) {
	if h := s.record(storeCall{Op: "get", ID: id}); h != nil {
		if err := h(ctx, id); err != nil {
			return nil, false, err
		}
	}
	return s.mem.Get(ctx, id)
}

func (s *recStore) Set(ctx context.Context, id string, data []byte, exp time.Time) error {
	if h := s.record(storeCall{Op: "set", ID: id, Data: string(data), Exp: exp}); h != nil {
		if err := h(ctx, id); err != nil {
			return err
		}
	}
	return s.mem.Set(ctx, id, data, exp)
}

func (s *recStore) Touch(ctx context.Context, id string, data []byte, exp time.Time) error {
	if h := s.record(storeCall{Op: "touch", ID: id, Data: string(data), Exp: exp}); h != nil {
		if err := h(ctx, id); err != nil {
			return err
		}
	}
	return s.mem.Touch(ctx, id, data, exp)
}

func (s *recStore) Destroy(ctx context.Context, id string) error {
	if h := s.record(storeCall{Op: "destroy", ID: id}); h != nil {
		if err := h(ctx, id); err != nil {
			return err
		}
	}
	return s.mem.Destroy(ctx, id)
}

func (s *recStore) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = nil
}

func (s *recStore) snapshot() []storeCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// ops returns the operations recorded, e.g. ["get", "touch"].
func (s *recStore) ops() []string {
	var out []string
	for _, c := range s.snapshot() {
		out = append(out, c.Op)
	}
	return out
}

func (s *recStore) count(op string) int {
	n := 0
	for _, c := range s.snapshot() {
		if c.Op == op {
			n++
		}
	}
	return n
}

func (s *recStore) last(op string) (storeCall, bool) {
	calls := s.snapshot()
	for i := len(calls) - 1; i >= 0; i-- {
		if calls[i].Op == op {
			return calls[i], true
		}
	}
	return storeCall{}, false
}

// stored returns the record held under id, bypassing the recording.
func (s *recStore) stored(t testing.TB, id string) (string, bool) {
	t.Helper()
	b, ok, err := s.mem.Get(context.Background(), id)
	if err != nil {
		t.Fatalf("memstore get: %v", err)
	}
	return string(b), ok
}

// put stores a record under id directly, as another (Node) app would.
func (s *recStore) put(t testing.TB, id, doc string) {
	t.Helper()
	exp, _, err := record.Expiry([]byte(doc))
	if err != nil {
		t.Fatalf("put %s: %v", doc, err)
	}
	if err := s.mem.Set(context.Background(), id, []byte(doc), exp); err != nil {
		t.Fatal(err)
	}
}

// plainStore hides the Toucher of a recStore: a store without touch.
type plainStore struct{ s *recStore }

func (p plainStore) Get(ctx context.Context, id string) ([]byte, bool, error) {
	return p.s.Get(ctx, id)
}
func (p plainStore) Set(ctx context.Context, id string, d []byte, e time.Time) error {
	return p.s.Set(ctx, id, d, e)
}
func (p plainStore) Destroy(ctx context.Context, id string) error { return p.s.Destroy(ctx, id) }

var (
	_ store.Store   = (*recStore)(nil)
	_ store.Toucher = (*recStore)(nil)
	_ store.Store   = plainStore{}
)

// harness is a Manager over a recording store.
type harness struct {
	t  testing.TB
	m  *Manager
	st *recStore
}

// newHarness builds a Manager; unset Secrets, Store and Logger get test
// defaults (the recording store, a discarding logger).
func newHarness(t testing.TB, o Options) *harness {
	t.Helper()
	st := newRecStore(t)
	if o.Secrets == nil {
		o.Secrets = []string{testSecret}
	}
	if o.Store == nil {
		o.Store = st
	}
	if o.Logger == nil {
		o.Logger = discardLogger
	}
	m, err := New(o)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return &harness{t: t, m: m, st: st}
}

// do serves one request through the middleware. cookie is the Cookie header
// ("" for none).
func (hs *harness) do(target, cookie string, h http.HandlerFunc) *httptest.ResponseRecorder {
	hs.t.Helper()
	r := httptest.NewRequest(http.MethodGet, target, nil)
	if cookie != "" {
		r.Header.Set("Cookie", cookie)
	}
	return hs.doReq(r, h)
}

func (hs *harness) doReq(r *http.Request, h http.HandlerFunc) *httptest.ResponseRecorder {
	hs.t.Helper()
	if h == nil {
		h = func(http.ResponseWriter, *http.Request) {}
	}
	rec := httptest.NewRecorder()
	hs.m.Handler(h).ServeHTTP(rec, r)
	return rec
}

// newSession creates a session holding kv through the middleware and
// returns its ID and the Cookie header that names it.
func (hs *harness) newSession(kv ...any) (id, cookie string) {
	hs.t.Helper()
	rec := hs.do("/", "", func(w http.ResponseWriter, r *http.Request) {
		s := Get(r)
		for i := 0; i+1 < len(kv); i += 2 {
			if err := s.Set(kv[i].(string), kv[i+1]); err != nil {
				hs.t.Errorf("Set: %v", err)
			}
		}
		if len(kv) == 0 {
			// make sure the session is stored even with SaveUninitialized off
			if err := s.Save(r.Context()); err != nil {
				hs.t.Errorf("Save: %v", err)
			}
		}
	})
	line := sessionSetCookie(rec)
	if line == "" {
		// SaveUninitialized off and no data: the cookie was not sent, but the
		// session was saved; sign its ID ourselves.
		c, ok := hs.st.last("set")
		if !ok {
			hs.t.Fatalf("newSession: no cookie and no store write")
		}
		return c.ID, signedCookie("connect.sid", c.ID, testSecret)
	}
	return sidOf(hs.t, line), cookiePair(line)
}

// signedCookie is the Cookie header pair express-session would have set.
func signedCookie(name, id, secret string) string {
	v, err := wire.EncodeURIComponent("s:" + wire.Sign(id, []byte(secret)))
	if err != nil {
		panic(err)
	}
	return name + "=" + v
}

// sessionSetCookie returns the response's Set-Cookie line for connect.sid, or "".
func sessionSetCookie(rec *httptest.ResponseRecorder) string {
	return findSetCookie(rec.Result().Header, "connect.sid")
}

func findSetCookie(h http.Header, name string) string {
	var found string
	n := 0
	for _, line := range h.Values("Set-Cookie") {
		if strings.HasPrefix(line, name+"=") {
			found = line
			n++
		}
	}
	if n > 1 {
		return "DUPLICATE:" + found
	}
	return found
}

// cookiePair returns the name=value part of a Set-Cookie line.
func cookiePair(line string) string {
	pair, _, _ := strings.Cut(line, ";")
	return pair
}

// cookieAttr returns the value of attribute name in a Set-Cookie line
// (present reports it was there, for flags).
func cookieAttr(line, name string) (value string, present bool) {
	for _, part := range strings.Split(line, ";")[1:] {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return "", false
}

// sidOf extracts and verifies (against testSecret) the ID in a Set-Cookie line.
func sidOf(t testing.TB, line string) string {
	t.Helper()
	return sidOfWith(t, line, testSecret)
}

func sidOfWith(t testing.TB, line string, secrets ...string) string {
	t.Helper()
	_, v, ok := strings.Cut(cookiePair(line), "=")
	if !ok {
		t.Fatalf("malformed Set-Cookie %q", line)
	}
	dec, err := url.PathUnescape(v)
	if err != nil {
		t.Fatalf("Set-Cookie %q: %v", line, err)
	}
	signed, ok := strings.CutPrefix(dec, "s:")
	if !ok {
		t.Fatalf("Set-Cookie %q is not signed", line)
	}
	var keys [][]byte
	for _, s := range secrets {
		keys = append(keys, []byte(s))
	}
	id, ok := wire.Unsign(signed, keys)
	if !ok {
		t.Fatalf("Set-Cookie %q does not verify with %q", line, secrets)
	}
	return id
}

// nodeRecord is a record as express-session writes it, with a cookie of
// maxAge ttl (0: browser-session cookie) and the given data members
// (already JSON, in order, e.g. `"user":"bob"`).
func nodeRecord(ttl time.Duration, members ...string) string {
	cookie := `{"originalMaxAge":null,"expires":null,"httpOnly":true,"path":"/"}`
	if ttl != 0 {
		cookie = fmt.Sprintf(`{"originalMaxAge":%d,"expires":"%s","httpOnly":true,"path":"/"}`,
			ttl.Milliseconds(), record.FormatTime(time.Now().Add(ttl)))
	}
	doc := `{"cookie":` + cookie
	for _, m := range members {
		doc += "," + m
	}
	return doc + "}"
}

// loaded stores a Node-written record under a fresh ID and returns the ID
// and its Cookie header.
func (hs *harness) loaded(ttl time.Duration, members ...string) (id, cookie string) {
	hs.t.Helper()
	id = wire.NewID()
	hs.st.put(hs.t, id, nodeRecord(ttl, members...))
	return id, signedCookie("connect.sid", id, testSecret)
}

func mustSet(t testing.TB, s *Session, k string, v any) {
	t.Helper()
	if err := s.Set(k, v); err != nil {
		t.Fatalf("Set(%q): %v", k, err)
	}
}

// ---------------------------------------------------------------------------
// 1. Lifecycle
// ---------------------------------------------------------------------------

func TestNewSessionSaveUninitializedOn(t *testing.T) {
	hs := newHarness(t, Options{SaveUninitialized: true})
	var inHandler string
	rec := hs.do("/", "", func(w http.ResponseWriter, r *http.Request) {
		s := Get(r)
		if s == nil {
			t.Fatal("no session")
		}
		inHandler = s.ID()
	})
	line := sessionSetCookie(rec)
	if line == "" {
		t.Fatal("no Set-Cookie for a new session with SaveUninitialized")
	}
	id := sidOf(t, line)
	if id != inHandler || len(id) != 32 {
		t.Fatalf("cookie id %q, handler saw %q", id, inHandler)
	}
	if got, want := hs.st.ops(), []string{"set"}; !slices.Equal(got, want) {
		t.Fatalf("store ops %v, want %v", got, want)
	}
	doc, ok := hs.st.stored(t, id)
	if want := `{"cookie":{"originalMaxAge":null,"expires":null,"httpOnly":true,"path":"/"}}`; !ok || doc != want {
		t.Fatalf("stored %q (found %v), want %s", doc, ok, want)
	}
	if _, ok := cookieAttr(line, "HttpOnly"); !ok {
		t.Errorf("no HttpOnly in %q", line)
	}
	if v, _ := cookieAttr(line, "Path"); v != "/" {
		t.Errorf("Path %q in %q", v, line)
	}
	if _, ok := cookieAttr(line, "Max-Age"); ok {
		t.Errorf("Max-Age must never be sent: %q", line)
	}
}

func TestNewSessionSaveUninitializedOff(t *testing.T) {
	hs := newHarness(t, Options{})
	rec := hs.do("/", "", func(w http.ResponseWriter, r *http.Request) {
		if Get(r) == nil {
			t.Error("no session")
		}
	})
	if line := sessionSetCookie(rec); line != "" {
		t.Fatalf("unexpected Set-Cookie %q", line)
	}
	if ops := hs.st.ops(); len(ops) != 0 {
		t.Fatalf("store ops %v, want none", ops)
	}

	// Modified: saved and cookie sent.
	rec = hs.do("/", "", func(w http.ResponseWriter, r *http.Request) { mustSet(t, Get(r), "user", "bob") })
	line := sessionSetCookie(rec)
	if line == "" {
		t.Fatal("no Set-Cookie for a modified new session")
	}
	id := sidOf(t, line)
	if doc, _ := hs.st.stored(t, id); !strings.HasSuffix(doc, `,"user":"bob"}`) {
		t.Fatalf("stored %q", doc)
	}
}

func TestLoadedSession(t *testing.T) {
	hs := newHarness(t, Options{Cookie: CookieOptions{MaxAge: time.Hour}})
	id, cookie := hs.newSession("n", 1)
	hs.st.reset()
	var n int
	var ok bool
	rec := hs.do("/", cookie, func(w http.ResponseWriter, r *http.Request) {
		s := Get(r)
		if s.ID() != id {
			t.Errorf("loaded id %q, want %q", s.ID(), id)
		}
		n, ok = GetAs[int](s, "n")
		mustSet(t, s, "n", n+1)
	})
	if !ok || n != 1 {
		t.Fatalf("GetAs n = %d, %v", n, ok)
	}
	calls := hs.st.snapshot()
	if len(calls) != 2 || calls[0].Op != "get" || calls[0].ID != id || calls[1].Op != "set" || calls[1].ID != id {
		t.Fatalf("store calls %+v", calls)
	}
	if !strings.Contains(calls[1].Data, `"n":2`) {
		t.Fatalf("saved %s", calls[1].Data)
	}
	// modified + expires: cookie re-sent with the same ID
	line := sessionSetCookie(rec)
	if line == "" || sidOf(t, line) != id {
		t.Fatalf("Set-Cookie %q", line)
	}
	exp, _ := cookieAttr(line, "Expires")
	tm, err := http.ParseTime(exp)
	if err != nil || tm.Before(time.Now().Add(59*time.Minute)) {
		t.Fatalf("Expires %q (%v)", exp, err)
	}
	// the stored expiry and the cookie's agree (to the second)
	if calls[1].Exp.Unix() != tm.Unix() {
		t.Errorf("store expiry %v, cookie %v", calls[1].Exp, tm)
	}
}

func TestBadCookiesNeverReachStore(t *testing.T) {
	hs := newHarness(t, Options{SaveUninitialized: true})
	id, good := hs.newSession("user", "bob")
	_, val, _ := strings.Cut(good, "=")
	dec, _ := url.PathUnescape(val)
	sig := dec[strings.LastIndexByte(dec, '.')+1:]
	flip := func(s string, i int) string {
		b := []byte(s)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		return string(b)
	}
	cases := map[string]string{
		"unsigned":           "connect.sid=" + id,
		"s-prefix-no-sig":    "connect.sid=s:" + id,
		"tampered-signature": "connect.sid=" + url.PathEscape("s:"+id+"."+flip(sig, 5)),
		"tampered-id":        "connect.sid=" + url.PathEscape("s:"+flip(id, 0)+"."+sig),
		"unknown-secret":     signedCookie("connect.sid", id, "another secret"),
		"padded-signature":   "connect.sid=" + url.QueryEscape("s:"+id+"."+sig+"="),
		"truncated-sig":      "connect.sid=" + url.QueryEscape("s:"+id+"."+sig[:42]),
		"empty":              "connect.sid=",
		"other-name":         signedCookie("connect.sidx", id, testSecret),
		"case-of-name":       signedCookie("Connect.sid", id, testSecret),
	}
	for name, cookie := range cases {
		t.Run(name, func(t *testing.T) {
			hs.st.reset()
			var got string
			rec := hs.do("/", cookie, func(w http.ResponseWriter, r *http.Request) {
				s := Get(r)
				got = s.ID()
				if _, ok := s.Get("user"); ok {
					t.Error("bad cookie gave access to the session's data")
				}
			})
			if got == id || got == "" {
				t.Fatalf("session id %q (original %q)", got, id)
			}
			if n := hs.st.count("get"); n != 0 {
				t.Fatalf("store.Get called %d times: %+v", n, hs.st.snapshot())
			}
			if line := sessionSetCookie(rec); line == "" || sidOf(t, line) != got {
				t.Fatalf("Set-Cookie %q, want new session %q", line, got)
			}
		})
	}
	// sanity: the good cookie does load it
	hs.st.reset()
	hs.do("/", good, func(w http.ResponseWriter, r *http.Request) {
		if Get(r).ID() != id {
			t.Error("good cookie did not load the session")
		}
	})
	// An unencoded "s:<id>.<sig>" value works as well (spec §2.2).
	hs.do("/", "connect.sid=s:"+id+"."+sig, func(w http.ResponseWriter, r *http.Request) {
		if Get(r).ID() != id {
			t.Error("unencoded signed cookie did not load the session")
		}
	})
	// quoted value
	hs.do("/", `connect.sid="`+val+`"`, func(w http.ResponseWriter, r *http.Request) {
		if Get(r).ID() != id {
			t.Error("quoted cookie did not load the session")
		}
	})
}

func TestSecretRotation(t *testing.T) {
	st := newRecStore(t)
	old := newHarness(t, Options{Secrets: []string{"old secret"}, Store: st, Cookie: CookieOptions{MaxAge: time.Hour}})
	rec := old.do("/", "", func(w http.ResponseWriter, r *http.Request) { mustSet(t, Get(r), "user", "bob") })
	oldLine := sessionSetCookie(rec)
	id := sidOfWith(t, oldLine, "old secret")

	rotated := newHarness(t, Options{Secrets: []string{"new secret", "old secret"}, Store: st, Cookie: CookieOptions{MaxAge: time.Hour}})
	// Read-only request with the old cookie: accepted, NOT re-issued.
	rec = rotated.do("/", cookiePair(oldLine), func(w http.ResponseWriter, r *http.Request) {
		s := Get(r)
		if s.ID() != id {
			t.Errorf("old-secret cookie not accepted: id %q", s.ID())
		}
		if v, _ := s.Get("user"); v != "bob" {
			t.Errorf("user = %v", v)
		}
	})
	if line := sessionSetCookie(rec); line != "" {
		t.Fatalf("old-secret cookie re-issued although nothing changed: %q", line)
	}
	// Modified: the cookie is re-issued, signed with Secrets[0] only.
	rec = rotated.do("/", cookiePair(oldLine), func(w http.ResponseWriter, r *http.Request) { mustSet(t, Get(r), "user", "alice") })
	line := sessionSetCookie(rec)
	if line == "" {
		t.Fatal("no Set-Cookie for a modified session with an expiry")
	}
	if got := sidOfWith(t, line, "new secret"); got != id {
		t.Fatalf("re-issued id %q, want %q", got, id)
	}
	if cookiePair(line) != signedCookie("connect.sid", id, "new secret") {
		t.Fatalf("re-issued cookie %q not signed with the first secret", line)
	}
	// New sessions are signed with Secrets[0].
	rec = rotated.do("/", "", func(w http.ResponseWriter, r *http.Request) { mustSet(t, Get(r), "x", 1) })
	sidOfWith(t, sessionSetCookie(rec), "new secret")
	// A manager that only knows the new secret rejects the old cookie.
	newOnly := newHarness(t, Options{Secrets: []string{"new secret"}, Store: st})
	newOnly.do("/", cookiePair(oldLine), func(w http.ResponseWriter, r *http.Request) {
		if Get(r).ID() == id {
			t.Error("cookie signed with an unknown secret was accepted")
		}
	})
}

func TestDuplicateCookiesFirstWins(t *testing.T) {
	hs := newHarness(t, Options{})
	id, good := hs.newSession("user", "bob")
	bad := "connect.sid=" + url.QueryEscape("s:"+id+".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
	check := func(name string, header []string, wantLoaded bool) {
		t.Run(name, func(t *testing.T) {
			hs.st.reset()
			r := httptest.NewRequest("GET", "/", nil)
			r.Header["Cookie"] = header
			hs.doReq(r, func(w http.ResponseWriter, r *http.Request) {
				if loaded := Get(r).ID() == id; loaded != wantLoaded {
					t.Errorf("loaded = %v, want %v", loaded, wantLoaded)
				}
			})
			if !wantLoaded && hs.st.count("get") != 0 {
				t.Errorf("store.Get called: %+v", hs.st.snapshot())
			}
		})
	}
	check("bad-first", []string{bad + "; " + good}, false)
	check("good-first", []string{good + "; " + bad}, true)
	check("bad-first-two-headers", []string{bad, good}, false)
	check("good-first-two-headers", []string{"a=b", good, bad}, true)
	check("unsigned-first", []string{"connect.sid=" + id + "; " + good}, false)
	check("other-cookies", []string{"a=1; connect.sidx=2;  " + good + " ; z=3"}, true)
}

func TestPathGate(t *testing.T) {
	hs := newHarness(t, Options{SaveUninitialized: true, Cookie: CookieOptions{Path: "/admin"}})
	var had bool
	inner := hs.m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		had = Get(r) != nil
		fmt.Fprint(w, r.URL.Path)
	}))
	for _, tc := range []struct {
		target string
		want   bool
	}{
		{"/admin", true},
		{"/admin/", true},
		{"/admin/x?y=1", true},
		{"/administrator", true}, // express's plain prefix match
		{"/ADMIN", false},        // case-sensitive
		{"/Admin/x", false},
		{"/adm", false},
		{"/", false},
		{"/x?/admin", false},
		{"/x/admin", false},
		{"http://example.com/admin/x", true}, // absolute-form request target
		{"http://example.com/other", false},
	} {
		hs.st.reset()
		had = false
		rec := httptest.NewRecorder()
		inner.ServeHTTP(rec, httptest.NewRequest("GET", tc.target, nil))
		if had != tc.want {
			t.Errorf("%s: session %v, want %v", tc.target, had, tc.want)
		}
		if line := sessionSetCookie(rec); (line != "") != tc.want {
			t.Errorf("%s: Set-Cookie %q", tc.target, line)
		}
		if !tc.want && len(hs.st.ops()) != 0 {
			t.Errorf("%s: store used outside the cookie path: %v", tc.target, hs.st.ops())
		}
	}

	// Behind http.StripPrefix the original request path decides.
	mux := http.NewServeMux()
	mux.Handle("/admin/", http.StripPrefix("/admin", inner))
	rec := httptest.NewRecorder()
	had = false
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/admin/panel", nil))
	if !had || rec.Body.String() != "/panel" {
		t.Fatalf("StripPrefix: session %v, inner path %q", had, rec.Body.String())
	}
	if v, _ := cookieAttr(sessionSetCookie(rec), "Path"); v != "/admin" {
		t.Fatalf("cookie Path %q", v)
	}
	// ...and a session middleware whose path is the stripped path does not
	// match the original one.
	hs2 := newHarness(t, Options{SaveUninitialized: true, Cookie: CookieOptions{Path: "/panel"}})
	mux2 := http.NewServeMux()
	mux2.Handle("/admin/", http.StripPrefix("/admin", hs2.m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		had = Get(r) != nil
	}))))
	had = true
	mux2.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/admin/panel", nil))
	if had {
		t.Fatal("gate used the stripped path instead of the original request path")
	}
}

func TestNestedMiddlewareIsNoOp(t *testing.T) {
	hs := newHarness(t, Options{SaveUninitialized: true})
	inner := newHarness(t, Options{SaveUninitialized: true, Name: "inner.sid"})
	var outerID, innerID string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hs.m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			outerID = Get(r).ID()
			inner.m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				innerID = Get(r).ID()
			})).ServeHTTP(w, r)
		})).ServeHTTP(w, r)
	})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if outerID == "" || innerID != outerID {
		t.Fatalf("outer %q inner %q", outerID, innerID)
	}
	if len(inner.st.ops()) != 0 || findSetCookie(rec.Result().Header, "inner.sid") != "" {
		t.Fatalf("inner middleware acted: %v", inner.st.ops())
	}
}

// ---------------------------------------------------------------------------
// 2. Predicates: the decision table of spec §2.7.5
// ---------------------------------------------------------------------------

func TestDecisionTable(t *testing.T) {
	type tc struct {
		name    string
		opts    Options
		noTouch bool
		loaded  bool
		noTTL   bool // loaded record without expiry
		act     func(t *testing.T, r *http.Request, s *Session)
		ops     []string // store ops after the initial load
		cookie  bool
	}
	modify := func(t *testing.T, r *http.Request, s *Session) { mustSet(t, s, "n", 2) }
	save := func(t *testing.T, r *http.Request, s *Session) {
		if err := s.Save(r.Context()); err != nil {
			t.Fatal(err)
		}
	}
	cases := []tc{
		{name: "new/unmodified/saveUninitialized", opts: Options{SaveUninitialized: true}, ops: []string{"set"}, cookie: true},
		{name: "new/unmodified", ops: nil, cookie: false},
		{name: "new/unmodified/rolling", opts: Options{Rolling: true}, ops: nil, cookie: false},
		{name: "new/modified", act: modify, ops: []string{"set"}, cookie: true},
		{name: "new/saved-unmodified", act: save, ops: []string{"set"}, cookie: false},
		{name: "new/saved-unmodified/saveUninitialized", opts: Options{SaveUninitialized: true}, act: save, ops: []string{"set"}, cookie: true},
		{name: "new/modified-saved", act: func(t *testing.T, r *http.Request, s *Session) { modify(t, r, s); save(t, r, s) }, ops: []string{"set"}, cookie: true},
		{name: "new/saved-then-modified", act: func(t *testing.T, r *http.Request, s *Session) { save(t, r, s); modify(t, r, s) }, ops: []string{"set", "set"}, cookie: true},
		{name: "loaded/resave/unmodified", opts: Options{Resave: true}, loaded: true, ops: []string{"set"}, cookie: false},
		{name: "loaded/resave/saved", opts: Options{Resave: true}, loaded: true, act: save, ops: []string{"set", "touch"}, cookie: false},
		{name: "loaded/unmodified", loaded: true, ops: []string{"touch"}, cookie: false},
		{name: "loaded/unmodified/no-touch-store", loaded: true, noTouch: true, ops: nil, cookie: false},
		{name: "loaded/unmodified/rolling", opts: Options{Rolling: true}, loaded: true, ops: []string{"touch"}, cookie: true},
		{name: "loaded/unmodified/rolling/no-expiry", opts: Options{Rolling: true}, loaded: true, noTTL: true, ops: []string{"touch"}, cookie: true},
		{name: "loaded/modified", loaded: true, act: modify, ops: []string{"set"}, cookie: true},
		{name: "loaded/modified/no-expiry", loaded: true, noTTL: true, act: modify, ops: []string{"set"}, cookie: false},
		{name: "loaded/modified-saved", loaded: true, act: func(t *testing.T, r *http.Request, s *Session) { modify(t, r, s); save(t, r, s) }, ops: []string{"set", "touch"}, cookie: true},
		{name: "loaded/regenerate", loaded: true, act: func(t *testing.T, r *http.Request, s *Session) {
			if err := s.Regenerate(r.Context()); err != nil {
				t.Fatal(err)
			}
		}, ops: []string{"destroy", "set"}, cookie: true},
		{name: "new/regenerate", act: func(t *testing.T, r *http.Request, s *Session) {
			if err := s.Regenerate(r.Context()); err != nil {
				t.Fatal(err)
			}
		}, ops: []string{"destroy", "set"}, cookie: true},
		{name: "loaded/unset/keep", loaded: true, act: func(t *testing.T, r *http.Request, s *Session) { s.Unset() }, ops: nil, cookie: false},
		{name: "loaded/unset/destroy", opts: Options{Unset: UnsetDestroy}, loaded: true, act: func(t *testing.T, r *http.Request, s *Session) { s.Unset() }, ops: []string{"destroy"}, cookie: false},
		{name: "loaded/modified-unset/keep", opts: Options{Rolling: true}, loaded: true, act: func(t *testing.T, r *http.Request, s *Session) { modify(t, r, s); s.Unset() }, ops: nil, cookie: false},
		{name: "loaded/destroy/keep", loaded: true, act: func(t *testing.T, r *http.Request, s *Session) {
			if err := s.Destroy(r.Context()); err != nil {
				t.Fatal(err)
			}
		}, ops: []string{"destroy"}, cookie: false},
		{name: "loaded/destroy/unset-destroy", opts: Options{Unset: UnsetDestroy}, loaded: true, act: func(t *testing.T, r *http.Request, s *Session) {
			if err := s.Destroy(r.Context()); err != nil {
				t.Fatal(err)
			}
		}, ops: []string{"destroy", "destroy"}, cookie: false},
		{name: "new/unset/destroy", opts: Options{Unset: UnsetDestroy, SaveUninitialized: true}, act: func(t *testing.T, r *http.Request, s *Session) { s.Unset() }, ops: []string{"destroy"}, cookie: false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := c.opts
			st := newRecStore(t)
			o.Store = st
			if c.noTouch {
				o.Store = plainStore{st}
			}
			hs := newHarness(t, o)
			hs.st = st
			var cookie, id string
			if c.loaded {
				ttl := time.Hour
				if c.noTTL {
					ttl = 0
				}
				id, cookie = hs.loaded(ttl, `"n":1`)
			}
			rec := hs.do("/", cookie, func(w http.ResponseWriter, r *http.Request) {
				s := Get(r)
				if c.loaded && s.ID() != id {
					t.Fatalf("not loaded")
				}
				if c.act != nil {
					c.act(t, r, s)
				}
			})
			ops := st.ops()
			if c.loaded {
				if len(ops) == 0 || ops[0] != "get" {
					t.Fatalf("ops %v: no load", ops)
				}
				ops = ops[1:]
			}
			if !slices.Equal(ops, c.ops) {
				t.Errorf("store ops %v, want %v", ops, c.ops)
			}
			if got := sessionSetCookie(rec) != ""; got != c.cookie {
				t.Errorf("Set-Cookie %q, want sent=%v", sessionSetCookie(rec), c.cookie)
			}
		})
	}
}

func TestUnsetAndDestroyStoreEffects(t *testing.T) {
	t.Run("unset-keep", func(t *testing.T) {
		hs := newHarness(t, Options{})
		id, cookie := hs.loaded(time.Hour, `"n":1`)
		hs.do("/", cookie, func(w http.ResponseWriter, r *http.Request) {
			s := Get(r)
			mustSet(t, s, "n", 5)
			s.Unset()
			if Get(r) != nil {
				t.Error("Get after Unset is not nil")
			}
		})
		if doc, ok := hs.st.stored(t, id); !ok || !strings.Contains(doc, `"n":1`) {
			t.Fatalf("stored %q %v", doc, ok)
		}
	})
	t.Run("unset-destroy", func(t *testing.T) {
		hs := newHarness(t, Options{Unset: UnsetDestroy})
		id, cookie := hs.loaded(time.Hour, `"n":1`)
		hs.do("/", cookie, func(w http.ResponseWriter, r *http.Request) { Get(r).Unset() })
		if _, ok := hs.st.stored(t, id); ok {
			t.Fatal("unset with UnsetDestroy kept the record")
		}
		if c, _ := hs.st.last("destroy"); c.ID != id {
			t.Fatalf("destroyed %q", c.ID)
		}
	})
	t.Run("destroy", func(t *testing.T) {
		hs := newHarness(t, Options{Cookie: CookieOptions{MaxAge: time.Hour}, Rolling: true})
		id, cookie := hs.loaded(time.Hour, `"n":1`)
		var errs []error
		rec := hs.do("/", cookie, func(w http.ResponseWriter, r *http.Request) {
			s := Get(r)
			if err := s.Destroy(r.Context()); err != nil {
				t.Fatal(err)
			}
			if Get(r) != nil || FromContext(r.Context()) != nil {
				t.Error("Get after Destroy is not nil")
			}
			errs = append(errs, s.Destroy(r.Context()), s.Save(r.Context()), s.Reload(r.Context()),
				s.Regenerate(r.Context()), s.RenewID(r.Context()))
		})
		for i, err := range errs {
			if !errors.Is(err, ErrNoSession) {
				t.Errorf("call %d after Destroy: %v, want ErrNoSession", i, err)
			}
		}
		if _, ok := hs.st.stored(t, id); ok {
			t.Fatal("destroyed session still stored")
		}
		if n := hs.st.count("destroy"); n != 1 {
			t.Fatalf("%d destroys", n)
		}
		if hs.st.count("set")+hs.st.count("touch") != 0 {
			t.Fatalf("destroyed session written: %v", hs.st.ops())
		}
		if line := sessionSetCookie(rec); line != "" {
			t.Fatalf("Set-Cookie after destroy (rolling): %q", line)
		}
		// the next request with the old cookie gets a new session
		hs.do("/", cookie, func(w http.ResponseWriter, r *http.Request) {
			if Get(r).ID() == id {
				t.Error("destroyed session came back")
			}
		})
	})
}

func TestRegenerate(t *testing.T) {
	hs := newHarness(t, Options{Cookie: CookieOptions{MaxAge: time.Hour}})
	oldID, cookie := hs.loaded(time.Hour, `"user":"bob"`)
	hs.st.reset()
	var newID string
	rec := hs.do("/", cookie, func(w http.ResponseWriter, r *http.Request) {
		s := Get(r)
		if err := s.Regenerate(r.Context()); err != nil {
			t.Fatal(err)
		}
		if Get(r) != s {
			t.Error("Get returns another session after Regenerate")
		}
		newID = s.ID()
		if _, ok := s.Get("user"); ok || s.Len() != 0 {
			t.Error("Regenerate kept the data")
		}
		mustSet(t, s, "user", "alice")
	})
	if newID == oldID || newID == "" {
		t.Fatalf("new id %q, old %q", newID, oldID)
	}
	if _, ok := hs.st.stored(t, oldID); ok {
		t.Fatal("old session not destroyed")
	}
	if sidOf(t, sessionSetCookie(rec)) != newID {
		t.Fatalf("cookie %q, want %q", sessionSetCookie(rec), newID)
	}
	sets := 0
	for _, c := range hs.st.snapshot() {
		if c.Op == "set" {
			sets++
			if c.ID != newID || !strings.Contains(c.Data, `"user":"alice"`) {
				t.Errorf("set %+v", c)
			}
		}
	}
	if sets != 1 {
		t.Fatalf("%d store.Set calls, want 1", sets)
	}
}

// TestBug_RegenerateThenSaveSavesTwice: the brief says sessionkit deliberately
// fixes express-session's double store.set after regenerate + save (spec
// §2.7.4, express issue #935): a handler that calls Regenerate and then Save
// should cause exactly one store.Set. Actual: two, because isSaved compares
// originalID (the pre-regenerate ID) with the new ID, so the explicit Save
// never counts as "saved". The same happens with RenewID + Save.
func TestBug_RegenerateThenSaveSavesTwice(t *testing.T) {
	for _, renew := range []bool{false, true} {
		t.Run(fmt.Sprintf("renew=%v", renew), func(t *testing.T) {
			hs := newHarness(t, Options{Cookie: CookieOptions{MaxAge: time.Hour}})
			_, cookie := hs.loaded(time.Hour, `"user":"bob"`)
			hs.st.reset()
			hs.do("/", cookie, func(w http.ResponseWriter, r *http.Request) {
				s := Get(r)
				var err error
				if renew {
					err = s.RenewID(r.Context())
				} else {
					err = s.Regenerate(r.Context())
				}
				if err != nil {
					t.Fatal(err)
				}
				mustSet(t, s, "user", "alice")
				if err := s.Save(r.Context()); err != nil {
					t.Fatal(err)
				}
			})
			if n := hs.st.count("set"); n != 1 {
				t.Fatalf("store.Set called %d times after Regenerate+Save, want 1 (ops %v)", n, hs.st.ops())
			}
		})
	}
}

func TestReload(t *testing.T) {
	t.Run("sees-concurrent-change", func(t *testing.T) {
		hs := newHarness(t, Options{})
		id, cookie := hs.loaded(time.Hour, `"n":1`)
		hs.do("/", cookie, func(w http.ResponseWriter, r *http.Request) {
			s := Get(r)
			if v, _ := GetAs[int](s, "n"); v != 1 {
				t.Fatalf("n = %d", v)
			}
			// another request changes the stored session meanwhile
			hs.st.put(t, id, nodeRecord(time.Hour, `"n":7`, `"other":true`))
			if err := s.Reload(r.Context()); err != nil {
				t.Fatal(err)
			}
			if v, _ := GetAs[int](s, "n"); v != 7 {
				t.Errorf("after Reload n = %d, want 7", v)
			}
			if v, ok := GetAs[bool](s, "other"); !v || !ok {
				t.Error("after Reload other missing")
			}
		})
	})
	t.Run("missing", func(t *testing.T) {
		hs := newHarness(t, Options{})
		id, cookie := hs.loaded(time.Hour, `"n":1`)
		hs.do("/", cookie, func(w http.ResponseWriter, r *http.Request) {
			s := Get(r)
			mustSet(t, s, "n", 2)
			hs.st.mem.Destroy(r.Context(), id)
			if err := s.Reload(r.Context()); !errors.Is(err, ErrSessionMissing) {
				t.Fatalf("Reload: %v, want ErrSessionMissing", err)
			}
			if v, _ := GetAs[int](s, "n"); v != 2 {
				t.Errorf("failed Reload changed data: n = %d", v)
			}
		})
	})
	t.Run("store-error-keeps-data", func(t *testing.T) {
		hs := newHarness(t, Options{})
		_, cookie := hs.loaded(time.Hour, `"n":1`)
		boom := errors.New("boom")
		hs.do("/", cookie, func(w http.ResponseWriter, r *http.Request) {
			s := Get(r)
			mustSet(t, s, "n", 3)
			hs.st.hook("get", func(context.Context, string) error { return boom })
			err := s.Reload(r.Context())
			hs.st.hook("get", nil)
			if !errors.Is(err, boom) {
				t.Fatalf("Reload: %v", err)
			}
			if v, _ := GetAs[int](s, "n"); v != 3 {
				t.Errorf("failed Reload changed data: n = %d", v)
			}
		})
	})
	t.Run("corrupt-record-keeps-data", func(t *testing.T) {
		hs := newHarness(t, Options{})
		id, cookie := hs.loaded(time.Hour, `"n":1`)
		hs.do("/", cookie, func(w http.ResponseWriter, r *http.Request) {
			s := Get(r)
			hs.st.mem.Set(r.Context(), id, []byte(`{"n":9}`), time.Time{}) // no cookie
			if err := s.Reload(r.Context()); err == nil {
				t.Fatal("Reload of a record without cookie succeeded")
			}
			if v, _ := GetAs[int](s, "n"); v != 1 {
				t.Errorf("failed Reload changed data: n = %d", v)
			}
		})
	})
}

func TestSaveThenNoEndOfRequestSave(t *testing.T) {
	hs := newHarness(t, Options{Cookie: CookieOptions{MaxAge: time.Hour}})
	_, cookie := hs.loaded(time.Hour, `"n":1`)
	hs.st.reset()
	hs.do("/", cookie, func(w http.ResponseWriter, r *http.Request) {
		s := Get(r)
		mustSet(t, s, "n", 2)
		if err := s.Save(r.Context()); err != nil {
			t.Fatal(err)
		}
		// the next request (e.g. after a redirect) already sees it
		if doc, _ := hs.st.stored(t, s.ID()); !strings.Contains(doc, `"n":2`) {
			t.Errorf("not saved by Save: %s", doc)
		}
	})
	if got, want := hs.st.ops(), []string{"get", "set", "touch"}; !slices.Equal(got, want) {
		t.Fatalf("ops %v, want %v", got, want)
	}
}

func TestTouchExtendsExpiry(t *testing.T) {
	hs := newHarness(t, Options{})
	id := wire.NewID()
	// stored with 10 minutes left of a one hour lifetime
	doc := fmt.Sprintf(`{"cookie":{"originalMaxAge":3600000,"expires":"%s","httpOnly":true,"path":"/"},"n":1}`,
		record.FormatTime(time.Now().Add(10*time.Minute)))
	hs.st.put(t, id, doc)
	hs.do("/", signedCookie("connect.sid", id, testSecret), func(w http.ResponseWriter, r *http.Request) {
		s := Get(r)
		left, ok := s.Cookie().MaxAge()
		if !ok || left > 11*time.Minute || left < 9*time.Minute {
			t.Fatalf("MaxAge before touch %v %v", left, ok)
		}
		s.Touch()
		left, _ = s.Cookie().MaxAge()
		if left < 59*time.Minute || left > time.Hour {
			t.Fatalf("MaxAge after touch %v", left)
		}
		if oma, _ := s.Cookie().OriginalMaxAge(); oma != time.Hour {
			t.Fatalf("OriginalMaxAge %v", oma)
		}
	})
	// Touch is not a modification: the store is touched, not rewritten,
	// with the renewed expiry.
	c, ok := hs.st.last("touch")
	if !ok || hs.st.count("set") != 0 {
		t.Fatalf("ops %v", hs.st.ops())
	}
	if time.Until(c.Exp) < 59*time.Minute {
		t.Fatalf("touched expiry %v", c.Exp)
	}
	if doc, _ := hs.st.stored(t, id); !strings.Contains(doc, `"n":1`) {
		t.Fatalf("record %s", doc)
	}
}

// The session is touched on every request, even without Touch: the stored
// expiry slides although the browser cookie does not (spec §2.7.5 note).
func TestEveryRequestSlidesStoredExpiry(t *testing.T) {
	hs := newHarness(t, Options{})
	id := wire.NewID()
	hs.st.put(t, id, fmt.Sprintf(`{"cookie":{"originalMaxAge":3600000,"expires":"%s","httpOnly":true,"path":"/"}}`,
		record.FormatTime(time.Now().Add(time.Minute))))
	rec := hs.do("/", signedCookie("connect.sid", id, testSecret), nil)
	c, ok := hs.st.last("touch")
	if !ok || time.Until(c.Exp) < 59*time.Minute {
		t.Fatalf("touch %+v %v", c, ok)
	}
	if line := sessionSetCookie(rec); line != "" {
		t.Fatalf("cookie sent without rolling: %q", line)
	}
}

// ---------------------------------------------------------------------------
// 7. Beyond express-session
// ---------------------------------------------------------------------------

func TestRenewID(t *testing.T) {
	hs := newHarness(t, Options{Cookie: CookieOptions{MaxAge: time.Hour}})
	oldID := wire.NewID()
	// a per-session lifetime of 2h, with 90 minutes left
	hs.st.put(t, oldID, fmt.Sprintf(`{"cookie":{"originalMaxAge":7200000,"expires":"%s","httpOnly":true,"path":"/","sameSite":"strict"},"user":"bob","n":1}`,
		record.FormatTime(time.Now().Add(90*time.Minute))))
	var newID string
	rec := hs.do("/", signedCookie("connect.sid", oldID, testSecret), func(w http.ResponseWriter, r *http.Request) {
		s := Get(r)
		if err := s.RenewID(r.Context()); err != nil {
			t.Fatal(err)
		}
		newID = s.ID()
		if v, _ := s.Get("user"); v != "bob" {
			t.Error("RenewID dropped data")
		}
	})
	if newID == oldID || newID == "" {
		t.Fatalf("id %q", newID)
	}
	if _, ok := hs.st.stored(t, oldID); ok {
		t.Fatal("old ID not destroyed")
	}
	doc, ok := hs.st.stored(t, newID)
	if !ok || !strings.Contains(doc, `"originalMaxAge":7200000`) || !strings.Contains(doc, `"user":"bob","n":1}`) ||
		!strings.Contains(doc, `"sameSite":"strict"`) {
		t.Fatalf("renewed record %s", doc)
	}
	line := sessionSetCookie(rec)
	if sidOf(t, line) != newID {
		t.Fatalf("cookie %q", line)
	}
	exp, _ := cookieAttr(line, "Expires")
	tm, _ := http.ParseTime(exp)
	if d := time.Until(tm); d < 119*time.Minute || d > 2*time.Hour {
		t.Fatalf("renewed cookie expires in %v, want the session's own 2h lifetime", d)
	}
	if v, _ := cookieAttr(line, "SameSite"); v != "Strict" {
		t.Fatalf("renewed cookie lost its stored attributes: %q", line)
	}
}

func TestDestroyClearsCookie(t *testing.T) {
	hs := newHarness(t, Options{DestroyClearsCookie: true, Cookie: CookieOptions{MaxAge: time.Hour}})
	id := wire.NewID()
	hs.st.put(t, id, fmt.Sprintf(`{"cookie":{"originalMaxAge":3600000,"expires":"%s","secure":false,"httpOnly":true,"domain":"example.com","path":"/app","sameSite":"lax"}}`,
		record.FormatTime(time.Now().Add(time.Hour))))
	rec := hs.do("/app/logout", signedCookie("connect.sid", id, testSecret), func(w http.ResponseWriter, r *http.Request) {
		if err := Get(r).Destroy(r.Context()); err != nil {
			t.Fatal(err)
		}
	})
	line := sessionSetCookie(rec)
	if line == "" {
		t.Fatal("no clearing cookie")
	}
	if cookiePair(line) != "connect.sid=" {
		t.Errorf("clearing cookie value: %q", line)
	}
	if v, _ := cookieAttr(line, "Path"); v != "/app" {
		t.Errorf("Path %q", v)
	}
	if v, _ := cookieAttr(line, "Domain"); v != "example.com" {
		t.Errorf("Domain %q", v)
	}
	exp, _ := cookieAttr(line, "Expires")
	if tm, err := http.ParseTime(exp); err != nil || !tm.Before(time.Now()) {
		t.Errorf("Expires %q not in the past", exp)
	}
	if _, ok := hs.st.stored(t, id); ok {
		t.Error("not destroyed")
	}
	// Without the option the cookie is left alone.
	hs2 := newHarness(t, Options{})
	_, cookie := hs2.loaded(time.Hour)
	rec = hs2.do("/", cookie, func(w http.ResponseWriter, r *http.Request) { Get(r).Destroy(r.Context()) })
	if line := sessionSetCookie(rec); line != "" {
		t.Errorf("cookie sent on destroy without DestroyClearsCookie: %q", line)
	}
}

func TestAbsoluteTimeout(t *testing.T) {
	const timeout = 300 * time.Millisecond
	hs := newHarness(t, Options{AbsoluteTimeout: timeout, Cookie: CookieOptions{MaxAge: time.Hour}, Rolling: true})
	id, cookie := hs.newSession("user", "bob")
	start := time.Now()
	// active within the timeout: same session, every request
	for i := 0; time.Since(start) < timeout/3; i++ {
		hs.do("/", cookie, func(w http.ResponseWriter, r *http.Request) {
			if Get(r).ID() != id {
				t.Fatalf("request %d: session ended early", i)
			}
		})
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(timeout - time.Since(start) + 20*time.Millisecond)
	hs.st.reset()
	var after string
	hs.do("/", cookie, func(w http.ResponseWriter, r *http.Request) {
		s := Get(r)
		after = s.ID()
		if _, ok := s.Get("user"); ok {
			t.Error("expired session's data still visible")
		}
	})
	if after == id {
		t.Fatal("session outlived AbsoluteTimeout")
	}
	if _, ok := hs.st.stored(t, id); ok {
		t.Fatal("expired session not destroyed")
	}
}

// TestBug_ClearDropsAbsoluteTimeout: Options.AbsoluteTimeout promises to end
// a session that long after it was created "however active it is". The
// creation time lives in the data key "__created", and Session.Clear (or
// Delete("__created")) removes it; a session without it is never ended
// (createdAt reports false), so a handler that clears the session (e.g. to
// log a user out while keeping the ID) makes it immortal. Expected: the
// session still ends after AbsoluteTimeout; actual: it lives on.
func TestBug_ClearDropsAbsoluteTimeout(t *testing.T) {
	const timeout = 200 * time.Millisecond
	hs := newHarness(t, Options{AbsoluteTimeout: timeout})
	id, cookie := hs.newSession("user", "bob")
	hs.do("/", cookie, func(w http.ResponseWriter, r *http.Request) {
		s := Get(r)
		s.Clear()
		mustSet(t, s, "cart", 1)
	})
	time.Sleep(timeout + 50*time.Millisecond)
	var after string
	hs.do("/", cookie, func(w http.ResponseWriter, r *http.Request) { after = Get(r).ID() })
	if after == id {
		t.Fatal("session survived AbsoluteTimeout after Clear removed its creation time")
	}
}

func TestTouchInterval(t *testing.T) {
	const interval = 300 * time.Millisecond
	hs := newHarness(t, Options{TouchInterval: interval, Cookie: CookieOptions{MaxAge: time.Hour}})
	_, cookie := hs.newSession("user", "bob")
	start := time.Now()
	hs.st.reset()
	hs.do("/", cookie, nil)
	if time.Since(start) < interval { // only meaningful inside the interval
		if n := hs.st.count("touch"); n != 0 {
			t.Fatalf("touched within the interval: %v", hs.st.ops())
		}
	}
	// a modification is still saved inside the interval
	hs.do("/", cookie, func(w http.ResponseWriter, r *http.Request) { mustSet(t, Get(r), "n", 1) })
	if hs.st.count("set") != 1 {
		t.Fatalf("ops %v", hs.st.ops())
	}
	time.Sleep(interval + 20*time.Millisecond)
	hs.st.reset()
	hs.do("/", cookie, nil)
	if got := hs.st.ops(); !slices.Equal(got, []string{"get", "touch"}) {
		t.Fatalf("after the interval: ops %v, want get, touch", got)
	}
	// and right after that touch it is skipped again
	start = time.Now()
	hs.st.reset()
	hs.do("/", cookie, nil)
	if time.Since(start) < interval && hs.st.count("touch") != 0 {
		t.Fatalf("touched again within the interval: %v", hs.st.ops())
	}
}

// ---------------------------------------------------------------------------
// 8. Errors
// ---------------------------------------------------------------------------

func TestStoreGetErrorDefaultHandler(t *testing.T) {
	hs := newHarness(t, Options{})
	_, cookie := hs.loaded(time.Hour, `"n":1`)
	hs.st.hook("get", func(context.Context, string) error { return errors.New("connection refused") })
	called := false
	rec := hs.do("/", cookie, func(w http.ResponseWriter, r *http.Request) { called = true })
	if called {
		t.Fatal("handler ran after a store Get error")
	}
	if rec.Code != 500 || rec.Body.String() != "Internal Server Error\n" {
		t.Fatalf("status %d body %q", rec.Code, rec.Body.String())
	}
	if strings.Contains(rec.Body.String(), "refused") {
		t.Fatal("store error leaked into the response")
	}
	if line := sessionSetCookie(rec); line != "" {
		t.Fatalf("Set-Cookie on error: %q", line)
	}
	if ops := hs.st.ops(); !slices.Equal(ops, []string{"get"}) {
		t.Fatalf("ops %v", ops)
	}
}

func TestStoreGetErrorCustomHandler(t *testing.T) {
	var got error
	hs := newHarness(t, Options{ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
		got = err
		w.WriteHeader(503)
	}})
	_, cookie := hs.loaded(time.Hour)
	boom := errors.New("boom")
	hs.st.hook("get", func(context.Context, string) error { return boom })
	rec := hs.do("/", cookie, nil)
	if rec.Code != 503 || !errors.Is(got, boom) || errors.Is(got, ErrHeadersSent) {
		t.Fatalf("code %d err %v", rec.Code, got)
	}
}

func TestStoreNotFoundErrorIsNewSession(t *testing.T) {
	hs := newHarness(t, Options{SaveUninitialized: true})
	id, cookie := hs.loaded(time.Hour, `"n":1`)
	hs.st.hook("get", func(context.Context, string) error { return fmt.Errorf("redis: %w", store.ErrNotFound) })
	var got string
	rec := hs.do("/", cookie, func(w http.ResponseWriter, r *http.Request) { got = Get(r).ID() })
	if rec.Code != 200 || got == "" || got == id {
		t.Fatalf("code %d id %q", rec.Code, got)
	}
	if sidOf(t, sessionSetCookie(rec)) != got {
		t.Fatal("new session cookie not sent")
	}
}

func TestCorruptRecordIsError(t *testing.T) {
	for name, doc := range map[string]string{
		"no-cookie":         `{"n":1}`,
		"cookie-not-object": `{"cookie":"x"}`,
		"not-json":          `{"cookie":`,
		"array":             `[1]`,
	} {
		t.Run(name, func(t *testing.T) {
			hs := newHarness(t, Options{})
			id := wire.NewID()
			hs.st.mem.Set(context.Background(), id, []byte(doc), time.Time{})
			called := false
			rec := hs.do("/", signedCookie("connect.sid", id, testSecret), func(w http.ResponseWriter, r *http.Request) { called = true })
			if called || rec.Code != 500 {
				t.Fatalf("called %v code %d", called, rec.Code)
			}
		})
	}
}

func TestLateErrors(t *testing.T) {
	for _, op := range []string{"set", "touch", "destroy"} {
		t.Run(op, func(t *testing.T) {
			var got []error
			var hs *harness
			hs = newHarness(t, Options{Unset: UnsetDestroy, ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
				got = append(got, err)
				w.WriteHeader(500) // too late: must not change the status
			}})
			_, cookie := hs.loaded(time.Hour, `"n":1`)
			boom := errors.New("store down")
			hs.st.hook(op, func(context.Context, string) error { return boom })
			rec := hs.do("/", cookie, func(w http.ResponseWriter, r *http.Request) {
				switch op {
				case "set":
					mustSet(t, Get(r), "n", 2)
				case "destroy":
					Get(r).Unset()
				}
				w.WriteHeader(201)
				io.WriteString(w, "created")
			})
			if rec.Code != 201 || rec.Body.String() != "created" {
				t.Fatalf("late error changed the response: %d %q", rec.Code, rec.Body.String())
			}
			if len(got) != 1 || !errors.Is(got[0], ErrHeadersSent) || !errors.Is(got[0], boom) {
				t.Fatalf("ErrorHandler got %v", got)
			}
		})
	}
}

func TestLateErrorDefaultHandlerWritesNothing(t *testing.T) {
	var logBuf bytes.Buffer
	hs := newHarness(t, Options{Logger: slog.New(slog.NewTextHandler(&logBuf, nil))})
	_, cookie := hs.loaded(time.Hour, `"n":1`)
	hs.st.hook("set", func(context.Context, string) error { return errors.New("store down") })
	for _, writes := range []bool{true, false} {
		rec := hs.do("/", cookie, func(w http.ResponseWriter, r *http.Request) {
			mustSet(t, Get(r), "n", 2)
			if writes {
				w.Header().Set("Content-Type", "text/plain")
				io.WriteString(w, "hello")
			}
		})
		want := ""
		if writes {
			want = "hello"
		}
		if rec.Code != 200 || rec.Body.String() != want {
			t.Fatalf("writes=%v: default handler changed the response: %d %q", writes, rec.Code, rec.Body.String())
		}
	}
	if !strings.Contains(logBuf.String(), "store down") || !strings.Contains(logBuf.String(), "level=ERROR") {
		t.Fatalf("late error not logged: %s", logBuf.String())
	}
}

// A cookie that cannot be serialised is a late error; the response goes on
// without it and the session is still saved (spec §1.3 "should forward
// errors setting cookie").
func TestCookieSerialiseErrorIsLate(t *testing.T) {
	var got []error
	hs := newHarness(t, Options{SaveUninitialized: true,
		CookieFunc: func(r *http.Request) CookieOptions { return CookieOptions{SameSite: "bogus"} },
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			got = append(got, err)
		}})
	rec := hs.do("/", "", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	if rec.Code != 200 || rec.Body.String() != "ok" || sessionSetCookie(rec) != "" {
		t.Fatalf("%d %q %q", rec.Code, rec.Body.String(), sessionSetCookie(rec))
	}
	if len(got) != 1 || !errors.Is(got[0], ErrHeadersSent) {
		t.Fatalf("errors %v", got)
	}
}

// ---------------------------------------------------------------------------
// 9. Logging
// ---------------------------------------------------------------------------

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestLogsNeverContainSecrets(t *testing.T) {
	const secret = "s3cr3t-signing-key"
	var buf syncBuffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	st := newRecStore(t)
	hs := newHarness(t, Options{Secrets: []string{secret}, Logger: logger, Store: st,
		Cookie: CookieOptions{MaxAge: time.Hour}, Unset: UnsetDestroy})
	sign := func(id string) string { return signedCookie("connect.sid", id, secret) }

	var ids, cookies []string
	note := func(rec *httptest.ResponseRecorder) {
		if line := sessionSetCookie(rec); line != "" {
			ids = append(ids, sidOfWith(t, line, secret))
			cookies = append(cookies, cookiePair(line))
		}
	}
	// create with secret-looking data
	rec := hs.do("/", "", func(w http.ResponseWriter, r *http.Request) {
		s := Get(r)
		ids = append(ids, s.ID())
		mustSet(t, s, "password", "hunter2")
		mustSet(t, s, "token", map[string]any{"apiKey": "AKIA-very-secret"})
	})
	note(rec)
	id := ids[0]
	cookie := sign(id)
	// load, read, modify, save, reload, regenerate, renew, destroy
	note(hs.do("/", cookie, func(w http.ResponseWriter, r *http.Request) {
		s := Get(r)
		s.Get("password")
		mustSet(t, s, "password", "hunter2!")
		s.Save(r.Context())
		s.Reload(r.Context())
		s.RenewID(r.Context())
		ids = append(ids, s.ID())
		s.Regenerate(r.Context())
		ids = append(ids, s.ID())
		mustSet(t, s, "password", "hunter2")
	}))
	newest := ids[len(ids)-1]
	note(hs.do("/", sign(newest), func(w http.ResponseWriter, r *http.Request) { Get(r).Destroy(r.Context()) }))
	// bad cookies, a store error, an unset
	hs.do("/", "connect.sid="+id, nil)
	hs.do("/", sign(id)+"x", nil)
	st.hook("get", func(context.Context, string) error { return errors.New("store unavailable") })
	hs.do("/", sign(id), nil)
	st.hook("get", nil)
	_, c2 := hs.loaded(time.Hour, `"password":"hunter2"`)
	hs.do("/", c2, func(w http.ResponseWriter, r *http.Request) { Get(r).Unset() })

	out := buf.String()
	if !strings.Contains(out, `"msg":"saving"`) || !strings.Contains(out, idHash(id)) {
		t.Fatalf("debug log does not have the expected lines (test would be vacuous):\n%s", out)
	}
	forbidden := []string{"hunter2", "AKIA-very-secret", secret, "apiKey", "password"}
	forbidden = append(forbidden, ids...)
	for _, c := range cookies {
		_, v, _ := strings.Cut(c, "=")
		dec, _ := url.PathUnescape(v)
		forbidden = append(forbidden, v, dec, dec[strings.LastIndexByte(dec, '.')+1:])
	}
	for _, f := range forbidden {
		if f != "" && strings.Contains(out, f) {
			t.Errorf("log contains %q:\n%s", f, out)
		}
	}
}

func TestDebugEnv(t *testing.T) {
	for v, want := range map[string]bool{
		"":                         false,
		"express-session":          true,
		"sessionkit":               true,
		"*":                        true,
		"express-session:*":        true,
		"sessionkit:*":             true,
		"express,express-session":  true,
		"http, sessionkit ":        true,
		"express":                  false,
		"express-sessionx":         false,
		"session":                  false,
		"connect:*,express:router": false,
	} {
		if got := debugEnv(v); got != want {
			t.Errorf("debugEnv(%q) = %v, want %v", v, got, want)
		}
	}
}

// DEBUG in the environment turns on debug lines (to stderr) when no Logger
// is given; an explicit Logger decides by its own level.
func TestDebugEnvEnablesDebugLines(t *testing.T) {
	capture := func(env string) string {
		t.Setenv("DEBUG", env)
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		orig := os.Stderr
		os.Stderr = w
		m, err := New(Options{Secrets: []string{testSecret}, SaveUninitialized: true})
		os.Stderr = orig
		if err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		m.Handler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})).ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		w.Close()
		b, _ := io.ReadAll(r)
		return string(b)
	}
	if out := capture("express-session"); !strings.Contains(out, "no SID sent") || !strings.Contains(out, "level=DEBUG") {
		t.Fatalf("DEBUG=express-session: %q", out)
	}
	if out := capture("other"); out != "" {
		t.Fatalf("DEBUG=other: %q", out)
	}
	// a Logger at Info level: no debug lines even with DEBUG set
	t.Setenv("DEBUG", "*")
	var buf bytes.Buffer
	m, _ := New(Options{Secrets: []string{testSecret}, Logger: slog.New(slog.NewTextHandler(&buf, nil))})
	m.Handler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	if buf.Len() != 0 {
		t.Fatalf("info logger got %q", buf.String())
	}
}

// ---------------------------------------------------------------------------
// 10. Concurrency (run with -race)
// ---------------------------------------------------------------------------

func TestConcurrentSessionUse(t *testing.T) {
	hs := newHarness(t, Options{Cookie: CookieOptions{MaxAge: time.Hour}})
	id, cookie := hs.newSession("shared", map[string]any{"k": 0.0})
	srv := httptest.NewServer(hs.m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := Get(r)
		var wg sync.WaitGroup
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 50 {
					key := fmt.Sprintf("%s-g%d", r.URL.Query().Get("p"), g)
					mustSet(t, s, key, i)
					if _, ok := GetAs[int](s, key); !ok {
						t.Errorf("GetAs %s", key)
					}
					s.Get("shared")
					s.Keys()
					s.Len()
					s.Cookie().MaxAge()
					s.Cookie().Expires()
					if _, err := s.MarshalJSON(); err != nil {
						t.Error(err)
					}
					if i == 25 && g == 0 {
						s.Touch()
					}
				}
			}()
		}
		wg.Wait()
		io.WriteString(w, s.ID())
	})))
	defer srv.Close()
	var wg sync.WaitGroup
	for p := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("GET", fmt.Sprintf("%s/?p=r%d", srv.URL, p), nil)
			req.Header.Set("Cookie", cookie)
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if string(b) != id {
				t.Errorf("request %d got session %q", p, b)
			}
		}()
	}
	wg.Wait()
	// Every request's goroutines wrote 8 keys each; the last writer wins per
	// request (no merging), but each request saved all of its own 8 keys.
	for p := range 4 {
		found := false
		for _, c := range hs.st.snapshot() {
			ok := c.Op == "set"
			for g := range 8 {
				ok = ok && strings.Contains(c.Data, fmt.Sprintf(`"r%d-g%d":49`, p, g))
			}
			found = found || ok
		}
		if !found {
			t.Errorf("no store.Set holds all of request r%d's keys", p)
		}
	}
}

// ---------------------------------------------------------------------------
// Further edges
// ---------------------------------------------------------------------------

// readyStore is a recording store that can report itself disconnected.
type readyStore struct {
	*recStore
	ready atomic.Bool
}

func (s *readyStore) Ready() bool { return s.ready.Load() }

func TestStoreNotReady(t *testing.T) {
	rs := &readyStore{recStore: newRecStore(t)}
	hs := newHarness(t, Options{Store: rs, SaveUninitialized: true})
	hs.st = rs.recStore
	id, cookie := hs.loaded(time.Hour, `"n":1`)
	var got *Session
	rec := hs.do("/", cookie, func(w http.ResponseWriter, r *http.Request) { got = Get(r) })
	if got != nil || sessionSetCookie(rec) != "" || len(hs.st.ops()) != 0 {
		t.Fatalf("disconnected store: session %v, cookie %q, ops %v", got, sessionSetCookie(rec), hs.st.ops())
	}
	rs.ready.Store(true)
	hs.do("/", cookie, func(w http.ResponseWriter, r *http.Request) { got = Get(r) })
	if got == nil || got.ID() != id {
		t.Fatal("reconnected store: no session")
	}
}

// TestBug_GenIDCallingGetDeadlocksOnRegenerate: Session.regenerate calls
// Options.GenID (and, for Regenerate, CookieFunc and RequestIsSecure through
// generate) while holding s.mu. A GenID that looks at the session — the
// workaround the spec (§7 item 6, express #865) records for "log out
// everywhere": prefix the ID with the user's ID — calls Get(r), which takes
// s.mu again and deadlocks the request forever. Expected: Regenerate and
// RenewID return, with the new ID prefixed; actual: the handler never
// returns (session.go, regenerate).
func TestBug_GenIDCallingGetDeadlocksOnRegenerate(t *testing.T) {
	for _, renew := range []bool{false, true} {
		t.Run(fmt.Sprintf("renew=%v", renew), func(t *testing.T) {
			hs := newHarness(t, Options{GenID: func(r *http.Request) string {
				prefix := "anon"
				if s := Get(r); s != nil {
					if uid, ok := GetAs[string](s, "uid"); ok {
						prefix = uid
					}
				}
				return prefix + "." + wire.NewID()
			}})
			_, cookie := hs.loaded(time.Hour, `"uid":"u42"`)
			done := make(chan string, 1)
			go func() {
				hs.do("/", cookie, func(w http.ResponseWriter, r *http.Request) {
					s := Get(r)
					if renew {
						s.RenewID(r.Context())
					} else {
						s.Regenerate(r.Context())
					}
					done <- s.ID()
				})
			}()
			select {
			case id := <-done:
				if !strings.HasPrefix(id, "u42.") {
					t.Errorf("new id %q does not carry the user prefix", id)
				}
			case <-time.After(2 * time.Second):
				t.Fatal("Regenerate/RenewID deadlocked: GenID called Get(r) while the session lock was held")
			}
		})
	}
}

// A value that can no longer be encoded (a channel put into a map after
// Set) is reported as a late error and nothing half-broken is saved.
func TestUnencodableValueIsLateError(t *testing.T) {
	var got []error
	hs := newHarness(t, Options{ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) { got = append(got, err) }})
	id, cookie := hs.loaded(time.Hour, `"n":1`)
	rec := hs.do("/", cookie, func(w http.ResponseWriter, r *http.Request) {
		m := map[string]any{}
		mustSet(t, Get(r), "m", m)
		m["c"] = make(chan int)
		io.WriteString(w, "ok")
	})
	if rec.Code != 200 || rec.Body.String() != "ok" {
		t.Fatalf("%d %q", rec.Code, rec.Body.String())
	}
	if len(got) == 0 || !errors.Is(got[0], ErrHeadersSent) || !strings.Contains(got[0].Error(), `"m"`) {
		t.Fatalf("errors %v", got)
	}
	if doc, _ := hs.st.stored(t, id); strings.Contains(doc, `"m"`) {
		t.Fatalf("stored %s", doc)
	}
	if hs.st.count("set") != 0 {
		t.Fatalf("ops %v", hs.st.ops())
	}
}

// TestBug_UnencodableValueReportedTwice: the same encoding failure is
// appended to lateErrs by writeHeaders (refresh at header time) and again by
// decide (refresh at the end), so ErrorHandler is called twice for one
// problem. Expected: once per distinct error (middleware.go, writeHeaders and
// decide).
func TestBug_UnencodableValueReportedTwice(t *testing.T) {
	var got []error
	hs := newHarness(t, Options{ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) { got = append(got, err) }})
	_, cookie := hs.loaded(time.Hour, `"n":1`)
	hs.do("/", cookie, func(w http.ResponseWriter, r *http.Request) {
		m := map[string]any{}
		mustSet(t, Get(r), "m", m)
		m["c"] = make(chan int)
	})
	if len(got) != 1 {
		t.Fatalf("ErrorHandler called %d times for one unencodable value: %v", len(got), got)
	}
}

// The creation stamp behind AbsoluteTimeout cannot be removed or forged by
// a handler, and a session stored without it (older than the setting, or
// made by Node) gets one, so its limit runs from that request (options.go).
func TestAbsoluteTimeoutStamp(t *testing.T) {
	const timeout = 300 * time.Millisecond
	hs := newHarness(t, Options{AbsoluteTimeout: timeout})
	id, cookie := hs.loaded(time.Hour, `"user":"bob"`) // no __created
	hs.st.reset()
	hs.do("/", cookie, func(w http.ResponseWriter, r *http.Request) {
		s := Get(r)
		if err := s.Set(createdKey, 0); !errors.Is(err, ErrReservedKey) {
			t.Errorf("Set(%q): %v, want ErrReservedKey", createdKey, err)
		}
		s.Delete(createdKey)
		s.Clear()
		if _, ok := s.Get(createdKey); !ok {
			t.Error("Delete/Clear removed the creation stamp")
		}
	})
	doc, _ := hs.st.stored(t, id)
	if !strings.Contains(doc, `"__created":`) || strings.Contains(doc, `"user"`) {
		t.Fatalf("stamped record %s", doc)
	}
	time.Sleep(timeout + 50*time.Millisecond)
	var after string
	hs.do("/", cookie, func(w http.ResponseWriter, r *http.Request) { after = Get(r).ID() })
	if after == id {
		t.Fatal("stamped legacy session outlived AbsoluteTimeout")
	}
	// Without AbsoluteTimeout the key is ordinary data.
	hs2 := newHarness(t, Options{})
	hs2.do("/", "", func(w http.ResponseWriter, r *http.Request) {
		if err := Get(r).Set(createdKey, 1); err != nil {
			t.Errorf("Set(%q) without AbsoluteTimeout: %v", createdKey, err)
		}
	})
}

// Regenerate, RenewID, Reload and Save racing with readers and writers in
// one handler: no data race (under -race), no deadlock, and the session ends
// up saved under its final ID with the original ID destroyed.
func TestConcurrentRegenerateAndWrites(t *testing.T) {
	hs := newHarness(t, Options{Cookie: CookieOptions{MaxAge: time.Hour}})
	first, cookie := hs.loaded(time.Hour, `"n":1`)
	var final string
	done := make(chan struct{})
	go func() {
		defer close(done)
		hs.do("/", cookie, func(w http.ResponseWriter, r *http.Request) {
			s := Get(r)
			var wg sync.WaitGroup
			for g := range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range 30 {
						mustSet(t, s, fmt.Sprintf("k%d", g), i)
						s.Get("n")
						s.Keys()
						s.ID()
						s.Cookie().SetMaxAge(time.Hour)
					}
				}()
			}
			wg.Add(3)
			go func() {
				defer wg.Done()
				for range 3 {
					s.RenewID(r.Context())
				}
			}()
			go func() {
				defer wg.Done()
				s.Regenerate(r.Context())
				s.Save(r.Context())
			}()
			go func() {
				defer wg.Done()
				s.Reload(r.Context()) // may fail: the ID may be gone already
			}()
			wg.Wait()
			final = s.ID()
		})
	}()
	waitFor(t, done, "the request (deadlock?)")
	if final == first {
		t.Fatal("ID unchanged")
	}
	// (A Save racing with a RenewID in another goroutine can re-store the
	// ID being superseded: Save writes outside the lock. Not asserted.)
	if _, ok := hs.st.stored(t, final); !ok {
		t.Fatalf("final ID %q not stored; ops %v", final, hs.st.ops())
	}
	if _, ok := hs.st.stored(t, first); ok {
		t.Fatal("original ID not destroyed")
	}
}
