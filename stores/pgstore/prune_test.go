package pgstore

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestPruneDeletesOnlyExpired(t *testing.T) {
	t.Parallel()
	pool := testPool(t, "")
	s := newStore(t, pool, Options{})
	now := time.Now()
	for sid, exp := range map[string]time.Time{
		"live": now.Add(time.Hour), "none": {}, "old": now.Add(-time.Hour), "recent": now.Add(-2 * time.Second),
	} {
		if err := s.Set(bg, sid, testRecord(exp, ""), exp); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Prune(bg); err != nil {
		t.Fatal(err)
	}
	for sid, want := range map[string]bool{"live": true, "none": true, "old": false, "recent": false} {
		if _, ok := rawRow(t, pool, s, sid); ok != want {
			t.Errorf("after Prune row %q present = %v, want %v", sid, ok, want)
		}
	}
}

func TestBackgroundPruning(t *testing.T) {
	t.Parallel()
	pool := testPool(t, "")
	table := newStore(t, pool, Options{}).cfg.table // creates and drops the table
	s := New(pool, Options{TableName: table, PruneSessionInterval: 50 * time.Millisecond, DisablePruneRandomization: true})
	defer s.Close()
	past := time.Now().Add(-time.Minute)
	live := time.Now().Add(time.Hour)
	if err := s.Set(bg, "old", testRecord(past, ""), past); err != nil {
		t.Fatal(err)
	}
	if err := s.Set(bg, "live", testRecord(live, ""), live); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, ok := rawRow(t, pool, s, "old"); !ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the expired row was not pruned in the background within 10 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, ok := rawRow(t, pool, s, "live"); !ok {
		t.Error("background pruning deleted a live row")
	}

	// After Close nothing is pruned any more; Close is idempotent.
	s.Close()
	s.Close()
	if err := s.Set(bg, "old", testRecord(past, ""), past); err != nil {
		t.Errorf("Set after Close (the pool is the caller's): %v", err)
	}
	time.Sleep(300 * time.Millisecond)
	if _, ok := rawRow(t, pool, s, "old"); !ok {
		t.Error("an expired row was pruned after Close")
	}
}

func TestPruneErrorsAreLogged(t *testing.T) {
	t.Parallel()
	pool := testPool(t, "")
	var mu sync.Mutex
	var logged []error
	s := New(pool, Options{
		TableName:                 uniqueName("pgstore_nothere_"),
		PruneSessionInterval:      20 * time.Millisecond,
		DisablePruneRandomization: true,
		ErrorLog: func(msg string, err error) {
			mu.Lock()
			defer mu.Unlock()
			logged = append(logged, err)
		},
	})
	deadline := time.Now().Add(5 * time.Second)
	for {
		mu.Lock()
		n := len(logged)
		mu.Unlock()
		if n >= 2 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	s.Close()
	mu.Lock()
	defer mu.Unlock()
	if len(logged) < 2 {
		t.Fatalf("%d prune errors logged, want pruning to go on after a failure", len(logged))
	}
	if !strings.HasPrefix(logged[0].Error(), "pgstore: prune: ") {
		t.Errorf("logged %v, want pgstore: prune: …", logged[0])
	}
}

// TestCloseStopsPruneInProgress: Close cancels a prune that is waiting on
// the database and returns.
func TestCloseStopsPruneInProgress(t *testing.T) {
	t.Parallel()
	pool := testPool(t, "")
	s := newStore(t, pool, Options{})
	tx, err := pool.Begin(bg)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(bg)
	// Lock the table so that the prune blocks.
	if _, err := tx.Exec(bg, `LOCK TABLE `+s.Table()+` IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var logged []error
	p := New(pool, Options{TableName: s.cfg.table, PruneSessionInterval: time.Millisecond, DisablePruneRandomization: true,
		ErrorLog: func(_ string, err error) { mu.Lock(); logged = append(logged, err); mu.Unlock() }})
	time.Sleep(100 * time.Millisecond) // the prune is now blocked on the lock
	done := make(chan struct{})
	go func() { p.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return while a prune was blocked")
	}
	mu.Lock()
	defer mu.Unlock()
	for _, err := range logged {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("a prune canceled by Close logged %v", err)
		}
	}
}
