package pgstore

import (
	"log"
	"math"
	"math/rand/v2"
	"strings"
	"time"
)

// Defaults of connect-pg-simple 10.
const (
	// DefaultTableName is connect-pg-simple's default tableName.
	DefaultTableName = "session"
	// DefaultTTL is how long a session without an expiry is kept:
	// connect-pg-simple's ONE_DAY, used when its ttl option is unset or 0.
	DefaultTTL = 24 * time.Hour
	// DefaultPruneSessionInterval is connect-pg-simple's default
	// pruneSessionInterval (900 seconds).
	DefaultPruneSessionInterval = 15 * time.Minute
)

// Options configures a [Store]. The zero value is connect-pg-simple's
// defaults. A Go store and a Node store sharing a table must agree on
// TableName, SchemaName and TTL.
type Options struct {
	// TableName is connect-pg-simple's tableName: the table holding the
	// sessions. Default "session". It is quoted, so it is case-sensitive.
	// For compatibility with connect-pg-simple's deprecated form, a name
	// like `schema"."table` with SchemaName empty means table "table" in
	// schema "schema".
	TableName string

	// SchemaName is connect-pg-simple's schemaName: the table's schema.
	// Default "": the connection's search_path decides.
	SchemaName string

	// TTL is connect-pg-simple's ttl (there in seconds): how long a session
	// without an expiry (a browser-session cookie) is kept after each Set or
	// Touch. Default 24h; zero means the default, as in Node. It has no
	// effect on sessions that have an expiry.
	TTL time.Duration

	// DisableTouch is connect-pg-simple's disableTouch: Touch does nothing,
	// so a session only lives until the expiry of its last Set. Default
	// false.
	DisableTouch bool

	// CreateTableIfMissing is connect-pg-simple's createTableIfMissing:
	// the first call creates the table and its index when the table does
	// not exist (see [Store.CreateTable]). Default false: the table must
	// exist.
	CreateTableIfMissing bool

	// PruneSessionInterval is connect-pg-simple's pruneSessionInterval
	// (there in seconds, false to disable): how often expired rows are
	// deleted. Default 15 minutes; zero means the default, as in Node;
	// negative disables pruning (pruneSessionInterval: false), for example
	// when another instance or a cron job prunes the table.
	PruneSessionInterval time.Duration

	// PruneSessionRandomizedInterval is connect-pg-simple's
	// pruneSessionRandomizedInterval: it turns PruneSessionInterval into
	// the delay before each prune, so that instances started together do
	// not all prune at once. Default nil: a uniformly random delay of 50 %
	// to 150 % of the interval, as Node's default.
	PruneSessionRandomizedInterval func(interval time.Duration) time.Duration

	// DisablePruneRandomization is connect-pg-simple's
	// pruneSessionRandomizedInterval: false: every delay is exactly
	// PruneSessionInterval. Default false.
	DisablePruneRandomization bool

	// ErrorLog is connect-pg-simple's errorLog: it receives the errors of
	// background pruning, which has no caller to return them to. Default
	// the standard logger (Node: console.error).
	ErrorLog func(msg string, err error)
}

// config is Options with the defaults applied.
type config struct {
	schema, table string
	ttl           time.Duration
	disableTouch  bool
	createTable   bool
	pruneDelay    func() time.Duration // nil: no pruning
	errorLog      func(msg string, err error)
}

func (o Options) config() config {
	c := config{
		schema:       o.SchemaName,
		table:        o.TableName,
		ttl:          o.TTL,
		disableTouch: o.DisableTouch,
		createTable:  o.CreateTableIfMissing,
		errorLog:     o.ErrorLog,
	}
	if c.table == "" {
		c.table = DefaultTableName
	}
	if c.schema == "" {
		c.schema, c.table = splitLegacyTable(c.table)
	}
	if c.ttl == 0 {
		c.ttl = DefaultTTL
	}
	if c.errorLog == nil {
		c.errorLog = func(msg string, err error) { log.Print(msg, " ", err) }
	}
	c.pruneDelay = o.pruneDelay()
	return c
}

// splitLegacyTable reads connect-pg-simple's deprecated
// tableName: 'schema"."table', which Node rewrites only when both parts
// are free of other quotes.
func splitLegacyTable(name string) (schema, table string) {
	s, t, ok := strings.Cut(name, `"."`)
	if !ok || s == "" || t == "" || strings.Contains(s, `"`) || strings.Contains(t, `"`) {
		return "", name
	}
	return s, t
}

// pruneDelay returns the function giving the delay before each prune.
func (o Options) pruneDelay() func() time.Duration {
	interval := o.PruneSessionInterval
	switch {
	case interval < 0:
		return nil
	case interval == 0:
		interval = DefaultPruneSessionInterval
	}
	switch {
	case o.DisablePruneRandomization:
		return func() time.Duration { return interval }
	case o.PruneSessionRandomizedInterval != nil:
		return func() time.Duration { return o.PruneSessionRandomizedInterval(interval) }
	}
	return func() time.Duration { return randomizedDelay(interval, rand.Float64()) }
}

// randomizedDelay is Node's default randomiser, ceil(d/2 + d·r) for r in
// [0, 1), in whole milliseconds as setTimeout counts them.
func randomizedDelay(d time.Duration, r float64) time.Duration {
	ms := float64(d) / float64(time.Millisecond)
	return time.Duration(math.Ceil(ms/2+ms*r)) * time.Millisecond
}
