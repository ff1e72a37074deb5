// Package bench compares the whole request round trip of sessionkit's
// middleware with alexedwards/scs and gorilla/sessions, and with a bare
// handler that uses no session library, on the same handler logic.
//
// It is a separate module so that the peers it measures never become
// dependencies of github.com/sessionkit/session. See README.md.
package bench

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/gorilla/sessions"
	"github.com/sessionkit/session"
)

// Every variant stores sessions for this long.
const lifetime = time.Hour

// variant is one library's handlers for the three scenarios, all behind
// that library's middleware (or none, for bare).
type variant struct {
	name string
	// stateful: a login answers with a new session cookie.
	stateful bool
	// serverSide: the session lives in a server store and a cookie only
	// names it, so a destroyed session ID stops working.
	serverSide bool

	prime  http.Handler // creates {"views": 3, "user": "bob"}
	read   http.Handler // reads "views", writes "views=N"
	modify http.Handler // increments "views", writes "views=N+1"
	login  http.Handler // new session ID, sets "user" to "alice", writes "ok"
	// probe, for tests only, writes "views=N user=U" (N is -1 and U empty
	// when absent).
	probe http.Handler
}

// writeViews is the handlers' common body: a few bytes, no fmt.
func writeViews(w http.ResponseWriter, n int) {
	var buf [32]byte
	b := append(buf[:0], "views="...)
	b = strconv.AppendInt(b, int64(n), 10)
	w.Write(b)
}

var okBody = []byte("ok")

func writeProbe(w http.ResponseWriter, views int, viewsOK bool, user string) {
	if !viewsOK {
		views = -1
	}
	w.Write([]byte("views=" + strconv.Itoa(views) + " user=" + user))
}

func fail(w http.ResponseWriter, err error) {
	http.Error(w, err.Error(), http.StatusInternalServerError)
}

var variantNames = []string{"sessionkit", "scs", "gorilla", "bare"}

// newVariant returns a fresh instance of the named variant, with its own
// empty store.
func newVariant(tb testing.TB, name string) *variant {
	tb.Helper()
	switch name {
	case "sessionkit":
		return newSessionkit(tb)
	case "scs":
		return newSCS()
	case "gorilla":
		return newGorilla()
	case "bare":
		return newBare()
	}
	tb.Fatalf("unknown variant %q", name)
	return nil
}

// --- sessionkit -------------------------------------------------------------

func newSessionkit(tb testing.TB) *variant {
	m, err := session.New(session.Options{
		Secrets: []string{"bench secret: keyboard cat, not for production"},
		Cookie:  session.CookieOptions{MaxAge: lifetime},
		// The default store is sessionkit's memstore.
	})
	if err != nil {
		tb.Fatal(err)
	}
	v := &variant{name: "sessionkit", stateful: true, serverSide: true}
	v.prime = m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		if err := s.Set("views", 3); err != nil {
			fail(w, err)
			return
		}
		if err := s.Set("user", "bob"); err != nil {
			fail(w, err)
			return
		}
		w.Write(okBody)
	}))
	v.read = m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := session.GetAs[int](session.Get(r), "views")
		writeViews(w, n)
	}))
	v.modify = m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		n, _ := session.GetAs[int](s, "views")
		if err := s.Set("views", n+1); err != nil {
			fail(w, err)
			return
		}
		writeViews(w, n+1)
	}))
	v.login = m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		// New, empty session under a new ID; the old ID is destroyed in
		// the store (express-session's req.session.regenerate).
		if err := s.Regenerate(r.Context()); err != nil {
			fail(w, err)
			return
		}
		if err := s.Set("user", "alice"); err != nil {
			fail(w, err)
			return
		}
		w.Write(okBody)
	}))
	v.probe = m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		n, ok := session.GetAs[int](s, "views")
		u, _ := session.GetAs[string](s, "user")
		writeProbe(w, n, ok, u)
	}))
	return v
}

// --- alexedwards/scs --------------------------------------------------------

func newSCS() *variant {
	sm := scs.New() // memstore.New() is its default store
	sm.Lifetime = lifetime
	v := &variant{name: "scs", stateful: true, serverSide: true}
	v.prime = sm.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sm.Put(r.Context(), "views", 3)
		sm.Put(r.Context(), "user", "bob")
		w.Write(okBody)
	}))
	v.read = sm.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeViews(w, sm.GetInt(r.Context(), "views"))
	}))
	v.modify = sm.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := sm.GetInt(r.Context(), "views") + 1
		sm.Put(r.Context(), "views", n)
		writeViews(w, n)
	}))
	v.login = sm.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// RenewToken deletes the old token from the store and gives the
		// session a new one. Unlike sessionkit's Regenerate it keeps the
		// data ("views" stays): that is scs's documented login idiom, and
		// the record stays about the same size, so the work is comparable.
		if err := sm.RenewToken(r.Context()); err != nil {
			fail(w, err)
			return
		}
		sm.Put(r.Context(), "user", "alice")
		w.Write(okBody)
	}))
	v.probe = sm.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		writeProbe(w, sm.GetInt(ctx, "views"), sm.Exists(ctx, "views"), sm.GetString(ctx, "user"))
	}))
	return v
}

// --- gorilla/sessions CookieStore ------------------------------------------

const gorillaName = "session"

func newGorilla() *variant {
	// A 32-byte HMAC key and no encryption key: the cookie is signed, not
	// encrypted, like sessionkit's signed session ID.
	store := sessions.NewCookieStore([]byte("0123456789abcdef0123456789abcdef"))
	store.MaxAge(int(lifetime / time.Second))
	store.Options.Secure = false // the requests are plain HTTP, as for the others
	store.Options.HttpOnly = true
	store.Options.SameSite = http.SameSiteDefaultMode
	v := &variant{name: "gorilla", stateful: true}
	// gorilla/sessions has no middleware: each handler loads the session
	// itself (store.Get) and saves it (sess.Save) when it changed it.
	v.prime = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess, _ := store.Get(r, gorillaName) // a new session when there is no valid cookie
		sess.Values["views"] = 3
		sess.Values["user"] = "bob"
		if err := sess.Save(r, w); err != nil {
			fail(w, err)
			return
		}
		w.Write(okBody)
	})
	v.read = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess, err := store.Get(r, gorillaName)
		if err != nil {
			fail(w, err)
			return
		}
		n, _ := sess.Values["views"].(int)
		writeViews(w, n)
	})
	v.modify = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess, err := store.Get(r, gorillaName)
		if err != nil {
			fail(w, err)
			return
		}
		n, _ := sess.Values["views"].(int)
		n++
		sess.Values["views"] = n
		if err := sess.Save(r, w); err != nil {
			fail(w, err)
			return
		}
		writeViews(w, n)
	})
	v.login = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Load the existing session first, as the other libraries'
		// middleware does before every handler.
		if _, err := store.Get(r, gorillaName); err != nil {
			fail(w, err)
			return
		}
		// A cookie store has no server-side session ID to regenerate. The
		// equivalent is a brand-new session object, saved over the old
		// cookie. Not store.New: CookieStore.New decodes the request's
		// cookie into the new object, carrying the old values over. The
		// old cookie stays valid until its MaxAge: a stateless store
		// cannot revoke it.
		fresh := sessions.NewSession(store, gorillaName)
		opts := *store.Options
		fresh.Options = &opts
		fresh.IsNew = true
		fresh.Values["user"] = "alice"
		if err := fresh.Save(r, w); err != nil {
			fail(w, err)
			return
		}
		w.Write(okBody)
	})
	v.probe = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess, _ := store.Get(r, gorillaName)
		n, ok := sess.Values["views"].(int)
		u, _ := sess.Values["user"].(string)
		writeProbe(w, n, ok, u)
	})
	return v
}

// --- bare: no session library (the floor) ----------------------------------

func newBare() *variant {
	v := &variant{name: "bare"}
	v.prime = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(okBody) })
	v.read = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { writeViews(w, 3) })
	v.modify = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { writeViews(w, 4) })
	v.login = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(okBody) })
	v.probe = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { writeProbe(w, 3, true, "bob") })
	return v
}

// --- helpers ----------------------------------------------------------------

// cookiePair returns the "name=value" part of the response's first
// Set-Cookie line, ready to send back in a Cookie header ("" if none).
func cookiePair(h http.Header) string {
	lines := h["Set-Cookie"]
	if len(lines) == 0 {
		return ""
	}
	pair, _, _ := strings.Cut(lines[0], ";")
	return pair
}
