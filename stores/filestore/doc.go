// Package filestore keeps sessions in one JSON file per session, in the
// format of Node's session-file-store 1.5.0, so that an express-session app
// and a sessionkit app pointed at the same directory (with the same secret)
// share their sessions in both directions.
//
// # Format
//
// The session with ID sid lives in <Path>/<sid><FileExtension>, by default
// ./sessions/<sid>.json. The file holds the record the middleware hands the
// store, byte for byte, plus a top-level "__lastAccess" property: the time of
// the write in milliseconds since the epoch. Every write sets it, Set and
// Touch alike, so it is part of the data the next request loads (as it is in
// Node, where the application sees req.session.__lastAccess):
//
//	{"cookie":{"originalMaxAge":3600000,"expires":"2026-11-23T14:27:59.043Z","httpOnly":true,"path":"/"},"user":"bob","__lastAccess":1795440479044}
//
// session-file-store assigns __lastAccess on the live req.session it saves,
// so after an explicit req.session.save() express-session sees a changed
// session and saves it again at the end of the request. Set does the same
// to the request's session when its context carries the session being
// saved (as the middleware's calls do), so the middleware makes the same
// store calls as express-session.
//
// Files are replaced atomically, as write-file-atomic does: the new content is
// written to a temporary file in the same directory, whose name does not end
// in the extension (<sid>.json.<random>), and renamed over the old one. A
// reader never sees a partly written file.
//
// # Encryption
//
// With [Options.Secret] set, as with session-file-store's secret option,
// each file holds instead a kruptein 2 envelope of the record: AES-256-GCM
// under a key derived with scrypt (N=16384, r=8, p=1) from the secret and a
// 128-byte salt, plus an HMAC-SHA512 of the ciphertext, in the JSON layout
// kruptein writes. A Node app with the same secret reads and writes the same
// files. Deriving a key costs tens of milliseconds and 16 MiB, so derived
// keys are cached by salt and this store encrypts many files under one salt
// (Node draws a new salt, and derives a new key, for every write and read).
//
// # Expiry
//
// The files carry no expiry of their own. A session has expired when
//
//	__lastAccess + (cookie.originalMaxAge || TTL) < now
//
// evaluated with JavaScript's coercions, exactly as session-file-store's
// isExpired does; cookie.expires is not looked at. A file without
// "__lastAccess" never expires, in Node as here. Get, Touch, All and Len apply
// the rule to the file they read, so an expired session is never returned;
// the reaper, a background goroutine that runs every ReapInterval, deletes
// expired files. A Get never scans the directory.
//
// Set and Touch are also given the record's expiry by the middleware (its
// cookie.expires); when that has already passed the file is removed instead
// of written. For records the middleware writes this changes nothing Node
// could see: an expiry in the past means a negative originalMaxAge, which
// Node's own rule treats as expired at once.
//
// # Differences from session-file-store
//
//   - Touch of a missing or expired session does nothing and succeeds, as
//     package store requires. Node returns ENOENT for a missing file and
//     writes {cookie, __lastAccess} for an expired one, resurrecting an empty
//     session.
//   - Session IDs that could leave the directory (empty, or containing "/",
//     "\", NUL or "..") are refused with [ErrInvalidID]; Node would join them
//     into the path.
//   - A session file that is a symbolic link is replaced, not followed.
//   - Writes within one process are serialised per session, so a Touch cannot
//     undo a concurrent Set made by the same process (Node's can). Between
//     processes the race remains, as in Node.
//   - A file that cannot be decrypted is an error wrapping [ErrDecrypt] and is
//     kept (Node's process crashes on it).
//   - Custom encoders and decoders, fallbackSessionFn and reapAsync are not
//     supported.
package filestore
