package mysqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Get returns the record stored under id, unless its expires column has
// passed (expires < Math.round(now in seconds), as Node decides). A row
// whose data is NULL is not found, as in Node.
func (s *Store) Get(ctx context.Context, id string) ([]byte, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, false, opError(ctx, "get", err)
	}
	st, err := s.stmts.get(ctx, qGet)
	if err != nil {
		return nil, false, opError(ctx, "get", err)
	}
	var data sql.Null[[]byte]
	err = st.QueryRowContext(ctx, id, nowSeconds(time.Now())).Scan(&data)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, false, nil
	case err != nil:
		return nil, false, opError(ctx, "get", err)
	case !data.Valid:
		return nil, false, nil
	}
	return data.V, true, nil // Scan copied it out of the driver's buffer
}

// Set stores data under id with expires rounded to the nearest second, or
// now plus Options.Expiration when expires is zero. An expiry that has
// passed is stored as such (as Node does); Get does not return it.
func (s *Store) Set(ctx context.Context, id string, data []byte, expires time.Time) error {
	if err := ctx.Err(); err != nil {
		return opError(ctx, "set", err)
	}
	exp := expiresColumn(expires, time.Now(), s.opts.Expiration)
	if data == nil {
		data = []byte{} // the driver sends a nil slice as NULL
	}
	if _, err := s.exec(ctx, qSet, id, exp, data); err != nil {
		return opError(ctx, "set", err)
	}
	return nil
}

// Touch moves the expires column of a live record to expires (or now plus
// Options.Expiration when zero) without rewriting its data, as Node does.
// A missing or expired record is left alone. With Options.DisableTouch it
// does nothing.
func (s *Store) Touch(ctx context.Context, id string, _ []byte, expires time.Time) error {
	if err := ctx.Err(); err != nil {
		return opError(ctx, "touch", err)
	}
	if s.opts.DisableTouch {
		return nil
	}
	now := time.Now()
	exp := expiresColumn(expires, now, s.opts.Expiration)
	if _, err := s.exec(ctx, qTouch, exp, id, nowSeconds(now)); err != nil {
		return opError(ctx, "touch", err)
	}
	return nil
}

// Destroy deletes the record stored under id, if any.
func (s *Store) Destroy(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return opError(ctx, "destroy", err)
	}
	if _, err := s.exec(ctx, qDestroy, id); err != nil {
		return opError(ctx, "destroy", err)
	}
	return nil
}
