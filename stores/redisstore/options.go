package redisstore

import "time"

// Options configure a [Store]. The zero value gives connect-redis's
// defaults. Each field names the connect-redis option it mirrors; a Go app
// sharing sessions with a Node app must use the same values.
type Options struct {
	// Prefix is put before every session ID to make its key. Default
	// "sess:" (connect-redis: prefix). Include a client-level prefix the
	// Node side adds (ioredis keyPrefix) here literally.
	Prefix string

	// NoPrefix makes the keys the bare session IDs, which connect-redis
	// does for prefix: "" (an empty Prefix here means the default).
	NoPrefix bool

	// TTL is how long a session without expiry (a browser-session
	// cookie) is kept after each save or touch. Zero or negative means
	// 86400 s (connect-redis: ttl, in seconds, where 0 also means the
	// default). It is sent in whole seconds, rounded up.
	TTL time.Duration

	// TTLFunc, if set, replaces the lifetime computation for every save
	// and touch (connect-redis: ttl given as a function, which receives the
	// session): it gets the record and its expiry (zero for none) and
	// returns the lifetime, rounded up to whole seconds; zero or less
	// deletes the session on save, as connect-redis does.
	TTLFunc func(data []byte, expires time.Time) time.Duration

	// DisableTouch makes Touch do nothing, so a session that is only read
	// keeps the lifetime of its last save (connect-redis: disableTouch,
	// default false).
	DisableTouch bool

	// DisableTTL stores sessions without a Redis TTL; they never expire
	// and Touch does nothing (connect-redis: disableTTL, default false). A
	// session saved with an expiry already past is still deleted.
	DisableTTL bool

	// ScanCount is the COUNT hint of the SCAN commands that All, Len and
	// Clear page through the database with (connect-redis: scanCount,
	// default 100).
	ScanCount int
}

const (
	defaultPrefix    = "sess:"
	defaultTTL       = 86400 // seconds, connect-redis's one day
	defaultScanCount = 100
)

// prefix returns the key prefix the options select.
func (o *Options) prefix() string {
	switch {
	case o.NoPrefix:
		return ""
	case o.Prefix == "":
		return defaultPrefix
	}
	return o.Prefix
}

// ttlSeconds returns the default lifetime in the seconds Redis is given.
func (o *Options) ttlSeconds() int64 {
	if o.TTL <= 0 {
		return defaultTTL
	}
	return ceilSeconds(o.TTL)
}

func (o *Options) scanCount() int64 {
	if o.ScanCount <= 0 {
		return defaultScanCount
	}
	return int64(o.ScanCount)
}

// ceilSeconds rounds d up to whole seconds, as connect-redis's Math.ceil
// does with the milliseconds it computes.
func ceilSeconds(d time.Duration) int64 {
	s := d / time.Second
	if d%time.Second > 0 {
		s++
	}
	return int64(s)
}
