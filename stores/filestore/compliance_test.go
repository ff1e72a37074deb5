package filestore_test

import (
	"bytes"
	"context"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/sessionkit/session/store"
	"github.com/sessionkit/session/stores/filestore"
	"github.com/sessionkit/session/storetest"
)

// TestCompliance runs the storetest suite with Node's defaults (retries
// included: every unknown ID costs a quarter of a second, as in Node), each
// subtest in its own directory.
//
// The suite compares records byte for byte, and this store adds
// __lastAccess to every record it writes (its Node counterpart's format).
// The stores it tests are therefore wrapped in lastAccessStripper, which
// checks that every record read back ends with a fresh __lastAccess and
// removes it, so that the rest of the record can be compared.
//
// The encrypted configuration derives its keys with a tiny scrypt cost
// (the real one takes a second under the race detector, for every store);
// TestEncryption checks the real parameters against Node.
func TestCompliance(t *testing.T) {
	configs := []struct {
		name string
		o    filestore.Options
	}{
		{"Default", filestore.Options{}},
		{"Encrypted", filestore.Options{Secret: "keyboard cat", Retries: -1, NoFsync: true}},
	}
	// Each in its own goroutine: the suite mostly waits (for records to
	// expire, and here for read retries), so the configurations overlap.
	var wg sync.WaitGroup
	for _, c := range configs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.Run(c.name, func(t *testing.T) {
				storetest.Run(t, func(t *testing.T) store.Store {
					s := newStore(t, c.o)
					if c.o.Secret != "" {
						filestore.WeakenKeyDerivation(s)
					}
					return &lastAccessStripper{t: t, Store: s}
				})
			})
		}()
	}
	wg.Wait()
}

// newStore returns a store in a fresh directory with options o (Path
// replaced), without reaping unless o asks for it, closed after the test.
func newStore(t testing.TB, o filestore.Options) *filestore.Store {
	t.Helper()
	o.Path = t.TempDir()
	if o.ReapInterval == 0 {
		o.ReapInterval = -1
	}
	s, err := filestore.New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// lastAccessStripper is a filestore.Store whose Get and All return records
// without the __lastAccess the store appended.
type lastAccessStripper struct {
	t testing.TB
	*filestore.Store
}

var lastAccessTail = regexp.MustCompile(`,"__lastAccess":(\d+)}$`)

func (s *lastAccessStripper) strip(doc []byte) []byte {
	m := lastAccessTail.FindSubmatchIndex(doc)
	if m == nil {
		s.t.Errorf("record read back does not end with __lastAccess: %.200s", doc)
		return doc
	}
	ms := parseInt(doc[m[2]:m[3]])
	if d := time.Since(time.UnixMilli(ms)); d < -time.Second || d > time.Minute {
		s.t.Errorf("__lastAccess %d is %v away from now", ms, d)
	}
	return append(bytes.Clone(doc[:m[0]]), '}')
}

func (s *lastAccessStripper) Get(ctx context.Context, id string) ([]byte, bool, error) {
	doc, found, err := s.Store.Get(ctx, id)
	if found {
		doc = s.strip(doc)
	}
	return doc, found, err
}

func (s *lastAccessStripper) All(ctx context.Context) (map[string][]byte, error) {
	all, err := s.Store.All(ctx)
	for id, doc := range all {
		all[id] = s.strip(doc)
	}
	return all, err
}

func parseInt(b []byte) int64 {
	var n int64
	for _, c := range b {
		n = n*10 + int64(c-'0')
	}
	return n
}
