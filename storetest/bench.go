package storetest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/sessionkit/session"
	"github.com/sessionkit/session/store"
)

// Benchmark measures a store through the whole session middleware, in
// process: sub-benchmark Read is a request that reads the session (a get,
// then the touch express-session makes at the end of every request that does
// not save), Write one that changes it (a get and a set). newStore returns
// an empty store and is called once per sub-benchmark. The requests' context
// can be canceled, as a server's is.
//
//	func BenchmarkMiddleware(b *testing.B) {
//		storetest.Benchmark(b, func(b *testing.B) store.Store { return newTestStore(b) })
//	}
func Benchmark(b *testing.B, newStore func(b *testing.B) store.Store) {
	b.Run("Read", func(b *testing.B) {
		serve(b, newStore(b), func(w http.ResponseWriter, r *http.Request) {
			n, ok := session.GetAs[int](session.Get(r), "views")
			if !ok {
				http.Error(w, "no views", http.StatusInternalServerError)
				return
			}
			w.Write(strconv.AppendInt(nil, int64(n), 10))
		})
	})
	b.Run("Write", func(b *testing.B) {
		serve(b, newStore(b), func(w http.ResponseWriter, r *http.Request) {
			s := session.Get(r)
			n, _ := session.GetAs[int](s, "views")
			if err := s.Set("views", n+1); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
			}
		})
	})
}

// serve primes a session holding views = 1 through the middleware, then
// times requests carrying its cookie through h.
func serve(b *testing.B, st store.Store, h http.HandlerFunc) {
	b.Helper()
	m, err := session.New(session.Options{
		Secrets: []string{"benchmark secret"},
		Store:   st,
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
	if rec.Code != http.StatusOK || len(cookies) != 1 {
		b.Fatalf("priming request: status %d, %d cookies", rec.Code, len(cookies))
	}
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.AddCookie(cookies[0])
	ctx, cancel := context.WithCancel(req.Context())
	defer cancel()
	req = req.WithContext(ctx)
	handler := m.Handler(h)
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}
