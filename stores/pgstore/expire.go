package pgstore

import (
	"math"
	"time"
)

// expireSeconds is the epoch second connect-pg-simple writes to expire for
// a record whose expiry is expires: Math.ceil(cookie.expires / 1000) on the
// millisecond value of the JSON date, or, without an expiry,
// Math.ceil(Date.now() / 1000 + ttl) computed in float64 as JavaScript does.
func expireSeconds(expires, now time.Time, ttl time.Duration) int64 {
	if !expires.IsZero() {
		return ceilDiv1000(expires.UnixMilli())
	}
	return int64(math.Ceil(float64(now.UnixMilli())/1000 + ttl.Seconds()))
}

// nowSeconds is connect-pg-simple's currentTimestamp(), the bound of every
// liveness comparison: Math.ceil(Date.now() / 1000).
func nowSeconds(now time.Time) int64 {
	return ceilDiv1000(now.UnixMilli())
}

// ceilDiv1000 is Math.ceil(ms / 1000) for any sign.
func ceilDiv1000(ms int64) int64 {
	q := ms / 1000 // truncates toward zero: already the ceiling when ms < 0
	if ms%1000 > 0 {
		q++
	}
	return q
}
