package memstore

import (
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"
)

// benchIDs is the number of sessions the benchmarks use: enough to spread
// over the shards, few enough to stay in cache, so that the benchmarks
// measure the store (locks, hashing, copying) rather than memory latency.
const benchIDs = 1 << 12

// benchStore returns a store holding benchIDs realistic records.
func benchStore(b *testing.B, o Options, nshards int) (*Store, []string, []byte, time.Time) {
	b.Helper()
	o.SweepInterval = -1
	s := newStore(o, nshards)
	b.Cleanup(func() { s.Close() })
	exp := time.Now().Add(time.Hour)
	data := rec(exp, "bob")
	ids := make([]string, benchIDs)
	for i := range ids {
		ids[i] = fmt.Sprintf("%032x", rand.Uint64()) // session IDs are 32 characters
		if err := s.Set(bg, ids[i], data, exp); err != nil {
			b.Fatal(err)
		}
	}
	return s, ids, data, exp
}

var configs = []struct {
	name string
	o    Options
}{
	{"Uncapped", Options{}},
	{"Capped", Options{MaxEntries: 2 * benchIDs}},
}

func BenchmarkGet(b *testing.B) {
	for _, c := range configs {
		b.Run(c.name, func(b *testing.B) {
			s, ids, _, _ := benchStore(b, c.o, 0)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, ok, _ := s.Get(bg, ids[i&(benchIDs-1)]); !ok {
					b.Fatal("missing")
				}
				i++
			}
		})
	}
}

func BenchmarkSet(b *testing.B) {
	for _, c := range configs {
		b.Run(c.name, func(b *testing.B) {
			s, ids, data, exp := benchStore(b, c.o, 0)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				s.Set(bg, ids[i&(benchIDs-1)], data, exp) // replaces a record
				i++
			}
		})
	}
}

func BenchmarkTouch(b *testing.B) {
	for _, c := range configs {
		b.Run(c.name, func(b *testing.B) {
			s, ids, _, exp := benchStore(b, c.o, 0)
			held := rec(exp.Add(time.Minute), "bob")
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				s.Touch(bg, ids[i&(benchIDs-1)], held, exp)
				i++
			}
		})
	}
}

// BenchmarkParallel is the middleware's mix: mostly Gets, then Touches
// (requests that do not change the session), a few Sets and Destroys.
// The shard counts show what sharding buys: 1 shard is a single lock.
func BenchmarkParallel(b *testing.B) {
	for _, c := range configs {
		for _, nshards := range []int{1, 4, 16, 64, 256} {
			b.Run(fmt.Sprintf("%s/shards=%d", c.name, nshards), func(b *testing.B) {
				s, ids, data, exp := benchStore(b, c.o, nshards)
				held := rec(exp.Add(time.Minute), "bob")
				var seed atomic.Uint64
				b.ReportAllocs()
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					rng := rand.New(rand.NewPCG(seed.Add(1), 0))
					for pb.Next() {
						id := ids[rng.IntN(benchIDs)]
						switch p := rng.IntN(100); {
						case p < 75:
							s.Get(bg, id)
						case p < 93:
							s.Touch(bg, id, held, exp)
						case p < 99:
							s.Set(bg, id, data, exp)
						default:
							s.Destroy(bg, id)
						}
					}
				})
			})
		}
	}
}

// BenchmarkParallelGet isolates read scaling: in a capped store every Get
// takes its shard's write lock to refresh recency.
func BenchmarkParallelGet(b *testing.B) {
	for _, c := range configs {
		for _, nshards := range []int{1, 16, 64} {
			b.Run(fmt.Sprintf("%s/shards=%d", c.name, nshards), func(b *testing.B) {
				s, ids, _, _ := benchStore(b, c.o, nshards)
				var seed atomic.Uint64
				b.ReportAllocs()
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					rng := rand.New(rand.NewPCG(seed.Add(1), 0))
					for pb.Next() {
						s.Get(bg, ids[rng.IntN(benchIDs)])
					}
				})
			})
		}
	}
}

// BenchmarkParallelLookup is BenchmarkParallelGet without the copy of the
// record, whose allocation dominates Get and makes the garbage collector,
// not the locks, the limit on a small machine. It shows the cost of the
// locking alone.
func BenchmarkParallelLookup(b *testing.B) {
	for _, c := range configs {
		for _, nshards := range []int{1, 16, 64} {
			b.Run(fmt.Sprintf("%s/shards=%d", c.name, nshards), func(b *testing.B) {
				s, ids, _, _ := benchStore(b, c.o, nshards)
				var seed atomic.Uint64
				b.ReportAllocs()
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					rng := rand.New(rand.NewPCG(seed.Add(1), 0))
					for pb.Next() {
						s.lookup(ids[rng.IntN(benchIDs)])
					}
				})
			})
		}
	}
}
