package wire

import (
	"crypto/rand"
	"encoding/base64"
)

const (
	idBytes = 24 // uid-safe(24), express-session's default: 192 random bits
	idLen   = 32 // base64 of 24 bytes needs no padding
)

// NewID returns a fresh session id in express-session's default format:
// 24 random bytes as unpadded base64url, always 32 characters of
// [A-Za-z0-9_-], so ids from Go and Node instances sharing a store look alike.
func NewID() string {
	var raw [idBytes]byte
	if _, err := rand.Read(raw[:]); err != nil {
		// Go 1.24+ crashes inside Read instead; this only guards older
		// semantics, and a predictable id would be worse than stopping.
		panic("session: crypto/rand failed: " + err.Error())
	}
	var out [idLen]byte
	base64.RawURLEncoding.Encode(out[:], raw[:])
	return string(out[:])
}
