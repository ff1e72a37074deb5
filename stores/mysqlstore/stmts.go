package mysqlstore

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"sync/atomic"
)

// errClosed is returned by calls made after Close.
var errClosed = errors.New("store is closed")

// statements prepares each statement on first use and keeps it, so that a
// call is one round trip to the server instead of the driver's prepare,
// execute and close. Preparing lazily lets New succeed without a server
// when it has no table to create, and a failed prepare (server down) is
// simply tried again by the next call. database/sql re-prepares a kept
// statement on every new connection by itself, also after reconnecting.
type statements struct {
	db   *sql.DB
	text [numQueries]string
	stmt [numQueries]atomic.Pointer[sql.Stmt]

	mu     sync.Mutex // serialises storing and closing
	closed bool
}

func newStatements(db *sql.DB, text [numQueries]string) *statements {
	return &statements{db: db, text: text}
}

// get returns the prepared statement q, preparing it if needed.
func (s *statements) get(ctx context.Context, q query) (*sql.Stmt, error) {
	if st := s.stmt[q].Load(); st != nil {
		return st, nil
	}
	if s.isClosed() {
		return nil, errClosed
	}
	st, err := s.db.PrepareContext(ctx, s.text[q])
	if err != nil {
		return nil, err
	}
	return s.keep(q, st)
}

// keep stores a freshly prepared statement, unless another call stored
// one first or the store was closed meanwhile.
func (s *statements) keep(q query, st *sql.Stmt) (*sql.Stmt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		st.Close()
		return nil, errClosed
	}
	if cur := s.stmt[q].Load(); cur != nil {
		st.Close()
		return cur, nil
	}
	s.stmt[q].Store(st)
	return st, nil
}

// close releases every prepared statement; later calls fail with
// errClosed (a closed *sql.Stmt says "statement is closed").
func (s *statements) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	for i := range s.stmt {
		if st := s.stmt[i].Swap(nil); st != nil {
			st.Close()
		}
	}
}

func (s *statements) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}
