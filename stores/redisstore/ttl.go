package redisstore

import "time"

// ttl returns the lifetime in seconds that connect-redis's getTTL gives a
// session: its TTLFunc's, else the milliseconds left until expires divided
// by 1000 and rounded up (Math.ceil), else the default. It may be zero or
// negative: the session has expired.
func (s *Store) ttl(data []byte, expires time.Time) int64 {
	switch {
	case s.ttlFunc != nil:
		return ceilSeconds(s.ttlFunc(data, expires))
	case expires.IsZero():
		return s.defaultTTL
	}
	// Node compares whole milliseconds: Date.now() and the ISO string's.
	ms := expires.UnixMilli() - s.now().UnixMilli()
	if ms > 0 {
		return (ms + 999) / 1000
	}
	return ms / 1000 // truncation toward zero is the ceiling here
}
