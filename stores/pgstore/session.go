package pgstore

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// Get returns the record of session id while its expire column has not
// passed. The record's own cookie.expires is not looked at: a touch moves
// only the column.
func (s *Store) Get(ctx context.Context, id string) ([]byte, bool, error) {
	var data []byte
	err := s.do(ctx, "get", func() error {
		data = nil
		err := s.pool.QueryRow(ctx, s.sql.get, id, nowSeconds(time.Now())).Scan(&data)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		return err
	})
	if err != nil || data == nil {
		return nil, false, err
	}
	return data, true, nil
}

// Set stores data, unchanged, as the record of session id, with expire
// computed from expires, or from [Options.TTL] when expires is zero. A
// record whose expiry has passed is stored too, as Node does; it is never
// returned and is pruned later.
func (s *Store) Set(ctx context.Context, id string, data []byte, expires time.Time) error {
	expire := expireSeconds(expires, time.Now(), s.cfg.ttl)
	return s.do(ctx, "set", func() error {
		_, err := s.pool.Exec(ctx, s.sql.set, data, expire, id)
		return err
	})
}

// Touch moves the expire column of a live session id as Set would compute
// it, leaving the record as it is. It does nothing with
// [Options.DisableTouch], or when the record is missing or has expired
// (unlike connect-pg-simple, which would revive an expired row not yet
// pruned).
func (s *Store) Touch(ctx context.Context, id string, _ []byte, expires time.Time) error {
	if s.cfg.disableTouch {
		if err := ctx.Err(); err != nil {
			return wrap(ctx, "touch", err)
		}
		return nil
	}
	now := time.Now()
	expire := expireSeconds(expires, now, s.cfg.ttl)
	return s.do(ctx, "touch", func() error {
		_, err := s.pool.Exec(ctx, s.sql.touch, expire, id, nowSeconds(now))
		return err
	})
}

// Destroy deletes the record of session id, if any.
func (s *Store) Destroy(ctx context.Context, id string) error {
	return s.do(ctx, "destroy", func() error {
		_, err := s.pool.Exec(ctx, s.sql.destroy, id)
		return err
	})
}
