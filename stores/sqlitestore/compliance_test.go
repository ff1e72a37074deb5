package sqlitestore_test

import (
	"database/sql"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/sessionkit/session/store"
	"github.com/sessionkit/session/stores/sqlitestore"
	"github.com/sessionkit/session/storetest"
)

// TestCompliance runs the suite against a fresh database file per subtest,
// opened with the defaults (WAL).
func TestCompliance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		return openTemp(t, sqlitestore.Options{})
	})
}

// TestComplianceRollback runs it through New, in connect-sqlite3's default
// rollback-journal mode, where a writer locks readers out: on one caller's
// database file shared by every subtest, each with a table of its own. The
// caller turned fsync off (synchronous=OFF), which changes nothing in the
// locking but keeps the suite from taking half a minute on a slow disk.
func TestComplianceRollback(t *testing.T) {
	db := openDB(t, filepath.Join(t.TempDir(), "shared.db"), "&_pragma=synchronous(off)")
	var n atomic.Int64
	storetest.Run(t, func(t *testing.T) store.Store {
		table := "t" + strconv.FormatInt(n.Add(1), 10)
		s, err := sqlitestore.New(db, sqlitestore.Options{Table: table})
		if err != nil {
			t.Fatal(err)
		}
		if m := s.JournalMode(); m != "delete" {
			t.Fatalf("JournalMode() = %q, want delete (New must leave the mode alone)", m)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

// openTemp opens a store on a new file in a temporary directory and closes
// it when the test ends.
func openTemp(t testing.TB, o sqlitestore.Options) *sqlitestore.Store {
	t.Helper()
	return openPath(t, filepath.Join(t.TempDir(), "sessions.db"), o)
}

// openDB opens a database/sql handle on path the way a caller of New
// should, with a busy timeout, and more DSN parameters (starting with "&").
func openDB(t testing.TB, path string, params ...string) *sql.DB {
	t.Helper()
	dsn := path + "?_pragma=busy_timeout(5000)"
	for _, p := range params {
		dsn += p
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// openPath opens a store on path and closes it when the test ends.
func openPath(t testing.TB, path string, o sqlitestore.Options) *sqlitestore.Store {
	t.Helper()
	s, err := sqlitestore.Open(path, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}
