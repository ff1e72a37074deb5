package mysqlstore

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
)

// Tests of what is in the table: the layout and the values
// express-mysql-session writes and reads (node_test.go checks the same
// against the Node store itself).

func TestTableLayout(t *testing.T) {
	db := testDB(t)
	s := newTestStore(t, db, Options{})
	type column struct{ name, typ, collation, nullable, key string }
	rows, err := db.QueryContext(testCtx(t), `SELECT column_name, column_type, IFNULL(collation_name, ''), is_nullable, column_key
		FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position`, s.opts.TableName)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []column
	for rows.Next() {
		var c column
		if err := rows.Scan(&c.name, &c.typ, &c.collation, &c.nullable, &c.key); err != nil {
			t.Fatal(err)
		}
		c.typ = strings.Replace(c.typ, "int unsigned", "int(11) unsigned", 1) // MySQL 8 drops display widths
		got = append(got, c)
	}
	want := []column{
		{"session_id", "varchar(128)", "utf8mb4_bin", "NO", "PRI"},
		{"expires", "int(11) unsigned", "", "NO", ""},
		{"data", "mediumtext", "utf8mb4_bin", "YES", ""},
	}
	if len(got) != len(want) {
		t.Fatalf("columns = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("column %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	var engine string
	if err := db.QueryRowContext(testCtx(t), `SELECT engine FROM information_schema.tables
		WHERE table_schema = DATABASE() AND table_name = ?`, s.opts.TableName).Scan(&engine); err != nil || engine != "InnoDB" {
		t.Errorf("engine = %q (%v), want InnoDB", engine, err)
	}
}

func TestExpiresColumnWritten(t *testing.T) {
	db := testDB(t)
	s := newTestStore(t, db, Options{})
	ctx := testCtx(t)
	base := time.Now().Add(time.Hour).Truncate(time.Second)
	for _, c := range []struct {
		offset time.Duration
		want   int64
	}{
		{0, 0}, {499 * time.Millisecond, 0}, {500 * time.Millisecond, 1}, {999 * time.Millisecond, 1},
	} {
		exp, id := base.Add(c.offset), newID()
		if err := s.Set(ctx, id, rec(exp, "bob"), exp); err != nil {
			t.Fatal(err)
		}
		r, _ := readRow(t, db, s.opts.TableName, id)
		if want := base.Unix() + c.want; r.expires != want {
			t.Errorf("expires for a cookie expiring at %s = %d, want Math.round = %d", exp.Format(time.RFC3339Nano), r.expires, want)
		}
	}
}

// between checks that v lies within what expiresColumn gives for zero
// expiry at the instants before and after the call.
func between(t *testing.T, what string, v int64, before, after time.Time, expiration time.Duration) {
	t.Helper()
	lo, hi := expiresColumn(time.Time{}, before, expiration), expiresColumn(time.Time{}, after, expiration)
	if v < lo || v > hi {
		t.Errorf("%s: expires = %d, want round((now + %v) / 1000) in [%d, %d]", what, v, expiration, lo, hi)
	}
}

func TestDefaultExpiration(t *testing.T) {
	db := testDB(t)
	for _, c := range []struct {
		opt, want time.Duration
	}{{0, 24 * time.Hour}, {90 * time.Second, 90 * time.Second}} {
		s := newTestStore(t, db, Options{Expiration: c.opt})
		id := newID()
		before := time.Now()
		if err := s.Set(testCtx(t), id, rec(time.Time{}, "bob"), time.Time{}); err != nil {
			t.Fatal(err)
		}
		r, _ := readRow(t, db, s.opts.TableName, id)
		between(t, "Set without expiry", r.expires, before, time.Now(), c.want)
		before = time.Now()
		if err := s.Touch(testCtx(t), id, rec(time.Time{}, "bob"), time.Time{}); err != nil {
			t.Fatal(err)
		}
		r, _ = readRow(t, db, s.opts.TableName, id)
		between(t, "Touch without expiry", r.expires, before, time.Now(), c.want)
	}
}

func TestTouchWritesExpiresOnly(t *testing.T) {
	db := testDB(t)
	s := newTestStore(t, db, Options{})
	ctx, id := testCtx(t), newID()
	exp := time.Now().Add(time.Hour)
	stored := rec(exp, "bob")
	if err := s.Set(ctx, id, stored, exp); err != nil {
		t.Fatal(err)
	}
	later := exp.Add(2*time.Hour + 600*time.Millisecond)
	if err := s.Touch(ctx, id, rec(later, "mallory"), later); err != nil {
		t.Fatal(err)
	}
	r, _ := readRow(t, db, s.opts.TableName, id)
	if r.data.String != string(stored) {
		t.Errorf("data after Touch = %s, want the stored record unchanged %s", r.data.String, stored)
	}
	if want := roundSeconds(later.UnixMilli()); r.expires != want {
		t.Errorf("expires after Touch = %d, want %d", r.expires, want)
	}
}

func TestDataBytesInTable(t *testing.T) {
	db := testDB(t)
	s := newTestStore(t, db, Options{})
	ctx, id := testCtx(t), newID()
	exp := time.Now().Add(time.Hour)
	data := []byte(`{"cookie":{"originalMaxAge":3600000,"expires":"` + exp.UTC().Format("2006-01-02T15:04:05.000Z") +
		`","httpOnly":true,"path":"/"},"emoji😀":"👍🏽 👨‍👩‍👧","cjk":"会话","e":"e\u0301 é","esc":"\u0000 \" \\"}`)
	if err := s.Set(ctx, id, data, exp); err != nil {
		t.Fatal(err)
	}
	// The column must hold the UTF-8 bytes themselves (not, say, a
	// double-encoded or binary form), since Node reads them as text.
	var h string
	var n int
	if err := db.QueryRowContext(ctx, "SELECT HEX(`data`), CHAR_LENGTH(`data`) FROM "+quoteIdent(s.opts.TableName)+
		" WHERE `session_id` = ?", id).Scan(&h, &n); err != nil {
		t.Fatal(err)
	}
	if want := strings.ToUpper(hex.EncodeToString(data)); h != want {
		t.Errorf("HEX(data) =\n%s\nwant\n%s", h, want)
	}
	if want := len([]rune(string(data))); n != want {
		t.Errorf("CHAR_LENGTH(data) = %d, want %d characters (the server must see utf8mb4 text)", n, want)
	}
}

func TestReadsRowsAsNodeWritesThem(t *testing.T) {
	db := testDB(t)
	s := newTestStore(t, db, Options{})
	ctx, table := testCtx(t), s.opts.TableName
	now := nowSeconds(time.Now())
	live, stale, null := newID(), newID(), newID()
	data := `{"cookie":{"originalMaxAge":3600000,"expires":"2020-01-01T00:00:00.000Z","httpOnly":true,"path":"/"},"user":"bob"}`
	// cookie.expires is long past, as after touches; only the column counts.
	writeRow(t, db, table, live, now+60, data)
	writeRow(t, db, table, stale, now-2, data)
	writeRow(t, db, table, null, now+60, nil)
	if got, found, err := s.Get(ctx, live); err != nil || !found || string(got) != data {
		t.Errorf("Get of a live row with a stale cookie.expires = %s, %v, %v; want the row's data", got, found, err)
	}
	if _, found, err := s.Get(ctx, stale); err != nil || found {
		t.Errorf("Get of a row with expires < now = found %v, %v; want not found", found, err)
	}
	if _, found, err := s.Get(ctx, null); err != nil || found {
		t.Errorf("Get of a row with NULL data = found %v, %v; want not found, as Node", found, err)
	}
	if _, found, _ := s.Get(ctx, strings.ToLower(live)); found && strings.ToLower(live) != live {
		t.Error("Get found a session under the lower-cased ID: session_id must compare case-sensitively")
	}
	writeRow(t, db, table, "not-json", now+60, "{oops")
	all, err := s.All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || string(all[live]) != data {
		t.Errorf("All = %q, want only the live JSON row (Node's all skips rows that do not parse)", all)
	}
}

func TestCustomNames(t *testing.T) {
	db := testDB(t)
	cfg, _ := mysql.ParseDSN(testDSN())
	cols := Columns{SessionID: "sid`x", Expires: "exp-at", Data: "payload"}
	for _, table := range []string{tableName(t) + "-with`tick", cfg.DBName + "." + tableName(t)} {
		dropTable(t, db, table)
		s, err := New(testCtx(t), db, Options{TableName: table, Columns: cols})
		if err != nil {
			t.Fatalf("New with table %q: %v", table, err)
		}
		t.Cleanup(func() { s.Close() })
		ctx, id, exp := testCtx(t), newID(), time.Now().Add(time.Hour)
		data := rec(exp, "bob")
		if err := s.Set(ctx, id, data, exp); err != nil {
			t.Fatal(err)
		}
		var got []byte
		var e int64
		q := "SELECT `payload`, `exp-at` FROM " + quoteIdent(table) + " WHERE `sid``x` = ?"
		if err := db.QueryRowContext(ctx, q, id).Scan(&got, &e); err != nil || !bytes.Equal(got, data) || e != roundSeconds(exp.UnixMilli()) {
			t.Errorf("row in %q = %s, %d, %v; want %s, %d", table, got, e, err, data, roundSeconds(exp.UnixMilli()))
		}
		if all, err := s.All(ctx); err != nil || !bytes.Equal(all[id], data) {
			t.Errorf("All on %q = %q, %v", table, all, err)
		}
	}
}
