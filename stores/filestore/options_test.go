package filestore

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDefaultsAreNodes(t *testing.T) {
	o, err := Options{}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	want := Options{
		Path: "./sessions", TTL: time.Hour, Retries: 5, Factor: 1,
		MinTimeout: 50 * time.Millisecond, MaxTimeout: 100 * time.Millisecond,
		ReapInterval: time.Hour, ReapMaxConcurrent: 10, FileExtension: ".json",
		Logger: o.Logger,
	}
	if o != want {
		t.Errorf("defaults = %+v,\nwant %+v", o, want)
	}
}

func TestBadOptions(t *testing.T) {
	for _, o := range []Options{
		{MinTimeout: time.Second}, // above the default MaxTimeout
		{MinTimeout: 10 * time.Millisecond, MaxTimeout: 5 * time.Millisecond},
		{Factor: -1},
		{FileExtension: "/x"},
		{FileExtension: ".j\\son"},
	} {
		o.Path = t.TempDir()
		if s, err := New(o); err == nil {
			s.Close()
			t.Errorf("New(%+v) succeeded, want an error", o)
		} else if !strings.HasPrefix(err.Error(), "filestore: ") {
			t.Errorf("New error %q does not name the store", err)
		}
	}
}

func TestNewCreatesDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	s, err := New(Options{Path: dir + "/./", ReapInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Fatalf("directory not created: %v", err)
	}
	if s.Dir() != dir {
		t.Errorf("Dir() = %q, want the cleaned path %q", s.Dir(), dir)
	}
}

// retryStore returns a store whose waits between read attempts are
// recorded instead of slept.
func retryStore(t *testing.T, o Options) (*Store, *[]time.Duration) {
	t.Helper()
	o.Path, o.ReapInterval = t.TempDir(), -1
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	var waits []time.Duration
	s.sleep = func(ctx context.Context, d time.Duration) error {
		waits = append(waits, d)
		return ctx.Err()
	}
	return s, &waits
}

func TestRetrySchedule(t *testing.T) {
	ms := time.Millisecond
	cases := []struct {
		name string
		o    Options
		want []time.Duration
	}{
		{"Default", Options{}, []time.Duration{50 * ms, 50 * ms, 50 * ms, 50 * ms, 50 * ms}},
		{"Factor2", Options{Factor: 2, Retries: 4, MaxTimeout: 300 * ms},
			[]time.Duration{50 * ms, 100 * ms, 200 * ms, 300 * ms}},
		{"Factor1.5", Options{Factor: 1.5, Retries: 3, MinTimeout: 3 * ms, MaxTimeout: time.Second},
			[]time.Duration{3 * ms, 5 * ms, 7 * ms}}, // Math.round(3 * 1.5**n) ms
		{"NoRetries", Options{Retries: -1}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, waits := retryStore(t, c.o)
			_, found, err := s.Get(context.Background(), "missing")
			if found || err != nil {
				t.Fatalf("Get of a missing file = %v, %v; want not found", found, err)
			}
			if !equalDurations(*waits, c.want) {
				t.Errorf("waits = %v, want %v", *waits, c.want)
			}
		})
	}
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestRetryFindsLateFile: the reason Node retries, a file that appears
// while the read is being retried (written by another process).
func TestRetryFindsLateFile(t *testing.T) {
	s, waits := retryStore(t, Options{})
	path, _ := s.path("late")
	s.sleep = func(ctx context.Context, d time.Duration) error {
		*waits = append(*waits, d)
		if len(*waits) == 3 {
			return os.WriteFile(path, []byte(`{"cookie":{}}`), 0o644)
		}
		return nil
	}
	data, found, err := s.Get(context.Background(), "late")
	if err != nil || !found || string(data) != `{"cookie":{}}` {
		t.Fatalf("Get = %s, %v, %v; want the file written during the third wait", data, found, err)
	}
	if len(*waits) != 3 {
		t.Errorf("%d waits, want 3", len(*waits))
	}
}

// TestRetryOtherErrors: Node retries any failed read, and reports the last
// error when none succeeds.
func TestRetryOtherErrors(t *testing.T) {
	s, waits := retryStore(t, Options{Retries: 2})
	path, _ := s.path("dir")
	if err := os.Mkdir(path, 0o755); err != nil {
		t.Fatal(err)
	}
	_, found, err := s.Get(context.Background(), "dir")
	if found || err == nil || !strings.HasPrefix(err.Error(), "filestore: get: ") || errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Get of a directory = %v, %v; want a filestore: get: error", found, err)
	}
	if len(*waits) != 2 {
		t.Errorf("%d waits, want 2", len(*waits))
	}
}

func TestFileExtension(t *testing.T) {
	s, err := New(Options{Path: t.TempDir(), ReapInterval: -1, FileExtension: ".sess"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if err := s.Set(ctx, "a", []byte(`{"cookie":{}}`), time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(s.Dir(), "a.sess")); err != nil {
		t.Errorf("session file not named <id>.sess: %v", err)
	}
	// Files without the extension are not sessions, for All, Len and Clear.
	other := filepath.Join(s.Dir(), "b.json")
	if err := os.WriteFile(other, []byte(`{"cookie":{}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if all, _ := s.All(ctx); len(all) != 1 || all["a"] == nil {
		t.Errorf("All = %v, want only a", all)
	}
	if n, _ := s.Len(ctx); n != 1 {
		t.Errorf("Len = %d, want 1", n)
	}
	if err := s.Clear(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("Clear removed a file without the extension: %v", err)
	}
	if n, _ := s.Len(ctx); n != 0 {
		t.Errorf("Len after Clear = %d, want 0", n)
	}
}

// TestDirectoryRemoved: a directory deleted under the store holds no
// sessions; writes fail (as in Node) until it is back.
func TestDirectoryRemoved(t *testing.T) {
	s, err := New(Options{Path: filepath.Join(t.TempDir(), "s"), ReapInterval: -1, Retries: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := os.RemoveAll(s.Dir()); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if all, err := s.All(ctx); err != nil || len(all) != 0 {
		t.Errorf("All = %v, %v; want none", all, err)
	}
	if err := s.Clear(ctx); err != nil {
		t.Errorf("Clear = %v", err)
	}
	if _, found, err := s.Get(ctx, "x"); found || err != nil {
		t.Errorf("Get = %v, %v; want not found", found, err)
	}
	if err := s.Set(ctx, "x", []byte(`{"cookie":{}}`), time.Time{}); err == nil || !strings.HasPrefix(err.Error(), "filestore: set: ") {
		t.Errorf("Set = %v, want a filestore: set: error", err)
	}
}
