package main

import (
	"net/http/httptest"
	"testing"

	"github.com/sessionkit/session/examples/internal/exampletest"
)

func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	h, err := newApp("test secret")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// TestSessionFlow: the cookie, the counter, login and logout, over real
// HTTP with a cookie jar (exampletest.CheckSessionFlow).
func TestSessionFlow(t *testing.T) {
	exampletest.CheckSessionFlow(t, newServer(t).URL,
		exampletest.Paths{Views: "/", Login: "/login", Me: "/me", Logout: "/logout"},
		exampletest.PlainText)
}

// TestRouteParams: route parameters reach the handler beside the session,
// and each visitor's counts are their own.
func TestRouteParams(t *testing.T) {
	srv := newServer(t)
	c := exampletest.NewClient(t, srv.URL)
	for _, want := range []string{"about: 1", "about: 2"} {
		if _, body := c.Do("GET", "/pages/about", nil); body != want {
			t.Fatalf("got %q, want %q", body, want)
		}
	}
	if _, body := c.Do("GET", "/pages/faq", nil); body != "faq: 1" {
		t.Fatalf("another page: %q", body)
	}
	if _, body := exampletest.NewClient(t, srv.URL).Do("GET", "/pages/about", nil); body != "about: 1" {
		t.Fatalf("another visitor: %q", body)
	}
}
