package redisstore

import (
	"bufio"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// monitor records, with redis-cli MONITOR, the commands the server
// receives that mention any of a set of key prefixes.
type monitor struct {
	cmd      *exec.Cmd
	prefixes []string
	ignore   string // "ip:port]" of the client whose commands are left out
	mu       sync.Mutex
	lines    []string
	done     chan struct{}
}

// startMonitor starts redis-cli monitor on the REDIS_URL server; it skips
// t when redis-cli is missing.
// The commands of the client check, which a test uses to look at the keys
// and which must have a single connection, are left out.
func startMonitor(t *testing.T, check *redis.Client, prefixes ...string) *monitor {
	t.Helper()
	needBinaries(t, "redis-cli")
	info, err := check.ClientInfo(bg()).Result()
	if err != nil {
		t.Fatal(err)
	}
	m := &monitor{prefixes: prefixes, ignore: " " + info.Addr + "]", done: make(chan struct{})}
	m.cmd = exec.Command("redis-cli", "-u", redisURL(), "monitor")
	out, _ := m.cmd.StdoutPipe()
	if err := m.cmd.Start(); err != nil {
		t.Fatalf("redis-cli monitor: %v", err)
	}
	t.Cleanup(func() { m.cmd.Process.Kill(); m.cmd.Wait() })
	sc := bufio.NewScanner(out)
	sc.Buffer(nil, 4<<20)
	if !sc.Scan() || sc.Text() != "OK" {
		t.Fatalf("redis-cli monitor did not start: %q %v", sc.Text(), sc.Err())
	}
	go func() {
		defer close(m.done)
		for sc.Scan() {
			m.add(sc.Text())
		}
	}()
	return m
}

func (m *monitor) add(line string) {
	if strings.Contains(line, m.ignore) {
		return
	}
	for _, p := range m.prefixes {
		if strings.Contains(line, p) {
			m.mu.Lock()
			m.lines = append(m.lines, line)
			m.mu.Unlock()
			return
		}
	}
}

// commands waits until the server has shown the monitor every command sent
// so far (by sending a marker through c, not the check client), and returns, for each prefix,
// the commands that named it, normalised: command names and keywords in
// lower case, the prefix replaced by "P".
func (m *monitor) commands(t *testing.T, c *redis.Client) map[string][]string {
	t.Helper()
	marker := m.prefixes[0] + "end-of-commands"
	if err := c.Echo(bg(), marker).Err(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		m.mu.Lock()
		n := len(m.lines)
		seen := n > 0 && strings.Contains(m.lines[n-1], marker)
		m.mu.Unlock()
		if seen {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("MONITOR did not show the marker command within 5 s")
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string][]string{}
	for _, line := range m.lines[:len(m.lines)-1] {
		for _, p := range m.prefixes {
			if strings.Contains(line, p) {
				out[p] = append(out[p], normalise(line, p))
				break
			}
		}
	}
	return out
}

// normalise turns a MONITOR line, `1700000000.123456 [0 127.0.0.1:5555]
// "SET" "sess:x" "{...}" "EX" "3601"`, into `set P:x {...} ex 3601`.
func normalise(line, prefix string) string {
	_, args, _ := strings.Cut(line, "] ")
	toks := monitorTokens(args)
	for i, tok := range toks {
		switch low := strings.ToLower(tok); {
		case i == 0, low == "ex" || low == "match" || low == "count":
			toks[i] = low
		default:
			toks[i] = strings.ReplaceAll(tok, prefix, "P")
		}
	}
	return strings.Join(toks, " ")
}

// monitorTokens splits redis-cli's quoted arguments, keeping their escapes
// (both sides of a comparison are escaped alike).
func monitorTokens(s string) []string {
	var toks []string
	for {
		start := strings.IndexByte(s, '"')
		if start < 0 {
			return toks
		}
		i := start + 1
		for i < len(s) && s[i] != '"' {
			if s[i] == '\\' {
				i++
			}
			i++
		}
		toks = append(toks, s[start+1:min(i, len(s))])
		if i >= len(s) {
			return toks
		}
		s = s[i+1:]
	}
}
