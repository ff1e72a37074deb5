package redisstore

import (
	"context"
	"crypto/rand"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

const defaultRedisURL = "redis://127.0.0.1:6379/0"

// redisURL is the single-node server the tests use: REDIS_URL, or the
// local default.
func redisURL() string {
	if u := os.Getenv("REDIS_URL"); u != "" {
		return u
	}
	return defaultRedisURL
}

// unavailable skips t because something the test needs is missing, or
// fails it under CI=true, where everything must be there.
func unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf(format, args...)
	}
	t.Skipf(format, args...)
}

// newTestClient returns a client of the REDIS_URL server, closed when t
// ends, or skips t when the server does not answer.
func newTestClient(t testing.TB) *redis.Client {
	t.Helper()
	opt, err := redis.ParseURL(redisURL())
	if err != nil {
		t.Fatalf("REDIS_URL=%q: %v", redisURL(), err)
	}
	c := redis.NewClient(opt)
	t.Cleanup(func() { c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		unavailable(t, "redis not reachable at REDIS_URL=%s (set REDIS_URL to a server that can be used for tests): %v", redisURL(), err)
	}
	return c
}

// testPrefix returns a key prefix no other test, run or process uses.
func testPrefix() string { return "redisstore-test:" + rand.Text() + ":" }

// newTestStore returns a store with its own prefix (unless o sets one),
// cleared when t ends.
func newTestStore(t testing.TB, c redis.UniversalClient, o Options) *Store {
	t.Helper()
	if o.Prefix == "" && !o.NoPrefix {
		o.Prefix = testPrefix()
	}
	s := New(c, o)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.Clear(ctx); err != nil {
			t.Logf("clearing %q: %v", s.prefix, err)
		}
	})
	return s
}

// record returns a record as express-session writes it, with its cookie
// expiring at exp (a browser-session cookie for the zero time).
func record(exp time.Time, user string) []byte {
	b := []byte(`{"cookie":{"originalMaxAge":`)
	if exp.IsZero() {
		b = append(b, `null,"expires":null`...)
	} else {
		b = append(b, `3600000,"expires":"`...)
		b = exp.UTC().AppendFormat(b, "2006-01-02T15:04:05.000Z")
		b = append(b, '"')
	}
	return append(b, `,"httpOnly":true,"path":"/"},"user":"`+user+`"}`...)
}

func bg() context.Context { return context.Background() }
