package mysqlstore

// query names one of the statements the store runs.
type query int

const (
	qGet query = iota
	qSet
	qTouch
	qDestroy
	qLen
	qAll
	qClear
	qClearExpired
	numQueries
)

// buildQueries returns the text of every statement for the table and
// columns in o. They are express-mysql-session's statements, except where
// a comment says otherwise.
func buildQueries(o Options) [numQueries]string {
	t := quoteIdent(o.TableName)
	id, exp, data := quoteIdent(o.Columns.SessionID), quoteIdent(o.Columns.Expires), quoteIdent(o.Columns.Data)
	return [numQueries]string{
		// Node selects the row and compares expires in JavaScript; the
		// comparison in SQL is the same and sends no expired data.
		qGet: "SELECT " + data + " FROM " + t + " WHERE " + id + " = ? AND " + exp + " >= ?",
		qSet: "INSERT INTO " + t + " (" + id + ", " + exp + ", " + data + ") VALUES (?, ?, ?)" +
			" ON DUPLICATE KEY UPDATE " + exp + " = VALUES(" + exp + "), " + data + " = VALUES(" + data + ")",
		// Node's touch has no expiry condition and revives an expired row
		// that was not yet deleted; the store contract forbids that.
		// express-session only touches a session it has just loaded live,
		// so the two agree on every touch it makes.
		qTouch:   "UPDATE " + t + " SET " + exp + " = ? WHERE " + id + " = ? AND " + exp + " >= ?",
		qDestroy: "DELETE FROM " + t + " WHERE " + id + " = ?",
		// A row without data is not a session to get, so it is not
		// counted or listed either.
		qLen:          "SELECT COUNT(*) FROM " + t + " WHERE " + exp + " >= ? AND " + data + " IS NOT NULL",
		qAll:          "SELECT " + id + ", " + data + " FROM " + t + " WHERE " + exp + " >= ? AND " + data + " IS NOT NULL",
		qClear:        "DELETE FROM " + t,
		qClearExpired: "DELETE FROM " + t + " WHERE " + exp + " < ?",
	}
}

// createTableSQL is express-mysql-session's schema.sql for the table and
// columns in o.
func createTableSQL(o Options) string {
	id := quoteIdent(o.Columns.SessionID)
	return "CREATE TABLE IF NOT EXISTS " + quoteIdent(o.TableName) + " (\n" +
		"  " + id + " varchar(128) COLLATE utf8mb4_bin NOT NULL,\n" +
		"  " + quoteIdent(o.Columns.Expires) + " int(11) unsigned NOT NULL,\n" +
		"  " + quoteIdent(o.Columns.Data) + " mediumtext COLLATE utf8mb4_bin,\n" +
		"  PRIMARY KEY (" + id + ")\n" +
		") ENGINE=InnoDB"
}
