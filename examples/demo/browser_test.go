package main

// Browser tests: Debian's Chromium, driven over the DevTools protocol with
// chromedp, against the demo. What they check is read from the browser
// itself: its cookie jar (Network.getCookies), what page scripts see
// (document.cookie), and the pages it renders.

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

const (
	defaultChromium = "/usr/bin/chromium"
	browserLifetime = 90 * time.Second // bounds everything one browser does
	stepTimeout     = 20 * time.Second // bounds each step
)

// chromiumPath returns Debian's Chromium, or skips the test without it
// (fails under CI=true, where a missing browser must not pass silently).
func chromiumPath(t *testing.T) string {
	t.Helper()
	path := defaultChromium
	if p := os.Getenv("CHROMIUM"); p != "" {
		path = p
	}
	if _, err := exec.LookPath(path); err != nil {
		msg := "Chromium is not installed (" + path + "): install it with `apt-get install chromium` to run the browser tests"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return path
}

// browser is one Chromium with a fresh profile, so a fresh cookie jar.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string // the demo's URL
}

func newBrowser(t *testing.T, base string) *browser {
	t.Helper()
	path := chromiumPath(t)
	// The browser lives at most browserLifetime: a hung Chromium cannot
	// hang the test binary. (chromedp: no timeout on the first Run's own
	// context, it would stop the browser; the parent's deadline is fine.)
	root, cancelRoot := context.WithTimeout(context.Background(), browserLifetime)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(root,
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.WindowSize(1200, 800),
		chromedp.UserDataDir(t.TempDir()),
	)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	b := &browser{t: t, ctx: ctx, base: base}
	t.Cleanup(func() {
		if t.Failed() {
			b.screenshot("FAILED-" + strings.ReplaceAll(t.Name(), "/", "-"))
		}
		closeCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		chromedp.Cancel(closeCtx) // close Chromium gracefully
		cancel()
		cancelCtx()
		cancelAlloc()
		cancelRoot()
	})
	if err := chromedp.Do(ctx); err != nil { // starts Chromium
		t.Fatalf("starting Chromium: %v", err)
	}
	return b
}

// step returns a context for one step of the test.
func (b *browser) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, stepTimeout)
}

// do runs actions that return nothing.
func (b *browser) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatal(err)
	}
}

// run runs one action and returns its value.
func runIn[T any](b *browser, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatal(err)
	}
	return v
}

// open loads path and returns the status of the document's response (the
// last one, after redirects).
func (b *browser) open(path string) int64 {
	b.t.Helper()
	resp := runIn(b, chromedp.NavigateResponse(b.base+path))
	return resp.Status
}

// click clicks the element and waits for the page it leads to.
func (b *browser) click(sel string) int64 {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("click %s: %v", sel, err)
	}
	return resp.Status
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	return strings.TrimSpace(runIn(b, chromedp.Text(chromedp.CSS(sel))))
}

// location returns the path and query of the page shown.
func (b *browser) location() string {
	b.t.Helper()
	u, err := url.Parse(runIn(b, chromedp.Location()))
	if err != nil {
		b.t.Fatal(err)
	}
	return u.RequestURI()
}

// cookies returns the browser's cookies for the demo, from its cookie jar.
func (b *browser) cookies() []*network.Cookie {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{b.base}})
	if err != nil {
		b.t.Fatal(err)
	}
	return res.Cookies
}

// sessionCookie returns the session cookie from the browser's jar, or nil.
func (b *browser) sessionCookie() *network.Cookie {
	b.t.Helper()
	for _, c := range b.cookies() {
		if c.Name == "connect.sid" {
			return c
		}
	}
	return nil
}

func (b *browser) mustSessionCookie() *network.Cookie {
	b.t.Helper()
	c := b.sessionCookie()
	if c == nil {
		b.t.Fatal("the browser has no session cookie")
	}
	return c
}

// login fills in and sends the sign-in form.
func (b *browser) login(username, password string, remember bool) int64 {
	b.t.Helper()
	if status := b.open("/login"); status != http.StatusOK {
		b.t.Fatalf("GET /login: %d", status)
	}
	b.do(
		chromedp.SendKeys(chromedp.ID("username"), username),
		chromedp.SendKeys(chromedp.ID("password"), password),
	)
	if remember {
		b.do(chromedp.Click(chromedp.ID("remember")))
	}
	return b.click("#login-submit")
}

// screenshot saves a full-page PNG into SCREENSHOT_DIR (default
// ./screenshots, beside this file).
func (b *browser) screenshot(name string) {
	b.t.Helper()
	dir := os.Getenv("SCREENSHOT_DIR")
	if dir == "" {
		dir = "screenshots"
	}
	ctx, cancel := b.step()
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Errorf("screenshot %s: %v", name, err)
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot: %s", path)
}

func wantEqual[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Fatalf("%s: got %v, want %v", what, got, want)
	}
}

func TestBrowserCounterSurvivesReloadsAndCookieIsHttpOnly(t *testing.T) {
	ts := newTestServer(t, nil)
	b := newBrowser(t, ts.URL)

	wantEqual(t, "GET / status", b.open("/"), 200)
	wantEqual(t, "views after the first load", b.text("#total-views"), "1")
	first := b.mustSessionCookie()
	wantEqual(t, "HttpOnly", first.HTTPOnly, true)
	wantEqual(t, "session (no expiry)", first.Session, true)
	wantEqual(t, "SameSite", first.SameSite, network.CookieSameSiteLax)
	wantEqual(t, "Secure (plain HTTP, Secure Auto)", first.Secure, false)
	wantEqual(t, "Path", first.Path, "/")

	for want := 2; want <= 3; want++ {
		b.do(chromedp.Reload())
		wantEqual(t, "views after a reload", b.text("#total-views"), strconv.Itoa(want))
		wantEqual(t, "session ID after a reload", sessionID(t, b.mustSessionCookie().Value), sessionID(t, first.Value))
	}
	b.open("/a")
	wantEqual(t, "total on /a", b.text("#total-views"), "4")
	wantEqual(t, "views of /a", b.text(`[data-path="/a"]`), "1")
	wantEqual(t, "views of / seen from /a", b.text(`[data-path="/"]`), "3")
	b.open("/b")
	b.open("/")
	wantEqual(t, "total back on /", b.text("#total-views"), "6")
	wantEqual(t, "views of /", b.text(`[data-path="/"]`), "4")
	wantEqual(t, "views of /b", b.text(`[data-path="/b"]`), "1")

	// Page scripts cannot see the session cookie. A cookie set by the
	// script itself shows that document.cookie works.
	seen := runIn(b, chromedp.Evaluate[string](`document.cookie = "probe=1; path=/"; document.cookie`))
	if !strings.Contains(seen, "probe=1") {
		t.Fatalf("document.cookie does not work: %q", seen)
	}
	if strings.Contains(seen, "connect.sid") {
		t.Fatalf("the session cookie is visible to scripts: %q", seen)
	}
	b.screenshot("home")
}

func TestBrowserLoginRenewsIDAndLogoutEndsSession(t *testing.T) {
	ts := newTestServer(t, nil)
	b := newBrowser(t, ts.URL)

	// Signed out, the dashboard sends the browser to sign in.
	wantEqual(t, "GET /dashboard (after the redirect)", b.open("/dashboard"), 200)
	wantEqual(t, "location", b.location(), "/login?reason=dashboard")
	wantEqual(t, "notice", b.text("#notice"), "Sign in to see the dashboard.")
	b.screenshot("login")
	before := b.mustSessionCookie() // the sign-in page's CSRF token needs a session

	// A wrong password first.
	wantEqual(t, "wrong password status", b.login("alice", "wrong", false), 401)
	wantEqual(t, "error", b.text("#login-error"), "Unknown user or wrong password.")

	wantEqual(t, "sign-in status", b.login("alice", "wonderland", false), 200)
	wantEqual(t, "location after sign-in", b.location(), "/dashboard")
	wantEqual(t, "welcome", b.text("#welcome"), "Welcome, Alice Liddell")
	after := b.mustSessionCookie()
	if sessionID(t, after.Value) == sessionID(t, before.Value) {
		t.Fatal("signing in kept the session ID")
	}
	wantEqual(t, "plain sign-in: a browser-session cookie", after.Session, true)
	wantEqual(t, "HttpOnly after sign-in", after.HTTPOnly, true)
	if !strings.Contains(b.text("#cookie-kind"), "browser session") {
		t.Fatalf("dashboard cookie kind: %q", b.text("#cookie-kind"))
	}
	b.screenshot("dashboard")

	// The session page shows this session's ID, shortened.
	b.open("/session")
	id := sessionID(t, after.Value)
	wantEqual(t, "session ID shown", b.text("#session-id"), id[:8]+"…")
	wantEqual(t, "expiry shown", b.text("#countdown-none"), "when the browser closes")

	// The cookie value works from any client while the session lives...
	replay := newClientOf(ts)
	resp, body := replay.getWithCookie(t, "/dashboard", after.Value)
	if resp.StatusCode != 200 || !strings.Contains(body, "Welcome, Alice Liddell") {
		t.Fatalf("replaying the live cookie: %s", resp.Status)
	}

	// ...and not after signing out, which destroys the session.
	b.open("/dashboard")
	wantEqual(t, "sign-out status", b.click("#logout"), 200)
	wantEqual(t, "location after sign-out", b.location(), "/login?reason=signed-out")
	if !strings.Contains(b.text("#notice"), "You have signed out") {
		t.Fatalf("notice after sign-out: %q", b.text("#notice"))
	}
	if c := b.sessionCookie(); c != nil && sessionID(t, c.Value) == id {
		t.Fatal("the browser still holds the signed-in session's cookie")
	}
	resp, _ = replay.getWithCookie(t, "/dashboard", after.Value)
	wantRedirect(t, resp, "/login?reason=dashboard")
	b.open("/dashboard")
	wantEqual(t, "location of /dashboard after sign-out", b.location(), "/login?reason=dashboard")
}

var countdownText = regexp.MustCompile(`^(29|30)d \d{1,2}h \d{1,2}m \d{1,2}s$`)

func TestBrowserRememberMeGivesPersistentCookie(t *testing.T) {
	ts := newTestServer(t, nil)
	b := newBrowser(t, ts.URL)
	b.open("/")
	b.open("/a")

	wantEqual(t, "sign-in status", b.login("bob", "canwefixit", true), 200)
	wantEqual(t, "location", b.location(), "/dashboard")
	c := b.mustSessionCookie()
	wantEqual(t, "remember me: a persistent cookie", c.Session, false)
	expires := time.Unix(int64(c.Expires), 0)
	if d := time.Until(expires); d < 30*24*time.Hour-time.Hour || d > 30*24*time.Hour+time.Hour {
		t.Fatalf("the cookie expires in %v (%v), want about 30 days", d, expires)
	}
	if !strings.Contains(b.text("#cookie-kind"), "remembered") {
		t.Fatalf("dashboard cookie kind: %q", b.text("#cookie-kind"))
	}

	// The session page counts down to the expiry the browser holds.
	b.open("/session")
	c = b.mustSessionCookie()
	target := runIn(b, chromedp.Evaluate[float64](`Number(document.getElementById("countdown").dataset.expires)`))
	if diff := target/1000 - c.Expires; diff < -2 || diff > 2 {
		t.Fatalf("countdown target %v s, cookie expires %v s", target/1000, c.Expires)
	}
	initial := b.text("#countdown")
	if !countdownText.MatchString(initial) {
		t.Fatalf("countdown %q", initial)
	}
	// The script ticks: wait (bounded) for the text to change.
	runIn(b, chromedp.Poll[bool](`document.getElementById("countdown").textContent !== `+jsString(initial),
		chromedp.WithPollingTimeout(10*time.Second)))
	if got := b.text("#countdown"); !countdownText.MatchString(got) {
		t.Fatalf("countdown after a tick %q", got)
	}
	// The data from before signing in came along (RenewID keeps it).
	wantEqual(t, "views kept across sign-in", strings.Contains(b.text("#session-data"), `{"/":1,"/a":1}`), true)
	b.do(chromedp.Evaluate[chromedp.Void](`document.querySelector("details").open = true`))
	b.screenshot("session")
}

func TestBrowserForgedFormIsRefused(t *testing.T) {
	ts := newTestServer(t, nil)
	b := newBrowser(t, ts.URL)
	b.open("/login")
	b.do(
		chromedp.SetAttributeValue(chromedp.CSS(`input[name="csrf_token"]`), "value", "forged-token"),
		chromedp.SendKeys(chromedp.ID("username"), "alice"),
		chromedp.SendKeys(chromedp.ID("password"), "wonderland"),
	)
	wantEqual(t, "status of the forged form", b.click("#login-submit"), 403)
	wantEqual(t, "heading", b.text("#error-page h1"), "This form was not accepted")
	b.screenshot("error-403")
	b.open("/dashboard")
	wantEqual(t, "still signed out", b.location(), "/login?reason=dashboard")
}

func TestBrowserStoreDownPage(t *testing.T) {
	st := newFlakyStore(t)
	ts := newTestServer(t, st)
	b := newBrowser(t, ts.URL)
	b.open("/")
	wantEqual(t, "views", b.text("#total-views"), "1")

	st.down.Store(true)
	wantEqual(t, "status with the store down", b.open("/"), 503)
	wantEqual(t, "heading", b.text("#error-page h1"), "Sessions are unavailable right now")
	b.screenshot("error-503")

	st.down.Store(false)
	wantEqual(t, "status with the store back", b.open("/"), 200)
	wantEqual(t, "views after the outage", b.text("#total-views"), "2")
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
