package filestore

import (
	"bytes"
	"context"
	"errors"
	"os"
	"testing"
	"time"
)

// TestOpenNodeEnvelope decrypts a file session-file-store wrote with the
// secret "keyboard cat" (testdata/node-fixtures.js) and compares it with
// what that store's get returned.
func TestOpenNodeEnvelope(t *testing.T) {
	raw, err := os.ReadFile("testdata/node/encrypted.json")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile("testdata/node/encrypted-plain.json")
	got, err := newKeyring("keyboard cat").open(context.Background(), raw)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("decrypted\n%s\nwant (Node's get)\n%s", got, want)
	}
	if _, err := newKeyring("another secret").open(context.Background(), raw); !errors.Is(err, ErrDecrypt) {
		t.Errorf("open with another secret = %v, want ErrDecrypt", err)
	}
}

// TestSealLayout checks the envelope's shape and that it opens again; that
// Node opens it is TestNodeInteropEncrypted's job.
func TestSealLayout(t *testing.T) {
	k := newKeyring("keyboard cat")
	k.n = 16
	doc := []byte(`{"cookie":{"originalMaxAge":null},"t":"é \u2028 \"q\" \n","__lastAccess":1}`)
	raw, err := k.seal(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range []string{`{"hmac":"`, `","ct":"`, `","iv":{"type":"Buffer","data":[`, `]},"salt":{"type":"Buffer","data":[`,
		`]},"aad":"`, `","at":{"type":"Buffer","data":[`, `]}}`} {
		if !bytes.Contains(raw, []byte(part)) {
			t.Errorf("envelope lacks %s: %.300s", part, raw)
		}
	}
	if bytes.Contains(raw, []byte("cookie")) {
		t.Error("the envelope contains the plaintext")
	}
	got, err := k.open(context.Background(), raw)
	if err != nil || !bytes.Equal(got, doc) {
		t.Fatalf("open(seal(doc)) = %s, %v; want %s", got, err, doc)
	}
	// Each byte of the ciphertext matters.
	for _, field := range []string{`"ct":"`, `"at":{"type":"Buffer","data":[`, `"aad":"`, `"iv":{"type":"Buffer","data":[`} {
		i := bytes.Index(raw, []byte(field)) + len(field)
		bad := bytes.Clone(raw)
		bad[i] ^= 1 // a different character or digit, still JSON
		if _, err := k.open(context.Background(), bad); !errors.Is(err, ErrDecrypt) {
			t.Errorf("open of an envelope with %s changed = %v, want ErrDecrypt", field, err)
		}
	}
}

func TestEncryptedStore(t *testing.T) {
	s, err := New(Options{Path: t.TempDir(), ReapInterval: -1, Secret: "keyboard cat", Retries: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.crypt.n = 16
	ctx := context.Background()
	rec := []byte(`{"cookie":{"originalMaxAge":60000,"expires":null},"user":"bob"}`)
	if err := s.Set(ctx, "id", rec, time.Time{}); err != nil {
		t.Fatal(err)
	}
	path, _ := s.path("id")
	raw, _ := os.ReadFile(path)
	if bytes.Contains(raw, []byte("bob")) {
		t.Errorf("the file holds the plaintext: %s", raw)
	}
	got, found, err := s.Get(ctx, "id")
	if err != nil || !found || !bytes.HasPrefix(got, rec[:len(rec)-1]) {
		t.Fatalf("Get = %s, %v, %v", got, found, err)
	}
	if err := s.Touch(ctx, "id", []byte(`{"cookie":{"originalMaxAge":50000}}`), time.Time{}); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := s.Get(ctx, "id"); !bytes.Contains(got, []byte(`"cookie":{"originalMaxAge":50000},"user":"bob"`)) {
		t.Errorf("Get after Touch = %s", got)
	}
	// A plain file, or one from another secret, is an error, and kept.
	if err := os.WriteFile(path, rec, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Get(ctx, "id"); !errors.Is(err, ErrDecrypt) {
		t.Errorf("Get of a plain file with a secret = %v, want ErrDecrypt", err)
	}
	if all, err := s.All(ctx); err != nil || len(all) != 0 {
		t.Errorf("All = %d records, %v; want the undecryptable file skipped", len(all), err)
	}
	if s.reap(ctx); !fileThere(path) {
		t.Error("an undecryptable file was deleted")
	}
}

func fileThere(path string) bool { _, err := os.Stat(path); return err == nil }
