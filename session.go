package session

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/sessionkit/session/internal/jsonscan"
)

// ErrNoSession is returned by Session methods when the request has no
// session: it was destroyed or unset earlier in the request, or the request
// never had one (outside the cookie's path, or the store not ready).
var ErrNoSession = errors.New("session: the request has no session")

// ErrSessionMissing is returned by Reload when the store no longer has the
// session (express-session: "failed to load session").
var ErrSessionMissing = errors.New("session: failed to load session: not in the store")

// Session is the session of one request. Get it with [Get] or
// [FromContext]. Its methods are safe for concurrent use by the handler's
// goroutines; it must not be kept after the handler returns.
//
// A nil *Session, which Get returns for a request without a session, is
// safe to use: reads find nothing, Set and the methods that reach the store
// return ErrNoSession, the others do nothing.
//
// Values are kept as JSON, as in express-session: anything stored must
// survive encoding/json, and a value loaded from the store comes back as
// encoding/json decodes into an any (numbers as float64, objects as
// map[string]any) — use [GetAs] to read it into a typed variable.
type Session struct {
	mu sync.Mutex
	m  *Manager
	r  *http.Request

	// What express-session keeps per request beside req.session.
	cookieID     string // verified session ID from the request's cookie
	hasCookie    bool
	sessionID    string // req.sessionID
	active       bool   // req.session is set
	destroyed    bool
	originalID   string
	original     snapshot
	saved        snapshot
	savedSet     bool
	savedID      string // the ID saved was taken under
	touched      bool
	secure       bool // the request arrived over HTTPS
	lastTouch    int64
	lateErrs     []error
	encodeFailed bool
	rw           responseWriter // allocated with the session

	// req.session itself.
	id     string
	data   data
	cookie cookieState
}

type ctxKey struct{}

// Get returns the session of r, or nil when r has none: the request is
// outside the cookie's path, the store is not ready, or the session was
// destroyed or unset earlier in the request.
func Get(r *http.Request) *Session { return FromContext(r.Context()) }

// FromContext returns the session stored in ctx by the middleware, or nil.
func FromContext(ctx context.Context) *Session {
	s, _ := ctx.Value(ctxKey{}).(*Session)
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.active {
		return nil
	}
	return s
}

// ID returns the session ID.
func (s *Session) ID() string {
	if s == nil {
		return ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.id
}

// Get returns the value stored under key. A value loaded from the store is
// decoded as encoding/json decodes into an any.
func (s *Session) Get(key string) (any, bool) {
	if s == nil {
		return nil, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.data.find(key)
	if i < 0 || key == "cookie" {
		return nil, false
	}
	return s.data.value(i), true
}

// GetAs returns the value stored under key as a T. It reports false when
// the key is absent, its value is null, or it does not fit T. A number
// stored as an int comes back as an int even after a round trip through the
// store, where it is a JSON number. A map, slice or struct read back from
// the store is a fresh copy: store changes to it with Set.
func GetAs[T any](s *Session, key string) (T, bool) {
	var zero T
	if s == nil {
		return zero, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.data.find(key)
	if i < 0 || key == "cookie" {
		return zero, false
	}
	e := &s.data.entries[i]
	if e.has {
		if v, ok := e.val.(T); ok {
			if isComposite(v) {
				e.live = true
			}
			return v, true
		}
	}
	raw := e.raw
	if e.live {
		b, err := marshalValue(e.val)
		if err != nil {
			return zero, false
		}
		raw = b
	}
	if string(raw) == "null" {
		return zero, false
	}
	var fast T
	if decodeScalar(raw, &fast) {
		return fast, true
	}
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		return zero, false
	}
	return v, true
}

// decodeScalar decodes the common scalar types without reflection; it
// reports false to leave anything else to encoding/json.
func decodeScalar(raw []byte, p any) bool {
	switch p := p.(type) {
	case *int:
		n, err := strconv.Atoi(string(raw))
		*p = n
		return err == nil
	case *int64:
		n, err := strconv.ParseInt(string(raw), 10, 64)
		*p = n
		return err == nil
	case *float64:
		if len(raw) == 0 || raw[0] == 'n' {
			return false
		}
		f, err := strconv.ParseFloat(string(raw), 64)
		*p = f
		return err == nil
	case *string:
		s, ok := jsonscan.String(raw)
		*p = s
		return ok
	case *bool:
		switch string(raw) {
		case "true":
			*p = true
			return true
		case "false":
			*p = false
			return true
		}
	}
	return false
}

// Set stores value under key. value must be encodable as JSON; it is
// encoded again when the request ends, so changes made to it in place
// afterwards are saved too. Set returns ErrReservedKey for the keys
// express-session reserves and the encoding error for values that cannot
// be encoded.
func (s *Session) Set(key string, value any) error {
	if s == nil {
		return ErrNoSession
	}
	if reserved[key] || s.internalKey(key) {
		return fmt.Errorf("%w: %q", ErrReservedKey, key)
	}
	raw, err := marshalValue(value)
	if err != nil {
		return fmt.Errorf("session: set %q: %w", key, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data.put(entry{key: key, raw: raw, val: value, has: true, live: isComposite(value)})
	return nil
}

// Delete removes key.
func (s *Session) Delete(key string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.internalKey(key) {
		s.data.remove(key)
	}
}

// Clear removes every key.
func (s *Session) Clear() {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	kept := s.data.entries[:0]
	for _, e := range s.data.entries {
		if e.key == "cookie" || s.internalKey(e.key) {
			kept = append(kept, e)
		}
	}
	clear(s.data.entries[len(kept):])
	s.data.entries = kept
}

// internalKey reports whether key is the creation stamp that enforces
// Options.AbsoluteTimeout, which handlers must not remove or forge.
func (s *Session) internalKey(key string) bool {
	return key == createdKey && s.m.cfg.AbsoluteTimeout > 0
}

// Keys returns the keys in JavaScript property order: integer-like keys
// first, ascending, then the others in the order they were added.
func (s *Session) Keys() []string {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	keys := make([]string, 0, len(s.data.entries))
	for _, e := range s.data.entries {
		if e.key != "cookie" {
			keys = append(keys, e.key)
		}
	}
	return keys
}

// Len returns the number of keys.
func (s *Session) Len() int {
	if s == nil {
		return 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.data.entries) - 1
}

// Cookie returns the session's cookie settings.
func (s *Session) Cookie() Cookie { return Cookie{s} }

// Touch renews the cookie's expiry to now plus its original max age. It
// does not call the store; the middleware refreshes the store at the end of
// the request.
func (s *Session) Touch() {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cookie.touch(nowMs())
}

// Save writes the session to the store now. The middleware then skips its
// own end-of-request save unless the session changes again. Save before
// redirecting when the next request must see the change.
func (s *Session) Save(ctx context.Context) error {
	if s == nil {
		return ErrNoSession
	}
	s.mu.Lock()
	if !s.active {
		s.mu.Unlock()
		return ErrNoSession
	}
	doc, err := s.encodeLocked()
	if err != nil {
		s.mu.Unlock()
		return err
	}
	s.saved, s.savedSet, s.savedID = s.data.snapshot(), true, s.id
	id, exp := s.id, s.cookie.expiresTime()
	s.mu.Unlock()
	s.m.debugID("saving", id)
	if rw := s.m.cfg.rewriter; rw != nil {
		written, err := rw.SetRecord(ctx, id, doc, exp)
		if err != nil {
			return &StoreError{Op: "save", Err: err}
		}
		s.adopt(id, written)
		return nil
	}
	if err := s.m.cfg.Store.Set(ctx, id, doc, exp); err != nil {
		return &StoreError{Op: "save", Err: err}
	}
	return nil
}

// adopt copies into the session the top-level properties a Rewriter store
// added to or changed in the record it wrote for id.
func (s *Session) adopt(id string, written []byte) {
	if written == nil || !json.Valid(written) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.id != id {
		return // regenerated meanwhile
	}
	_ = jsonscan.Members(written, func(rawKey, value []byte) bool {
		key, err := jsonscan.Key(rawKey)
		if err != nil || key == "cookie" || reserved[key] {
			return true
		}
		if i := s.data.find(key); i < 0 || !bytes.Equal(s.data.entries[i].raw, value) {
			s.data.put(entry{key: key, raw: bytes.Clone(value)})
		}
		return true
	})
}

// Reload replaces the session's data and cookie with what the store holds
// now. It returns ErrSessionMissing if the store no longer has it.
func (s *Session) Reload(ctx context.Context) error {
	if s == nil {
		return ErrNoSession
	}
	s.mu.Lock()
	if !s.active {
		s.mu.Unlock()
		return ErrNoSession
	}
	id := s.id
	s.mu.Unlock()
	s.m.debugID("reloading", id)
	doc, found, err := s.m.cfg.Store.Get(ctx, id)
	if err != nil {
		return &StoreError{Op: "get", Err: err}
	}
	if !found {
		return ErrSessionMissing
	}
	d, _, rawCookie, err := decodeRecord(doc)
	if err != nil {
		return fmt.Errorf("session: reload: %w", err)
	}
	c, err := decodeCookie(rawCookie)
	if err != nil {
		return fmt.Errorf("session: reload: %w", err)
	}
	s.mu.Lock()
	s.data, s.cookie = d, c
	s.mu.Unlock()
	return nil
}

// Regenerate replaces the session with a new, empty one under a new ID and
// a new cookie, and destroys the old one in the store. Call it when a user
// logs in, against session fixation. If destroying the old session fails
// the new session is still in place, and the error is returned.
func (s *Session) Regenerate(ctx context.Context) error {
	return s.regenerate(ctx, false)
}

// RenewID moves the session to a new ID, keeping its data and cookie
// settings, and destroys the old ID in the store (express-session issue
// #425). Like Regenerate it guards against session fixation.
func (s *Session) RenewID(ctx context.Context) error {
	return s.regenerate(ctx, true)
}

func (s *Session) regenerate(ctx context.Context, keep bool) error {
	if s == nil {
		return ErrNoSession
	}
	s.mu.Lock()
	if !s.active {
		s.mu.Unlock()
		return ErrNoSession
	}
	old := s.sessionID
	s.mu.Unlock()
	s.m.debugID("regenerating", old)
	err := s.m.cfg.Store.Destroy(ctx, old)
	id, d, c := s.m.generate(s.r, nowMs(), s.secure)
	s.mu.Lock()
	s.id, s.sessionID = id, id
	if !keep {
		s.data, s.cookie = d, c
	}
	s.mu.Unlock()
	if err != nil {
		return &StoreError{Op: "destroy", Err: err}
	}
	return nil
}

// Destroy removes the session from the store and from the request: Get
// returns nil afterwards and nothing is saved at the end of the request.
// The browser keeps its cookie unless Options.DestroyClearsCookie is set.
func (s *Session) Destroy(ctx context.Context) error {
	if s == nil {
		return ErrNoSession
	}
	s.mu.Lock()
	if !s.active {
		s.mu.Unlock()
		return ErrNoSession
	}
	s.active, s.destroyed = false, true
	id := s.id
	s.mu.Unlock()
	s.m.debugID("destroying", id)
	if err := s.m.cfg.Store.Destroy(ctx, id); err != nil {
		// The record lives on: do not tell the browser to forget the cookie.
		s.mu.Lock()
		s.destroyed = false
		s.mu.Unlock()
		return &StoreError{Op: "destroy", Err: err}
	}
	return nil
}

// Unset removes the session from the request without destroying it, as
// assigning null to req.session does in express-session: nothing is saved
// at the end of the request, and the stored session is kept or destroyed
// according to Options.Unset.
func (s *Session) Unset() {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.active = false
}

// MarshalJSON returns the session's record as it would be stored now: the
// same JSON express-session hands its stores.
func (s *Session) MarshalJSON() ([]byte, error) {
	if s == nil {
		return []byte("null"), nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.encodeLocked()
}

// encodeLocked returns the record for the store.
func (s *Session) encodeLocked() ([]byte, error) {
	if err := s.data.refresh(); err != nil {
		return nil, err
	}
	return s.data.appendJSON(make([]byte, 0, 256), &s.cookie), nil
}

// createdAt returns the session's creation time kept for AbsoluteTimeout.
func (s *Session) createdAt() (int64, bool) {
	i := s.data.find(createdKey)
	if i < 0 {
		return 0, false
	}
	n, err := strconv.ParseInt(string(s.data.entries[i].raw), 10, 64)
	return n, err == nil
}

const createdKey = "__created"

func nowMs() int64 { return time.Now().UnixMilli() }
