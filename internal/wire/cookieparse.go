package wire

import "strings"

// CookieValue returns the value of the first cookie called name in a Cookie
// request header, with cookie 0.7.2's parse rules: pairs split on ';', name
// and value on the first '=', spaces and tabs trimmed around both, one pair
// of surrounding double quotes removed, then DecodeURIComponent applied when
// the value contains '%' (keeping the raw text if that fails). Fragments
// without '=' are skipped and headers shorter than two bytes hold nothing.
//
// The first occurrence wins because express-session never looks past it: a
// later, valid duplicate must not rescue a bad first cookie. Only the one
// name is scanned for, so no map is built.
//
// Deliberate differences from Node: header bytes are treated as opaque,
// whereas Node's HTTP layer reads headers as Latin-1 and so turns a raw
// (unescaped) UTF-8 "é" into "Ã©"; and a name such as "constructor" is not
// answered from Object.prototype when absent.
func CookieValue(header, name string) (value string, ok bool) {
	n := len(header)
	if n < 2 {
		return "", false
	}
	for index := 0; index < n; {
		eq := strings.IndexByte(header[index:], '=')
		if eq < 0 {
			break
		}
		eq += index
		end := strings.IndexByte(header[index:], ';')
		if end < 0 {
			end = n
		} else if end += index; eq > end {
			// The pair at index has no '='; resume after the last ';'
			// before the '=' just found, as cookie does.
			index = strings.LastIndexByte(header[:eq], ';') + 1
			continue
		}

		ks := skipSpace(header, index, eq)
		ke := trimSpaceEnd(header, eq, ks)
		if header[ks:ke] == name {
			return pairValue(header, eq+1, end), true
		}
		index = end + 1
	}
	return "", false
}

// pairValue extracts the value in header[start:end]. A lone '"' counts as
// both the opening and the closing quote, leaving "" as in cookie.
func pairValue(header string, start, end int) string {
	vs := skipSpace(header, start, end)
	ve := trimSpaceEnd(header, end, vs)
	if vs < ve && header[vs] == '"' && header[ve-1] == '"' {
		vs++
		ve--
	}
	if vs >= ve {
		return ""
	}
	raw := header[vs:ve]
	if v, ok := DecodeURIComponent(raw); ok {
		return v
	}
	return raw
}

// skipSpace returns the first index in [i, limit) that is not a space or a
// tab, or limit.
func skipSpace(s string, i, limit int) int {
	for ; i < limit; i++ {
		if c := s[i]; c != ' ' && c != '\t' {
			return i
		}
	}
	return limit
}

// trimSpaceEnd walks back from i to just after the last byte in [limit, i)
// that is not a space or a tab, or to limit.
func trimSpaceEnd(s string, i, limit int) int {
	for ; i > limit; i-- {
		if c := s[i-1]; c != ' ' && c != '\t' {
			return i
		}
	}
	return limit
}
