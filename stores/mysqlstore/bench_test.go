package mysqlstore

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sessionkit/session"
)

// Benchmarks of whole requests through the middleware on this store: a
// read (get and touch: two statements) and a write (get and set).

func readViews(w http.ResponseWriter, r *http.Request) {
	v, _ := session.GetAs[int](session.Get(r), "views")
	if v == 0 {
		http.Error(w, "no views", http.StatusInternalServerError)
	}
}

func incrViews(w http.ResponseWriter, r *http.Request) {
	s := session.Get(r)
	v, _ := session.GetAs[int](s, "views")
	if err := s.Set("views", v+1); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// benchSetup returns a middleware on a fresh table and the cookie of a
// session primed through it.
func benchSetup(b *testing.B) *session.Manager {
	b.Helper()
	s := newTestStore(b, testDB(b), Options{})
	m, err := session.New(session.Options{
		Secrets: []string{"keyboard cat"},
		Store:   s,
		Cookie:  session.CookieOptions{MaxAge: time.Hour},
	})
	if err != nil {
		b.Fatal(err)
	}
	return m
}

func prime(b *testing.B, m *session.Manager) string {
	b.Helper()
	rec := httptest.NewRecorder()
	m.Handler(http.HandlerFunc(incrViews)).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	c := rec.Header().Get("Set-Cookie")
	if rec.Code != http.StatusOK || c == "" {
		b.Fatalf("priming: status %d, Set-Cookie %q: %s", rec.Code, c, rec.Body)
	}
	name, _, _ := strings.Cut(c, ";")
	return name
}

func benchRequests(b *testing.B, h http.HandlerFunc) {
	m := benchSetup(b)
	cookie := prime(b, m)
	handler := m.Handler(h)
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Cookie", cookie)
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

func BenchmarkRead(b *testing.B)  { benchRequests(b, readViews) }
func BenchmarkWrite(b *testing.B) { benchRequests(b, incrViews) }
