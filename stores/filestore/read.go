package filestore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"time"
)

// readRetrying reads the file at path, retrying a failed read as
// session-file-store does through the retry package: up to retries more
// attempts, the n-th (from 0) after min(minTimeout * factor^n, maxTimeout).
// It returns the last error, or ctx.Err() if ctx is done while waiting.
func (f *files) readRetrying(ctx context.Context, path string) ([]byte, error) {
	for attempt := 0; ; attempt++ {
		data, err := os.ReadFile(path)
		if err == nil || attempt >= f.retries {
			return data, err
		}
		f.log.Debug("filestore: will retry", "error", err)
		if err := f.sleep(ctx, f.backoff(attempt)); err != nil {
			return nil, err
		}
	}
}

// backoff is the retry package's createTimeout without randomisation:
// rounded to whole milliseconds, capped at maxTimeout.
func (f *files) backoff(attempt int) time.Duration {
	ms := math.Round(f.minTimeout.Seconds() * 1000 * math.Pow(f.factor, float64(attempt)))
	return time.Duration(min(ms*float64(time.Millisecond), float64(f.maxTimeout)))
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// readLive reads the file at path once, decrypted if need be, and reports
// whether it holds a live session. A missing or expired file is not live; a
// file that is not JSON is removed and reported as an error wrapping
// ErrCorrupt. The caller holds the session's lock.
func (f *files) readLive(ctx context.Context, path string) (doc []byte, live bool, err error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if doc, err = f.decode(ctx, raw); err != nil {
		return nil, false, err
	}
	dead, err := expired(doc, f.ttlMs, time.Now().UnixMilli())
	if err != nil {
		return nil, false, f.removeCorrupt(path)
	}
	return doc, !dead, nil
}

// dropCorrupt removes the file of id, which Get found not to be JSON, and
// returns the error Get reports. It first checks, under the session's lock,
// that the file was not replaced in the meantime.
func (f *files) dropCorrupt(ctx context.Context, id, path string) error {
	l, err := f.locks.lock(ctx, id)
	if err != nil {
		return fmt.Errorf("%s: %w", path, ErrCorrupt)
	}
	defer unlock(l)
	if _, _, err := f.readLive(ctx, path); err != nil {
		return err
	}
	return fmt.Errorf("%s: %w", path, ErrCorrupt)
}

// removeCorrupt removes a file that is not JSON, as session-file-store's
// get does, and returns the error that says so.
func (f *files) removeCorrupt(path string) error {
	if err := removeFile(path); err != nil {
		return fmt.Errorf("%s: %w (and removing it failed: %v)", path, ErrCorrupt, err)
	}
	return fmt.Errorf("%s: %w (the file was removed)", path, ErrCorrupt)
}
