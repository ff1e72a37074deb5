package filestore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// All returns every live session: each file with the store's extension is
// read and judged as Get would judge it (without retries), so the result is
// what Get would return now. It reads the whole directory; it is meant for
// administration, not for requests. Files that are not JSON, or cannot be
// decrypted, are skipped (Get would fail on them).
func (s *Store) All(ctx context.Context) (map[string][]byte, error) {
	all := map[string][]byte{}
	err := s.eachLive(ctx, func(id string, doc []byte) { all[id] = doc })
	if err != nil {
		return nil, fmt.Errorf("filestore: all: %w", err)
	}
	return all, nil
}

// Len returns the number of live sessions. Unlike session-file-store's
// length, which counts files, it leaves out expired files the reaper has not
// deleted yet, so it reads every file, as All does.
func (s *Store) Len(ctx context.Context) (int, error) {
	n := 0
	if err := s.eachLive(ctx, func(string, []byte) { n++ }); err != nil {
		return 0, fmt.Errorf("filestore: len: %w", err)
	}
	return n, nil
}

// Clear removes every file with the store's extension, as
// session-file-store's clear does. Other files, temporary ones included,
// are left alone.
func (s *Store) Clear(ctx context.Context) error {
	err := s.eachFile(ctx, func(_, name string) error {
		return removeFile(filepath.Join(s.dir, name))
	})
	if err != nil {
		return fmt.Errorf("filestore: clear: %w", err)
	}
	return nil
}

// eachLive calls fn with every live session in the directory.
func (f *files) eachLive(ctx context.Context, fn func(id string, doc []byte)) error {
	now := time.Now().UnixMilli()
	return f.eachFile(ctx, func(id, name string) error {
		raw, err := os.ReadFile(filepath.Join(f.dir, name))
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil // destroyed since the listing
			}
			return err
		}
		doc, err := f.decode(ctx, raw)
		if err != nil {
			return skipUnreadable(ctx, err)
		}
		if dead, err := expired(doc, f.ttlMs, now); err == nil && !dead {
			fn(id, doc)
		}
		return nil
	})
}

// eachFile calls fn with the session ID and name of every file with the
// store's extension, reading the directory in batches and checking ctx
// between files, so that a huge directory neither sits in memory at once
// nor outlives the caller's deadline. A directory removed since New holds
// no sessions.
func (f *files) eachFile(ctx context.Context, fn func(id, name string) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	d, err := os.Open(f.dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer d.Close()
	for {
		names, err := d.Readdirnames(256)
		for _, name := range names {
			if err := ctx.Err(); err != nil {
				return err
			}
			if id, ok := f.idOf(name); ok {
				if err := fn(id, name); err != nil {
					return err
				}
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// skipUnreadable is what eachLive does with a file it cannot decrypt: skip
// it, unless the failure is the caller's context ending.
func skipUnreadable(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return err
	}
	return nil
}
