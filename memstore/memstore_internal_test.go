package memstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sessionkit/session/record"
)

var bg = context.Background()

// fakeClock is a settable clock for tests of expiry boundaries, which real
// sleeps could only approach with timing assumptions.
type fakeClock struct{ ns atomic.Int64 }

func newFakeClock() *fakeClock {
	c := &fakeClock{}
	c.ns.Store(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).UnixNano())
	return c
}

func (c *fakeClock) now() int64                      { return c.ns.Load() }
func (c *fakeClock) time() time.Time                 { return time.Unix(0, c.ns.Load()) }
func (c *fakeClock) after(d time.Duration) time.Time { return c.time().Add(d) }
func (c *fakeClock) advance(d time.Duration)         { c.ns.Add(int64(d)) }

// testStore returns a store without a sweeper, closed at the end of the test.
func testStore(t *testing.T, o Options, nshards int) *Store {
	t.Helper()
	if o.SweepInterval == 0 {
		o.SweepInterval = -1
	}
	s := newStore(o, nshards)
	t.Cleanup(func() { s.Close() })
	return s
}

// fakeStore is testStore with a fake clock.
func fakeStore(t *testing.T, o Options, nshards int) (*Store, *fakeClock) {
	s := testStore(t, o, nshards)
	c := newFakeClock()
	s.clock = c.now
	return s, c
}

// rec returns an express-session record with the given cookie expiry and
// user.
func rec(exp time.Time, user string) []byte {
	b := []byte(`{"cookie":{"originalMaxAge":60000,"expires":`)
	if exp.IsZero() {
		b = append(b, "null"...)
	} else {
		b = record.AppendString(b, record.FormatTime(exp))
	}
	b = append(b, `,"httpOnly":true,"path":"/"},"user":`...)
	b = record.AppendString(b, user)
	return append(b, '}')
}

func mustSet(t *testing.T, s *Store, id string, data []byte, exp time.Time) {
	t.Helper()
	if err := s.Set(bg, id, data, exp); err != nil {
		t.Fatalf("Set(%q): %v", id, err)
	}
}

func has(t *testing.T, s *Store, id string) bool {
	t.Helper()
	_, found, err := s.Get(bg, id)
	if err != nil {
		t.Fatalf("Get(%q): %v", id, err)
	}
	return found
}

func getEqual(t *testing.T, s *Store, id string, want []byte) {
	t.Helper()
	got, found, err := s.Get(bg, id)
	if err != nil || !found || !bytes.Equal(got, want) {
		t.Fatalf("Get(%q) = %s, %v, %v; want %s", id, got, found, err, want)
	}
}

// checkInvariants verifies every shard's map, dense slice and LRU list
// agree with each other.
func checkInvariants(t *testing.T, s *Store) {
	t.Helper()
	total := 0
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.RLock()
		if len(sh.m) != len(sh.items) {
			t.Errorf("shard %d: %d in map, %d in items", i, len(sh.m), len(sh.items))
		}
		for j, e := range sh.items {
			if e.idx != j {
				t.Errorf("shard %d: items[%d].idx = %d", i, j, e.idx)
			}
			if sh.m[e.id] != e {
				t.Errorf("shard %d: items[%d] (%q) is not the map's entry", i, j, e.id)
			}
			if &s.shards[maphashIndex(s, e.id)] != sh {
				t.Errorf("shard %d holds %q, which hashes elsewhere", i, e.id)
			}
		}
		if sh.root != nil {
			n := 0
			for e := sh.root.next; e != sh.root; e = e.next {
				if e.next.prev != e {
					t.Errorf("shard %d: broken LRU links at %q", i, e.id)
					break
				}
				if sh.m[e.id] != e {
					t.Errorf("shard %d: LRU holds %q, which is not in the map", i, e.id)
				}
				if n++; n > len(sh.m) {
					break
				}
			}
			if n != len(sh.m) {
				t.Errorf("shard %d: %d in LRU list, %d in map", i, n, len(sh.m))
			}
			if len(sh.m) > sh.limit {
				t.Errorf("shard %d: %d entries, limit %d", i, len(sh.m), sh.limit)
			}
		}
		total += len(sh.m)
		sh.mu.RUnlock()
	}
	if got := s.stored(); got != total {
		t.Errorf("stored() = %d, shards hold %d", got, total)
	}
}

func maphashIndex(s *Store, id string) int {
	for i := range s.shards {
		if s.shard(id) == &s.shards[i] {
			return i
		}
	}
	return -1
}

func TestShardCount(t *testing.T) {
	for _, tc := range []struct{ procs, max, want int }{
		{1, 0, 16},
		{2, 0, 16},
		{8, 0, 32},
		{64, 0, 256},
		{1000, 0, 256},
		{8, 3, 1},
		{8, 255, 1},
		{8, 512, 2},
		{8, 10000, 32},
		{64, 1 << 20, 256},
	} {
		if got := shardCount(tc.procs, tc.max); got != tc.want {
			t.Errorf("shardCount(%d, %d) = %d, want %d", tc.procs, tc.max, got, tc.want)
		}
	}
	if n := len(New(Options{MaxEntries: 10, SweepInterval: -1}).shards); n != 1 {
		t.Errorf("a store with MaxEntries 10 has %d shards, want 1 (exact LRU)", n)
	}
}

func TestLRUEvictionOrder(t *testing.T) {
	s := testStore(t, Options{MaxEntries: 3}, 0)
	exp := time.Now().Add(time.Hour)
	for _, id := range []string{"a", "b", "c"} {
		mustSet(t, s, id, rec(exp, id), exp)
	}
	// Recency is now c, b, a. Reading a makes b the least recently used.
	if !has(t, s, "a") {
		t.Fatal("a missing")
	}
	mustSet(t, s, "d", rec(exp, "d"), exp)
	for id, want := range map[string]bool{"a": true, "b": false, "c": true, "d": true} {
		if got := has(t, s, id); got != want {
			t.Errorf("after reading a and adding d: has(%s) = %v, want %v", id, got, want)
		}
	}
	// The reads above refreshed a, c, d in map order; set a known order:
	// touch c, then read d, then touch a: recency a, d, c.
	later := exp.Add(time.Hour)
	if err := s.Touch(bg, "c", rec(later, "x"), later); err != nil {
		t.Fatal(err)
	}
	has(t, s, "d")
	if err := s.Touch(bg, "a", rec(later, "x"), later); err != nil {
		t.Fatal(err)
	}
	mustSet(t, s, "e", rec(exp, "e"), exp) // evicts c
	mustSet(t, s, "a", rec(exp, "a2"), exp)
	mustSet(t, s, "f", rec(exp, "f"), exp) // overwrite of a did not evict; this evicts d
	for id, want := range map[string]bool{"a": true, "c": false, "d": false, "e": true, "f": true} {
		if got := has(t, s, id); got != want {
			t.Errorf("has(%s) = %v, want %v", id, got, want)
		}
	}
	if n := s.stored(); n != 3 {
		t.Errorf("stored() = %d, want 3", n)
	}
	checkInvariants(t, s)
}

func TestLRUAcrossShards(t *testing.T) {
	s := testStore(t, Options{MaxEntries: 1000}, 4)
	exp := time.Now().Add(time.Hour)
	data := rec(exp, "u")
	for i := range 5000 {
		mustSet(t, s, fmt.Sprint("id", i), data, exp)
	}
	if n := s.stored(); n != 1000 {
		t.Errorf("stored() = %d after 5000 sets with MaxEntries 1000, want 1000", n)
	}
	if !has(t, s, "id4999") {
		t.Error("the last record set was evicted")
	}
	if has(t, s, "id0") {
		t.Error("the first record set was kept")
	}
	checkInvariants(t, s)
}

func TestExpiryOnRead(t *testing.T) {
	s := testStore(t, Options{}, 0)
	exp := time.Now().Add(50 * time.Millisecond)
	mustSet(t, s, "short", rec(exp, "bob"), exp)
	mustSet(t, s, "long", rec(exp.Add(time.Hour), "bob"), exp.Add(time.Hour))
	if !has(t, s, "short") {
		t.Fatal("record missing before its expiry")
	}
	time.Sleep(time.Until(exp) + 30*time.Millisecond)
	if has(t, s, "short") {
		t.Error("record returned after its expiry")
	}
	if n := s.stored(); n != 1 {
		t.Errorf("stored() = %d after reading the expired record, want 1 (it is deleted when read)", n)
	}
}

func TestExpiryBoundary(t *testing.T) {
	s, clock := fakeStore(t, Options{}, 0)
	mustSet(t, s, "id", rec(clock.after(time.Second), "bob"), clock.after(time.Second))
	clock.advance(time.Second - 1)
	if !has(t, s, "id") {
		t.Fatal("record missing 1 ns before its expiry")
	}
	clock.advance(1)
	if has(t, s, "id") {
		t.Fatal("record returned at its expiry (expires <= now is expired)")
	}
	// A record set to expire exactly now is not stored.
	mustSet(t, s, "now", rec(clock.time(), "bob"), clock.time())
	if n := s.stored(); n != 0 {
		t.Errorf("stored() = %d, want 0", n)
	}
}

func TestExtremeExpiries(t *testing.T) {
	s := testStore(t, Options{}, 0)
	for _, tc := range []struct {
		name string
		exp  time.Time
		want bool
	}{
		{"year 9999", time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC), true},
		{"year 2300", time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{"year 1", time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC), false},
		{"year 1600", time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{"Unix epoch", time.Unix(0, 0), false},
		{"1 ns after the epoch", time.Unix(0, 1), false},
	} {
		mustSet(t, s, tc.name, rec(tc.exp, "bob"), tc.exp)
		if got := has(t, s, tc.name); got != tc.want {
			t.Errorf("%s: found = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestSweeperRemoves(t *testing.T) {
	s := New(Options{SweepInterval: 20 * time.Millisecond})
	defer s.Close()
	exp := time.Now().Add(30 * time.Millisecond)
	for i := range 100 {
		mustSet(t, s, fmt.Sprint("short", i), rec(exp, "bob"), exp)
	}
	for i := range 10 {
		mustSet(t, s, fmt.Sprint("kept", i), rec(time.Time{}, "bob"), time.Time{})
	}
	// Only read the kept records: the expired ones must go without a read.
	deadline := time.Now().Add(10 * time.Second)
	for s.stored() != 10 {
		if time.Now().After(deadline) {
			t.Fatalf("stored() = %d 10 s after expiry, want 10: the sweeper did not remove the expired records", s.stored())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n, _ := s.Len(bg); n != 10 {
		t.Errorf("Len = %d, want 10", n)
	}
	checkInvariants(t, s)
}

func TestNoSweeper(t *testing.T) {
	s := New(Options{SweepInterval: -1})
	defer s.Close()
	if s.sw != nil {
		t.Fatal("a sweeper was started with a negative SweepInterval")
	}
	exp := time.Now().Add(30 * time.Millisecond)
	for i := range 5 {
		mustSet(t, s, fmt.Sprint(i), rec(exp, "bob"), exp)
	}
	mustSet(t, s, "kept", rec(time.Time{}, "bob"), time.Time{})
	time.Sleep(time.Until(exp) + 50*time.Millisecond)
	if n := s.stored(); n != 6 {
		t.Errorf("stored() = %d without a sweeper, want 6", n)
	}
	if n, _ := s.Len(bg); n != 1 {
		t.Errorf("Len = %d, want 1 (expired records are not counted)", n)
	}
	if all, _ := s.All(bg); len(all) != 1 {
		t.Errorf("All returned %d records, want 1", len(all))
	}
	if has(t, s, "0") {
		t.Error("expired record returned")
	}
}

func TestSweepBatches(t *testing.T) {
	s, clock := fakeStore(t, Options{}, 1)
	const n = 5*sweepBatch + 17
	for i := range n {
		exp := clock.after(time.Hour)
		if i%3 == 0 {
			exp = clock.after(time.Minute)
		}
		mustSet(t, s, fmt.Sprint(i), rec(exp, "bob"), exp)
	}
	clock.advance(2 * time.Minute)
	s.sweepNow()
	want := n - (n+2)/3
	if got := s.stored(); got != want {
		t.Errorf("stored() = %d after a sweep, want %d", got, want)
	}
	for i := range n {
		if got := has(t, s, fmt.Sprint(i)); got != (i%3 != 0) {
			t.Fatalf("has(%d) = %v after a sweep", i, got)
		}
	}
	checkInvariants(t, s)
	clock.advance(2 * time.Hour)
	s.sweepNow()
	if got := s.stored(); got != 0 {
		t.Errorf("stored() = %d after everything expired and a sweep, want 0", got)
	}
}

func TestSweepStops(t *testing.T) {
	s, clock := fakeStore(t, Options{}, 1)
	for i := range 3 * sweepBatch {
		mustSet(t, s, fmt.Sprint(i), rec(clock.after(time.Second), "bob"), clock.after(time.Second))
	}
	clock.advance(time.Minute)
	stop := make(chan struct{})
	close(stop)
	s.shards[0].sweep(stop, s.clock)
	if got := s.stored(); got != 2*sweepBatch {
		t.Errorf("stored() = %d after a sweep stopped after its first batch, want %d", got, 2*sweepBatch)
	}
	checkInvariants(t, s)
}

func TestDefaultTTL(t *testing.T) {
	t.Run("RealTime", func(t *testing.T) {
		s := testStore(t, Options{DefaultTTL: 50 * time.Millisecond}, 0)
		mustSet(t, s, "zero", rec(time.Time{}, "bob"), time.Time{})
		exp := time.Now().Add(time.Hour)
		mustSet(t, s, "dated", rec(exp, "bob"), exp)
		if !has(t, s, "zero") {
			t.Fatal("record missing right after Set")
		}
		time.Sleep(80 * time.Millisecond)
		if has(t, s, "zero") {
			t.Error("record with a zero expiry returned after DefaultTTL")
		}
		if !has(t, s, "dated") {
			t.Error("record with an expiry was given DefaultTTL")
		}
	})
	t.Run("TouchRestarts", func(t *testing.T) {
		s, clock := fakeStore(t, Options{DefaultTTL: time.Minute}, 0)
		mustSet(t, s, "id", rec(time.Time{}, "bob"), time.Time{})
		clock.advance(40 * time.Second)
		if err := s.Touch(bg, "id", rec(time.Time{}, "bob"), time.Time{}); err != nil {
			t.Fatal(err)
		}
		clock.advance(40 * time.Second)
		if !has(t, s, "id") {
			t.Error("record missing 40 s after a touch with DefaultTTL 1 min")
		}
		clock.advance(21 * time.Second)
		if has(t, s, "id") {
			t.Error("record returned 61 s after its last touch with DefaultTTL 1 min")
		}
	})
	t.Run("None", func(t *testing.T) {
		s, clock := fakeStore(t, Options{DefaultTTL: -time.Second}, 0)
		mustSet(t, s, "id", rec(time.Time{}, "bob"), time.Time{})
		clock.advance(100 * 365 * 24 * time.Hour)
		if !has(t, s, "id") {
			t.Error("record with a zero expiry and no DefaultTTL expired")
		}
	})
	t.Run("Huge", func(t *testing.T) {
		s := testStore(t, Options{DefaultTTL: time.Duration(1<<63 - 1)}, 0)
		mustSet(t, s, "id", rec(time.Time{}, "bob"), time.Time{})
		if !has(t, s, "id") {
			t.Error("record with the largest DefaultTTL missing (overflow?)")
		}
	})
}

func TestTouch(t *testing.T) {
	for _, tries := range []int{optimisticTouches, 0} {
		t.Run(fmt.Sprintf("tries=%d", tries), func(t *testing.T) { testTouch(t, tries) })
	}
}

func testTouch(t *testing.T, tries int) {
	newStore := func(t *testing.T) (*Store, *fakeClock) {
		s, clock := fakeStore(t, Options{}, 0)
		s.touchTries = tries
		return s, clock
	}
	t.Run("ReplacesCookieOnly", func(t *testing.T) {
		s, clock := newStore(t)
		exp := clock.after(time.Minute)
		mustSet(t, s, "id", []byte(`{"cookie":{"originalMaxAge":60000,"expires":"old","path":"/"},"user":"bob","n":1}`), exp)
		later := clock.after(time.Hour)
		err := s.Touch(bg, "id", []byte(`{"cookie":{"originalMaxAge":3600000,"expires":"new","path":"/"},"user":"eve","x":true}`), later)
		if err != nil {
			t.Fatal(err)
		}
		getEqual(t, s, "id", []byte(`{"cookie":{"originalMaxAge":3600000,"expires":"new","path":"/"},"user":"bob","n":1}`))
		clock.advance(30 * time.Minute) // past the first expiry
		if !has(t, s, "id") {
			t.Error("Touch did not move the expiry")
		}
		clock.advance(31 * time.Minute)
		if has(t, s, "id") {
			t.Error("record returned after its touched expiry")
		}
	})
	t.Run("AddsMissingCookie", func(t *testing.T) {
		s, clock := newStore(t)
		mustSet(t, s, "id", []byte(`{"user":"bob"}`), clock.after(time.Minute))
		if err := s.Touch(bg, "id", []byte(`{"cookie":{"path":"/"}}`), clock.after(time.Hour)); err != nil {
			t.Fatal(err)
		}
		getEqual(t, s, "id", []byte(`{"user":"bob","cookie":{"path":"/"}}`))
	})
	t.Run("NoCookieMovesExpiryOnly", func(t *testing.T) {
		s, clock := newStore(t)
		data := rec(clock.after(time.Minute), "bob")
		mustSet(t, s, "id", data, clock.after(time.Minute))
		if err := s.Touch(bg, "id", []byte(`{"user":"eve"}`), clock.after(time.Hour)); err != nil {
			t.Fatal(err)
		}
		clock.advance(30 * time.Minute)
		getEqual(t, s, "id", data)
	})
	t.Run("Missing", func(t *testing.T) {
		s, clock := newStore(t)
		if err := s.Touch(bg, "id", rec(clock.after(time.Hour), "bob"), clock.after(time.Hour)); err != nil {
			t.Fatalf("Touch of a missing record = %v", err)
		}
		if has(t, s, "id") {
			t.Error("Touch created a record")
		}
	})
	t.Run("Expired", func(t *testing.T) {
		s, clock := newStore(t)
		mustSet(t, s, "id", rec(clock.after(time.Second), "bob"), clock.after(time.Second))
		clock.advance(time.Minute)
		if err := s.Touch(bg, "id", rec(clock.after(time.Hour), "bob"), clock.after(time.Hour)); err != nil {
			t.Fatalf("Touch of an expired record = %v", err)
		}
		if has(t, s, "id") {
			t.Error("Touch revived an expired record")
		}
		if n := s.stored(); n != 0 {
			t.Errorf("stored() = %d, want 0: Touch saw the expired record and should delete it", n)
		}
	})
	t.Run("IntoThePast", func(t *testing.T) {
		s, clock := newStore(t)
		mustSet(t, s, "id", rec(clock.after(time.Hour), "bob"), clock.after(time.Hour))
		if err := s.Touch(bg, "id", rec(clock.after(-time.Second), "bob"), clock.after(-time.Second)); err != nil {
			t.Fatal(err)
		}
		if has(t, s, "id") || s.stored() != 0 {
			t.Error("a record touched with an expiry in the past is still there")
		}
	})
	t.Run("StoredNotObject", func(t *testing.T) {
		s, clock := newStore(t)
		for _, stored := range []string{`not json`, `[1,2]`, `"str"`, ``, `{"cookie":`} {
			mustSet(t, s, "id", []byte(stored), clock.after(time.Minute))
			err := s.Touch(bg, "id", rec(clock.after(time.Hour), "bob"), clock.after(time.Hour))
			if !errors.Is(err, record.ErrNotObject) || !strings.HasPrefix(err.Error(), "memstore: touch: stored record: ") {
				t.Errorf("Touch of stored %q = %v, want a memstore: touch: error wrapping record.ErrNotObject", stored, err)
			}
			getEqual(t, s, "id", []byte(stored)) // untouched
		}
		clock.advance(2 * time.Minute)
		if has(t, s, "id") {
			t.Error("a failed Touch moved the expiry")
		}
	})
	t.Run("DataNotObject", func(t *testing.T) {
		s, clock := newStore(t)
		data := rec(clock.after(time.Minute), "bob")
		mustSet(t, s, "id", data, clock.after(time.Minute))
		for _, bad := range []string{`not json`, `[]`, ``, `{"cookie":1`} {
			err := s.Touch(bg, "id", []byte(bad), clock.after(time.Hour))
			if err == nil || !strings.HasPrefix(err.Error(), "memstore: touch: session data: ") {
				t.Errorf("Touch with data %q = %v, want a memstore: touch: session data: error", bad, err)
			}
		}
		getEqual(t, s, "id", data)
	})
}

func TestTouchConcurrentWithSet(t *testing.T) {
	for _, tries := range []int{optimisticTouches, 1} {
		t.Run(fmt.Sprintf("tries=%d", tries), func(t *testing.T) {
			s := testStore(t, Options{}, 0)
			s.touchTries = tries
			exp := time.Now().Add(time.Hour)
			sets := map[string]bool{}
			for i := range 8 {
				sets[string(rec(exp, fmt.Sprint("user", i, strings.Repeat("x", i*100))))] = true
			}
			var wg sync.WaitGroup
			for g := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range 300 {
						var err error
						if (g+i)%2 == 0 {
							err = s.Set(bg, "id", rec(exp, fmt.Sprint("user", g, strings.Repeat("x", g*100))), exp)
						} else {
							err = s.Touch(bg, "id", []byte(`{"cookie":{"touched":`+fmt.Sprint(g)+`}}`), exp)
						}
						if err != nil {
							t.Error(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			got, found, _ := s.Get(bg, "id")
			if !found {
				t.Fatal("record missing")
			}
			if !sets[string(got)] && !bytes.Contains(got, []byte(`{"cookie":{"touched":`)) {
				t.Errorf("final record %s is neither a Set record nor a touched one", got)
			}
			checkInvariants(t, s)
		})
	}
}

func TestOpaqueData(t *testing.T) {
	s := testStore(t, Options{}, 0)
	exp := time.Now().Add(time.Hour)
	for name, data := range map[string][]byte{
		"not JSON": []byte("\x00\xff not json {"),
		"empty":    {},
		"nil":      nil,
	} {
		mustSet(t, s, name, data, exp)
		got, found, err := s.Get(bg, name)
		if err != nil || !found || got == nil || !bytes.Equal(got, data) {
			t.Errorf("%s: Get = %q (nil: %v), %v, %v; want %q", name, got, got == nil, found, err, data)
		}
	}
}

func TestContextErrors(t *testing.T) {
	s := testStore(t, Options{}, 0)
	ctx, cancel := context.WithCancel(bg)
	cancel()
	exp := time.Now().Add(time.Hour)
	check := func(op string, err error) {
		t.Helper()
		want := "memstore: " + op + ": context canceled"
		if !errors.Is(err, context.Canceled) || err.Error() != want {
			t.Errorf("%s with a canceled context = %v, want %q", op, err, want)
		}
	}
	_, _, err := s.Get(ctx, "id")
	check("get", err)
	check("set", s.Set(ctx, "id", rec(exp, "bob"), exp))
	check("touch", s.Touch(ctx, "id", rec(exp, "bob"), exp))
	check("destroy", s.Destroy(ctx, "id"))
	_, err = s.All(ctx)
	check("all", err)
	_, err = s.Len(ctx)
	check("len", err)
	check("clear", s.Clear(ctx))
}

func TestClear(t *testing.T) {
	s := testStore(t, Options{MaxEntries: 4}, 0)
	exp := time.Now().Add(time.Hour)
	for i := range 4 {
		mustSet(t, s, fmt.Sprint(i), rec(exp, "bob"), exp)
	}
	if err := s.Clear(bg); err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, s)
	if n := s.stored(); n != 0 {
		t.Fatalf("stored() = %d after Clear", n)
	}
	for i := range 6 {
		mustSet(t, s, fmt.Sprint("new", i), rec(exp, "bob"), exp)
	}
	if n := s.stored(); n != 4 {
		t.Errorf("stored() = %d after 6 sets with MaxEntries 4 after Clear, want 4", n)
	}
	if has(t, s, "new0") || !has(t, s, "new5") {
		t.Error("LRU order wrong after Clear")
	}
	checkInvariants(t, s)
}

func TestNegativeOptions(t *testing.T) {
	s := testStore(t, Options{MaxEntries: -5, DefaultTTL: -time.Hour}, 0)
	exp := time.Now().Add(time.Hour)
	for i := range 100 {
		mustSet(t, s, fmt.Sprint(i), rec(exp, "bob"), exp)
	}
	if n := s.stored(); n != 100 {
		t.Errorf("stored() = %d with a negative MaxEntries, want 100 (no cap)", n)
	}
}

func TestClose(t *testing.T) {
	s := New(Options{SweepInterval: time.Millisecond})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.Close(); err != nil {
				t.Errorf("Close = %v", err)
			}
		}()
	}
	wg.Wait()
	if err := s.Close(); err != nil {
		t.Errorf("third Close = %v", err)
	}
	select {
	case <-s.sw.done:
	default:
		t.Fatal("sweeper still running after Close returned")
	}
	// Everything but sweeping keeps working.
	exp := time.Now().Add(time.Hour)
	mustSet(t, s, "id", rec(exp, "bob"), exp)
	if err := s.Touch(bg, "id", rec(exp, "bob"), exp); err != nil {
		t.Fatal(err)
	}
	getEqual(t, s, "id", rec(exp, "bob"))
	if n, err := s.Len(bg); n != 1 || err != nil {
		t.Errorf("Len after Close = %d, %v", n, err)
	}
	if err := New(Options{SweepInterval: -1}).Close(); err != nil {
		t.Errorf("Close without a sweeper = %v", err)
	}
}

func TestSweeperStopsWhenUnreachable(t *testing.T) {
	done := func() <-chan struct{} {
		s := New(Options{SweepInterval: time.Millisecond})
		exp := time.Now().Add(time.Hour)
		mustSet(t, s, "id", rec(exp, "bob"), exp)
		return s.sw.done
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		runtime.GC()
		select {
		case <-done:
			return
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("the sweeper of an unreachable store was not stopped")
		}
	}
}

// TestStress runs every operation at once on a small capped store with many
// shards, under the race detector when enabled, then checks the structures.
func TestStress(t *testing.T) {
	for _, o := range []Options{{MaxEntries: 64}, {}} {
		t.Run(fmt.Sprintf("MaxEntries=%d", o.MaxEntries), func(t *testing.T) {
			o.SweepInterval = time.Millisecond
			s := newStore(o, 4)
			defer s.Close()
			var wg sync.WaitGroup
			for g := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					rng := rand.New(rand.NewPCG(uint64(g), 2))
					for i := range 3000 {
						id := fmt.Sprint(rng.IntN(200))
						exp := time.Now().Add(time.Duration(rng.IntN(4)-1) * time.Millisecond * 5)
						if rng.IntN(4) == 0 {
							exp = time.Time{}
						}
						var err error
						switch p := rng.IntN(100); {
						case p < 35:
							err = s.Set(bg, id, rec(exp, fmt.Sprint(g, i)), exp)
						case p < 70:
							_, _, err = s.Get(bg, id)
						case p < 85:
							err = s.Touch(bg, id, rec(exp, "t"), exp)
						case p < 95:
							err = s.Destroy(bg, id)
						case p < 97:
							_, err = s.All(bg)
						case p < 99:
							_, err = s.Len(bg)
						default:
							err = s.Clear(bg)
						}
						if err != nil {
							t.Error(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			checkInvariants(t, s)
			if o.MaxEntries > 0 && s.stored() > o.MaxEntries {
				t.Errorf("stored() = %d > MaxEntries %d", s.stored(), o.MaxEntries)
			}
		})
	}
}

func TestGetAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation counts")
	}
	for _, o := range []Options{{}, {MaxEntries: 1000}} {
		s := testStore(t, o, 0)
		exp := time.Now().Add(time.Hour)
		mustSet(t, s, "id", rec(exp, "bob"), exp)
		if n := testing.AllocsPerRun(100, func() { s.Get(bg, "id") }); n != 1 {
			t.Errorf("MaxEntries %d: Get allocates %v times, want 1 (the copy)", o.MaxEntries, n)
		}
		if n := testing.AllocsPerRun(100, func() { s.Get(bg, "missing") }); n != 0 {
			t.Errorf("MaxEntries %d: Get of a missing record allocates %v times, want 0", o.MaxEntries, n)
		}
	}
}
