package filestore

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"
)

// TestGetHonoursContextWhileRetrying: a Get waiting between retries returns
// when its context is canceled, instead of finishing the retries.
func TestGetHonoursContextWhileRetrying(t *testing.T) {
	s, err := New(Options{Path: t.TempDir(), ReapInterval: -1, Retries: 1000, MinTimeout: time.Hour, MaxTimeout: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	_, found, err := s.Get(ctx, "missing")
	if found || !errors.Is(err, context.Canceled) {
		t.Errorf("Get = %v, %v; want an error wrapping context.Canceled", found, err)
	}
}

// TestWritesHonourContextWhileWaitingForTheLock: a write that waits for
// another write to the same session gives up when its deadline passes, and
// writes nothing.
func TestWritesHonourContextWhileWaitingForTheLock(t *testing.T) {
	s, err := New(Options{Path: t.TempDir(), ReapInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	l, _ := s.locks.lock(context.Background(), "id")
	defer unlock(l)
	rec := []byte(`{"cookie":{}}`)
	ops := map[string]func(context.Context) error{
		"Set":     func(ctx context.Context) error { return s.Set(ctx, "id", rec, time.Time{}) },
		"Touch":   func(ctx context.Context) error { return s.Touch(ctx, "id", rec, time.Time{}) },
		"Destroy": func(ctx context.Context) error { return s.Destroy(ctx, "id") },
	}
	for name, op := range ops {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		err := op(ctx)
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s = %v, want an error wrapping context.DeadlineExceeded", name, err)
		}
	}
	path, _ := s.path("id")
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a write that timed out created the file: %v", err)
	}
}

// TestWriteCanceledBeforeRename: a write whose context ends while the file
// is being written replaces nothing and leaves no temporary file.
func TestWriteCanceledBeforeRename(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/id.json"
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := writeAtomic(ctx, path, []byte("new"), true); !errors.Is(err, context.Canceled) {
		t.Errorf("writeAtomic = %v, want context.Canceled", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("file = %q, want it unchanged", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files in the directory, want only the session file", len(entries))
	}
}
