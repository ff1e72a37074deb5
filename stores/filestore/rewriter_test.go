package filestore_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/sessionkit/session"
	"github.com/sessionkit/session/stores/filestore"
)

// countingStore counts the calls the middleware makes.
type countingStore struct {
	*filestore.Store
	mu            sync.Mutex
	sets, touches int
}

func (c *countingStore) Set(ctx context.Context, id string, data []byte, exp time.Time) error {
	c.mu.Lock()
	c.sets++
	c.mu.Unlock()
	return c.Store.Set(ctx, id, data, exp)
}

func (c *countingStore) SetRecord(ctx context.Context, id string, data []byte, exp time.Time) ([]byte, error) {
	c.mu.Lock()
	c.sets++
	c.mu.Unlock()
	return c.Store.SetRecord(ctx, id, data, exp)
}

func (c *countingStore) Touch(ctx context.Context, id string, data []byte, exp time.Time) error {
	c.mu.Lock()
	c.touches++
	c.mu.Unlock()
	return c.Store.Touch(ctx, id, data, exp)
}

func (c *countingStore) calls() (sets, touches int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	sets, touches, c.sets, c.touches = c.sets, c.touches, 0, 0
	return sets, touches
}

// TestSaveStampsLiveSession: session-file-store's set assigns __lastAccess
// on req.session, so after an explicit save() the handler sees the new
// value, and express-session saves the session again at the end of the
// request (it no longer matches what was saved) instead of touching it.
// SetRecord (store.Rewriter) hands the stamp back to the middleware.
func TestSaveStampsLiveSession(t *testing.T) {
	cs := &countingStore{Store: newStore(t, filestore.Options{})}
	m, err := session.New(session.Options{Secrets: []string{"s"}, Store: cs, Cookie: session.CookieOptions{MaxAge: time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	var seen int64
	h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		if r.URL.Path == "/set" {
			s.Set("x", 1)
			return
		}
		if err := s.Save(r.Context()); err != nil {
			t.Error(err)
		}
		seen, _ = session.GetAs[int64](s, "__lastAccess")
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/set", nil))
	cookie := rec.Result().Cookies()[0]
	id := sessionIDOf(t, cs.Store)
	cs.calls()

	time.Sleep(5 * time.Millisecond) // so that the save's __lastAccess is a new one
	before := time.Now().UnixMilli()
	req := httptest.NewRequest("GET", "/save", nil)
	req.AddCookie(cookie)
	h.ServeHTTP(httptest.NewRecorder(), req)
	if sets, touches := cs.calls(); sets != 2 || touches != 0 {
		t.Errorf("a request that calls Save made %d sets and %d touches, want 2 and 0 (as express-session with session-file-store)", sets, touches)
	}
	if seen < before {
		t.Errorf("__lastAccess seen by the handler after Save = %d, want the save's (>= %d)", seen, before)
	}
	if got := lastAccessOf(t, readFile(t, cs.Store, id)); got < seen {
		t.Errorf("__lastAccess in the file = %d, want at least %d", got, seen)
	}
}

// sessionIDOf returns the ID of the only session in s.
func sessionIDOf(t *testing.T, s *filestore.Store) string {
	t.Helper()
	all, err := s.All(bg)
	if err != nil || len(all) != 1 {
		t.Fatalf("All = %d sessions, %v; want 1", len(all), err)
	}
	for id := range all {
		return id
	}
	return ""
}
