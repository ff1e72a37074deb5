package redisstore

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// pttl returns the key's remaining lifetime as Redis reports it: -2 ms
// for a missing key, -1 ms for a key without expiry.
func pttl(t *testing.T, c *redis.Client, key string) time.Duration {
	t.Helper()
	d, err := c.PTTL(bg(), key).Result()
	if err != nil {
		t.Fatalf("PTTL %s: %v", key, err)
	}
	if d < 0 {
		return d / time.Nanosecond * time.Millisecond // go-redis passes -1 and -2 through as ns
	}
	return d
}

// wantEX checks that key was just given the lifetime EX secs: its PTTL is
// at most secs and more than secs-1 seconds (the test takes well under a
// second between the write and the check).
func wantEX(t *testing.T, c *redis.Client, key string, secs int64) {
	t.Helper()
	d := pttl(t, c, key)
	hi := time.Duration(secs) * time.Second
	if d > hi || d <= hi-time.Second {
		t.Errorf("%s: PTTL %v, want the lifetime of EX %d (in (%v, %v])", key, d, secs, hi-time.Second, hi)
	}
}

func wantMissing(t *testing.T, c *redis.Client, key string) {
	t.Helper()
	if n, err := c.Exists(bg(), key).Result(); err != nil || n != 0 {
		t.Errorf("%s: EXISTS = %d, %v; want 0 (deleted)", key, n, err)
	}
}

// fixedClock makes s compute lifetimes from now, so that the test knows
// the exact remaining milliseconds; Redis still counts from its own clock.
func fixedClock(s *Store, now time.Time) { s.now = func() time.Time { return now } }

// TestSetLifetime checks connect-redis's getTTL: the milliseconds left,
// divided by 1000 and rounded up; deleted at zero or less.
func TestSetLifetime(t *testing.T) {
	c := newTestClient(t)
	s := newTestStore(t, c, Options{})
	now := time.UnixMilli(time.Now().UnixMilli())
	fixedClock(s, now)
	cases := []struct {
		after time.Duration
		ex    int64 // 0: deleted
	}{
		{time.Millisecond, 1},
		{999 * time.Millisecond, 1},
		{time.Second, 1},
		{1001 * time.Millisecond, 2},
		{1500 * time.Millisecond, 2},
		{time.Hour, 3600},
		{time.Hour + time.Millisecond, 3601},
		{400 * 24 * time.Hour, 400 * 86400},
		{0, 0},
		{-time.Millisecond, 0},
		{-time.Hour, 0},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.after), func(t *testing.T) {
			id := rand32()
			exp := now.Add(tc.after)
			data := record(exp, "bob")
			if err := s.Set(bg(), id, data, exp); err != nil {
				t.Fatal(err)
			}
			if tc.ex == 0 {
				wantMissing(t, c, s.key(id))
				return
			}
			wantEX(t, c, s.key(id), tc.ex)
			raw, err := c.Get(bg(), s.key(id)).Bytes()
			if err != nil || !bytes.Equal(raw, data) {
				t.Errorf("GET %s = %q, %v; want the record unchanged: %q", s.key(id), raw, err, data)
			}
		})
	}
}

// TestSetLifetimeWholeMilliseconds: Node subtracts Date.now() from the
// ISO string's instant, both whole milliseconds, before rounding up; a
// sub-millisecond difference must not add a second.
func TestSetLifetimeWholeMilliseconds(t *testing.T) {
	c := newTestClient(t)
	s := newTestStore(t, c, Options{})
	base := time.UnixMilli(time.Now().UnixMilli())
	fixedClock(s, base.Add(100*time.Microsecond))
	exp := base.Add(time.Second + 900*time.Microsecond) // 1000.8 ms later, 1000 ms in JavaScript
	id := rand32()
	if err := s.Set(bg(), id, record(exp, "bob"), exp); err != nil {
		t.Fatal(err)
	}
	wantEX(t, c, s.key(id), 1)
}

// TestDefaultLifetime: a session without expiry lives TTL, a day unless
// set, and a touch gives it that again.
func TestDefaultLifetime(t *testing.T) {
	c := newTestClient(t)
	for _, tc := range []struct {
		ttl  time.Duration
		secs int64
	}{{0, 86400}, {-time.Second, 86400}, {5 * time.Second, 5}, {1500 * time.Millisecond, 2}, {time.Hour, 3600}} {
		t.Run(fmt.Sprint(tc.ttl), func(t *testing.T) {
			s := newTestStore(t, c, Options{TTL: tc.ttl})
			id := rand32()
			if err := s.Set(bg(), id, record(time.Time{}, "bob"), time.Time{}); err != nil {
				t.Fatal(err)
			}
			wantEX(t, c, s.key(id), tc.secs)
			c.Expire(bg(), s.key(id), time.Minute)
			if err := s.Touch(bg(), id, record(time.Time{}, "bob"), time.Time{}); err != nil {
				t.Fatal(err)
			}
			wantEX(t, c, s.key(id), tc.secs)
		})
	}
}

// TestTouchOnlyExpires: a touch moves the TTL and leaves the stored bytes
// alone, whatever the record handed to it.
func TestTouchOnlyExpires(t *testing.T) {
	c := newTestClient(t)
	s := newTestStore(t, c, Options{})
	now := time.UnixMilli(time.Now().UnixMilli())
	fixedClock(s, now)
	id, exp := rand32(), now.Add(time.Hour)
	stored := record(exp, "bob")
	if err := s.Set(bg(), id, stored, exp); err != nil {
		t.Fatal(err)
	}
	later := now.Add(2*time.Hour + 500*time.Millisecond)
	if err := s.Touch(bg(), id, record(later, "mallory"), later); err != nil {
		t.Fatal(err)
	}
	wantEX(t, c, s.key(id), 7201)
	if raw, _ := c.Get(bg(), s.key(id)).Bytes(); !bytes.Equal(raw, stored) {
		t.Errorf("after Touch GET = %s, want the stored record %s", raw, stored)
	}
	// A touch to a past expiry lets Redis delete the key (EXPIRE with a
	// lifetime that is not positive), as with connect-redis.
	past := now.Add(-time.Second)
	if err := s.Touch(bg(), id, record(past, "bob"), past); err != nil {
		t.Fatal(err)
	}
	wantMissing(t, c, s.key(id))
	// A touch never creates a key.
	if err := s.Touch(bg(), id, record(later, "bob"), later); err != nil {
		t.Fatal(err)
	}
	wantMissing(t, c, s.key(id))
}

func TestDisableTouch(t *testing.T) {
	c := newTestClient(t)
	s := newTestStore(t, c, Options{DisableTouch: true})
	id, exp := rand32(), time.Now().Add(time.Minute+500*time.Millisecond)
	if err := s.Set(bg(), id, record(exp, "bob"), exp); err != nil {
		t.Fatal(err)
	}
	later := exp.Add(time.Hour)
	if err := s.Touch(bg(), id, record(later, "bob"), later); err != nil {
		t.Fatal(err)
	}
	wantEX(t, c, s.key(id), 61)
}

// TestDisableTTL: plain SET, which also drops the TTL an earlier save
// set; touches do nothing; a session already expired is still deleted.
func TestDisableTTL(t *testing.T) {
	c := newTestClient(t)
	s := newTestStore(t, c, Options{DisableTTL: true})
	id := rand32()
	key := s.key(id)
	c.Set(bg(), key, "old", time.Hour)
	exp := time.Now().Add(time.Hour)
	if err := s.Set(bg(), id, record(exp, "bob"), exp); err != nil {
		t.Fatal(err)
	}
	if d := pttl(t, c, key); d != -time.Millisecond {
		t.Errorf("PTTL after Set with DisableTTL = %v, want -1 (no expiry)", d)
	}
	if err := s.Touch(bg(), id, record(exp, "bob"), exp); err != nil {
		t.Fatal(err)
	}
	if d := pttl(t, c, key); d != -time.Millisecond {
		t.Errorf("PTTL after Touch with DisableTTL = %v, want -1 (no expiry)", d)
	}
	past := time.Now().Add(-time.Second)
	if err := s.Set(bg(), id, record(past, "bob"), past); err != nil {
		t.Fatal(err)
	}
	wantMissing(t, c, key)
}

// TestTTLFunc: like connect-redis's ttl function, it decides every
// lifetime, rounded up to seconds; zero deletes.
func TestTTLFunc(t *testing.T) {
	c := newTestClient(t)
	var gotData []byte
	var gotExp time.Time
	life := 90*time.Second + time.Millisecond
	s := newTestStore(t, c, Options{TTLFunc: func(data []byte, exp time.Time) time.Duration {
		gotData, gotExp = bytes.Clone(data), exp
		return life
	}})
	id, exp := rand32(), time.Now().Add(time.Hour)
	data := record(exp, "bob")
	if err := s.Set(bg(), id, data, exp); err != nil {
		t.Fatal(err)
	}
	wantEX(t, c, s.key(id), 91)
	if !bytes.Equal(gotData, data) || !gotExp.Equal(exp) {
		t.Errorf("TTLFunc got (%s, %v), want (%s, %v)", gotData, gotExp, data, exp)
	}
	life = 10 * time.Second
	if err := s.Touch(bg(), id, data, exp); err != nil {
		t.Fatal(err)
	}
	wantEX(t, c, s.key(id), 10)
	life = 0
	if err := s.Set(bg(), id, data, exp); err != nil {
		t.Fatal(err)
	}
	wantMissing(t, c, s.key(id))
}

// TestKeys: the key is the prefix and the ID, "sess:" by default, or the
// bare ID with NoPrefix; the value is a Redis string.
func TestKeys(t *testing.T) {
	c := newTestClient(t)
	p := testPrefix()
	for _, tc := range []struct {
		o    Options
		want string // key of the ID "ID"
	}{
		{Options{}, "sess:" + p},
		{Options{Prefix: p}, p},
		{Options{NoPrefix: true}, p},
	} {
		// The ID carries the random part where the prefix cannot.
		s := New(c, tc.o)
		id := p
		if tc.o.Prefix != "" {
			id = "id"
			tc.want += "id"
		}
		exp := time.Now().Add(time.Minute)
		if err := s.Set(bg(), id, record(exp, "bob"), exp); err != nil {
			t.Fatal(err)
		}
		if typ, err := c.Type(bg(), tc.want).Result(); err != nil || typ != "string" {
			t.Errorf("%+v: TYPE %s = %q, %v; want string", tc.o, tc.want, typ, err)
		}
		if err := s.Destroy(bg(), id); err != nil {
			t.Fatal(err)
		}
		wantMissing(t, c, tc.want)
	}
}

// TestEmptyValueIsNoSession: connect-redis reads an empty string as no
// session.
func TestEmptyValueIsNoSession(t *testing.T) {
	c := newTestClient(t)
	s := newTestStore(t, c, Options{})
	c.Set(bg(), s.key("empty"), "", time.Minute)
	if data, found, err := s.Get(bg(), "empty"); found || data != nil || err != nil {
		t.Errorf("Get of an empty value = %q, %v, %v; want not found", data, found, err)
	}
	if all, err := s.All(bg()); err != nil || len(all) != 0 {
		t.Errorf("All with an empty value = %v, %v; want none", all, err)
	}
}

// rand32 returns a fresh session ID.
func rand32() string { return rand.Text() }
