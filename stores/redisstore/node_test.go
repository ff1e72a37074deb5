package redisstore

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// The Node side of the cross-checks: connect-redis itself, from the
// conformance harness's reference app unless NODE_REFERENCE_MODULES names
// another node_modules directory holding connect-redis 9 and redis 5.
const defaultNodeModules = "../../../shared/conformance/reference/node_modules"

// nodeStore is a connect-redis store in a Node process, driven over
// stdin/stdout by testdata/connect-redis-driver.js.
type nodeStore struct {
	t       *testing.T
	prefix  string
	options map[string]any
	in      io.Writer
	out     *bufio.Scanner
}

// startNode starts the driver; it is stopped when t ends. It skips t
// when node or connect-redis is not installed.
func startNode(t *testing.T) (in io.Writer, out *bufio.Scanner) {
	t.Helper()
	mods := os.Getenv("NODE_REFERENCE_MODULES")
	if mods == "" {
		mods = defaultNodeModules
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not on PATH: the cross-check with connect-redis needs it")
	}
	if _, err := os.Stat(filepath.Join(mods, "connect-redis")); err != nil {
		t.Skipf("connect-redis not found in %s (set NODE_REFERENCE_MODULES): %v", mods, err)
	}
	cmd := exec.Command("node", "testdata/connect-redis-driver.js")
	cmd.Env = append(os.Environ(), "NODE_PATH="+mods, "REDIS_URL="+redisURL())
	cmd.Stderr = os.Stderr
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting node: %v", err)
	}
	t.Cleanup(func() {
		stdin.Close()
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	out = bufio.NewScanner(stdout)
	out.Buffer(nil, 4<<20)
	if !out.Scan() {
		t.Fatalf("the connect-redis driver did not start: %v", out.Err())
	}
	return stdin, out
}

// call sends one request and returns the answer.
func (n *nodeStore) call(req map[string]any) map[string]any {
	n.t.Helper()
	req["prefix"], req["options"] = n.prefix, n.options
	line, _ := json.Marshal(req)
	if _, err := n.in.Write(append(line, '\n')); err != nil {
		n.t.Fatalf("writing to node: %v", err)
	}
	if !n.out.Scan() {
		n.t.Fatalf("node did not answer %s: %v", line, n.out.Err())
	}
	var resp map[string]any
	if err := json.Unmarshal(n.out.Bytes(), &resp); err != nil {
		n.t.Fatalf("node answered %q: %v", n.out.Bytes(), err)
	}
	if e, ok := resp["error"]; ok {
		n.t.Fatalf("connect-redis %v: %v", req["op"], e)
	}
	return resp
}

func (n *nodeStore) Set(_ context.Context, id string, data []byte, _ time.Time) error {
	n.call(map[string]any{"op": "set", "sid": id, "json": string(data)})
	return nil
}

func (n *nodeStore) Touch(_ context.Context, id string, data []byte, _ time.Time) error {
	n.call(map[string]any{"op": "touch", "sid": id, "json": string(data)})
	return nil
}

func (n *nodeStore) Destroy(_ context.Context, id string) error {
	n.call(map[string]any{"op": "destroy", "sid": id})
	return nil
}

// Get returns the record as connect-redis parses it, re-serialised.
func (n *nodeStore) Get(_ context.Context, id string) ([]byte, bool, error) {
	s, _ := n.call(map[string]any{"op": "get", "sid": id})["json"].(string)
	return []byte(s), s != "", nil
}

func (n *nodeStore) Len(context.Context) (int, error) {
	return int(n.call(map[string]any{"op": "length"})["n"].(float64)), nil
}
