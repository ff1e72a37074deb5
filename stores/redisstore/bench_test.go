package redisstore

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/sessionkit/session"
)

// benchMiddleware returns the middleware on a fresh store of the REDIS_URL
// server and the cookie of a session primed with views = 1.
func benchMiddleware(b *testing.B) (*session.Manager, string) {
	b.Helper()
	m, err := session.New(session.Options{
		Secrets: []string{"bench secret"},
		Store:   newTestStore(b, newTestClient(b), Options{}),
		Cookie:  session.CookieOptions{MaxAge: time.Hour},
	})
	if err != nil {
		b.Fatal(err)
	}
	prime := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		session.Get(r).Set("views", 1)
	}))
	rec := httptest.NewRecorder()
	prime.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	cookies := rec.Result().Cookies()
	if len(cookies) != 1 {
		b.Fatalf("priming request set %d cookies", len(cookies))
	}
	return m, cookies[0].Name + "=" + cookies[0].Value
}

// benchRequests serves requests carrying cookie through h. With
// cancelable set their context can be canceled, as a server's request
// contexts can, which makes the store race each call against it.
func benchRequests(b *testing.B, h http.Handler, cookie string, cancelable bool) {
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Cookie", cookie)
	if cancelable {
		ctx, cancel := context.WithCancel(req.Context())
		defer cancel()
		req = req.WithContext(ctx)
	}
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

var contexts = []struct {
	name       string
	cancelable bool
}{{"ctx=background", false}, {"ctx=cancelable", true}}

// BenchmarkRead: a request that reads "views" and modifies nothing: GET,
// then EXPIRE (express-session's touch).
func BenchmarkRead(b *testing.B) {
	for _, c := range contexts {
		b.Run(c.name, func(b *testing.B) {
			m, cookie := benchMiddleware(b)
			h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n, _ := session.GetAs[int](session.Get(r), "views")
				w.Write(strconv.AppendInt(nil, int64(n), 10))
			}))
			benchRequests(b, h, cookie, c.cancelable)
		})
	}
}

// BenchmarkWrite: a request that increments "views": GET, then SET … EX.
func BenchmarkWrite(b *testing.B) {
	for _, c := range contexts {
		b.Run(c.name, func(b *testing.B) {
			m, cookie := benchMiddleware(b)
			h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				s := session.Get(r)
				n, _ := session.GetAs[int](s, "views")
				if err := s.Set("views", n+1); err != nil {
					http.Error(w, err.Error(), http.StatusInternalServerError)
				}
			}))
			benchRequests(b, h, cookie, c.cancelable)
		})
	}
}
