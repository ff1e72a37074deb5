package session

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/sessionkit/session/internal/wire"
)

// recordSeeds returns the stored and produced records of
// testdata/records.json (written by the real express-session) plus a few
// hand-made edge cases.
func recordSeeds(tb testing.TB) []string {
	b, err := os.ReadFile("testdata/records.json")
	if err != nil {
		tb.Fatal(err)
	}
	var f struct {
		Cases []struct {
			Stored string `json:"stored"`
			Record string `json:"record"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, c := range f.Cases {
		for _, s := range []string{c.Stored, c.Record} {
			if s != "" {
				out = append(out, s)
			}
		}
	}
	if len(out) < 30 {
		tb.Fatalf("only %d seed records", len(out))
	}
	return append(out,
		`{"cookie":{}}`,
		`{"cookie":{"originalMaxAge":60000,"expires":"2026-11-23T13:25:16.822Z","httpOnly":true,"path":"/"},"user":{"z":1,"a":2}}`,
		`{"b":1,"cookie":{"expires":false,"originalMaxAge":false},"2":"x","1":[1,{"q":null}],"b":2}`,
		`{"cookie":{"expires":"Mon, 23 Nov 2026 13:25:16 GMT","sameSite":true,"priority":"HIGH"},"save":1,"__proto__":{}}`,
		`{"cookie":{"expires":"not a date","originalMaxAge":1e400,"path":{"x":1},"domain":7},"n":-0,"big":1e400}`,
		` { "cookie" : { "path" : "/" } , "k\u00e9y" : "v\ud800" } `,
		`{"cookie":{"expires":"+275760-09-13T00:00:00.000Z"}}`,
		`{"cookie":{"expires":"9999-12-31T23:59:59.999+14:00","originalMaxAge":-1.5e-7}}`,
		`{"cookie":[]}`, `{"cookie":null}`, `[]`, `{`, ``,
	)
}

func FuzzDecodeRecord(f *testing.F) {
	for _, s := range recordSeeds(f) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		d, orig, rawCookie, err := decodeRecord(doc)
		if err != nil {
			return
		}
		c, err := decodeCookie(rawCookie)
		if err != nil {
			t.Fatalf("decodeRecord accepted a cookie decodeCookie refuses: %s: %v", rawCookie, err)
		}
		if err := d.refresh(); err != nil {
			t.Fatalf("refresh of a freshly loaded record: %v", err)
		}
		if len(orig) < len(d.entries)-1 {
			t.Fatalf("snapshot shorter than the data")
		}
		e1 := d.appendJSON(nil, &c)
		if !json.Valid(e1) {
			t.Fatalf("encoded record is not valid JSON:\n in %s\nout %s", doc, e1)
		}
		d2, orig2, rc2, err := decodeRecord(e1)
		if err != nil {
			t.Fatalf("re-decode of %s: %v", e1, err)
		}
		c2, err := decodeCookie(rc2)
		if err != nil {
			t.Fatal(err)
		}
		e2 := d2.appendJSON(nil, &c2)
		if !bytes.Equal(e1, e2) {
			t.Fatalf("encoding not stable:\n in %s\n e1 %s\n e2 %s", doc, e1, e2)
		}
		// Reading every value is not a modification and keeps the bytes.
		for i := range d2.entries {
			if d2.entries[i].key != "cookie" {
				d2.value(i)
			}
		}
		if err := d2.refresh(); err != nil {
			t.Fatal(err)
		}
		if !d2.equal(orig2) {
			t.Fatalf("reading values made %s look modified", e1)
		}
		if e3 := d2.appendJSON(nil, &c2); !bytes.Equal(e3, e2) {
			t.Fatalf("reading values changed the record:\n e2 %s\n e3 %s", e2, e3)
		}
		// GetAs and Get agree with encoding/json on every stored value.
		sess := &Session{data: d2}
		for _, e := range d2.entries {
			if e.key != "cookie" {
				checkGetAs(t, sess, e.key, e.raw)
			}
		}
		// The cookie's attributes either serialise or fail, never panic.
		c2.attrs()
		c2.touch(1795440316822)
		if b := c2.appendJSON(nil); !json.Valid(b) {
			t.Fatalf("touched cookie %s", b)
		}
	})
}

// checkGetAs compares GetAs and Get with encoding/json on raw.
func checkGetAs(t *testing.T, s *Session, key string, raw []byte) {
	t.Helper()
	raw = append([]byte(nil), raw...)
	if utf8.Valid(raw) { // see TestBug_GetAsStringInvalidUTF8
		compare(t, s, key, raw, GetAs[string])
	}
	compare(t, s, key, raw, GetAs[int])
	compare(t, s, key, raw, GetAs[int64])
	compare(t, s, key, raw, GetAs[float64])
	compare(t, s, key, raw, GetAs[bool])
	compare(t, s, key, raw, GetAs[[]any])
	var want any
	if json.Unmarshal(raw, &want) == nil {
		if got, ok := s.Get(key); !ok || !reflect.DeepEqual(got, want) {
			t.Fatalf("Get(%q) of %s = %#v, %v; encoding/json gives %#v", key, raw, got, ok, want)
		}
	}
}

func compare[T any](t *testing.T, s *Session, key string, raw []byte, getAs func(*Session, string) (T, bool)) {
	t.Helper()
	var want T
	// encoding/json, except that null reports false (GetAs's doc).
	wantOK := json.Unmarshal(raw, &want) == nil && string(bytes.TrimSpace(raw)) != "null"
	got, ok := getAs(s, key)
	if ok != wantOK || (ok && !reflect.DeepEqual(got, want)) {
		t.Fatalf("GetAs[%T](%q) of %s = %#v, %v; encoding/json gives %#v, %v", want, key, raw, got, ok, want, wantOK)
	}
}

func FuzzSetCookieHeader(f *testing.F) {
	hs := newHarness(f, Options{})
	var issued sync.Map
	hs.m.cfg.GenID = func(*http.Request) string {
		id := wire.NewID()
		issued.Store(id, true)
		return id
	}
	known := map[string]bool{}
	var cookies []string
	// Fixed IDs: fuzz workers rebuild this setup and must agree on it.
	for _, id := range []string{"Ab3_-xYz0123456789abcdefghijklmn", "apple", "with.dots.in.id", "%", "é"} {
		known[id] = true
		hs.st.put(f, id, nodeRecord(time.Hour, `"user":"bob"`))
		cookies = append(cookies, signedCookie("connect.sid", id, testSecret))
	}
	good := cookies[0]
	_, gv, _ := strings.Cut(good, "=")
	dec, _ := url.PathUnescape(gv)
	for _, c := range cookies {
		f.Add(c)
	}
	for _, s := range []string{
		"", "connect.sid", "connect.sid=", "=", ";", ";;;", "connect.sid=s:",
		"connect.sid=" + dec, `connect.sid="` + gv + `"`, "connect.sid=\"", " connect.sid = " + gv + " ",
		"connect.sid=bad; " + good, good + "; connect.sid=bad", "a=b;" + good, "a;" + good,
		"connect.sid=%E0%A4%A", "connect.sid=s%3A%", "connect.sid=s:" + dec[2:len(dec)-1],
		"connect.sid=s:" + dec[2:] + "=", "connect.sid=" + gv + "\n" + "connect.sid=x",
		"connect.sid=s:.", "connect.sid=s:" + strings.Repeat("A", 43), "\x00connect.sid=\xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		hs.st.reset()
		r := httptest.NewRequest("GET", "/", nil)
		r.Header["Cookie"] = strings.Split(header, "\n")
		var id string
		var data any
		rec := httptest.NewRecorder()
		hs.m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s := Get(r)
			if s == nil {
				t.Fatal("no session")
			}
			id = s.ID()
			data, _ = s.Get("user")
		})).ServeHTTP(rec, r)
		_, wasIssued := issued.Load(id)
		switch {
		case known[id]:
			if data != "bob" {
				t.Fatalf("loaded %q without its data", id)
			}
		case wasIssued:
			if data != nil {
				t.Fatalf("new session %q has data %v", id, data)
			}
		default:
			t.Fatalf("header %q gave session %q, which neither the store nor GenID issued", header, id)
		}
		for _, c := range hs.st.snapshot() {
			if c.Op == "get" && !known[c.ID] {
				t.Fatalf("header %q reached store.Get with unverified id %q", header, c.ID)
			}
		}
		if line := sessionSetCookie(rec); line != "" && sidOf(t, line) != id {
			t.Fatalf("Set-Cookie %q for session %q", line, id)
		}
		if rec.Code != 200 {
			t.Fatalf("status %d", rec.Code)
		}
	})
}
