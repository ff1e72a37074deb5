package mysqlstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/go-sql-driver/mysql"
)

// opError names the store and the operation, and makes sure the error
// wraps the context's error when the context is why the call failed: the
// driver may report a canceled query as a broken connection.
func opError(ctx context.Context, op string, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("mysqlstore: %s: %w (%w)", op, cerr, err)
	}
	return fmt.Errorf("mysqlstore: %s: %w", op, err)
}

// errTableExists is ER_TABLE_EXISTS_ERROR, which a CREATE TABLE IF NOT
// EXISTS racing with another may still report.
const errTableExists = 1050

func isMySQLError(err error, number uint16) bool {
	var me *mysql.MySQLError
	return errors.As(err, &me) && me.Number == number
}
