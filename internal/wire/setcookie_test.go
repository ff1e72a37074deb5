package wire

import (
	"errors"
	"strings"
	"testing"
	"time"
)

const sidValue = "s%3Aapple.D8Y%2BpkTAmeR0PobOhY4G97PRW%2Bj7bUnP%2F5m6%2FOn1MCU"

func TestAppendSetCookie(t *testing.T) {
	exp := time.Date(2026, 11, 23, 13, 25, 16, 822e6, time.UTC)
	tests := []struct {
		name string
		a    *Attrs
		want string
	}{
		{"nil attrs", nil, "connect.sid=" + sidValue},
		{"defaults", &Attrs{Path: "/", HTTPOnly: true}, "connect.sid=" + sidValue + "; Path=/; HttpOnly"},
		{"with maxAge", &Attrs{Path: "/", Expires: exp, HTTPOnly: true},
			"connect.sid=" + sidValue + "; Path=/; Expires=Mon, 23 Nov 2026 13:25:16 GMT; HttpOnly"},
		{"all, fixed order", &Attrs{
			SameSite: "None", Priority: "High", Partitioned: true, Secure: true, HTTPOnly: true,
			Expires: exp, Path: "/", Domain: ".example.com",
		}, "connect.sid=" + sidValue + "; Domain=.example.com; Path=/; Expires=Mon, 23 Nov 2026 13:25:16 GMT; HttpOnly; Secure; Partitioned; Priority=High; SameSite=None"},
		{"sameSite strict, no httpOnly", &Attrs{Path: "/", SameSite: "Strict"}, "connect.sid=" + sidValue + "; Path=/; SameSite=Strict"},
		{"case folded", &Attrs{Priority: "low", SameSite: "LAX"}, "connect.sid=" + sidValue + "; Priority=Low; SameSite=Lax"},
		{"epoch is not zero", &Attrs{Expires: time.Unix(0, 0)}, "connect.sid=" + sidValue + "; Expires=Thu, 01 Jan 1970 00:00:00 GMT"},
		{"converted to UTC", &Attrs{Expires: time.Date(2030, 1, 1, 1, 30, 0, 0, time.FixedZone("X", 2*3600))},
			"connect.sid=" + sidValue + "; Expires=Mon, 31 Dec 2029 23:30:00 GMT"},
		{"limits", &Attrs{Expires: time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)},
			"connect.sid=" + sidValue + "; Expires=Fri, 31 Dec 9999 23:59:59 GMT"},
	}
	for _, tt := range tests {
		got, err := AppendSetCookie(nil, "connect.sid", sidValue, tt.a)
		if err != nil || string(got) != tt.want {
			t.Errorf("%s:\n got %q, %v\nwant %q", tt.name, got, err, tt.want)
		}
	}
}

func TestAppendSetCookieErrors(t *testing.T) {
	tests := []struct {
		name, cname, value string
		a                  *Attrs
		want               error
		text               string
	}{
		{"empty name", "", "v", nil, ErrInvalidName, "session: argument name is invalid"},
		{"name with space", "a b", "v", nil, ErrInvalidName, "session: argument name is invalid"},
		{"unencoded value", "a", "s:a b", nil, ErrInvalidValue, "session: argument val is invalid"},
		{"value with ';'", "a", "x; Domain=evil.com", nil, ErrInvalidValue, "session: argument val is invalid"},
		{"domain", "a", "v", &Attrs{Domain: "bad_domain"}, ErrInvalidDomain, "session: option domain is invalid"},
		{"path", "a", "v", &Attrs{Path: "/;"}, ErrInvalidPath, "session: option path is invalid"},
		{"expires too early", "a", "v", &Attrs{Expires: time.Date(1600, 12, 31, 23, 59, 59, 0, time.UTC)}, ErrInvalidExpires, "session: option expires is invalid"},
		{"expires too late", "a", "v", &Attrs{Expires: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}, ErrInvalidExpires, "session: option expires is invalid"},
		{"expires year 1 (not zero)", "a", "v", &Attrs{Expires: time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC)}, ErrInvalidExpires, "session: option expires is invalid"},
		{"priority", "a", "v", &Attrs{Priority: "urgent"}, ErrInvalidPriority, "session: option priority is invalid"},
		{"sameSite", "a", "v", &Attrs{SameSite: "true"}, ErrInvalidSameSite, "session: option sameSite is invalid"},
		{"name checked first", "a b", "v", &Attrs{Domain: "bad_domain"}, ErrInvalidName, "session: argument name is invalid"},
		{"domain before path", "a", "v", &Attrs{Domain: "-x", Path: ";"}, ErrInvalidDomain, "session: option domain is invalid"},
	}
	for _, tt := range tests {
		dst := []byte("keep")
		got, err := AppendSetCookie(dst, tt.cname, tt.value, tt.a)
		if !errors.Is(err, tt.want) || err.Error() != tt.text {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.text)
		}
		if string(got) != "keep" {
			t.Errorf("%s: dst = %q, want it untouched", tt.name, got)
		}
	}
}

func TestValidName(t *testing.T) {
	for _, s := range []string{"connect.sid", "a", "!#$%&'*+-.^_`|~", "Az09"} {
		if !ValidName(s) {
			t.Errorf("ValidName(%q) = false", s)
		}
	}
	for _, s := range []string{"", "a b", "a=b", "a;b", "a,b", `a"b`, "a(b)", "a/b", "a:b", "a@b", "a\tb", "ä", "a\x7f"} {
		if ValidName(s) {
			t.Errorf("ValidName(%q) = true", s)
		}
	}
}

func TestValidDomain(t *testing.T) {
	label63 := "a" + strings.Repeat("b", 61) + "c"
	for _, s := range []string{
		"example.com", ".example.com", "EXAMPLE.Com", "localhost", "x", "1", "127.0.0.1",
		"a-b.c--d.e", label63 + ".com", strings.Repeat("a.", 200) + "a",
	} {
		if !ValidDomain(s) {
			t.Errorf("ValidDomain(%q) = false", s)
		}
	}
	for _, s := range []string{
		"", ".", "..example.com", "example.com.", "a..b", "-a.com", "a-.com", "a.-b",
		"a" + label63 + ".com", "ex_ample.com", "exämple.com", "example.com\n", " example.com",
		"example.com:80", "[::1]", "a/b",
	} {
		if ValidDomain(s) {
			t.Errorf("ValidDomain(%q) = true", s)
		}
	}
}

func TestValidPath(t *testing.T) {
	for _, s := range []string{"", "/", "/a b", "/a=b>c", "/~!@#$%^&*()_+{}|:\"?`-=[]\\',./"} {
		if !ValidPath(s) {
			t.Errorf("ValidPath(%q) = false", s)
		}
	}
	for _, s := range []string{"/;", "/<", "/\t", "/\x7f", "/\x00", "/é", "/\n"} {
		if ValidPath(s) {
			t.Errorf("ValidPath(%q) = true", s)
		}
	}
}

func TestAppendSetCookieAllocs(t *testing.T) {
	a := fullAttrs()
	buf := make([]byte, 0, 512)
	n := testing.AllocsPerRun(100, func() {
		if _, err := AppendSetCookie(buf[:0], "connect.sid", sidValue, a); err != nil {
			t.Fatal(err)
		}
	})
	if n != 0 {
		t.Errorf("AppendSetCookie allocates %v times with room in dst, want 0", n)
	}
}

func fullAttrs() *Attrs {
	return &Attrs{
		Domain: ".example.com", Path: "/", Expires: time.Date(2099, 12, 31, 23, 59, 59, 0, time.Local),
		HTTPOnly: true, Secure: true, Partitioned: true, Priority: "High", SameSite: "Lax",
	}
}

func BenchmarkAppendSetCookie(b *testing.B) {
	b.Run("defaults", func(b *testing.B) {
		a := &Attrs{Path: "/", HTTPOnly: true, Expires: time.Now().Add(time.Hour)}
		buf := make([]byte, 0, 256)
		b.ReportAllocs()
		for b.Loop() {
			buf, _ = AppendSetCookie(buf[:0], "connect.sid", sidValue, a)
		}
	})
	b.Run("all", func(b *testing.B) {
		a := fullAttrs()
		buf := make([]byte, 0, 256)
		b.ReportAllocs()
		for b.Loop() {
			buf, _ = AppendSetCookie(buf[:0], "connect.sid", sidValue, a)
		}
	})
}
