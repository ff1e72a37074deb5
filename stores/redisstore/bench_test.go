package redisstore

import (
	"testing"

	"github.com/sessionkit/session/store"
	"github.com/sessionkit/session/storetest"
)

// BenchmarkMiddleware: whole requests through the middleware on the
// REDIS_URL server; a read is GET then EXPIRE (the touch), a write GET then
// SET … EX. The requests' context can be canceled, so each call also races
// it (see the package doc).
func BenchmarkMiddleware(b *testing.B) {
	storetest.Benchmark(b, func(b *testing.B) store.Store { return newTestStore(b, newTestClient(b), Options{}) })
}
