package mysqlstore

import (
	"testing"

	"github.com/sessionkit/session/store"
	"github.com/sessionkit/session/storetest"
)

func TestCompliance(t *testing.T) {
	db := testDB(t)
	storetest.Run(t, func(t *testing.T) store.Store {
		return newTestStore(t, db, Options{})
	})
}
