package mysqlstore

import (
	"math"
	"time"
)

// expiresColumn is the value express-mysql-session writes in the expires
// column: Math.round(ms / 1000) of the cookie's expiry, or of now plus the
// default lifetime when the session has none. The column is an unsigned
// 32-bit integer: an instant before 1970 is stored as 0 (it has passed
// anyway) and one after 2106 as the largest value, where Node would fail.
func expiresColumn(expires, now time.Time, expiration time.Duration) int64 {
	var ms int64
	if expires.IsZero() {
		ms = now.UnixMilli() + expiration.Milliseconds()
	} else {
		ms = expires.UnixMilli()
	}
	return min(max(roundSeconds(ms), 0), math.MaxUint32)
}

// nowSeconds is the instant Node compares expires with: Math.round of now
// in seconds. A row is live while expires >= nowSeconds.
func nowSeconds(now time.Time) int64 {
	return roundSeconds(now.UnixMilli())
}

// roundSeconds is JavaScript's Math.round(ms / 1000): to the nearest
// second, halves up (towards +Inf, also for negative values). It is exact:
// ms / 1000 in floating point never lands on a half unless it is one.
func roundSeconds(ms int64) int64 {
	n := ms + 500
	q := n / 1000
	if n%1000 < 0 {
		q--
	}
	return q
}
