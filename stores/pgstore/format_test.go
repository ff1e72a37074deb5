package pgstore

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// The tests in this file read the rows back with SQL and compare them with
// what connect-pg-simple 10 writes for the same session (spec §3.1–3.3).

var bg = context.Background()

func TestSetWritesNodeRow(t *testing.T) {
	t.Parallel()
	pool := testPool(t, "UTC")
	s := newStore(t, pool, Options{})
	base := time.Now().Add(time.Hour).Truncate(time.Second)
	cases := []struct {
		name    string
		expires time.Time
		want    int64 // epoch second in expire
	}{
		// Math.ceil(expires_ms / 1000): any fraction goes up ...
		{"fraction rounds up", base.Add(321 * time.Millisecond), base.Unix() + 1},
		{"one millisecond rounds up", base.Add(time.Millisecond), base.Unix() + 1},
		// ... a whole second stays ...
		{"whole second", base, base.Unix()},
		// ... and sub-millisecond parts do not exist in a JavaScript Date.
		{"below a millisecond", base.Add(999 * time.Microsecond), base.Unix()},
		{"past", base.Add(-2*time.Hour + 500*time.Millisecond), base.Unix() - 7199},
	}
	for i, tc := range cases {
		sid := fmt.Sprintf("sid-%d", i)
		data := testRecord(tc.expires, `,"user":{"id":42,"name":"alice"},"text":"héllo ✓ \"q\" </script>"`)
		if err := s.Set(bg, sid, data, tc.expires); err != nil {
			t.Fatal(err)
		}
		r, ok := rawRow(t, pool, s, sid)
		if !ok {
			t.Fatalf("%s: no row", tc.name)
		}
		if r.sess != string(data) {
			t.Errorf("%s: sess = %s, want the record unchanged: %s", tc.name, r.sess, data)
		}
		if want := wallClock(tc.want); r.expire != want {
			t.Errorf("%s: expire = %s, want %s", tc.name, r.expire, want)
		}
	}
}

func TestSetWithoutExpiryUsesTTL(t *testing.T) {
	t.Parallel()
	pool := testPool(t, "UTC")
	for _, tc := range []struct {
		ttl, want time.Duration
	}{
		{0, 86400 * time.Second}, // Node: this.ttl || ONE_DAY
		{90 * time.Second, 90 * time.Second},
		{1500 * time.Millisecond, 1500 * time.Millisecond},
	} {
		s := newStore(t, pool, Options{TTL: tc.ttl})
		before := time.Now()
		if err := s.Set(bg, "browser", testRecord(time.Time{}, ""), time.Time{}); err != nil {
			t.Fatal(err)
		}
		after := time.Now()
		r, _ := rawRow(t, pool, s, "browser")
		lo := expireSeconds(time.Time{}, before, tc.want)
		hi := expireSeconds(time.Time{}, after, tc.want)
		if r.expire != wallClock(lo) && r.expire != wallClock(hi) {
			t.Errorf("TTL %v: expire = %s, want %s (ceil(now + %v))", tc.ttl, r.expire, wallClock(lo), tc.want)
		}
	}
}

func TestExpireSeconds(t *testing.T) {
	now := time.UnixMilli(1_795_445_765_235)
	for _, tc := range []struct {
		expires time.Time
		ttl     time.Duration
		want    int64
	}{
		{time.UnixMilli(1_795_445_765_001), DefaultTTL, 1_795_445_766},
		{time.UnixMilli(1_795_445_765_000), DefaultTTL, 1_795_445_765},
		{time.UnixMilli(-1_500), DefaultTTL, -1}, // Math.ceil(-1.5)
		{time.Time{}, DefaultTTL, 1_795_445_766 + 86400},
		{time.Time{}, 500 * time.Millisecond, 1_795_445_766}, // ceil(…765.235 + 0.5)
		{time.Time{}, 800 * time.Millisecond, 1_795_445_767}, // ceil(…766.035)
	} {
		if got := expireSeconds(tc.expires, now, tc.ttl); got != tc.want {
			t.Errorf("expireSeconds(%v, ttl %v) = %d, want %d", tc.expires.UnixMilli(), tc.ttl, got, tc.want)
		}
	}
	if got := nowSeconds(time.UnixMilli(1000)); got != 1 {
		t.Errorf("nowSeconds(1000 ms) = %d, want 1", got)
	}
	if got := nowSeconds(time.UnixMilli(1001)); got != 2 {
		t.Errorf("nowSeconds(1001 ms) = %d, want 2", got)
	}
}

func TestTouchMovesOnlyExpire(t *testing.T) {
	t.Parallel()
	pool := testPool(t, "UTC")
	s := newStore(t, pool, Options{TTL: time.Hour})
	exp := time.Now().Add(time.Hour)
	data := testRecord(exp, `,"views":1`)
	if err := s.Set(bg, "a", data, exp); err != nil {
		t.Fatal(err)
	}
	later := exp.Add(2*time.Hour + 100*time.Millisecond)
	if err := s.Touch(bg, "a", testRecord(later, `,"views":2`), later); err != nil {
		t.Fatal(err)
	}
	r, _ := rawRow(t, pool, s, "a")
	if r.sess != string(data) {
		t.Errorf("after Touch sess = %s, want it unchanged: %s", r.sess, data)
	}
	if want := wallClock(ceilDiv1000(later.UnixMilli())); r.expire != want {
		t.Errorf("after Touch expire = %s, want %s", r.expire, want)
	}

	// A session without expiry is touched to now + TTL, as Node does.
	before := time.Now()
	if err := s.Touch(bg, "a", testRecord(time.Time{}, ""), time.Time{}); err != nil {
		t.Fatal(err)
	}
	after := time.Now()
	r, _ = rawRow(t, pool, s, "a")
	lo, hi := expireSeconds(time.Time{}, before, time.Hour), expireSeconds(time.Time{}, after, time.Hour)
	if r.expire != wallClock(lo) && r.expire != wallClock(hi) {
		t.Errorf("after Touch without expiry expire = %s, want %s", r.expire, wallClock(lo))
	}
}

func TestDisableTouch(t *testing.T) {
	t.Parallel()
	pool := testPool(t, "UTC")
	s := newStore(t, pool, Options{DisableTouch: true})
	exp := time.Now().Add(time.Hour)
	if err := s.Set(bg, "a", testRecord(exp, ""), exp); err != nil {
		t.Fatal(err)
	}
	before, _ := rawRow(t, pool, s, "a")
	later := exp.Add(time.Hour)
	if err := s.Touch(bg, "a", testRecord(later, ""), later); err != nil {
		t.Fatal(err)
	}
	if after, _ := rawRow(t, pool, s, "a"); after != before {
		t.Errorf("Touch with DisableTouch changed the row from %+v to %+v", before, after)
	}
	done, cancel := context.WithCancel(bg)
	cancel()
	if err := s.Touch(done, "a", testRecord(later, ""), later); err == nil {
		t.Error("Touch with DisableTouch and a canceled context = nil, want the context's error")
	}
}

// TestReadsNodeRows writes rows with connect-pg-simple's own statements
// and parameters as node-pg sends them (untyped text) and reads them back.
func TestReadsNodeRows(t *testing.T) {
	t.Parallel()
	pool := testPool(t, "UTC")
	s := newStore(t, pool, Options{})
	nodeSet := `INSERT INTO ` + s.Table() + ` (sess, expire, sid) SELECT $1, to_timestamp($2), $3 ` +
		`ON CONFLICT (sid) DO UPDATE SET sess=$1, expire=to_timestamp($2) RETURNING sid`
	write := func(sid, sess string, expire int64) {
		t.Helper()
		if _, err := pool.Exec(bg, nodeSet, sess, fmt.Sprint(expire), sid); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now()
	stale := testRecord(now.Add(-time.Hour), `,"user":"bob"`) // cookie.expires in the past
	write("live", string(stale), nowSeconds(now)+60)
	write("expired", string(stale), nowSeconds(now)-2)
	write("spaced", `{ "cookie" : {"originalMaxAge":null,"expires":null} , "a":1 }`, nowSeconds(now)+60)

	// Liveness is the expire column: the stale cookie.expires does not matter.
	if got, ok, err := s.Get(bg, "live"); err != nil || !ok || string(got) != string(stale) {
		t.Errorf("Get(live) = %s, %v, %v; want %s", got, ok, err, stale)
	}
	if got, ok, err := s.Get(bg, "expired"); err != nil || ok {
		t.Errorf("Get(expired) = %s, %v, %v; want not found", got, ok, err)
	}
	// json keeps the text as sent: nothing is normalised on the way back.
	if got, _, _ := s.Get(bg, "spaced"); string(got) != `{ "cookie" : {"originalMaxAge":null,"expires":null} , "a":1 }` {
		t.Errorf("Get(spaced) = %s, want the text as written", got)
	}
	all, err := s.All(bg)
	if err != nil || len(all) != 2 || all["expired"] != nil {
		t.Errorf("All = %d records (%v), want live and spaced", len(all), err)
	}
}

// TestGetBoundary: a row stays readable through the second in its expire
// column, since get compares with ceil(now) and >=.
func TestGetBoundary(t *testing.T) {
	t.Parallel()
	pool := testPool(t, "UTC")
	s := newStore(t, pool, Options{})
	now := nowSeconds(time.Now())
	for sid, exp := range map[string]int64{"at": now + 1, "before": now - 1} {
		if _, err := pool.Exec(bg, `INSERT INTO `+s.Table()+` VALUES ($1, '{"cookie":{}}', to_timestamp($2::float8))`, sid, exp); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok, err := s.Get(bg, "at"); !ok || err != nil {
		t.Errorf("Get of a row whose expire is ceil(now)+1: found=%v err=%v, want found", ok, err)
	}
	if _, ok, err := s.Get(bg, "before"); ok || err != nil {
		t.Errorf("Get of a row whose expire is ceil(now)-1: found=%v err=%v, want not found", ok, err)
	}
}

func TestCreateTableLayout(t *testing.T) {
	t.Parallel()
	pool := testPool(t, "")
	s := newStore(t, pool, Options{})
	rows, err := pool.Query(bg, `SELECT column_name, data_type, is_nullable, coalesce(datetime_precision, -1)
		FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`, s.cfg.table)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var name, typ, null string
		var prec int
		if err := rows.Scan(&name, &typ, &null, &prec); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s %s %s %d", name, typ, null, prec))
	}
	want := []string{
		"sid character varying NO -1",
		"sess json NO -1",
		"expire timestamp without time zone NO 6",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("columns = %q, want %q", got, want)
	}
	var pk, idx string
	err = pool.QueryRow(bg, `SELECT
		(SELECT string_agg(a.attname, ',') FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
		 WHERE i.indrelid = $1::regclass AND i.indisprimary),
		(SELECT indexdef FROM pg_indexes WHERE tablename = $2 AND indexname = $3)`,
		s.Table(), s.cfg.table, "IDX_"+s.cfg.table+"_expire").Scan(&pk, &idx)
	if err != nil {
		t.Fatal(err)
	}
	if pk != "sid" {
		t.Errorf("primary key on %q, want sid", pk)
	}
	if idx == "" {
		t.Errorf("no index IDX_%s_expire", s.cfg.table)
	}
}
