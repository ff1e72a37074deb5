package filestore_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/sessionkit/session"
	"github.com/sessionkit/session/stores/filestore"
)

// benchHandler returns the middleware over a store in a fresh directory,
// serving h, and the cookie of a session primed with views = 1.
func benchHandler(b *testing.B, o filestore.Options, h http.HandlerFunc) (http.Handler, string) {
	b.Helper()
	m, err := session.New(session.Options{
		Secrets: []string{"keyboard cat"},
		Store:   newStore(b, o),
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
	if len(cookies) != 1 {
		b.Fatalf("priming request set %d cookies", len(cookies))
	}
	return m.Handler(h), cookies[0].Name + "=" + cookies[0].Value
}

func readViews(w http.ResponseWriter, r *http.Request) {
	views, _ := session.GetAs[int](session.Get(r), "views")
	_ = views
}

func incrementViews(w http.ResponseWriter, r *http.Request) {
	s := session.Get(r)
	views, _ := session.GetAs[int](s, "views")
	s.Set("views", views+1)
}

var benchConfigs = []struct {
	name string
	o    filestore.Options
}{
	{"Fsync", filestore.Options{}},
	{"NoFsync", filestore.Options{NoFsync: true}},
	{"EncryptedNoFsync", filestore.Options{NoFsync: true, Secret: "keyboard cat"}},
}

// BenchmarkRead is a request that reads the session: a Get at the start,
// and at the end the Touch express-session makes on every unmodified
// request, which for this store rewrites the file.
func BenchmarkRead(b *testing.B) {
	for _, c := range benchConfigs {
		b.Run(c.name, func(b *testing.B) { benchRequests(b, c.o, readViews) })
	}
}

// BenchmarkWrite is a request that changes the session: a Get and a Set.
func BenchmarkWrite(b *testing.B) {
	for _, c := range benchConfigs {
		b.Run(c.name, func(b *testing.B) { benchRequests(b, c.o, incrementViews) })
	}
}

func benchRequests(b *testing.B, o filestore.Options, h http.HandlerFunc) {
	handler, cookie := benchHandler(b, o, h)
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Cookie", cookie)
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}
