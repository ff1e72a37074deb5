package redisstore

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// ops calls every method of s once with ctx, by name.
func ops(s *Store) map[string]func(ctx context.Context) error {
	exp := time.Now().Add(time.Hour)
	data := record(exp, "bob")
	return map[string]func(context.Context) error{
		"get":     func(ctx context.Context) error { _, _, err := s.Get(ctx, "id"); return err },
		"set":     func(ctx context.Context) error { return s.Set(ctx, "id", data, exp) },
		"touch":   func(ctx context.Context) error { return s.Touch(ctx, "id", data, exp) },
		"destroy": func(ctx context.Context) error { return s.Destroy(ctx, "id") },
		"all":     func(ctx context.Context) error { _, err := s.All(ctx); return err },
		"len":     func(ctx context.Context) error { _, err := s.Len(ctx); return err },
		"clear":   func(ctx context.Context) error { return s.Clear(ctx) },
	}
}

// closedAddr returns an address nothing listens on.
func closedAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// TestServerDown: with nothing listening, every method fails within the
// context's deadline with an error naming the store and the operation.
func TestServerDown(t *testing.T) {
	c := redis.NewClient(&redis.Options{Addr: closedAddr(t)})
	t.Cleanup(func() { c.Close() }) // after the parallel subtests
	s := New(c, Options{})
	for op, call := range ops(s) {
		t.Run(op, func(t *testing.T) {
			t.Parallel()
			const deadline = 2 * time.Second
			ctx, cancel := context.WithTimeout(bg(), deadline)
			defer cancel()
			start := time.Now()
			err := call(ctx)
			if took := time.Since(start); took > deadline+time.Second {
				t.Errorf("took %v with a %v deadline", took, deadline)
			}
			if err == nil || !strings.HasPrefix(err.Error(), "redisstore: "+op+": ") {
				t.Errorf("err = %v, want one starting %q", err, "redisstore: "+op+": ")
			}
			t.Log(err)
		})
	}
}

// stalledServer accepts connections and never answers, like a server that
// hangs; go-redis then waits for its ReadTimeout unless told otherwise.
func stalledServer(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { conn.Close() })
		}
	}()
	return l.Addr().String()
}

// TestStalledServer: a call on a server that does not answer returns as
// soon as its context ends, with the context's error, for a deadline and
// for a plain cancellation, although the client would wait a minute.
func TestStalledServer(t *testing.T) {
	c := redis.NewClient(&redis.Options{Addr: stalledServer(t), ReadTimeout: time.Minute, WriteTimeout: time.Minute, DialTimeout: time.Minute})
	defer c.Close()
	s := New(c, Options{})
	const after = 200 * time.Millisecond
	for op, call := range ops(s) {
		t.Run(op+"/deadline", func(t *testing.T) {
			ctx, cancel := context.WithTimeout(bg(), after)
			defer cancel()
			checkStalled(t, op, call, ctx, context.DeadlineExceeded)
		})
		t.Run(op+"/cancel", func(t *testing.T) {
			ctx, cancel := context.WithCancel(bg())
			time.AfterFunc(after, cancel)
			checkStalled(t, op, call, ctx, context.Canceled)
		})
	}
}

func checkStalled(t *testing.T, op string, call func(context.Context) error, ctx context.Context, want error) {
	t.Helper()
	start := time.Now()
	err := call(ctx)
	// A generous bound: the point is "at the context's end", not "fast".
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("took %v; the context ended after 200ms", took)
	}
	if !errors.Is(err, want) || !strings.HasPrefix(err.Error(), "redisstore: "+op+": ") {
		t.Errorf("err = %v, want %q wrapping %v", err, "redisstore: "+op+": …", want)
	}
}

// TestRecoversAfterClientKill: when the server drops the store's
// connections, the next calls succeed again on new ones.
func TestRecoversAfterClientKill(t *testing.T) {
	admin := newTestClient(t)
	opt, _ := redis.ParseURL(redisURL())
	opt.ClientName = "redisstore-test-" + rand32()
	c := redis.NewClient(opt)
	t.Cleanup(func() { c.Close() }) // after the store's Clear
	s := newTestStore(t, c, Options{})
	exp := time.Now().Add(time.Hour)
	data := record(exp, "bob")
	if err := s.Set(bg(), "id", data, exp); err != nil {
		t.Fatal(err)
	}
	if n := killClients(t, admin, opt.ClientName); n == 0 {
		t.Fatal("no connection of the store's client found to kill")
	}
	eventually(t, func(ctx context.Context) error {
		got, found, err := s.Get(ctx, "id")
		if err == nil && (!found || string(got) != string(data)) {
			t.Fatalf("Get after reconnecting = %q, %v; want the record", got, found)
		}
		return err
	})
}

// killClients kills the server's connections of clients named name and
// returns how many there were.
func killClients(t *testing.T, admin *redis.Client, name string) int {
	list, err := admin.ClientList(bg()).Result()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(list, "\n") {
		if !strings.Contains(line, " name="+name+" ") {
			continue
		}
		id, _, _ := strings.Cut(strings.TrimPrefix(line, "id="), " ")
		if err := admin.Do(bg(), "client", "kill", "id", id).Err(); err != nil {
			t.Fatalf("CLIENT KILL ID %s: %v", id, err)
		}
		n++
	}
	return n
}

// eventually retries call, each with a short deadline, until it succeeds;
// it fails t if that takes more than ten seconds.
func eventually(t *testing.T, call func(context.Context) error) {
	t.Helper()
	stop := time.Now().Add(10 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(bg(), 2*time.Second)
		err := call(ctx)
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(stop) {
			t.Fatalf("still failing after 10 s: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestRecoversAfterRestart: while the server is down calls fail with the
// store's errors; once it is back they succeed without any help.
func TestRecoversAfterRestart(t *testing.T) {
	needBinaries(t, "redis-server")
	srv := startRedis(t, freePort(t))
	c := redis.NewClient(&redis.Options{Addr: srv.addr()})
	defer c.Close()
	s := New(c, Options{})
	exp := time.Now().Add(time.Hour)
	data := record(exp, "bob")
	if err := s.Set(bg(), "id", data, exp); err != nil {
		t.Fatal(err)
	}
	srv.stop()
	ctx, cancel := context.WithTimeout(bg(), 2*time.Second)
	_, _, err := s.Get(ctx, "id")
	cancel()
	if err == nil || !strings.HasPrefix(err.Error(), "redisstore: get: ") {
		t.Fatalf("Get with the server down: %v, want a redisstore: get: error", err)
	}
	srv.start(t)
	eventually(t, func(ctx context.Context) error { return s.Set(ctx, "id", data, exp) })
	if got, found, err := s.Get(bg(), "id"); err != nil || !found || string(got) != string(data) {
		t.Fatalf("Get after the restart = %q, %v, %v; want the record", got, found, err)
	}
}
