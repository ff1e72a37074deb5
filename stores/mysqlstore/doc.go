// Package mysqlstore keeps sessions in a MySQL or MariaDB table laid out
// exactly as express-mysql-session 3.0.3 lays it out, so that a Node app
// using express-mysql-session and a Go app using sessionkit, with the same
// secret and the same table, share sessions in both directions.
//
// One row per session:
//
//	CREATE TABLE IF NOT EXISTS `sessions` (
//	  `session_id` varchar(128) COLLATE utf8mb4_bin NOT NULL,
//	  `expires` int(11) unsigned NOT NULL,
//	  `data` mediumtext COLLATE utf8mb4_bin,
//	  PRIMARY KEY (`session_id`)
//	) ENGINE=InnoDB
//
// data holds the record byte for byte as express-session serialises it;
// expires is the session's expiry in epoch seconds, rounded to the nearest
// second as JavaScript's Math.round does. The record's own cookie.expires is
// never consulted: a touch moves only the expires column, so the JSON's
// cookie.expires goes stale on purpose, exactly as with the Node store.
//
// The store takes a *sql.DB opened with github.com/go-sql-driver/mysql. The
// connection character set must be utf8mb4 (the driver's default); the
// store never closes the *sql.DB.
package mysqlstore
