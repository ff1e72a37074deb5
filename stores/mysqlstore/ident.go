package mysqlstore

import "strings"

// quoteIdent quotes a table or column name as mysql2's ?? placeholder does
// (sqlstring's escapeId): backticks are doubled, and a dot separates
// qualified parts, so that a name means the same table to both stores.
func quoteIdent(name string) string {
	name = strings.ReplaceAll(name, "`", "``")
	return "`" + strings.ReplaceAll(name, ".", "`.`") + "`"
}
