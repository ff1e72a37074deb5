package wire

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// ErrURIMalformed reports text that JavaScript's URI functions would reject
// with URIError; for EncodeURIComponent that is invalid UTF-8, the Go
// counterpart of a lone surrogate.
var ErrURIMalformed = errors.New("session: URI malformed")

// DecodeURIComponent decodes s like JavaScript's decodeURIComponent; ok is
// false where JavaScript throws. Every escape is decoded (there is no
// reserved set), and escapes of bytes >= 0x80 must form, on their own, one
// valid UTF-8 sequence: overlong forms, surrogates, code points above
// U+10FFFF, stray continuation bytes and sequences finished by a raw byte
// are all rejected. Bytes outside escapes are copied untouched.
func DecodeURIComponent(s string) (string, bool) {
	i := strings.IndexByte(s, '%')
	if i < 0 {
		return s, true
	}
	var b strings.Builder
	b.Grow(len(s)) // decoding never lengthens the text
	b.WriteString(s[:i])
	for i < len(s) {
		if s[i] != '%' {
			j := strings.IndexByte(s[i:], '%')
			if j < 0 {
				j = len(s) - i
			}
			b.WriteString(s[i : i+j])
			i += j
			continue
		}
		lead, ok := unhexAt(s, i)
		if !ok {
			return "", false
		}
		i += 3
		if lead < 0x80 {
			b.WriteByte(lead)
			continue
		}
		n := utf8SeqLen(lead)
		if n == 0 {
			return "", false
		}
		var seq [utf8.UTFMax]byte
		seq[0] = lead
		for j := 1; j < n; j++ {
			c, ok := unhexAt(s, i)
			if !ok || c&0xC0 != 0x80 {
				return "", false
			}
			seq[j] = c
			i += 3
		}
		// DecodeRune reports size 1 for every invalid form, including
		// overlongs and surrogates, so a short size means JS would throw.
		if _, size := utf8.DecodeRune(seq[:n]); size != n {
			return "", false
		}
		b.Write(seq[:n])
	}
	return b.String(), true
}

// EncodeURIComponent encodes s like JavaScript's encodeURIComponent: the
// unreserved marks A-Z a-z 0-9 - _ . ! ~ * ' ( ) stay, every other byte of
// the UTF-8 text becomes %XX with upper-case hex. s is returned as is when
// nothing needs escaping, so the common base64url id costs no allocation.
func EncodeURIComponent(s string) (string, error) {
	i := 0
	for i < len(s) && uriUnreserved(s[i]) {
		i++
	}
	if i == len(s) {
		return s, nil
	}
	n := len(s)
	for j := i; j < len(s); j++ {
		if !uriUnreserved(s[j]) {
			n += 2
		}
	}
	b, err := AppendURIComponent(make([]byte, 0, n), s)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// AppendURIComponent appends EncodeURIComponent(s) to dst.
func AppendURIComponent[T ~string | ~[]byte](dst []byte, s T) ([]byte, error) {
	checked := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if uriUnreserved(c) {
			dst = append(dst, c)
			continue
		}
		if c >= utf8.RuneSelf && !checked {
			if !utf8.ValidString(string(s[i:])) {
				return dst, ErrURIMalformed
			}
			checked = true
		}
		dst = append(dst, '%', upperHex[c>>4], upperHex[c&0xF])
	}
	return dst, nil
}

const upperHex = "0123456789ABCDEF"

func uriUnreserved(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	switch c {
	case '-', '_', '.', '!', '~', '*', '\'', '(', ')':
		return true
	}
	return false
}

// unhexAt decodes the escape "%XX" starting at s[i]; JavaScript accepts both
// hex cases.
func unhexAt(s string, i int) (byte, bool) {
	if i+2 >= len(s) || s[i] != '%' {
		return 0, false
	}
	hi, ok1 := unhex(s[i+1])
	lo, ok2 := unhex(s[i+2])
	return hi<<4 | lo, ok1 && ok2
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// utf8SeqLen is the sequence length a lead byte announces by its leading one
// bits, or 0 where the ECMAScript Decode algorithm throws (a continuation
// byte, or more than four ones).
func utf8SeqLen(lead byte) int {
	switch {
	case lead&0xE0 == 0xC0:
		return 2
	case lead&0xF0 == 0xE0:
		return 3
	case lead&0xF8 == 0xF0:
		return 4
	}
	return 0
}
