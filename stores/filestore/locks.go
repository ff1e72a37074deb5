package filestore

import (
	"context"
	"hash/maphash"
)

// stripes serialise the writes this process makes to one session file: a
// Touch reads, edits and rewrites the file, and must not undo a Set made in
// between; the reaper must not delete a file that was rewritten after it
// judged it expired. A fixed set of locks, chosen by a hash of the ID,
// bounds memory whatever the number of sessions. Each lock is a channel so
// that waiting for it honours the caller's context.
type stripes struct {
	seed  maphash.Seed
	locks [64]chan struct{}
}

func newStripes() *stripes {
	s := &stripes{seed: maphash.MakeSeed()}
	for i := range s.locks {
		s.locks[i] = make(chan struct{}, 1)
	}
	return s
}

// lock takes the lock for id, or returns ctx.Err() if ctx is done first.
// The caller releases it with unlock.
func (s *stripes) lock(ctx context.Context, id string) (chan struct{}, error) {
	l := s.locks[maphash.String(s.seed, id)%uint64(len(s.locks))]
	select {
	case l <- struct{}{}:
		return l, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func unlock(l chan struct{}) { <-l }
