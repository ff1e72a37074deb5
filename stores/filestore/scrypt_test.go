package filestore

import (
	"encoding/hex"
	"testing"
)

func TestScrypt(t *testing.T) {
	cases := []struct {
		password, salt string
		n, r, p        int
		want           string
	}{
		// RFC 7914, section 12.
		{"", "", 16, 1, 1, "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906"},
		{"password", "NaCl", 1024, 8, 16, "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"},
		// Node: crypto.scryptSync('keyboard cat', Buffer.from('salt'), 32),
		// kruptein's parameters (N 16384, r 8, p 1).
		{"keyboard cat", "salt", 16384, 8, 1, "07056c7c6e440565da66c135412b8f53378f388368c6a27ccdabd476cad959d5"},
	}
	for _, c := range cases {
		want, _ := hex.DecodeString(c.want)
		got, err := scrypt(c.password, []byte(c.salt), c.n, c.r, c.p, len(want))
		if err != nil {
			t.Fatal(err)
		}
		if hex.EncodeToString(got) != c.want {
			t.Errorf("scrypt(%q, %q, %d, %d, %d) = %x, want %s", c.password, c.salt, c.n, c.r, c.p, got, c.want)
		}
	}
	if _, err := scrypt("x", nil, 1000, 8, 1, 32); err == nil {
		t.Error("scrypt with N not a power of two: no error")
	}
}
