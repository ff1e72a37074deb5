package session

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/sessionkit/session/internal/jsonscan"
	"github.com/sessionkit/session/internal/wire"
	"github.com/sessionkit/session/record"
)

// maxDateMs is the largest time value a JavaScript Date can hold; beyond it
// a Date is invalid.
const maxDateMs = 8.64e15

// cookieState is a session's cookie as express-session's Cookie object holds
// it: the values go to the store as the record's "cookie" property and to
// the browser as Set-Cookie attributes.
type cookieState struct {
	originalMaxAge jsval
	expires        expiry
	partitioned    jsval
	priority       jsval
	secure         jsval
	httpOnly       jsval
	domain         jsval
	path           jsval
	sameSite       jsval
}

// expiry is a Cookie's expires: a date, an invalid date, or another
// JavaScript value (null for a browser-session cookie).
type expiry struct {
	date    bool
	invalid bool
	ms      int64
	other   jsval
}

func dateExpiry(ms float64) expiry {
	ms = math.Trunc(ms)
	if !(math.Abs(ms) <= maxDateMs) {
		return expiry{invalid: true}
	}
	return expiry{date: true, ms: int64(ms)}
}

func timeExpiry(t time.Time) expiry {
	if t.Year() > 300000 || t.Year() < -300000 {
		return expiry{invalid: true}
	}
	return dateExpiry(float64(t.UnixMilli()))
}

// isSet is express-session's `cookie.expires != null`.
func (e expiry) isSet() bool {
	return e.date || e.invalid || (e.other.kind != jsNull && e.other.kind != jsUndefined)
}

func newCookieState(o *CookieOptions, now int64, secure bool) cookieState {
	c := cookieState{
		originalMaxAge: jsval{kind: jsNull},
		expires:        expiry{other: jsval{kind: jsNull}},
		httpOnly:       jsBoolean(o.HTTPOnly != Off),
		path:           jsStr("/"),
	}
	if o.Path != "" {
		c.path = jsStr(o.Path)
	}
	if o.Domain != "" {
		c.domain = jsStr(o.Domain)
	}
	switch o.Secure {
	case On:
		c.secure = jsBoolean(true)
	case Off:
		c.secure = jsBoolean(false)
	case Auto:
		c.secure = jsBoolean(secure)
	}
	switch strings.ToLower(string(o.SameSite)) {
	case "":
	case "true":
		c.sameSite = jsBoolean(true)
	case "false":
		c.sameSite = jsBoolean(false)
	case "auto":
		c.sameSite = jsStr("lax")
		if secure {
			c.sameSite = jsStr("none")
		}
	default:
		c.sameSite = jsStr(string(o.SameSite))
	}
	switch o.Partitioned {
	case On:
		c.partitioned = jsBoolean(true)
	case Off:
		c.partitioned = jsBoolean(false)
	}
	if o.Priority != "" {
		c.priority = jsStr(string(o.Priority))
	}
	switch {
	case o.MaxAge != 0:
		c.setMaxAge(float64(o.MaxAge)/float64(time.Millisecond), now)
	case !o.Expires.IsZero():
		c.setExpires(timeExpiry(o.Expires), now)
	}
	return c
}

// setMaxAge is the Cookie's maxAge setter with a number: the clock is read
// once, so originalMaxAge is exactly ms (express reads it twice and can lose
// a millisecond per request).
func (c *cookieState) setMaxAge(ms float64, now int64) {
	c.setExpires(dateExpiry(float64(now)+ms), now)
}

// setExpires is the Cookie's expires setter: it also recomputes
// originalMaxAge from the new expiry.
func (c *cookieState) setExpires(e expiry, now int64) {
	c.expires = e
	c.originalMaxAge = c.maxAge(now)
}

// maxAge is the Cookie's maxAge getter: milliseconds remaining, or the
// expires value itself when it is not a date.
func (c *cookieState) maxAge(now int64) jsval {
	switch {
	case c.expires.date:
		return jsNum(float64(c.expires.ms - now))
	case c.expires.invalid:
		return jsNum(math.NaN())
	}
	return c.expires.other
}

// touch is Cookie's resetMaxAge: the expiry moves to now + originalMaxAge.
func (c *cookieState) touch(now int64) {
	switch v := c.originalMaxAge; {
	case v.kind == jsNumber:
		c.setMaxAge(v.n, now)
	case !v.truthy():
		c.setExpires(expiry{other: v}, now)
	}
	// A truthy non-number makes express-session throw; leave it alone.
}

// expiresTime is the expiry to hand to the store (zero: none).
func (c *cookieState) expiresTime() time.Time {
	if !c.expires.date {
		return time.Time{}
	}
	return time.UnixMilli(c.expires.ms)
}

var errCookieNotObject = errors.New("session: stored session has no cookie object")

// decodeCookie rebuilds a stored cookie as express-session's
// Store.createSession does.
func decodeCookie(raw []byte) (cookieState, error) {
	c := cookieState{
		originalMaxAge: jsval{kind: jsNull},
		expires:        expiry{other: jsval{kind: jsNull}},
		httpOnly:       jsBoolean(true),
		path:           jsStr("/"),
	}
	var storedOMA, storedExpires jsval
	// raw is part of a record that was validated whole.
	err := jsonscan.Members(raw, func(rawKey, value []byte) bool {
		key, ok := jsonscan.Unquoted(rawKey)
		if !ok {
			k, err := jsonscan.Key(rawKey)
			if err != nil {
				return true
			}
			key = []byte(k)
		}
		switch string(key) {
		case "originalMaxAge":
			storedOMA = parseJSVal(value)
		case "expires":
			storedExpires = parseJSVal(value)
			c.expires = expiry{other: storedExpires}
		case "partitioned":
			c.partitioned = parseJSVal(value)
		case "priority":
			c.priority = parseJSVal(value)
		case "secure":
			c.secure = parseJSVal(value)
		case "httpOnly":
			c.httpOnly = parseJSVal(value)
		case "domain":
			c.domain = parseJSVal(value)
		case "path":
			c.path = parseJSVal(value)
		case "sameSite":
			c.sameSite = parseJSVal(value)
		}
		return true
	})
	if err != nil {
		return cookieState{}, errCookieNotObject
	}
	if storedExpires.kind == jsString {
		c.expires = parseDate(storedExpires.s)
	}
	c.originalMaxAge = storedOMA
	return c, nil
}

// parseDate is JavaScript's new Date(string) for the forms dates are
// stored in.
func parseDate(s string) expiry {
	if t, ok := record.ParseTime(s); ok {
		return timeExpiry(t)
	}
	if t, err := http.ParseTime(s); err == nil {
		return timeExpiry(t)
	}
	return expiry{invalid: true}
}

// appendJSON writes the cookie as Cookie.toJSON does, in its fixed order.
func (c *cookieState) appendJSON(dst []byte) []byte {
	dst = append(dst, '{')
	first := true
	field := func(name string, v jsval) {
		if !v.defined() {
			return
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = append(dst, '"')
		dst = append(dst, name...)
		dst = append(dst, '"', ':')
		dst = v.appendJSON(dst)
	}
	field("originalMaxAge", c.originalMaxAge)
	field("partitioned", c.partitioned)
	field("priority", c.priority)
	switch {
	case c.expires.date:
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = append(dst, `"expires":"`...)
		dst = record.AppendTime(dst, time.UnixMilli(c.expires.ms))
		dst = append(dst, '"')
	case c.expires.invalid:
		field("expires", jsval{kind: jsNull})
	default:
		field("expires", c.expires.other)
	}
	field("secure", c.secure)
	field("httpOnly", c.httpOnly)
	field("domain", c.domain)
	field("path", c.path)
	field("sameSite", c.sameSite)
	return append(dst, '}')
}

// attrs converts the cookie to Set-Cookie attributes, with the checks the
// cookie package makes when express-session serialises it.
func (c *cookieState) attrs() (wire.Attrs, error) {
	var a wire.Attrs
	var err error
	if c.domain.truthy() {
		if a.Domain, err = attrString(c.domain, "domain"); err != nil {
			return a, err
		}
	}
	if c.path.truthy() {
		if a.Path, err = attrString(c.path, "path"); err != nil {
			return a, err
		}
	}
	switch {
	case c.expires.date:
		a.Expires = time.UnixMilli(c.expires.ms)
	case c.expires.invalid || c.expires.other.truthy():
		return a, fmt.Errorf("session: cookie option expires is invalid")
	}
	a.HTTPOnly = c.httpOnly.truthy()
	a.Secure = c.secure.truthy()
	a.Partitioned = c.partitioned.truthy()
	if c.priority.truthy() {
		p, ok := priorityAttr(Priority(c.priority.s))
		if c.priority.kind != jsString || !ok {
			return a, fmt.Errorf("session: cookie option priority is invalid")
		}
		a.Priority = p
	}
	if c.sameSite.truthy() {
		switch {
		case c.sameSite.kind == jsBool:
			a.SameSite = "Strict"
		case c.sameSite.kind == jsString && strings.EqualFold(c.sameSite.s, "strict"):
			a.SameSite = "Strict"
		case c.sameSite.kind == jsString && strings.EqualFold(c.sameSite.s, "lax"):
			a.SameSite = "Lax"
		case c.sameSite.kind == jsString && strings.EqualFold(c.sameSite.s, "none"):
			a.SameSite = "None"
		default:
			return a, fmt.Errorf("session: cookie option sameSite is invalid")
		}
	}
	return a, nil
}

func attrString(v jsval, name string) (string, error) {
	if v.kind != jsString {
		return "", fmt.Errorf("session: cookie option %s is invalid", name)
	}
	return v.s, nil
}
