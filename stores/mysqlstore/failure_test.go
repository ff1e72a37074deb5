package mysqlstore

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
)

// Tests of a server that is down, hangs or drops connections: every call
// fails within its context's deadline with an error naming the store and
// the operation, and the store recovers by itself.

// dbAt opens a pool on the test server's DSN with the address replaced,
// without connecting.
func dbAt(t *testing.T, addr string) *sql.DB {
	t.Helper()
	cfg, err := mysql.ParseDSN(testDSN())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Net, cfg.Addr = "tcp", addr
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(conn)
	t.Cleanup(func() { db.Close() })
	return db
}

// closedPort returns an address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// everyCall calls each of the store's methods with ctx.
func everyCall(s *Store, ctx context.Context) map[string]func() error {
	exp := time.Now().Add(time.Hour)
	return map[string]func() error{
		"get":           func() error { _, _, err := s.Get(ctx, "id"); return err },
		"set":           func() error { return s.Set(ctx, "id", rec(exp, "bob"), exp) },
		"touch":         func() error { return s.Touch(ctx, "id", rec(exp, "bob"), exp) },
		"destroy":       func() error { return s.Destroy(ctx, "id") },
		"all":           func() error { _, err := s.All(ctx); return err },
		"len":           func() error { _, err := s.Len(ctx); return err },
		"clear":         func() error { return s.Clear(ctx) },
		"clear expired": func() error { _, err := s.ClearExpired(ctx); return err },
	}
}

func TestServerDown(t *testing.T) {
	db := dbAt(t, closedPort(t))
	s, err := New(t.Context(), db, Options{DisableCreateDatabaseTable: true})
	if err != nil {
		t.Fatalf("New without table creation contacted the server: %v", err)
	}
	defer s.Close()
	for op := range everyCall(s, t.Context()) {
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
		start := time.Now()
		err := everyCall(s, ctx)[op]()
		cancel()
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("%s with the server down took %v, beyond its 2 s deadline", op, d)
		}
		if err == nil || !strings.HasPrefix(err.Error(), "mysqlstore: "+op+": ") || !strings.Contains(err.Error(), "connection refused") {
			t.Errorf("%s with the server down = %v, want mysqlstore: %s: ... connection refused", op, err, op)
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	if _, err := New(ctx, db, Options{}); err == nil || !strings.HasPrefix(err.Error(), "mysqlstore: create table: ") {
		t.Errorf("New creating its table with the server down = %v, want mysqlstore: create table: ...", err)
	}
}

// silentServer accepts connections and never answers.
func silentServer(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return l.Addr().String()
}

func TestServerHangs(t *testing.T) {
	db := dbAt(t, silentServer(t))
	s, err := New(t.Context(), db, Options{DisableCreateDatabaseTable: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for op := range everyCall(s, t.Context()) {
		ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
		start := time.Now()
		err := everyCall(s, ctx)[op]()
		cancel()
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s on a silent server took %v, beyond its 300 ms deadline", op, d)
		}
		if !errors.Is(err, context.DeadlineExceeded) || !strings.HasPrefix(err.Error(), "mysqlstore: "+op+": ") {
			t.Errorf("%s on a silent server = %v, want mysqlstore: %s: ... wrapping context.DeadlineExceeded", op, err, op)
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	if _, err := New(ctx, db, Options{}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("New on a silent server = %v, want an error wrapping context.DeadlineExceeded", err)
	}
}

// proxy forwards TCP connections to the test server and can be stopped
// (dropping every connection) and started again on the same address, as a
// server restart looks to the client.
type proxy struct {
	t      *testing.T
	addr   string
	target string
	mu     sync.Mutex
	l      net.Listener
	conns  []net.Conn
}

func newProxy(t *testing.T) *proxy {
	cfg, err := mysql.ParseDSN(testDSN())
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Net != "tcp" {
		t.Skipf("MYSQL_DSN uses %s; the proxy needs tcp", cfg.Net)
	}
	p := &proxy{t: t, addr: "127.0.0.1:0", target: cfg.Addr}
	p.start()
	t.Cleanup(p.stop)
	return p
}

func (p *proxy) start() {
	l, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Fatalf("proxy: %v", err)
	}
	p.mu.Lock()
	p.l, p.addr = l, l.Addr().String()
	p.mu.Unlock()
	go p.accept(l)
}

func (p *proxy) accept(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		up, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, c, up)
		p.mu.Unlock()
		go func() { io.Copy(up, c); up.Close() }()
		go func() { io.Copy(c, up); c.Close() }()
	}
}

func (p *proxy) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.l != nil {
		p.l.Close()
		p.l = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func TestRecoversAfterServerRestart(t *testing.T) {
	testDB(t)
	p := newProxy(t)
	db := dbAt(t, p.addr)
	s := newTestStore(t, db, Options{})
	id, exp := newID(), time.Now().Add(time.Hour)
	data := rec(exp, "bob")
	if err := s.Set(testCtx(t), id, data, exp); err != nil {
		t.Fatal(err)
	}

	p.stop()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	_, _, err := s.Get(ctx, id)
	cancel()
	if err == nil || !strings.HasPrefix(err.Error(), "mysqlstore: get: ") {
		t.Fatalf("Get with the server gone = %v, want mysqlstore: get: ...", err)
	}

	p.start()
	got, found, err := s.Get(testCtx(t), id)
	if err != nil || !found || string(got) != string(data) {
		t.Fatalf("Get after the server came back = %s, %v, %v; want the record", got, found, err)
	}
	if err := s.Touch(testCtx(t), id, data, exp); err != nil {
		t.Fatalf("Touch after the server came back: %v", err)
	}
}

func TestRecoversAfterKill(t *testing.T) {
	admin := testDB(t)
	db, err := openTestDB(testDSN(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() }) // after the table is dropped
	db.SetMaxOpenConns(1)            // so that the connection killed is the store's
	s := newTestStore(t, db, Options{})
	ctx, id, exp := testCtx(t), newID(), time.Now().Add(time.Hour)
	data := rec(exp, "bob")
	if err := s.Set(ctx, id, data, exp); err != nil {
		t.Fatal(err)
	}
	var conn int64
	if err := db.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&conn); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.ExecContext(ctx, "KILL ?", conn); err != nil {
		t.Fatalf("KILL %d: %v", conn, err)
	}
	got, found, err := s.Get(ctx, id)
	if err != nil || !found || string(got) != string(data) {
		t.Fatalf("Get after the server killed the store's connection = %s, %v, %v; want the record", got, found, err)
	}
}
