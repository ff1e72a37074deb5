package redisstore

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"
)

// Touch moves the key's expiry with EXPIRE key ttl, the lifetime computed
// from the new expiry as Set does, and leaves the stored JSON as it is, as
// connect-redis does (so a touch cannot undo a concurrent save). EXPIRE
// does nothing to a missing or expired key, and a lifetime that is not
// positive makes Redis delete the key. With DisableTouch or DisableTTL it
// does nothing.
func (s *Store) Touch(ctx context.Context, id string, data []byte, expires time.Time) error {
	if err := ctx.Err(); err != nil {
		return opError("touch", err)
	}
	if s.disableTouch || s.disableTTL {
		return nil
	}
	ttl := s.ttl(data, expires)
	return s.do(ctx, "touch", func(ctx context.Context) error {
		return s.client.Process(ctx, redis.NewIntCmd(ctx, "expire", s.key(id), ttl))
	})
}
