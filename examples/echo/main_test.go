package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/sessionkit/session"
	"github.com/sessionkit/session/examples/internal/exampletest"
)

// TestSessionFlow: the cookie, the counter, login and logout, over real
// HTTP with a cookie jar (exampletest.CheckSessionFlow). Views answers in
// JSON, and an error as Echo renders an *echo.HTTPError.
func TestSessionFlow(t *testing.T) {
	h, err := newApp("test secret")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	want := exampletest.PlainText
	want.Views = func(n int) exampletest.Body { return exampletest.Is(fmt.Sprintf(`{"views":%d}`, n)) }
	want.LoggedOut = exampletest.Is(`{"message":"not logged in"}`)
	exampletest.CheckSessionFlow(t, srv.URL,
		exampletest.Paths{Views: "/", Login: "/login", Me: "/me", Logout: "/logout"},
		want)
}

// TestErrorAfterChange: a handler that changes the session and then
// returns an error. The middleware saves the session when the handler
// returns; Echo renders the error afterwards, through the same writer, so
// the response carries both the error and the session cookie, and the
// change is kept.
func TestErrorAfterChange(t *testing.T) {
	m, err := session.New(session.Options{Secrets: []string{"test secret"}})
	if err != nil {
		t.Fatal(err)
	}
	e := echo.New()
	e.Use(echo.WrapMiddleware(m.Handler))
	e.POST("/attempt", func(c echo.Context) error {
		s := session.Get(c.Request())
		n, _ := session.GetAs[int](s, "attempts")
		if err := s.Set("attempts", n+1); err != nil {
			return err
		}
		return echo.NewHTTPError(http.StatusTooManyRequests, "slow down")
	})
	e.GET("/attempts", func(c echo.Context) error {
		n, _ := session.GetAs[int](session.Get(c.Request()), "attempts")
		return c.JSON(http.StatusOK, n)
	})
	srv := httptest.NewServer(e)
	defer srv.Close()
	c := exampletest.NewClient(t, srv.URL)

	res, body := c.Do("POST", "/attempt", nil)
	if res.StatusCode != http.StatusTooManyRequests || body != `{"message":"slow down"}` {
		t.Fatalf("attempt: %d %q", res.StatusCode, body)
	}
	exampletest.SessionCookie(t, res)
	c.Do("POST", "/attempt", nil)
	if _, body := c.Do("GET", "/attempts", nil); body != "2" {
		t.Fatalf("attempts: %q", body)
	}
}
