// Package session is server-side HTTP sessions for net/http, behaving as
// Node's express-session does, request for request, and sharing its wire
// formats: a Go service and a Node service with the same secret and store
// share the same sessions.
//
// A [Manager] built from [Options] wraps a handler; inside it, [Get]
// returns the request's [Session].
package session

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sessionkit/session/internal/wire"
	"github.com/sessionkit/session/store"
)

// Manager is the session middleware. It is safe for concurrent use.
type Manager struct {
	cfg *config
}

// New returns a Manager, or an error naming the option that is invalid.
func New(o Options) (*Manager, error) {
	c, err := newConfig(o)
	if err != nil {
		return nil, err
	}
	return &Manager{cfg: c}, nil
}

// Store returns the store the Manager uses.
func (m *Manager) Store() store.Store { return m.cfg.Store }

// Handler returns next wrapped by the session middleware.
func (m *Manager) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.serve(w, r, next)
	})
}

// serve is express-session's middleware function: load or create the
// session, run the handler, decide the cookie when the headers are written,
// and save before the response is complete.
func (m *Manager) serve(w http.ResponseWriter, r *http.Request, next http.Handler) {
	cfg := m.cfg
	// A session middleware further out already handled this request.
	if r.Context().Value(ctxKey{}) != nil {
		next.ServeHTTP(w, r)
		return
	}
	if cfg.readier != nil && !cfg.readier.Ready() {
		m.debug("store is disconnected")
		next.ServeHTTP(w, r)
		return
	}
	// The cookie path gates the session, matched as a plain prefix of the
	// path the client sent (before any prefix was stripped).
	opts := m.cookieOptions(r)
	path := opts.Path
	if path == "" {
		path = "/"
	}
	if !strings.HasPrefix(originalPath(r), path) {
		m.debug("pathname mismatch")
		next.ServeHTTP(w, r)
		return
	}

	s := &Session{m: m, r: r, secure: m.requestIsSecure(r)}
	s.cookieID, s.hasCookie = m.cookieSessionID(r)
	s.sessionID = s.cookieID
	rw := &s.rw
	*rw = responseWriter{ResponseWriter: w, s: s, remaining: -1}
	r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, s))
	s.r = r
	now := nowMs()

	if s.cookieID == "" {
		m.debug("no SID sent, generating session")
		m.generateNew(s, now)
	} else if !m.load(rw, s, now) {
		rw.finish()
		return
	}

	next.ServeHTTP(rw, r)

	m.commit(rw, s)
	rw.finish()
}

// load fetches the session named by the request's cookie; a session the
// store does not have becomes a new one. It reports false when the store
// failed and the error response was written.
func (m *Manager) load(w *responseWriter, s *Session, now int64) bool {
	m.debugID("fetching", s.cookieID)
	doc, found, err := m.cfg.Store.Get(s.r.Context(), s.cookieID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		m.debugErr("error", err)
		m.cfg.ErrorHandler(w, s.r, &StoreError{Op: "get", Err: err})
		return false
	}
	if err != nil || !found {
		m.debug("no session found")
		m.generateNew(s, now)
		return true
	}
	d, orig, rawCookie, err := decodeRecord(doc)
	if err == nil {
		s.cookie, err = decodeCookie(rawCookie)
	}
	if err != nil {
		m.cfg.ErrorHandler(w, s.r, fmt.Errorf("session: load %s: %w", idHash(s.cookieID), err))
		return false
	}
	m.debug("session found")
	s.id, s.data, s.active = s.sessionID, d, true
	s.originalID, s.original = s.id, orig
	if !m.cfg.Resave {
		s.saved, s.savedSet, s.savedID = orig, true, s.id
	}
	if s.cookie.expires.date {
		if oma := s.cookie.originalMaxAge; oma.kind == jsNumber {
			s.lastTouch = s.cookie.expires.ms - int64(oma.n)
		}
	}
	if t := m.cfg.AbsoluteTimeout; t > 0 {
		created, ok := s.createdAt()
		if !ok {
			// Created before the limit was configured, or by a Node app: the
			// limit runs from now, and the stamp makes the session save.
			s.data.put(entry{key: createdKey, raw: strconv.AppendInt(nil, now, 10)})
		} else if now-created >= t.Milliseconds() {
			m.debugID("session exceeded its absolute lifetime", s.id)
			if err := m.cfg.Store.Destroy(s.r.Context(), s.id); err != nil {
				s.active = false // no cookie for it on the error response
				m.cfg.ErrorHandler(w, s.r, &StoreError{Op: "destroy", Err: err})
				return false
			}
			m.generateNew(s, now)
		}
	}
	return true
}

// generateNew creates the request's session as express-session's generate
// does, and records it as the unmodified original.
func (m *Manager) generateNew(s *Session, now int64) {
	s.id, s.data, s.cookie = m.generate(s.r, now, s.secure)
	s.sessionID = s.id
	s.active = true
	s.originalID = s.id
	s.original = s.data.snapshot()
}

// generate returns a new ID, empty data and a cookie from the options. It
// calls the application's GenID and CookieFunc, so it must run without the
// session's lock held: they may use the session themselves.
func (m *Manager) generate(r *http.Request, now int64, secure bool) (string, data, cookieState) {
	id := m.cfg.GenID(r)
	d := newData()
	opts := m.cookieOptions(r)
	c := newCookieState(&opts, now, secure)
	if m.cfg.AbsoluteTimeout > 0 {
		d.put(entry{key: createdKey, raw: strconv.AppendInt(nil, now, 10)})
	}
	return id, d, c
}

// writeHeaders runs once, when the handler first writes the response
// headers (or returns without writing): it decides whether to send the
// session cookie, from the session's state at that moment.
func (m *Manager) writeHeaders(s *Session, h http.Header) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.destroyed && m.cfg.DestroyClearsCookie {
		m.addClearingCookie(s, h)
		return
	}
	if !s.active {
		m.debug("no session")
		return
	}
	if err := s.refreshOnce(); err != nil {
		return
	}
	if !s.shouldSetCookie() {
		return
	}
	if s.cookie.secure.truthy() && !s.secure {
		m.debug("not secured")
		return
	}
	if !s.touched {
		s.cookie.touch(nowMs())
		s.touched = true
	}
	line, err := m.setCookie(s.sessionID, &s.cookie)
	if err != nil {
		s.lateErrs = append(s.lateErrs, err)
		return
	}
	m.debug("set-cookie")
	h.Add("Set-Cookie", line)
}

// commit is express-session's res.end: after the handler has returned,
// before the response is complete, write the session to the store, touch
// it, or destroy it.
func (m *Manager) commit(w *responseWriter, s *Session) {
	w.headersNow()
	ctx := context.WithoutCancel(s.r.Context())
	s.mu.Lock()
	op, id, doc, exp := m.decide(s)
	s.mu.Unlock()
	var err error
	switch op {
	case opDestroy:
		m.debugID("destroying", id)
		if err = m.cfg.Store.Destroy(ctx, id); err == nil {
			m.debug("destroyed")
		}
	case opSave:
		m.debugID("saving", id)
		err = m.cfg.Store.Set(ctx, id, doc, exp)
	case opTouch:
		m.debug("touching")
		if err = m.cfg.toucher.Touch(ctx, id, doc, exp); err == nil {
			m.debug("touched")
		}
	}
	if err != nil {
		s.lateErrs = append(s.lateErrs, &StoreError{Op: string(op), Err: err})
	}
	for _, err := range s.lateErrs {
		m.cfg.ErrorHandler(w, s.r, lateError{err})
	}
}

type storeOp string

const (
	opNone    storeOp = ""
	opSave    storeOp = "save"
	opTouch   storeOp = "touch"
	opDestroy storeOp = "destroy"
)

// decide picks the end-of-request store operation; s.mu is held.
func (m *Manager) decide(s *Session) (storeOp, string, []byte, time.Time) {
	if !s.active {
		if m.cfg.Unset == UnsetDestroy && s.sessionID != "" {
			return opDestroy, s.sessionID, nil, time.Time{}
		}
		return opNone, "", nil, time.Time{}
	}
	now := nowMs()
	if !s.touched {
		s.cookie.touch(now)
		s.touched = true
	}
	if err := s.refreshOnce(); err != nil {
		return opNone, "", nil, time.Time{}
	}
	op := opNone
	switch {
	case s.shouldSave():
		op = opSave
		s.saved, s.savedSet, s.savedID = s.data.snapshot(), true, s.id
	case m.cfg.toucher != nil && s.shouldTouch():
		if t := m.cfg.TouchInterval; t > 0 && s.lastTouch > 0 && now-s.lastTouch < t.Milliseconds() {
			return opNone, "", nil, time.Time{}
		}
		op = opTouch
	default:
		return opNone, "", nil, time.Time{}
	}
	doc := s.data.appendJSON(make([]byte, 0, 256), &s.cookie)
	return op, s.id, doc, s.cookie.expiresTime()
}

// refreshOnce serialises the changed values again; a value that cannot be
// encoded is reported once, though the header decision and the save both
// need the encoding.
func (s *Session) refreshOnce() error {
	err := s.data.refresh()
	if err != nil && !s.encodeFailed {
		s.encodeFailed = true
		s.lateErrs = append(s.lateErrs, err)
	}
	return err
}

// isNew is express-session's cookieId !== req.sessionID: no valid cookie,
// not in the store, or regenerated.
func (s *Session) isNew() bool { return !s.hasCookie || s.cookieID != s.sessionID }

func (s *Session) isModified() bool {
	return s.originalID != s.id || !s.data.equal(s.original)
}

// isSaved is express-session's isSaved, except that a save made after
// Regenerate counts too (express checks the ID against the original one,
// so a regenerated session that was saved is written twice, #935).
func (s *Session) isSaved() bool {
	return s.savedSet && s.savedID == s.id && s.data.equal(s.saved)
}

func (s *Session) shouldSetCookie() bool {
	if s.isNew() {
		return s.m.cfg.SaveUninitialized || s.isModified()
	}
	return s.m.cfg.Rolling || (s.cookie.expires.isSet() && s.isModified())
}

func (s *Session) shouldSave() bool {
	if !s.m.cfg.SaveUninitialized && !s.savedSet && s.isNew() {
		return s.isModified()
	}
	return !s.isSaved()
}

func (s *Session) shouldTouch() bool { return !s.isNew() && !s.shouldSave() }

// requestIsSecure is express-session's issecure. The middleware asks once
// per request, before the handler runs.
func (m *Manager) requestIsSecure(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	switch m.cfg.Proxy {
	case Off:
		return false
	case On:
		proto, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ",")
		return strings.EqualFold(strings.TrimSpace(proto), "https")
	}
	return m.cfg.RequestIsSecure(r)
}

func (m *Manager) cookieOptions(r *http.Request) CookieOptions {
	if m.cfg.CookieFunc != nil {
		return m.cfg.CookieFunc(r)
	}
	return m.cfg.Cookie
}

// cookieSessionID returns the verified session ID from the request's
// cookie: the first cookie of the configured name, which must carry a valid
// signature from one of the secrets.
func (m *Manager) cookieSessionID(r *http.Request) (string, bool) {
	hdr := r.Header["Cookie"]
	if len(hdr) == 0 {
		return "", false
	}
	h := hdr[0]
	if len(hdr) > 1 {
		h = strings.Join(hdr, "; ")
	}
	raw, ok := wire.CookieValue(h, m.cfg.Name)
	if !ok || raw == "" {
		return "", false
	}
	signed, ok := strings.CutPrefix(raw, "s:")
	if !ok {
		m.debug("cookie unsigned")
		return "", false
	}
	id, ok := wire.Unsign(signed, m.cfg.secrets)
	if !ok {
		m.debug("cookie signature invalid")
		return "", false
	}
	return id, true
}

// setCookie builds the Set-Cookie line for a session: the value is
// encodeURIComponent("s:" + id + "." + signature), built in one buffer.
func (m *Manager) setCookie(id string, c *cookieState) (string, error) {
	a, err := c.attrs()
	if err != nil {
		return "", err
	}
	var vbuf [128]byte
	v := append(vbuf[:0], "s%3A"...)
	if v, err = wire.AppendURIComponent(v, id); err != nil {
		return "", fmt.Errorf("session: session ID cannot be put in a cookie: %w", err)
	}
	v = append(v, '.')
	var sig [64]byte
	v, _ = wire.AppendURIComponent(v, wire.AppendSignature(sig[:0], id, m.cfg.secrets[0]))
	var lbuf [256]byte
	line, err := wire.AppendSetCookie(lbuf[:0], m.cfg.Name, v, &a)
	return string(line), err
}

// addClearingCookie expires the destroyed session's cookie in the browser,
// with the path and domain it was set with so that it replaces it.
func (m *Manager) addClearingCookie(s *Session, h http.Header) {
	a, err := s.cookie.attrs()
	if err != nil {
		return
	}
	a.Expires = clearedExpiry
	b, err := wire.AppendSetCookie(nil, m.cfg.Name, "", &a)
	if err == nil {
		h.Add("Set-Cookie", string(b))
	}
}

var clearedExpiry = time.Unix(0, 0)

// originalPath is the path the client asked for, before any StripPrefix.
func originalPath(r *http.Request) string {
	uri := r.RequestURI
	if uri == "" {
		return r.URL.EscapedPath()
	}
	if uri[0] != '/' {
		if u, err := url.ParseRequestURI(uri); err == nil {
			uri = u.EscapedPath()
		}
	}
	if i := strings.IndexByte(uri, '?'); i >= 0 {
		uri = uri[:i]
	}
	if uri == "" {
		return "/"
	}
	return uri
}
