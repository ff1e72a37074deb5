package redisstore

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sessionkit/session/store"
)

// interopStore is what the cross-check does to both implementations.
type interopStore interface {
	store.Store
	store.Toucher
	store.Counter
}

// TestNodeInterop runs the same operations through connect-redis (in
// Node) and through this store, on two prefixes of the same server, step
// by step, and checks that
//   - the server received the same commands from both (MONITOR),
//   - the keys hold the same bytes with the same TTL after every step, and
//   - each reads what the other wrote.
func TestNodeInterop(t *testing.T) {
	c := newTestClient(t)
	check := singleConnClient(t)
	in, out := startNode(t)
	for _, tc := range []struct {
		name string
		goO  Options
		node map[string]any
	}{
		{"Defaults", Options{}, map[string]any{}},
		{"TTL", Options{TTL: 5 * time.Second}, map[string]any{"ttl": 5}},
		{"DisableTouch", Options{DisableTouch: true}, map[string]any{"disableTouch": true}},
		{"DisableTTL", Options{DisableTTL: true}, map[string]any{"disableTTL": true}},
		{"ScanCount", Options{ScanCount: 7}, map[string]any{"scanCount": 7}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pn, pg := testPrefix(), testPrefix()
			node := &nodeStore{t: t, prefix: pn, options: tc.node, in: in, out: out}
			gn := tc.goO
			gn.Prefix = pg
			goS := newTestStore(t, c, gn)
			gn.Prefix = pn
			goOnNode := newTestStore(t, c, gn) // Go reading Node's keys
			nodeOnGo := &nodeStore{t: t, prefix: pg, options: tc.node, in: in, out: out}
			mon := startMonitor(t, check, pn, pg)
			interopSteps(t, check, [2]interopStore{node, goS}, [2]string{pn, pg}, goOnNode, nodeOnGo)
			cmds := mon.commands(t, c)
			if !slices.Equal(cmds[pn], cmds[pg]) || len(cmds[pn]) == 0 {
				t.Errorf("commands differ\nconnect-redis:\n\t%s\nredisstore:\n\t%s",
					joinLines(cmds[pn]), joinLines(cmds[pg]))
			}
		})
	}
}

// interopSteps makes each step on both stores, Node first, then checks
// that the keys agree.
func interopSteps(t *testing.T, c *redis.Client, both [2]interopStore, prefixes [2]string, goOnNode *Store, nodeOnGo *nodeStore) {
	ctx := context.Background()
	a, b, d, gone := rand32(), rand32(), rand32(), rand32()
	each := func(what string, f func(s interopStore) error) {
		t.Helper()
		for _, s := range both {
			if err := f(s); err != nil {
				t.Fatalf("%s: %T: %v", what, s, err)
			}
		}
		compareKeys(t, c, what, prefixes, a, b, d, gone)
	}
	// Expiries half a second off whole seconds, so that the moments the
	// two sides compute the TTL at round to the same number.
	soon := func(d time.Duration) time.Time { return time.Now().Add(d + 500*time.Millisecond) }
	expA := soon(time.Hour)
	each("set with an expiry", func(s interopStore) error { return s.Set(ctx, a, record(expA, "bob"), expA) })
	each("set without expiry", func(s interopStore) error { return s.Set(ctx, b, record(time.Time{}, "carol"), time.Time{}) })
	later := soon(2 * time.Hour)
	each("touch", func(s interopStore) error { return s.Touch(ctx, a, record(later, "mallory"), later) })
	each("touch without expiry", func(s interopStore) error { return s.Touch(ctx, b, record(time.Time{}, "x"), time.Time{}) })
	past := time.Now().Add(-2 * time.Second)
	each("set already expired", func(s interopStore) error { return s.Set(ctx, gone, record(past, "dave"), past) })
	expD := soon(time.Minute)
	each("set to touch into the past", func(s interopStore) error { return s.Set(ctx, d, record(expD, "erin"), expD) })
	past = time.Now().Add(-1500 * time.Millisecond)
	each("touch into the past", func(s interopStore) error { return s.Touch(ctx, d, record(past, "erin"), past) })
	each("get", func(s interopStore) error {
		got, found, err := s.Get(ctx, a)
		if err == nil && (!found || !bytes.Equal(got, record(expA, "bob"))) {
			err = fmt.Errorf("Get = %s, %v; want the record set", got, found)
		}
		return err
	})
	crossRead(t, goOnNode, nodeOnGo, a, record(expA, "bob"))
	var lens []int
	each("length", func(s interopStore) error {
		n, err := s.Len(ctx)
		lens = append(lens, n)
		return err
	})
	if lens[0] != lens[1] || lens[0] < 2 {
		t.Errorf("Len = %d (connect-redis), %d (redisstore); want the same, at least 2", lens[0], lens[1])
	}
	each("destroy", func(s interopStore) error { return s.Destroy(ctx, b) })
}

// singleConnClient returns a client with one connection, whose commands a
// monitor can tell apart.
func singleConnClient(t *testing.T) *redis.Client {
	opt, _ := redis.ParseURL(redisURL())
	opt.PoolSize, opt.MaxIdleConns = 1, 1
	c := redis.NewClient(opt)
	t.Cleanup(func() { c.Close() })
	return c
}

// crossRead: Go reads the record Node wrote and Node the one Go wrote.
func crossRead(t *testing.T, goOnNode *Store, nodeOnGo *nodeStore, id string, want []byte) {
	t.Helper()
	for _, s := range []store.Store{goOnNode, nodeOnGo} {
		if got, found, err := s.Get(context.Background(), id); err != nil || !found || !bytes.Equal(got, want) {
			t.Errorf("%T reading the other's record: %s, %v, %v; want %s", s, got, found, err, want)
		}
	}
}

// compareKeys checks that the two prefixes' keys of each ID hold the same
// bytes and about the same TTL.
func compareKeys(t *testing.T, c *redis.Client, after string, prefixes [2]string, ids ...string) {
	t.Helper()
	for _, id := range ids {
		var vals [2]string
		var ttls [2]time.Duration
		for i, p := range prefixes {
			vals[i], _ = c.Get(bg(), p+id).Result()
			ttls[i] = pttl(t, c, p+id)
		}
		if vals[0] != vals[1] {
			t.Errorf("after %s: key of %s holds\n\t%q (connect-redis)\n\t%q (redisstore)", after, id, vals[0], vals[1])
		}
		if diff := (ttls[0] - ttls[1]).Abs(); (ttls[0] < 0 || ttls[1] < 0) && ttls[0] != ttls[1] || diff > time.Second {
			t.Errorf("after %s: PTTL of %s = %v (connect-redis), %v (redisstore)", after, id, ttls[0], ttls[1])
		}
	}
}

func joinLines(lines []string) string {
	var b bytes.Buffer
	for i, l := range lines {
		if i > 0 {
			b.WriteString("\n\t")
		}
		if len(l) > 160 {
			l = l[:160] + "…"
		}
		b.WriteString(l)
	}
	return b.String()
}
