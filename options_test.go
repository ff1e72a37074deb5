package session

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestNewValidationNamesOption(t *testing.T) {
	ok := []string{testSecret}
	cases := []struct {
		name   string
		opts   Options
		option []string // substrings the error must contain
	}{
		{"missing-secrets", Options{}, []string{"Secrets"}},
		{"empty-secrets", Options{Secrets: []string{}}, []string{"Secrets"}},
		{"empty-secret", Options{Secrets: []string{""}}, []string{"Secrets"}},
		{"empty-second-secret", Options{Secrets: []string{"a", ""}}, []string{"Secrets", "1"}},
		{"name-space", Options{Secrets: ok, Name: "my sid"}, []string{"Name"}},
		{"name-semicolon", Options{Secrets: ok, Name: "a;b"}, []string{"Name"}},
		{"name-equals", Options{Secrets: ok, Name: "a=b"}, []string{"Name"}},
		{"name-non-ascii", Options{Secrets: ok, Name: "sés"}, []string{"Name"}},
		{"path-semicolon", Options{Secrets: ok, Cookie: CookieOptions{Path: "/a;b"}}, []string{"Cookie.Path"}},
		{"path-control", Options{Secrets: ok, Cookie: CookieOptions{Path: "/a\n"}}, []string{"Cookie.Path"}},
		{"domain-space", Options{Secrets: ok, Cookie: CookieOptions{Domain: "bad domain"}}, []string{"Cookie.Domain"}},
		{"domain-leading-hyphen", Options{Secrets: ok, Cookie: CookieOptions{Domain: "-x.com"}}, []string{"Cookie.Domain"}},
		{"domain-trailing-dot", Options{Secrets: ok, Cookie: CookieOptions{Domain: "example.com."}}, []string{"Cookie.Domain"}},
		{"maxage-and-expires", Options{Secrets: ok, Cookie: CookieOptions{MaxAge: time.Hour, Expires: time.Now().Add(time.Hour)}}, []string{"Cookie", "MaxAge", "Expires"}},
		{"samesite", Options{Secrets: ok, Cookie: CookieOptions{SameSite: "sometimes"}}, []string{"Cookie.SameSite"}},
		{"priority", Options{Secrets: ok, Cookie: CookieOptions{Priority: "urgent"}}, []string{"Cookie.Priority"}},
		{"httponly-auto", Options{Secrets: ok, Cookie: CookieOptions{HTTPOnly: Auto}}, []string{"HTTPOnly"}},
		{"partitioned-auto", Options{Secrets: ok, Cookie: CookieOptions{Partitioned: Auto}}, []string{"Partitioned"}},
		{"proxy-auto", Options{Secrets: ok, Proxy: Auto}, []string{"Proxy"}},
		{"proxy-out-of-range", Options{Secrets: ok, Proxy: Toggle(42)}, []string{"Proxy"}},
		{"unset-out-of-range", Options{Secrets: ok, Unset: UnsetMode(2)}, []string{"Unset"}},
		{"negative-absolute-timeout", Options{Secrets: ok, AbsoluteTimeout: -time.Second}, []string{"AbsoluteTimeout"}},
		{"negative-touch-interval", Options{Secrets: ok, TouchInterval: -time.Second}, []string{"TouchInterval"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := New(c.opts)
			if err == nil || m != nil {
				t.Fatalf("New accepted %+v", c.opts)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "session: invalid option ") {
				t.Errorf("error %q", msg)
			}
			for _, want := range c.option {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q does not name %q", msg, want)
				}
			}
		})
	}
}

func TestNewAcceptsValidOptions(t *testing.T) {
	for name, o := range map[string]Options{
		"defaults":        {},
		"name-token":      {Name: "__Host-sid!#$%&'*+-.^_`|~"},
		"path-space":      {Cookie: CookieOptions{Path: "/a b/"}},
		"domain-dot":      {Cookie: CookieOptions{Domain: ".Example.COM"}},
		"domain-ip":       {Cookie: CookieOptions{Domain: "127.0.0.1"}},
		"samesite-case":   {Cookie: CookieOptions{SameSite: "LAX"}},
		"samesite-true":   {Cookie: CookieOptions{SameSite: "true"}},
		"samesite-false":  {Cookie: CookieOptions{SameSite: "false"}},
		"samesite-auto":   {Cookie: CookieOptions{SameSite: SameSiteAuto}},
		"priority-case":   {Cookie: CookieOptions{Priority: "HIGH"}},
		"negative-maxage": {Cookie: CookieOptions{MaxAge: -time.Second}},
		"expires":         {Cookie: CookieOptions{Expires: time.Now().Add(time.Hour)}},
		"all-toggles":     {Proxy: On, Unset: UnsetDestroy, Cookie: CookieOptions{HTTPOnly: Off, Secure: Auto, Partitioned: On}},
	} {
		o.Secrets = []string{testSecret}
		if _, err := New(o); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestBug_SameSiteAutoCaseSensitive: SameSite values are documented as
// case-insensitive (options.go, type SameSite), and newCookieState does
// lower-case "auto", but CookieOptions.validate compares with SameSiteAuto
// exactly, so New rejects SameSite "Auto"/"AUTO" with "Cookie.SameSite ... is
// not lax, strict, none or auto". Expected: accepted and resolved like
// SameSiteAuto (Lax on an insecure request).
func TestBug_SameSiteAutoCaseSensitive(t *testing.T) {
	m, err := New(Options{Secrets: []string{testSecret}, SaveUninitialized: true, Cookie: CookieOptions{SameSite: "Auto"}})
	if err != nil {
		t.Fatalf("New rejected SameSite %q: %v", "Auto", err)
	}
	rec := httptest.NewRecorder()
	m.Handler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})).ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if v, _ := cookieAttr(sessionSetCookie(rec), "SameSite"); v != "Lax" {
		t.Fatalf("SameSite %q", v)
	}
}

// TestBug_SecureToggleNotValidated: every Toggle option is range-checked by
// New (HTTPOnly, Partitioned, Proxy) except CookieOptions.Secure, where an
// out-of-range value such as Toggle(7) is accepted and silently behaves like
// Default (no Secure attribute). For a security attribute a typo should fail
// loudly. Expected: New returns an error naming Cookie.Secure.
func TestBug_SecureToggleNotValidated(t *testing.T) {
	_, err := New(Options{Secrets: []string{testSecret}, Cookie: CookieOptions{Secure: Toggle(7)}})
	if err == nil || !strings.Contains(err.Error(), "Secure") {
		t.Fatalf("New with Cookie.Secure = Toggle(7): err %v, want an error naming Secure", err)
	}
}

func TestProxyAndSecureGate(t *testing.T) {
	yes := func(*http.Request) bool { return true }
	cases := []struct {
		name     string
		proxy    Toggle
		isSecure func(*http.Request) bool
		xfp      string
		tls      bool
		want     bool
	}{
		{"on/https", On, nil, "https", false, true},
		{"on/HTTPS-list", On, nil, "HTTPS , http", false, true},
		{"on/spaces", On, nil, "  https  ", false, true},
		{"on/http-first", On, nil, "http, https", false, false},
		{"on/missing", On, nil, "", false, false},
		{"on/httpsx", On, nil, "httpsx", false, false},
		{"off/https", Off, nil, "https", false, false},
		{"off/is-secure-func", Off, yes, "", false, false},
		{"off/tls", Off, nil, "", true, true},
		{"default/https-header-ignored", Default, nil, "https", false, false},
		{"default/request-is-secure", Default, yes, "", false, true},
		{"default/tls", Default, nil, "", true, true},
		{"on/tls-wins", On, nil, "http", true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			hs := newHarness(t, Options{SaveUninitialized: true, Proxy: c.proxy, RequestIsSecure: c.isSecure,
				Cookie: CookieOptions{Secure: On, MaxAge: time.Hour}})
			r := httptest.NewRequest("GET", "/", nil)
			if c.xfp != "" {
				r.Header.Set("X-Forwarded-Proto", c.xfp)
			}
			if c.tls {
				r.TLS = &tls.ConnectionState{}
			}
			var id string
			rec := hs.doReq(r, func(w http.ResponseWriter, r *http.Request) { id = Get(r).ID() })
			line := sessionSetCookie(rec)
			if (line != "") != c.want {
				t.Fatalf("Set-Cookie %q, want sent=%v", line, c.want)
			}
			if line != "" {
				if _, ok := cookieAttr(line, "Secure"); !ok {
					t.Fatalf("no Secure attribute: %q", line)
				}
			}
			// saved either way (spec §2.7.5 last row)
			if doc, ok := hs.st.stored(t, id); !ok || !strings.Contains(doc, `"secure":true`) {
				t.Fatalf("not saved: %q %v", doc, ok)
			}
		})
	}
}

func TestSecureOnPlainHTTPLoadedSession(t *testing.T) {
	hs := newHarness(t, Options{Proxy: On})
	id, _ := hs.loaded(time.Hour)
	doc, _ := hs.st.stored(t, id)
	hs.st.put(t, id, strings.Replace(doc, `"httpOnly":true`, `"secure":true,"httpOnly":true`, 1))
	cookie := signedCookie("connect.sid", id, testSecret)
	// plain HTTP: modified, saved, but no cookie
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Cookie", cookie)
	rec := hs.doReq(r, func(w http.ResponseWriter, r *http.Request) { mustSet(t, Get(r), "n", 1) })
	if line := sessionSetCookie(rec); line != "" {
		t.Fatalf("secure cookie sent on plain HTTP: %q", line)
	}
	if doc, _ := hs.st.stored(t, id); !strings.Contains(doc, `"n":1`) {
		t.Fatalf("not saved: %s", doc)
	}
	// behind a TLS-terminating proxy: sent
	r = httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Cookie", cookie)
	r.Header.Set("X-Forwarded-Proto", "https")
	rec = hs.doReq(r, func(w http.ResponseWriter, r *http.Request) { mustSet(t, Get(r), "n", 2) })
	if sidOf(t, sessionSetCookie(rec)) != id {
		t.Fatal("secure cookie not sent on a secure request")
	}
}

func TestSecureAndSameSiteAuto(t *testing.T) {
	hs := newHarness(t, Options{SaveUninitialized: true, Proxy: On, Cookie: CookieOptions{Secure: Auto, SameSite: SameSiteAuto, MaxAge: time.Hour}})
	do := func(secure bool, cookie string, f http.HandlerFunc) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", "/", nil)
		if secure {
			r.Header.Set("X-Forwarded-Proto", "https")
		}
		if cookie != "" {
			r.Header.Set("Cookie", cookie)
		}
		return hs.doReq(r, f)
	}
	// created on a secure request
	rec := do(true, "", nil)
	line := sessionSetCookie(rec)
	if _, ok := cookieAttr(line, "Secure"); !ok {
		t.Fatalf("secure request: %q", line)
	}
	if v, _ := cookieAttr(line, "SameSite"); v != "None" {
		t.Fatalf("secure request: %q", line)
	}
	secureID := sidOf(t, line)
	if doc, _ := hs.st.stored(t, secureID); !strings.Contains(doc, `"secure":true`) || !strings.Contains(doc, `"sameSite":"none"`) {
		t.Fatalf("stored %s", doc)
	}
	// created on a plain request
	rec = do(false, "", nil)
	line = sessionSetCookie(rec)
	if _, ok := cookieAttr(line, "Secure"); ok {
		t.Fatalf("plain request: %q", line)
	}
	if v, _ := cookieAttr(line, "SameSite"); v != "Lax" {
		t.Fatalf("plain request: %q", line)
	}
	plainID := sidOf(t, line)
	if doc, _ := hs.st.stored(t, plainID); !strings.Contains(doc, `"secure":false`) || !strings.Contains(doc, `"sameSite":"lax"`) {
		t.Fatalf("stored %s", doc)
	}
	// resolved once, at creation: a later secure request keeps the plain
	// session's attributes
	rec = do(true, cookiePair(line), func(w http.ResponseWriter, r *http.Request) { mustSet(t, Get(r), "x", 1) })
	line = sessionSetCookie(rec)
	if _, ok := cookieAttr(line, "Secure"); ok || sidOf(t, line) != plainID {
		t.Fatalf("loaded session re-resolved Secure auto: %q", line)
	}
	if v, _ := cookieAttr(line, "SameSite"); v != "Lax" {
		t.Fatalf("loaded session re-resolved SameSite auto: %q", line)
	}
	// and a secure session accessed over plain HTTP is saved without a cookie
	rec = do(false, signedCookie("connect.sid", secureID, testSecret), func(w http.ResponseWriter, r *http.Request) { mustSet(t, Get(r), "y", 1) })
	if line := sessionSetCookie(rec); line != "" {
		t.Fatalf("secure session's cookie sent over HTTP: %q", line)
	}
	if doc, _ := hs.st.stored(t, secureID); !strings.Contains(doc, `"y":1`) {
		t.Fatalf("stored %s", doc)
	}
}

// RequestIsSecure decides Secure auto under Proxy Default.
func TestRequestIsSecureForAuto(t *testing.T) {
	hs := newHarness(t, Options{SaveUninitialized: true, Cookie: CookieOptions{Secure: Auto},
		RequestIsSecure: func(r *http.Request) bool { return r.Header.Get("X-Trusted-TLS") == "1" }})
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("X-Trusted-TLS", "1")
	r.Header.Set("X-Forwarded-Proto", "http")
	if _, ok := cookieAttr(sessionSetCookie(hs.doReq(r, nil)), "Secure"); !ok {
		t.Fatal("RequestIsSecure not used")
	}
	r = httptest.NewRequest("GET", "/", nil)
	r.Header.Set("X-Forwarded-Proto", "https")
	if line := sessionSetCookie(hs.doReq(r, nil)); line == "" {
		t.Fatal("no cookie")
	} else if _, ok := cookieAttr(line, "Secure"); ok {
		t.Fatal("X-Forwarded-Proto trusted under Proxy Default")
	}
}

// CookieFunc results are resolved per request, and unlike express 1.19 its
// 'auto' values work (spec §1.4 documents the express bug a port may fix).
func TestCookieFunc(t *testing.T) {
	hs := newHarness(t, Options{SaveUninitialized: true, Proxy: On, CookieFunc: func(r *http.Request) CookieOptions {
		o := CookieOptions{Secure: Auto, SameSite: SameSiteAuto, Path: "/"}
		if strings.HasPrefix(r.Host, "api.") {
			o.Path = "/api"
			o.Domain = "api.example.com"
		}
		return o
	}})
	r := httptest.NewRequest("GET", "http://api.example.com/api/x", nil)
	r.Header.Set("X-Forwarded-Proto", "https")
	line := sessionSetCookie(hs.doReq(r, nil))
	if v, _ := cookieAttr(line, "Path"); v != "/api" {
		t.Fatalf("%q", line)
	}
	if v, _ := cookieAttr(line, "Domain"); v != "api.example.com" {
		t.Fatalf("%q", line)
	}
	if v, _ := cookieAttr(line, "SameSite"); v != "None" {
		t.Fatalf("%q", line)
	}
	if _, ok := cookieAttr(line, "Secure"); !ok {
		t.Fatalf("%q", line)
	}
	// the function's Path gates
	r = httptest.NewRequest("GET", "http://api.example.com/other", nil)
	had := true
	hs.doReq(r, func(w http.ResponseWriter, r *http.Request) { had = Get(r) != nil })
	if had {
		t.Fatal("CookieFunc Path did not gate")
	}
}

func TestCookieAttributes(t *testing.T) {
	hs := newHarness(t, Options{SaveUninitialized: true, Name: "my.sid", Cookie: CookieOptions{
		Domain: ".example.com", Path: "/app", MaxAge: 90 * time.Second, HTTPOnly: Off,
		Partitioned: On, Priority: "HIGH", SameSite: "STRICT", Secure: Off,
	}})
	rec := hs.do("/app/x", "", nil)
	line := findSetCookie(rec.Result().Header, "my.sid")
	if line == "" || sessionSetCookie(rec) != "" {
		t.Fatalf("Set-Cookie %q", rec.Result().Header.Values("Set-Cookie"))
	}
	// fixed attribute order, canonical case, Expires only
	rest := line[strings.Index(line, ";"):]
	exp, _ := cookieAttr(line, "Expires")
	want := "; Domain=.example.com; Path=/app; Expires=" + exp + "; Partitioned; Priority=High; SameSite=Strict"
	if rest != want {
		t.Fatalf("attributes\n got %s\nwant %s", rest, want)
	}
	tm, err := http.ParseTime(exp)
	if d := time.Until(tm); err != nil || d < 85*time.Second || d > 91*time.Second {
		t.Fatalf("Expires %q", exp)
	}
	id := sidOfWith(t, strings.Replace(line, "my.sid=", "connect.sid=", 1), testSecret)
	doc, _ := hs.st.stored(t, id)
	if !strings.Contains(doc, `{"cookie":{"originalMaxAge":90000,"partitioned":true,"priority":"HIGH","expires":"`) ||
		!strings.HasSuffix(doc, `"secure":false,"httpOnly":false,"domain":".example.com","path":"/app","sameSite":"STRICT"}}`) {
		t.Fatalf("stored %s", doc)
	}
	// the custom name is what is read back
	var got string
	hs.do("/app", cookiePair(line), func(w http.ResponseWriter, r *http.Request) { got = Get(r).ID() })
	if got != id {
		t.Fatalf("custom cookie name not read: %q", got)
	}
}

func TestCookieExpiresOption(t *testing.T) {
	at := time.Now().Add(2 * time.Hour).Truncate(time.Second)
	hs := newHarness(t, Options{SaveUninitialized: true, Cookie: CookieOptions{Expires: at}})
	rec := hs.do("/", "", nil)
	line := sessionSetCookie(rec)
	exp, _ := cookieAttr(line, "Expires")
	if tm, _ := http.ParseTime(exp); tm.Sub(at).Abs() > time.Second {
		t.Fatalf("Expires %q want %v", exp, at)
	}
	doc, _ := hs.st.stored(t, sidOf(t, line))
	if !strings.Contains(doc, `"originalMaxAge":7`) { // ~7200000
		t.Fatalf("stored %s", doc)
	}
}

// TestBug_ExpiresOutsideCookieRangeAccepted: wire.AppendSetCookie refuses an
// Expires year outside 1601..9999, so a CookieOptions.Expires such as year
// 12000 can never be serialised: New accepts it, and then every new session
// fails at header time with a late "option expires is invalid" error and no
// cookie is ever sent. The spec (§1.3) says a port should validate cookie
// options at construction, and New promises "an error naming the option
// that is invalid". Expected: New fails naming Cookie.Expires.
func TestBug_ExpiresOutsideCookieRangeAccepted(t *testing.T) {
	for _, year := range []int{12000, 1500} {
		_, err := New(Options{Secrets: []string{testSecret}, Cookie: CookieOptions{Expires: time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)}})
		if err == nil || !strings.Contains(err.Error(), "Expires") {
			t.Errorf("Cookie.Expires in year %d: New error %v, want one naming Cookie.Expires", year, err)
		}
	}
}
