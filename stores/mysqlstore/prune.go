package mysqlstore

import (
	"context"
	"time"
)

// startPruning deletes expired rows every CheckExpirationInterval, as
// express-mysql-session's setInterval does (first run one interval after
// start), until Close.
func (s *Store) startPruning() {
	ctx, cancel := context.WithCancel(context.Background())
	s.stopPruning, s.pruned = cancel, make(chan struct{})
	go s.prune(ctx, s.opts.CheckExpirationInterval)
}

func (s *Store) prune(ctx context.Context, interval time.Duration) {
	defer close(s.pruned)
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			s.pruneOnce(ctx, interval)
		}
	}
}

// pruneOnce runs one deletion, bounded by the interval so that a hung
// server does not pile deletions up, and logs its failure: there is no
// caller to return it to, and the next tick tries again.
func (s *Store) pruneOnce(ctx context.Context, interval time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, interval)
	defer cancel()
	if _, err := s.ClearExpired(ctx); err != nil && ctx.Err() != context.Canceled {
		s.opts.Logger.Warn("mysqlstore: deleting expired sessions failed", "table", s.opts.TableName, "err", err)
	}
}
