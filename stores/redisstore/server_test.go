package redisstore

import (
	"bytes"
	"context"
	"net"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// needBinaries skips t (fails it under CI=true) unless the named programs
// are on PATH.
func needBinaries(t *testing.T, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, err := exec.LookPath(n); err != nil {
			unavailable(t, "%s is not on PATH; it is needed to start a private Redis server for this test", n)
		}
	}
}

// freePort returns a TCP port on 127.0.0.1 that is free, and whose cluster
// bus port (port + 10000) is free too.
func freePort(t *testing.T) int {
	t.Helper()
	for range 100 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		if port+10000 > 65535 {
			continue
		}
		if bus, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port+10000)); err == nil {
			bus.Close()
			return port
		}
	}
	t.Fatal("no free port pair found")
	return 0
}

// redisServer is a redis-server process started by a test.
type redisServer struct {
	port   int
	dir    string
	args   []string
	cmd    *exec.Cmd
	exited chan error // receives the process's exit
	out    *bytes.Buffer
}

func (r *redisServer) addr() string { return "127.0.0.1:" + strconv.Itoa(r.port) }

// startRedis starts a redis-server that keeps nothing on disk, in its own
// directory, with extra arguments, and waits until it answers PING. It is
// killed when t ends.
func startRedis(t *testing.T, port int, extra ...string) *redisServer {
	t.Helper()
	r := &redisServer{port: port, dir: t.TempDir()}
	r.args = append([]string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", r.dir}, extra...)
	r.start(t)
	t.Cleanup(r.stop)
	return r
}

func (r *redisServer) start(t *testing.T) {
	t.Helper()
	r.out = &bytes.Buffer{}
	r.cmd = exec.Command("redis-server", r.args...)
	r.cmd.Stdout, r.cmd.Stderr = r.out, r.out
	if err := r.cmd.Start(); err != nil {
		t.Fatalf("starting redis-server: %v", err)
	}
	r.exited = make(chan error, 1)
	go func(cmd *exec.Cmd, exited chan<- error) { exited <- cmd.Wait() }(r.cmd, r.exited)
	c := redis.NewClient(&redis.Options{Addr: r.addr(), MaxRetries: -1})
	defer c.Close()
	deadline := time.After(10 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := c.Ping(ctx).Err()
		cancel()
		if err == nil {
			return
		}
		select {
		case werr := <-r.exited:
			r.cmd = nil
			t.Fatalf("redis-server on %s exited (%v):\n%s", r.addr(), werr, r.out)
		case <-deadline:
			r.stop()
			t.Fatalf("redis-server on %s did not answer within 10 s: %v\n%s", r.addr(), err, r.out)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// stop kills the server (it keeps nothing, so nothing is lost that a test
// relies on) and waits for it to exit.
func (r *redisServer) stop() {
	if r.cmd == nil {
		return
	}
	r.cmd.Process.Kill()
	<-r.exited
	r.cmd = nil
}

// startCluster starts three masters in cluster mode, joins them with
// redis-cli --cluster create and waits until every node reports
// cluster_state:ok. It returns their addresses.
func startCluster(t *testing.T) []string {
	t.Helper()
	needBinaries(t, "redis-server", "redis-cli")
	var addrs []string
	for range 3 {
		port := freePort(t)
		r := startRedis(t, port, "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf")
		addrs = append(addrs, r.addr())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	args := append([]string{"--cluster", "create"}, addrs...)
	args = append(args, "--cluster-replicas", "0", "--cluster-yes")
	if out, err := exec.CommandContext(ctx, "redis-cli", args...).CombinedOutput(); err != nil {
		t.Fatalf("redis-cli --cluster create: %v\n%s", err, out)
	}
	for _, a := range addrs {
		waitClusterOK(t, ctx, a)
	}
	return addrs
}

func waitClusterOK(t *testing.T, ctx context.Context, addr string) {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: addr})
	defer c.Close()
	for {
		info, err := c.ClusterInfo(ctx).Result()
		if err == nil && bytes.Contains([]byte(info), []byte("cluster_state:ok")) {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("cluster node %s not ok: %v\n%s", addr, err, info)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// newClusterClient returns a client of the cluster at addrs, closed when t
// ends.
func newClusterClient(t *testing.T, addrs []string) *redis.ClusterClient {
	t.Helper()
	c := redis.NewClusterClient(&redis.ClusterOptions{Addrs: addrs})
	t.Cleanup(func() { c.Close() })
	if err := c.Ping(bg()).Err(); err != nil {
		t.Fatalf("cluster ping: %v", err)
	}
	return c
}
