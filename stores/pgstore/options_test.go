package pgstore

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestOptionsDefaults(t *testing.T) {
	c := Options{}.config()
	if c.table != "session" || c.schema != "" || c.ttl != 24*time.Hour || c.disableTouch || c.createTable {
		t.Errorf("defaults = %+v, want connect-pg-simple's", c)
	}
	if c.pruneDelay == nil {
		t.Fatal("pruning disabled by default, want every 15 min ± 50 %")
	}
	for range 1000 {
		if d := c.pruneDelay(); d < 450*time.Second || d > 1350*time.Second {
			t.Fatalf("default prune delay %v, want within 7.5–22.5 min", d)
		}
	}
}

func TestPruneDelay(t *testing.T) {
	if (Options{PruneSessionInterval: -1}).pruneDelay() != nil {
		t.Error("a negative PruneSessionInterval does not disable pruning")
	}
	fixed := Options{PruneSessionInterval: time.Minute, DisablePruneRandomization: true}.pruneDelay()
	if d := fixed(); d != time.Minute {
		t.Errorf("DisablePruneRandomization: delay %v, want 1m", d)
	}
	custom := Options{PruneSessionInterval: time.Minute, PruneSessionRandomizedInterval: func(d time.Duration) time.Duration { return d * 3 }}.pruneDelay()
	if d := custom(); d != 3*time.Minute {
		t.Errorf("custom randomiser: delay %v, want 3m", d)
	}
	// Node: Math.ceil(delay / 2 + delay * Math.random()) in milliseconds.
	for _, tc := range []struct {
		d    time.Duration
		r    float64
		want time.Duration
	}{
		{900 * time.Second, 0, 450 * time.Second},
		{900 * time.Second, 0.5, 900 * time.Second},
		{1001 * time.Millisecond, 0, 501 * time.Millisecond},
		{time.Second, 0.9999999, 1500 * time.Millisecond},
	} {
		if got := randomizedDelay(tc.d, tc.r); got != tc.want {
			t.Errorf("randomizedDelay(%v, %v) = %v, want %v", tc.d, tc.r, got, tc.want)
		}
	}
}

func TestLegacyTableName(t *testing.T) {
	for name, want := range map[string]string{
		`myschema"."sessions`: `"myschema"."sessions"`,
		`plain`:               `"plain"`,
		`a"b"."c`:             `"a""b"".""c"`, // not the legacy form: one odd name, as Node
		`With Space`:          `"With Space"`,
	} {
		c := Options{TableName: name}.config()
		if got := quote(c.schema, c.table); got != want {
			t.Errorf("TableName %q: table %s, want %s", name, got, want)
		}
	}
	c := Options{SchemaName: "s", TableName: `x"."y`}.config()
	if got := quote(c.schema, c.table); got != `"s"."x"".""y"` {
		t.Errorf("with SchemaName the legacy form is not split: got %s", got)
	}
}

// TestSchemaAndQuoting uses a schema and names that need quoting.
func TestSchemaAndQuoting(t *testing.T) {
	t.Parallel()
	pool := testPool(t, "")
	schema := uniqueName(`pgstore Schema "`)
	if _, err := pool.Exec(bg, `CREATE SCHEMA `+quote("", schema)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Exec(context.Background(), `DROP SCHEMA `+quote("", schema)+` CASCADE`) })
	s := newStore(t, pool, Options{SchemaName: schema, TableName: `Sess"ions`})
	if want := `"` + strings.ReplaceAll(schema, `"`, `""`) + `"."Sess""ions"`; s.Table() != want {
		t.Errorf("Table() = %s, want %s", s.Table(), want)
	}
	exp := time.Now().Add(time.Hour)
	data := testRecord(exp, "")
	if err := s.Set(bg, "a", data, exp); err != nil {
		t.Fatal(err)
	}
	if got, ok, err := s.Get(bg, "a"); !ok || err != nil || string(got) != string(data) {
		t.Errorf("Get = %s, %v, %v", got, ok, err)
	}
	var n int
	if err := pool.QueryRow(bg, `SELECT count(*) FROM `+quote(schema, `Sess"ions`)).Scan(&n); err != nil || n != 1 {
		t.Errorf("rows in the quoted table: %d, %v; want 1", n, err)
	}
}

func TestMissingTable(t *testing.T) {
	t.Parallel()
	pool := testPool(t, "")
	s := New(pool, Options{TableName: uniqueName("pgstore_missing_"), PruneSessionInterval: -1})
	defer s.Close()
	_, _, err := s.Get(bg, "a")
	if err == nil || !strings.HasPrefix(err.Error(), "pgstore: get: ") || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("Get on a missing table without CreateTableIfMissing = %v, want pgstore: get: … does not exist", err)
	}
}

// TestConcurrentCreate starts many stores on one new table at once: all of
// them must work (the conformance interop runs start two apps together).
func TestConcurrentCreate(t *testing.T) {
	t.Parallel()
	pool := testPool(t, "")
	for range 3 {
		table := uniqueName("pgstore_race_")
		const n = 8
		errs := make(chan error, n)
		for i := range n {
			s := New(pool, Options{TableName: table, CreateTableIfMissing: true, PruneSessionInterval: -1})
			if i == 0 {
				dropLater(t, pool, s.Table())
			}
			go func() {
				exp := time.Now().Add(time.Hour)
				errs <- s.Set(bg, "a", testRecord(exp, ""), exp)
			}()
		}
		for range n {
			if err := <-errs; err != nil {
				t.Errorf("Set on a table created concurrently: %v", err)
			}
		}
	}
}

// TestCreateTableFailureNotCached: unlike Node, a failed creation is tried
// again by the next call.
func TestCreateTableFailureNotCached(t *testing.T) {
	t.Parallel()
	pool := testPool(t, "")
	schema := uniqueName("pgstore_later_")
	s := New(pool, Options{SchemaName: schema, CreateTableIfMissing: true, PruneSessionInterval: -1})
	defer s.Close()
	exp := time.Now().Add(time.Hour)
	err := s.Set(bg, "a", testRecord(exp, ""), exp)
	if err == nil || !strings.HasPrefix(err.Error(), "pgstore: set: create table: ") {
		t.Fatalf("Set with the schema missing = %v, want pgstore: set: create table: …", err)
	}
	if _, err := pool.Exec(bg, `CREATE SCHEMA `+quote("", schema)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Exec(context.Background(), `DROP SCHEMA `+quote("", schema)+` CASCADE`) })
	if err := s.Set(bg, "a", testRecord(exp, ""), exp); err != nil {
		t.Errorf("Set once the schema exists = %v, want nil", err)
	}
	ctx, cancel := context.WithCancel(bg)
	cancel()
	if err := s.CreateTable(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("CreateTable with a canceled context = %v", err)
	}
}
