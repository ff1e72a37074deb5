package mysqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
)

const defaultDSN = "root@tcp(127.0.0.1:3306)/test"

// testDSN is the server the tests use: MYSQL_DSN, in go-sql-driver's DSN
// format, or a local MariaDB.
func testDSN() string {
	if dsn := os.Getenv("MYSQL_DSN"); dsn != "" {
		return dsn
	}
	return defaultDSN
}

var shared struct {
	once sync.Once
	db   *sql.DB
	err  error
}

// testDB returns a *sql.DB on the test server shared by the package's
// tests, or skips t when the server is not reachable (fails it when
// CI=true, where a missing server is a broken set-up, not a reason to pass).
func testDB(t testing.TB) *sql.DB {
	t.Helper()
	shared.once.Do(func() { shared.db, shared.err = openTestDB(testDSN(), nil) })
	if shared.err != nil {
		unreachable(t, shared.err)
	}
	return shared.db
}

// openTestDB opens and pings a pool on dsn; edit adjusts the driver's
// configuration first.
func openTestDB(dsn string, edit func(*mysql.Config)) (*sql.DB, error) {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	if edit != nil {
		edit(cfg)
	}
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(conn)
	db.SetMaxOpenConns(24)
	db.SetMaxIdleConns(24)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func unreachable(t testing.TB, err error) {
	t.Helper()
	msg := "MySQL/MariaDB not reachable at MYSQL_DSN=" + testDSN() +
		" (set MYSQL_DSN; for a local Debian MariaDB run ../shared/conformance/setup.sh --db): " + err.Error()
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// tableName returns a table name no other test, run or engineer uses.
func tableName(t testing.TB) string {
	t.Helper()
	var b [6]byte
	rand.Read(b[:])
	return "sk_test_" + hex.EncodeToString(b[:])
}

// dropTable drops table when t ends.
func dropTable(t testing.TB, db *sql.DB, table string) {
	t.Helper()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := db.ExecContext(ctx, "DROP TABLE IF EXISTS "+quoteIdent(table)); err != nil {
			t.Errorf("dropping %s: %v", table, err)
		}
	})
}

// newTestStore returns a store on a fresh table of db, closed and dropped
// when t ends. o.TableName is replaced by the fresh name.
func newTestStore(t testing.TB, db *sql.DB, o Options) *Store {
	t.Helper()
	if o.TableName == "" {
		o.TableName = tableName(t)
	}
	dropTable(t, db, o.TableName)
	s, err := New(testCtx(t), db, o)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// testCtx bounds a test's calls, so that a hung call fails the test.
func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// row is a sessions row as it is in the table.
type row struct {
	expires int64
	data    sql.NullString
}

// readRow reads the raw row of id, bypassing the store; ok is false when
// there is none.
func readRow(t testing.TB, db *sql.DB, table, id string) (r row, ok bool) {
	t.Helper()
	err := db.QueryRowContext(testCtx(t),
		"SELECT `expires`, `data` FROM "+quoteIdent(table)+" WHERE `session_id` = ?", id).Scan(&r.expires, &r.data)
	if err == sql.ErrNoRows {
		return r, false
	}
	if err != nil {
		t.Fatalf("reading the row of %q: %v", id, err)
	}
	return r, true
}

// writeRow writes a row the way Node would have, bypassing the store.
func writeRow(t testing.TB, db *sql.DB, table, id string, expires int64, data any) {
	t.Helper()
	_, err := db.ExecContext(testCtx(t), "INSERT INTO "+quoteIdent(table)+
		" (`session_id`, `expires`, `data`) VALUES (?, ?, ?)", id, expires, data)
	if err != nil {
		t.Fatalf("writing the row of %q: %v", id, err)
	}
}

// newID returns a session ID as express-session generates them.
func newID() string { return rand.Text() }

// rec returns an express-session record expiring at exp (none when zero).
func rec(exp time.Time, user string) []byte {
	if exp.IsZero() {
		return []byte(`{"cookie":{"originalMaxAge":null,"expires":null,"httpOnly":true,"path":"/"},"user":"` + user + `"}`)
	}
	return []byte(`{"cookie":{"originalMaxAge":3600000,"expires":"` + exp.UTC().Format("2006-01-02T15:04:05.000Z") +
		`","httpOnly":true,"path":"/"},"user":"` + user + `"}`)
}
