package filestore

import (
	"encoding/json"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode"
)

// jsValue is a JSON value as JavaScript sees it when session-file-store
// computes an expiry with + and <. Those operators coerce, so a foreign
// writer's string "3600000" in originalMaxAge is concatenated, not added;
// getting that right is what lets Go and Node agree on every file.
type jsValue struct {
	kind jsKind
	b    bool
	n    float64
	s    string // a string's value; an object's or array's string form
}

type jsKind uint8

const (
	jsUndefined jsKind = iota
	jsNull
	jsBool
	jsNumber
	jsString
	jsObject // objects and arrays: + and < see their string form
)

func jsNum(n float64) jsValue { return jsValue{kind: jsNumber, n: n} }

// parseJS converts a valid JSON value as JSON.parse would.
func parseJS(raw []byte) jsValue {
	switch raw[0] {
	case 'n':
		return jsValue{kind: jsNull}
	case 't', 'f':
		return jsValue{kind: jsBool, b: raw[0] == 't'}
	case '"':
		var s string
		_ = json.Unmarshal(raw, &s)
		return jsValue{kind: jsString, s: s}
	case '{':
		return jsValue{kind: jsObject, s: "[object Object]"}
	case '[':
		return jsValue{kind: jsObject, s: arrayString(raw)}
	default:
		// A JSON number too large for a double is Infinity in JavaScript,
		// which is also what ParseFloat returns with its range error.
		n, _ := strconv.ParseFloat(string(raw), 64)
		return jsNum(n)
	}
}

// arrayString is Array.prototype.toString: the elements' strings joined
// with commas, null and undefined as empty strings.
func arrayString(raw []byte) string {
	var elems []json.RawMessage
	_ = json.Unmarshal(raw, &elems)
	parts := make([]string, len(elems))
	for i, e := range elems {
		if v := parseJS(e); v.kind != jsNull {
			parts[i] = v.toString()
		}
	}
	return strings.Join(parts, ",")
}

// truthy is JavaScript's ToBoolean.
func (v jsValue) truthy() bool {
	switch v.kind {
	case jsBool:
		return v.b
	case jsNumber:
		return v.n != 0 && !math.IsNaN(v.n)
	case jsString:
		return v.s != ""
	case jsObject:
		return true
	}
	return false
}

// toNumber is JavaScript's ToNumber (through ToPrimitive for objects).
func (v jsValue) toNumber() float64 {
	switch v.kind {
	case jsNull:
		return 0
	case jsBool:
		if v.b {
			return 1
		}
		return 0
	case jsNumber:
		return v.n
	case jsString, jsObject:
		return stringToNumber(v.s)
	}
	return math.NaN()
}

// toString is JavaScript's ToString (through ToPrimitive for objects).
func (v jsValue) toString() string {
	switch v.kind {
	case jsUndefined:
		return "undefined"
	case jsNull:
		return "null"
	case jsBool:
		return strconv.FormatBool(v.b)
	case jsNumber:
		return numberToString(v.n)
	}
	return v.s
}

// jsAdd is JavaScript's binary +: concatenation when either side is (or
// becomes) a string, numeric addition otherwise.
func jsAdd(a, b jsValue) jsValue {
	if a.kind >= jsString || b.kind >= jsString {
		return jsValue{kind: jsString, s: a.toString() + b.toString()}
	}
	return jsNum(a.toNumber() + b.toNumber())
}

// numberToString is Number.prototype.toString() (ECMA-262 Number::toString):
// the shortest digits that round-trip, in plain notation from 1e-7 up to
// 1e21 and in exponent notation outside it.
func numberToString(x float64) string {
	switch {
	case math.IsNaN(x):
		return "NaN"
	case x == 0:
		return "0"
	case x < 0:
		return "-" + numberToString(-x)
	case math.IsInf(x, 1):
		return "Infinity"
	}
	e := strconv.FormatFloat(x, 'e', -1, 64) // d.ddde±XX
	mant, exp, _ := strings.Cut(e, "e")
	digits := strings.Replace(mant, ".", "", 1)
	k := len(digits)
	p, _ := strconv.Atoi(exp)
	n := p + 1 // the decimal point's position relative to the digits
	switch {
	case k <= n && n <= 21:
		return digits + strings.Repeat("0", n-k)
	case 0 < n && n <= 21:
		return digits[:n] + "." + digits[n:]
	case -6 < n && n <= 0:
		return "0." + strings.Repeat("0", -n) + digits
	}
	sign := "+"
	if p < 0 {
		sign, p = "-", -p
	}
	if k == 1 {
		return digits + "e" + sign + strconv.Itoa(p)
	}
	return digits[:1] + "." + digits[1:] + "e" + sign + strconv.Itoa(p)
}

// stringToNumber is JavaScript's ToNumber applied to a string: surrounding
// white space ignored, "" is 0, decimal literals with an optional sign,
// Infinity, and unsigned 0x, 0o and 0b integers; anything else is NaN.
func stringToNumber(s string) float64 {
	s = strings.TrimFunc(s, isJSSpace)
	if s == "" {
		return 0
	}
	if len(s) > 2 && s[0] == '0' {
		if base := radix(s[1]); base != 0 {
			return radixToNumber(s[2:], base)
		}
	}
	body := strings.TrimLeft(s, "+-")
	if len(s)-len(body) > 1 {
		return math.NaN()
	}
	if body == "Infinity" {
		if s[0] == '-' {
			return math.Inf(-1)
		}
		return math.Inf(1)
	}
	if !isDecimalLiteral(body) {
		return math.NaN()
	}
	n, _ := strconv.ParseFloat(s, 64) // out of range: ±Inf or 0, as in JavaScript
	return n
}

func radix(c byte) int {
	switch c {
	case 'x', 'X':
		return 16
	case 'o', 'O':
		return 8
	case 'b', 'B':
		return 2
	}
	return 0
}

func radixToNumber(digits string, base int) float64 {
	i, ok := new(big.Int).SetString(digits, base)
	if !ok || strings.ContainsAny(digits, "+-_") {
		return math.NaN()
	}
	f, _ := new(big.Float).SetInt(i).Float64()
	return f
}

// isDecimalLiteral reports whether s is digits, an optional fraction and an
// optional exponent, with at least one digit before the exponent: the
// unsigned StrDecimalLiteral of ECMA-262 other than Infinity.
func isDecimalLiteral(s string) bool {
	i, digits := 0, 0
	for ; i < len(s) && isDigit(s[i]); i++ {
		digits++
	}
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s) && isDigit(s[i]); i++ {
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		start := i
		for ; i < len(s) && isDigit(s[i]); i++ {
		}
		if i == start {
			return false
		}
	}
	return i == len(s)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isJSSpace reports whether r is JavaScript white space or a line
// terminator (which, unlike unicode.IsSpace, excludes U+0085 and includes
// U+FEFF).
func isJSSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', '\u00a0', '\u2028', '\u2029', '\ufeff':
		return true
	}
	return unicode.Is(unicode.Zs, r)
}
