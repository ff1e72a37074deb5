package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http/httptest"
	"net/url"
	"os"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/sessionkit/session/examples/internal/exampletest"
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode)
	gin.DefaultWriter, gin.DefaultErrorWriter = io.Discard, io.Discard // gin.Logger, gin.Recovery
	os.Exit(m.Run())
}

// TestSessionFlow: the cookie, the counter, login and logout, over real
// HTTP with a cookie jar (exampletest.CheckSessionFlow). Views answers in
// JSON.
func TestSessionFlow(t *testing.T) {
	h, err := newApp("test secret", exampletest.NoWait)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	want := exampletest.PlainText
	want.Views = func(n int) exampletest.Body { return exampletest.Is(fmt.Sprintf(`{"views":%d}`, n)) }
	exampletest.CheckSessionFlow(t, srv.URL,
		exampletest.Paths{Views: "/", Login: "/login", Me: "/me", Logout: "/logout"},
		want)
}

// TestEvents reads /events as it streams: each event arrives while the
// handler is still waiting to send the next one, so nothing between gin and
// the connection (the adapter, the session middleware) holds the body back.
// The session change the stream makes is saved before the stream ends.
func TestEvents(t *testing.T) {
	pace := exampletest.NewPacer()
	h, err := newApp("test secret", pace.Wait)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	c := exampletest.NewClient(t, srv.URL)
	c.Do("POST", "/login", url.Values{"user": {"alice"}})
	c.Do("GET", "/", nil)

	type tick struct {
		N       int    `json:"n"`
		User    string `json:"user"`
		Views   int    `json:"views"`
		Streams int    `json:"streams"`
	}
	for stream := 1; stream <= 2; stream++ {
		res := c.Open("/events")
		defer res.Body.Close() // on failure too: it ends the handler
		if ct, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type")); ct != "text/event-stream" {
			t.Fatalf("Content-Type %q", ct)
		}
		br := bufio.NewReader(res.Body)
		for i := 1; i <= 3; i++ {
			ev := exampletest.ReadEvent(t, br)
			var got tick
			if err := json.Unmarshal([]byte(ev.Data), &got); err != nil || ev.Name != "tick" {
				t.Fatalf("event %d: %+v: %v", i, ev, err)
			}
			if want := (tick{N: i, User: "alice", Views: 1, Streams: stream}); got != want {
				t.Fatalf("event %d: got %+v, want %+v", i, got, want)
			}
			if i < 3 {
				pace.Next(t, i) // the handler is still running, waiting to send event i+1
			}
		}
		if b, err := io.ReadAll(res.Body); err != nil || len(b) != 0 {
			t.Fatalf("after the last event: %q %v", b, err)
		}
	}
}
