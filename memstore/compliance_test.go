package memstore_test

import (
	"sync"
	"testing"
	"time"

	"github.com/sessionkit/session/memstore"
	"github.com/sessionkit/session/store"
	"github.com/sessionkit/session/storetest"
)

// TestCompliance runs the storetest suite against the configurations that
// take different code paths: uncapped (read-locked Get), capped in one shard
// (exact LRU) and in several, and with a DefaultTTL (which must keep a
// browser-session record for the suite's wait).
func TestCompliance(t *testing.T) {
	configs := []struct {
		name string
		o    memstore.Options
	}{
		{"Default", memstore.Options{}},
		{"CappedOneShard", memstore.Options{MaxEntries: 100}},
		{"CappedSharded", memstore.Options{MaxEntries: 1 << 16}},
		{"DefaultTTL", memstore.Options{DefaultTTL: time.Hour, SweepInterval: 10 * time.Millisecond}},
	}
	// Each in its own goroutine: the suite mostly waits for records to
	// expire, so the configurations overlap whatever -test.parallel is.
	var wg sync.WaitGroup
	for _, c := range configs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.Run(c.name, func(t *testing.T) {
				storetest.Run(t, func(t *testing.T) store.Store {
					s := memstore.New(c.o)
					t.Cleanup(func() { s.Close() })
					return s
				})
			})
		}()
	}
	wg.Wait()
}
