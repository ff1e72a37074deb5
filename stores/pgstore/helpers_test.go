package pgstore

import (
	"context"
	"crypto/rand"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

const defaultTestURL = "postgres://root@127.0.0.1:5432/test"

// testURL is the server the tests use.
func testURL() string {
	if u := os.Getenv("POSTGRES_URL"); u != "" {
		return u
	}
	return defaultTestURL
}

// testPool connects to the test server with the given session TimeZone
// ("" for the server's default). Without a server the test is skipped, or
// fails when CI=true.
func testPool(t testing.TB, timezone string) *pgxpool.Pool {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(testURL())
	if err != nil {
		t.Fatalf("POSTGRES_URL=%q: %v", testURL(), err)
	}
	if timezone != "" {
		cfg.ConnConfig.RuntimeParams["timezone"] = timezone
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err == nil {
		err = pool.Ping(ctx)
	}
	if err != nil {
		if pool != nil {
			pool.Close()
		}
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL is not reachable at POSTGRES_URL=%s: %v", testURL(), err)
		}
		t.Skipf("PostgreSQL is not reachable at POSTGRES_URL=%s (set POSTGRES_URL to run these tests): %v", testURL(), err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// uniqueName returns a table name no other test or run uses.
func uniqueName(prefix string) string {
	return prefix + strings.ToLower(rand.Text()[:12])
}

// newStore returns a store on a fresh table, created, and dropped when the
// test ends.
func newStore(t testing.TB, pool *pgxpool.Pool, o Options) *Store {
	t.Helper()
	if o.TableName == "" {
		o.TableName = uniqueName("pgstore_test_")
	}
	if o.PruneSessionInterval == 0 {
		o.PruneSessionInterval = -1
	}
	s := New(pool, o)
	t.Cleanup(func() { s.Close() })
	if err := s.CreateTable(context.Background()); err != nil {
		t.Fatal(err)
	}
	dropLater(t, pool, s.Table())
	return s
}

// dropLater drops the quoted table when the test ends.
func dropLater(t testing.TB, pool *pgxpool.Pool, quoted string) {
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err := pool.Exec(ctx, "DROP TABLE IF EXISTS "+quoted); err != nil {
			t.Errorf("dropping %s: %v", quoted, err)
		}
	})
}

// row is a stored row as the database has it.
type row struct {
	sess   string // the json column's text
	expire string // the timestamp's wall clock, as PostgreSQL prints it
}

// rawRow reads the row of sid directly, whatever its expiry.
func rawRow(t testing.TB, pool *pgxpool.Pool, s *Store, sid string) (row, bool) {
	t.Helper()
	var r row
	err := pool.QueryRow(context.Background(),
		`SELECT sess::text, expire::text FROM `+s.Table()+` WHERE sid = $1`, sid).Scan(&r.sess, &r.expire)
	if err != nil {
		if strings.Contains(err.Error(), "no rows") {
			return row{}, false
		}
		t.Fatalf("reading row %q: %v", sid, err)
	}
	return r, true
}

// wallClock is how PostgreSQL prints a timestamp(6) holding the epoch
// second sec on a UTC connection.
func wallClock(sec int64) string {
	return time.Unix(sec, 0).UTC().Format("2006-01-02 15:04:05")
}

// testRecord is an express-session record expiring at exp (none if zero).
func testRecord(exp time.Time, extra string) []byte {
	if exp.IsZero() {
		return []byte(`{"cookie":{"originalMaxAge":null,"expires":null,"httpOnly":true,"path":"/"}` + extra + `}`)
	}
	return []byte(`{"cookie":{"originalMaxAge":3600000,"expires":"` +
		exp.UTC().Format("2006-01-02T15:04:05.000Z") + `","httpOnly":true,"path":"/"}` + extra + `}`)
}
