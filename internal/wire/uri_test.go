package wire

import (
	"errors"
	"testing"
	"unicode/utf8"
)

func TestDecodeURIComponent(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"", "", true},
		{"plain", "plain", true},
		{"s%3Aa.b%2Bc%2Fd", "s:a.b+c/d", true},
		{"%25", "%", true},
		{"%2f%2F", "//", true}, // both hex cases
		{"a+b", "a+b", true},   // '+' is not a space here
		{"%00", "\x00", true},
		{"%C3%A9", "é", true},
		{"%c3%a9", "é", true},
		{"%E2%82%AC", "€", true},
		{"%F0%9F%98%80", "😀", true},
		{"%EF%BF%BD", "\uFFFD", true}, // a real U+FFFD is valid
		{"\xe9%41", "\xe9A", true},    // raw bytes pass through
		{"%", "", false},
		{"%4", "", false},
		{"%zz", "", false},
		{"%4g", "", false},
		{"ab%", "", false},
		{"%80", "", false},             // stray continuation
		{"%FF", "", false},             // not a lead byte
		{"%F8%80%80%80%80", "", false}, // five-byte form
		{"%C3", "", false},             // truncated
		{"%C3%", "", false},
		{"%C3%41", "", false},  // continuation not 10xxxxxx
		{"%C3\xa9", "", false}, // continuation not escaped
		{"%E0%A4%A", "", false},
		{"%C0%80", "", false},       // overlong
		{"%E0%80%80", "", false},    // overlong
		{"%ED%A0%80", "", false},    // surrogate
		{"%F4%90%80%80", "", false}, // above U+10FFFF
		{"%F5%80%80%80", "", false},
	}
	for _, tt := range tests {
		got, ok := DecodeURIComponent(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("DecodeURIComponent(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestEncodeURIComponent(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"AZaz09-_.!~*'()", "AZaz09-_.!~*'()"},
		{"s:apple.D8Y+pk/x=", "s%3Aapple.D8Y%2Bpk%2Fx%3D"},
		{"%", "%25"},
		{" \"#$&,;<>?@[\\]^`{|}", "%20%22%23%24%26%2C%3B%3C%3E%3F%40%5B%5C%5D%5E%60%7B%7C%7D"},
		{"\x00\x7f", "%00%7F"},
		{"é€😀", "%C3%A9%E2%82%AC%F0%9F%98%80"},
	}
	for _, tt := range tests {
		got, err := EncodeURIComponent(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("EncodeURIComponent(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"\xff", "a\xc3", "\xed\xa0\x80", "ok%\xc0\x80"} {
		if got, err := EncodeURIComponent(bad); !errors.Is(err, ErrURIMalformed) {
			t.Errorf("EncodeURIComponent(%q) = %q, %v; want ErrURIMalformed", bad, got, err)
		}
	}
}

func TestURIAllocs(t *testing.T) {
	id := "hmiXDV7ExLvkjiuggQv3ODj823uD6MI7"
	if n := testing.AllocsPerRun(100, func() { _, _ = EncodeURIComponent(id) }); n != 0 {
		t.Errorf("EncodeURIComponent of an unreserved id allocates %v times, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() { DecodeURIComponent("s%3Aabc.def") }); n != 1 {
		t.Errorf("DecodeURIComponent allocates %v times, want 1", n)
	}
}

func FuzzDecodeURIComponent(f *testing.F) {
	v := mustVectors(f)
	for _, c := range v.Parse {
		if smallSeed(c.Header) {
			f.Add(c.Header)
		}
	}
	for _, c := range v.Sign {
		if smallSeed(c.SetCookieValue) {
			f.Add(c.SetCookieValue)
			f.Add(c.Value)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, ok := DecodeURIComponent(s); ok {
			if len(d) > len(s) {
				t.Fatalf("DecodeURIComponent(%q) = %q grew", s, d)
			}
			// Escapes can only produce valid UTF-8, so invalid output
			// must come from raw input bytes.
			if utf8.ValidString(s) && !utf8.ValidString(d) {
				t.Fatalf("DecodeURIComponent(%q) = %q is not UTF-8", s, d)
			}
		}
		e, err := EncodeURIComponent(s)
		if !utf8.ValidString(s) {
			if err == nil {
				t.Fatalf("EncodeURIComponent(%q) accepted invalid UTF-8", s)
			}
			return
		}
		if err != nil {
			t.Fatalf("EncodeURIComponent(%q): %v", s, err)
		}
		if !validValue(e) {
			t.Fatalf("EncodeURIComponent(%q) = %q is not a valid cookie value", s, e)
		}
		if d, ok := DecodeURIComponent(e); !ok || d != s {
			t.Fatalf("round trip of %q: encoded %q, decoded %q, %v", s, e, d, ok)
		}
	})
}
