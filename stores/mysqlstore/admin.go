package mysqlstore

import (
	"context"
	"encoding/json"
	"time"
)

// All returns every live record by session ID: what Get would return for
// each, except that rows whose data is not JSON are left out, as Node's
// all() leaves them out. It reads the whole table (expires is not
// indexed).
func (s *Store) All(ctx context.Context) (map[string][]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, opError(ctx, "all", err)
	}
	out, err := s.all(ctx)
	if err != nil {
		return nil, opError(ctx, "all", err)
	}
	return out, nil
}

func (s *Store) all(ctx context.Context) (map[string][]byte, error) {
	st, err := s.stmts.get(ctx, qAll)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, nowSeconds(time.Now()))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]byte{}
	for rows.Next() {
		var id string
		var data []byte
		if err := rows.Scan(&id, &data); err != nil {
			return nil, err
		}
		if json.Valid(data) {
			out[id] = data
		}
	}
	return out, rows.Err()
}

// Len returns the number of live records. It counts over the whole table.
func (s *Store) Len(ctx context.Context) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, opError(ctx, "len", err)
	}
	st, err := s.stmts.get(ctx, qLen)
	if err != nil {
		return 0, opError(ctx, "len", err)
	}
	var n int
	if err := st.QueryRowContext(ctx, nowSeconds(time.Now())).Scan(&n); err != nil {
		return 0, opError(ctx, "len", err)
	}
	return n, nil
}

// Clear deletes every row of the table, live or not.
func (s *Store) Clear(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return opError(ctx, "clear", err)
	}
	if _, err := s.exec(ctx, qClear); err != nil {
		return opError(ctx, "clear", err)
	}
	return nil
}

// ClearExpired deletes the rows whose expiry has passed and returns how
// many it deleted. The store calls it every CheckExpirationInterval unless
// DisableClearExpired is set; call it yourself (from one instance, or a
// cron job) when it is.
func (s *Store) ClearExpired(ctx context.Context) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, opError(ctx, "clear expired", err)
	}
	res, err := s.exec(ctx, qClearExpired, nowSeconds(time.Now()))
	if err != nil {
		return 0, opError(ctx, "clear expired", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
