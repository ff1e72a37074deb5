package filestore

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// reapFixture fills s's directory with one file of each kind the reaper
// meets and returns the names it must delete and those it must keep.
func reapFixture(t *testing.T, s *Store) (gone, kept []string) {
	t.Helper()
	now := strconv.FormatInt(time.Now().UnixMilli(), 10)
	files := map[string]string{
		"expired.json":   `{"cookie":{"originalMaxAge":60000},"__lastAccess":1000}`,
		"ttl.json":       `{"cookie":{"originalMaxAge":null},"__lastAccess":` + strconv.FormatInt(time.Now().UnixMilli()-3600001, 10) + `}`,
		"corrupt.json":   `{"cookie":`,
		"live.json":      `{"cookie":{"originalMaxAge":60000},"__lastAccess":` + now + `}`,
		"nostamp.json":   `{"cookie":{"originalMaxAge":60000}}`, // never expires, in Node too
		"other.txt":      `{"cookie":{"originalMaxAge":60000},"__lastAccess":1000}`,
		"x.json.1234567": `{"cookie":{"originalMaxAge":60000},"__lastAccess":1000}`, // a temporary file
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(s.dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return []string{"expired.json", "ttl.json", "corrupt.json"},
		[]string{"live.json", "nostamp.json", "other.txt", "x.json.1234567"}
}

func exists(s *Store, name string) bool {
	_, err := os.Stat(filepath.Join(s.dir, name))
	return err == nil
}

func TestReap(t *testing.T) {
	s, err := New(Options{Path: t.TempDir(), ReapInterval: -1, ReapMaxConcurrent: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	gone, kept := reapFixture(t, s)
	if n := s.reap(context.Background()); n != len(gone) {
		t.Errorf("reap deleted %d files, want %d", n, len(gone))
	}
	for _, name := range gone {
		if exists(s, name) {
			t.Errorf("reap left %s", name)
		}
	}
	for _, name := range kept {
		if !exists(s, name) {
			t.Errorf("reap deleted %s", name)
		}
	}
}

func TestReapStopsWithContext(t *testing.T) {
	s, err := New(Options{Path: t.TempDir(), ReapInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	reapFixture(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if n := s.reap(ctx); n != 0 {
		t.Errorf("reap with a canceled context deleted %d files", n)
	}
}

// TestReaperRuns checks the background reaper on its schedule, and that
// Close stops it (and may be called again).
func TestReaperRuns(t *testing.T) {
	s, err := New(Options{Path: t.TempDir(), ReapInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	gone, kept := reapFixture(t, s)
	deadline := time.Now().Add(10 * time.Second)
	for exists(s, gone[0]) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if exists(s, gone[0]) {
		t.Fatal("the reaper did not delete an expired file within 10 s")
	}
	for _, name := range kept {
		if !exists(s, name) {
			t.Errorf("the reaper deleted %s", name)
		}
	}
	s.Close()
	s.Close()
	// After Close nothing is deleted any more.
	reapFixture(t, s)
	time.Sleep(100 * time.Millisecond)
	if !exists(s, gone[0]) {
		t.Error("the reaper ran after Close")
	}
}

// TestReaperSparesRewrittenFile: a session this process rewrites after the
// reaper judged it expired is not deleted (the reaper checks again under
// the session's lock).
func TestReaperSparesRewrittenFile(t *testing.T) {
	s, err := New(Options{Path: t.TempDir(), ReapInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	path, _ := s.path("id")
	if err := os.WriteFile(path, []byte(`{"cookie":{"originalMaxAge":60000},"__lastAccess":1000}`), 0o644); err != nil {
		t.Fatal(err)
	}
	// Hold the session's lock as a Set in progress would, let the reaper
	// find the file expired and wait for the lock, then rewrite the file.
	l, _ := s.locks.lock(ctx, "id")
	done := make(chan bool)
	go func() { done <- s.reapOne(ctx, "id") }()
	time.Sleep(50 * time.Millisecond)
	if err := writeAtomic(ctx, path, []byte(`{"cookie":{"originalMaxAge":60000},"__lastAccess":`+
		strconv.FormatInt(time.Now().UnixMilli(), 10)+`}`), true); err != nil {
		t.Fatal(err)
	}
	unlock(l)
	if <-done {
		t.Error("the reaper deleted a session rewritten while it waited")
	}
	if !exists(s, "id.json") {
		t.Error("the rewritten session is gone")
	}
}
