package mysqlstore

import (
	"strings"
	"sync"
	"testing"
	"time"
)

func TestDisableTouch(t *testing.T) {
	db := testDB(t)
	s := newTestStore(t, db, Options{DisableTouch: true})
	ctx, id, exp := testCtx(t), newID(), time.Now().Add(time.Hour)
	if err := s.Set(ctx, id, rec(exp, "bob"), exp); err != nil {
		t.Fatal(err)
	}
	later := exp.Add(time.Hour)
	if err := s.Touch(ctx, id, rec(later, "bob"), later); err != nil {
		t.Fatal(err)
	}
	if r, _ := readRow(t, db, s.opts.TableName, id); r.expires != roundSeconds(exp.UnixMilli()) {
		t.Errorf("expires after Touch with DisableTouch = %d, want unchanged %d", r.expires, roundSeconds(exp.UnixMilli()))
	}
}

func TestDisableCreateDatabaseTable(t *testing.T) {
	db := testDB(t)
	table := tableName(t)
	dropTable(t, db, table)
	s, err := New(testCtx(t), db, Options{TableName: table, DisableCreateDatabaseTable: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := testCtx(t)
	_, _, err = s.Get(ctx, newID())
	if err == nil || !strings.HasPrefix(err.Error(), "mysqlstore: get: ") || !strings.Contains(err.Error(), "1146") {
		t.Fatalf("Get without the table = %v, want mysqlstore: get: Error 1146 (table doesn't exist)", err)
	}
	// Once migrations have created the table the store works, without
	// being rebuilt.
	o := Options{TableName: table}.withDefaults()
	if _, err := db.ExecContext(ctx, createTableSQL(o)); err != nil {
		t.Fatal(err)
	}
	id, exp := newID(), time.Now().Add(time.Hour)
	if err := s.Set(ctx, id, rec(exp, "bob"), exp); err != nil {
		t.Fatalf("Set after the table was created: %v", err)
	}
	if _, found, err := s.Get(ctx, id); err != nil || !found {
		t.Fatalf("Get after the table was created: %v, %v", found, err)
	}
}

// TestConcurrentCreateTable: several instances starting at once on a
// new table all start (CONTRACT.md §1).
func TestConcurrentCreateTable(t *testing.T) {
	db := testDB(t)
	table := tableName(t)
	dropTable(t, db, table)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := New(testCtx(t), db, Options{TableName: table})
			if err != nil {
				errs <- err
				return
			}
			s.Close()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("New racing with other instances: %v", err)
	}
}
