package filestore

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/sessionkit/session/record"
)

// lastAccessKey is the property session-file-store adds to every record it
// writes, and reads the record's age from.
const lastAccessKey = "__lastAccess"

// ErrCorrupt is wrapped by the error Get and Touch return for a session file
// that is not valid JSON. As session-file-store does, the file is deleted,
// so the next request starts a new session.
var ErrCorrupt = errors.New("filestore: session file is not valid JSON")

// expired is session-file-store's isExpired:
//
//	!session || !ttl || session.__lastAccess + ttl < Date.now()
//	where ttl = session.cookie && session.cookie.originalMaxAge ? session.cookie.originalMaxAge : options.ttl * 1000
//
// with JavaScript's coercions, for the parsed file doc; ttlMs is the TTL
// option in milliseconds and now the time in milliseconds. It fails with
// ErrCorrupt when doc is not JSON (JSON.parse would throw).
func expired(doc []byte, ttlMs float64, now int64) (bool, error) {
	members, err := record.Members(doc)
	if err != nil {
		return nonObjectExpired(doc)
	}
	ttl := jsNum(ttlMs)
	if cookie, ok := last(members, "cookie"); ok && cookie[0] == '{' {
		if cm, err := record.Members(cookie); err == nil {
			if oma, ok := last(cm, "originalMaxAge"); ok && parseJS(oma).truthy() {
				ttl = parseJS(oma)
			}
		}
	}
	if !ttl.truthy() {
		return true, nil
	}
	lastAccess := jsValue{kind: jsUndefined}
	if raw, ok := last(members, lastAccessKey); ok {
		lastAccess = parseJS(raw)
	}
	// NaN (no __lastAccess, or a string that is not a number) is never
	// less than now: such a file never expires, in Node as here.
	return jsAdd(lastAccess, ttl).toNumber() < float64(now), nil
}

// nonObjectExpired applies isExpired to a file that is not a JSON object:
// a falsy value (null, false, 0, "") counts as expired; any other value has
// no __lastAccess and so never expires.
func nonObjectExpired(doc []byte) (bool, error) {
	if !json.Valid(doc) {
		return false, ErrCorrupt
	}
	return !parseJS(trimSpace(doc)).truthy(), nil
}

// last returns the value of the last top-level member named key: where a
// document repeats a key, JSON.parse keeps the last one.
func last(members []record.Member, key string) ([]byte, bool) {
	for i := len(members) - 1; i >= 0; i-- {
		if members[i].Key == key {
			return members[i].Value, true
		}
	}
	return nil, false
}

// passed reports whether an expiry the middleware gave has passed; the zero
// time is no expiry.
func passed(exp, now time.Time) bool { return !exp.IsZero() && !exp.After(now) }

func trimSpace(b []byte) []byte {
	for len(b) > 0 && isJSONSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isJSONSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
