// Package sqlitestore is a session store in an SQLite database, wire
// compatible with connect-sqlite3 0.9.18 (the Node store for
// express-session): a Node app and a Go app with the same secret, the same
// database file and the same table share their sessions in both directions.
//
// It uses modernc.org/sqlite, a pure Go driver (no cgo), registered with
// database/sql as "sqlite".
//
// # Layout
//
// One table, created as connect-sqlite3 creates it, without declared types:
//
//	CREATE TABLE IF NOT EXISTS sessions (sid PRIMARY KEY, expired, sess)
//
// sid is the session ID (TEXT), sess the record, the session's JSON as
// express-session serialises it (TEXT), and expired the server-side expiry
// in epoch milliseconds, written as a REAL as node-sqlite3 binds it
// (1795444125992.0). A row is live while now <= expired; the JSON's
// cookie.expires is never looked at, and goes stale when a session is only
// touched.
//
// # Behaviour (connect-sqlite3's)
//
//   - Set writes the row with INSERT OR REPLACE; expired is the record's
//     expiry, or now + one day when it has none (a browser-session cookie)
//     or when that expiry is exactly now.
//   - Get returns the row only while now <= expired; an expired row is left
//     in place for the cleanup.
//   - Touch moves expired to the new expiry of a live row, without rewriting
//     the JSON, and only when the session has an expiry: a browser-session
//     record lives one day after its last Set however often it is used.
//   - Expired rows are deleted when the store is opened and then every
//     [Options.CleanupInterval] (24 hours).
//
// All and Len list and count only live rows (connect-sqlite3's all and
// length include expired ones).
//
// # Several processes
//
// Any number of processes, Node or Go, may share the file on one host. Every
// connection [Open] makes waits up to five seconds for another one's lock
// (busy_timeout(5000)), and gives up sooner when the call's context is done.
// Within one Store, the calls that SQLite would make wait for each other
// (writes, and in rollback-journal mode reads during a write) queue in Go,
// in order, instead of polling in SQLite's busy loop, whose sleeps grow to
// 100 ms.
//
// [Open] puts the database in write-ahead-log mode unless told otherwise
// ([Options.JournalMode]); connect-sqlite3 leaves it in SQLite's default
// rollback-journal mode. Both sides work in either mode, see JournalMode
// for the trade-off.
package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/sessionkit/session/store"
)

// Defaults, as in connect-sqlite3.
const (
	// DefaultTable is the table name when Options.Table is empty.
	DefaultTable = "sessions"

	// DefaultCleanupInterval is how often expired rows are deleted when
	// Options.CleanupInterval is zero.
	DefaultCleanupInterval = 24 * time.Hour

	// DefaultLifetime is how long a record without expiry is kept after
	// its last Set. connect-sqlite3 fixes it at one day.
	DefaultLifetime = 24 * time.Hour

	// BusyTimeout is how long the connections Open makes wait for a lock
	// held by another connection or process.
	BusyTimeout = 5 * time.Second
)

const oneDayMs = int64(DefaultLifetime / time.Millisecond)

// Options configures a Store. The zero value is connect-sqlite3's default
// configuration — table "sessions", in the file "./sessions" for [Open],
// expired rows deleted at open and every 24 hours — except that Open puts
// the database in WAL mode (see JournalMode).
type Options struct {
	// Table is the table's name, matching [A-Za-z_][A-Za-z0-9_]*. It is
	// created if missing. Default "sessions". (connect-sqlite3: table)
	Table string

	// DB is the database file's name, for Open called with an empty path.
	// Default: the table name, without extension, as in connect-sqlite3.
	// (connect-sqlite3: db)
	DB string

	// Dir is the directory of the database file, for Open called with an
	// empty path; it is created if missing. Default ".". (connect-sqlite3:
	// dir)
	Dir string

	// CleanupInterval is how often expired rows are deleted, in the
	// background; they are also deleted once when the store is opened.
	// 0 means 24 hours; negative means never (expired rows are still never
	// returned, and [Store.DeleteExpired] deletes them on demand).
	CleanupInterval time.Duration

	// JournalMode, if not empty, is set with PRAGMA journal_mode when the
	// store is opened: "wal" (write-ahead log) or one of the rollback
	// journal modes "delete" (SQLite's and connect-sqlite3's default),
	// "truncate" or "persist". Empty means "wal" for Open, and for New the
	// database's current mode, left as it is. (connect-sqlite3:
	// concurrentDb: true is "wal"; the default is "delete".)
	//
	// With WAL, readers do not wait for a writer and a write costs one
	// fsync instead of several; Open's connections then also use
	// synchronous=NORMAL, so a power cut (not a crash of the program) can
	// lose the last writes but never corrupts the file. WAL is a persistent
	// property of the file: every other program using it (a Node app, the
	// sqlite3 shell) uses WAL too, which node-sqlite3 and any SQLite since
	// 3.7 handle on the same host. It does not work on a network file
	// system, and the file alone is not a backup while the -wal file beside
	// it holds recent writes: back up with the sqlite3 ".backup" command or
	// VACUUM INTO.
	JournalMode string

	// Logger receives the errors of the background cleanup, at Warn level.
	// Default slog.Default().
	Logger *slog.Logger
}

// Store is a session store in an SQLite table. It implements
// [store.Store], [store.Toucher], [store.Lister], [store.Counter],
// [store.Clearer] and io.Closer. All methods are safe for concurrent use.
type Store struct {
	db    *sql.DB
	owned bool // Close closes db
	table string

	get, set, touch, destroy, all, count, clear, cleanup *sql.Stmt

	// mu serialises the calls of this Store that SQLite would make wait
	// for each other: writes, and in a rollback-journal mode every call
	// (a writer there locks readers out). They queue here, in order and
	// watching their context, instead of retrying in SQLite's busy loop.
	// Other processes are still waited for by the busy timeout.
	mu          chan struct{}
	serialReads bool   // not in WAL mode: reads take mu too
	journalMode string // the database's journal mode, once opened

	logger *slog.Logger

	closeOnce sync.Once
	stop      context.CancelFunc // ends the cleanup goroutine and its query
	done      chan struct{}      // closed when the cleanup goroutine returns
	closeErr  error
}

var (
	_ store.Store   = (*Store)(nil)
	_ store.Toucher = (*Store)(nil)
	_ store.Lister  = (*Store)(nil)
	_ store.Counter = (*Store)(nil)
	_ store.Clearer = (*Store)(nil)
)

// ValidTable reports whether name can be used as Options.Table: an SQL
// identifier matching [A-Za-z_][A-Za-z0-9_]*. (SQLite, for Node as for Go,
// still refuses a keyword such as "order" and a name starting with
// "sqlite_" when the table is created.)
func ValidTable(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '_', 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// New returns a store keeping its sessions in the table opts.Table of db,
// which must be a database/sql handle of an SQLite driver. It creates the
// table if it is missing and deletes its expired rows. Close does not close
// db.
//
// Give db's connections a busy timeout when other connections or processes
// write to the same file, as Open does: for modernc.org/sqlite, open it
// with "file.db?_pragma=busy_timeout(5000)". Without one, a write that
// meets another one's lock fails at once with SQLITE_BUSY.
func New(db *sql.DB, opts Options) (*Store, error) {
	if db == nil {
		return nil, errors.New("sqlitestore: new: nil *sql.DB")
	}
	if opts.DB != "" || opts.Dir != "" {
		return nil, errors.New("sqlitestore: new: Options.DB and Options.Dir only apply to Open")
	}
	s, err := newStore(db, opts)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: new: %w", err)
	}
	return s, nil
}

// Open opens (creating it and its directory if needed) the SQLite database
// file at path and returns a store keeping its sessions in the table
// opts.Table. Its connections wait up to five seconds for another
// connection's lock (busy_timeout(5000)). Close closes the database.
//
// An empty path means opts.Dir/opts.DB, by default "./sessions" as in
// connect-sqlite3 (give the file an extension with opts.DB or a path of
// your own). The path ":memory:" opens a private in-memory database, which
// is lost on Close.
func Open(path string, opts Options) (*Store, error) {
	if path != "" && (opts.DB != "" || opts.Dir != "") {
		return nil, fmt.Errorf("sqlitestore: open %q: give either a path or Options.DB and Options.Dir, not both", path)
	}
	if path == "" {
		name := opts.DB
		if name == "" {
			name = opts.Table
			if name == "" {
				name = DefaultTable
			}
		}
		dir := opts.Dir
		if dir == "" {
			dir = "."
		}
		path = filepath.Join(dir, name)
	}
	opts.DB, opts.Dir = "", ""
	// Validate the options before touching the file system.
	if opts.Table != "" && !ValidTable(opts.Table) {
		return nil, fmt.Errorf("sqlitestore: open %q: invalid table name %q (want [A-Za-z_][A-Za-z0-9_]*)", path, opts.Table)
	}
	if opts.JournalMode == "" {
		opts.JournalMode = "wal"
	}
	if !validJournalMode(strings.ToLower(opts.JournalMode)) {
		return nil, fmt.Errorf("sqlitestore: open %q: invalid journal mode %q (want wal, delete, truncate or persist)", path, opts.JournalMode)
	}

	memory := path == ":memory:"
	dsn := ":memory:"
	if !memory {
		abs, err := filepath.Abs(path)
		if err != nil {
			return nil, fmt.Errorf("sqlitestore: open %q: %w", path, err)
		}
		if fi, err := os.Stat(abs); err == nil && fi.IsDir() {
			return nil, fmt.Errorf("sqlitestore: open %q: is a directory, want a database file", path)
		}
		if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
			return nil, fmt.Errorf("sqlitestore: open %q: create directory: %w", path, err)
		}
		// Session IDs are credentials: a new file is readable by its owner
		// only (SQLite itself would create it 0644). The -wal and -shm files
		// take this file's permissions.
		f, err := os.OpenFile(abs, os.O_RDONLY|os.O_CREATE, 0o600)
		if err != nil {
			return nil, fmt.Errorf("sqlitestore: open %q: %w", path, err)
		}
		f.Close()
		// A file: URI, so that any character in the path ('?', '#', '%')
		// is escaped rather than read as the start of parameters.
		dsn = (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
		if !strings.HasPrefix(dsn, "file:///") {
			// A path without a leading slash (a Windows drive letter).
			dsn = "file:///" + strings.TrimPrefix(dsn, "file:")
		}
	}
	dsn += "?_pragma=busy_timeout(5000)"
	if strings.EqualFold(opts.JournalMode, "wal") {
		dsn += "&_pragma=synchronous(normal)"
	}

	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: open %q: %w", path, err)
	}
	if memory {
		// Every connection to :memory: is a database of its own: keep one.
		db.SetMaxOpenConns(1)
		db.SetConnMaxIdleTime(0)
		db.SetConnMaxLifetime(0)
	}
	s, err := newStore(db, opts)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlitestore: open %q: %w", path, err)
	}
	s.owned = true
	return s, nil
}

// newStore prepares the table and the statements and starts the cleanup.
func newStore(db *sql.DB, opts Options) (*Store, error) {
	table := opts.Table
	if table == "" {
		table = DefaultTable
	}
	if !ValidTable(table) {
		return nil, fmt.Errorf("invalid table name %q (want [A-Za-z_][A-Za-z0-9_]*)", table)
	}
	interval := opts.CleanupInterval
	if interval == 0 {
		interval = DefaultCleanupInterval
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	ctx := context.Background()

	mode, err := journalMode(ctx, db, opts.JournalMode)
	if err != nil {
		return nil, err
	}
	// connect-sqlite3's statement, byte for byte.
	if _, err := db.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS "+table+" (sid PRIMARY KEY, expired, sess)"); err != nil {
		return nil, fmt.Errorf("create table %s: %w", table, err)
	}
	if err := checkColumns(ctx, db, table); err != nil {
		return nil, err
	}

	s := &Store{
		db:     db,
		table:  table,
		mu:     make(chan struct{}, 1),
		logger: logger,

		journalMode: mode,
		serialReads: mode != "wal",
		done:        make(chan struct{}),
	}
	stmts := []struct {
		p   **sql.Stmt
		sql string
	}{
		{&s.get, "SELECT sess FROM " + table + " WHERE sid = ? AND ? <= expired"},
		{&s.set, "INSERT OR REPLACE INTO " + table + " VALUES (?, ?, ?)"},
		{&s.touch, "UPDATE " + table + " SET expired = ? WHERE sid = ? AND ? <= expired"},
		{&s.destroy, "DELETE FROM " + table + " WHERE sid = ?"},
		{&s.all, "SELECT sid, sess FROM " + table + " WHERE ? <= expired"},
		{&s.count, "SELECT COUNT(*) FROM " + table + " WHERE ? <= expired"},
		{&s.clear, "DELETE FROM " + table},
		{&s.cleanup, "DELETE FROM " + table + " WHERE ? > expired"},
	}
	for _, st := range stmts {
		p, err := db.PrepareContext(ctx, st.sql)
		if err != nil {
			s.closeStmts()
			return nil, fmt.Errorf("prepare %q: %w", st.sql, err)
		}
		*st.p = p
	}

	runCtx, stop := context.WithCancel(context.Background())
	s.stop = stop
	if interval < 0 {
		close(s.done)
		return s, nil
	}
	// Like connect-sqlite3: once now, then at every interval. The first run
	// is synchronous so that a store is clean when Open returns; its
	// failure (another process holding the lock for longer than the busy
	// timeout) is not fatal.
	if _, err := s.DeleteExpired(runCtx); err != nil {
		s.logger.Warn("sqlitestore: cleanup at open failed", "table", table, "err", err)
	}
	go s.cleanupLoop(runCtx, interval)
	return s, nil
}

// validJournalMode reports whether mode (lower case) is one Options.JournalMode
// accepts: WAL or a rollback journal that keeps the database safe.
func validJournalMode(mode string) bool {
	switch mode {
	case "wal", "delete", "truncate", "persist":
		return true
	}
	return false
}

// journalMode sets the journal mode want (unless empty) and returns the
// database's mode.
func journalMode(ctx context.Context, db *sql.DB, want string) (string, error) {
	want = strings.ToLower(want)
	if want != "" && !validJournalMode(want) {
		return "", fmt.Errorf("invalid journal mode %q (want wal, delete, truncate or persist)", want)
	}
	q := "PRAGMA journal_mode"
	if want != "" {
		q += " = " + want
	}
	var mode string
	if err := db.QueryRowContext(ctx, q).Scan(&mode); err != nil {
		return "", fmt.Errorf("%s: %w", q, err)
	}
	mode = strings.ToLower(mode)
	if want != "" && mode != want && mode != "memory" {
		return "", fmt.Errorf("%s: the journal mode is still %q", q, mode)
	}
	return mode, nil
}

// checkColumns makes sure that an existing table has connect-sqlite3's
// columns, in its order (INSERT … VALUES (?, ?, ?) relies on it).
func checkColumns(ctx context.Context, db *sql.DB, table string) error {
	rows, err := db.QueryContext(ctx, "SELECT name FROM pragma_table_info(?)", table)
	if err != nil {
		return fmt.Errorf("read the columns of table %s: %w", table, err)
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return fmt.Errorf("read the columns of table %s: %w", table, err)
		}
		cols = append(cols, strings.ToLower(name))
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read the columns of table %s: %w", table, err)
	}
	if strings.Join(cols, ",") != "sid,expired,sess" {
		return fmt.Errorf("table %s has the columns (%s), not connect-sqlite3's (sid, expired, sess): choose another Options.Table", table, strings.Join(cols, ", "))
	}
	return nil
}

func (s *Store) cleanupLoop(ctx context.Context, interval time.Duration) {
	defer close(s.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := s.DeleteExpired(ctx); err != nil && ctx.Err() == nil {
				s.logger.Warn("sqlitestore: cleanup failed", "table", s.table, "err", err)
			}
		}
	}
}

// nowMs is the current time in epoch milliseconds (JavaScript's
// Date.now()). Queries bind it as a float64, a REAL, as node-sqlite3 does.
func (s *Store) nowMs() int64 { return time.Now().UnixMilli() }

// lockWrite waits for this Store's turn to write, or for ctx.
func (s *Store) lockWrite(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case s.mu <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Store) unlockWrite() { <-s.mu }

// lockRead waits for this Store's turn to read, which in WAL mode is at
// once, or for ctx.
func (s *Store) lockRead(ctx context.Context) error {
	if !s.serialReads {
		return ctx.Err()
	}
	return s.lockWrite(ctx)
}

func (s *Store) unlockRead() {
	if s.serialReads {
		<-s.mu
	}
}

// Get returns the record stored under id while now <= expired.
func (s *Store) Get(ctx context.Context, id string) ([]byte, bool, error) {
	if err := s.lockRead(ctx); err != nil {
		return nil, false, fmt.Errorf("sqlitestore: get: %w", err)
	}
	var data []byte
	err := s.get.QueryRowContext(ctx, id, float64(s.nowMs())).Scan(&data)
	s.unlockRead()
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, false, nil
	case err != nil:
		return nil, false, fmt.Errorf("sqlitestore: get: %w", err)
	case data == nil:
		return nil, false, nil // a NULL sess: nothing a session could load
	}
	return data, true, nil
}

// Set stores data under id (INSERT OR REPLACE). expired is expires in
// milliseconds, or now + one day when expires is zero or exactly now.
func (s *Store) Set(ctx context.Context, id string, data []byte, expires time.Time) error {
	if err := s.lockWrite(ctx); err != nil {
		return fmt.Errorf("sqlitestore: set: %w", err)
	}
	defer s.unlockWrite()
	// The sess column is TEXT, as node-sqlite3 binds a JavaScript string
	// (a []byte would be a BLOB).
	_, err := s.set.ExecContext(ctx, id, expiredFor(expires, s.nowMs()), string(data))
	if err != nil {
		return fmt.Errorf("sqlitestore: set: %w", err)
	}
	return nil
}

// expiredFor is connect-sqlite3's
//
//	expired = maxAge ? now + maxAge : now + oneDay
//
// where maxAge is the cookie's remaining time (expires - now): the expiry
// itself, unless there is none or it is exactly now (a remaining time of 0
// is falsy). A past expiry gives a row that is expired at once.
func expiredFor(expires time.Time, now int64) float64 {
	if expires.IsZero() {
		return float64(now + oneDayMs)
	}
	remaining := expires.UnixMilli() - now
	if remaining == 0 {
		return float64(now + oneDayMs)
	}
	return float64(now + remaining)
}

// Touch moves the expiry of the live row id to expires, without rewriting
// its data. A zero expires (a browser-session cookie) does nothing, as in
// connect-sqlite3; so does touching a missing or expired row.
func (s *Store) Touch(ctx context.Context, id string, data []byte, expires time.Time) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("sqlitestore: touch: %w", err)
	}
	if expires.IsZero() {
		return nil
	}
	if err := s.lockWrite(ctx); err != nil {
		return fmt.Errorf("sqlitestore: touch: %w", err)
	}
	defer s.unlockWrite()
	_, err := s.touch.ExecContext(ctx, float64(expires.UnixMilli()), id, float64(s.nowMs()))
	if err != nil {
		return fmt.Errorf("sqlitestore: touch: %w", err)
	}
	return nil
}

// Destroy deletes the row id.
func (s *Store) Destroy(ctx context.Context, id string) error {
	if err := s.lockWrite(ctx); err != nil {
		return fmt.Errorf("sqlitestore: destroy: %w", err)
	}
	defer s.unlockWrite()
	if _, err := s.destroy.ExecContext(ctx, id); err != nil {
		return fmt.Errorf("sqlitestore: destroy: %w", err)
	}
	return nil
}

// All returns every live record by session ID: what Get would return now.
func (s *Store) All(ctx context.Context) (map[string][]byte, error) {
	if err := s.lockRead(ctx); err != nil {
		return nil, fmt.Errorf("sqlitestore: all: %w", err)
	}
	defer s.unlockRead()
	rows, err := s.all.QueryContext(ctx, float64(s.nowMs()))
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: all: %w", err)
	}
	defer rows.Close()
	out := map[string][]byte{}
	for rows.Next() {
		var id string
		var data []byte
		if err := rows.Scan(&id, &data); err != nil {
			return nil, fmt.Errorf("sqlitestore: all: %w", err)
		}
		if data != nil {
			out[id] = data
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlitestore: all: %w", err)
	}
	return out, nil
}

// Len returns the number of live records.
func (s *Store) Len(ctx context.Context) (int, error) {
	if err := s.lockRead(ctx); err != nil {
		return 0, fmt.Errorf("sqlitestore: len: %w", err)
	}
	defer s.unlockRead()
	var n int
	if err := s.count.QueryRowContext(ctx, float64(s.nowMs())).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlitestore: len: %w", err)
	}
	return n, nil
}

// Clear deletes every row of the table, live or expired.
func (s *Store) Clear(ctx context.Context) error {
	if err := s.lockWrite(ctx); err != nil {
		return fmt.Errorf("sqlitestore: clear: %w", err)
	}
	defer s.unlockWrite()
	if _, err := s.clear.ExecContext(ctx); err != nil {
		return fmt.Errorf("sqlitestore: clear: %w", err)
	}
	return nil
}

// DeleteExpired deletes the expired rows (DELETE … WHERE now > expired) and
// returns how many there were. The store does it at open and every
// Options.CleanupInterval; call it to do it now.
func (s *Store) DeleteExpired(ctx context.Context) (int64, error) {
	if err := s.lockWrite(ctx); err != nil {
		return 0, fmt.Errorf("sqlitestore: delete expired: %w", err)
	}
	defer s.unlockWrite()
	res, err := s.cleanup.ExecContext(ctx, float64(s.nowMs()))
	if err != nil {
		return 0, fmt.Errorf("sqlitestore: delete expired: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("sqlitestore: delete expired: %w", err)
	}
	return n, nil
}

// Table returns the name of the store's table.
func (s *Store) Table() string { return s.table }

// JournalMode returns the database's journal mode as it was when the store
// was opened ("wal", "delete", …).
func (s *Store) JournalMode() string { return s.journalMode }

// DB returns the database handle the store uses.
func (s *Store) DB() *sql.DB { return s.db }

// Close stops the background cleanup, releases the prepared statements and,
// for a store made by Open, closes the database. It is safe to call more
// than once; later calls return the first one's result. The store's other
// methods fail after Close.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.stop()
		<-s.done
		s.closeStmts()
		if s.owned {
			if err := s.db.Close(); err != nil {
				s.closeErr = fmt.Errorf("sqlitestore: close: %w", err)
			}
		}
	})
	return s.closeErr
}

func (s *Store) closeStmts() {
	for _, st := range []*sql.Stmt{s.get, s.set, s.touch, s.destroy, s.all, s.count, s.clear, s.cleanup} {
		if st != nil {
			st.Close()
		}
	}
}
