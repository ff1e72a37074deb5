package sqlitestore_test

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sessionkit/session"
	"github.com/sessionkit/session/stores/sqlitestore"
)

// benchMiddleware returns the middleware on a store in a new file opened
// with o, and the cookie of a session primed with {"views": 1}.
func benchMiddleware(b *testing.B, o sqlitestore.Options) (*session.Manager, string) {
	b.Helper()
	s := openPath(b, filepath.Join(b.TempDir(), "sessions.db"), o)
	m, err := session.New(session.Options{
		Secrets: []string{"keyboard cat"},
		Store:   s,
		Cookie:  session.CookieOptions{MaxAge: time.Hour},
	})
	if err != nil {
		b.Fatal(err)
	}
	prime := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := session.Get(r).Set("views", 1); err != nil {
			b.Error(err)
		}
	}))
	rec := httptest.NewRecorder()
	prime.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	cookie, _, _ := strings.Cut(rec.Header().Get("Set-Cookie"), ";")
	if rec.Code != http.StatusOK || cookie == "" {
		b.Fatalf("priming request: status %d, Set-Cookie %q", rec.Code, rec.Header().Get("Set-Cookie"))
	}
	return m, cookie
}

// benchRequests sends the same request, carrying cookie, through h.
func benchRequests(b *testing.B, h http.Handler, cookie string) {
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Cookie", cookie)
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

var benchModes = []struct {
	name string
	o    sqlitestore.Options
}{
	{"WAL", sqlitestore.Options{}},                           // Open's default
	{"Rollback", sqlitestore.Options{JournalMode: "delete"}}, // connect-sqlite3's
}

// BenchmarkRead: a request that reads the session and does not modify it:
// one Get and, at the end, one Touch (express-session touches on every
// request).
func BenchmarkRead(b *testing.B) {
	for _, mode := range benchModes {
		b.Run(mode.name, func(b *testing.B) {
			m, cookie := benchMiddleware(b, mode.o)
			h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if n, ok := session.GetAs[int](session.Get(r), "views"); !ok || n < 1 {
					b.Errorf("views = %d, %v", n, ok)
				}
			}))
			benchRequests(b, h, cookie)
		})
	}
}

// BenchmarkWrite: a request that modifies the session: one Get and one Set.
func BenchmarkWrite(b *testing.B) {
	for _, mode := range benchModes {
		b.Run(mode.name, func(b *testing.B) {
			m, cookie := benchMiddleware(b, mode.o)
			h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				s := session.Get(r)
				n, _ := session.GetAs[int](s, "views")
				if err := s.Set("views", n+1); err != nil {
					b.Error(err)
				}
			}))
			benchRequests(b, h, cookie)
		})
	}
}
