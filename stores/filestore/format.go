package filestore

import (
	"strconv"
	"time"

	"github.com/sessionkit/session/record"
)

// withLastAccess returns a copy of doc whose __lastAccess is now, in
// milliseconds, as session-file-store's setLastAccess assigns it: in place
// when the record already has one, appended otherwise.
func withLastAccess(doc []byte, now time.Time) ([]byte, error) {
	var buf [20]byte
	return record.With(doc, lastAccessKey, strconv.AppendInt(buf[:0], now.UnixMilli(), 10))
}

// touchedCookie returns the cookie a touch copies into the stored record:
// data's cookie, or nil when it has none (Node's touch then only moves
// __lastAccess).
func touchedCookie(data []byte) ([]byte, error) {
	cookie, ok, err := record.Lookup(data, "cookie")
	if err != nil || !ok || !parseJS(cookie).truthy() {
		return nil, err
	}
	return cookie, nil
}

// retouch is the edit session-file-store's touch makes to the stored
// record doc: its cookie replaced (or added, at the end) and __lastAccess
// set to now. Everything else keeps its bytes and order.
func retouch(doc, cookie []byte, now time.Time) ([]byte, error) {
	if cookie != nil {
		var err error
		if doc, err = record.With(doc, "cookie", cookie); err != nil {
			return nil, err
		}
	}
	return withLastAccess(doc, now)
}
