package redisstore

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sessionkit/session/store"
	"github.com/sessionkit/session/storetest"
)

// TestCluster runs the compliance suite and the SCAN-based listing on a
// real three-master Redis Cluster started for the test.
func TestCluster(t *testing.T) {
	addrs := startCluster(t)
	c := newClusterClient(t, addrs)
	t.Run("Compliance", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) store.Store {
			return newTestStore(t, c, Options{})
		})
	})
	t.Run("AllSlots", func(t *testing.T) { clusterAllSlots(t, c) })
}

// clusterAllSlots spreads sessions over every master and checks that All,
// Len and Clear see all of them (connect-redis's single MGET or DEL would
// fail here with CROSSSLOT).
func clusterAllSlots(t *testing.T, c *redis.ClusterClient) {
	s := newTestStore(t, c, Options{ScanCount: 10})
	exp := time.Now().Add(time.Minute)
	want := map[string]string{}
	for i := range 300 {
		id := fmt.Sprintf("id%03d", i)
		want[id] = string(record(exp, id))
		if err := s.Set(bg(), id, []byte(want[id]), exp); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	perMaster := map[string]int{}
	err := c.ForEachMaster(bg(), func(ctx context.Context, n *redis.Client) error {
		keys, _, err := n.Scan(ctx, 0, globEscape(s.prefix)+"*", 1000).Result()
		mu.Lock() // ForEachMaster visits the nodes at the same time
		defer mu.Unlock()
		if len(keys) > 0 {
			perMaster[n.Options().Addr] = len(keys)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(perMaster) != 3 {
		t.Fatalf("sessions on %d masters, want all 3: %v", len(perMaster), perMaster)
	}
	checkListing(t, s, want)
	if err := s.Clear(bg()); err != nil {
		t.Fatal(err)
	}
	checkListing(t, s, map[string]string{})
}
