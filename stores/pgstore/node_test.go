package pgstore

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// nodeModules is where the conformance harness installs the Node reference
// (connect-pg-simple 10, express-session, pg).
const nodeModules = "../../../shared/conformance/reference/node_modules"

// nodeScript drives the real connect-pg-simple on the test table: it reads
// the rows the Go store wrote, writes its own with the same records, and
// touches one of Go's, then prints what it read.
const nodeScript = `
const session = require('express-session')
const pg = require('pg')
const PGStore = require('connect-pg-simple')(session)
const env = JSON.parse(process.env.PGSTORE_TEST)
const pool = new pg.Pool({ connectionString: env.url, max: 2 })
const store = new PGStore({ pool, tableName: env.table, pruneSessionInterval: false })
const p = (f) => new Promise((resolve, reject) => f((err, v) => err ? reject(err) : resolve(v)))
;(async () => {
  const out = {}
  for (const sid of ['go-exp', 'go-none', 'go-expired']) out[sid] = (await p(cb => store.get(sid, cb))) ?? null
  await p(cb => store.set('node-exp', JSON.parse(env.recExp), cb))
  await p(cb => store.set('node-none', JSON.parse(env.recNone), cb))
  await p(cb => store.touch('go-touch', { cookie: { expires: env.touchExp } }, cb))
  process.stdout.write(JSON.stringify(out))
  await store.close()
  await pool.end()
})().catch((err) => { console.error(err); process.exit(1) })
`

// TestNodeInterop runs connect-pg-simple itself against the store's table
// (skipped when Node or the reference modules are not installed).
func TestNodeInterop(t *testing.T) {
	t.Parallel()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	if _, err := os.Stat(filepath.Join(nodeModules, "connect-pg-simple")); err != nil {
		t.Skipf("the Node reference is not installed in %s", nodeModules)
	}
	pool := testPool(t, "") // the server's TimeZone, as node-pg uses
	s := newStore(t, pool, Options{})

	exp := time.Now().Add(time.Hour).Truncate(time.Second).Add(321 * time.Millisecond)
	recExp := testRecord(exp, `,"user":{"id":42,"name":"alice","roles":["admin"]},"views":1,"text":"héllo ✓ \"q\" </script>"`)
	recNone := testRecord(time.Time{}, `,"views":2`)
	past := time.Now().Add(-time.Minute)
	for sid, w := range map[string]struct {
		data []byte
		exp  time.Time
	}{
		"go-exp": {recExp, exp}, "go-none": {recNone, time.Time{}},
		"go-expired": {testRecord(past, ""), past}, "go-touch": {recExp, exp},
	} {
		if err := s.Set(bg, sid, w.data, w.exp); err != nil {
			t.Fatal(err)
		}
	}
	touchExp := exp.Add(90 * time.Minute)

	env, _ := json.Marshal(map[string]string{
		"url": testURL(), "table": s.cfg.table,
		"recExp": string(recExp), "recNone": string(recNone),
		"touchExp": touchExp.UTC().Format("2006-01-02T15:04:05.000Z"),
	})
	ctx, cancel := context.WithTimeout(bg, 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "-e", nodeScript)
	cmd.Env = append(os.Environ(), "NODE_PATH="+nodeModules, "PGSTORE_TEST="+string(env))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.Bytes())
	}

	// Node reads what Go wrote, and not the expired row.
	var read map[string]json.RawMessage
	if err := json.Unmarshal(out, &read); err != nil {
		t.Fatalf("node printed %s: %v", out, err)
	}
	for sid, want := range map[string][]byte{"go-exp": recExp, "go-none": recNone, "go-expired": []byte("null")} {
		if !bytes.Equal(read[sid], want) {
			t.Errorf("Node's get(%s) = %s, want %s", sid, read[sid], want)
		}
	}

	// Go reads what Node wrote, byte for byte.
	for sid, want := range map[string][]byte{"node-exp": recExp, "node-none": recNone} {
		if got, ok, err := s.Get(bg, sid); err != nil || !bytes.Equal(got, want) {
			t.Errorf("Get(%s) = %s, %v, %v; want %s", sid, got, ok, err, want)
		}
	}

	// Both write the same expire for the same record.
	goExp, _ := rawRow(t, pool, s, "go-exp")
	nodeExp, _ := rawRow(t, pool, s, "node-exp")
	if goExp != nodeExp {
		t.Errorf("rows for the same record: Go %+v, Node %+v", goExp, nodeExp)
	}
	goNone, _ := rawRow(t, pool, s, "go-none")
	nodeNone, _ := rawRow(t, pool, s, "node-none")
	if d := wallDiff(t, goNone.expire, nodeNone.expire); d < 0 || d > 30*time.Second {
		t.Errorf("default-TTL expire: Go %s, Node %s (written later), want Node's at most seconds later", goNone.expire, nodeNone.expire)
	}

	// Node's touch moves Go's row as Go's Touch would.
	if err := s.Touch(bg, "go-exp", recExp, touchExp); err != nil {
		t.Fatal(err)
	}
	goTouched, _ := rawRow(t, pool, s, "go-exp")
	nodeTouched, _ := rawRow(t, pool, s, "go-touch")
	if goTouched != nodeTouched {
		t.Errorf("touched rows: Go %+v, Node %+v", goTouched, nodeTouched)
	}
}

func wallDiff(t *testing.T, a, b string) time.Duration {
	t.Helper()
	ta, err1 := time.Parse("2006-01-02 15:04:05", a)
	tb, err2 := time.Parse("2006-01-02 15:04:05", b)
	if err1 != nil || err2 != nil {
		t.Fatalf("parsing %q, %q: %v %v", a, b, err1, err2)
	}
	return tb.Sub(ta)
}
