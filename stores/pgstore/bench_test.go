package pgstore

import (
	"testing"

	"github.com/sessionkit/session/store"
	"github.com/sessionkit/session/storetest"
)

// BenchmarkMiddleware: whole requests through the middleware on a fresh
// table; a read is a SELECT and the touch's UPDATE, a write a SELECT and an
// upsert. Most of the time is the server's commit.
func BenchmarkMiddleware(b *testing.B) {
	storetest.Benchmark(b, func(b *testing.B) store.Store { return newStore(b, testPool(b, ""), Options{}) })
}
