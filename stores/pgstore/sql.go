package pgstore

import "github.com/jackc/pgx/v5"

// statements are connect-pg-simple's SQL for one table. Parameters are cast
// explicitly: pgx prepares statements, and an untyped epoch number has been
// seen to reach the server as a date literal (connect-pg-simple #248).
type statements struct {
	get, set, touch, destroy, prune string
	all, count, clear               string
	exists, createTable, createIdx  string
}

func newStatements(schema, table string) statements {
	t := quote(schema, table)
	return statements{
		get: `SELECT sess FROM ` + t + ` WHERE sid = $1 AND expire >= to_timestamp($2::float8)`,
		set: `INSERT INTO ` + t + ` (sess, expire, sid) SELECT $1::json, to_timestamp($2::float8), $3::varchar` +
			` ON CONFLICT (sid) DO UPDATE SET sess=$1::json, expire=to_timestamp($2::float8)`,
		// Node's touch has no liveness condition and so revives a row that
		// expired but was not pruned yet; the store contract forbids that.
		touch:   `UPDATE ` + t + ` SET expire = to_timestamp($1::float8) WHERE sid = $2 AND expire >= to_timestamp($3::float8)`,
		destroy: `DELETE FROM ` + t + ` WHERE sid = $1`,
		prune:   `DELETE FROM ` + t + ` WHERE expire < to_timestamp($1::float8)`,

		// connect-pg-simple has no all, length or clear: these follow get.
		all:   `SELECT sid, sess FROM ` + t + ` WHERE expire >= to_timestamp($1::float8)`,
		count: `SELECT count(*) FROM ` + t + ` WHERE expire >= to_timestamp($1::float8)`,
		clear: `DELETE FROM ` + t,

		exists: `SELECT to_regclass($1::text) IS NOT NULL`,
		createTable: `CREATE TABLE IF NOT EXISTS ` + t + ` (` +
			`"sid" varchar NOT NULL COLLATE "default" PRIMARY KEY, ` +
			`"sess" json NOT NULL, ` +
			`"expire" timestamp(6) NOT NULL)`,
		// Named after the table, unlike table.sql's fixed
		// "IDX_session_expire", so that several tables can share a schema.
		createIdx: `CREATE INDEX IF NOT EXISTS ` + quote("", "IDX_"+table+"_expire") + ` ON ` + t + ` ("expire")`,
	}
}

// quote is connect-pg-simple's quotedTable(): "schema"."table" or "table",
// with embedded double quotes doubled.
func quote(schema, table string) string {
	if schema == "" {
		return pgx.Identifier{table}.Sanitize()
	}
	return pgx.Identifier{schema, table}.Sanitize()
}
