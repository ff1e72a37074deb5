package filestore_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sessionkit/session/stores/filestore"
)

// TestNoTornFiles has two goroutines write very different records to the
// same session while two others read it, through Get and straight from
// disk: every read must be one whole record. A store that wrote the file in
// place would let readers see a truncated file or the start of one record
// with the end of another.
func TestNoTornFiles(t *testing.T) {
	s := newStore(t, filestore.Options{NoFsync: true})
	records := [][]byte{
		[]byte(`{"cookie":{"originalMaxAge":null,"expires":null},"w":"` + strings.Repeat("a", 50_000) + `"}`),
		[]byte(`{"cookie":{"originalMaxAge":null,"expires":null},"w":"b"}`),
	}
	if err := s.Set(bg, "id", records[1], time.Time{}); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var writers, readers sync.WaitGroup
	for w, rec := range records {
		writers.Add(1)
		go func() {
			defer writers.Done()
			for range 50 {
				if err := s.Set(bg, "id", rec, time.Time{}); err != nil {
					t.Errorf("writer %d: %v", w, err)
					return
				}
			}
		}()
	}
	check := func(how string, got []byte) {
		stripped := lastAccessRE.ReplaceAll(got, nil)
		for _, rec := range records {
			if bytes.Equal(stripped, append(bytes.Clone(rec[:len(rec)-1]), ",}"...)) {
				return
			}
		}
		t.Errorf("%s read a record that was never written (%d bytes): %.80s…", how, len(got), got)
	}
	for _, how := range []string{"Get", "disk"} {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				var got []byte
				var err error
				if how == "Get" {
					got, _, err = s.Get(bg, "id")
				} else {
					got, err = os.ReadFile(sessionFile(s, "id"))
				}
				if err != nil {
					t.Errorf("%s: %v", how, err)
					return
				}
				check(how, got)
			}
		}()
	}
	writers.Wait()
	close(stop)
	readers.Wait()
	if entries, _ := os.ReadDir(s.Dir()); len(entries) != 1 {
		t.Errorf("%d files in the directory after the writes, want 1 (temporary files left behind?)", len(entries))
	}
}

// TestTouchDoesNotUndoSet: Touch rewrites the stored record with a new
// cookie; a Set that runs while a Touch is reading must not be lost to it.
// Each round sets a new value concurrently with touches, then checks that
// the last Set's value survived.
func TestTouchDoesNotUndoSet(t *testing.T) {
	s := newStore(t, filestore.Options{NoFsync: true})
	rec := func(n int) []byte {
		return []byte(fmt.Sprintf(`{"cookie":{"originalMaxAge":60000,"expires":null},"n":%d}`, n))
	}
	if err := s.Set(bg, "id", rec(0), time.Time{}); err != nil {
		t.Fatal(err)
	}
	for round := 1; round <= 50; round++ {
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := s.Touch(bg, "id", rec(-1), time.Time{}); err != nil {
					t.Error(err)
				}
			}()
		}
		if err := s.Set(bg, "id", rec(round), time.Time{}); err != nil {
			t.Fatal(err)
		}
		wg.Wait()
		got, _, err := s.Get(bg, "id")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(got, []byte(fmt.Sprintf(`"n":%d,`, round))) {
			t.Fatalf("round %d: a Touch undid the Set: %s", round, got)
		}
	}
}

// TestHostileIDs: IDs that could name a file outside the directory are
// refused by every method, and nothing is written outside it.
func TestHostileIDs(t *testing.T) {
	s := newStore(t, filestore.Options{Retries: -1})
	outside := s.Dir() + "/../escaped.json"
	rec := []byte(`{"cookie":{}}`)
	for _, id := range []string{"", "..", "../escaped", "a/../../escaped", "/etc/passwd", `..\escaped`, `a\b`, "a\x00b", "a/b", "x..y"} {
		errs := map[string]error{
			"get":     func() error { _, _, err := s.Get(bg, id); return err }(),
			"set":     s.Set(bg, id, rec, time.Time{}),
			"touch":   s.Touch(bg, id, rec, time.Time{}),
			"destroy": s.Destroy(bg, id),
		}
		for op, err := range errs {
			if !errors.Is(err, filestore.ErrInvalidID) {
				t.Errorf("%s(%q) = %v, want an error wrapping ErrInvalidID", op, id, err)
			} else if !strings.HasPrefix(err.Error(), "filestore: "+op+": ") {
				t.Errorf("%s(%q) error %q does not name the store and the operation", op, id, err)
			}
		}
	}
	if _, err := os.Stat(outside); err == nil {
		t.Error("a file was written outside the directory")
	}
	if entries, _ := os.ReadDir(s.Dir()); len(entries) != 0 {
		t.Errorf("%d files written for refused IDs", len(entries))
	}
	// Odd but harmless IDs are files like any other.
	for _, id := range []string{".", ".json", "a.b", "-_-", "ünï"} {
		if err := s.Set(bg, id, rec, time.Time{}); err != nil {
			t.Errorf("Set(%q): %v", id, err)
		} else if _, found, err := s.Get(bg, id); !found || err != nil {
			t.Errorf("Get(%q) = %v, %v", id, found, err)
		}
	}
	if n, _ := s.Len(bg); n != 5 {
		t.Errorf("Len = %d, want 5", n)
	}
}
