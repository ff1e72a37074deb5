package sqlitestore

import (
	"testing"
	"time"
)

// TestExpiredFor checks connect-sqlite3's rule
// expired = maxAge ? now + maxAge : now + oneDay, with maxAge the remaining
// time, at the edges a running clock cannot hit.
func TestExpiredFor(t *testing.T) {
	now := time.Date(2026, 11, 23, 14, 28, 45, 992_000_000, time.UTC)
	ms := now.UnixMilli()
	day := int64(86400000)
	cases := []struct {
		name    string
		expires time.Time
		want    int64
	}{
		{"NoExpiry", time.Time{}, ms + day},
		{"ExactlyNow", now, ms + day}, // a remaining time of 0 is falsy
		{"NowPlusSubMillisecond", now.Add(999 * time.Microsecond), ms + day},
		{"OneMillisecond", now.Add(time.Millisecond), ms + 1},
		{"AnHour", now.Add(time.Hour), ms + 3600000},
		{"Past", now.Add(-time.Minute), ms - 60000},
		{"OneMillisecondAgo", now.Add(-time.Millisecond), ms - 1},
	}
	for _, tc := range cases {
		if got := expiredFor(tc.expires, ms); got != float64(tc.want) {
			t.Errorf("%s: expiredFor = %.0f, want %d", tc.name, got, tc.want)
		}
	}
}

func TestValidTable(t *testing.T) {
	for _, name := range []string{"sessions", "_s", "S1", "a_b_C_9", "cf_0_ref"} {
		if !ValidTable(name) {
			t.Errorf("ValidTable(%q) = false", name)
		}
	}
	for _, name := range []string{"", "1s", "a-b", "a b", "a.b", `"s"`, "s;", "sé", "s\x00"} {
		if ValidTable(name) {
			t.Errorf("ValidTable(%q) = true", name)
		}
	}
}
