// Package wire holds the byte-level formats express-session puts on the wire:
// cookie signing (cookie-signature 1.0.7), Cookie header parsing and
// Set-Cookie serialisation (cookie 0.7.2), URI component coding with
// JavaScript semantics, and session id generation (uid-safe).
//
// Behaviour is pinned to the Node packages by testdata/vectors.json, which
// testdata/gen-vectors.js produces from the real modules; where this package
// deliberately differs, the function's doc comment says so.
//
// The functions are written for the per-request hot path: they return
// substrings of their input where they can and allocate at most the result.
package wire
