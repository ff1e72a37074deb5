package pgstore

import (
	"context"
	"time"
)

// startPruning starts the background pruner, unless it is disabled. Like
// Node's setTimeout chain, the next delay starts when a prune has ended,
// so prunes never overlap.
func (s *Store) startPruning() {
	if s.cfg.pruneDelay == nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.stopPrune, s.pruneDone = cancel, make(chan struct{})
	go s.pruneLoop(ctx)
}

func (s *Store) pruneLoop(ctx context.Context) {
	defer close(s.pruneDone)
	timer := time.NewTimer(s.cfg.pruneDelay())
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		if err := s.Prune(ctx); err != nil && ctx.Err() == nil {
			s.cfg.errorLog("Failed to prune sessions:", err)
		}
		timer.Reset(s.cfg.pruneDelay())
	}
}
