// Package exampletest is what the examples' tests share: an HTTP client with
// a cookie jar, the session cookie, server-sent events, and CheckSessionFlow,
// the end-to-end session flow every example must pass. Each example keeps
// its own tests of what is particular to it.
package exampletest

import (
	"bufio"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"
)

// CookieName is the session cookie's name: the default, as the examples
// leave Options.Name unset.
const CookieName = "connect.sid"

// Client is an http.Client with its own cookie jar, as a browser is, for
// one server. Its methods end the test on a transport error.
type Client struct {
	t    testing.TB
	base *url.URL
	// HTTP is the client, with the jar. A test may change it, its
	// Transport for one (HTTP/2 over TLS: httptest.Server.Client's).
	HTTP *http.Client
}

// NewClient returns a client of the server at baseURL, with an empty jar.
func NewClient(t testing.TB, baseURL string) *Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(baseURL)
	if err != nil {
		t.Fatal(err)
	}
	return &Client{t: t, base: u, HTTP: &http.Client{Jar: jar, Timeout: time.Minute}}
}

// URL returns the URL of path on the client's server.
func (c *Client) URL(path string) string { return c.base.String() + path }

// Do sends a request (a form POST when form is not nil), following
// redirects, and returns the response and its body, trimmed of the white
// space around it.
func (c *Client) Do(method, path string, form url.Values) (*http.Response, string) {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.URL(path), body)
	if err != nil {
		c.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := c.HTTP.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return res, strings.TrimSpace(string(b))
}

// Open sends a GET and returns the response with its body unread, for a
// stream; the caller closes the body.
func (c *Client) Open(path string) *http.Response {
	c.t.Helper()
	res, err := c.HTTP.Get(c.URL(path))
	if err != nil {
		c.t.Fatal(err)
	}
	return res
}

// Cookie returns the value of the session cookie in the jar, "" if there
// is none.
func (c *Client) Cookie() string {
	for _, ck := range c.HTTP.Jar.Cookies(c.base) {
		if ck.Name == CookieName {
			return ck.Value
		}
	}
	return ""
}

// SetCookie puts a session cookie value in the jar: someone replaying a
// cookie they kept.
func (c *Client) SetCookie(value string) {
	c.HTTP.Jar.SetCookies(c.base, []*http.Cookie{{Name: CookieName, Value: value, Path: "/"}})
}

// SessionCookie returns the session cookie a response sets, and ends the
// test if it sets none.
func SessionCookie(t testing.TB, res *http.Response) *http.Cookie {
	t.Helper()
	for _, ck := range res.Cookies() {
		if ck.Name == CookieName {
			return ck
		}
	}
	t.Fatalf("no session cookie in %q", res.Header["Set-Cookie"])
	return nil
}

// Event is a server-sent event.
type Event struct{ ID, Name, Data string }

// ReadEvent reads the next server-sent event from a stream, and ends the
// test if the stream ends first. Data lines are joined with newlines.
func ReadEvent(t testing.TB, br *bufio.Reader) Event {
	t.Helper()
	var ev Event
	var data []string
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("reading an event: %q %v", line, err)
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			ev.Data = strings.Join(data, "\n")
			return ev
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "id":
			ev.ID = value
		case "event":
			ev.Name = value
		case "data":
			data = append(data, value)
		}
	}
}
