package main

import (
	"crypto/rand"
	"crypto/subtle"
	"net/http"

	"github.com/sessionkit/session"
)

// CSRF protection with the synchroniser-token pattern: a random token kept
// in the session is put in every form as a hidden field, and a POST is
// accepted only when the field matches the session's token. Another site can
// make a browser send a form with its cookies, but it cannot read the token.
// The cookie's SameSite=Lax already stops most cross-site POSTs; the token
// does not depend on the browser honouring it.

const (
	csrfKey   = "csrf"       // the session key holding the token
	csrfField = "csrf_token" // the hidden form field carrying it
)

// csrfToken returns the session's token, making one if it has none.
func csrfToken(s *session.Session) (string, error) {
	if tok, ok := session.GetAs[string](s, csrfKey); ok && tok != "" {
		return tok, nil
	}
	return newCSRFToken(s)
}

// newCSRFToken gives the session a new token. Sign-in calls it, so that a
// token seen before signing in is worthless after.
func newCSRFToken(s *session.Session) (string, error) {
	tok := rand.Text() // 26 base32 characters, 130 random bits
	if err := s.Set(csrfKey, tok); err != nil {
		return "", err
	}
	return tok, nil
}

// validCSRF reports whether the form's token matches the session's, in
// constant time. A request without a session, or a session without a
// token, never matches.
func validCSRF(r *http.Request) bool {
	s := session.Get(r)
	if s == nil {
		return false
	}
	want, _ := session.GetAs[string](s, csrfKey)
	got := r.PostFormValue(csrfField)
	if want == "" || got == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// requireCSRF wraps a POST handler: the form is read (at most 64 KiB) and
// refused with a 403 page unless its token is valid.
func (a *app) requireCSRF(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			a.renderError(w, r, http.StatusBadRequest, "The form could not be read",
				"The request was not a form this site sent. Go back, reload the page and try again.")
			return
		}
		if !validCSRF(r) {
			a.log.Warn("CSRF token missing or wrong", "path", r.URL.Path)
			a.renderError(w, r, http.StatusForbidden, "This form was not accepted",
				"Its security token does not match your session. That happens when the page is older than your session "+
					"(you signed out in another tab, or the server forgot the session) or when another site sent the form. "+
					"Go back, reload the page and try again.")
			return
		}
		next(w, r)
	}
}
