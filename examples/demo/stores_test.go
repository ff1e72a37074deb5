package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseStoreSpec(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		spec, kind, target string
	}{
		{"", "sqlite", "sessionkit-demo.db"},
		{"memory", "memory", ""},
		{"MEMORY", "memory", ""},
		{"sqlite:x.db", "sqlite", "x.db"},
		{"sqlite:///tmp/x.db", "sqlite", "/tmp/x.db"},
		{"sqlite:./data/../x.db", "sqlite", "x.db"},
		{"file:./sessions", "file", "sessions"},
		{"redis://127.0.0.1:6379/0", "redis", "redis://127.0.0.1:6379/0"},
		{"rediss://:pw@redis.example:6380", "redis", "rediss://:pw@redis.example:6380"},
		{"postgres://me@127.0.0.1:5432/db", "postgres", "postgres://me@127.0.0.1:5432/db"},
		{"postgresql://me@127.0.0.1/db?sslmode=disable", "postgres", "postgresql://me@127.0.0.1/db?sslmode=disable"},
		{"mysql://root@tcp(127.0.0.1:3306)/test", "mysql", "root@tcp(127.0.0.1:3306)/test?timeout=5s"},
		{"mysql://root@127.0.0.1:3306/test", "mysql", "root@tcp(127.0.0.1:3306)/test?timeout=5s"},
		{"mysql://root@db.example/test", "mysql", "root@tcp(db.example:3306)/test?timeout=5s"},
		{"mysql://u:p%40ss@127.0.0.1:3307/test?parseTime=true", "mysql", "u:p@ss@tcp(127.0.0.1:3307)/test?parseTime=true&timeout=5s"},
	} {
		got, err := parseStoreSpec(c.spec)
		if err != nil {
			t.Errorf("%q: %v", c.spec, err)
			continue
		}
		if got.Kind != c.kind || got.Target != c.target {
			t.Errorf("%q: got %s %q, want %s %q", c.spec, got.Kind, got.Target, c.kind, c.target)
		}
	}
	for _, spec := range []string{"sqlite:", "file:", "memory:x", "mongodb://x", "bolt:x.db", "mysql://root@127.0.0.1:3306", "x.db"} {
		if got, err := parseStoreSpec(spec); err == nil {
			t.Errorf("%q: accepted as %+v", spec, got)
		}
	}
}

func TestDescribeHidesPasswords(t *testing.T) {
	t.Parallel()
	for _, spec := range []string{
		"redis://:hunter2@127.0.0.1:6379/0",
		"postgres://me:hunter2@127.0.0.1/db",
		"mysql://me:hunter2@127.0.0.1:3306/db",
		"mysql://me:hunter2@tcp(127.0.0.1:3306)/db",
	} {
		s, err := parseStoreSpec(spec)
		if err != nil {
			t.Fatal(err)
		}
		if d := s.describe(); strings.Contains(d, "hunter2") {
			t.Errorf("%q described as %q", spec, d)
		}
	}
	for _, spec := range []string{"mysql://me:hunter2@127.0.0.1:3306", "mongodb://me:hunter2@127.0.0.1"} {
		if _, err := parseStoreSpec(spec); err == nil || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("error shows the password: %v", err)
		}
	}
}

func TestDefaultSecretFile(t *testing.T) {
	t.Parallel()
	for spec, want := range map[string]string{
		"":                    "sessionkit-demo.secret",
		"sqlite:/var/x/s.db":  "/var/x/s.secret",
		"sqlite:sessions":     "sessions.secret",
		"file:/var/sessions/": "/var/sessions.secret",
		"redis://127.0.0.1":   "sessionkit-demo.secret",
		"memory":              "",
	} {
		s, err := parseStoreSpec(spec)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.defaultSecretFile(); got != filepath.FromSlash(want) {
			t.Errorf("%q: secret file %q, want %q", spec, got, want)
		}
	}
}

// A server that is not there is a startup error naming the store, and
// comes quickly (port 1 on loopback refuses at once).
func TestUnreachableStoreIsAClearStartupError(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ spec, name string }{
		{"redis://127.0.0.1:1/0", "Redis redis://127.0.0.1:1/0"},
		{"postgres://demo:pw@127.0.0.1:1/demo?sslmode=disable", "PostgreSQL postgres://demo:xxxxx@127.0.0.1:1/demo"},
		{"mysql://demo@127.0.0.1:1/demo", "MySQL demo@tcp(127.0.0.1:1)/demo"},
	} {
		start := time.Now()
		_, _, err := newApp(config{StoreSpec: c.spec, Secret: "0123456789abcdef0123456789abcdef", Logger: slog.New(slog.DiscardHandler)})
		if err == nil {
			t.Fatalf("%s: no error", c.spec)
		}
		msg := err.Error()
		if !strings.Contains(msg, "session store "+c.name) || !strings.Contains(msg, "Is the server running") {
			t.Errorf("%s: unclear error:\n%s", c.spec, msg)
		}
		if time.Since(start) > 2*connectTimeout {
			t.Errorf("%s: took %v", c.spec, time.Since(start))
		}
	}
}

func TestSecretFileMadeOnceAndKept(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "sub", "demo.secret")
	first, err := loadOrCreateSecret(path)
	if err != nil {
		t.Fatal(err)
	}
	if !first.Created || len(first.Secret) != 64 {
		t.Fatalf("first call: %+v", first)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("secret file mode %v, want 0600", fi.Mode().Perm())
	}
	second, err := loadOrCreateSecret(path)
	if err != nil {
		t.Fatal(err)
	}
	if second.Created || second.Secret != first.Secret {
		t.Fatalf("second call made a new secret: %+v", second)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
	// A truncated file is an error, not a weak secret.
	os.WriteFile(path, []byte("short\n"), 0o600)
	if _, err := loadOrCreateSecret(path); err == nil {
		t.Fatal("a 5-character secret was accepted")
	}
}

func TestSessionSecretWins(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, closer, err := newApp(config{StoreSpec: "sqlite:" + filepath.Join(dir, "s.db"), Secret: "from the environment, long enough", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	closer.Close()
	if _, err := os.Stat(filepath.Join(dir, "s.secret")); !os.IsNotExist(err) {
		t.Fatalf("a secret file was made although SESSION_SECRET was set (%v)", err)
	}
}
