package filestore_test

import (
	"testing"

	"github.com/sessionkit/session/store"
	"github.com/sessionkit/session/stores/filestore"
	"github.com/sessionkit/session/storetest"
)

// BenchmarkMiddleware: whole requests through the middleware on a fresh
// directory. A read is a Get and the Touch express-session makes on every
// unmodified request, which for this store rewrites the file; a write is a
// Get and a Set. Most of the time is the file system (rename, fsync).
func BenchmarkMiddleware(b *testing.B) {
	for _, c := range []struct {
		name string
		o    filestore.Options
	}{
		{"Fsync", filestore.Options{}},
		{"NoFsync", filestore.Options{NoFsync: true}},
		{"EncryptedNoFsync", filestore.Options{NoFsync: true, Secret: "keyboard cat"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			storetest.Benchmark(b, func(b *testing.B) store.Store { return newStore(b, c.o) })
		})
	}
}
