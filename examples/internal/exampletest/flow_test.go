package exampletest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/sessionkit/session"
	"github.com/sessionkit/session/examples/internal/exampleapp"
	"github.com/sessionkit/session/memstore"
)

// app is a small example app, right unless a fault is set.
type app struct {
	scriptCookie bool // the cookie is not HttpOnly
	noCount      bool // views are counted but not kept
	keepID       bool // login keeps the session ID (no Regenerate)
	keepData     bool // login renews the ID but keeps the data (RenewID)
	noLogout     bool // logout does nothing
	forgetUser   bool // logout deletes the user, not the session
	clearData    bool // logout clears the data, not the session
	redirect     bool // login and logout redirect to the views page
}

var paths = Paths{Views: "/", Login: "/login", Me: "/me", Logout: "/logout"}

func (a app) handler(t *testing.T) http.Handler {
	opts := exampleapp.Options("test secret", memstore.New(memstore.Options{}))
	if a.scriptCookie {
		opts.Cookie.HTTPOnly = session.Off
	}
	m, err := session.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		n, _ := session.GetAs[int](s, "views")
		n++
		if !a.noCount {
			_ = s.Set("views", n)
		} else {
			_ = s.Set("seen", true) // a change, so the session is kept
		}
		if a.redirect {
			user, _ := session.GetAs[string](s, "user")
			fmt.Fprintf(w, "<p>views: %d</p><p>user: %s</p>", n, user)
			return
		}
		fmt.Fprintf(w, "views: %d\n", n)
	})
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		switch {
		case a.keepID:
		case a.keepData:
			_ = s.RenewID(r.Context())
		default:
			_ = s.Regenerate(r.Context())
		}
		_ = s.Set("user", r.PostFormValue("user"))
		if a.redirect {
			http.Redirect(w, r, "/", http.StatusSeeOther)
			return
		}
		fmt.Fprintf(w, "welcome %s\n", r.PostFormValue("user"))
	})
	mux.HandleFunc("GET /me", func(w http.ResponseWriter, r *http.Request) {
		user, ok := session.GetAs[string](session.Get(r), "user")
		if !ok {
			http.Error(w, "not logged in", http.StatusUnauthorized)
			return
		}
		fmt.Fprintln(w, user)
	})
	mux.HandleFunc("POST /logout", func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		switch {
		case a.noLogout:
		case a.forgetUser:
			s.Delete("user")
		case a.clearData:
			s.Clear()
		default:
			_ = s.Destroy(r.Context())
		}
		if a.redirect {
			http.Redirect(w, r, "/", http.StatusSeeOther)
			return
		}
		fmt.Fprintln(w, "bye")
	})
	return m.Handler(mux)
}

// redirected are the answers of app{redirect: true}.
var redirected = Answers{
	Views:           func(n int) Body { return Contains(fmt.Sprintf("<p>views: %d</p>", n)) },
	Login:           Contains("<p>user: alice</p>"),
	Me:              Is("alice"),
	Logout:          Is("<p>views: 1</p><p>user: </p>"),
	LoggedOut:       Is("not logged in"),
	LoginShowsViews: true,
}

// TestCheckSessionFlow: a right app passes; each fault fails the flow,
// with the message of the check that catches it.
func TestCheckSessionFlow(t *testing.T) {
	for _, tc := range []struct {
		name string
		app  app
		want Answers
		fail string // "": passes
	}{
		{"right", app{}, PlainText, ""},
		{"right, redirecting", app{redirect: true}, redirected, ""},
		{"not HttpOnly", app{scriptCookie: true}, PlainText, "not HttpOnly"},
		{"count not kept", app{noCount: true}, PlainText, `view 2: got 200 "views: 1"`},
		{"login keeps the ID", app{keepID: true}, PlainText, "login kept the session ID"},
		{"login keeps the data", app{keepData: true}, PlainText, `views after login: got 200 "views: 4"`},
		{"no logout", app{noLogout: true}, PlainText, `me after logout: got 200 "alice"`},
		{"logout forgets the user only", app{forgetUser: true}, PlainText, `old cookie after logout: views: got 200 "views: 2"`},
		{"logout clears the data only", app{clearData: true}, PlainText, "the logged-out session ID was reused"},
		{"answers not as said", app{}, Answers{
			Views: PlainText.Views, Login: PlainText.Login, Me: Is("bob"),
		}, `me after login: got 200 "alice", want 200 "bob"`},
		{"the redirect not said", app{redirect: true}, func() Answers {
			a := redirected
			a.LoginShowsViews = false
			return a
		}(), `views after login: got 200 "<p>views: 2</p>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.app.handler(t))
			defer srv.Close()
			failures := run(t, func(ft testing.TB) { CheckSessionFlow(ft, srv.URL, paths, tc.want) })
			switch {
			case tc.fail == "" && len(failures) > 0:
				t.Errorf("failed: %q", failures)
			case tc.fail != "" && (len(failures) == 0 || !strings.Contains(failures[0], tc.fail)):
				t.Errorf("failures %q, want the first to contain %q", failures, tc.fail)
			}
		})
	}
}

func TestBody(t *testing.T) {
	for _, tc := range []struct {
		b    Body
		body string
		want bool
	}{
		{Is("bye"), "bye", true},
		{Is("bye"), "bye bye", false},
		{Is(""), "", true},
		{Is(""), "x", false},
		{Contains("a", "c"), "abc", true},
		{Contains("a", "d"), "abc", false},
		{Body{}, "anything", true},
	} {
		if got := tc.b.Match(tc.body); got != tc.want {
			t.Errorf("%v.Match(%q) = %v", tc.b, tc.body, got)
		}
	}
}

// run runs check with a testing.TB that records failures instead of
// failing t, and returns them. A Fatal ends check, as it ends a test.
func run(t *testing.T, check func(testing.TB)) []string {
	ft := &fakeT{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		check(ft)
	}()
	<-done
	ft.mu.Lock()
	defer ft.mu.Unlock()
	return ft.failures
}

type fakeT struct {
	testing.TB // the real test, for what is not overridden here
	mu         sync.Mutex
	failures   []string
}

func (f *fakeT) Helper() {}

func (f *fakeT) Errorf(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures = append(f.failures, fmt.Sprintf(format, args...))
}

func (f *fakeT) Error(args ...any) { f.Errorf("%s", fmt.Sprint(args...)) }
func (f *fakeT) Fail()             { f.Errorf("Fail") }
func (f *fakeT) FailNow()          { f.Fatalf("FailNow") }
func (f *fakeT) Fatal(args ...any) { f.Fatalf("%s", fmt.Sprint(args...)) }

func (f *fakeT) Fatalf(format string, args ...any) {
	f.Errorf(format, args...)
	runtime.Goexit()
}

func (f *fakeT) Failed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.failures) > 0
}
