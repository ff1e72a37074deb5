package main

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/sessionkit/session/store"
	"github.com/sessionkit/session/stores/pgstore"
)

func init() {
	openers["postgres"] = openPostgres
	openers["postgresql"] = openPostgres
}

// pgTable is what the reference app accepts as a table name.
var pgTable = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,62}$`)

// openPostgres opens postgres://USER@HOST:PORT/DB?table=T (CONTRACT.md §3)
// as the reference app does: the table parameter (default "session")
// removed from the URL the driver sees, the table and its
// IDX_<table>_expire index created if missing, and no pruning
// (pruneSessionInterval: false).
func openPostgres(raw string) (store.Store, error) {
	connURL, table, err := parsePostgresURL(raw)
	if err != nil {
		return nil, err
	}
	cfg, err := pgxpool.ParseConfig(connURL)
	if err != nil {
		return nil, fmt.Errorf("SESSION_STORE %q: %w", raw, err)
	}
	cfg.MaxConns = 5 // the reference's pg.Pool max
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	s := pgstore.New(pool, pgstore.Options{TableName: table, PruneSessionInterval: -1})
	if err := s.CreateTable(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return ownedPG{s, pool}, nil
}

// parsePostgresURL splits SESSION_STORE into the driver's URL and the table.
func parsePostgresURL(raw string) (connURL, table string, err error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", "", fmt.Errorf("bad SESSION_STORE %q: %w", raw, err)
	}
	q := u.Query()
	table = q.Get("table")
	if table == "" {
		table = pgstore.DefaultTableName
	}
	if !pgTable.MatchString(table) {
		return "", "", fmt.Errorf("table name must match [A-Za-z_][A-Za-z0-9_]*: %s", table)
	}
	q.Del("table")
	u.RawQuery = q.Encode()
	return u.String(), table, nil
}

// ownedPG is the store with the pool the app opened for it, closed with it.
type ownedPG struct {
	*pgstore.Store
	pool *pgxpool.Pool
}

func (o ownedPG) Close() error {
	err := o.Store.Close()
	o.pool.Close()
	return err
}
