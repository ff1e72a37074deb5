// Package storetest is a compliance suite for session stores: it checks that
// a [store.Store] keeps the rules in package store's documentation, so that
// the middleware can rely on them whatever store it is given.
//
// # Using it
//
// Call [Run] from a test in your store's package, with a function that
// returns a new, empty store for each subtest. Give every store its own
// namespace (a fresh key prefix, table or directory) so that subtests cannot
// see each other's records, and release it with t.Cleanup:
//
//	func TestCompliance(t *testing.T) {
//		client := newTestClient(t) // skip here when the server is not available
//		storetest.Run(t, func(t *testing.T) store.Store {
//			s := redisstore.New(client, redisstore.Options{
//				Prefix: "storetest:" + rand.Text() + ":",
//			})
//			t.Cleanup(func() { s.Clear(context.Background()) })
//			return s
//		})
//	}
//
// Run it with the race detector (go test -race): the Concurrency subtest is
// meant to be run under it. Run returns when every subtest has finished, so
// resources the caller releases after Run (with defer) outlive the suite. For
// a fast store the suite takes about five seconds, most of it in the expiry
// subtests, which wait for records to expire (in parallel with each other).
//
// # What it checks
//
// Records are realistic express-session records, like
//
//	{"cookie":{"originalMaxAge":60000,"expires":"2026-11-23T13:25:16.822Z","httpOnly":true,"path":"/"},"user":"bob"}
//
// whose cookie.expires is the expiry passed along with them, as the
// middleware does. The subtests:
//
//   - RoundTrip: Get returns what Set stored, byte for byte; an unknown ID is
//     not found and not an error; Set replaces a record (also with a shorter
//     one); Destroy removes one record and no other; destroying an unknown
//     ID, or destroying twice, is not an error.
//   - Records: express-session's record shapes (browser-session cookie, every
//     cookie attribute, "expires": false, nested data, big numbers) round
//     trip byte for byte, with and without an expiry.
//   - Expiry: a record is returned before its expiry and not 2.5 s after it
//     (the margin allows for stores with one-second granularity and
//     rounding); a record stored with an expiry in the past is never
//     returned, even when it replaces a live one; a record without expiry is
//     kept; and, for a [store.Toucher], a touch with a later expiry keeps a
//     record past its first expiry.
//   - Touch (only for a [store.Toucher]): a touch does not replace the stored
//     data (it may replace the top-level "cookie" with the one given, as
//     express-session's MemoryStore does, and nothing else); touching a
//     missing, destroyed or expired record neither fails nor creates it.
//   - Optional (each only if implemented): a [store.Readier] that the suite
//     can use says it is ready; [store.Lister] lists exactly the live
//     records, [store.Counter] counts them, [store.Clearer] removes them all
//     and the store stays usable.
//   - Concurrency: 16 goroutines making 200 mixed Set, Get, Touch and Destroy
//     calls each (and All and Len when implemented) on a few shared IDs; every
//     record read is one that was written for that ID (with, for stores that
//     copy it on touch, one of the cookies touched), never a mix of writes.
//   - Context: with a canceled context, and with one whose deadline has
//     passed, every method returns an error that wraps context.Canceled or
//     context.DeadlineExceeded, within two seconds, and writes nothing: no
//     record is created, replaced, touched, destroyed or cleared.
//   - Values: a 1 MiB record; Unicode (emoji, CJK, combining marks,
//     decomposed and precomposed letters, right-to-left text) and JSON escape
//     sequences in keys and values; and IDs of unusual but cookie-safe
//     shapes (leading and trailing "-" and "_", 32-character uid-safe IDs, a
//     UUID, 128-character IDs that differ only in their last character, IDs
//     that differ only in case) all round trip byte for byte, each ID its own
//     record.
//   - Copies: changing the slice Get returned does not change the stored
//     record; neither does changing the slice given to Set or Touch after
//     the call.
//
// Every subtest can fail; package storetest's own tests run the suite against
// deliberately broken stores to show it.
//
// Byte-for-byte checks assume the store returns the record it was given. A
// store that adds metadata to records (as session-file-store adds
// __lastAccess) fails them.
package storetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sessionkit/session/record"
	"github.com/sessionkit/session/store"
)

// Timing of the expiry subtests. The margins allow for stores that keep
// expiries in whole seconds and round them (express-mysql-session rounds to
// the nearest second, connect-pg-simple and connect-redis round up).
const (
	shortLife   = 1500 * time.Millisecond // lifetime of records that must expire
	stillThere  = 500 * time.Millisecond  // when they are checked again before expiring
	expiryGrace = 2500 * time.Millisecond // how long after expiry they must be gone
	zeroWait    = 2 * time.Second         // how long a record without expiry must survive

	// opTimeout bounds all the calls of one subtest together (the
	// concurrency subtest makes about 3,200), so that a store that hangs
	// fails the suite instead of stalling it.
	opTimeout = 30 * time.Second

	// promptly is how soon a call with a done context must return.
	promptly = 2 * time.Second
)

// Run runs the compliance suite against stores made by newStore. newStore
// is called once per subtest and must return an empty store (for example
// with a fresh key prefix or table); it may register the store's release
// with t.Cleanup. Run returns when all subtests have finished.
func Run(t *testing.T, newStore func(t *testing.T) store.Store) {
	t.Helper()
	s := &suite{newStore: newStore}
	t.Run("RoundTrip", s.roundTrip)
	t.Run("Records", s.records)
	t.Run("Expiry", s.expiry)
	t.Run("Touch", s.touch)
	t.Run("Optional", s.optional)
	t.Run("Concurrency", s.concurrency)
	t.Run("Context", s.context)
	t.Run("Values", s.values)
	t.Run("Copies", s.copies)
}

type suite struct {
	newStore func(t *testing.T) store.Store
}

// store returns a new store for the subtest t.
func (s *suite) store(t *testing.T) store.Store {
	t.Helper()
	st := s.newStore(t)
	if st == nil {
		t.Fatal("storetest: newStore returned nil")
	}
	return st
}

// toucher returns a new store as a Toucher, or skips t.
func (s *suite) toucher(t *testing.T) (store.Store, store.Toucher) {
	t.Helper()
	st := s.store(t)
	tc, ok := st.(store.Toucher)
	if !ok {
		t.Skipf("%T does not implement store.Toucher", st)
	}
	return st, tc
}

// ctx returns the context for the calls of one subtest.
func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(t.Context(), opTimeout)
	t.Cleanup(cancel)
	return c
}

// ---------------------------------------------------------------------------
// RoundTrip

func (s *suite) roundTrip(t *testing.T) {
	t.Run("GetUnknown", func(t *testing.T) {
		st, c := s.store(t), ctx(t)
		mustMissing(t, st, c, newID(), "an ID that was never set")
	})
	t.Run("SetGet", func(t *testing.T) {
		st, c := s.store(t), ctx(t)
		id, exp := newID(), inAnHour()
		data := sessionRecord(exp, `"user"`, `"bob"`)
		mustSet(t, st, c, id, data, exp)
		mustGetEqual(t, st, c, id, data)
		mustGetEqual(t, st, c, id, data) // reading does not consume or change it
	})
	t.Run("Overwrite", func(t *testing.T) {
		st, c := s.store(t), ctx(t)
		id, exp := newID(), inAnHour()
		long := sessionRecord(exp, `"user"`, `"bob"`, `"cart"`, `["apple","banana","cherry","damson"]`)
		short := sessionRecord(exp, `"user"`, `"al"`)
		mustSet(t, st, c, id, long, exp)
		mustSet(t, st, c, id, short, exp)
		// A store that writes over the old record without truncating it
		// would return the short record followed by the old one's tail.
		mustGetEqual(t, st, c, id, short)
		mustSet(t, st, c, id, long, exp)
		mustGetEqual(t, st, c, id, long)
	})
	t.Run("Destroy", func(t *testing.T) {
		st, c := s.store(t), ctx(t)
		a, b, exp := newID(), newID(), inAnHour()
		da, db := sessionRecord(exp, `"user"`, `"a"`), sessionRecord(exp, `"user"`, `"b"`)
		mustSet(t, st, c, a, da, exp)
		mustSet(t, st, c, b, db, exp)
		mustDestroy(t, st, c, a)
		mustMissing(t, st, c, a, "a destroyed record")
		mustGetEqual(t, st, c, b, db) // only the destroyed one is gone
		mustDestroy(t, st, c, a)      // twice is fine
	})
	t.Run("DestroyUnknown", func(t *testing.T) {
		st, c := s.store(t), ctx(t)
		mustDestroy(t, st, c, newID())
	})
	t.Run("SetAfterDestroy", func(t *testing.T) {
		st, c := s.store(t), ctx(t)
		id, exp := newID(), inAnHour()
		mustSet(t, st, c, id, sessionRecord(exp, `"n"`, `1`), exp)
		mustDestroy(t, st, c, id)
		data := sessionRecord(exp, `"n"`, `2`)
		mustSet(t, st, c, id, data, exp)
		mustGetEqual(t, st, c, id, data)
	})
}

// ---------------------------------------------------------------------------
// Records

func (s *suite) records(t *testing.T) {
	exp := inAnHour()
	iso := record.FormatTime(exp)
	cases := []struct {
		name    string
		data    string
		expires time.Time
	}{
		{"BrowserSessionCookie",
			`{"cookie":{"originalMaxAge":null,"expires":null,"httpOnly":true,"path":"/"}}`,
			time.Time{}},
		{"MaxAgeAndUser",
			`{"cookie":{"originalMaxAge":3600000,"expires":"` + iso + `","httpOnly":true,"path":"/"},"user":"bob"}`,
			exp},
		{"EveryCookieAttribute",
			`{"cookie":{"originalMaxAge":3600000,"partitioned":true,"priority":"HIGH","expires":"` + iso +
				`","secure":true,"httpOnly":true,"domain":".example.com","path":"/","sameSite":"None"}}`,
			exp},
		{"ExpiresFalse",
			`{"cookie":{"originalMaxAge":false,"expires":false,"httpOnly":true,"path":"/"},"views":3}`,
			time.Time{}},
		{"NestedData",
			`{"cookie":{"originalMaxAge":3600000,"expires":"` + iso + `","httpOnly":true,"path":"/","sameSite":"lax"},` +
				`"user":{"id":42,"name":"alice","roles":["admin"]},"views":1,"loginAt":"2024-01-02T03:04:05.678Z",` +
				`"text":"héllo ✓ \"q\" </script>","flash":{},"list":[],"nothing":null,"yes":true,"no":false,` +
				`"big":9007199254740993,"float":0.1,"exp":1e+21,"neg":-0.5}`,
			exp},
		// JavaScript puts integer-like keys first, even before the cookie.
		{"IntegerLikeKeyFirst",
			`{"7":"seven","cookie":{"originalMaxAge":3600000,"expires":"` + iso + `","httpOnly":true,"path":"/"},"user":"bob"}`,
			exp},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st, c := s.store(t), ctx(t)
			id, data := newID(), []byte(tc.data)
			mustSet(t, st, c, id, data, tc.expires)
			mustGetEqual(t, st, c, id, data)
		})
	}
}

// ---------------------------------------------------------------------------
// Expiry

func (s *suite) expiry(t *testing.T) {
	// The subtests wait for records to expire. They run at the same time,
	// each t.Run in its own goroutine rather than with t.Parallel, so that
	// they overlap however small -test.parallel is, and so that Run does not
	// return before they are done.
	tests := []struct {
		name string
		f    func(*testing.T)
	}{
		{"Future", s.expiryFuture},
		{"Past", s.expiryPast},
		{"Zero", s.expiryZero},
		{"TouchExtends", s.expiryTouchExtends},
	}
	var wg sync.WaitGroup
	for _, tc := range tests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.Run(tc.name, tc.f)
		}()
	}
	wg.Wait()
}

// expiryFuture: a record is there before its expiry and gone after it.
func (s *suite) expiryFuture(t *testing.T) {
	st, c := s.store(t), ctx(t)
	id, exp := newID(), time.Now().Add(shortLife)
	data := sessionRecord(exp, `"user"`, `"bob"`)
	mustSet(t, st, c, id, data, exp)
	mustGetEqual(t, st, c, id, data)
	sleepUntil(c, exp.Add(stillThere-shortLife))
	if time.Now().Before(exp.Add(-500 * time.Millisecond)) {
		mustGetEqual(t, st, c, id, data)
	}
	sleepUntil(c, exp.Add(expiryGrace))
	mustMissing(t, st, c, id, fmt.Sprintf("a record %v after its expiry", expiryGrace))
}

// expiryPast: a record stored already expired is never returned.
func (s *suite) expiryPast(t *testing.T) {
	st, c := s.store(t), ctx(t)
	for _, ago := range []time.Duration{2 * time.Second, time.Hour, 24 * 365 * time.Hour} {
		id, exp := newID(), time.Now().Add(-ago)
		mustSet(t, st, c, id, sessionRecord(exp, `"user"`, `"bob"`), exp)
		mustMissing(t, st, c, id, fmt.Sprintf("a record stored with an expiry %v ago", ago))
	}
	// Replacing a live record with an expired one removes it.
	id, live := newID(), inAnHour()
	mustSet(t, st, c, id, sessionRecord(live, `"user"`, `"bob"`), live)
	past := time.Now().Add(-2 * time.Second)
	mustSet(t, st, c, id, sessionRecord(past, `"user"`, `"bob"`), past)
	mustMissing(t, st, c, id, "a live record replaced by one whose expiry has passed")
}

// expiryZero: a record without expiry is kept.
func (s *suite) expiryZero(t *testing.T) {
	st, c := s.store(t), ctx(t)
	id := newID()
	data := sessionRecord(time.Time{}, `"user"`, `"bob"`)
	mustSet(t, st, c, id, data, time.Time{})
	mustGetEqual(t, st, c, id, data)
	sleepUntil(c, time.Now().Add(zeroWait))
	mustGetEqual(t, st, c, id, data)
}

// expiryTouchExtends: a touch with a later expiry keeps a record past its
// first one.
func (s *suite) expiryTouchExtends(t *testing.T) {
	st, tc := s.toucher(t)
	c := ctx(t)
	exp := time.Now().Add(shortLife)
	touched, control := newID(), newID()
	data := sessionRecord(exp, `"user"`, `"bob"`)
	mustSet(t, st, c, touched, data, exp)
	mustSet(t, st, c, control, data, exp)
	later := inAnHour()
	if err := tc.Touch(c, touched, sessionRecord(later, `"user"`, `"bob"`), later); err != nil {
		t.Fatalf("Touch: %v", err)
	}
	sleepUntil(c, exp.Add(expiryGrace))
	// The untouched control shows that the first expiry has passed.
	mustMissing(t, st, c, control, fmt.Sprintf("an untouched record %v after its expiry", expiryGrace))
	if _, found := mustGet(t, st, c, touched); !found {
		t.Errorf("Get after the first expiry of a record touched with a later one: not found, want found (Touch did not extend its expiry)")
	}
}

// ---------------------------------------------------------------------------
// Touch

func (s *suite) touch(t *testing.T) {
	t.Run("KeepsData", func(t *testing.T) {
		st, tc := s.toucher(t)
		c := ctx(t)
		exp := inAnHour()
		stored := sessionRecord(exp, `"user"`, `"bob"`, `"views"`, `7`, `"cart"`, `["apple"]`)
		id := newID()
		mustSet(t, st, c, id, stored, exp)
		later := exp.Add(time.Hour)
		// What the middleware holds may differ from what is stored (another
		// request changed the session meanwhile): a touch must not write it.
		held := sessionRecord(later, `"user"`, `"mallory"`, `"views"`, `8`, `"admin"`, `true`)
		if err := tc.Touch(c, id, held, later); err != nil {
			t.Fatalf("Touch: %v", err)
		}
		got, found := mustGet(t, st, c, id)
		if !found {
			t.Fatal("Get after Touch of a live record: not found")
		}
		checkTouched(t, got, stored, held)
	})
	t.Run("MissingNotCreated", func(t *testing.T) {
		st, tc := s.toucher(t)
		c := ctx(t)
		id, exp := newID(), inAnHour()
		if err := tc.Touch(c, id, sessionRecord(exp, `"user"`, `"bob"`), exp); err != nil {
			t.Errorf("Touch of a missing record = %v, want nil", err)
		}
		mustMissing(t, st, c, id, "a record that was only touched")
	})
	t.Run("DestroyedNotRevived", func(t *testing.T) {
		st, tc := s.toucher(t)
		c := ctx(t)
		id, exp := newID(), inAnHour()
		data := sessionRecord(exp, `"user"`, `"bob"`)
		mustSet(t, st, c, id, data, exp)
		mustDestroy(t, st, c, id)
		if err := tc.Touch(c, id, data, exp); err != nil {
			t.Errorf("Touch of a destroyed record = %v, want nil", err)
		}
		mustMissing(t, st, c, id, "a destroyed record that was touched")
	})
	t.Run("ExpiredNotRevived", func(t *testing.T) {
		st, tc := s.toucher(t)
		c := ctx(t)
		id, past := newID(), time.Now().Add(-2*time.Second)
		mustSet(t, st, c, id, sessionRecord(past, `"user"`, `"bob"`), past)
		later := inAnHour()
		if err := tc.Touch(c, id, sessionRecord(later, `"user"`, `"bob"`), later); err != nil {
			t.Errorf("Touch of an expired record = %v, want nil", err)
		}
		mustMissing(t, st, c, id, "an expired record that was touched with a later expiry")
	})
}

// checkTouched checks that got is the stored record after a touch with held:
// every top-level property of stored other than "cookie" is there with the
// same value, no property only held has was added, and the cookie is either
// the stored one or the held one.
func checkTouched(t *testing.T, got, stored, held []byte) {
	t.Helper()
	gm, err := record.Members(got)
	if err != nil {
		t.Fatalf("Get after Touch returned %q, not a JSON object: %v", abbrev(got), err)
	}
	sm, _ := record.Members(stored)
	hm, _ := record.Members(held)
	gotBy := map[string][]byte{}
	for _, m := range gm {
		gotBy[m.Key] = m.Value
	}
	storedBy := map[string][]byte{}
	for _, m := range sm {
		storedBy[m.Key] = m.Value
		if m.Key == "cookie" {
			continue
		}
		if v, ok := gotBy[m.Key]; !ok {
			t.Errorf("after Touch the stored property %q is gone; record = %s", m.Key, abbrev(got))
		} else if !bytes.Equal(v, m.Value) {
			t.Errorf("after Touch the stored property %q = %s, want %s (Touch must not write the session data)", m.Key, v, m.Value)
		}
	}
	var heldCookie []byte
	for _, m := range hm {
		if m.Key == "cookie" {
			heldCookie = m.Value
			continue
		}
		if _, ok := storedBy[m.Key]; ok {
			continue
		}
		if _, ok := gotBy[m.Key]; ok {
			t.Errorf("after Touch the record has %q, a property only the touched data had (Touch must not write the session data)", m.Key)
		}
	}
	if gc, ok := gotBy["cookie"]; !ok {
		t.Errorf("after Touch the record has no cookie: %s", abbrev(got))
	} else if !bytes.Equal(gc, storedBy["cookie"]) && !bytes.Equal(gc, heldCookie) {
		t.Errorf("after Touch the cookie = %s, want the stored one %s or the touched one %s", gc, storedBy["cookie"], heldCookie)
	}
}

// ---------------------------------------------------------------------------
// Optional interfaces

func (s *suite) optional(t *testing.T) {
	// fill stores three live records and one expired one and returns the
	// live ones.
	fill := func(t *testing.T, st store.Store, c context.Context) map[string][]byte {
		t.Helper()
		live := map[string][]byte{}
		exp := inAnHour()
		for i, e := range []time.Time{exp, exp.Add(time.Minute), {}} {
			id, data := newID(), sessionRecord(e, `"n"`, fmt.Sprint(i))
			mustSet(t, st, c, id, data, e)
			live[id] = data
		}
		past := time.Now().Add(-2 * time.Second)
		mustSet(t, st, c, newID(), sessionRecord(past, `"n"`, `"expired"`), past)
		return live
	}
	t.Run("Ready", func(t *testing.T) {
		st := s.store(t)
		r, ok := st.(store.Readier)
		if !ok {
			t.Skipf("%T does not implement store.Readier", st)
		}
		if !r.Ready() {
			t.Error("Ready() = false for a store the suite can use; the middleware would serve every request without a session")
		}
	})
	t.Run("All", func(t *testing.T) {
		st, c := s.store(t), ctx(t)
		l, ok := st.(store.Lister)
		if !ok {
			t.Skipf("%T does not implement store.Lister", st)
		}
		all, err := l.All(c)
		if err != nil {
			t.Fatalf("All on an empty store: %v", err)
		}
		if len(all) != 0 {
			t.Errorf("All on an empty store returned %d records, want 0", len(all))
		}
		live := fill(t, st, c)
		if all, err = l.All(c); err != nil {
			t.Fatalf("All: %v", err)
		}
		for id, data := range live {
			if got, ok := all[id]; !ok {
				t.Errorf("All is missing the live record %q", id)
			} else if !bytes.Equal(got, data) {
				t.Errorf("All[%q] = %s, want %s", id, abbrev(got), abbrev(data))
			}
		}
		for id, got := range all {
			if _, ok := live[id]; !ok {
				t.Errorf("All returned %q = %s, which is not a live record (expired records must be left out)", id, abbrev(got))
			}
		}
	})
	t.Run("Len", func(t *testing.T) {
		st, c := s.store(t), ctx(t)
		n, ok := st.(store.Counter)
		if !ok {
			t.Skipf("%T does not implement store.Counter", st)
		}
		mustLen(t, n, c, 0, "an empty store")
		live := fill(t, st, c)
		mustLen(t, n, c, len(live), "three live records and an expired one")
		for id := range live {
			mustDestroy(t, st, c, id)
			break
		}
		mustLen(t, n, c, len(live)-1, "after destroying one")
	})
	t.Run("Clear", func(t *testing.T) {
		st, c := s.store(t), ctx(t)
		cl, ok := st.(store.Clearer)
		if !ok {
			t.Skipf("%T does not implement store.Clearer", st)
		}
		live := fill(t, st, c)
		if err := cl.Clear(c); err != nil {
			t.Fatalf("Clear: %v", err)
		}
		for id := range live {
			mustMissing(t, st, c, id, "a record after Clear")
		}
		if n, ok := st.(store.Counter); ok {
			mustLen(t, n, c, 0, "after Clear")
		}
		if l, ok := st.(store.Lister); ok {
			if all, err := l.All(c); err != nil {
				t.Errorf("All after Clear: %v", err)
			} else if len(all) != 0 {
				t.Errorf("All after Clear returned %d records, want 0", len(all))
			}
		}
		// The store is still usable.
		id, exp := newID(), inAnHour()
		data := sessionRecord(exp, `"user"`, `"bob"`)
		mustSet(t, st, c, id, data, exp)
		mustGetEqual(t, st, c, id, data)
		if err := cl.Clear(c); err != nil {
			t.Fatalf("second Clear: %v", err)
		}
		mustMissing(t, st, c, id, "a record after the second Clear")
	})
}

func mustLen(t *testing.T, n store.Counter, c context.Context, want int, what string) {
	t.Helper()
	got, err := n.Len(c)
	if err != nil {
		t.Fatalf("Len (%s): %v", what, err)
	}
	if got != want {
		t.Errorf("Len (%s) = %d, want %d", what, got, want)
	}
}

// ---------------------------------------------------------------------------
// Concurrency

const (
	workers      = 16
	opsPerWorker = 200
	sharedIDs    = 6
)

// history is what was written for one ID during the concurrency subtest.
type history struct {
	mu      sync.Mutex
	sets    map[string][]byte // non-cookie part of a Set record → the record
	touched map[string]bool   // every cookie passed to Touch
}

func (h *history) add(data []byte, isSet bool) {
	members, _ := record.Members(data)
	cookie, rest := splitCookie(members)
	h.mu.Lock()
	defer h.mu.Unlock()
	if isSet {
		h.sets[rest] = data
	} else {
		h.touched[string(cookie)] = true
	}
}

// check reports whether got is a record written for this ID: a Set record,
// possibly with its cookie replaced by one given to a Touch. (Every op
// writes a distinct cookie, so a record with the data of one Set and the
// cookie of another is caught.)
func (h *history) check(got []byte) error {
	members, err := record.Members(got)
	if err != nil {
		return fmt.Errorf("not a JSON object: %v", err)
	}
	cookie, rest := splitCookie(members)
	h.mu.Lock()
	defer h.mu.Unlock()
	orig, ok := h.sets[rest]
	if !ok {
		return errors.New("its data is not one that was written for this ID")
	}
	if bytes.Equal(got, orig) {
		return nil
	}
	if !h.touched[string(cookie)] {
		return fmt.Errorf("its data is that of %s but its cookie is neither that one's nor one that was touched", abbrev(orig))
	}
	if want, err := record.With(orig, "cookie", cookie); err != nil || !bytes.Equal(got, want) {
		return fmt.Errorf("it is neither a written record nor one with a touched cookie, e.g. %s", abbrev(orig))
	}
	return nil
}

// splitCookie returns the cookie and a canonical text of the other members.
func splitCookie(members []record.Member) (cookie []byte, rest string) {
	var b strings.Builder
	for _, m := range members {
		if m.Key == "cookie" {
			cookie = m.Value
			continue
		}
		b.WriteString(m.Key)
		b.WriteByte(0)
		b.Write(m.Value)
		b.WriteByte(0)
	}
	return cookie, b.String()
}

func (s *suite) concurrency(t *testing.T) {
	st, c := s.store(t), ctx(t)
	tc, _ := st.(store.Toucher)
	lister, _ := st.(store.Lister)
	counter, _ := st.(store.Counter)

	ids := make([]string, sharedIDs)
	hist := map[string]*history{}
	for i := range ids {
		ids[i] = newID()
		hist[ids[i]] = &history{sets: map[string][]byte{}, touched: map[string]bool{}}
	}
	base := inAnHour()
	type read struct {
		id   string
		data []byte
	}
	reads := make([][]read, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := mrand.New(mrand.NewPCG(uint64(w), 1))
			for i := range opsPerWorker {
				id := ids[rng.IntN(len(ids))]
				// Distinct expiries make distinct cookies; distinct
				// padding lengths make a mix of two records detectable.
				exp := base.Add(time.Duration(w*opsPerWorker+i) * time.Millisecond)
				var err error
				switch p := rng.IntN(100); {
				case p < 35:
					data := sessionRecord(exp, `"w"`, fmt.Sprint(w), `"i"`, fmt.Sprint(i),
						`"pad"`, `"`+strings.Repeat(string(rune('a'+w)), rng.IntN(3000))+`"`)
					hist[id].add(data, true)
					err = st.Set(c, id, data, exp)
				case p < 70:
					var data []byte
					var found bool
					data, found, err = st.Get(c, id)
					if errors.Is(err, store.ErrNotFound) {
						err = nil
					}
					if err == nil && found {
						reads[w] = append(reads[w], read{id, data})
					}
				case p < 85 && tc != nil:
					data := sessionRecord(exp, `"w"`, fmt.Sprint(w), `"touch"`, fmt.Sprint(i))
					hist[id].add(data, false)
					err = tc.Touch(c, id, data, exp)
				case p < 95:
					err = st.Destroy(c, id)
				case p < 98 && lister != nil:
					var all map[string][]byte
					all, err = lister.All(c)
					for id, data := range all {
						if hist[id] != nil {
							reads[w] = append(reads[w], read{id, data})
						}
					}
				case counter != nil:
					var n int
					n, err = counter.Len(c)
					if err == nil && (n < 0 || n > len(ids)) {
						t.Errorf("Len = %d with %d IDs in use", n, len(ids))
					}
				}
				if err != nil {
					t.Errorf("worker %d op %d: %v", w, i, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, id := range ids {
		if data, found := mustGet(t, st, c, id); found {
			reads[0] = append(reads[0], read{id, data})
		}
	}
	bad := 0
	for _, rs := range reads {
		for _, r := range rs {
			if err := hist[r.id].check(r.data); err != nil {
				if bad++; bad <= 5 {
					t.Errorf("a record read for %q was never written: %v: %s", r.id, err, abbrev(r.data))
				}
			}
		}
	}
	if bad > 5 {
		t.Errorf("... and %d more", bad-5)
	}
}

// ---------------------------------------------------------------------------
// Context

func (s *suite) context(t *testing.T) {
	t.Run("Canceled", func(t *testing.T) {
		done, cancel := context.WithCancel(t.Context())
		cancel()
		s.doneContext(t, done, context.Canceled)
	})
	t.Run("DeadlineExceeded", func(t *testing.T) {
		done, cancel := context.WithDeadline(t.Context(), time.Now().Add(-time.Second))
		defer cancel()
		s.doneContext(t, done, context.DeadlineExceeded)
	})
}

// doneContext calls every method with the done context and checks that
// each returns promptly with an error wrapping want and writes nothing.
func (s *suite) doneContext(t *testing.T, done context.Context, want error) {
	st, c := s.store(t), ctx(t)
	kept, exp := newID(), inAnHour()
	data := sessionRecord(exp, `"user"`, `"bob"`)
	mustSet(t, st, c, kept, data, exp)

	call := func(op string, f func() error) {
		t.Helper()
		start := time.Now()
		err := f()
		if d := time.Since(start); d > promptly {
			t.Errorf("%s with a done context took %v, want at most %v", op, d, promptly)
		}
		if !errors.Is(err, want) {
			t.Errorf("%s with a done context = %v, want an error wrapping %v", op, err, want)
		}
	}
	fresh := newID()
	call("Get", func() error {
		got, found, err := st.Get(done, kept)
		if found || len(got) != 0 {
			t.Errorf("Get with a done context returned found=%v, %d bytes", found, len(got))
		}
		return err
	})
	call("Set of a new ID", func() error { return st.Set(done, fresh, data, exp) })
	mustMissing(t, st, c, fresh, "a record Set with a done context")
	other := sessionRecord(exp, `"user"`, `"mallory"`)
	call("Set of an existing ID", func() error { return st.Set(done, kept, other, exp) })
	call("Destroy", func() error { return st.Destroy(done, kept) })
	if tc, ok := st.(store.Toucher); ok {
		later := exp.Add(time.Hour)
		call("Touch", func() error { return tc.Touch(done, kept, sessionRecord(later, `"user"`, `"bob"`), later) })
	}
	if l, ok := st.(store.Lister); ok {
		call("All", func() error {
			all, err := l.All(done)
			if len(all) != 0 {
				t.Errorf("All with a done context returned %d records", len(all))
			}
			return err
		})
	}
	if n, ok := st.(store.Counter); ok {
		call("Len", func() error { _, err := n.Len(done); return err })
	}
	if cl, ok := st.(store.Clearer); ok {
		call("Clear", func() error { return cl.Clear(done) })
	}
	// None of the writes above may have happened.
	mustGetEqual(t, st, c, kept, data)
}

// ---------------------------------------------------------------------------
// Values

func (s *suite) values(t *testing.T) {
	t.Run("Large", func(t *testing.T) {
		st, c := s.store(t), ctx(t)
		// Varied content, so that a store that compresses or deduplicates
		// still has to keep every byte.
		blob := make([]byte, 1<<20)
		rand.Read(blob)
		text := base64.RawURLEncoding.EncodeToString(blob)[:1<<20]
		id, exp := newID(), inAnHour()
		data := sessionRecord(exp, `"user"`, `"bob"`, `"blob"`, `"`+text+`"`)
		mustSet(t, st, c, id, data, exp)
		mustGetEqual(t, st, c, id, data)
	})
	t.Run("Unicode", func(t *testing.T) {
		st, c := s.store(t), ctx(t)
		id, exp := newID(), inAnHour()
		data := sessionRecord(exp,
			`"emoji😀"`, `"👍🏽 👨‍👩‍👧 🇯🇵"`,
			`"名前"`, `"会话数据 セッション 세션"`,
			`"combining"`, `"e\u0301 vs é, A`+"\u030a"+` vs Å, Å"`, // decomposed and precomposed: no normalisation
			`"rtl"`, `"שלום مرحبا"`,
			`"escapes"`, `"quote \" backslash \\ slash \/ nl \n tab \t nul \u0000 ls \u2028 e \u00e9 pair \ud83d\ude00 lone \udc00"`,
			`"key with \"quotes\" and \\ and \n"`, `"ok"`,
			`"\u00e9scaped key"`, `1`,
			`"html"`, `"<script>&amp;</script>"`,
		)
		mustSet(t, st, c, id, data, exp)
		mustGetEqual(t, st, c, id, data)
	})
	t.Run("IDs", func(t *testing.T) {
		st, c := s.store(t), ctx(t)
		long := newID() + newID() + newID() + newID() // 128 characters
		word := strings.ToLower(strings.Map(func(r rune) rune {
			if r == '-' || r == '_' || (r >= '0' && r <= '9') {
				return 'x'
			}
			return r
		}, newID()))
		ids := []string{
			newID(), // what express-session's uid-safe generates
			"-" + newID()[1:],
			"_" + newID()[1:],
			newID()[1:] + "-",
			newID()[1:] + "_",
			"a-b_c--d__e-" + newID()[:8],
			"123e4567-e89b-12d3-a456-426614174000",
			"x",
			long[:127] + "A",
			long[:127] + "B", // differs from the previous one only at the end
			word,
			strings.ToUpper(word), // differs only in case
		}
		exp := inAnHour()
		want := map[string][]byte{}
		for i, id := range ids {
			data := sessionRecord(exp, `"id"`, `"`+id+`"`, `"i"`, fmt.Sprint(i))
			mustSet(t, st, c, id, data, exp)
			want[id] = data
		}
		for _, id := range ids {
			mustGetEqual(t, st, c, id, want[id])
		}
		mustDestroy(t, st, c, ids[8])
		mustMissing(t, st, c, ids[8], "a destroyed record with a 128-character ID")
		mustGetEqual(t, st, c, ids[9], want[ids[9]])
		mustDestroy(t, st, c, ids[10])
		mustGetEqual(t, st, c, ids[11], want[ids[11]])
	})
}

// ---------------------------------------------------------------------------
// Copies

func (s *suite) copies(t *testing.T) {
	t.Run("GetReturnsCopy", func(t *testing.T) {
		st, c := s.store(t), ctx(t)
		id, exp := newID(), inAnHour()
		data := sessionRecord(exp, `"user"`, `"bob"`)
		mustSet(t, st, c, id, data, exp)
		got, _ := mustGet(t, st, c, id)
		for i := range got {
			got[i] = 'x'
		}
		// Appending writes into spare capacity, if the slice has any:
		// a store returning a view of a larger buffer would see it.
		_ = append(got, "tail"...)
		mustGetEqual(t, st, c, id, data)
	})
	t.Run("SetDoesNotKeep", func(t *testing.T) {
		st, c := s.store(t), ctx(t)
		id, exp := newID(), inAnHour()
		data := sessionRecord(exp, `"user"`, `"bob"`)
		buf := bytes.Clone(data)
		mustSet(t, st, c, id, buf, exp)
		for i := range buf {
			buf[i] = 'x'
		}
		mustGetEqual(t, st, c, id, data)
	})
	t.Run("TouchDoesNotKeep", func(t *testing.T) {
		st, tc := s.toucher(t)
		c := ctx(t)
		id, exp := newID(), inAnHour()
		mustSet(t, st, c, id, sessionRecord(exp, `"user"`, `"bob"`), exp)
		later := exp.Add(time.Hour)
		buf := sessionRecord(later, `"user"`, `"bob"`)
		if err := tc.Touch(c, id, buf, later); err != nil {
			t.Fatalf("Touch: %v", err)
		}
		want, _ := mustGet(t, st, c, id)
		for i := range buf {
			buf[i] = 'x'
		}
		mustGetEqual(t, st, c, id, want)
	})
}

// ---------------------------------------------------------------------------
// Helpers

// sessionRecord returns a record as express-session serialises it: the
// cookie first, its expires matching exp (a browser-session cookie for the
// zero time), then the given properties as pairs of raw JSON key and value.
func sessionRecord(exp time.Time, kv ...string) []byte {
	b := []byte(`{"cookie":{"originalMaxAge":`)
	if exp.IsZero() {
		b = append(b, `null,"expires":null`...)
	} else {
		// What express-session writes: the configured maxAge, and the
		// instant it ends. (A record that has expired had a positive one.)
		maxAge := time.Until(exp).Round(time.Second).Milliseconds()
		if maxAge <= 0 {
			maxAge = 60000
		}
		b = fmt.Appendf(b, "%d", maxAge)
		b = append(b, `,"expires":`...)
		b = record.AppendString(b, record.FormatTime(exp))
	}
	b = append(b, `,"httpOnly":true,"path":"/"}`...)
	for i := 0; i+1 < len(kv); i += 2 {
		b = append(b, ',')
		b = append(b, kv[i]...)
		b = append(b, ':')
		b = append(b, kv[i+1]...)
	}
	return append(b, '}')
}

// newID returns a session ID as express-session generates them: 24 random
// bytes in URL-safe base64 (32 characters).
func newID() string {
	var b [24]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func inAnHour() time.Time { return time.Now().Add(time.Hour) }

// sleepUntil waits until t or until c is done.
func sleepUntil(c context.Context, t time.Time) {
	timer := time.NewTimer(time.Until(t))
	defer timer.Stop()
	select {
	case <-timer.C:
	case <-c.Done():
	}
}

func mustSet(t *testing.T, st store.Store, c context.Context, id string, data []byte, exp time.Time) {
	t.Helper()
	if err := st.Set(c, id, data, exp); err != nil {
		t.Fatalf("Set(%q): %v", abbrev([]byte(id)), err)
	}
}

func mustGet(t *testing.T, st store.Store, c context.Context, id string) ([]byte, bool) {
	t.Helper()
	data, found, err := st.Get(c, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, false // the contract's other way of saying not found
	}
	if err != nil {
		t.Fatalf("Get(%q): %v", abbrev([]byte(id)), err)
	}
	return data, found
}

func mustGetEqual(t *testing.T, st store.Store, c context.Context, id string, want []byte) {
	t.Helper()
	got, found := mustGet(t, st, c, id)
	switch {
	case !found:
		t.Errorf("Get(%q): not found, want %s", abbrev([]byte(id)), abbrev(want))
	case !bytes.Equal(got, want):
		t.Errorf("Get(%q) = %s (%d bytes),\nwant %s (%d bytes)%s", abbrev([]byte(id)), abbrev(got), len(got), abbrev(want), len(want), firstDiff(got, want))
	}
}

func mustMissing(t *testing.T, st store.Store, c context.Context, id, what string) {
	t.Helper()
	got, found := mustGet(t, st, c, id)
	if found || len(got) != 0 {
		t.Errorf("Get of %s: found=%v %s, want not found", what, found, abbrev(got))
	}
}

func mustDestroy(t *testing.T, st store.Store, c context.Context, id string) {
	t.Helper()
	if err := st.Destroy(c, id); err != nil {
		t.Errorf("Destroy(%q) = %v, want nil", abbrev([]byte(id)), err)
	}
}

// abbrev shortens b for messages about megabyte records.
func abbrev(b []byte) string {
	const max = 300
	if len(b) <= max {
		return string(b)
	}
	return fmt.Sprintf("%s…(%d bytes)…%s", b[:max/2], len(b)-max, b[len(b)-max/2:])
}

func firstDiff(got, want []byte) string {
	n := min(len(got), len(want))
	for i := 0; i < n; i++ {
		if got[i] != want[i] {
			lo := max(0, i-20)
			return fmt.Sprintf("\nfirst difference at byte %d: got …%q…, want …%q…", i, got[lo:min(len(got), i+20)], want[lo:min(len(want), i+20)])
		}
	}
	return ""
}
