package main

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/sessionkit/session/store"
	"github.com/sessionkit/session/stores/mysqlstore"
)

func init() { openers["mysql"] = openMySQL }

// mysqlTable is what the reference app accepts as a table name.
var mysqlTable = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,62}$`)

// openMySQL opens mysql://USER[:PASS]@HOST:PORT/DB?table=T (CONTRACT.md §3)
// with the reference app's defaults: root, no password, 127.0.0.1:3306,
// database test, table sessions.
func openMySQL(raw string) (store.Store, error) {
	cfg, table, err := parseMySQLURL(raw)
	if err != nil {
		return nil, err
	}
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(conn)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	s, err := mysqlstore.New(ctx, db, mysqlstore.Options{TableName: table})
	if err != nil {
		db.Close()
		return nil, err
	}
	return ownedMySQL{s, db}, nil
}

func parseMySQLURL(raw string) (*mysql.Config, string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, "", fmt.Errorf("bad SESSION_STORE %q: %w", raw, err)
	}
	cfg := mysql.NewConfig()
	cfg.Net = "tcp"
	cfg.Addr = net.JoinHostPort(mysqlOrDefault(u.Hostname(), "127.0.0.1"), mysqlOrDefault(u.Port(), "3306"))
	cfg.User = mysqlOrDefault(u.User.Username(), "root")
	cfg.Passwd, _ = u.User.Password()
	cfg.DBName = mysqlOrDefault(strings.TrimPrefix(u.Path, "/"), "test")
	table := mysqlOrDefault(u.Query().Get("table"), "sessions")
	if !mysqlTable.MatchString(table) {
		return nil, "", fmt.Errorf("table name must match [A-Za-z_][A-Za-z0-9_]*: %q", table)
	}
	return cfg, table, nil
}

func mysqlOrDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// ownedMySQL closes the pool the app opened along with the store (which
// never closes a caller's pool). Embedding keeps every optional interface.
type ownedMySQL struct {
	*mysqlstore.Store
	db *sql.DB
}

func (o ownedMySQL) Close() error {
	o.Store.Close()
	return o.db.Close()
}
