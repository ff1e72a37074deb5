package filestore

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// reaper deletes expired session files in the background, as
// session-file-store's reap does on its setInterval.
type reaper struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// startReaper starts reaping f every interval. The goroutine holds f, not
// the Store, so that a Store dropped without Close can still be collected
// (its cleanup then halts the reaper).
func startReaper(f *files, every time.Duration) *reaper {
	ctx, cancel := context.WithCancel(context.Background())
	r := &reaper{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				f.reap(ctx)
			}
		}
	}()
	return r
}

// halt stops the reaper, interrupting a reap in progress, and waits for it.
func (r *reaper) halt() {
	r.cancel()
	<-r.done
}

// reap deletes every expired session file, and every file that is not
// JSON (Node's reaper deletes those through its get), reading up to
// f.concurrency files at a time. Requests are never blocked for longer than
// one file's deletion. It returns the number of files deleted.
func (f *files) reap(ctx context.Context) int {
	f.log.Debug("filestore: deleting expired sessions", "dir", f.dir)
	ids := make(chan string)
	var removed atomic.Int64
	var wg sync.WaitGroup
	for range f.concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range ids {
				if f.reapOne(ctx, id) {
					removed.Add(1)
				}
			}
		}()
	}
	err := f.eachFile(ctx, func(id, _ string) error {
		select {
		case ids <- id:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(ids)
	wg.Wait()
	if err != nil && !errors.Is(err, context.Canceled) {
		f.log.Error("filestore: reaping expired sessions", "dir", f.dir, "error", err)
	}
	f.log.Debug("filestore: expired sessions deleted", "dir", f.dir, "count", removed.Load())
	return int(removed.Load())
}

// reapOne deletes the file of id if it has expired or is not JSON, and
// reports whether it did. The first read is made without the session's
// lock, so that live sessions (the usual case) cost requests nothing; an
// expired file is read again under the lock before it is deleted, in case
// this process rewrote it in between.
func (f *files) reapOne(ctx context.Context, id string) bool {
	path, err := f.path(id)
	if err != nil {
		return false
	}
	if !f.reapable(ctx, path) {
		return false
	}
	l, err := f.locks.lock(ctx, id)
	if err != nil {
		return false
	}
	defer unlock(l)
	if !f.reapable(ctx, path) {
		return false
	}
	if err := os.Remove(path); err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			f.log.Error("filestore: deleting an expired session", "file", path, "error", err)
		}
		return false
	}
	return true
}

// reapable reports whether the file at path has expired or is not JSON. A
// file that cannot be decrypted is kept.
func (f *files) reapable(ctx context.Context, path string) bool {
	raw, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	doc, err := f.decode(ctx, raw)
	if err != nil {
		return false
	}
	dead, err := expired(doc, f.ttlMs, time.Now().UnixMilli())
	return dead || err != nil
}
