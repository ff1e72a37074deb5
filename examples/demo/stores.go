package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"

	"github.com/sessionkit/session/memstore"
	"github.com/sessionkit/session/store"
	"github.com/sessionkit/session/stores/filestore"
	"github.com/sessionkit/session/stores/mysqlstore"
	"github.com/sessionkit/session/stores/pgstore"
	"github.com/sessionkit/session/stores/redisstore"
	"github.com/sessionkit/session/stores/sqlitestore"
)

// defaultStore is an SQLite file in the working directory: no server to
// start, and sessions survive a restart.
const defaultStore = "sqlite:sessionkit-demo.db"

// connectTimeout bounds the first round trip to a store's server.
const connectTimeout = 5 * time.Second

// storeSpec is a parsed -store value.
type storeSpec struct {
	Kind   string // memory, sqlite, file, redis, postgres, mysql
	Target string // the path, directory, URL or DSN given
}

// parseStoreSpec reads the -store flag: "memory", "sqlite:PATH",
// "file:DIR", or the URL of a Redis, PostgreSQL or MySQL server.
func parseStoreSpec(spec string) (storeSpec, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		spec = defaultStore
	}
	scheme, rest, _ := strings.Cut(spec, ":")
	switch strings.ToLower(scheme) {
	case "memory", "mem":
		if rest != "" {
			break
		}
		return storeSpec{Kind: "memory"}, nil
	case "sqlite", "sqlite3":
		if p := localPath(rest); p != "" {
			return storeSpec{Kind: "sqlite", Target: p}, nil
		}
		return storeSpec{}, fmt.Errorf("store %q: give the database file, e.g. sqlite:sessionkit-demo.db", spec)
	case "file":
		if p := localPath(rest); p != "" {
			return storeSpec{Kind: "file", Target: p}, nil
		}
		return storeSpec{}, fmt.Errorf("store %q: give the directory, e.g. file:./sessions", spec)
	case "redis", "rediss":
		return storeSpec{Kind: "redis", Target: spec}, nil
	case "postgres", "postgresql":
		return storeSpec{Kind: "postgres", Target: spec}, nil
	case "mysql", "mariadb":
		dsn, err := mysqlDSN(strings.TrimPrefix(rest, "//"))
		if err != nil {
			return storeSpec{}, fmt.Errorf("store %q: %w", redactMySQL(spec), err)
		}
		return storeSpec{Kind: "mysql", Target: dsn}, nil
	}
	return storeSpec{}, fmt.Errorf("unknown store %q: want memory, sqlite:PATH, file:DIR, redis://HOST:PORT, "+
		"postgres://USER@HOST:PORT/DB or mysql://USER@HOST:PORT/DB", redactURL(spec))
}

// localPath accepts "PATH" and the URL-like "//PATH" (so that
// sqlite:///tmp/x.db is /tmp/x.db).
func localPath(s string) string {
	s = strings.TrimPrefix(s, "//")
	if s == "" {
		return ""
	}
	return filepath.Clean(s)
}

// mysqlDSN turns "user:pass@host:port/db?params" into a go-sql-driver DSN.
// A value that already is one ("user@tcp(host:port)/db") is kept.
func mysqlDSN(s string) (string, error) {
	var cfg *mysql.Config
	if strings.Contains(s, "(") {
		c, err := mysql.ParseDSN(s)
		if err != nil {
			return "", err
		}
		cfg = c
	} else {
		u, err := url.Parse("mysql://" + s)
		if err != nil {
			return "", err
		}
		cfg = mysql.NewConfig()
		cfg.User = u.User.Username()
		cfg.Passwd, _ = u.User.Password()
		cfg.Net, cfg.Addr = "tcp", u.Host
		if u.Port() == "" {
			cfg.Addr = hostPort(u.Hostname(), "3306")
		}
		cfg.DBName = strings.TrimPrefix(u.Path, "/")
		if u.RawQuery != "" {
			// Let the driver read its own parameters (tls, charset, ...).
			c, err := mysql.ParseDSN(cfg.FormatDSN() + "?" + u.RawQuery)
			if err != nil {
				return "", err
			}
			cfg = c
		}
	}
	if cfg.DBName == "" {
		return "", errors.New("no database name: mysql://USER@HOST:PORT/DB")
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = connectTimeout
	}
	return cfg.FormatDSN(), nil
}

func hostPort(host, port string) string {
	if host == "" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// describe returns the store for people: its kind and where it is, with any
// password hidden.
func (s storeSpec) describe() string {
	name, where := s.nameWhere()
	if where == "" {
		return name
	}
	return name + " " + where
}

// nameWhere splits describe's text into the kind of store and its place.
func (s storeSpec) nameWhere() (name, where string) {
	switch s.Kind {
	case "memory":
		return "memory (this process only)", ""
	case "sqlite":
		return "SQLite file", s.Target
	case "file":
		return "files in", s.Target + string(filepath.Separator)
	case "redis":
		return "Redis", redactURL(s.Target)
	case "postgres":
		return "PostgreSQL", redactURL(s.Target)
	case "mysql":
		return "MySQL", redactMySQL(s.Target)
	}
	return s.Kind, ""
}

// noun names the kind of store in a sentence: "kept in ...".
func (s storeSpec) noun() string {
	switch s.Kind {
	case "memory":
		return "the server's memory"
	case "sqlite":
		return "an SQLite file"
	case "file":
		return "one file per session"
	case "redis":
		return "Redis"
	case "postgres":
		return "PostgreSQL"
	case "mysql":
		return "MySQL"
	}
	return s.Kind
}

// browserSessionLifetime says how long the store keeps a session whose
// cookie has no expiry (the Manager's default here: no Cookie.MaxAge).
func (s storeSpec) browserSessionLifetime() string {
	switch s.Kind {
	case "memory":
		return "24 hours after its last save or touch (memstore.Options.DefaultTTL, set by this demo; " +
			"without it the memory store would keep such sessions until the process ends)"
	case "sqlite":
		return "24 hours after its last save: as in connect-sqlite3, a touch does not extend a session " +
			"without expiry, so one that is only read ends a day after it last changed"
	case "file":
		return "1 hour after its last save or touch (filestore.Options.TTL, session-file-store's default)"
	case "redis":
		return "24 hours after its last save or touch (the Redis key's TTL, connect-redis's default)"
	case "postgres":
		return "24 hours after its last save or touch (pgstore.Options.TTL, connect-pg-simple's default)"
	case "mysql":
		return "24 hours after its last save or touch (mysqlstore.Options.Expiration, express-mysql-session's default)"
	}
	return "as long as the store's default lifetime"
}

// defaultSecretFile is where the generated secret is kept: beside the
// database for the file-based stores, in the working directory otherwise,
// and nowhere for the memory store, whose sessions end with the process
// anyway.
func (s storeSpec) defaultSecretFile() string {
	switch s.Kind {
	case "memory":
		return ""
	case "sqlite":
		base := strings.TrimSuffix(s.Target, filepath.Ext(s.Target))
		if base == s.Target || filepath.Base(base) == "" {
			return s.Target + ".secret"
		}
		return base + ".secret"
	case "file":
		return filepath.Clean(s.Target) + ".secret"
	}
	return "sessionkit-demo.secret"
}

// openStore opens the store and makes one round trip to its server, so that
// a server that is down is reported now, naming the store, and not on the
// first request.
func openStore(spec storeSpec, log *slog.Logger) (store.Store, io.Closer, error) {
	ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
	defer cancel()
	st, closer, err := openStoreCtx(ctx, spec, log)
	if err != nil {
		hint := ""
		if spec.Kind == "redis" || spec.Kind == "postgres" || spec.Kind == "mysql" {
			hint = "\n  Is the server running and reachable? The default store needs no server: run without -store (SQLite file " +
				strings.TrimPrefix(defaultStore, "sqlite:") + ")."
		}
		return nil, nil, fmt.Errorf("session store %s: %w%s", spec.describe(), err, hint)
	}
	return st, closer, nil
}

func openStoreCtx(ctx context.Context, spec storeSpec, log *slog.Logger) (store.Store, io.Closer, error) {
	switch spec.Kind {
	case "memory":
		st := memstore.New(memstore.Options{DefaultTTL: 24 * time.Hour})
		return st, st, nil

	case "sqlite":
		st, err := sqlitestore.Open(spec.Target, sqlitestore.Options{Logger: log})
		if err != nil {
			return nil, nil, err
		}
		return st, st, nil

	case "file":
		st, err := filestore.New(filestore.Options{Path: spec.Target, Logger: log})
		if err != nil {
			return nil, nil, err
		}
		return st, st, nil

	case "redis":
		opts, err := redis.ParseURL(spec.Target)
		if err != nil {
			return nil, nil, fmt.Errorf("invalid URL: %w", err)
		}
		opts.ContextTimeoutEnabled = true // as redisstore.New advises
		// go-redis logs each failed dial with the standard logger; the
		// store errors reach the app's log anyway, so keep those at Debug.
		redis.SetLogger(redisLogger{log})
		opts.DialTimeout = connectTimeout
		client := redis.NewClient(opts)
		if err := client.Ping(ctx).Err(); err != nil {
			client.Close()
			return nil, nil, fmt.Errorf("cannot connect: %w", err)
		}
		st := redisstore.New(client, redisstore.Options{})
		return st, closers{st, client}, nil

	case "postgres":
		cfg, err := pgxpool.ParseConfig(spec.Target)
		if err != nil {
			return nil, nil, fmt.Errorf("invalid URL: %w", err)
		}
		cfg.ConnConfig.ConnectTimeout = connectTimeout
		pool, err := pgxpool.NewWithConfig(ctx, cfg)
		if err != nil {
			return nil, nil, err
		}
		if err := pool.Ping(ctx); err != nil {
			pool.Close()
			return nil, nil, fmt.Errorf("cannot connect: %w", err)
		}
		st := pgstore.New(pool, pgstore.Options{
			CreateTableIfMissing: true,
			ErrorLog:             func(msg string, err error) { log.Warn(msg, "err", err) },
		})
		return st, closers{st, closerFunc(pool.Close)}, nil

	case "mysql":
		db, err := sql.Open("mysql", spec.Target)
		if err != nil {
			return nil, nil, err
		}
		if err := db.PingContext(ctx); err != nil {
			db.Close()
			return nil, nil, fmt.Errorf("cannot connect: %w", err)
		}
		st, err := mysqlstore.New(ctx, db, mysqlstore.Options{Logger: log})
		if err != nil {
			db.Close()
			return nil, nil, err
		}
		return st, closers{st, db}, nil
	}
	return nil, nil, fmt.Errorf("unknown store kind %q", spec.Kind)
}

// redisLogger sends go-redis's internal log to slog at Debug level.
type redisLogger struct{ log *slog.Logger }

func (l redisLogger) Printf(ctx context.Context, format string, v ...any) {
	l.log.DebugContext(ctx, "redis: "+fmt.Sprintf(format, v...))
}

// closers closes each in order and returns the first error.
type closers []io.Closer

func (cs closers) Close() error {
	var first error
	for _, c := range cs {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

type closerFunc func()

func (f closerFunc) Close() error { f(); return nil }

// redactURL hides the password of a URL; anything else is returned as is.
func redactURL(s string) string {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return "(a URL that does not parse)"
	case u.User == nil:
		return s
	}
	return u.Redacted()
}

func redactMySQL(dsn string) string {
	s := strings.TrimPrefix(strings.TrimPrefix(dsn, "mysql:"), "//")
	if c, err := mysql.ParseDSN(s); err == nil {
		if c.Passwd != "" {
			c.Passwd = "xxxxx"
		}
		c.Timeout = 0 // ours, not the user's
		return c.FormatDSN()
	}
	// user:pass@host form: hide what is between the first ':' and the last '@'.
	if at := strings.LastIndex(s, "@"); at >= 0 {
		if colon := strings.Index(s[:at], ":"); colon >= 0 {
			return s[:colon] + ":xxxxx" + s[at:]
		}
	}
	return s
}
