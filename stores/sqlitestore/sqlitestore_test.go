package sqlitestore_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sessionkit/session/record"
	"github.com/sessionkit/session/stores/sqlitestore"
)

// rec returns a record as express-session writes it, expiring at exp (a
// browser-session cookie for the zero time).
func rec(exp time.Time, user string) []byte {
	if exp.IsZero() {
		return []byte(`{"cookie":{"originalMaxAge":null,"expires":null,"httpOnly":true,"path":"/"},"user":"` + user + `"}`)
	}
	return []byte(`{"cookie":{"originalMaxAge":3600000,"expires":"` + record.FormatTime(exp) +
		`","httpOnly":true,"path":"/"},"user":"` + user + `"}`)
}

// row is a row of a sessions table as SQLite holds it.
type row struct {
	sidType, expiredType, sessType string
	expired                        float64
	sess                           string
}

// rawRow reads the row sid of table through db, outside the store.
func rawRow(t *testing.T, db *sql.DB, table, sid string) (row, bool) {
	t.Helper()
	var r row
	err := db.QueryRow("SELECT typeof(sid), typeof(expired), typeof(sess), expired, sess FROM "+table+" WHERE sid = ?", sid).
		Scan(&r.sidType, &r.expiredType, &r.sessType, &r.expired, &r.sess)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false
	}
	if err != nil {
		t.Fatalf("raw read of %q: %v", sid, err)
	}
	return r, true
}

func rawCount(t *testing.T, db *sql.DB, table string) int {
	t.Helper()
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// nodeInsert writes a row as connect-sqlite3 does: a TEXT sid and sess and
// the expiry in milliseconds bound as a double.
func nodeInsert(t *testing.T, db *sql.DB, table, sid string, expiredMs int64, sess []byte) {
	t.Helper()
	_, err := db.Exec("INSERT OR REPLACE INTO "+table+" VALUES (?, ?, ?)", sid, float64(expiredMs), string(sess))
	if err != nil {
		t.Fatal(err)
	}
}

var bg = context.Background()

func mustGet(t *testing.T, s *sqlitestore.Store, id string) ([]byte, bool) {
	t.Helper()
	data, found, err := s.Get(bg, id)
	if err != nil {
		t.Fatalf("Get(%q): %v", id, err)
	}
	return data, found
}

// TestLayout checks the table and a row byte for byte against what
// connect-sqlite3 writes: the DDL without types, sid and sess as TEXT,
// expired as a REAL number of milliseconds equal to the expiry.
func TestLayout(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := sqlitestore.Open(path, sqlitestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	raw := openDB(t, path)

	var ddl string
	if err := raw.QueryRow("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'sessions'").Scan(&ddl); err != nil {
		t.Fatal(err)
	}
	if want := "CREATE TABLE sessions (sid PRIMARY KEY, expired, sess)"; ddl != want {
		t.Errorf("table DDL = %q, want %q", ddl, want)
	}

	exp := time.Now().Add(time.Hour).Truncate(time.Millisecond)
	data := rec(exp, "bob")
	if err := s.Set(bg, "sid1", data, exp); err != nil {
		t.Fatal(err)
	}
	r, ok := rawRow(t, raw, "sessions", "sid1")
	if !ok {
		t.Fatal("Set wrote no row")
	}
	if r.sidType != "text" || r.expiredType != "real" || r.sessType != "text" {
		t.Errorf("typeof(sid, expired, sess) = %s, %s, %s; want text, real, text", r.sidType, r.expiredType, r.sessType)
	}
	if want := float64(exp.UnixMilli()); r.expired != want {
		t.Errorf("expired = %.1f, want %.1f (the expiry in epoch milliseconds)", r.expired, want)
	}
	if r.expired != math.Trunc(r.expired) {
		t.Errorf("expired = %f, want a whole number of milliseconds", r.expired)
	}
	if r.sess != string(data) {
		t.Errorf("sess = %s, want %s", r.sess, data)
	}
}

// TestDefaultLifetime: a record without expiry gets now + one day.
func TestDefaultLifetime(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s := openPath(t, path, sqlitestore.Options{})
	raw := openDB(t, path)
	before := time.Now().UnixMilli()
	if err := s.Set(bg, "b", rec(time.Time{}, "bob"), time.Time{}); err != nil {
		t.Fatal(err)
	}
	after := time.Now().UnixMilli()
	r, _ := rawRow(t, raw, "sessions", "b")
	day := float64(24 * time.Hour / time.Millisecond)
	if r.expiredType != "real" || r.expired < float64(before)+day || r.expired > float64(after)+day {
		t.Errorf("expired = %s %.0f, want a real in [%d, %d] + one day", r.expiredType, r.expired, before, after)
	}
}

// TestPastExpiry: a record whose expiry has passed is written with that
// expiry (not a day), and is invisible at once.
func TestPastExpiry(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s := openPath(t, path, sqlitestore.Options{})
	raw := openDB(t, path)
	past := time.Now().Add(-time.Minute).Truncate(time.Millisecond)
	if err := s.Set(bg, "p", rec(past, "bob"), past); err != nil {
		t.Fatal(err)
	}
	if r, ok := rawRow(t, raw, "sessions", "p"); !ok || r.expired != float64(past.UnixMilli()) {
		t.Errorf("row = %+v, %v; want expired = %d", r, ok, past.UnixMilli())
	}
	if _, found := mustGet(t, s, "p"); found {
		t.Error("Get returned a record stored with a past expiry")
	}
}

// TestTouch: touch moves expired to the new expiry without rewriting the
// JSON, does nothing for a session without expiry, and does not revive an
// expired row.
func TestTouch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s := openPath(t, path, sqlitestore.Options{})
	raw := openDB(t, path)

	exp := time.Now().Add(time.Hour).Truncate(time.Millisecond)
	stored := rec(exp, "bob")
	if err := s.Set(bg, "a", stored, exp); err != nil {
		t.Fatal(err)
	}
	later := exp.Add(30 * time.Minute)
	if err := s.Touch(bg, "a", rec(later, "mallory"), later); err != nil {
		t.Fatal(err)
	}
	r, _ := rawRow(t, raw, "sessions", "a")
	if r.expired != float64(later.UnixMilli()) || r.expiredType != "real" {
		t.Errorf("after Touch expired = %s %.0f, want real %d", r.expiredType, r.expired, later.UnixMilli())
	}
	if r.sess != string(stored) {
		t.Errorf("Touch rewrote sess: %s, want %s", r.sess, stored)
	}

	// No expiry: no touch (connect-sqlite3 checks cookie.expires).
	if err := s.Touch(bg, "a", rec(time.Time{}, "bob"), time.Time{}); err != nil {
		t.Fatal(err)
	}
	if r2, _ := rawRow(t, raw, "sessions", "a"); r2.expired != r.expired {
		t.Errorf("Touch without expiry changed expired from %.0f to %.0f", r.expired, r2.expired)
	}
	if err := s.Set(bg, "b", rec(time.Time{}, "bob"), time.Time{}); err != nil {
		t.Fatal(err)
	}
	rb, _ := rawRow(t, raw, "sessions", "b")
	if err := s.Touch(bg, "b", rec(time.Time{}, "bob"), time.Time{}); err != nil {
		t.Fatal(err)
	}
	if rb2, _ := rawRow(t, raw, "sessions", "b"); rb2.expired != rb.expired {
		t.Errorf("Touch of a browser-session record moved expired from %.0f to %.0f", rb.expired, rb2.expired)
	}

	// An expired row stays expired.
	past := time.Now().Add(-time.Second).UnixMilli()
	nodeInsert(t, raw, "sessions", "old", past, rec(time.UnixMilli(past), "bob"))
	if err := s.Touch(bg, "old", rec(later, "bob"), later); err != nil {
		t.Fatal(err)
	}
	if ro, _ := rawRow(t, raw, "sessions", "old"); ro.expired != float64(past) {
		t.Errorf("Touch revived an expired row: expired = %.0f, want %d", ro.expired, past)
	}
}

// TestExpiredRows: get, All and Len skip expired rows but leave them in
// place; DeleteExpired removes them and nothing else.
func TestExpiredRows(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s := openPath(t, path, sqlitestore.Options{})
	raw := openDB(t, path)
	now := time.Now()
	live := rec(now.Add(time.Hour), "live")
	nodeInsert(t, raw, "sessions", "live", now.Add(time.Hour).UnixMilli(), live)
	nodeInsert(t, raw, "sessions", "dead", now.Add(-time.Second).UnixMilli(), rec(now.Add(-time.Second), "dead"))

	if _, found := mustGet(t, s, "dead"); found {
		t.Error("Get returned an expired row")
	}
	if rawCount(t, raw, "sessions") != 2 {
		t.Error("Get deleted the expired row; connect-sqlite3 leaves it to the cleanup")
	}
	all, err := s.All(bg)
	if err != nil || len(all) != 1 || !bytes.Equal(all["live"], live) {
		t.Errorf("All = %q, %v; want only the live row", all, err)
	}
	if n, err := s.Len(bg); err != nil || n != 1 {
		t.Errorf("Len = %d, %v; want 1", n, err)
	}
	n, err := s.DeleteExpired(bg)
	if err != nil || n != 1 {
		t.Errorf("DeleteExpired = %d, %v; want 1, nil", n, err)
	}
	if _, ok := rawRow(t, raw, "sessions", "dead"); ok {
		t.Error("the expired row is still there after DeleteExpired")
	}
	if data, found := mustGet(t, s, "live"); !found || !bytes.Equal(data, live) {
		t.Errorf("the live row after DeleteExpired: %s, %v", data, found)
	}
}

// TestCleanup: expired rows are deleted at open and then at every
// interval, unless the interval is negative.
func TestCleanup(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.db")
	s := openPath(t, path, sqlitestore.Options{})
	raw := openDB(t, path)
	now := time.Now()
	fill := func() {
		nodeInsert(t, raw, "sessions", "live", now.Add(time.Hour).UnixMilli(), rec(now.Add(time.Hour), "live"))
		nodeInsert(t, raw, "sessions", "dead", now.Add(-time.Second).UnixMilli(), rec(now.Add(-time.Second), "dead"))
	}
	fill()
	s.Close()

	t.Run("AtOpen", func(t *testing.T) {
		s := openPath(t, path, sqlitestore.Options{})
		if _, ok := rawRow(t, raw, "sessions", "dead"); ok {
			t.Error("Open did not delete the expired row")
		}
		if _, found := mustGet(t, s, "live"); !found {
			t.Error("Open deleted the live row")
		}
		s.Close()
	})
	t.Run("Never", func(t *testing.T) {
		fill()
		s := openPath(t, path, sqlitestore.Options{CleanupInterval: -1})
		defer s.Close()
		if _, ok := rawRow(t, raw, "sessions", "dead"); !ok {
			t.Error("Open with a negative CleanupInterval deleted the expired row")
		}
	})
	t.Run("Interval", func(t *testing.T) {
		s := openPath(t, path, sqlitestore.Options{CleanupInterval: 20 * time.Millisecond})
		defer s.Close()
		nodeInsert(t, raw, "sessions", "dead2", now.Add(-time.Second).UnixMilli(), rec(now.Add(-time.Second), "dead2"))
		deadline := time.Now().Add(20 * time.Second)
		for {
			if _, ok := rawRow(t, raw, "sessions", "dead2"); !ok {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the periodic cleanup never deleted the expired row")
			}
			time.Sleep(10 * time.Millisecond)
		}
		if _, ok := rawRow(t, raw, "sessions", "live"); !ok {
			t.Error("the periodic cleanup deleted the live row")
		}
	})
}

// TestNodeRows: rows written the way connect-sqlite3 writes them (and with
// an INTEGER expiry, which compares the same) are read.
func TestNodeRows(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s := openPath(t, path, sqlitestore.Options{Table: "node_sessions"})
	raw := openDB(t, path)
	exp := time.Now().Add(time.Hour)
	real := rec(exp, "real")
	nodeInsert(t, raw, "node_sessions", "r", exp.UnixMilli(), real)
	integer := rec(exp, "integer")
	if _, err := raw.Exec("INSERT INTO node_sessions VALUES (?, ?, ?)", "i", exp.UnixMilli(), string(integer)); err != nil {
		t.Fatal(err)
	}
	if got, found := mustGet(t, s, "r"); !found || !bytes.Equal(got, real) {
		t.Errorf("Get of a REAL-expiry row = %s, %v", got, found)
	}
	if got, found := mustGet(t, s, "i"); !found || !bytes.Equal(got, integer) {
		t.Errorf("Get of an INTEGER-expiry row = %s, %v", got, found)
	}
	if n, err := s.Len(bg); err != nil || n != 2 {
		t.Errorf("Len = %d, %v; want 2", n, err)
	}
}

// TestReopen: sessions survive closing and reopening the file.
func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "dir", "s.db") // directories created
	s, err := sqlitestore.Open(path, sqlitestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	exp := time.Now().Add(time.Hour)
	data := rec(exp, "bob")
	if err := s.Set(bg, "keep", data, exp); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close = %v, want nil", err)
	}
	if _, _, err := s.Get(bg, "keep"); err == nil || !strings.HasPrefix(err.Error(), "sqlitestore: get: ") {
		t.Errorf("Get after Close = %v, want a sqlitestore: get: error", err)
	}
	s2 := openPath(t, path, sqlitestore.Options{})
	if got, found := mustGet(t, s2, "keep"); !found || !bytes.Equal(got, data) {
		t.Errorf("after reopening: %s, %v; want %s", got, found, data)
	}
}

// TestNewKeepsDB: a store made by New does not close its caller's database.
func TestNewKeepsDB(t *testing.T) {
	db := openDB(t, filepath.Join(t.TempDir(), "s.db"))
	s, err := sqlitestore.New(db, sqlitestore.Options{Table: "web_sessions", CleanupInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	if s.Table() != "web_sessions" || s.DB() != db {
		t.Errorf("Table(), DB() = %q, %p", s.Table(), s.DB())
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Ping(); err != nil {
		t.Errorf("the caller's database after Close: %v", err)
	}
}

// TestOpenPaths: the default file, Dir and DB, ":memory:" and a path with
// characters that mean something in a URI.
func TestOpenPaths(t *testing.T) {
	t.Run("Default", func(t *testing.T) {
		t.Chdir(t.TempDir())
		s := openPath(t, "", sqlitestore.Options{})
		if _, err := os.Stat("sessions"); err != nil {
			t.Errorf("Open(\"\") did not create ./sessions: %v", err)
		}
		roundTrip(t, s)
	})
	t.Run("DirAndDB", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "var", "lib")
		s := openPath(t, "", sqlitestore.Options{Dir: dir, DB: "app.db", Table: "web"})
		if _, err := os.Stat(filepath.Join(dir, "app.db")); err != nil {
			t.Errorf("Open did not create Dir/DB: %v", err)
		}
		roundTrip(t, s)
	})
	t.Run("TableAsFileName", func(t *testing.T) {
		dir := t.TempDir()
		openPath(t, "", sqlitestore.Options{Dir: dir, Table: "web"})
		if _, err := os.Stat(filepath.Join(dir, "web")); err != nil {
			t.Errorf("Open did not name the file after the table: %v", err)
		}
	})
	t.Run("Memory", func(t *testing.T) {
		s := openPath(t, ":memory:", sqlitestore.Options{})
		roundTrip(t, s)
		roundTrip(t, s)
	})
	t.Run("OddCharacters", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "a?b#c%20d é.db")
		s := openPath(t, path, sqlitestore.Options{})
		roundTrip(t, s)
		if _, err := os.Stat(path); err != nil {
			t.Errorf("the file is not where it was asked to be: %v", err)
		}
	})
	t.Run("Rollback", func(t *testing.T) {
		s := openPath(t, filepath.Join(t.TempDir(), "s.db"), sqlitestore.Options{JournalMode: "DELETE"})
		if m := s.JournalMode(); m != "delete" {
			t.Errorf("JournalMode() = %q, want delete", m)
		}
		roundTrip(t, s)
	})
	t.Run("WALByDefault", func(t *testing.T) {
		s := openPath(t, filepath.Join(t.TempDir(), "s.db"), sqlitestore.Options{})
		if m := s.JournalMode(); m != "wal" {
			t.Errorf("JournalMode() = %q, want wal", m)
		}
	})
}

func roundTrip(t *testing.T, s *sqlitestore.Store) {
	t.Helper()
	exp := time.Now().Add(time.Hour)
	data := rec(exp, "bob")
	if err := s.Set(bg, "rt", data, exp); err != nil {
		t.Fatal(err)
	}
	if got, found := mustGet(t, s, "rt"); !found || !bytes.Equal(got, data) {
		t.Errorf("Get = %s, %v; want %s", got, found, data)
	}
}

// TestErrors: bad options and unusable files fail with errors that name
// the store and say what is wrong.
func TestErrors(t *testing.T) {
	dir := t.TempDir()
	notDB := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notDB, bytes.Repeat([]byte("not a database\n"), 100), 0o600); err != nil {
		t.Fatal(err)
	}
	foreign := filepath.Join(dir, "foreign.db")
	fdb := openDB(t, foreign)
	if _, err := fdb.Exec("CREATE TABLE sessions (id INTEGER PRIMARY KEY, token TEXT, data BLOB, expires_at INTEGER)"); err != nil {
		t.Fatal(err)
	}
	db := openDB(t, filepath.Join(dir, "ok.db"))

	cases := []struct {
		name string
		open func() (*sqlitestore.Store, error)
		want string
	}{
		{"TableDigit", func() (*sqlitestore.Store, error) {
			return sqlitestore.Open(filepath.Join(dir, "a.db"), sqlitestore.Options{Table: "1sessions"})
		}, "invalid table name"},
		{"TableInjection", func() (*sqlitestore.Store, error) {
			return sqlitestore.New(db, sqlitestore.Options{Table: "s; DROP TABLE x"})
		}, "invalid table name"},
		{"TableDash", func() (*sqlitestore.Store, error) {
			return sqlitestore.New(db, sqlitestore.Options{Table: "my-sessions"})
		}, "invalid table name"},
		{"NilDB", func() (*sqlitestore.Store, error) { return sqlitestore.New(nil, sqlitestore.Options{}) }, "nil"},
		{"NewWithDir", func() (*sqlitestore.Store, error) {
			return sqlitestore.New(db, sqlitestore.Options{Dir: dir})
		}, "only apply to Open"},
		{"PathAndDB", func() (*sqlitestore.Store, error) {
			return sqlitestore.Open(filepath.Join(dir, "b.db"), sqlitestore.Options{DB: "c.db"})
		}, "not both"},
		{"JournalOff", func() (*sqlitestore.Store, error) {
			return sqlitestore.Open(filepath.Join(dir, "d.db"), sqlitestore.Options{JournalMode: "off"})
		}, "invalid journal mode"},
		{"NewJournalMemory", func() (*sqlitestore.Store, error) {
			return sqlitestore.New(db, sqlitestore.Options{JournalMode: "memory"})
		}, "invalid journal mode"},
		{"Directory", func() (*sqlitestore.Store, error) { return sqlitestore.Open(dir, sqlitestore.Options{}) }, "is a directory"},
		{"NotADatabase", func() (*sqlitestore.Store, error) { return sqlitestore.Open(notDB, sqlitestore.Options{}) }, "not a database"},
		{"ForeignTable", func() (*sqlitestore.Store, error) { return sqlitestore.Open(foreign, sqlitestore.Options{}) }, "not connect-sqlite3's"},
		{"Keyword", func() (*sqlitestore.Store, error) {
			return sqlitestore.New(db, sqlitestore.Options{Table: "select"})
		}, "syntax error"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := tc.open()
			if err == nil {
				s.Close()
				t.Fatalf("no error, want one containing %q", tc.want)
			}
			t.Log(err)
			if !strings.HasPrefix(err.Error(), "sqlitestore: ") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %q, want \"sqlitestore: …%s…\"", err, tc.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "a.db")); err == nil {
		t.Error("Open with an invalid table name created the file")
	}
}

// TestContextWhileLocked: while another connection holds the database
// locked, a call waits (the busy timeout) but gives up once its context is
// done, long before the timeout; once the lock is released it succeeds.
func TestContextWhileLocked(t *testing.T) {
	for _, mode := range []string{"wal", "delete"} {
		t.Run(mode, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "s.db")
			s := openPath(t, path, sqlitestore.Options{JournalMode: mode})
			exp := time.Now().Add(time.Hour)
			if err := s.Set(bg, "a", rec(exp, "bob"), exp); err != nil {
				t.Fatal(err)
			}
			// Another process, as far as SQLite is concerned.
			other := openDB(t, path)
			conn, err := other.Conn(bg)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := conn.ExecContext(bg, "BEGIN EXCLUSIVE"); err != nil {
				t.Fatal(err)
			}
			locked := true
			defer func() {
				if locked {
					conn.ExecContext(bg, "ROLLBACK")
				}
			}()

			type call struct {
				name string
				f    func(context.Context) error
			}
			calls := []call{
				{"Set", func(c context.Context) error { return s.Set(c, "b", rec(exp, "b"), exp) }},
				{"Touch", func(c context.Context) error { return s.Touch(c, "a", rec(exp, "bob"), exp.Add(time.Minute)) }},
				{"Destroy", func(c context.Context) error { return s.Destroy(c, "a") }},
				{"Clear", func(c context.Context) error { return s.Clear(c) }},
			}
			if mode != "wal" { // WAL readers do not wait for a writer
				calls = append(calls,
					call{"Get", func(c context.Context) error { _, _, err := s.Get(c, "a"); return err }},
					call{"All", func(c context.Context) error { _, err := s.All(c); return err }},
					call{"Len", func(c context.Context) error { _, err := s.Len(c); return err }},
				)
			}
			for _, c := range calls {
				ctx, cancel := context.WithTimeout(bg, 200*time.Millisecond)
				start := time.Now()
				err := c.f(ctx)
				took := time.Since(start)
				cancel()
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("%s while locked, with a 200 ms deadline = %v, want context.DeadlineExceeded", c.name, err)
				}
				if took > sqlitestore.BusyTimeout-time.Second {
					t.Errorf("%s waited %v, as long as the busy timeout, not for its context", c.name, took)
				}
			}

			// Released while a call waits: the call goes through.
			done := make(chan error, 1)
			go func() { done <- s.Set(bg, "c", rec(exp, "c"), exp) }()
			time.Sleep(100 * time.Millisecond)
			if _, err := conn.ExecContext(bg, "ROLLBACK"); err != nil {
				t.Fatal(err)
			}
			locked = false
			if err := <-done; err != nil {
				t.Errorf("Set waiting for the lock: %v, want it to succeed once released (busy timeout)", err)
			}
			if _, found := mustGet(t, s, "c"); !found {
				t.Error("the waiting Set wrote nothing")
			}
		})
	}
}

// TestTwoStores: two stores on the same file (as two processes would be)
// see each other's writes, and writing at the same time from both never
// fails with "database is locked".
func TestTwoStores(t *testing.T) {
	for _, mode := range []string{"wal", "delete"} {
		t.Run(mode, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "s.db")
			a := openPath(t, path, sqlitestore.Options{JournalMode: mode})
			b := openPath(t, path, sqlitestore.Options{JournalMode: mode})
			exp := time.Now().Add(time.Hour)

			// Written by one, read, touched and destroyed by the other.
			data := rec(exp, "shared")
			if err := a.Set(bg, "x", data, exp); err != nil {
				t.Fatal(err)
			}
			if got, found := mustGet(t, b, "x"); !found || !bytes.Equal(got, data) {
				t.Fatalf("b.Get of a's record = %s, %v", got, found)
			}
			if err := b.Destroy(bg, "x"); err != nil {
				t.Fatal(err)
			}
			if _, found := mustGet(t, a, "x"); found {
				t.Fatal("a still sees the record b destroyed")
			}

			const workers, ops = 4, 10
			var wg sync.WaitGroup
			errs := make(chan error, 2*workers*ops)
			for w := range workers {
				for side, s := range []*sqlitestore.Store{a, b} {
					wg.Add(1)
					go func() {
						defer wg.Done()
						id := fmt.Sprintf("w%d-%d", w, side)
						for i := range ops {
							d := rec(exp, fmt.Sprintf("%s-%d", id, i))
							if err := s.Set(bg, id, d, exp); err != nil {
								errs <- err
								return
							}
							// Read back through the other store.
							other := [2]*sqlitestore.Store{b, a}[side]
							got, found, err := other.Get(bg, id)
							if err != nil {
								errs <- err
								return
							}
							if !found || !bytes.Equal(got, d) {
								errs <- fmt.Errorf("%s: the other store read %s, %v; want %s", id, got, found, d)
								return
							}
							if err := other.Touch(bg, id, d, exp.Add(time.Duration(i)*time.Second)); err != nil {
								errs <- err
								return
							}
						}
					}()
				}
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			for _, s := range []*sqlitestore.Store{a, b} {
				if n, err := s.Len(bg); err != nil || n != 2*workers {
					t.Errorf("Len = %d, %v; want %d", n, err, 2*workers)
				}
			}
		})
	}
}

func TestOpenCreatesPrivateFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	st, err := sqlitestore.Open(path, sqlitestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := fi.Mode().Perm(); mode != 0o600 {
		t.Errorf("new database file mode %v, want 0600", mode)
	}
}
