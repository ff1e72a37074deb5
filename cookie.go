package session

import (
	"fmt"
	"math"
	"time"

	"github.com/sessionkit/session/internal/wire"
)

// Cookie is a view of a session's cookie settings (express-session's
// req.session.cookie). Changes apply to this session only and are kept in
// the store with it; they are sent to the browser with the next Set-Cookie.
type Cookie struct{ s *Session }

// MaxAge returns the time left until the cookie expires (negative once it
// has). ok is false for a browser-session cookie, which has no expiry. In a
// handler it is the expiry the session was loaded with: the middleware
// renews it when the response headers are written (call Session.Touch to
// renew it earlier).
func (c Cookie) MaxAge() (d time.Duration, ok bool) {
	if c.s == nil {
		return 0, false
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	return msDuration(c.s.cookie.maxAge(nowMs()))
}

// SetMaxAge sets the cookie to expire d from now and renew by d on each
// request: a "remember me" lifetime for this session only. SetMaxAge(0)
// expires it now; to make it a browser-session cookie again use
// SetExpires(time.Time{}).
func (c Cookie) SetMaxAge(d time.Duration) {
	if c.s == nil {
		return
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	c.s.cookie.setMaxAge(float64(d)/float64(time.Millisecond), nowMs())
}

// OriginalMaxAge returns the lifetime the cookie is renewed by. ok is
// false for a browser-session cookie.
func (c Cookie) OriginalMaxAge() (d time.Duration, ok bool) {
	if c.s == nil {
		return 0, false
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	return msDuration(c.s.cookie.originalMaxAge)
}

// Expires returns when the cookie expires; ok is false for a
// browser-session cookie.
func (c Cookie) Expires() (t time.Time, ok bool) {
	if c.s == nil {
		return time.Time{}, false
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	if !c.s.cookie.expires.date {
		return time.Time{}, false
	}
	return time.UnixMilli(c.s.cookie.expires.ms), true
}

// SetExpires sets the expiry, and the lifetime the cookie is renewed by to
// the time from now until t. The zero time makes it a browser-session
// cookie.
func (c Cookie) SetExpires(t time.Time) {
	if c.s == nil {
		return
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	e := expiry{other: jsval{kind: jsNull}}
	if !t.IsZero() {
		e = timeExpiry(t)
	}
	c.s.cookie.setExpires(e, nowMs())
}

// Path returns the cookie's path.
func (c Cookie) Path() string { return c.str(func(cs *cookieState) jsval { return cs.path }) }

// SetPath sets the cookie's path.
func (c Cookie) SetPath(p string) error {
	if p != "" && !wire.ValidPath(p) {
		return fmt.Errorf("session: cookie path %q is invalid", p)
	}
	c.set(func(cs *cookieState) { cs.path = jsStr(p) })
	return nil
}

// Domain returns the cookie's domain ("" for none).
func (c Cookie) Domain() string { return c.str(func(cs *cookieState) jsval { return cs.domain }) }

// SetDomain sets the cookie's domain; "" removes it.
func (c Cookie) SetDomain(d string) error {
	if d != "" && !wire.ValidDomain(d) {
		return fmt.Errorf("session: cookie domain %q is invalid", d)
	}
	c.set(func(cs *cookieState) { cs.domain = jsStr(d) })
	return nil
}

// HTTPOnly reports whether the cookie has the HttpOnly attribute.
func (c Cookie) HTTPOnly() bool { return c.flag(func(cs *cookieState) jsval { return cs.httpOnly }) }

// SetHTTPOnly sets the HttpOnly attribute.
func (c Cookie) SetHTTPOnly(on bool) { c.set(func(cs *cookieState) { cs.httpOnly = jsBoolean(on) }) }

// Secure reports whether the cookie has the Secure attribute (and is
// therefore sent only on secure requests).
func (c Cookie) Secure() bool { return c.flag(func(cs *cookieState) jsval { return cs.secure }) }

// SetSecure sets the Secure attribute.
func (c Cookie) SetSecure(on bool) { c.set(func(cs *cookieState) { cs.secure = jsBoolean(on) }) }

// Partitioned reports whether the cookie has the Partitioned attribute.
func (c Cookie) Partitioned() bool {
	return c.flag(func(cs *cookieState) jsval { return cs.partitioned })
}

// SetPartitioned sets the Partitioned attribute.
func (c Cookie) SetPartitioned(on bool) {
	c.set(func(cs *cookieState) { cs.partitioned = jsBoolean(on) })
}

// SameSite returns the SameSite setting as recorded ("" for none).
func (c Cookie) SameSite() SameSite {
	if c.s == nil {
		return ""
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	v := c.s.cookie.sameSite
	if v.kind == jsBool {
		if v.b {
			return "true"
		}
		return "false"
	}
	return SameSite(v.s)
}

// SetSameSite sets the SameSite attribute: lax, strict, none, or "" for
// none. Auto is resolved only when a session is created and is refused here.
func (c Cookie) SetSameSite(v SameSite) error {
	if _, ok := sameSiteAttr(v); !ok {
		return fmt.Errorf("session: cookie sameSite %q is invalid", string(v))
	}
	c.set(func(cs *cookieState) { cs.sameSite = jsStr(string(v)) })
	return nil
}

// Priority returns the Priority attribute ("" for none).
func (c Cookie) Priority() Priority {
	return Priority(c.str(func(cs *cookieState) jsval { return cs.priority }))
}

// SetPriority sets the Priority attribute: low, medium, high, or "".
func (c Cookie) SetPriority(p Priority) error {
	if _, ok := priorityAttr(p); !ok {
		return fmt.Errorf("session: cookie priority %q is invalid", string(p))
	}
	c.set(func(cs *cookieState) { cs.priority = jsStr(string(p)) })
	return nil
}

// MarshalJSON returns the cookie as it is stored in the session record.
func (c Cookie) MarshalJSON() ([]byte, error) {
	if c.s == nil {
		return []byte("null"), nil
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	return c.s.cookie.appendJSON(nil), nil
}

func (c Cookie) str(get func(*cookieState) jsval) string {
	if c.s == nil {
		return ""
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	if v := get(&c.s.cookie); v.kind == jsString {
		return v.s
	}
	return ""
}

func (c Cookie) flag(get func(*cookieState) jsval) bool {
	if c.s == nil {
		return false
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	return get(&c.s.cookie).truthy()
}

func (c Cookie) set(f func(*cookieState)) {
	if c.s == nil {
		return
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	f(&c.s.cookie)
}

func msDuration(v jsval) (time.Duration, bool) {
	if v.kind != jsNumber || math.IsNaN(v.n) {
		return 0, false
	}
	return time.Duration(v.n * float64(time.Millisecond)), true
}
