package session

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unsafe"

	"github.com/sessionkit/session/internal/jsonscan"
	"github.com/sessionkit/session/record"
)

// data is the session's properties in JavaScript property order, with the
// cookie as one of them (at its stored position, first in new sessions).
//
// express-session decides whether a session was modified by hashing its
// JSON. Serialising every session on every request is what makes that
// expensive, so each property keeps the JSON it was loaded with or last
// serialised to; only properties that may have changed since — set by the
// handler, or a map/slice handed out by Get that the handler may mutate in
// place — are serialised again, once, when the middleware asks.
type data struct {
	entries []entry
}

type entry struct {
	key   string
	raw   []byte // the value's JSON; unused for the cookie
	val   any    // the Go value, once decoded or set
	has   bool   // val is valid
	live  bool   // val may differ from raw: serialise again before comparing
	canon []byte // for live values decoded from raw: their JSON when decoded
}

// kv is one property of a snapshot: the session's data (without the cookie)
// at a moment express-session would have hashed it.
type kv struct {
	key string
	raw []byte
}

type snapshot []kv

// ErrReservedKey is returned by Session.Set for the keys express-session
// reserves: "cookie" and the names of its session methods and of
// JavaScript's Object.prototype, which it drops when it loads a session.
var ErrReservedKey = errors.New("session: reserved key")

var reserved = map[string]bool{
	"cookie": true, "req": true, "id": true, "touch": true, "resetMaxAge": true,
	"save": true, "reload": true, "destroy": true, "regenerate": true,
	"constructor": true, "toString": true, "valueOf": true, "hasOwnProperty": true,
	"isPrototypeOf": true, "propertyIsEnumerable": true, "toLocaleString": true,
	"__proto__": true, "__defineGetter__": true, "__defineSetter__": true,
	"__lookupGetter__": true, "__lookupSetter__": true,
}

func newData() data {
	return data{entries: []entry{{key: "cookie"}}}
}

func (d *data) find(key string) int {
	for i := range d.entries {
		if d.entries[i].key == key {
			return i
		}
	}
	return -1
}

// put sets key, keeping its position if it exists; a new key goes where
// JavaScript would put it: integer-like keys first in ascending order, then
// the others in insertion order.
func (d *data) put(e entry) {
	if i := d.find(e.key); i >= 0 {
		d.entries[i] = e
		return
	}
	n, isIndex := indexKey(e.key)
	if !isIndex {
		d.entries = append(d.entries, e)
		return
	}
	at := 0
	for at < len(d.entries) {
		m, ok := indexKey(d.entries[at].key)
		if !ok || m > n {
			break
		}
		at++
	}
	d.entries = append(d.entries, entry{})
	copy(d.entries[at+1:], d.entries[at:])
	d.entries[at] = e
}

func (d *data) remove(key string) bool {
	i := d.find(key)
	if i < 0 || key == "cookie" {
		return false
	}
	d.entries = append(d.entries[:i], d.entries[i+1:]...)
	return true
}

// indexKey reports whether key is an array index, which JavaScript orders
// before all other property names.
func indexKey(key string) (uint64, bool) {
	if key == "" || len(key) > 10 || (key[0] == '0' && len(key) > 1) {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(key); i++ {
		c := key[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	return n, n < 1<<32-1
}

// value returns the Go value of entry i, decoding it on first use. A map or
// slice can be changed in place by the caller, so it is marked live.
func (d *data) value(i int) any {
	e := &d.entries[i]
	if e.has {
		if !e.live && isComposite(e.val) {
			e.live = true
		}
		return e.val
	}
	var v any
	if err := json.Unmarshal(e.raw, &v); err != nil {
		return nil
	}
	e.val, e.has = v, true
	if isComposite(v) {
		e.live = true
		e.canon, _ = marshalValue(v)
	}
	return v
}

func isComposite(v any) bool {
	switch v.(type) {
	case nil, string, bool, float64, float32, int, int8, int16, int32, int64,
		uint, uint8, uint16, uint32, uint64, json.Number:
		return false
	}
	return true
}

// refresh serialises the live entries again. A value that serialises as it
// did when it was loaded keeps its original bytes, so that a record written
// by Node keeps its nested key order when nothing in it changed.
func (d *data) refresh() error {
	for i := range d.entries {
		e := &d.entries[i]
		if !e.live {
			continue
		}
		b, err := marshalValue(e.val)
		if err != nil {
			return fmt.Errorf("session: value of %q: %w", e.key, err)
		}
		if !bytes.Equal(b, e.raw) && (e.canon == nil || !bytes.Equal(b, e.canon)) {
			e.raw, e.canon = b, nil
		}
		if !isComposite(e.val) {
			e.live = false // a scalar cannot change in place
		}
	}
	return nil
}

// snapshot returns the data without the cookie; call refresh first.
func (d *data) snapshot() snapshot {
	s := make(snapshot, 0, len(d.entries))
	for _, e := range d.entries {
		if e.key != "cookie" {
			s = append(s, kv{e.key, e.raw})
		}
	}
	return s
}

// equal reports whether the data matches s; call refresh first.
func (d *data) equal(s snapshot) bool {
	i := 0
	for _, e := range d.entries {
		if e.key == "cookie" {
			continue
		}
		if i >= len(s) || s[i].key != e.key || !sameBytes(s[i].raw, e.raw) {
			return false
		}
		i++
	}
	return i == len(s)
}

func sameBytes(a, b []byte) bool {
	if len(a) == len(b) && (len(a) == 0 || unsafe.SliceData(a) == unsafe.SliceData(b)) {
		return true
	}
	return bytes.Equal(a, b)
}

// appendJSON writes the record; call refresh first.
func (d *data) appendJSON(dst []byte, c *cookieState) []byte {
	dst = append(dst, '{')
	for i, e := range d.entries {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = record.AppendString(dst, e.key)
		dst = append(dst, ':')
		if e.key == "cookie" {
			dst = c.appendJSON(dst)
		} else {
			dst = append(dst, e.raw...)
		}
	}
	return append(dst, '}')
}

// decodeRecord loads a stored record. It returns the session's data, the
// snapshot express-session would hash (every stored property but the
// cookie, including the reserved ones the session then drops, so that a
// record holding them counts as modified until it is saved again), and the
// raw cookie.
func decodeRecord(doc []byte) (data, snapshot, []byte, error) {
	if !json.Valid(doc) {
		return data{}, nil, nil, errors.New("session: stored session is not valid JSON")
	}
	all := data{entries: make([]entry, 0, 8)}
	var cookie []byte
	var keyErr error
	hasReserved := false
	err := jsonscan.Members(doc, func(rawKey, value []byte) bool {
		var key string
		if string(rawKey) == `"cookie"` {
			key, cookie = "cookie", value
		} else if key, keyErr = jsonscan.Key(rawKey); keyErr != nil {
			return false
		}
		hasReserved = hasReserved || (key != "cookie" && reserved[key])
		all.put(entry{key: key, raw: value})
		return true
	})
	if err != nil || keyErr != nil {
		return data{}, nil, nil, errors.New("session: stored session is not a JSON object")
	}
	if i := all.find("cookie"); i >= 0 {
		cookie = all.entries[i].raw // the last "cookie" wins, as in JSON.parse
	}
	if cookie == nil || cookie[0] != '{' {
		return data{}, nil, nil, errCookieNotObject
	}
	orig := all.snapshot()
	if !hasReserved {
		return all, orig, cookie, nil
	}
	d := data{entries: make([]entry, 0, len(all.entries))}
	for _, e := range all.entries {
		if e.key == "cookie" || !reserved[e.key] {
			d.entries = append(d.entries, e)
		}
	}
	return d, orig, cookie, nil
}

// marshalValue serialises v as JSON.stringify would: no HTML escaping.
func marshalValue(v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return []byte("null"), nil
	case string:
		return record.AppendString(nil, x), nil
	case bool:
		return strconv.AppendBool(nil, x), nil
	case int:
		return strconv.AppendInt(nil, int64(x), 10), nil
	case int64:
		return strconv.AppendInt(nil, x, 10), nil
	case float64:
		return record.AppendNumber(nil, x), nil
	case json.RawMessage:
		var buf bytes.Buffer
		if err := json.Compact(&buf, x); err != nil {
			return nil, fmt.Errorf("invalid json.RawMessage: %w", err)
		}
		return buf.Bytes(), nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
