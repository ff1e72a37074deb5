// Package redisstore keeps sessions in Redis exactly as connect-redis 9
// (and 7, 8, 10, whose wire format is the same) does, so that a Node
// express-session app and a Go sessionkit app given the same secret and the
// same Redis database share their sessions in both directions.
//
// Each session is a Redis string under the key Prefix + session ID holding
// the record's JSON, byte for byte what express-session serialises. Its
// lifetime is the key's Redis TTL, set in whole seconds rounded up from the
// cookie's remaining time, or Options.TTL (a day) for a session without
// expiry. Redis removes expired keys itself, so the store has no background
// work. A touch only moves the TTL (EXPIRE), never rewrites the JSON, so the
// record's cookie.expires lags behind the real expiry, as it does with Node.
//
// The store takes a [redis.UniversalClient]: a single node, a Sentinel
// failover client, a Cluster or a Ring. All, Len and Clear scan every master
// of a Cluster (every shard of a Ring) and never send a multi-key command, so
// they work across hash slots.
package redisstore
