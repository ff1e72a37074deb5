package redisstore

import (
	"testing"

	"github.com/sessionkit/session/store"
	"github.com/sessionkit/session/storetest"
)

func TestCompliance(t *testing.T) {
	c := newTestClient(t)
	storetest.Run(t, func(t *testing.T) store.Store {
		return newTestStore(t, c, Options{})
	})
}
