package mysqlstore

import (
	"testing"

	"github.com/sessionkit/session/store"
	"github.com/sessionkit/session/storetest"
)

// BenchmarkMiddleware: whole requests through the middleware on a fresh
// table; a read is a SELECT and the touch's UPDATE, a write a SELECT and an
// upsert.
func BenchmarkMiddleware(b *testing.B) {
	storetest.Benchmark(b, func(b *testing.B) store.Store { return newTestStore(b, testDB(b), Options{}) })
}
