package mysqlstore

import (
	"log/slog"
	"time"
)

// Defaults of express-mysql-session 3.0.3.
const (
	DefaultTableName               = "sessions"
	DefaultExpiration              = 24 * time.Hour   // expiration: 86400000 ms
	DefaultCheckExpirationInterval = 15 * time.Minute // checkExpirationInterval: 900000 ms
)

// Options configure a [Store]. The zero value is express-mysql-session's
// defaults. To share sessions with a Node app, TableName, Columns and
// Expiration must match the Node store's options.
type Options struct {
	// TableName is the sessions table. A name with a dot is qualified
	// ("db.sessions" is table sessions of database db), as mysql2's ??
	// placeholder treats it. Default "sessions".
	// (express-mysql-session: schema.tableName)
	TableName string

	// Columns names the table's three columns.
	// (express-mysql-session: schema.columnNames)
	Columns Columns

	// Expiration is how long a session without an expiry (a
	// browser-session cookie) is kept after each write or touch. It never
	// changes the cookie, and sessions whose cookie has an expiry ignore
	// it. Zero means the default, 24 hours; a negative value is used as
	// given, as Node would. (express-mysql-session: expiration, in ms,
	// default 86400000)
	Expiration time.Duration

	// DisableClearExpired stops the background deletion of expired rows.
	// Expired rows are still never returned; call [Store.ClearExpired]
	// yourself, or let one of several instances clear.
	// (express-mysql-session: clearExpired: false; default: clear)
	DisableClearExpired bool

	// CheckExpirationInterval is how often expired rows are deleted. Zero
	// or negative means the default, 15 minutes. Each deletion scans the
	// table unless expires is indexed (see the README).
	// (express-mysql-session: checkExpirationInterval, in ms, default 900000)
	CheckExpirationInterval time.Duration

	// DisableCreateDatabaseTable stops New from creating the table when it
	// does not exist. Use it when the table is created by migrations, for
	// example with extra columns or an index on expires.
	// (express-mysql-session: createDatabaseTable: false; default: create)
	DisableCreateDatabaseTable bool

	// DisableTouch makes Touch do nothing: a session that is read but not
	// modified keeps the expiry of its last write.
	// (express-mysql-session: disableTouch, default false)
	DisableTouch bool

	// Logger receives the errors of the background deletion of expired
	// rows, at Warn level (there is no caller to return them to). Default
	// slog.Default(). (express-mysql-session logs them with debug.)
	Logger *slog.Logger
}

// Columns are the names of the sessions table's columns. An empty name
// means the default. (express-mysql-session: schema.columnNames)
type Columns struct {
	// SessionID is the primary key column. Default "session_id".
	SessionID string
	// Expires is the expiry column, epoch seconds. Default "expires".
	Expires string
	// Data is the record column. Default "data".
	Data string
}

// withDefaults returns o with every zero field replaced by its default.
func (o Options) withDefaults() Options {
	o.TableName = orDefault(o.TableName, DefaultTableName)
	o.Columns.SessionID = orDefault(o.Columns.SessionID, "session_id")
	o.Columns.Expires = orDefault(o.Columns.Expires, "expires")
	o.Columns.Data = orDefault(o.Columns.Data, "data")
	if o.Expiration == 0 {
		o.Expiration = DefaultExpiration
	}
	if o.CheckExpirationInterval <= 0 {
		o.CheckExpirationInterval = DefaultCheckExpirationInterval
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
