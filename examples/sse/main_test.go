package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/sessionkit/session/examples/internal/exampletest"
)

// TestSessionFlow: the cookie, the counter, login and logout, over real
// HTTP with a cookie jar (exampletest.CheckSessionFlow). Me answers in
// JSON, with the streams opened.
func TestSessionFlow(t *testing.T) {
	h, err := newApp("test secret", exampletest.NoWait)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	want := exampletest.PlainText
	want.Me = exampletest.Is(`{"streams":0,"user":"alice"}`)
	exampletest.CheckSessionFlow(t, srv.URL,
		exampletest.Paths{Views: "/", Login: "/login", Me: "/me", Logout: "/logout"},
		want)
}

// TestEvents reads /events as it streams. Each event arrives while the
// handler is still waiting to send the next one: the session middleware
// does not hold the body back. The stream's session change is visible to
// other requests while it runs, and a client that leaves ends the handler.
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
		if ct, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type")); ct != "text/event-stream" || res.ContentLength != -1 {
			t.Fatalf("Content-Type %q, length %d", ct, res.ContentLength)
		}
		br := bufio.NewReader(res.Body)
		for i := 1; i <= 5; i++ {
			ev := exampletest.ReadEvent(t, br)
			var got tick
			if err := json.Unmarshal([]byte(ev.Data), &got); err != nil || ev.Name != "tick" || ev.ID != fmt.Sprint(i) {
				t.Fatalf("event %d: %+v: %v", i, ev, err)
			}
			if want := (tick{N: i, User: "alice", Views: 1, Streams: stream}); got != want {
				t.Fatalf("event %d: got %+v, want %+v", i, got, want)
			}
			if i == 1 {
				// The stream saved its change before it began: while the
				// handler waits, another request sees it.
				if _, body := c.Do("GET", "/me", nil); body != fmt.Sprintf(`{"streams":%d,"user":"alice"}`, stream) {
					t.Fatalf("during stream %d: %s", stream, body)
				}
			}
			if i < 5 {
				pace.Next(t, i) // the handler is still running, waiting to send event i+1
			}
		}
		if ev := exampletest.ReadEvent(t, br); ev.Name != "bye" {
			t.Fatalf("last event: %+v", ev)
		}
		if b, err := io.ReadAll(res.Body); err != nil || len(b) != 0 {
			t.Fatalf("after the last event: %q %v", b, err)
		}
	}

	// A client that leaves mid-stream ends the handler.
	res := c.Open("/events")
	exampletest.ReadEvent(t, bufio.NewReader(res.Body))
	res.Body.Close()
	pace.Gone(t)
}
