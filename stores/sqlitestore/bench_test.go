package sqlitestore_test

import (
	"path/filepath"
	"testing"

	"github.com/sessionkit/session/store"
	"github.com/sessionkit/session/stores/sqlitestore"
	"github.com/sessionkit/session/storetest"
)

// BenchmarkMiddleware: whole requests through the middleware on a new
// file, in Open's journal mode (WAL) and in connect-sqlite3's (rollback),
// where every write, the touch included, waits for fsyncs.
func BenchmarkMiddleware(b *testing.B) {
	for _, mode := range []struct {
		name string
		o    sqlitestore.Options
	}{
		{"WAL", sqlitestore.Options{}},
		{"Rollback", sqlitestore.Options{JournalMode: "delete"}},
	} {
		b.Run(mode.name, func(b *testing.B) {
			storetest.Benchmark(b, func(b *testing.B) store.Store {
				return openPath(b, filepath.Join(b.TempDir(), "sessions.db"), mode.o)
			})
		})
	}
}
