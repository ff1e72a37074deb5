package session

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sessionkit/session/memstore"
)

// failingStore is a memstore whose Get or Destroy can be made to fail.
type failingStore struct {
	*memstore.Store
	failGet, failDestroy bool
}

var errDown = errors.New("store is down")

func (f *failingStore) Get(ctx context.Context, id string) ([]byte, bool, error) {
	if f.failGet {
		return nil, false, errDown
	}
	return f.Store.Get(ctx, id)
}

func (f *failingStore) Destroy(ctx context.Context, id string) error {
	if f.failDestroy {
		return errDown
	}
	return f.Store.Destroy(ctx, id)
}

func TestStoreErrorsNameTheOperation(t *testing.T) {
	st := &failingStore{Store: memstore.New(memstore.Options{})}
	var handled []error
	m, err := New(Options{
		Secrets: []string{"s"}, Store: st, DestroyClearsCookie: true,
		Cookie: CookieOptions{MaxAge: time.Hour},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			handled = append(handled, err)
			w.WriteHeader(http.StatusServiceUnavailable)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	var destroyErr error
	h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := Get(r)
		if r.URL.Path == "/logout" {
			destroyErr = s.Destroy(r.Context())
			return
		}
		s.Set("user", "bob")
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/login", nil))
	cookie := rec.Header().Get("Set-Cookie")
	cookie = cookie[:strings.IndexByte(cookie, ';')]

	// A failed Destroy: the record lives on, so the cookie is not cleared.
	st.failDestroy = true
	req := httptest.NewRequest("GET", "/logout", nil)
	req.Header.Set("Cookie", cookie)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var se *StoreError
	if !errors.As(destroyErr, &se) || se.Op != "destroy" || !errors.Is(destroyErr, errDown) {
		t.Errorf("Destroy error = %v, want a StoreError for destroy wrapping the cause", destroyErr)
	}
	if sc := rec.Header().Get("Set-Cookie"); sc != "" {
		t.Errorf("a failed Destroy still sent %q", sc)
	}

	// A failed Get reaches ErrorHandler as a StoreError for get.
	st.failGet = true
	req = httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Cookie", cookie)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable || len(handled) != 1 || !errors.As(handled[0], &se) || se.Op != "get" {
		t.Errorf("status %d, handled %v: want 503 and one StoreError for get", rec.Code, handled)
	}
}
