package wire

import (
	"encoding/base64"
	"testing"
)

func TestNewID(t *testing.T) {
	seen := make(map[string]bool)
	for range 1000 {
		id := NewID()
		if len(id) != 32 {
			t.Fatalf("NewID() = %q: length %d, want 32", id, len(id))
		}
		for i := 0; i < len(id); i++ {
			if c := id[i]; !isAlnum(c) && c != '-' && c != '_' {
				t.Fatalf("NewID() = %q: byte %q outside [A-Za-z0-9_-]", id, c)
			}
		}
		if raw, err := base64.RawURLEncoding.Strict().DecodeString(id); err != nil || len(raw) != 24 {
			t.Fatalf("NewID() = %q: not 24 bytes of base64url (%v)", id, err)
		}
		// The id goes into the cookie unescaped, so the encoded form
		// must not grow.
		if enc, _ := EncodeURIComponent(id); enc != id {
			t.Fatalf("NewID() = %q needs URI escaping", id)
		}
		if seen[id] {
			t.Fatalf("NewID() repeated %q", id)
		}
		seen[id] = true
	}
}

func BenchmarkNewID(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		NewID()
	}
}
