package session

import "errors"

// ErrHeadersSent is wrapped by the errors the middleware passes to
// Options.ErrorHandler after the response headers were written: the
// response can no longer change, so the error can only be logged or
// counted. errors.Is(err, ErrHeadersSent) tells them apart.
var ErrHeadersSent = errors.New("session: error after the response headers were sent")

type lateError struct{ err error }

func (e lateError) Error() string { return e.err.Error() + " (after the response headers were sent)" }

func (e lateError) Unwrap() []error { return []error{e.err, ErrHeadersSent} }

func isLate(err error) bool { return errors.Is(err, ErrHeadersSent) }
