package session

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/sessionkit/session/internal/jsonscan"
	"github.com/sessionkit/session/record"
)

// jsval is a JSON scalar as JavaScript holds it. Cookie attributes are kept
// this way so that a record written by Node — "sameSite": true,
// "priority": "HIGH", "secure": false — is written back exactly as it was.
type jsval struct {
	kind jsKind
	b    bool
	n    float64
	s    string // string value, or raw JSON for jsRaw
}

type jsKind uint8

const (
	jsUndefined jsKind = iota // absent: left out of the record
	jsNull
	jsBool
	jsNumber
	jsString
	jsRaw // an object or array, kept verbatim
)

func jsBoolean(b bool) jsval  { return jsval{kind: jsBool, b: b} }
func jsStr(s string) jsval    { return jsval{kind: jsString, s: s} }
func jsNum(n float64) jsval   { return jsval{kind: jsNumber, n: n} }
func (v jsval) defined() bool { return v.kind != jsUndefined }

// truthy is JavaScript's Boolean(v).
func (v jsval) truthy() bool {
	switch v.kind {
	case jsBool:
		return v.b
	case jsNumber:
		return v.n != 0 && v.n == v.n
	case jsString:
		return v.s != ""
	case jsRaw:
		return true
	}
	return false
}

func (v jsval) appendJSON(dst []byte) []byte {
	switch v.kind {
	case jsBool:
		return strconv.AppendBool(dst, v.b)
	case jsNumber:
		return record.AppendNumber(dst, v.n)
	case jsString:
		return record.AppendString(dst, v.s)
	case jsRaw:
		return append(dst, v.s...)
	}
	return append(dst, "null"...)
}

// toAny is the value as encoding/json would decode it, for display.
func (v jsval) toAny() any {
	switch v.kind {
	case jsBool:
		return v.b
	case jsNumber:
		return v.n
	case jsString:
		return v.s
	case jsRaw:
		var x any
		_ = json.Unmarshal([]byte(v.s), &x)
		return x
	}
	return nil
}

func parseJSVal(raw []byte) jsval {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return jsval{}
	}
	switch raw[0] {
	case 'n':
		return jsval{kind: jsNull}
	case 't':
		return jsBoolean(true)
	case 'f':
		return jsBoolean(false)
	case '"':
		if s, ok := jsonscan.String(raw); ok {
			return jsStr(s)
		}
	case '{', '[':
		return jsval{kind: jsRaw, s: string(raw)}
	default:
		if n, err := strconv.ParseFloat(string(raw), 64); err == nil {
			return jsNum(n)
		}
	}
	return jsval{kind: jsRaw, s: string(raw)}
}
