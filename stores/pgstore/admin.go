package pgstore

import (
	"context"
	"time"
)

// All returns every live record by session ID: exactly what Get would
// return for each. It reads the whole table; connect-pg-simple has no
// equivalent.
func (s *Store) All(ctx context.Context) (map[string][]byte, error) {
	var out map[string][]byte
	err := s.do(ctx, "all", func() error {
		out = map[string][]byte{}
		rows, err := s.pool.Query(ctx, s.sql.all, nowSeconds(time.Now()))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			var data []byte
			if err := rows.Scan(&id, &data); err != nil {
				return err
			}
			out[id] = data
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Len returns the number of live records. It counts through the expire
// index.
func (s *Store) Len(ctx context.Context) (int, error) {
	var n int64
	err := s.do(ctx, "len", func() error {
		return s.pool.QueryRow(ctx, s.sql.count, nowSeconds(time.Now())).Scan(&n)
	})
	return int(n), err
}

// Clear deletes every record in the table, live or expired.
func (s *Store) Clear(ctx context.Context) error {
	return s.do(ctx, "clear", func() error {
		_, err := s.pool.Exec(ctx, s.sql.clear)
		return err
	})
}

// Prune deletes the expired records, as connect-pg-simple's
// pruneSessions. The store calls it in the background (see
// [Options.PruneSessionInterval]); call it directly when pruning is
// disabled and something else schedules it.
func (s *Store) Prune(ctx context.Context) error {
	return s.do(ctx, "prune", func() error {
		_, err := s.pool.Exec(ctx, s.sql.prune, nowSeconds(time.Now()))
		return err
	})
}
