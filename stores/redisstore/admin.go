package redisstore

import (
	"context"
	"errors"
	"sync"

	"github.com/redis/go-redis/v9"
)

// All returns every live session, keyed by session ID, as Get would return
// it. It scans the whole database (see the package README for the cost)
// and reads each page of keys with one pipeline of GETs, which, unlike
// connect-redis's single MGET, works across the slots of a Cluster. Unlike
// connect-redis's all, it does not add an "id" property to the records.
func (s *Store) All(ctx context.Context) (map[string][]byte, error) {
	var (
		mu  sync.Mutex
		all = map[string][]byte{}
	)
	err := s.do(ctx, "all", func(ctx context.Context) error {
		return s.scan(ctx, func(ctx context.Context, keys []string) error {
			vals, err := s.getEach(ctx, keys)
			mu.Lock()
			defer mu.Unlock()
			for i, v := range vals {
				if v != "" { // expired or deleted since the SCAN, or empty
					all[keys[i][len(s.prefix):]] = []byte(v)
				}
			}
			return err
		})
	})
	if err != nil {
		return nil, err
	}
	return all, nil
}

// getEach returns the values of keys ("" for a missing key).
func (s *Store) getEach(ctx context.Context, keys []string) ([]string, error) {
	cmds := make([]*redis.StringCmd, len(keys))
	_, _ = s.client.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, k := range keys {
			cmds[i] = p.Get(ctx, k)
		}
		return nil
	})
	vals := make([]string, len(keys))
	for i, c := range cmds {
		v, err := c.Result()
		if err != nil && !errors.Is(err, redis.Nil) {
			return nil, err
		}
		vals[i] = v
	}
	return vals, nil
}

// Len returns the number of sessions, counting keys as connect-redis's
// length does: with the SCAN loop alone. Redis leaves expired keys out of
// SCAN's answers.
func (s *Store) Len(ctx context.Context) (int, error) {
	var (
		mu sync.Mutex
		n  int
	)
	err := s.do(ctx, "len", func(ctx context.Context) error {
		return s.scan(ctx, func(_ context.Context, keys []string) error {
			mu.Lock()
			n += len(keys)
			mu.Unlock()
			return nil
		})
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// Clear deletes every session: the keys the scan finds, a page at a time,
// with one pipeline of single-key DELs (never a multi-key DEL, which a
// Cluster would refuse across slots).
func (s *Store) Clear(ctx context.Context) error {
	return s.do(ctx, "clear", func(ctx context.Context) error {
		return s.scan(ctx, func(ctx context.Context, keys []string) error {
			_, err := s.client.Pipelined(ctx, func(p redis.Pipeliner) error {
				for _, k := range keys {
					p.Del(ctx, k)
				}
				return nil
			})
			return err
		})
	})
}
