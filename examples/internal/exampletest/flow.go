package exampletest

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Paths are the routes of an example that CheckSessionFlow drives.
type Paths struct {
	Views  string // GET: counts the session's views
	Login  string // POST user=alice: Session.Regenerate, then the user into the session
	Me     string // GET: the session's user; 401 without one
	Logout string // POST: Session.Destroy
}

// Answers are what an example's routes answer in CheckSessionFlow, with
// status 200 unless said otherwise (after following redirects, as a
// browser does).
type Answers struct {
	Views     func(n int) Body // Views, the session's nth view
	Login     Body             // Login
	Me        Body             // Me, logged in as alice
	Logout    Body             // Logout
	LoggedOut Body             // Me without a user: status 401

	// LoginShowsViews says that Login redirects to Views (a form's
	// POST/redirect/GET): its answer is then also the new session's first
	// view, checked against Views(1).
	LoginShowsViews bool
}

// PlainText are the answers of an example that answers in plain text, with
// http.Error for errors.
var PlainText = Answers{
	Views:     func(n int) Body { return Is(fmt.Sprintf("views: %d", n)) },
	Login:     Is("welcome alice"),
	Me:        Is("alice"),
	Logout:    Is("bye"),
	LoggedOut: Is("not logged in"),
}

// CheckSessionFlow drives the example served at baseURL over real HTTP with
// a cookie jar, as a browser would, and checks the session at each step:
//
//   - the first response sets the session cookie, HttpOnly, and counts
//     view 1; the count goes on to 2 and 3 in the same session;
//   - logging in regenerates the session: the cookie carries a new ID, the
//     user is in the session and the old data is gone (views start over);
//   - logging out ends the session: Me answers 401;
//   - so does it for someone who kept the logged-in cookie and replays it,
//     who gets a fresh session (views start over, a new ID), never the old
//     one back.
func CheckSessionFlow(t testing.TB, baseURL string, paths Paths, want Answers) {
	t.Helper()
	c := NewClient(t, baseURL)

	// The first response sets the session cookie, HttpOnly.
	res, body := c.Do("GET", paths.Views, nil)
	if ck := SessionCookie(t, res); !ck.HttpOnly {
		t.Errorf("session cookie is not HttpOnly: %+v", ck)
	}
	expect(t, "first visit", res, body, http.StatusOK, want.Views(1))
	// The counter survives requests.
	for n := 2; n <= 3; n++ {
		res, body := c.Do("GET", paths.Views, nil)
		expect(t, fmt.Sprintf("view %d", n), res, body, http.StatusOK, want.Views(n))
	}

	// Logging in regenerates the session: a new ID, and the old data gone.
	before := c.Cookie()
	res, body = c.Do("POST", paths.Login, url.Values{"user": {"alice"}})
	expect(t, "login", res, body, http.StatusOK, want.Login)
	if want.LoginShowsViews {
		expect(t, "views after login", res, body, http.StatusOK, want.Views(1))
	}
	loggedIn := c.Cookie()
	if loggedIn == "" || loggedIn == before {
		t.Fatalf("login kept the session ID: %q", loggedIn)
	}
	res, body = c.Do("GET", paths.Me, nil)
	expect(t, "me after login", res, body, http.StatusOK, want.Me)
	if !want.LoginShowsViews {
		res, body = c.Do("GET", paths.Views, nil)
		expect(t, "views after login", res, body, http.StatusOK, want.Views(1))
	}

	// Logging out ends the session...
	res, body = c.Do("POST", paths.Logout, nil)
	expect(t, "logout", res, body, http.StatusOK, want.Logout)
	res, body = c.Do("GET", paths.Me, nil)
	expect(t, "me after logout", res, body, http.StatusUnauthorized, want.LoggedOut)
	// ...even for someone who kept the old cookie: it gets a fresh session.
	replay := NewClient(t, baseURL)
	replay.SetCookie(loggedIn)
	res, body = replay.Do("GET", paths.Me, nil)
	expect(t, "old cookie after logout: me", res, body, http.StatusUnauthorized, want.LoggedOut)
	res, body = replay.Do("GET", paths.Views, nil)
	expect(t, "old cookie after logout: views", res, body, http.StatusOK, want.Views(1))
	if got := replay.Cookie(); got == loggedIn {
		t.Fatal("the logged-out session ID was reused")
	}
}

// expect ends the test unless the response has the status and body.
func expect(t testing.TB, what string, res *http.Response, body string, status int, want Body) {
	t.Helper()
	if res.StatusCode != status || !want.Match(body) {
		t.Fatalf("%s: got %d %q, want %d %v", what, res.StatusCode, body, status, want)
	}
}

// A Body is what a response body, trimmed of the white space around it,
// must be: exactly a string (Is), or one containing strings (Contains).
// The zero Body accepts any body.
type Body struct {
	exact    bool
	is       string
	contains []string
}

// Is is a body that is exactly s.
func Is(s string) Body { return Body{exact: true, is: s} }

// Contains is a body that contains each of parts.
func Contains(parts ...string) Body { return Body{contains: parts} }

// Match reports whether body is what b says.
func (b Body) Match(body string) bool {
	if b.exact && body != b.is {
		return false
	}
	for _, p := range b.contains {
		if !strings.Contains(body, p) {
			return false
		}
	}
	return true
}

func (b Body) String() string {
	switch {
	case b.exact:
		return fmt.Sprintf("%q", b.is)
	case len(b.contains) > 0:
		return fmt.Sprintf("a body containing %q", b.contains)
	default:
		return "any body"
	}
}
