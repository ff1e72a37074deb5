package filestore_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/sessionkit/session/stores/filestore"
)

// The fixtures in testdata/node were written by session-file-store 1.5.0
// itself (testdata/node-fixtures.js): set.json is its store.set of the
// session in testdata/record.json, touched.json its store.touch of that
// file with the cookie of testdata/held.json.
const nodeSID = "fyinduZe2-zrXfXasLk1N-7zoPpicyKP"

var lastAccessRE = regexp.MustCompile(`"__lastAccess":(-?\d+)`)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// lastAccessOf returns the __lastAccess of a file's content.
func lastAccessOf(t *testing.T, doc []byte) int64 {
	t.Helper()
	m := lastAccessRE.FindSubmatch(doc)
	if m == nil {
		t.Fatalf("no __lastAccess in %s", doc)
	}
	n, _ := strconv.ParseInt(string(m[1]), 10, 64)
	return n
}

// withLastAccess returns doc with its __lastAccess replaced by ms.
func withLastAccess(doc []byte, ms int64) []byte {
	return lastAccessRE.ReplaceAll(doc, []byte(`"__lastAccess":`+strconv.FormatInt(ms, 10)))
}

func sessionFile(s *filestore.Store, id string) string {
	return filepath.Join(s.Dir(), id+".json")
}

func writeFile(t *testing.T, s *filestore.Store, id string, doc []byte) {
	t.Helper()
	if err := os.WriteFile(sessionFile(s, id), doc, 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, s *filestore.Store, id string) []byte {
	t.Helper()
	b, err := os.ReadFile(sessionFile(s, id))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func fileExists(s *filestore.Store, id string) bool {
	_, err := os.Stat(sessionFile(s, id))
	return err == nil
}

// checkStamped checks that got is want with a __lastAccess written between
// before and now, as Node's Date.now() would have been.
func checkStamped(t *testing.T, got, want []byte, before time.Time) {
	t.Helper()
	ms := lastAccessOf(t, got)
	if ms < before.UnixMilli() || ms > time.Now().UnixMilli() {
		t.Errorf("__lastAccess = %d, want the time of the write (%d..%d)", ms, before.UnixMilli(), time.Now().UnixMilli())
	}
	if want = withLastAccess(want, ms); !bytes.Equal(got, want) {
		t.Errorf("file =\n%s\nwant (as session-file-store writes it)\n%s", got, want)
	}
}

var bg = context.Background()

func TestSetWritesWhatNodeWrites(t *testing.T) {
	s := newStore(t, filestore.Options{})
	before := time.Now()
	if err := s.Set(bg, nodeSID, readTestdata(t, "record.json"), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	checkStamped(t, readFile(t, s, nodeSID), readTestdata(t, "node/set.json"), before)
}

func TestTouchWritesWhatNodeWrites(t *testing.T) {
	s := newStore(t, filestore.Options{})
	writeFile(t, s, nodeSID, withLastAccess(readTestdata(t, "node/set.json"), time.Now().UnixMilli()-1000))
	before := time.Now()
	if err := s.Touch(bg, nodeSID, readTestdata(t, "held.json"), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	checkStamped(t, readFile(t, s, nodeSID), readTestdata(t, "node/touched.json"), before)
}

func TestGetReturnsNodeFileAsIs(t *testing.T) {
	s := newStore(t, filestore.Options{})
	file := withLastAccess(readTestdata(t, "node/set.json"), time.Now().UnixMilli())
	writeFile(t, s, nodeSID, file)
	got, found, err := s.Get(bg, nodeSID)
	if err != nil || !found || !bytes.Equal(got, file) {
		t.Fatalf("Get = %s, %v, %v; want the file as Node wrote it:\n%s", got, found, err, file)
	}
}

func TestSetReplacesLastAccessInPlace(t *testing.T) {
	// A session loaded from a file carries __lastAccess among its data; the
	// middleware writes it back where it was, and the store updates it there
	// (a JavaScript assignment to an existing property keeps its position).
	s := newStore(t, filestore.Options{})
	in := []byte(`{"cookie":{"originalMaxAge":null,"expires":null,"httpOnly":true,"path":"/"},"__lastAccess":1,"n":2}`)
	before := time.Now()
	if err := s.Set(bg, "id", in, time.Time{}); err != nil {
		t.Fatal(err)
	}
	checkStamped(t, readFile(t, s, "id"), in, before)
}

func TestTouchWithoutCookieOnlyStamps(t *testing.T) {
	s := newStore(t, filestore.Options{})
	stored := []byte(`{"cookie":{"originalMaxAge":60000,"expires":"2026-01-01T00:00:00.000Z"},"a":1,"__lastAccess":` +
		strconv.FormatInt(time.Now().UnixMilli(), 10) + `}`)
	writeFile(t, s, "id", stored)
	before := time.Now()
	for _, held := range []string{`{"a":2}`, `{"cookie":null,"a":2}`} {
		if err := s.Touch(bg, "id", []byte(held), time.Time{}); err != nil {
			t.Fatal(err)
		}
		checkStamped(t, readFile(t, s, "id"), stored, before)
	}
}

func TestTouchAddsMissingCookieAtTheEnd(t *testing.T) {
	s := newStore(t, filestore.Options{})
	writeFile(t, s, "id", []byte(`{"a":1}`)) // no __lastAccess: never expires
	before := time.Now()
	if err := s.Touch(bg, "id", []byte(`{"cookie":{"originalMaxAge":5},"a":2}`), time.Time{}); err != nil {
		t.Fatal(err)
	}
	checkStamped(t, readFile(t, s, "id"), []byte(`{"a":1,"cookie":{"originalMaxAge":5},"__lastAccess":0}`), before)
}

func TestTouchLeavesMissingAndExpiredAlone(t *testing.T) {
	s := newStore(t, filestore.Options{})
	held := []byte(`{"cookie":{"originalMaxAge":60000,"expires":null},"a":1}`)
	if err := s.Touch(bg, "missing", held, time.Now().Add(time.Minute)); err != nil {
		t.Errorf("Touch of a missing session = %v, want nil", err)
	}
	if fileExists(s, "missing") {
		t.Error("Touch created a missing session")
	}
	old := []byte(`{"cookie":{"originalMaxAge":60000},"a":0,"__lastAccess":1000}`)
	writeFile(t, s, "old", old)
	if err := s.Touch(bg, "old", held, time.Now().Add(time.Minute)); err != nil {
		t.Errorf("Touch of an expired session = %v, want nil", err)
	}
	if got := readFile(t, s, "old"); !bytes.Equal(got, old) {
		t.Errorf("Touch rewrote an expired session: %s", got)
	}
}

func TestPastExpiryRemoves(t *testing.T) {
	s := newStore(t, filestore.Options{})
	rec := []byte(`{"cookie":{"originalMaxAge":-1000,"expires":"2000-01-01T00:00:00.000Z"},"a":1}`)
	past := time.Now().Add(-time.Second)
	writeFile(t, s, "set", []byte(`{"cookie":{},"__lastAccess":`+strconv.FormatInt(time.Now().UnixMilli(), 10)+`}`))
	if err := s.Set(bg, "set", rec, past); err != nil {
		t.Fatal(err)
	}
	if fileExists(s, "set") {
		t.Error("Set with an expiry in the past left the file")
	}
	writeFile(t, s, "touch", []byte(`{"cookie":{},"__lastAccess":`+strconv.FormatInt(time.Now().UnixMilli(), 10)+`}`))
	if err := s.Touch(bg, "touch", rec, past); err != nil {
		t.Fatal(err)
	}
	if fileExists(s, "touch") {
		t.Error("Touch with an expiry in the past left the file")
	}
}

func TestGetLeavesExpiredFileToTheReaper(t *testing.T) {
	s := newStore(t, filestore.Options{})
	writeFile(t, s, "old", []byte(`{"cookie":{"originalMaxAge":60000},"__lastAccess":1000}`))
	if _, found, err := s.Get(bg, "old"); found || err != nil {
		t.Fatalf("Get of an expired file = %v, %v; want not found", found, err)
	}
	if !fileExists(s, "old") {
		t.Error("Get deleted the expired file; session-file-store leaves it to the reaper")
	}
}

func TestCorruptFileIsRemoved(t *testing.T) {
	s := newStore(t, filestore.Options{Retries: -1})
	for _, op := range []string{"get", "touch"} {
		writeFile(t, s, op, []byte(`{"cookie":{"originalMaxAge":60000},"__lastAcc`))
		var err error
		if op == "get" {
			_, _, err = s.Get(bg, op)
		} else {
			err = s.Touch(bg, op, []byte(`{"cookie":{}}`), time.Time{})
		}
		if !errors.Is(err, filestore.ErrCorrupt) {
			t.Errorf("%s of a corrupt file = %v, want an error wrapping ErrCorrupt", op, err)
		}
		if fileExists(s, op) {
			t.Errorf("%s left the corrupt file", op)
		}
	}
}

func TestTTLAppliesWithoutOriginalMaxAge(t *testing.T) {
	s := newStore(t, filestore.Options{TTL: 10 * time.Second})
	now := time.Now().UnixMilli()
	for id, ageMs := range map[string]int64{"young": 9000, "old": 11000} {
		writeFile(t, s, id, []byte(`{"cookie":{"originalMaxAge":null,"expires":null},"__lastAccess":`+strconv.FormatInt(now-ageMs, 10)+`}`))
	}
	if _, found, _ := s.Get(bg, "young"); !found {
		t.Error("a browser-session record written 9 s ago with TTL 10 s: not found")
	}
	if _, found, _ := s.Get(bg, "old"); found {
		t.Error("a browser-session record written 11 s ago with TTL 10 s: found")
	}
}

func TestFileMode(t *testing.T) {
	s := newStore(t, filestore.Options{})
	rec := []byte(`{"cookie":{}}`)
	if err := s.Set(bg, "id", rec, time.Time{}); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(sessionFile(s, "id"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm()&0o600 != 0o600 || fi.Mode().Perm()&0o111 != 0 {
		t.Errorf("new file mode %v, want 0666 less the umask", fi.Mode())
	}
	// write-file-atomic keeps the mode of the file it replaces.
	if err := os.Chmod(sessionFile(s, "id"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := s.Set(bg, "id", rec, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(sessionFile(s, "id")); fi.Mode().Perm() != 0o640 {
		t.Errorf("rewritten file mode %v, want the old file's 0640", fi.Mode())
	}
}
