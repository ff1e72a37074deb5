package wire

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"strings"
)

const (
	// sigLen is the length of an unpadded base64 SHA-256 MAC; a signature of
	// any other length cannot match, which lets Unsign skip the hashing.
	sigLen = 43

	blockSize = 64 // SHA-256 block size, the HMAC key width

	// macScratch bounds the stack buffer for the inner HMAC input; default
	// ids (32 bytes) fit easily and only unusually long ids touch the heap.
	macScratch = blockSize + 256
)

// Sign returns value + "." + the unpadded standard base64 HMAC-SHA256 of
// value under secret, byte for byte what cookie-signature 1.0.7 produces.
// String secrets must be passed as their UTF-8 bytes, as Node hashes them.
func Sign(value string, secret []byte) string {
	var sig [sigLen]byte
	AppendSignature(sig[:0], value, secret)
	return value + "." + string(sig[:])
}

// AppendSignature appends the signature Sign puts after the '.': the
// unpadded standard base64 HMAC-SHA256 of value under secret.
func AppendSignature(dst []byte, value string, secret []byte) []byte {
	var scratch [macScratch]byte
	in := macInput(&scratch, value)
	mac := hmacSHA256(in, secret)
	var sig [sigLen]byte
	base64.RawStdEncoding.Encode(sig[:], mac[:])
	return append(dst, sig[:]...)
}

// Unsign verifies signed (the cookie value after its "s:" prefix) against
// each secret in order and returns the payload for the first that matches.
//
// Like cookie-signature the payload ends at the last '.', so ids may contain
// dots. The encoded signature is compared rather than the decoded MAC: base64
// has several spellings of the same final bits and Node accepts only the
// canonical one. The comparison is constant time; Node's double-SHA-1 trick
// only served the same purpose.
func Unsign(signed string, secrets [][]byte) (value string, ok bool) {
	dot := strings.LastIndexByte(signed, '.')
	if dot < 0 {
		return "", false
	}
	value, sig := signed[:dot], signed[dot+1:]
	// Length is not secret, and padding or truncation can never verify.
	if len(sig) != sigLen || len(secrets) == 0 {
		return "", false
	}
	var got [sigLen]byte
	copy(got[:], sig)

	// The message part of the HMAC input is shared by every secret, so it is
	// laid out once; only the key block is rewritten per attempt.
	var scratch [macScratch]byte
	in := macInput(&scratch, value)
	for _, secret := range secrets {
		mac := hmacSHA256(in, secret)
		var want [sigLen]byte
		base64.RawStdEncoding.Encode(want[:], mac[:])
		if subtle.ConstantTimeCompare(got[:], want[:]) == 1 {
			return value, true
		}
	}
	return "", false
}

// macInput lays out a blockSize gap for the padded key followed by msg,
// using scratch when it is large enough so that signing does not allocate.
func macInput(scratch *[macScratch]byte, msg string) []byte {
	n := blockSize + len(msg)
	var buf []byte
	if n <= len(scratch) {
		buf = scratch[:n]
	} else {
		buf = make([]byte, n)
	}
	copy(buf[blockSize:], msg)
	return buf
}

// hmacSHA256 is RFC 2104 HMAC over in[blockSize:], overwriting in[:blockSize].
// crypto/hmac is not used because it allocates five objects per key, and
// Unsign needs one MAC per configured secret on every request; the tests
// check this against crypto/hmac.
func hmacSHA256(in []byte, secret []byte) [sha256.Size]byte {
	var key [blockSize]byte
	if len(secret) > blockSize {
		sum := sha256.Sum256(secret)
		copy(key[:], sum[:])
	} else {
		copy(key[:], secret)
	}

	for i := range blockSize {
		in[i] = key[i] ^ 0x36
	}
	inner := sha256.Sum256(in)

	var outer [blockSize + sha256.Size]byte
	for i := range blockSize {
		outer[i] = key[i] ^ 0x5c
	}
	copy(outer[blockSize:], inner[:])
	return sha256.Sum256(outer[:])
}
