package wire

import (
	"strings"
	"testing"
)

func TestCookieValue(t *testing.T) {
	const sid = "s%3Aapple.D8Y%2BpkTAmeR0PobOhY4G97PRW%2Bj7bUnP%2F5m6%2FOn1MCU"
	tests := []struct {
		header, name string
		want         string
		ok           bool
	}{
		{"connect.sid=" + sid, "connect.sid", "s:apple.D8Y+pkTAmeR0PobOhY4G97PRW+j7bUnP/5m6/On1MCU", true},
		{"a=1; connect.sid=x; b=2", "connect.sid", "x", true},
		{"sid=bad; sid=good", "sid", "bad", true},       // first wins (issue #881)
		{"xsid=1; sid=2", "sid", "2", true},             // no suffix match
		{"sid=1", "SID", "", false},                     // case-sensitive
		{" \tsid \t= \tv v \t;x=y", "sid", "v v", true}, // trim, keep inner space
		{`sid="v"`, "sid", "v", true},                   // quotes removed
		{`sid="`, "sid", "", true},                      // one quote is both ends
		{`sid="v`, "sid", `"v`, true},                   // unbalanced kept
		{`sid=%22v%22`, "sid", `"v"`, true},             // decoded after unquoting
		{"sid=%E0%A4%A", "sid", "%E0%A4%A", true},       // bad escape kept raw
		{"sid=%FF", "sid", "%FF", true},                 // invalid UTF-8 kept raw
		{"sid=a=b", "sid", "a=b", true},                 // first '=' splits
		{"junk; sid=1", "sid", "1", true},               // fragment skipped
		{"a;b;sid=1", "sid", "1", true},                 // backtracking path
		{"sid; a=1", "sid", "", false},                  // fragment is not a cookie
		{"sid=", "sid", "", true},                       // empty but present
		{"=v", "", "v", true},                           // empty name is a name
		{"=", "", "", false},                            // shorter than 2
		{"", "sid", "", false},
		{"sid=\xe9", "sid", "\xe9", true},        // raw bytes opaque (Node: Latin-1)
		{"sid=%C3\xa9", "sid", "%C3\xa9", true},  // sequence must be all escapes
		{"sid=%41\xe9", "sid", "A\xe9", true},    // raw byte outside an escape is fine
		{"constructor=1", "toString", "", false}, // no prototype lookups
		{"a=b;;;", "sid", "", false},
		{strings.Repeat("x=1;", 100) + "sid=z", "sid", "z", true},
	}
	for _, tt := range tests {
		got, ok := CookieValue(tt.header, tt.name)
		if got != tt.want || ok != tt.ok {
			t.Errorf("CookieValue(%q, %q) = %q, %v; want %q, %v", tt.header, tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCookieValueAllocs(t *testing.T) {
	h := "_ga=GA1.2.3; theme=dark; connect.sid=s:abc.def; lang=en"
	if n := testing.AllocsPerRun(100, func() { CookieValue(h, "connect.sid") }); n != 0 {
		t.Errorf("CookieValue without escapes allocates %v times, want 0", n)
	}
}

// refCookieValue restates the parse rules in the most direct way (split the
// whole header, take the first match) so the fuzzer can compare it with the
// index-walking implementation.
func refCookieValue(header, name string) (string, bool) {
	if len(header) < 2 {
		return "", false
	}
	for _, pair := range strings.Split(header, ";") {
		k, v, found := strings.Cut(pair, "=")
		if !found || strings.Trim(k, " \t") != name {
			continue
		}
		v = strings.Trim(v, " \t")
		if len(v) > 0 && v[0] == '"' && v[len(v)-1] == '"' {
			if len(v) == 1 {
				v = ""
			} else {
				v = v[1 : len(v)-1]
			}
		}
		if d, ok := DecodeURIComponent(v); ok {
			v = d
		}
		return v, true
	}
	return "", false
}

func FuzzCookieValue(f *testing.F) {
	for _, c := range mustVectors(f).Parse {
		if smallSeed(c.Header) {
			f.Add(c.Header, c.Name)
		}
	}
	f.Fuzz(func(t *testing.T, header, name string) {
		got, ok := CookieValue(header, name)
		if ok && !strings.Contains(header, name) {
			t.Fatalf("CookieValue(%q, %q) found a name that is not in the header", header, name)
		}
		want, wantOK := refCookieValue(header, name)
		if got != want || ok != wantOK {
			t.Fatalf("CookieValue(%q, %q) = %q, %v; reference %q, %v", header, name, got, ok, want, wantOK)
		}
	})
}

func BenchmarkCookieValue(b *testing.B) {
	// A realistic browser header: analytics noise around the session cookie.
	h := "_ga=GA1.2.1234567890.1700000000; _gid=GA1.2.987654321.1700000000; theme=dark; " +
		"connect.sid=s%3AhmiXDV7ExLvkjiuggQv3ODj823uD6MI7.ex5iCGwh076hrm7xD0AmcIV4ETAFuL5u71jGo7tK7HY; lang=en"
	b.Run("encoded", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			CookieValue(h, "connect.sid")
		}
	})
	plain := strings.Replace(h, "s%3A", "s:", 1)
	b.Run("plain", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			CookieValue(plain, "connect.sid")
		}
	})
	b.Run("absent", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			CookieValue(h, "other.sid")
		}
	})
}
