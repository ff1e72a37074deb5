package pgstore

import (
	"testing"

	"github.com/sessionkit/session/store"
	"github.com/sessionkit/session/storetest"
)

func TestCompliance(t *testing.T) {
	t.Parallel()
	pool := testPool(t, "")
	storetest.Run(t, func(t *testing.T) store.Store {
		return newStore(t, pool, Options{})
	})
}

func TestComplianceCreateTableIfMissing(t *testing.T) {
	t.Parallel()
	pool := testPool(t, "")
	storetest.Run(t, func(t *testing.T) store.Store {
		s := New(pool, Options{TableName: uniqueName("pgstore_lazy_"), CreateTableIfMissing: true})
		t.Cleanup(func() { s.Close() })
		dropLater(t, pool, s.Table())
		return s
	})
}
