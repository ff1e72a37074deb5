package mysqlstore

import (
	"context"
	"database/sql"
	"errors"
	"sync"

	"github.com/sessionkit/session/store"
)

// Store is a session store on a MySQL or MariaDB table. It implements
// store.Store, store.Toucher, store.Lister, store.Counter, store.Clearer
// and io.Closer, and is safe for concurrent use.
type Store struct {
	opts  Options
	stmts *statements

	stopPruning context.CancelFunc
	pruned      chan struct{} // closed when the pruner has returned
	closeOnce   sync.Once
}

var (
	_ store.Store   = (*Store)(nil)
	_ store.Toucher = (*Store)(nil)
	_ store.Lister  = (*Store)(nil)
	_ store.Counter = (*Store)(nil)
	_ store.Clearer = (*Store)(nil)
)

// New returns a store on db, which must have been opened with the
// github.com/go-sql-driver/mysql driver. Unless o.DisableCreateDatabaseTable
// is set it creates the table if it does not exist, within ctx; otherwise it
// does not contact the server. Unless o.DisableClearExpired is set it starts
// deleting expired rows in the background until Close.
func New(ctx context.Context, db *sql.DB, o Options) (*Store, error) {
	if db == nil {
		return nil, errors.New("mysqlstore: new: nil *sql.DB")
	}
	o = o.withDefaults()
	if !o.DisableCreateDatabaseTable {
		if err := createTable(ctx, db, o); err != nil {
			return nil, opError(ctx, "create table", err)
		}
	}
	s := &Store{opts: o, stmts: newStatements(db, buildQueries(o))}
	if !o.DisableClearExpired {
		s.startPruning()
	}
	return s, nil
}

// Close stops the background deletion of expired rows, waiting for one
// that is running to be canceled, and releases the prepared statements.
// It does not close the *sql.DB. Calls made after Close fail. Close is
// idempotent and always returns nil.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		if s.stopPruning != nil {
			s.stopPruning()
			<-s.pruned
		}
		s.stmts.close()
	})
	return nil
}

// exec runs the write statement q.
func (s *Store) exec(ctx context.Context, q query, args ...any) (sql.Result, error) {
	st, err := s.stmts.get(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}
