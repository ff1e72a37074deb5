package pgstore

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/sessionkit/session/store"
)

// Store is a session store on a PostgreSQL table in connect-pg-simple's
// layout. It implements [store.Store], [store.Toucher], [store.Lister],
// [store.Counter], [store.Clearer] and io.Closer, and is safe for
// concurrent use.
type Store struct {
	pool *pgxpool.Pool
	cfg  config
	sql  statements

	tableReady atomic.Bool   // the table is known to exist
	tableSem   chan struct{} // one creation attempt at a time

	stopPrune context.CancelFunc
	pruneDone chan struct{}
	closeOnce sync.Once
}

var (
	_ store.Store   = (*Store)(nil)
	_ store.Toucher = (*Store)(nil)
	_ store.Lister  = (*Store)(nil)
	_ store.Counter = (*Store)(nil)
	_ store.Clearer = (*Store)(nil)
)

// New returns a store keeping its sessions in pool's database, and starts
// pruning expired rows in the background unless o disables it. The pool
// stays the caller's: [Store.Close] does not close it.
func New(pool *pgxpool.Pool, o Options) *Store {
	cfg := o.config()
	s := &Store{
		pool:     pool,
		cfg:      cfg,
		sql:      newStatements(cfg.schema, cfg.table),
		tableSem: make(chan struct{}, 1),
	}
	s.startPruning()
	return s
}

// Close stops background pruning and waits for a prune in progress to
// end. It does not close the pool, and the store stays usable (as
// connect-pg-simple's close). Calling it again does nothing.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		if s.stopPrune != nil {
			s.stopPrune()
			<-s.pruneDone
		}
	})
	return nil
}

// Table returns the quoted, schema-qualified table name the store uses in
// its SQL, as connect-pg-simple's quotedTable().
func (s *Store) Table() string { return quote(s.cfg.schema, s.cfg.table) }
