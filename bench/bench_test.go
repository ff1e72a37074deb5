package bench

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// bareCookie is what the bare variant's requests carry: a cookie of about
// the size of the others', which nothing reads.
const bareCookie = "connect.sid=s%3AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"

// serve sends req through h and returns the recorder.
func serve(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// newRequest returns a GET / carrying cookie ("name=value", or none).
func newRequest(cookie string) *http.Request {
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	return req
}

// prime creates the session {"views": 3, "user": "bob"} through v's own
// middleware and returns the cookie naming it.
func prime(tb testing.TB, v *variant) string {
	tb.Helper()
	if !v.stateful {
		return bareCookie
	}
	rec := serve(v.prime, newRequest(""))
	if rec.Code != http.StatusOK {
		tb.Fatalf("%s: priming: status %d: %s", v.name, rec.Code, rec.Body)
	}
	c := cookiePair(rec.Header())
	if c == "" {
		tb.Fatalf("%s: priming sent no session cookie", v.name)
	}
	return c
}

// driver sends one prepared request again and again, as the benchmarks do.
type driver struct {
	req  *http.Request
	base http.Request
}

func newDriver(cookie string) *driver {
	d := &driver{req: newRequest(cookie)}
	d.base = *d.req
	return d
}

// do serves the prepared request into a fresh recorder. It first restores
// the request to its prepared state: gorilla/sessions' GetRegistry
// overwrites *r with a copy carrying its registry in the context, and a
// reused request would then hand every later iteration the session decoded
// by the first one, measuring no decoding at all. Restoring copies into the
// same *http.Request, so it allocates nothing, for every variant alike.
func (d *driver) do(h http.Handler) *httptest.ResponseRecorder {
	*d.req = d.base
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, d.req)
	return rec
}

// setCookie replaces the request's cookie (the header map is shared with
// base, so this survives the restore).
func (d *driver) setCookie(c string) { d.req.Header["Cookie"][0] = c }

// scenario selects the handler a benchmark measures.
type scenario func(*variant) http.Handler

func readOnly(v *variant) http.Handler { return v.read }
func modify(v *variant) http.Handler   { return v.modify }
func login(v *variant) http.Handler    { return v.login }

// bench times whole round trips of one scenario for every variant, as
// sub-benchmarks named lib=<variant> (benchstat -col /lib).
//
// Each variant is primed with one request through its middleware, outside
// the timing. Every iteration then sends a prepared request carrying the
// session cookie into a fresh httptest.ResponseRecorder. With chain set
// (login), an iteration's Set-Cookie becomes the next iteration's cookie:
// sessionkit and scs destroy the old ID on regeneration, so the old cookie
// would no longer name a session and the next iteration would measure the
// cheaper "no session" path. gorilla chains the same way for symmetry, so
// all three decode, regenerate and re-encode a live session every time.
func bench(b *testing.B, pick scenario, chain bool) {
	for _, name := range variantNames {
		b.Run("lib="+name, func(b *testing.B) {
			v := newVariant(b, name)
			h := pick(v)
			d := newDriver(prime(b, v))
			chain := chain && v.stateful
			b.ReportAllocs()
			for b.Loop() {
				rec := d.do(h)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d: %s", rec.Code, rec.Body)
				}
				if chain {
					c := cookiePair(rec.Header())
					if c == "" {
						b.Fatal("login sent no session cookie")
					}
					d.setCookie(c)
				}
			}
		})
	}
}

// BenchmarkReadOnly: a valid cookie for an existing session; the handler
// reads "views" and modifies nothing.
func BenchmarkReadOnly(b *testing.B) { bench(b, readOnly, false) }

// BenchmarkModify: the handler increments "views" and the session is saved.
// Every iteration sends the primed cookie (for gorilla that means views goes
// 3 -> 4 each time; for the server-side stores it keeps counting up).
func BenchmarkModify(b *testing.B) { bench(b, modify, false) }

// BenchmarkLogin: the handler regenerates the session (new ID, against
// session fixation) and sets "user".
func BenchmarkLogin(b *testing.B) { bench(b, login, true) }

// TestBenchHandlersWork proves that each variant's handlers do what the
// benchmarks claim, so that no benchmark silently measures a broken path
// (say, a cookie that does not verify and a fresh empty session each time).
func TestBenchHandlersWork(t *testing.T) {
	for _, name := range variantNames {
		t.Run(name, func(t *testing.T) {
			v := newVariant(t, name)
			cookie := prime(t, v)

			// get sends cookie to h and returns the body and the cookie
			// the response sets ("" if none).
			get := func(h http.Handler, cookie string) (string, string) {
				t.Helper()
				rec := serve(h, newRequest(cookie))
				if rec.Code != http.StatusOK {
					t.Fatalf("status %d: %s", rec.Code, rec.Body)
				}
				return rec.Body.String(), cookiePair(rec.Header())
			}

			// Read-only: sees the stored value, changes nothing.
			for i := range 2 {
				body, set := get(v.read, cookie)
				if body != "views=3" {
					t.Fatalf("read %d: body %q, want views=3", i, body)
				}
				if set != "" {
					t.Errorf("read %d: an unmodified session sent a cookie: %q", i, set)
				}
			}
			if !v.stateful {
				if body, _ := get(v.modify, cookie); body != "views=4" {
					t.Fatalf("modify: body %q", body)
				}
				if body, _ := get(v.login, cookie); body != "ok" {
					t.Fatalf("login: body %q", body)
				}
				return
			}

			// Modify: the increment persists.
			body, set := get(v.modify, cookie)
			if body != "views=4" {
				t.Fatalf("modify: body %q, want views=4", body)
			}
			if v.serverSide {
				// The benchmark keeps sending the primed cookie: it must
				// still name the (changed) session.
				if set != "" && sessionPart(set) != sessionPart(cookie) {
					t.Errorf("modify changed the session ID: %q -> %q", cookie, set)
				}
			} else {
				if set == "" {
					t.Fatal("modify: a cookie store sent no cookie")
				}
				cookie = set // the state travels in the cookie
			}
			if body, _ := get(v.read, cookie); body != "views=4" {
				t.Fatalf("read after modify: body %q, want views=4", body)
			}
			if body, _ := get(v.modify, cookie); v.serverSide && body != "views=5" {
				t.Fatalf("second modify: body %q, want views=5", body)
			}

			// Login: a new ID, the old one dead (server-side stores), and the
			// user set in the new session.
			body, newCookie := get(v.login, cookie)
			if body != "ok" {
				t.Fatalf("login: body %q", body)
			}
			if newCookie == "" || sessionPart(newCookie) == sessionPart(cookie) {
				t.Fatalf("login did not change the session cookie: %q -> %q", cookie, newCookie)
			}
			probe, _ := get(v.probe, newCookie)
			want := "views=-1 user=alice" // a fresh, empty session
			if name == "scs" {
				want = "views=5 user=alice" // RenewToken keeps the data
			}
			if probe != want {
				t.Errorf("after login, the new cookie's session is %q, want %q", probe, want)
			}
			if v.serverSide {
				if probe, _ := get(v.probe, cookie); probe != "views=-1 user=" {
					t.Errorf("after login, the old cookie still names a session: %q", probe)
				}
			}
			// The benchmark chains logins: the new cookie must work for the
			// next one.
			// (A gorilla cookie has no ID: the same values signed within
			// the same second give the same cookie, so only its presence is
			// checked there.)
			body, newer := get(v.login, newCookie)
			if body != "ok" || newer == "" || v.serverSide && sessionPart(newer) == sessionPart(newCookie) {
				t.Errorf("chained login: body %q, cookie %q -> %q", body, newCookie, newer)
			}
		})
	}
}

// TestBenchLoopWorks drives the handlers exactly as the benchmark loops do,
// through one reused request, and checks that every iteration really loads
// the session: a state cached on the reused request (as gorilla's registry
// would be without driver.do's restore) shows up as a count that goes on
// where it should restart.
func TestBenchLoopWorks(t *testing.T) {
	for _, name := range variantNames {
		t.Run(name, func(t *testing.T) {
			v := newVariant(t, name)
			cookie := prime(t, v)
			d := newDriver(cookie)
			for i := range 3 {
				if body := d.do(v.read).Body.String(); body != "views=3" {
					t.Fatalf("read %d: %q", i, body)
				}
			}
			for i := range 3 {
				want := "views=4" // gorilla: the primed cookie always holds 3
				if v.serverSide {
					want = "views=" + string(rune('4'+i)) // the stored session counts on
				}
				if body := d.do(v.modify).Body.String(); body != want {
					t.Fatalf("modify %d: %q, want %q", i, body, want)
				}
			}
			if !v.stateful {
				return
			}
			d = newDriver(cookie)
			seen := map[string]bool{cookie: true}
			for i := range 3 {
				rec := d.do(v.login)
				c := cookiePair(rec.Header())
				if rec.Code != http.StatusOK || c == "" {
					t.Fatalf("login %d: status %d, cookie %q", i, rec.Code, c)
				}
				if v.serverSide && seen[c] {
					t.Fatalf("login %d: session cookie %q reused", i, c)
				}
				seen[c] = true
				if v.serverSide {
					if probe := d.do(v.probe).Body.String(); probe != "views=-1 user=" {
						t.Fatalf("login %d: the old ID still names a session: %q", i, probe)
					}
				}
				d.setCookie(c)
				if probe := d.do(v.probe).Body.String(); !strings.HasSuffix(probe, " user=alice") {
					t.Fatalf("after login %d: %q", i, probe)
				}
			}
		})
	}
}

// sessionPart is the value of a "name=value" cookie pair.
func sessionPart(pair string) string {
	_, v, _ := strings.Cut(pair, "=")
	return v
}
