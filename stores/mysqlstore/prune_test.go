package mysqlstore

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestClearExpired(t *testing.T) {
	db := testDB(t)
	s := newTestStore(t, db, Options{DisableClearExpired: true})
	ctx, table := testCtx(t), s.opts.TableName
	now := nowSeconds(time.Now())
	live, edge, old := newID(), newID(), newID()
	writeRow(t, db, table, live, now+60, "{}")
	writeRow(t, db, table, edge, now+5, "{}")
	writeRow(t, db, table, old, now-5, "{}")
	n, err := s.ClearExpired(ctx)
	if err != nil || n != 1 {
		t.Fatalf("ClearExpired = %d, %v; want 1 row deleted", n, err)
	}
	for id, want := range map[string]bool{live: true, edge: true, old: false} {
		if _, ok := readRow(t, db, table, id); ok != want {
			t.Errorf("row %s present = %v after ClearExpired, want %v", id, ok, want)
		}
	}
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, within time.Duration, cond func() bool) bool {
	t.Helper()
	for end := time.Now().Add(within); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

func TestBackgroundClearing(t *testing.T) {
	db := testDB(t)
	s := newTestStore(t, db, Options{CheckExpirationInterval: 50 * time.Millisecond})
	table := s.opts.TableName
	now := nowSeconds(time.Now())
	live, old := newID(), newID()
	writeRow(t, db, table, live, now+3600, "{}")
	writeRow(t, db, table, old, now-5, "{}")
	if !waitFor(t, 10*time.Second, func() bool { _, ok := readRow(t, db, table, old); return !ok }) {
		t.Fatal("an expired row was still there 10 s into clearing every 50 ms")
	}
	if _, ok := readRow(t, db, table, live); !ok {
		t.Error("the background clearing deleted a live row")
	}
}

func TestDisableClearExpired(t *testing.T) {
	db := testDB(t)
	s := newTestStore(t, db, Options{DisableClearExpired: true, CheckExpirationInterval: 20 * time.Millisecond})
	old := newID()
	writeRow(t, db, s.opts.TableName, old, nowSeconds(time.Now())-5, "{}")
	time.Sleep(300 * time.Millisecond)
	if _, ok := readRow(t, db, s.opts.TableName, old); !ok {
		t.Error("an expired row was deleted although DisableClearExpired is set")
	}
}

func TestBackgroundClearingLogsFailures(t *testing.T) {
	db := testDB(t)
	var buf syncBuffer
	table := tableName(t) // never created: every deletion fails
	s, err := New(testCtx(t), db, Options{TableName: table, DisableCreateDatabaseTable: true,
		CheckExpirationInterval: 20 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(&buf, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !waitFor(t, 10*time.Second, func() bool { return strings.Contains(buf.String(), "mysqlstore: clear expired: ") }) {
		t.Fatalf("no failure logged; log = %q", buf.String())
	}
}

func TestClose(t *testing.T) {
	db := testDB(t)
	s := newTestStore(t, db, Options{CheckExpirationInterval: 10 * time.Millisecond})
	ctx, id, exp := testCtx(t), newID(), time.Now().Add(time.Hour)
	if err := s.Set(ctx, id, rec(exp, "bob"), exp); err != nil {
		t.Fatal(err)
	}
	time.Sleep(30 * time.Millisecond) // let the pruner run
	if err := s.Close(); err != nil {
		t.Fatalf("Close = %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close = %v", err)
	}
	select {
	case <-s.pruned:
	default:
		t.Error("the pruner is still running after Close")
	}
	if err := db.PingContext(ctx); err != nil {
		t.Errorf("the caller's *sql.DB is unusable after Close: %v", err)
	}
	calls := map[string]func() error{
		"get":     func() error { _, _, err := s.Get(ctx, id); return err },
		"set":     func() error { return s.Set(ctx, id, rec(exp, "x"), exp) },
		"touch":   func() error { return s.Touch(ctx, id, rec(exp, "x"), exp) },
		"destroy": func() error { return s.Destroy(ctx, id) },
		"all":     func() error { _, err := s.All(ctx); return err },
	}
	for op, call := range calls {
		if err := call(); !errors.Is(err, errClosed) || !strings.HasPrefix(err.Error(), "mysqlstore: "+op+": ") {
			t.Errorf("%s after Close = %v, want mysqlstore: %s: store is closed", op, err, op)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the pruner's goroutine.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
