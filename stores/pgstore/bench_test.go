package pgstore

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/sessionkit/session"
)

// benchMiddleware returns the session middleware on a store on a fresh
// table, and the cookie of a session primed with views = 1.
func benchMiddleware(b *testing.B, h http.HandlerFunc) (http.Handler, string) {
	b.Helper()
	s := newStore(b, testPool(b, ""), Options{})
	m, err := session.New(session.Options{
		Secrets: []string{"keyboard cat"},
		Store:   s,
		Cookie:  session.CookieOptions{MaxAge: time.Hour},
	})
	if err != nil {
		b.Fatal(err)
	}
	prime := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		session.Get(r).Set("views", 1)
	}))
	rec := httptest.NewRecorder()
	prime.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	cookies := rec.Result().Cookies()
	if rec.Code != http.StatusOK || len(cookies) == 0 {
		b.Fatalf("priming: status %d, %d cookies", rec.Code, len(cookies))
	}
	return m.Handler(h), cookies[0].Name + "=" + cookies[0].Value
}

func benchRequests(b *testing.B, h http.HandlerFunc) {
	handler, cookie := benchMiddleware(b, h)
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

// BenchmarkRead is a request that reads the session: a get, and the touch
// express-session makes at the end of every request that does not save.
func BenchmarkRead(b *testing.B) {
	benchRequests(b, func(w http.ResponseWriter, r *http.Request) {
		if _, ok := session.GetAs[int](session.Get(r), "views"); !ok {
			http.Error(w, "no views", http.StatusInternalServerError)
		}
	})
}

// BenchmarkWrite is a request that changes the session: a get and a set.
func BenchmarkWrite(b *testing.B) {
	benchRequests(b, func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		n, _ := session.GetAs[int](s, "views")
		if err := s.Set("views", n+1); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
}
