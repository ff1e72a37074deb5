// Package pgstore keeps sessions in PostgreSQL in the layout of Node's
// connect-pg-simple 10, so that a Go service built on sessionkit and a Node
// service built on express-session and connect-pg-simple, given the same
// secret and the same table, share their sessions in both directions.
//
// # The table
//
// One row per session, in the table connect-pg-simple's table.sql creates:
//
//	CREATE TABLE "session" (
//	  "sid"    varchar NOT NULL COLLATE "default" PRIMARY KEY,
//	  "sess"   json NOT NULL,          -- the record, byte for byte
//	  "expire" timestamp(6) NOT NULL   -- WITHOUT time zone
//	);
//	CREATE INDEX "IDX_session_expire" ON "session" ("expire");
//
// sess is json, not jsonb: PostgreSQL keeps json text exactly as it was
// sent, which is what lets the record round-trip byte for byte.
//
// expire is computed in the application, as connect-pg-simple does (its
// issue #25: the application's clock, not the database's): for a record
// with an expiry, the expiry in whole seconds rounded up; for one without,
// now plus [Options.TTL], rounded up. It is written with to_timestamp(),
// and every comparison is against to_timestamp(now in seconds, rounded up).
//
// # Time zones
//
// expire is a timestamp WITHOUT time zone written through to_timestamp(),
// which returns a timestamp WITH time zone: PostgreSQL converts it with the
// connection's TimeZone setting before storing the wall-clock time. Readers
// and the pruner compare the same way, so one connection is consistent with
// itself, but a Node pool and a Go pool whose connections have different
// TimeZone settings see each other's sessions expire hours early or late.
// node-pg never sets TimeZone, so Node connections use the server's (or the
// role's or database's) default; pgx sets it from the PGTZ environment
// variable or a timezone runtime parameter, if any. Keep both sides on the
// same setting, best with ALTER ROLE/DATABASE ... SET timezone.
package pgstore
