package mysqlstore

import (
	"math"
	"testing"
	"time"
)

// Tests that need no server.

func TestRoundSeconds(t *testing.T) {
	// Math.round(ms / 1000) in JavaScript.
	cases := []struct{ ms, want int64 }{
		{0, 0}, {499, 0}, {500, 1}, {999, 1}, {1000, 1}, {1499, 1}, {1500, 2},
		{1795444065792, 1795444066}, {1795444065499, 1795444065},
		{-499, 0}, {-500, 0}, {-501, -1}, {-1500, -1}, {-1501, -2},
	}
	for _, c := range cases {
		if got := roundSeconds(c.ms); got != c.want {
			t.Errorf("roundSeconds(%d) = %d, want %d", c.ms, got, c.want)
		}
	}
}

func TestExpiresColumn(t *testing.T) {
	now := time.UnixMilli(1795444065792)
	day := 24 * time.Hour
	cases := []struct {
		name    string
		expires time.Time
		want    int64
	}{
		{"cookie expiry rounds down", time.UnixMilli(1795444065499), 1795444065},
		{"cookie expiry rounds half up", time.UnixMilli(1795444065500), 1795444066},
		{"sub-millisecond part is dropped as JavaScript's Date has none", time.UnixMilli(1795444065499).Add(999 * time.Microsecond), 1795444065},
		{"no expiry: now + expiration", time.Time{}, 1795444065 + 86400 + 1},
		{"before 1970 is 0", time.Unix(-86400, 0), 0},
		{"after 2106 is the largest unsigned int", time.Unix(math.MaxUint32+10, 0), math.MaxUint32},
	}
	for _, c := range cases {
		if got := expiresColumn(c.expires, now, day); got != c.want {
			t.Errorf("%s: expiresColumn(%v) = %d, want %d", c.name, c.expires, got, c.want)
		}
	}
	if got := expiresColumn(time.Time{}, now, 1500*time.Millisecond); got != 1795444067 {
		t.Errorf("expiresColumn with expiration 1.5 s = %d, want round(1795444067.292) = 1795444067", got)
	}
}

func TestQuoteIdent(t *testing.T) {
	// What sqlstring.escapeId (mysql2's ??) produces.
	cases := map[string]string{
		"sessions":    "`sessions`",
		"my-sessions": "`my-sessions`",
		"a`b":         "`a``b`",
		"db.sessions": "`db`.`sessions`",
		"x`.y":        "`x```.`y`",
	}
	for in, want := range cases {
		if got := quoteIdent(in); got != want {
			t.Errorf("quoteIdent(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestOptionsDefaults(t *testing.T) {
	o := Options{}.withDefaults()
	if o.TableName != "sessions" || o.Columns != (Columns{"session_id", "expires", "data"}) {
		t.Errorf("default names = %q %+v, want express-mysql-session's sessions(session_id, expires, data)", o.TableName, o.Columns)
	}
	if o.Expiration != 86400000*time.Millisecond || o.CheckExpirationInterval != 900000*time.Millisecond {
		t.Errorf("default Expiration, CheckExpirationInterval = %v, %v, want 86400000 ms, 900000 ms", o.Expiration, o.CheckExpirationInterval)
	}
	if o.DisableClearExpired || o.DisableCreateDatabaseTable || o.DisableTouch || o.Logger == nil {
		t.Errorf("defaults = %+v, want clearing, table creation and touch on, and a logger", o)
	}
	o = Options{Expiration: -time.Second, CheckExpirationInterval: -time.Second}.withDefaults()
	if o.Expiration != -time.Second || o.CheckExpirationInterval != DefaultCheckExpirationInterval {
		t.Errorf("negative Expiration, CheckExpirationInterval became %v, %v; want kept, default", o.Expiration, o.CheckExpirationInterval)
	}
}

func TestCreateTableSQL(t *testing.T) {
	got := createTableSQL(Options{}.withDefaults())
	// express-mysql-session's schema.sql with its identifiers quoted.
	want := "CREATE TABLE IF NOT EXISTS `sessions` (\n" +
		"  `session_id` varchar(128) COLLATE utf8mb4_bin NOT NULL,\n" +
		"  `expires` int(11) unsigned NOT NULL,\n" +
		"  `data` mediumtext COLLATE utf8mb4_bin,\n" +
		"  PRIMARY KEY (`session_id`)\n" +
		") ENGINE=InnoDB"
	if got != want {
		t.Errorf("createTableSQL =\n%s\nwant\n%s", got, want)
	}
}

func TestNewNilDB(t *testing.T) {
	if _, err := New(t.Context(), nil, Options{}); err == nil {
		t.Error("New with a nil *sql.DB succeeded")
	}
}
