// Package record reads and edits session records: the JSON documents that
// express-session hands to its stores and that sessionkit writes byte for
// byte the same way.
//
// Stores use it where their Node counterpart looks inside a record: to find
// the expiry in cookie.expires, to replace the cookie on touch, or to add a
// property such as session-file-store's __lastAccess. Every function keeps the
// document's other bytes and property order as they are, so a record written
// by Node and edited here is still what Node would have written.
package record

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/sessionkit/session/internal/jsonscan"
)

// ErrNotObject is returned for a record that is not a JSON object.
var ErrNotObject = errors.New("record: not a JSON object")

// Member is one top-level property of a record.
type Member struct {
	Key   string
	Value []byte // the raw JSON value, a subslice of the parsed document
}

// Members returns the top-level properties of doc in document order. The
// values are subslices of doc. It fails if doc is not valid JSON or not an
// object.
func Members(doc []byte) ([]Member, error) {
	var out []Member
	err := walk(doc, func(key string, _, vs, ve int) bool {
		out = append(out, Member{Key: key, Value: doc[vs:ve]})
		return true
	})
	return out, err
}

// Lookup returns the raw value of the top-level property key.
// When a key appears more than once the last value counts, as in
// JavaScript's JSON.parse.
func Lookup(doc []byte, key string) (value []byte, ok bool, err error) {
	err = walk(doc, func(k string, _, vs, ve int) bool {
		if k == key {
			value, ok = doc[vs:ve], true
		}
		return true
	})
	return value, ok, err
}

// With returns a copy of doc in which the top-level property key has the raw
// JSON value. An existing property keeps its position; a new one is
// appended, as a JavaScript assignment would. value must be valid JSON.
func With(doc []byte, key string, value []byte) ([]byte, error) {
	if !json.Valid(value) {
		return nil, fmt.Errorf("record: value for %q is not valid JSON", key)
	}
	start, end := -1, -1
	err := walk(doc, func(k string, _, vs, ve int) bool {
		if k == key {
			start, end = vs, ve // the last copy is the one JSON.parse keeps
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	if start >= 0 {
		out := make([]byte, 0, len(doc)-(end-start)+len(value))
		out = append(out, doc[:start]...)
		out = append(out, value...)
		return append(out, doc[end:]...), nil
	}
	close := bytes.LastIndexByte(doc, '}')
	out := make([]byte, 0, len(doc)+len(key)+len(value)+4)
	out = append(out, bytes.TrimRight(doc[:close], " \t\r\n")...)
	if out[len(out)-1] != '{' {
		out = append(out, ',')
	}
	out = AppendString(out, key)
	out = append(out, ':')
	out = append(out, value...)
	return append(out, '}'), nil
}

// Expiry returns the instant in the record's cookie.expires. ok is false
// when the record has no expiry (no cookie, or expires absent, null or not a
// date), which stores treat as "no expiry".
func Expiry(doc []byte) (t time.Time, ok bool, err error) {
	cookie, found, err := Lookup(doc, "cookie")
	if err != nil || !found {
		return time.Time{}, false, err
	}
	raw, found, err := Lookup(cookie, "expires")
	if err == ErrNotObject {
		return time.Time{}, false, nil // a cookie that is not an object has no expiry
	}
	if err != nil || !found {
		return time.Time{}, false, err
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return time.Time{}, false, nil
	}
	t, ok = ParseTime(s)
	return t, ok, nil
}

// ParseTime parses a date as JavaScript's Date.prototype.toISOString writes
// it (2026-01-02T03:04:05.678Z), and the other RFC 3339 forms.
func ParseTime(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// FormatTime formats t as JavaScript's Date.prototype.toISOString does:
// UTC, always three fractional digits, truncated to the millisecond.
func FormatTime(t time.Time) string {
	return string(AppendTime(nil, t))
}

// AppendTime appends FormatTime(t) to dst.
func AppendTime(dst []byte, t time.Time) []byte {
	t = t.UTC().Truncate(time.Millisecond)
	y := t.Year()
	switch {
	case y < 0:
		dst = fmt.Appendf(dst, "-%06d", -y)
	case y > 9999:
		dst = fmt.Appendf(dst, "+%06d", y)
	default:
		// Four digits, zero padded, without fmt: this runs on every save.
		dst = append(dst, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10))
	}
	return t.AppendFormat(dst, "-01-02T15:04:05.000Z")
}

// walk calls fn for each top-level member of doc with the member's key and
// the offsets of its value; fn returns false to stop.
func walk(doc []byte, fn func(key string, _, vs, ve int) bool) error {
	if !json.Valid(doc) {
		return ErrNotObject
	}
	var err error
	serr := jsonscan.Members(doc, func(rawKey, value []byte) bool {
		var key string
		if key, err = jsonscan.Key(rawKey); err != nil {
			return false
		}
		// value is a subslice of doc: its offset follows from the capacities.
		vs := cap(doc) - cap(value)
		return fn(key, 0, vs, vs+len(value))
	})
	if serr != nil {
		return ErrNotObject
	}
	return err
}
