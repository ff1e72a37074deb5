package mysqlstore

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
)

// Tests against express-mysql-session itself, run by Node from the
// conformance harness's reference app (SESSIONKIT_NODE_REFERENCE, default
// ../../../shared/conformance/reference). They are skipped where Node or the
// reference is not installed.

const defaultReference = "../../../shared/conformance/reference"

// nodeOp is one call testdata/node_store.js makes on the Node store.
type nodeOp struct {
	Op   string          `json:"op"`
	SID  string          `json:"sid,omitempty"`
	Sess json.RawMessage `json:"sess,omitempty"`
}

// runNode runs ops on an express-mysql-session store on table and returns
// each op's result (the session for get, Date.now() for now).
func runNode(t *testing.T, table string, ops ...nodeOp) []json.RawMessage {
	t.Helper()
	ref := os.Getenv("SESSIONKIT_NODE_REFERENCE")
	if ref == "" {
		ref = defaultReference
	}
	if abs, err := filepath.Abs(ref); err == nil {
		ref = abs // node's createRequire wants an absolute path
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	if _, err := os.Stat(filepath.Join(ref, "node_modules", "express-mysql-session")); err != nil {
		t.Skipf("express-mysql-session is not installed under SESSIONKIT_NODE_REFERENCE=%s", ref)
	}
	cfg, err := mysql.ParseDSN(testDSN())
	if err != nil || cfg.Net != "tcp" {
		t.Skipf("MYSQL_DSN %q is not a tcp DSN the Node test can use", testDSN())
	}
	host, portText, _ := strings.Cut(cfg.Addr, ":")
	port, _ := strconv.Atoi(portText)
	if ops == nil {
		ops = []nodeOp{}
	}
	input, _ := json.Marshal(map[string]any{
		"connection": map[string]any{"host": host, "port": port, "user": cfg.User, "password": cfg.Passwd, "database": cfg.DBName},
		"options":    map[string]any{"schema": map[string]any{"tableName": table}},
		"ops":        ops,
	})
	cmd := exec.CommandContext(testCtx(t), node, filepath.Join("testdata", "node_store.js"), ref)
	cmd.Stdin = bytes.NewReader(input)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.Bytes())
	}
	var res []json.RawMessage
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("node printed %q: %v", out, err)
	}
	return res
}

// TestNodeTable: the table express-mysql-session creates is the one New
// creates.
func TestNodeTable(t *testing.T) {
	db := testDB(t)
	goTable, nodeTable := tableName(t), tableName(t)
	dropTable(t, db, goTable)
	dropTable(t, db, nodeTable)
	runNode(t, nodeTable)
	s, err := New(testCtx(t), db, Options{TableName: goTable})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	show := func(table string) string {
		var name, ddl string
		if err := db.QueryRowContext(testCtx(t), "SHOW CREATE TABLE "+quoteIdent(table)).Scan(&name, &ddl); err != nil {
			t.Fatal(err)
		}
		return strings.Replace(ddl, table, "T", 1)
	}
	if g, n := show(goTable), show(nodeTable); g != n {
		t.Errorf("Go's table:\n%s\nNode's table:\n%s", g, n)
	}
}

// TestNodeRows: Go and Node write the same rows for the same sessions, and
// each reads the other's.
func TestNodeRows(t *testing.T) {
	db := testDB(t)
	goTable, nodeTable := tableName(t), tableName(t)
	s := newTestStore(t, db, Options{TableName: goTable})
	dropTable(t, db, nodeTable)
	ctx := testCtx(t)

	base := time.Now().Add(time.Hour).Truncate(time.Second)
	type session struct {
		id  string
		exp time.Time
	}
	var sessions []session
	for _, ms := range []int{0, 1, 499, 500, 501, 999} {
		sessions = append(sessions, session{newID(), base.Add(time.Duration(ms) * time.Millisecond)})
	}
	sessions = append(sessions, session{newID(), time.Time{}}) // browser-session cookie: default expiration
	var ops []nodeOp
	for _, ss := range sessions {
		data := recUnicode(ss.exp)
		if err := s.Set(ctx, ss.id, data, ss.exp); err != nil {
			t.Fatal(err)
		}
		ops = append(ops, nodeOp{Op: "now"}, nodeOp{Op: "set", SID: ss.id, Sess: data}, nodeOp{Op: "now"})
	}
	res := runNode(t, nodeTable, ops...)

	for i, ss := range sessions {
		g, _ := readRow(t, db, goTable, ss.id)
		n, _ := readRow(t, db, nodeTable, ss.id)
		if g.data != n.data {
			t.Errorf("session %d: Go wrote data\n%s\nNode wrote\n%s", i, g.data.String, n.data.String)
		}
		switch {
		case !ss.exp.IsZero() && g.expires != n.expires:
			t.Errorf("session %d expiring at %s: Go wrote expires %d, Node %d", i, ss.exp.Format(time.RFC3339Nano), g.expires, n.expires)
		case ss.exp.IsZero():
			// Each side computed its own now: check Node's against the
			// formula the Go store uses, at Node's clock.
			var before, after int64
			json.Unmarshal(res[3*i], &before)
			json.Unmarshal(res[3*i+2], &after)
			between(t, "Node's set without expiry", n.expires, time.UnixMilli(before), time.UnixMilli(after), DefaultExpiration)
		}
		// Go reads Node's row.
		if got, found, err := s.Get(ctx, ss.id); err != nil || !found || string(got) != n.data.String {
			t.Errorf("session %d: Go's Get = %s, %v, %v", i, got, found, err)
		}
	}

	// Node reads Go's rows and touches them; Go reads Node's touch.
	exp := base.Add(2*time.Hour + 500*time.Millisecond)
	ops = ops[:0]
	for _, ss := range sessions {
		ops = append(ops, nodeOp{Op: "get", SID: ss.id}, nodeOp{Op: "touch", SID: ss.id, Sess: recUnicode(exp)})
	}
	res = runNode(t, goTable, ops...)
	for i, ss := range sessions {
		var got, want any
		json.Unmarshal(res[2*i], &got)
		json.Unmarshal(recUnicode(ss.exp), &want)
		if !jsonEqual(got, want) {
			t.Errorf("session %d: Node's get of Go's row = %s", i, res[2*i])
		}
		r, _ := readRow(t, db, goTable, ss.id)
		if r.expires != roundSeconds(exp.UnixMilli()) || r.data.String != string(recUnicode(ss.exp)) {
			t.Errorf("session %d after Node's touch: expires %d, data %s; want %d and the data unchanged", i, r.expires, r.data.String, roundSeconds(exp.UnixMilli()))
		}
	}
}

// recUnicode is a record as express-session writes it, with text that
// must survive both drivers unchanged.
func recUnicode(exp time.Time) []byte {
	cookie := `"originalMaxAge":null,"expires":null`
	if !exp.IsZero() {
		cookie = `"originalMaxAge":3600000,"expires":"` + exp.UTC().Format("2006-01-02T15:04:05.000Z") + `"`
	}
	return []byte(`{"cookie":{` + cookie + `,"httpOnly":true,"path":"/"},"text":"héllo ✓ \"q\" </script> 😀 👨‍👩‍👧 会话","n":1}`)
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}
