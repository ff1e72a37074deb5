package filestore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/sessionkit/session/store"
)

// Store keeps sessions in files in session-file-store's format. It
// implements [store.Store], [store.Toucher], [store.Lister],
// [store.Counter], [store.Clearer] and io.Closer. Create it with [New]; all
// methods are safe for concurrent use, also by several processes (Node ones
// included) sharing the directory.
type Store struct {
	*files
	reaper    *reaper // nil when reaping is disabled
	closeOnce sync.Once
}

// files is the state the reaper goroutine shares with the Store. It is
// separate so that the goroutine does not keep the Store reachable, and a
// Store dropped without Close still stops its reaper.
type files struct {
	dir, ext    string
	ttlMs       float64
	retries     int
	factor      float64
	minTimeout  time.Duration
	maxTimeout  time.Duration
	noSync      bool
	concurrency int
	log         *slog.Logger
	locks       *stripes
	crypt       *keyring // nil without Options.Secret

	// sleep waits between read attempts; tests replace it.
	sleep func(ctx context.Context, d time.Duration) error
}

// Compile-time checks of the interfaces the middleware discovers.
var (
	_ store.Store   = (*Store)(nil)
	_ store.Toucher = (*Store)(nil)
	_ store.Lister  = (*Store)(nil)
	_ store.Counter = (*Store)(nil)
	_ store.Clearer = (*Store)(nil)
	_ io.Closer     = (*Store)(nil)
)

// New returns a Store configured by o, creating its directory if needed.
// Unless o.ReapInterval is negative it starts a goroutine that deletes
// expired files every interval; stop it with Close.
func New(o Options) (*Store, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("filestore: %w", err)
	}
	dir := filepath.Clean(o.Path)
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return nil, fmt.Errorf("filestore: %w", err)
	}
	s := &Store{files: &files{
		dir:         dir,
		ext:         o.FileExtension,
		ttlMs:       float64(o.TTL) / float64(time.Millisecond),
		retries:     max(o.Retries, 0),
		factor:      o.Factor,
		minTimeout:  o.MinTimeout,
		maxTimeout:  o.MaxTimeout,
		noSync:      o.NoFsync,
		concurrency: o.ReapMaxConcurrent,
		log:         o.Logger,
		locks:       newStripes(),
		sleep:       sleep,
	}}
	if o.Secret != "" {
		s.crypt = newKeyring(o.Secret)
	}
	if o.ReapInterval > 0 {
		s.reaper = startReaper(s.files, o.ReapInterval)
		runtime.AddCleanup(s, func(r *reaper) { r.halt() }, s.reaper)
	}
	return s, nil
}

// Dir returns the directory the session files are in.
func (s *Store) Dir() string { return s.dir }

// Close stops the reaper and waits for a reap in progress to stop. It is
// safe to call more than once; the Store's other methods keep working.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		if s.reaper != nil {
			s.reaper.halt()
		}
	})
	return nil
}

// Get returns the session stored under id, as session-file-store's get
// does: the file's content, __lastAccess included, unless it has expired. A
// read that fails (a missing file included) is retried as Options.Retries
// says; a file that still cannot be read is not found. A file that is not
// valid JSON is deleted and reported with an error wrapping [ErrCorrupt].
func (s *Store) Get(ctx context.Context, id string) ([]byte, bool, error) {
	data, found, err := s.get(ctx, id)
	if err != nil {
		return nil, false, fmt.Errorf("filestore: get: %w", err)
	}
	return data, found, nil
}

func (s *Store) get(ctx context.Context, id string) ([]byte, bool, error) {
	path, err := s.path(id)
	if err != nil {
		return nil, false, err
	}
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	raw, err := s.readRetrying(ctx, path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	data, err := s.decode(ctx, raw)
	if err != nil {
		return nil, false, err
	}
	dead, err := expired(data, s.ttlMs, time.Now().UnixMilli())
	if err != nil {
		return nil, false, s.dropCorrupt(ctx, id, path)
	}
	if dead {
		return nil, false, nil // the reaper deletes it, as in Node
	}
	return data, true, nil
}

// Set writes the session to its file with __lastAccess set to now. When
// expires has already passed the file is removed instead. As in Node, the
// new __lastAccess is also assigned on the request's live session, when ctx
// carries the session being saved (see the package documentation).
func (s *Store) Set(ctx context.Context, id string, data []byte, expires time.Time) error {
	if _, err := s.set(ctx, id, data, expires); err != nil {
		return fmt.Errorf("filestore: set: %w", err)
	}
	return nil
}

// SetRecord stores data as Set does and returns the record as written,
// with its new __lastAccess (store.Rewriter). session-file-store assigns
// __lastAccess on the live session it is given, so after an explicit save
// the session differs from what was saved and express-session saves it
// again at the end of the request; the middleware copies the stamp into its
// session to do the same.
func (s *Store) SetRecord(ctx context.Context, id string, data []byte, expires time.Time) ([]byte, error) {
	doc, err := s.set(ctx, id, data, expires)
	if err != nil {
		return nil, fmt.Errorf("filestore: set: %w", err)
	}
	return doc, nil
}

// set writes the record and returns it as written (before encryption), or
// nil when an expiry already past removed it instead.
func (s *Store) set(ctx context.Context, id string, data []byte, expires time.Time) ([]byte, error) {
	path, err := s.path(id)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	now := time.Now()
	var plain, doc []byte
	if !passed(expires, now) {
		if plain, err = withLastAccess(data, now); err != nil {
			return nil, err
		}
		if doc, err = s.encode(ctx, plain); err != nil {
			return nil, err
		}
	}
	l, err := s.locks.lock(ctx, id)
	if err != nil {
		return nil, err
	}
	defer unlock(l)
	if doc == nil {
		return nil, removeFile(path)
	}
	if err := writeAtomic(ctx, path, doc, s.noSync); err != nil {
		return nil, err
	}
	return plain, nil
}

// Touch does what session-file-store's touch does for a live session: it
// reads the stored file, replaces its cookie with the one in data, sets
// __lastAccess to now and writes it back; the rest of the stored data is
// kept. A missing or expired session is left alone (Node would write an
// empty session for an expired one); when expires has already passed the
// file is removed.
func (s *Store) Touch(ctx context.Context, id string, data []byte, expires time.Time) error {
	if err := s.touch(ctx, id, data, expires); err != nil {
		return fmt.Errorf("filestore: touch: %w", err)
	}
	return nil
}

func (s *Store) touch(ctx context.Context, id string, data []byte, expires time.Time) error {
	path, err := s.path(id)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	cookie, err := touchedCookie(data)
	if err != nil {
		return err
	}
	l, err := s.locks.lock(ctx, id)
	if err != nil {
		return err
	}
	defer unlock(l)
	doc, live, err := s.readLive(ctx, path)
	if err != nil || !live {
		return err
	}
	now := time.Now()
	if passed(expires, now) {
		return removeFile(path)
	}
	if doc, err = retouch(doc, cookie, now); err != nil {
		return err
	}
	if doc, err = s.encode(ctx, doc); err != nil {
		return err
	}
	return writeAtomic(ctx, path, doc, s.noSync)
}

// Destroy removes the session's file. A missing file is not an error.
func (s *Store) Destroy(ctx context.Context, id string) error {
	if err := s.destroy(ctx, id); err != nil {
		return fmt.Errorf("filestore: destroy: %w", err)
	}
	return nil
}

func (s *Store) destroy(ctx context.Context, id string) error {
	path, err := s.path(id)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	l, err := s.locks.lock(ctx, id)
	if err != nil {
		return err
	}
	defer unlock(l)
	return removeFile(path)
}

// removeFile removes path; a file that is already gone is not an error.
func removeFile(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
