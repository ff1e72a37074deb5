package mysqlstore

import (
	"context"
	"database/sql"
)

// createTable creates the sessions table if it does not exist. Several
// instances starting at once may race to create it; the loser's "table
// already exists" is success.
func createTable(ctx context.Context, db *sql.DB, o Options) error {
	_, err := db.ExecContext(ctx, createTableSQL(o))
	if isMySQLError(err, errTableExists) {
		return nil
	}
	return err
}
