package wire

import (
	"errors"
	"strings"
	"time"
)

// The errors AppendSetCookie returns. Their text is cookie 0.7.2's TypeError
// message, so logs read the same as the Node original's.
var (
	ErrInvalidName     = errors.New("session: argument name is invalid")
	ErrInvalidValue    = errors.New("session: argument val is invalid")
	ErrInvalidDomain   = errors.New("session: option domain is invalid")
	ErrInvalidPath     = errors.New("session: option path is invalid")
	ErrInvalidExpires  = errors.New("session: option expires is invalid")
	ErrInvalidPriority = errors.New("session: option priority is invalid")
	ErrInvalidSameSite = errors.New("session: option sameSite is invalid")
)

// Attrs are the Set-Cookie attributes express-session can emit. There is no
// MaxAge: express-session only ever sends Expires.
type Attrs struct {
	Domain                        string    // "" = omitted
	Path                          string    // "" = omitted
	Expires                       time.Time // zero = omitted
	HTTPOnly, Secure, Partitioned bool
	Priority                      string // "", "Low", "Medium", "High" (any case)
	SameSite                      string // "", "Strict", "Lax", "None" (any case)
}

// expiresLayout is JavaScript's Date.prototype.toUTCString, which is also
// net/http's TimeFormat; it is spelled out to keep net/http out of this
// package.
const expiresLayout = "Mon, 02 Jan 2006 15:04:05 GMT"

// AppendSetCookie appends a Set-Cookie header value to dst the way cookie
// 0.7.2's serialize does for express-session: attributes in the order
// Domain, Path, Expires, HttpOnly, Secure, Partitioned, Priority, SameSite.
// value must already be encoded (express-session uses encodeURIComponent);
// it is still checked against the cookie-octet set because a value that
// escapes it could smuggle in attributes.
//
// Priority and SameSite are matched case-insensitively and written in
// canonical case, as cookie does. Unlike cookie, an Expires year outside
// 1601..9999 is rejected: RFC 6265 user agents discard such dates, and Node
// would print them in a non-IMF form (a five-digit or negative year).
//
// Validation runs in cookie's order and happens before anything is written,
// so on error dst is returned unchanged.
func AppendSetCookie[T ~string | ~[]byte](dst []byte, name string, value T, a *Attrs) ([]byte, error) {
	if err := checkSetCookie(name, value, a); err != nil {
		return dst, err
	}
	dst = append(dst, name...)
	dst = append(dst, '=')
	dst = append(dst, value...)
	if a == nil {
		return dst, nil
	}
	if a.Domain != "" {
		dst = append(dst, "; Domain="...)
		dst = append(dst, a.Domain...)
	}
	if a.Path != "" {
		dst = append(dst, "; Path="...)
		dst = append(dst, a.Path...)
	}
	if !a.Expires.IsZero() {
		dst = append(dst, "; Expires="...)
		dst = a.Expires.UTC().AppendFormat(dst, expiresLayout)
	}
	if a.HTTPOnly {
		dst = append(dst, "; HttpOnly"...)
	}
	if a.Secure {
		dst = append(dst, "; Secure"...)
	}
	if a.Partitioned {
		dst = append(dst, "; Partitioned"...)
	}
	if a.Priority != "" {
		dst = append(dst, "; Priority="...)
		dst = append(dst, canonical(a.Priority, "Low", "Medium", "High")...)
	}
	if a.SameSite != "" {
		dst = append(dst, "; SameSite="...)
		dst = append(dst, canonical(a.SameSite, "Strict", "Lax", "None")...)
	}
	return dst, nil
}

func checkSetCookie[T ~string | ~[]byte](name string, value T, a *Attrs) error {
	if !ValidName(name) {
		return ErrInvalidName
	}
	if !validValue(value) {
		return ErrInvalidValue
	}
	if a == nil {
		return nil
	}
	if a.Domain != "" && !ValidDomain(a.Domain) {
		return ErrInvalidDomain
	}
	if a.Path != "" && !ValidPath(a.Path) {
		return ErrInvalidPath
	}
	if !a.Expires.IsZero() {
		if y := a.Expires.UTC().Year(); y < 1601 || y > 9999 {
			return ErrInvalidExpires
		}
	}
	if a.Priority != "" && canonical(a.Priority, "Low", "Medium", "High") == "" {
		return ErrInvalidPriority
	}
	if a.SameSite != "" && canonical(a.SameSite, "Strict", "Lax", "None") == "" {
		return ErrInvalidSameSite
	}
	return nil
}

// canonical returns the option s names, ignoring case, or "".
func canonical(s string, options ...string) string {
	for _, o := range options {
		if strings.EqualFold(s, o) {
			return o
		}
	}
	return ""
}

// ValidName reports whether s is an RFC 7230 token, which cookie requires
// of cookie names: one or more letters, digits or !#$%&'*+-.^_`|~.
func ValidName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isTokenChar(s[i]) {
			return false
		}
	}
	return true
}

func isTokenChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// ValidDomain reports whether s passes cookie 0.7.2's domain check:
// dot-separated RFC 1034 labels as relaxed by RFC 1123 (letters, digits and
// inner hyphens, 1 to 63 characters, any case), with one optional leading
// dot kept for compatibility and no trailing dot. There is no overall length
// limit and IPv4 literals pass, exactly as in cookie.
func ValidDomain(s string) bool {
	s = strings.TrimPrefix(s, ".")
	for {
		label, rest, more := strings.Cut(s, ".")
		if !validLabel(label) {
			return false
		}
		if !more {
			return true
		}
		s = rest
	}
}

func validLabel(l string) bool {
	if len(l) == 0 || len(l) > 63 || !isAlnum(l[0]) || !isAlnum(l[len(l)-1]) {
		return false
	}
	for i := 1; i < len(l)-1; i++ {
		if c := l[i]; !isAlnum(c) && c != '-' {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// ValidPath reports whether s passes cookie 0.7.2's path check: printable
// ASCII (0x20-0x7E) except ';' and also '<'. RFC 6265 only forbids ';', but
// cookie's character class skips 0x3C as well, and matching it keeps Go and
// Node agreeing on which configurations fail.
func ValidPath(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7E || c == ';' || c == '<' {
			return false
		}
	}
	return true
}

// validValue is cookie's value check: RFC 6265 cookie-octets, optionally
// wrapped in one pair of double quotes.
func validValue[T ~string | ~[]byte](s T) bool {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	for i := 0; i < len(s); i++ {
		if !isCookieOctet(s[i]) {
			return false
		}
	}
	return true
}

// isCookieOctet excludes controls, space, '"', ',', ';', '\\' and non-ASCII.
func isCookieOctet(c byte) bool {
	return c == 0x21 ||
		0x23 <= c && c <= 0x2B ||
		0x2D <= c && c <= 0x3A ||
		0x3C <= c && c <= 0x5B ||
		0x5D <= c && c <= 0x7E
}
