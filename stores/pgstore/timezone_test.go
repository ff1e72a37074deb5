package pgstore

import (
	"testing"
	"time"
)

// TestTimeZoneDependence shows the pitfall of connect-pg-simple's layout
// that the store keeps for compatibility: expire is a timestamp without
// time zone, so connections must share their TimeZone setting.
func TestTimeZoneDependence(t *testing.T) {
	t.Parallel()
	utc := testPool(t, "UTC")
	ny := testPool(t, "America/New_York")
	table := uniqueName("pgstore_tz_")
	wUTC := newStore(t, utc, Options{TableName: table})
	wNY := New(ny, Options{TableName: table, PruneSessionInterval: -1})

	exp := time.Now().Add(time.Hour)
	data := testRecord(exp, "")
	if err := wNY.Set(bg, "ny", data, exp); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := wNY.Get(bg, "ny"); !ok || err != nil {
		t.Errorf("same TimeZone: Get = %v, %v; want found", ok, err)
	}
	// Five (or four) hours behind on the wall clock: expired for UTC.
	if _, ok, err := wUTC.Get(bg, "ny"); ok || err != nil {
		t.Errorf("written under America/New_York, read under UTC: Get = %v, %v; want not found (the documented pitfall)", ok, err)
	}
	if err := wUTC.Set(bg, "utc", data, exp); err != nil {
		t.Fatal(err)
	}
	r, _ := rawRow(t, utc, wUTC, "utc")
	if want := wallClock(ceilDiv1000(exp.UnixMilli())); r.expire != want {
		t.Errorf("written under UTC: expire = %s, want the UTC wall clock %s", r.expire, want)
	}
}
