package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/sessionkit/session"
	"github.com/sessionkit/session/examples/internal/exampletest"
	"github.com/sessionkit/session/memstore"
)

// TestSessionFlow: the cookie, the counter, login and logout, over real
// HTTP with a cookie jar (exampletest.CheckSessionFlow). The page shows the
// views; login and logout are forms that redirect to it; Me answers in
// JSON, with the sockets opened.
func TestSessionFlow(t *testing.T) {
	srv := newServer(t, newWatchedStore())
	views := func(n int) string { return fmt.Sprintf(`<p id="views">views: %d</p>`, n) }
	exampletest.CheckSessionFlow(t, srv.URL,
		exampletest.Paths{Views: "/", Login: "/login", Me: "/me", Logout: "/logout"},
		exampletest.Answers{
			Views:           func(n int) exampletest.Body { return exampletest.Contains(views(n)) },
			Login:           exampletest.Contains("Logged in as <b>alice</b>"),
			LoginShowsViews: true,
			Me:              exampletest.Is(`{"sockets":0,"user":"alice"}`),
			Logout:          exampletest.Contains(views(1), `<form method="post" action="/login">`),
			LoggedOut:       exampletest.PlainText.LoggedOut,
		})
}

// TestChat: the socket knows the user from the session, read before the
// upgrade; a visitor without one, or another site, is refused before it.
func TestChat(t *testing.T) {
	st := newWatchedStore()
	srv := newServer(t, st)
	ctx := t.Context()

	// No session user: a plain 401, no upgrade.
	anon := exampletest.NewClient(t, srv.URL)
	if _, res, err := dial(t, anon, nil); err == nil || res == nil || res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("dial without logging in: %v %v", res, err)
	}

	// Establish the session on a normal page first.
	c := exampletest.NewClient(t, srv.URL)
	c.Do("POST", "/login", url.Values{"user": {"alice"}})
	id := sessionID(t, c.Cookie())

	// Another site's page cannot borrow the session.
	evil := http.Header{"Origin": {"https://evil.example"}}
	if _, res, err := dial(t, c, evil); err == nil || res == nil || res.StatusCode != http.StatusForbidden {
		t.Fatalf("dial from another origin: %v %v", res, err)
	}

	for i := 1; i <= 2; i++ {
		ws, _, err := dial(t, c, nil)
		if err != nil {
			t.Fatal(err)
		}
		expect(t, ws, "hello alice")
		for _, msg := range []string{"hi", "how are you?"} {
			if err := ws.Write(ctx, websocket.MessageText, []byte(msg)); err != nil {
				t.Fatal(err)
			}
			expect(t, ws, "alice: "+msg)
		}
		// The change made before the upgrade was saved before it: other
		// requests see it while the socket is open.
		if _, body := c.Do("GET", "/me", nil); body != fmt.Sprintf(`{"sockets":%d,"user":"alice"}`, i) {
			t.Fatalf("socket %d: %s", i, body)
		}
		if err := ws.Close(websocket.StatusNormalClosure, ""); err != nil {
			t.Fatal(err)
		}
		st.waitFor(t, "touch "+id) // the handler has returned
	}

	// Logging out while a socket is open: closing the socket afterwards
	// does not bring the session back.
	ws, _, err := dial(t, c, nil)
	if err != nil {
		t.Fatal(err)
	}
	expect(t, ws, "hello alice")
	old := c.Cookie()
	c.Do("POST", "/logout", nil)
	if err := ws.Close(websocket.StatusNormalClosure, ""); err != nil {
		t.Fatal(err)
	}
	st.waitFor(t, "touch "+id) // the handler has returned; the touch found nothing
	replay := exampletest.NewClient(t, srv.URL)
	replay.SetCookie(old)
	if res, body := replay.Do("GET", "/me", nil); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("after logout and close: %d %s", res.StatusCode, body)
	}
}

// TestUpgradeWithoutSave shows why the pattern is what it is, on the
// middleware alone: a handler that changes a NEW session and upgrades
// without saving. coder/websocket writes the 101 through the
// ResponseWriter, so the middleware decides the cookie there and it rides
// on the 101 — but the session reaches the store only when the handler
// returns, when the socket closes. Until then the cookie names a session
// no other request can find.
func TestUpgradeWithoutSave(t *testing.T) {
	st := newWatchedStore()
	m, err := session.New(session.Options{Secrets: []string{"test secret"}, Store: st})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/ws", func(w http.ResponseWriter, r *http.Request) {
		if err := session.Get(r).Set("greeting", "hi"); err != nil { // no Save
			t.Error(err)
		}
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			t.Error(err)
			return
		}
		defer c.CloseNow()
		_, _, _ = c.Read(r.Context()) // until the client closes
	})
	mux.HandleFunc("/greeting", func(w http.ResponseWriter, r *http.Request) {
		g, _ := session.GetAs[string](session.Get(r), "greeting")
		fmt.Fprint(w, g)
	})
	srv := httptest.NewServer(m.Handler(mux))
	defer srv.Close()
	c := exampletest.NewClient(t, srv.URL)

	ws, res, err := dial(t, c, nil)
	if err != nil {
		t.Fatal(err)
	}
	id := sessionID(t, exampletest.SessionCookie(t, res).Value) // the cookie came with the 101
	if _, body := c.Do("GET", "/greeting", nil); body != "" {
		t.Fatalf("while the socket is open: %q", body)
	}
	if err := ws.Close(websocket.StatusNormalClosure, ""); err != nil {
		t.Fatal(err)
	}
	st.waitFor(t, "set "+id) // the middleware saves when the handler returns
	if _, body := c.Do("GET", "/greeting", nil); body != "hi" {
		t.Fatalf("after the socket closed: %q", body)
	}
}

// expect reads one text message.
func expect(t *testing.T, ws *websocket.Conn, want string) {
	t.Helper()
	typ, msg, err := ws.Read(t.Context())
	if err != nil || typ != websocket.MessageText || string(msg) != want {
		t.Fatalf("got %v %q %v, want %q", typ, msg, err, want)
	}
}

// watchedStore is a memory store that reports each write, touch and
// destroy, so that a test can wait for the middleware's end of request.
type watchedStore struct {
	*memstore.Store
	events chan string
}

func newWatchedStore() *watchedStore {
	return &watchedStore{Store: memstore.New(memstore.Options{}), events: make(chan string, 256)}
}

func (s *watchedStore) Set(ctx context.Context, id string, data []byte, exp time.Time) error {
	err := s.Store.Set(ctx, id, data, exp)
	s.events <- "set " + id
	return err
}

func (s *watchedStore) Touch(ctx context.Context, id string, data []byte, exp time.Time) error {
	err := s.Store.Touch(ctx, id, data, exp)
	s.events <- "touch " + id
	return err
}

func (s *watchedStore) Destroy(ctx context.Context, id string) error {
	err := s.Store.Destroy(ctx, id)
	s.events <- "destroy " + id
	return err
}

// waitFor waits until the store reports event.
func (s *watchedStore) waitFor(t *testing.T, event string) {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case e := <-s.events:
			if e == event {
				return
			}
		case <-timeout:
			t.Fatalf("the store never saw %q", event)
		}
	}
}

func newServer(t *testing.T, st *watchedStore) *httptest.Server {
	t.Helper()
	h, err := newApp("test secret", st)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// sessionID is the session ID in a session cookie's value.
func sessionID(t *testing.T, value string) string {
	t.Helper()
	v, err := url.QueryUnescape(value)
	id, _, ok := strings.Cut(strings.TrimPrefix(v, "s:"), ".")
	if err != nil || !ok || !strings.HasPrefix(v, "s:") {
		t.Fatalf("not a session cookie: %q", value)
	}
	return id
}

// dial opens a WebSocket to /ws with c's cookies; it is closed when the
// test ends.
func dial(t *testing.T, c *exampletest.Client, h http.Header) (*websocket.Conn, *http.Response, error) {
	ws, res, err := websocket.Dial(t.Context(), c.URL("/ws"), &websocket.DialOptions{HTTPClient: c.HTTP, HTTPHeader: h})
	if err == nil {
		t.Cleanup(func() { ws.CloseNow() })
	}
	return ws, res, err
}
