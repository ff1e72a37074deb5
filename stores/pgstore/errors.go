package pgstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
)

// do runs the statement f of operation op: it refuses a done context
// before anything is sent, creates the table first when configured to,
// sends f again when the pooled connection turned out to be dead, and
// names the store and op in the error.
func (s *Store) do(ctx context.Context, op string, f func() error) error {
	if err := ctx.Err(); err != nil {
		return wrap(ctx, op, err)
	}
	if err := s.ensureTable(ctx); err != nil {
		return wrap(ctx, op, fmt.Errorf("create table: %w", err))
	}
	err := f()
	if err != nil && ctx.Err() == nil && connectionLost(err) {
		err = s.retry(ctx, f)
	}
	if err != nil {
		return wrap(ctx, op, err)
	}
	return nil
}

// wrap names the store and op, and makes sure the error wraps the
// context's error when the context is the reason for it.
func wrap(ctx context.Context, op string, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("pgstore: %s: %w (%w)", op, cerr, err)
	}
	return fmt.Errorf("pgstore: %s: %w", op, err)
}

// connectionLost reports whether err means that the connection the
// statement was sent on had died: the server was restarted or ended the
// backend (pg_terminate_backend), or the socket broke.
func connectionLost(err error) bool {
	if pgconn.SafeToRetry(err) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "57P01", "57P02": // admin_shutdown, crash_shutdown
			return true
		}
		return false
	}
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// retry sends a statement again after it met a dead connection. Every
// statement of the store is idempotent (absolute values, upserts,
// deletes), so that is safe. The pool drops each dead connection it hands
// out; after a server restart every connection used in the last second is
// dead (the pool pings older ones), hence up to a try per connection.
func (s *Store) retry(ctx context.Context, f func() error) error {
	tries := min(int(s.pool.Stat().MaxConns()), 16)
	var err error
	for range tries {
		if err = f(); err == nil || ctx.Err() != nil || !connectionLost(err) {
			break
		}
	}
	return err
}
