// Package jsonscan walks the top level of a JSON object without decoding
// it: the record codec needs each member's raw bytes, in document order,
// and nothing more.
package jsonscan

import (
	"bytes"
	"encoding/json"
	"errors"
	"unicode/utf8"
)

// ErrSyntax is returned for input that is not a JSON object.
var ErrSyntax = errors.New("jsonscan: not a JSON object")

// Members calls fn with the raw (quoted) key and the raw value of each
// member of the object doc, in order, until fn returns false. It checks the
// structure it walks but not every value: call json.Valid first on input
// that was not already validated as part of a larger document. It never
// panics, whatever doc holds.
func Members(doc []byte, fn func(key, value []byte) bool) error {
	i := skipSpace(doc, 0)
	if i >= len(doc) || doc[i] != '{' {
		return ErrSyntax
	}
	i = skipSpace(doc, i+1)
	if i < len(doc) && doc[i] == '}' {
		return nil
	}
	for {
		if i >= len(doc) || doc[i] != '"' {
			return ErrSyntax
		}
		ks := i
		i = skipString(doc, i)
		ke := i
		i = skipSpace(doc, i)
		if i >= len(doc) || doc[i] != ':' {
			return ErrSyntax
		}
		vs := skipSpace(doc, i+1)
		ve := skipValue(doc, vs)
		if ve <= vs || ve > len(doc) {
			return ErrSyntax
		}
		if !fn(doc[ks:ke], doc[vs:ve]) {
			return nil
		}
		i = skipSpace(doc, ve)
		if i >= len(doc) {
			return ErrSyntax
		}
		switch doc[i] {
		case '}':
			return nil
		case ',':
			i = skipSpace(doc, i+1)
		default:
			return ErrSyntax
		}
	}
}

// Key decodes a raw key as returned by Members.
func Key(raw []byte) (string, error) {
	if len(raw) < 2 {
		return "", ErrSyntax
	}
	if !hasEscape(raw) {
		return string(raw[1 : len(raw)-1]), nil
	}
	var s string
	err := json.Unmarshal(raw, &s)
	return s, err
}

// String returns the text of a raw JSON string value; ok is false if raw
// is not a string.
func String(raw []byte) (s string, ok bool) {
	if len(raw) < 2 || raw[0] != '"' {
		return "", false
	}
	if !hasEscape(raw) {
		return string(raw[1 : len(raw)-1]), true
	}
	return s, json.Unmarshal(raw, &s) == nil
}

// Unquoted returns the bytes between the quotes of a raw JSON string
// without escapes, for comparisons that must not allocate; ok is false when
// raw is not such a string.
func Unquoted(raw []byte) ([]byte, bool) {
	if len(raw) < 2 || raw[0] != '"' || hasEscape(raw) {
		return nil, false
	}
	return raw[1 : len(raw)-1], true
}

// hasEscape reports whether the text of a raw JSON string needs decoding:
// escapes, or invalid UTF-8, which encoding/json turns into U+FFFD.
func hasEscape(raw []byte) bool {
	inner := raw[1 : len(raw)-1]
	return bytes.IndexByte(inner, '\\') >= 0 || !utf8.Valid(inner)
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index just past the string starting at b[i].
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b) + 1 // unterminated
}

// skipValue returns the index just past the value starting at b[i].
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				i = skipString(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return len(b) + 1 // unterminated
	default:
		for ; i < len(b); i++ {
			switch b[i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return i
			}
		}
		return i
	}
}
