package redisstore

import (
	"context"
	"errors"
	"fmt"
)

// do runs fn, which talks to Redis, as the operation op, and returns its
// error named after the store and op.
//
// go-redis does not interrupt a command when its context is canceled, and
// unless the client was built with ContextTimeoutEnabled it does not apply
// the context's deadline to the socket either: a stalled server would hold
// the caller until the client's own ReadTimeout. So for a context that can
// end, fn runs in its own goroutine and do returns as soon as the context
// is done; fn then finishes in the background, bounded by the client's
// timeouts. A context that is already done sends nothing.
func (s *Store) do(ctx context.Context, op string, fn func(context.Context) error) error {
	if err := ctx.Err(); err != nil {
		return opError(op, err)
	}
	if ctx.Done() == nil { // context.Background and the like never end
		return result(ctx, op, fn(ctx))
	}
	done := make(chan error, 1)
	go func() { done <- fn(ctx) }()
	select {
	case err := <-done:
		return result(ctx, op, err)
	case <-ctx.Done():
		return opError(op, ctx.Err())
	}
}

// result names err after op, and makes it wrap the context's error when
// the context ended during the call, since go-redis then reports only a
// socket timeout.
func result(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("redisstore: %s: %w: %w", op, cerr, err)
	}
	return opError(op, err)
}

func opError(op string, err error) error {
	return fmt.Errorf("redisstore: %s: %w", op, err)
}
