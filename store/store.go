// Package store defines the contract between the session middleware and the
// places sessions are kept.
//
// A store keeps one record per session ID. A record is the session serialised
// as JSON exactly as express-session hands it to its Node stores:
//
//	{"cookie":{"originalMaxAge":60000,"expires":"2026-11-23T13:25:16.822Z","httpOnly":true,"path":"/"},"user":"bob"}
//
// Stores treat the bytes as opaque except where their Node counterpart looks
// inside (package record has helpers for that). Together with each record the
// middleware passes its expiry: the instant in the record's cookie.expires, or
// the zero time when the session has no expiry (a browser-session cookie); a
// store decides how long to keep such records (connect-redis keeps them a day).
//
// # Required and optional methods
//
// Every store implements [Store]. The middleware discovers the optional
// interfaces with a type assertion, once, when it is built:
//
//   - [Toucher]: refresh a record's expiry without rewriting its data. Without
//     it, a session that is read but not modified never has its expiry moved.
//   - [Lister], [Counter], [Clearer]: administration; never called by the
//     middleware.
//   - [Readier]: a store that knows it is disconnected says so, and the
//     middleware serves requests without a session until it is back (what
//     express-session does on its store's "disconnect" event).
//   - [Rewriter]: a store that adds to the records it writes (for example
//     session-file-store's __lastAccess) returns the record as written, and
//     the session in memory takes the additions, as Node's store does by
//     writing into the live session.
//   - io.Closer: release connections and background work.
//
// New capabilities (for example a version check that refuses a lost update,
// or an index of sessions by user for "log out everywhere") will be added the
// same way, as new optional interfaces, so existing stores keep compiling and
// keep working.
//
// # Rules every store follows
//
//   - Get never returns a record whose expiry has passed (a zero expiry never
//     passes); expired records are removed eventually, without a full scan on
//     the request path.
//   - Every method honours its context: it returns ctx.Err() (possibly
//     wrapped) promptly once the context is done, and never blocks past it.
//   - Errors name the store and the operation and wrap the cause with %w,
//     e.g. "redisstore: get: dial tcp 127.0.0.1:6379: connection refused".
//   - Not found is not an error: Get reports it with found == false, Destroy
//     of a missing record succeeds. A store may also return an error that
//     wraps [ErrNotFound] (express-session's ENOENT); the middleware treats
//     it as not found.
//   - Set and Touch must not keep the data slice after they return; Get must
//     return a slice the caller may keep and modify.
//   - All methods are safe for concurrent use.
//
// The storetest package checks all of this; run it from your store's tests.
package store

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound may be wrapped by a store's Get error to say that the record
// does not exist (the equivalent of express-session's ENOENT). Stores should
// prefer returning found == false.
var ErrNotFound = errors.New("session not found")

// Store is the contract every session store implements.
type Store interface {
	// Get returns the record stored under id. found is false when there is
	// no live record (missing or expired).
	Get(ctx context.Context, id string) (data []byte, found bool, err error)

	// Set stores data under id, replacing any previous record. expires is
	// the record's expiry; the zero time means the session has none and the
	// store applies its own default lifetime.
	Set(ctx context.Context, id string, data []byte, expires time.Time) error

	// Destroy removes the record stored under id. Removing a record that
	// does not exist is not an error.
	Destroy(ctx context.Context, id string) error
}

// Toucher is implemented by stores that can refresh a record's expiry
// without rewriting it. data is the session as the middleware holds it; a
// store may copy its cookie into the stored record, as express-session's
// MemoryStore does, but must not otherwise replace the stored data. Touching
// a record that is missing or already expired does nothing.
type Toucher interface {
	Touch(ctx context.Context, id string, data []byte, expires time.Time) error
}

// Lister is implemented by stores that can list their live records.
type Lister interface {
	All(ctx context.Context) (map[string][]byte, error)
}

// Counter is implemented by stores that can count their live records.
type Counter interface {
	Len(ctx context.Context) (int, error)
}

// Clearer is implemented by stores that can remove every record.
type Clearer interface {
	Clear(ctx context.Context) error
}

// Rewriter is implemented by stores that add properties to the records they
// store. SetRecord stores data as Set does and returns the record as it was
// written (decrypted, if the store encrypts), or nil if nothing was stored.
// The middleware calls it for an explicit Session.Save and copies the
// top-level properties the store added or changed into the session, so that
// the handler, and the end-of-request decision whether to save again, see
// what a Node app sharing the store would see.
type Rewriter interface {
	SetRecord(ctx context.Context, id string, data []byte, expires time.Time) ([]byte, error)
}

// Readier is implemented by stores that know whether they can serve
// requests. While Ready returns false the middleware serves requests
// without a session and makes no store calls. Ready is called on every
// request and must be cheap (an atomic load, not a network round trip).
type Readier interface {
	Ready() bool
}
