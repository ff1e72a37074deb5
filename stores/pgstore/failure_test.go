package pgstore

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// ops returns a call of every method of s, by operation name.
func ops(s *Store) map[string]func(context.Context) error {
	exp := time.Now().Add(time.Hour)
	data := testRecord(exp, "")
	return map[string]func(context.Context) error{
		"get":          func(ctx context.Context) error { _, _, err := s.Get(ctx, "a"); return err },
		"set":          func(ctx context.Context) error { return s.Set(ctx, "a", data, exp) },
		"touch":        func(ctx context.Context) error { return s.Touch(ctx, "a", data, exp) },
		"destroy":      func(ctx context.Context) error { return s.Destroy(ctx, "a") },
		"all":          func(ctx context.Context) error { _, err := s.All(ctx); return err },
		"len":          func(ctx context.Context) error { _, err := s.Len(ctx); return err },
		"clear":        func(ctx context.Context) error { return s.Clear(ctx) },
		"prune":        func(ctx context.Context) error { return s.Prune(ctx) },
		"create table": func(ctx context.Context) error { return s.CreateTable(ctx) },
	}
}

// unreachablePool is a pool for a server at addr, which connects lazily.
func unreachablePool(t *testing.T, addr string) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(bg, "postgres://root@"+addr+"/test?connect_timeout=30")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// TestServerDown: with nothing listening, every call fails at once with an
// error naming the store and the operation.
func TestServerDown(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	s := New(unreachablePool(t, addr), Options{PruneSessionInterval: -1})
	defer s.Close()
	ctx, cancel := context.WithTimeout(bg, 3*time.Second)
	defer cancel()
	for op, call := range ops(s) {
		err := call(ctx)
		if err == nil || !strings.HasPrefix(err.Error(), "pgstore: "+op+": ") {
			t.Errorf("%s with the server down = %v, want pgstore: %s: …", op, err, op)
		} else if !strings.Contains(err.Error(), "refused") {
			t.Errorf("%s with the server down = %v, want the cause (connection refused)", op, err)
		}
	}
	if ctx.Err() != nil {
		t.Error("the calls ran into the deadline instead of failing on the refused connection")
	}
}

// TestServerHangs: a server that accepts connections and never answers
// costs each call its context's deadline, no more.
func TestServerHangs(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close() // held open, silent, until the test ends
		}
	}()
	s := New(unreachablePool(t, ln.Addr().String()), Options{PruneSessionInterval: -1})
	defer s.Close()
	const deadline = 200 * time.Millisecond
	for op, call := range ops(s) {
		start := time.Now()
		ctx, cancel := context.WithTimeout(bg, deadline)
		err := call(ctx)
		cancel()
		if took := time.Since(start); took > deadline+2*time.Second {
			t.Errorf("%s on a silent server took %v with a %v deadline", op, took, deadline)
		}
		if !errors.Is(err, context.DeadlineExceeded) || !strings.HasPrefix(err.Error(), "pgstore: "+op+": ") {
			t.Errorf("%s on a silent server = %v, want pgstore: %s: … wrapping context.DeadlineExceeded", op, err, op)
		}
	}
}

// warm opens every connection pool may hold, so that all of them die.
func warm(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	var conns []*pgxpool.Conn
	for range pool.Config().MaxConns {
		c, err := pool.Acquire(bg)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	for _, c := range conns {
		c.Release()
	}
}

// backendPIDs returns the server processes of pool's connections.
func backendPIDs(t *testing.T, pool *pgxpool.Pool) []uint32 {
	t.Helper()
	var pids []uint32
	for _, c := range pool.AcquireAllIdle(bg) {
		pids = append(pids, c.Conn().PgConn().PID())
		c.Release()
	}
	return pids
}

// TestRecoversFromKilledConnection ends the store's connections on the
// server (as a restart or a failover does) and checks that the next calls
// succeed without help, whether the pool would notice (idle > 1 s, pinged)
// or not (used right away: the store sends the statement again).
func TestRecoversFromKilledConnection(t *testing.T) {
	t.Parallel()
	admin := testPool(t, "")
	cfg, err := pgxpool.ParseConfig(testURL())
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = 4
	pool, err := pgxpool.NewWithConfig(bg, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	s := newStore(t, pool, Options{TableName: uniqueName("pgstore_kill_")})
	exp := time.Now().Add(time.Hour)
	data := testRecord(exp, "")
	if err := s.Set(bg, "a", data, exp); err != nil {
		t.Fatal(err)
	}
	for round, idle := range []time.Duration{0, 1100 * time.Millisecond} {
		warm(t, pool)
		pids := backendPIDs(t, pool)
		if len(pids) != int(pool.Config().MaxConns) {
			t.Fatalf("%d idle connections, want %d", len(pids), pool.Config().MaxConns)
		}
		for _, pid := range pids {
			var ok bool
			if err := admin.QueryRow(bg, `SELECT pg_terminate_backend($1)`, pid).Scan(&ok); err != nil || !ok {
				t.Fatalf("pg_terminate_backend(%d) = %v, %v", pid, ok, err)
			}
		}
		time.Sleep(50*time.Millisecond + idle) // let the server close them
		if got, ok, err := s.Get(bg, "a"); err != nil || !ok || string(got) != string(data) {
			t.Errorf("round %d: Get after the connections were killed = %v, %v; want the record", round, ok, err)
		}
		if err := s.Set(bg, "a", data, exp); err != nil {
			t.Errorf("round %d: Set after the connections were killed: %v", round, err)
		}
	}
}
