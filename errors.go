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

// StoreError is an error from the store, with the operation that failed
// (get, save, touch or destroy). The middleware passes it to ErrorHandler,
// wrapped, so that an application can tell a store that is down (answer
// 503) from, say, a record it cannot decode (500):
//
//	var se *session.StoreError
//	if errors.As(err, &se) { ... }
type StoreError struct {
	Op  string
	Err error
}

// Error names the operation and the cause.
func (e *StoreError) Error() string { return "session: " + e.Op + ": " + e.Err.Error() }

// Unwrap returns the store's error.
func (e *StoreError) Unwrap() error { return e.Err }
