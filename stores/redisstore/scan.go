package redisstore

import (
	"context"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"
)

// scan calls fn with each page of the store's keys, found with SCAN cursor
// MATCH pattern COUNT ScanCount until the cursor is 0, as connect-redis
// does. SCAN walks the whole database (MATCH only filters), so this costs
// about (keys in the database) / ScanCount round trips. On a Cluster it
// scans every master, on a Ring every shard, at the same time: fn may run
// concurrently. Each key is passed once, although SCAN may repeat keys.
func (s *Store) scan(ctx context.Context, fn func(ctx context.Context, keys []string) error) error {
	seen := &keySet{prefix: s.prefix, seen: map[string]struct{}{}}
	node := func(ctx context.Context, c *redis.Client) error {
		return s.scanNode(ctx, c, seen, fn)
	}
	switch c := s.client.(type) {
	case *redis.ClusterClient:
		return c.ForEachMaster(ctx, node)
	case *redis.Ring:
		return c.ForEachShard(ctx, node)
	}
	return s.scanNode(ctx, s.client, seen, fn)
}

func (s *Store) scanNode(ctx context.Context, c redis.Cmdable, seen *keySet, fn func(context.Context, []string) error) error {
	var cursor uint64
	for {
		keys, next, err := c.Scan(ctx, cursor, s.pattern, s.scanCount).Result()
		if err != nil {
			return err
		}
		if keys = seen.fresh(keys); len(keys) > 0 {
			if err := fn(ctx, keys); err != nil {
				return err
			}
		}
		if next == 0 {
			return nil
		}
		cursor = next
	}
}

// keySet de-duplicates the keys of one scan across pages and nodes.
type keySet struct {
	prefix string
	mu     sync.Mutex
	seen   map[string]struct{}
}

// fresh returns the keys of page not seen before, reusing page's array.
func (k *keySet) fresh(page []string) []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	out := page[:0]
	for _, key := range page {
		if _, dup := k.seen[key]; dup || !strings.HasPrefix(key, k.prefix) {
			continue
		}
		k.seen[key] = struct{}{}
		out = append(out, key)
	}
	return out
}

// globEscape quotes the characters SCAN's MATCH pattern treats specially,
// so that a prefix such as "app[1]:" matches only itself. (connect-redis
// does not, so there such a prefix selects other keys too.)
func globEscape(s string) string {
	if !strings.ContainsAny(s, `*?[]\`) {
		return s
	}
	b := make([]byte, 0, 2*len(s))
	for i := 0; i < len(s); i++ { // bytes, not runes: keys need not be UTF-8
		if strings.IndexByte(`*?[]\`, s[i]) >= 0 {
			b = append(b, '\\')
		}
		b = append(b, s[i])
	}
	return string(b)
}
