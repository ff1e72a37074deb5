package wire

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
)

var keyboardCat = []byte("keyboard cat")

func TestSign(t *testing.T) {
	tests := []struct {
		value, secret, want string
	}{
		// Spec §5.5 conformance vectors.
		{"apple", "keyboard cat", "apple.D8Y+pkTAmeR0PobOhY4G97PRW+j7bUnP/5m6/On1MCU"},
		{"%", "keyboard cat", "%.kzQ6x52kKVdF35Qh62AWk4ZekS28K5XYCXKa/OTZ01g"},
		{"/foo", "keyboard cat", "/foo.paEKBtAHbV5s1IB8B2zPnzAgYmmnRPIqObW4VRYj/MQ"},
	}
	for _, tt := range tests {
		if got := Sign(tt.value, []byte(tt.secret)); got != tt.want {
			t.Errorf("Sign(%q, %q) = %q, want %q", tt.value, tt.secret, got, tt.want)
		}
	}
}

func TestSignShape(t *testing.T) {
	for _, v := range []string{"", "a", "a.b", strings.Repeat("x", macScratch)} {
		s := Sign(v, keyboardCat)
		if !strings.HasPrefix(s, v+".") || len(s) != len(v)+1+sigLen || strings.HasSuffix(s, "=") {
			t.Errorf("Sign(%.20q) = %.80q: want value, '.', %d unpadded base64 chars", v, s, sigLen)
		}
	}
}

// TestHMACMatchesStdlib guards the hand-written HMAC, including keys around
// the block size (where the key is hashed first) and messages around the
// stack scratch size (where the heap path takes over).
func TestHMACMatchesStdlib(t *testing.T) {
	for _, kl := range []int{0, 1, 12, 63, 64, 65, 100, 200} {
		for _, ml := range []int{0, 1, 32, macScratch - blockSize - 1, macScratch - blockSize, macScratch - blockSize + 1, 1000} {
			key := []byte(strings.Repeat("k", kl))
			msg := strings.Repeat("m", ml)
			if got, want := Sign(msg, key), stdSign(msg, key); got != want {
				t.Errorf("key %d msg %d: Sign = %q, crypto/hmac = %q", kl, ml, got[len(msg):], want[len(msg):])
			}
		}
	}
}

func stdSign(value string, secret []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(value))
	return value + "." + base64.RawStdEncoding.EncodeToString(m.Sum(nil))
}

func TestUnsign(t *testing.T) {
	good := Sign("apple", keyboardCat)
	sig := good[len("apple."):]
	tobi, loki := []byte("tobi"), []byte("loki")
	tests := []struct {
		name    string
		signed  string
		secrets [][]byte
		want    string
		ok      bool
	}{
		{"valid", good, [][]byte{keyboardCat}, "apple", true},
		{"rotation: later secret", good, [][]byte{tobi, loki, keyboardCat}, "apple", true},
		{"wrong secrets", good, [][]byte{tobi, loki}, "", false},
		{"no secrets", good, nil, "", false},
		{"nil secret acts as empty key", Sign("x", nil), [][]byte{{}}, "x", true},
		{"dots in id", Sign("a.b.c", keyboardCat), [][]byte{keyboardCat}, "a.b.c", true},
		{"empty id", Sign("", keyboardCat), [][]byte{keyboardCat}, "", true},
		{"long id (heap scratch)", Sign(strings.Repeat("L", 500), keyboardCat), [][]byte{keyboardCat}, strings.Repeat("L", 500), true},
		{"no dot", "apple" + sig, [][]byte{keyboardCat}, "", false},
		{"empty", "", [][]byte{keyboardCat}, "", false},
		{"padded", good + "=", [][]byte{keyboardCat}, "", false},
		{"truncated", good[:len(good)-1], [][]byte{keyboardCat}, "", false},
		{"tampered id", "applf." + sig, [][]byte{keyboardCat}, "", false},
		{"extra segment", good + ".x", [][]byte{keyboardCat}, "", false},
		{"non-canonical base64 tail", "apple." + sig[:sigLen-1] + "V", [][]byte{keyboardCat}, "", false},
	}
	for _, tt := range tests {
		got, ok := Unsign(tt.signed, tt.secrets)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%s: Unsign(%.60q) = %q, %v; want %q, %v", tt.name, tt.signed, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSignUnsignAllocs(t *testing.T) {
	signed := Sign("hmiXDV7ExLvkjiuggQv3ODj823uD6MI7", keyboardCat)
	secrets := [][]byte{[]byte("old1"), []byte("old2"), keyboardCat}
	if n := testing.AllocsPerRun(100, func() { Sign("hmiXDV7ExLvkjiuggQv3ODj823uD6MI7", keyboardCat) }); n != 1 {
		t.Errorf("Sign allocates %v times, want 1 (the result)", n)
	}
	if n := testing.AllocsPerRun(100, func() { Unsign(signed, secrets) }); n != 0 {
		t.Errorf("Unsign with 3 secrets allocates %v times, want 0", n)
	}
}

func FuzzUnsign(f *testing.F) {
	for _, c := range mustVectors(f).Unsign {
		secret := ""
		if len(c.Secrets) > 0 {
			secret = c.Secrets[len(c.Secrets)-1]
		}
		if smallSeed(c.Input, secret) {
			f.Add(c.Input, []byte(secret), "apple")
		}
	}
	for _, c := range mustVectors(f).Sign {
		if smallSeed(c.Signed, c.Secret) {
			f.Add(c.Signed, []byte(c.Secret), c.Value)
		}
	}
	f.Fuzz(func(t *testing.T, signed string, secret []byte, value string) {
		// Arbitrary input: never panics, and success means it is exactly
		// what Sign would have produced.
		if v, ok := Unsign(signed, [][]byte{secret}); ok && Sign(v, secret) != signed {
			t.Fatalf("Unsign(%q) accepted %q, but Sign gives %q", signed, v, Sign(v, secret))
		}
		s := Sign(value, secret)
		if s != stdSign(value, secret) {
			t.Fatalf("Sign(%q, %q) = %q differs from crypto/hmac", value, secret, s)
		}
		other := append([]byte("other"), secret...)
		if v, ok := Unsign(s, [][]byte{other, secret}); !ok || v != value {
			t.Fatalf("Unsign(Sign(%q)) = %q, %v", value, v, ok)
		}
	})
}

func BenchmarkSign(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Sign("hmiXDV7ExLvkjiuggQv3ODj823uD6MI7", keyboardCat)
	}
}

func BenchmarkUnsign(b *testing.B) {
	signed := Sign("hmiXDV7ExLvkjiuggQv3ODj823uD6MI7", keyboardCat)
	b.Run("secrets=1", func(b *testing.B) {
		secrets := [][]byte{keyboardCat}
		b.ReportAllocs()
		for b.Loop() {
			Unsign(signed, secrets)
		}
	})
	b.Run("secrets=3/last", func(b *testing.B) {
		secrets := [][]byte{[]byte("new"), []byte("newer"), keyboardCat}
		b.ReportAllocs()
		for b.Loop() {
			Unsign(signed, secrets)
		}
	})
	b.Run("padded", func(b *testing.B) {
		secrets, padded := [][]byte{keyboardCat}, signed+"="
		b.ReportAllocs()
		for b.Loop() {
			Unsign(padded, secrets)
		}
	})
}
