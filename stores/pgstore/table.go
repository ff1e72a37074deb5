package pgstore

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// CreateTable creates the store's table and its expire index when the
// table does not exist, as connect-pg-simple's createTableIfMissing does:
// the columns of its table.sql, with the primary key and the index
// (IDX_<table>_expire) named after the table so that several tables can
// share a schema. Instances creating the table at the same moment do not
// fail. Call it at start-up to fail early; with
// [Options.CreateTableIfMissing] the store calls it before its first
// statement.
func (s *Store) CreateTable(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return wrap(ctx, "create table", err)
	}
	if err := s.createTable(ctx); err != nil {
		return wrap(ctx, "create table", err)
	}
	s.tableReady.Store(true)
	return nil
}

// ensureTable creates the table once, for CreateTableIfMissing. A failure
// is not remembered (Node caches it forever): the next call tries again.
func (s *Store) ensureTable(ctx context.Context) error {
	if !s.cfg.createTable || s.tableReady.Load() {
		return nil
	}
	select {
	case s.tableSem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.tableSem }()
	if s.tableReady.Load() {
		return nil
	}
	if err := s.createTable(ctx); err != nil {
		return err
	}
	s.tableReady.Store(true)
	return nil
}

// createTable checks for the table first, as Node does, so that a role
// without CREATE on the schema can use an existing table.
func (s *Store) createTable(ctx context.Context) error {
	for attempt := 1; ; attempt++ {
		err := s.tryCreateTable(ctx)
		if err == nil || attempt == 3 || !createRace(err) {
			return err
		}
	}
}

func (s *Store) tryCreateTable(ctx context.Context) error {
	var exists bool
	if err := s.pool.QueryRow(ctx, s.sql.exists, s.Table()).Scan(&exists); err != nil || exists {
		return err
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, s.sql.createTable); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, s.sql.createIdx)
		return err
	})
}

// createRace reports whether err is what CREATE ... IF NOT EXISTS gives
// when another session created the same object at the same moment: the
// check passed in both, and the catalog's unique index caught the second.
func createRace(err error) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return false
	}
	switch pgErr.Code {
	case "23505", "42P07", "42710": // unique_violation, duplicate_table, duplicate_object
		return true
	}
	return false
}
