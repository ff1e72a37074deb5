package main

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/sessionkit/session/record"
	"github.com/sessionkit/session/store"
	"github.com/sessionkit/session/stores/sqlitestore"
)

func init() { openers["sqlite"] = openSQLite }

// openSQLite opens SESSION_STORE=sqlite:/ABSOLUTE/PATH/FILE.db?table=T
// (table default "sessions"), the file and its directory created if
// missing, as the reference app does: the path is percent-decoded, and a
// "sqlite:///abs" form is accepted too.
func openSQLite(raw string) (store.Store, error) {
	rest := strings.TrimPrefix(raw, "sqlite:")
	if strings.HasPrefix(rest, "///") {
		rest = rest[2:]
	}
	pathPart, query, _ := strings.Cut(rest, "?")
	path, err := url.PathUnescape(pathPart)
	if err != nil {
		return nil, fmt.Errorf("SESSION_STORE %q: bad path: %v", raw, err)
	}
	if !strings.HasPrefix(path, "/") {
		return nil, fmt.Errorf("SESSION_STORE %q: needs an absolute file path", raw)
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return nil, fmt.Errorf("SESSION_STORE %q: bad query: %v", raw, err)
	}
	table := q.Get("table")
	if table == "" {
		table = sqlitestore.DefaultTable
	}
	if !sqlitestore.ValidTable(table) {
		return nil, fmt.Errorf("SESSION_STORE %q: invalid table name %q", raw, table)
	}
	s, err := sqlitestore.Open(path, sqlitestore.Options{Table: table})
	if err != nil {
		return nil, err
	}
	// /_store/set and /_store/patch hand connect-sqlite3 a plain object,
	// whose cookie has no maxAge getter, so those rows always get now + one
	// day: the zero expiry, the store's default lifetime (CONTRACT.md §3).
	adminExpiry = func(doc []byte) (time.Time, error) {
		_, _, err := record.Expiry(doc)
		return time.Time{}, err
	}
	return s, nil
}
