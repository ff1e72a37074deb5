package redisstore

import (
	"bytes"
	"context"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sessionkit/session/store"
)

// Store is a session store in Redis with connect-redis's layout. It is safe
// for concurrent use.
type Store struct {
	client       redis.UniversalClient
	prefix       string
	pattern      string // SCAN MATCH pattern for every key of the store
	defaultTTL   int64  // seconds
	ttlFunc      func(data []byte, expires time.Time) time.Duration
	disableTouch bool
	disableTTL   bool
	scanCount    int64
	now          func() time.Time // the clock, replaced by tests
}

var (
	_ store.Store   = (*Store)(nil)
	_ store.Toucher = (*Store)(nil)
	_ store.Lister  = (*Store)(nil)
	_ store.Counter = (*Store)(nil)
	_ store.Clearer = (*Store)(nil)
)

// New returns a store that keeps sessions through client. The client stays
// the caller's: Close does not close it. New panics if client is nil.
//
// Build the client with ContextTimeoutEnabled so that it also stops a
// command whose deadline passes; the store returns at the deadline either
// way, but the command would otherwise go on until ReadTimeout.
func New(client redis.UniversalClient, o Options) *Store {
	if client == nil {
		panic("redisstore: New with a nil client")
	}
	prefix := o.prefix()
	return &Store{
		client:       client,
		prefix:       prefix,
		pattern:      globEscape(prefix) + "*",
		defaultTTL:   o.ttlSeconds(),
		ttlFunc:      o.TTLFunc,
		disableTouch: o.DisableTouch,
		disableTTL:   o.DisableTTL,
		scanCount:    o.scanCount(),
		now:          time.Now,
	}
}

func (s *Store) key(id string) string { return s.prefix + id }

// Get returns the record of id. A missing key, or an empty value (which
// connect-redis also reads as no session), is not found; Redis has already
// dropped the key if it expired.
func (s *Store) Get(ctx context.Context, id string) ([]byte, bool, error) {
	var data []byte
	err := s.do(ctx, "get", func(ctx context.Context) error {
		val, err := s.client.Get(ctx, s.key(id)).Result()
		if err != nil {
			return err
		}
		// A copy: go-redis's Bytes would alias the reply string, which a
		// client-side cache may share, and the caller may modify the slice.
		data = []byte(val)
		return nil
	})
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	}
	if err != nil || len(data) == 0 {
		return nil, false, err
	}
	return data, true, nil
}

// Set stores data under id with connect-redis's commands: SET key data EX
// ttl, plain SET with DisableTTL, and DEL when the lifetime is not positive
// (the cookie has already expired).
func (s *Store) Set(ctx context.Context, id string, data []byte, expires time.Time) error {
	ttl := s.ttl(data, expires)
	if ttl <= 0 {
		return s.del(ctx, "set", id)
	}
	args := []any{"set", s.key(id), data, "ex", ttl}
	if s.disableTTL {
		args = args[:3]
	}
	if ctx.Done() != nil {
		// The command may outlive the call (see do), the caller's slice may not.
		args[2] = bytes.Clone(data)
	}
	return s.do(ctx, "set", func(ctx context.Context) error {
		return s.client.Process(ctx, redis.NewStatusCmd(ctx, args...))
	})
}

// Destroy deletes the key of id.
func (s *Store) Destroy(ctx context.Context, id string) error {
	return s.del(ctx, "destroy", id)
}

func (s *Store) del(ctx context.Context, op, id string) error {
	return s.do(ctx, op, func(ctx context.Context) error {
		return s.client.Del(ctx, s.key(id)).Err()
	})
}

// Close does nothing and returns nil: Redis expires sessions itself, so the
// store has no background work, and the client belongs to the caller.
func (s *Store) Close() error { return nil }
