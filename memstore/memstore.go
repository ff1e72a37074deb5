// Package memstore is an in-memory session store fit for production use in a
// single process.
//
// It keeps express-session's MemoryStore semantics where they matter to the
// middleware — records are opaque bytes, a record whose expiry has passed is
// never returned and is deleted when seen, and Touch replaces only the stored
// record's "cookie" — and fixes what makes express's store unfit for
// production, as the memorystore package does for Node:
//
//   - Expired records are removed by a background sweeper, so sessions that
//     are never read again do not leak (express only purges on read).
//   - Records stored without an expiry (browser-session cookies) can be given
//     a lifetime with [Options.DefaultTTL] (express keeps them forever).
//   - The number of records can be capped with [Options.MaxEntries]; the
//     least recently used ones are evicted beyond it.
//
// # Design
//
// The records are spread over shards by a seeded hash of the session ID, each
// shard with its own lock, map, LRU list and dense slice of entries, so
// requests for different sessions rarely contend. Without a cap a Get only
// takes its shard's read lock; with a cap it takes the write lock, because a
// read refreshes the record's recency. Stored slices are never modified in
// place (a write replaces them), so Get copies a record after releasing the
// lock and Touch rewrites the cookie without holding it.
//
// The cap is divided among the shards, so eviction is least-recently-used
// within a shard: an approximation of a global LRU that is exact when the cap
// is small enough to use a single shard (below 512 entries). The sweeper
// visits one shard at a time in batches of a few hundred entries and only
// takes a shard's write lock for a batch that holds expired records.
//
// A Store is not shared between processes; records do not survive a restart.
package memstore

import (
	"context"
	"fmt"
	"hash/maphash"
	"math"
	"runtime"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/sessionkit/session/record"
	"github.com/sessionkit/session/store"
)

// Options configures a Store. The zero value is a store without a cap that
// sweeps expired records every minute and keeps browser-session records
// until they are destroyed.
type Options struct {
	// MaxEntries caps the number of records when > 0: storing a new record
	// beyond it evicts the least recently used one (reads, writes and
	// touches count as use). 0 or negative: no cap.
	MaxEntries int

	// SweepInterval is how often expired records are removed. 0 means one
	// minute; negative means never (expired records are still never
	// returned, and are deleted when read).
	SweepInterval time.Duration

	// DefaultTTL is the lifetime of records stored or touched with a zero
	// expiry (sessions with a browser-session cookie), counted from that
	// Set or Touch. 0 or negative: such records are kept until destroyed or
	// evicted, as express-session's MemoryStore does.
	DefaultTTL time.Duration
}

// Store is an in-memory session store. It implements [store.Store],
// [store.Toucher], [store.Lister], [store.Counter], [store.Clearer] and
// io.Closer. Create it with [New] (the zero Store is not usable); all
// methods are safe for concurrent use.
type Store struct {
	shards     []shard
	mask       uint64
	seed       maphash.Seed
	defaultTTL int64 // nanoseconds; 0: none
	sw         *sweeper
	clock      func() int64 // Unix nanoseconds; tests replace it before use
	touchTries int          // optimistic Touch attempts; tests set 0 to force the locked path
}

// Compile-time checks of the interfaces the middleware discovers.
var (
	_ store.Store   = (*Store)(nil)
	_ store.Toucher = (*Store)(nil)
	_ store.Lister  = (*Store)(nil)
	_ store.Counter = (*Store)(nil)
	_ store.Clearer = (*Store)(nil)
)

const (
	defaultSweepInterval = time.Minute

	// maxShards bounds the shard count; beyond a few shards per CPU the
	// contention is already negligible and more shards only cost memory.
	maxShards = 256

	// minPerShard keeps each shard's share of a cap large enough that
	// uneven hashing does not evict from one shard while others have room.
	minPerShard = 256

	// sweepBatch is how many entries the sweeper examines per lock
	// acquisition, so it never holds a shard lock for long.
	sweepBatch = 256

	cacheLine = 128 // covers adjacent-line prefetching on amd64
)

// New returns a Store configured by o. Unless o.SweepInterval is negative it
// starts a goroutine that sweeps expired records; stop it with Close (it is
// also stopped once the Store becomes unreachable).
func New(o Options) *Store {
	return newStore(o, 0)
}

// newStore is New with an explicit shard count (a power of two) for tests
// and benchmarks; 0 chooses it from GOMAXPROCS and the cap.
func newStore(o Options, nshards int) *Store {
	if nshards <= 0 {
		nshards = shardCount(runtime.GOMAXPROCS(0), o.MaxEntries)
	}
	s := &Store{
		shards:     make([]shard, nshards),
		mask:       uint64(nshards - 1),
		seed:       maphash.MakeSeed(),
		clock:      wallClock,
		touchTries: optimisticTouches,
	}
	if o.DefaultTTL > 0 {
		s.defaultTTL = int64(o.DefaultTTL)
	}
	for i := range s.shards {
		sh := &s.shards[i]
		sh.m = make(map[string]*entry)
		if o.MaxEntries > 0 {
			// Divide the cap so that the shares add up to exactly MaxEntries.
			sh.limit = o.MaxEntries / nshards
			if i < o.MaxEntries%nshards {
				sh.limit++
			}
			sh.root = &entry{}
			sh.root.prev, sh.root.next = sh.root, sh.root
		}
	}
	interval := o.SweepInterval
	if interval == 0 {
		interval = defaultSweepInterval
	}
	if interval > 0 {
		sw := &sweeper{stop: make(chan struct{}), done: make(chan struct{})}
		s.sw = sw
		// The goroutine must not reference s, or s would never become
		// unreachable and the cleanup below would never run.
		go sw.run(s.shards, interval, wallClock)
		runtime.AddCleanup(s, func(sw *sweeper) { sw.halt() }, sw)
	}
	return s
}

// shardCount picks a power of two: about four shards per CPU, fewer when a
// small cap would leave each shard only a handful of entries.
func shardCount(procs, maxEntries int) int {
	n := 1
	for n < 4*procs && n < maxShards {
		n <<= 1
	}
	n = max(n, 16)
	if maxEntries > 0 {
		for n > 1 && maxEntries/n < minPerShard {
			n >>= 1
		}
	}
	return n
}

// entry is one record. Its data slice is never modified after it is stored:
// writers replace it, so readers may use a slice they loaded under the lock
// after releasing it.
type entry struct {
	id   string
	data []byte
	exp  int64  // deadline in Unix nanoseconds; 0: no expiry
	gen  uint64 // bumped on every change of data, for Touch's optimistic write
	idx  int    // position in shard.items

	prev, next *entry // LRU list, most recent first; only in capped shards
}

func (e *entry) expired(now int64) bool { return e.exp != 0 && e.exp <= now }

type shardState struct {
	mu    sync.RWMutex
	m     map[string]*entry
	items []*entry // every entry once, in no order: lets sweeps work in batches
	limit int      // cap for this shard; 0: none
	root  *entry   // LRU sentinel: root.next most recent, root.prev least; nil if uncapped
}

// shard pads shardState to a cache line so that shards' locks do not share
// one (false sharing would make independent shards contend anyway).
type shard struct {
	shardState
	_ [(cacheLine - unsafe.Sizeof(shardState{})%cacheLine) % cacheLine]byte
}

func (s *Store) shard(id string) *shard {
	return &s.shards[maphash.String(s.seed, id)&s.mask]
}

// Get returns a copy of the record stored under id. A record whose expiry
// has passed is deleted and reported as not found.
func (s *Store) Get(ctx context.Context, id string) ([]byte, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, false, fmt.Errorf("memstore: get: %w", err)
	}
	data, found := s.lookup(id)
	if !found {
		return nil, false, nil
	}
	return clone(data), true, nil
}

// lookup returns the stored slice of the live record stored under id,
// deleting it if it has expired. The caller must not modify the slice.
func (s *Store) lookup(id string) ([]byte, bool) {
	sh := s.shard(id)
	now := s.clock()
	if sh.root != nil {
		// Capped: a read moves the record to the front of the LRU list, so
		// it needs the write lock.
		sh.mu.Lock()
		e := sh.m[id]
		if e == nil {
			sh.mu.Unlock()
			return nil, false
		}
		if e.expired(now) {
			sh.remove(e)
			sh.mu.Unlock()
			return nil, false
		}
		sh.moveToFront(e)
		data := e.data
		sh.mu.Unlock()
		return data, true
	}
	sh.mu.RLock()
	e := sh.m[id]
	if e == nil {
		sh.mu.RUnlock()
		return nil, false
	}
	if e.expired(now) {
		sh.mu.RUnlock()
		sh.removeIfExpired(e, now)
		return nil, false
	}
	data := e.data
	sh.mu.RUnlock()
	return data, true
}

// Set stores a copy of data under id. A zero expires gives the record the
// store's DefaultTTL, if any. A record whose expiry has already passed is not
// stored (and replaces, so removes, any previous one).
func (s *Store) Set(ctx context.Context, id string, data []byte, expires time.Time) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memstore: set: %w", err)
	}
	sh := s.shard(id)
	now := s.clock()
	exp := s.deadline(expires, now)
	if exp != 0 && exp <= now {
		sh.mu.Lock()
		if e := sh.m[id]; e != nil {
			sh.remove(e)
		}
		sh.mu.Unlock()
		return nil
	}
	buf := clone(data) // outside the lock: a large record must not stall the shard
	sh.mu.Lock()
	if e := sh.m[id]; e != nil {
		e.data, e.exp = buf, exp
		e.gen++
		if sh.root != nil {
			sh.moveToFront(e)
		}
	} else {
		// Clone the ID: it may be a slice of a larger string (a request's
		// Cookie header) that the store would otherwise keep alive.
		sh.insert(&entry{id: strings.Clone(id), data: buf, exp: exp})
	}
	sh.mu.Unlock()
	return nil
}

// optimisticTouches is how many times Touch rewrites a record outside the
// lock before it gives up on concurrent writers and rewrites it under it.
const optimisticTouches = 3

// Touch moves the expiry of the live record stored under id to expires and
// replaces its top-level "cookie" property with the one in data, keeping
// the rest of the stored record, as express-session's MemoryStore does. If
// data has no cookie, only the expiry moves. A missing record is not
// created and an expired one is not revived (it is deleted). It fails,
// changing nothing, if data or the stored record is not a JSON object.
func (s *Store) Touch(ctx context.Context, id string, data []byte, expires time.Time) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memstore: touch: %w", err)
	}
	cookie, hasCookie, err := record.Lookup(data, "cookie")
	if err != nil {
		return fmt.Errorf("memstore: touch: session data: %w", err)
	}
	sh := s.shard(id)
	now := s.clock()
	exp := s.deadline(expires, now)
	for attempt := 0; ; attempt++ {
		// The first attempts edit the record without holding the lock, so
		// that parsing a large record does not stall the shard, and commit
		// only if no one wrote it meanwhile; the last one holds the lock
		// throughout, so that Touch finishes however busy the record is.
		locked := attempt >= s.touchTries
		if locked {
			sh.mu.Lock()
		} else {
			sh.mu.RLock()
		}
		e := sh.m[id]
		var (
			old     []byte
			gen     uint64
			expired bool
		)
		if e != nil {
			old, gen, expired = e.data, e.gen, e.expired(now)
		}
		if !locked {
			sh.mu.RUnlock()
		}
		if e == nil || expired {
			if locked {
				if expired {
					sh.remove(e)
				}
				sh.mu.Unlock()
			} else if expired {
				sh.removeIfExpired(e, now)
			}
			return nil // touching does not revive
		}
		doc := old
		if hasCookie {
			// record.With copies the cookie into a new document, so the
			// store does not keep data, which Touch must not.
			if doc, err = record.With(old, "cookie", cookie); err != nil {
				if locked {
					sh.mu.Unlock()
				}
				return fmt.Errorf("memstore: touch: stored record: %w", err)
			}
		}
		if !locked {
			sh.mu.Lock()
			if cur := sh.m[id]; cur != e || e.gen != gen {
				// A concurrent write replaced the record we edited.
				sh.mu.Unlock()
				if cur == nil {
					return nil // destroyed meanwhile: touching does not revive
				}
				continue
			}
		}
		if exp != 0 && exp <= now {
			sh.remove(e) // touched into the past: expired, so gone
		} else {
			e.data, e.exp = doc, exp
			e.gen++
			if sh.root != nil {
				sh.moveToFront(e)
			}
		}
		sh.mu.Unlock()
		return nil
	}
}

// Destroy removes the record stored under id, if any.
func (s *Store) Destroy(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memstore: destroy: %w", err)
	}
	sh := s.shard(id)
	sh.mu.Lock()
	if e := sh.m[id]; e != nil {
		sh.remove(e)
	}
	sh.mu.Unlock()
	return nil
}

// All returns a copy of every live record, keyed by session ID. Shards are
// read one after the other, so the result is not a snapshot of one instant
// when other goroutines write meanwhile. It does not refresh recency.
func (s *Store) All(ctx context.Context) (map[string][]byte, error) {
	type kv struct {
		id   string
		data []byte
	}
	var live []kv
	for i := range s.shards {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("memstore: all: %w", err)
		}
		sh := &s.shards[i]
		now := s.clock()
		sh.mu.RLock()
		for _, e := range sh.items {
			if !e.expired(now) {
				live = append(live, kv{e.id, e.data})
			}
		}
		sh.mu.RUnlock()
	}
	out := make(map[string][]byte, len(live))
	for _, r := range live {
		out[r.id] = clone(r.data)
	}
	return out, nil
}

// Len returns the number of live records (expired records not yet swept are
// not counted). Like All it reads shards one after the other.
func (s *Store) Len(ctx context.Context) (int, error) {
	n := 0
	for i := range s.shards {
		if err := ctx.Err(); err != nil {
			return 0, fmt.Errorf("memstore: len: %w", err)
		}
		sh := &s.shards[i]
		now := s.clock()
		sh.mu.RLock()
		for _, e := range sh.items {
			if !e.expired(now) {
				n++
			}
		}
		sh.mu.RUnlock()
	}
	return n, nil
}

// Clear removes every record, one shard after the other. If ctx is done
// before the first shard is cleared nothing is removed; if it is done part
// way, the shards already cleared stay cleared and the error is returned.
func (s *Store) Clear(ctx context.Context) error {
	for i := range s.shards {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("memstore: clear: %w", err)
		}
		sh := &s.shards[i]
		sh.mu.Lock()
		sh.m = make(map[string]*entry)
		clear(sh.items) // let the entries be collected
		sh.items = sh.items[:0]
		if sh.root != nil {
			sh.root.prev, sh.root.next = sh.root, sh.root
		}
		sh.mu.Unlock()
	}
	return nil
}

// Close stops the sweeper and waits for it to finish. It is idempotent and
// always returns nil; the store keeps working afterwards, but expired records
// are then only removed when read.
func (s *Store) Close() error {
	if s.sw != nil {
		s.sw.halt()
		<-s.sw.done
	}
	return nil
}

// sweepNow sweeps every shard at once with the store's clock, for tests.
func (s *Store) sweepNow() {
	for i := range s.shards {
		s.shards[i].sweep(nil, s.clock)
	}
}

// stored returns the number of entries held, expired or not; tests use it
// to see what the sweeper removed.
func (s *Store) stored() int {
	n := 0
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.RLock()
		n += len(sh.m)
		sh.mu.RUnlock()
	}
	return n
}

// deadline converts a record's expiry to Unix nanoseconds, applying the
// default lifetime to a zero expiry. The result is 0 only for "no expiry".
func (s *Store) deadline(expires time.Time, now int64) int64 {
	if expires.IsZero() {
		if s.defaultTTL == 0 {
			return 0
		}
		if now > math.MaxInt64-s.defaultTTL {
			return math.MaxInt64
		}
		return now + s.defaultTTL
	}
	// UnixNano is undefined outside about 1678–2262: clamp, so that an
	// expiry in year 9999 stays in the future and one in year 1 in the past.
	switch {
	case expires.After(maxNanoTime):
		return math.MaxInt64
	case expires.Before(minNanoTime):
		return math.MinInt64
	}
	if n := expires.UnixNano(); n != 0 {
		return n
	}
	return -1 // the Unix epoch itself: long past, but 0 means "no expiry"
}

// wallClock is the store's clock. Expiries are wall-clock instants (from
// cookies), so they are compared with the wall clock, not a monotonic one.
func wallClock() int64 { return time.Now().UnixNano() }

var (
	maxNanoTime = time.Unix(0, math.MaxInt64)
	minNanoTime = time.Unix(0, math.MinInt64)
)

// clone returns a copy of b that is never nil, so that an empty record is
// still reported as an empty (found) record.
func clone(b []byte) []byte {
	c := make([]byte, len(b))
	copy(c, b)
	return c
}

// insert adds a new entry; the caller holds the write lock. In a capped
// shard that is full it first evicts the least recently used entry.
func (sh *shard) insert(e *entry) {
	if sh.root != nil {
		if len(sh.m) >= sh.limit {
			sh.remove(sh.root.prev)
		}
		sh.pushFront(e)
	}
	sh.m[e.id] = e
	e.idx = len(sh.items)
	sh.items = append(sh.items, e)
}

// remove deletes e; the caller holds the write lock.
func (sh *shard) remove(e *entry) {
	delete(sh.m, e.id)
	last := len(sh.items) - 1
	moved := sh.items[last]
	sh.items[e.idx] = moved
	moved.idx = e.idx
	sh.items[last] = nil
	sh.items = sh.items[:last]
	e.idx = -1
	if sh.root != nil {
		e.prev.next = e.next
		e.next.prev = e.prev
		e.prev, e.next = nil, nil
	}
}

// removeIfExpired takes the write lock and removes e if it is still the
// record stored under its ID and still expired (a concurrent Set may have
// replaced it since the caller looked).
func (sh *shard) removeIfExpired(e *entry, now int64) {
	sh.mu.Lock()
	if sh.m[e.id] == e && e.expired(now) {
		sh.remove(e)
	}
	sh.mu.Unlock()
}

func (sh *shard) pushFront(e *entry) {
	e.prev = sh.root
	e.next = sh.root.next
	e.prev.next = e
	e.next.prev = e
}

func (sh *shard) moveToFront(e *entry) {
	if sh.root.next == e {
		return
	}
	e.prev.next = e.next
	e.next.prev = e.prev
	sh.pushFront(e)
}

// sweep removes expired entries from one shard, a batch at a time. A batch
// is first examined under the read lock, so that batches without expired
// entries never block readers. Entries moved by concurrent removals may be
// skipped; the next sweep finds them.
func (sh *shard) sweep(stop <-chan struct{}, clock func() int64) {
	for i := 0; ; {
		now := clock()
		sh.mu.RLock()
		n := len(sh.items)
		end := min(i+sweepBatch, n)
		found := false
		for _, e := range sh.items[min(i, n):end] {
			if e.expired(now) {
				found = true
				break
			}
		}
		sh.mu.RUnlock()
		if i >= n {
			return
		}
		if found {
			// Examine at most a batch of entries: removing items[j] moves
			// the last entry to j, which then counts as the next one.
			sh.mu.Lock()
			j := i
			for range sweepBatch {
				if j >= len(sh.items) {
					break
				}
				if e := sh.items[j]; e.expired(now) {
					sh.remove(e)
				} else {
					j++
				}
			}
			sh.mu.Unlock()
			end = j
		}
		i = end
		select {
		case <-stop:
			return
		default:
		}
	}
}

// sweeper runs the periodic removal of expired records.
type sweeper struct {
	once sync.Once
	stop chan struct{}
	done chan struct{}
}

func (sw *sweeper) halt() { sw.once.Do(func() { close(sw.stop) }) }

func (sw *sweeper) run(shards []shard, interval time.Duration, clock func() int64) {
	defer close(sw.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-sw.stop:
			return
		case <-t.C:
		}
		for i := range shards {
			shards[i].sweep(sw.stop, clock)
			select {
			case <-sw.stop:
				return
			default:
			}
		}
	}
}
