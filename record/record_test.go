package record

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

func TestMembers(t *testing.T) {
	doc := []byte(" {\n \"cookie\" : {\"a\":[1,{\"}\":\"]\"}]} ,\"k\\\"ey\":\"v\\\\\",\t\"n\":-1.5e3 , \"e\":{}, \"z\":null}\n")
	ms, err := Members(doc)
	if err != nil {
		t.Fatal(err)
	}
	want := []Member{
		{"cookie", []byte(`{"a":[1,{"}":"]"}]}`)},
		{`k"ey`, []byte(`"v\\"`)},
		{"n", []byte(`-1.5e3`)},
		{"e", []byte(`{}`)},
		{"z", []byte(`null`)},
	}
	if len(ms) != len(want) {
		t.Fatalf("members %q", ms)
	}
	for i := range ms {
		if ms[i].Key != want[i].Key || string(ms[i].Value) != string(want[i].Value) {
			t.Errorf("member %d: %q=%s, want %q=%s", i, ms[i].Key, ms[i].Value, want[i].Key, want[i].Value)
		}
	}
	// values are subslices of doc
	ms[0].Value[0] = 'X'
	if !strings.Contains(string(doc), `: X"a":[1`) {
		t.Error("Member.Value is not a subslice of the document")
	}
	if ms, err := Members([]byte(`{}`)); err != nil || len(ms) != 0 {
		t.Errorf("empty object: %v %v", ms, err)
	}
	for _, bad := range []string{``, ` `, `[]`, `"x"`, `1`, `null`, `{`, `{"a"}`, `{"a":1,}`, `{} {}`, `{"a":01}`} {
		if _, err := Members([]byte(bad)); !errors.Is(err, ErrNotObject) {
			t.Errorf("Members(%q): %v, want ErrNotObject", bad, err)
		}
	}
}

func TestLookup(t *testing.T) {
	doc := []byte(`{"cookie":{"expires":null},"user":"bob","\u0041":1}`)
	if v, ok, err := Lookup(doc, "user"); err != nil || !ok || string(v) != `"bob"` {
		t.Errorf("user: %s %v %v", v, ok, err)
	}
	if v, ok, _ := Lookup(doc, "A"); !ok || string(v) != "1" {
		t.Errorf("escaped key: %s %v", v, ok)
	}
	if _, ok, err := Lookup(doc, "expires"); ok || err != nil {
		t.Errorf("nested key found at top level")
	}
	if _, _, err := Lookup([]byte(`[1]`), "a"); !errors.Is(err, ErrNotObject) {
		t.Errorf("array: %v", err)
	}
}

func TestWith(t *testing.T) {
	cases := []struct{ doc, key, value, want string }{
		{`{"cookie":{"a":1},"user":"bob"}`, "cookie", `{"b":2}`, `{"cookie":{"b":2},"user":"bob"}`},
		{`{"cookie":{"a":1},"user":"bob"}`, "user", `null`, `{"cookie":{"a":1},"user":null}`},
		{`{"cookie":{"a":1},"user":"bob"}`, "new", `[1]`, `{"cookie":{"a":1},"user":"bob","new":[1]}`},
		{`{}`, "k", `1`, `{"k":1}`},
		{` { } `, "k", `1`, ` {"k":1}`},
		{"{\"a\":1 \n}\n", "b", `2`, `{"a":1,"b":2}`},
		{`{"a":1}`, "q\"<>\u2028", `"x"`, `{"a":1,"q\"<>` + "\u2028" + `":"x"}`},
		{`{"a" : 1 , "b":2}`, "a", `3`, `{"a" : 3 , "b":2}`},
	}
	for _, c := range cases {
		got, err := With([]byte(c.doc), c.key, []byte(c.value))
		if err != nil || string(got) != c.want {
			t.Errorf("With(%s, %q, %s) = %s, %v; want %s", c.doc, c.key, c.value, got, err, c.want)
			continue
		}
		if !json.Valid(got) {
			t.Errorf("With result %s invalid", got)
		}
	}
	// the input is not modified
	doc := []byte(`{"a":1,"b":2}`)
	With(doc, "a", []byte(`"a much longer value"`))
	if string(doc) != `{"a":1,"b":2}` {
		t.Errorf("With modified its input: %s", doc)
	}
	if _, err := With([]byte(`{}`), "k", []byte(`{`)); err == nil {
		t.Error("invalid value accepted")
	}
	if _, err := With([]byte(`[]`), "k", []byte(`1`)); !errors.Is(err, ErrNotObject) {
		t.Errorf("array doc: %v", err)
	}
	if _, err := With([]byte(`{"a":}`), "k", []byte(`1`)); !errors.Is(err, ErrNotObject) {
		t.Errorf("invalid doc: %v", err)
	}
}

func TestExpiry(t *testing.T) {
	at := time.Date(2026, 11, 23, 13, 25, 16, 822e6, time.UTC)
	cases := []struct {
		doc    string
		ok     bool
		hasErr bool
	}{
		{`{"cookie":{"originalMaxAge":60000,"expires":"2026-11-23T13:25:16.822Z","httpOnly":true,"path":"/"}}`, true, false},
		{`{"cookie":{"expires":"2026-11-23T14:25:16.822+01:00"}}`, true, false},
		{`{"cookie":{"expires":null}}`, false, false},
		{`{"cookie":{"expires":false}}`, false, false},
		{`{"cookie":{"expires":1795440316822}}`, false, false},
		{`{"cookie":{"expires":"Mon, 23 Nov 2026 13:25:16 GMT"}}`, false, false},
		{`{"cookie":{}}`, false, false},
		{`{"cookie":"x"}`, false, false},
		{`{"cookie":null}`, false, false},
		{`{"user":1}`, false, false},
		{`[]`, false, true},
	}
	for _, c := range cases {
		got, ok, err := Expiry([]byte(c.doc))
		if ok != c.ok || (err != nil) != c.hasErr {
			t.Errorf("Expiry(%s) = %v, %v, %v", c.doc, got, ok, err)
		}
		if ok && !got.Equal(at) {
			t.Errorf("Expiry(%s) = %v, want %v", c.doc, got, at)
		}
	}
}

func TestFormatAndParseTime(t *testing.T) {
	cases := []struct {
		t    time.Time
		want string
	}{
		{time.Date(2026, 11, 23, 13, 25, 16, 822_999_999, time.UTC), "2026-11-23T13:25:16.822Z"},
		{time.Date(2026, 11, 23, 14, 25, 16, 0, time.FixedZone("x", 3600)), "2026-11-23T13:25:16.000Z"},
		{time.Unix(0, 0), "1970-01-01T00:00:00.000Z"},
		{time.Date(12345, 1, 2, 3, 4, 5, 6e6, time.UTC), "+012345-01-02T03:04:05.006Z"},
		{time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC), "-000001-01-01T00:00:00.000Z"},
		{time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), "0000-01-01T00:00:00.000Z"},
		{time.Date(999, 1, 1, 0, 0, 0, 0, time.UTC), "0999-01-01T00:00:00.000Z"},
	}
	for _, c := range cases {
		if got := FormatTime(c.t); got != c.want {
			t.Errorf("FormatTime(%v) = %s, want %s", c.t, got, c.want)
		}
	}
	if tm, ok := ParseTime("2026-11-23T13:25:16.822Z"); !ok || tm.UnixMilli() != 1795440316822 {
		t.Errorf("ParseTime: %v %v", tm, ok)
	}
	if _, ok := ParseTime("not a date"); ok {
		t.Error("ParseTime accepted garbage")
	}
	// round trip through FormatTime
	now := time.Now()
	if tm, ok := ParseTime(FormatTime(now)); !ok || tm.UnixMilli() != now.UnixMilli() {
		t.Errorf("round trip %v -> %v", now, tm)
	}
}

// Vectors from JSON.stringify in Node 20.
func TestAppendNumberMatchesJavaScript(t *testing.T) {
	cases := []struct {
		f    float64
		want string
	}{
		{0, "0"}, {1, "1"}, {-1, "-1"}, {1.5, "1.5"}, {0.1, "0.1"}, {100, "100"},
		{1e20, "100000000000000000000"}, {1e21, "1e+21"}, {1.5e21, "1.5e+21"}, {1e300, "1e+300"},
		{0.000001, "0.000001"}, {1e-7, "1e-7"}, {-1e-7, "-1e-7"}, {1.23e-18, "1.23e-18"},
		{5e-324, "5e-324"}, {math.MaxFloat64, "1.7976931348623157e+308"},
		{123456789012345680000, "123456789012345680000"}, {1 << 54, "18014398509481984"},
		{math.NaN(), "null"}, {math.Inf(1), "null"}, {math.Inf(-1), "null"},
		{1.7e-10, "1.7e-10"}, {1e-100, "1e-100"},
	}
	for _, c := range cases {
		if got := string(AppendNumber(nil, c.f)); got != c.want {
			t.Errorf("AppendNumber(%v) = %s, want %s", c.f, got, c.want)
		}
	}
}

// TestBug_AppendNumberNegativeZero: AppendNumber promises JSON.stringify's
// output, and JSON.stringify(-0) is "0" (Number::toString(-0) is "0"), but
// strconv writes "-0". A session value math.Copysign(0, -1) is therefore
// stored as -0 where Node writes 0 (record/json.go, AppendNumber).
func TestBug_AppendNumberNegativeZero(t *testing.T) {
	if got := string(AppendNumber(nil, math.Copysign(0, -1))); got != "0" {
		t.Fatalf("AppendNumber(-0) = %s, want 0 as JSON.stringify writes", got)
	}
}

// Vectors from JSON.stringify in Node 20.
func TestAppendStringMatchesJavaScript(t *testing.T) {
	cases := []struct{ s, want string }{
		{"", `""`},
		{"bob", `"bob"`},
		{`"\`, `"\"\\"`},
		{"<a>&'", `"<a>&'"`},
		{"\u2028\u2029", "\"\u2028\u2029\""},
		{"\b\f\n\r\t", `"\b\f\n\r\t"`},
		{"\x00\x01\x1f", `"\u0000\u0001\u001f"`},
		{"\x7f", "\"\x7f\""},
		{"é😀", `"é😀"`},
		{"a\xffb", "\"a\ufffdb\""},
		{"/", `"/"`},
	}
	for _, c := range cases {
		got := AppendString(nil, c.s)
		if string(got) != c.want {
			t.Errorf("AppendString(%q) = %s, want %s", c.s, got, c.want)
		}
		var back string
		if err := json.Unmarshal(got, &back); err != nil {
			t.Errorf("AppendString(%q) = %s is not JSON: %v", c.s, got, err)
		}
	}
	// appends to dst
	if got := string(AppendString([]byte("x:"), "y")); got != `x:"y"` {
		t.Errorf("append: %s", got)
	}
}

// TestBug_DuplicateKeyFirstWins: for a record with a duplicated member,
// JSON.parse (Node stores) and the middleware's decodeRecord ("the last
// \"cookie\" wins, as in JSON.parse") use the LAST occurrence, but Lookup,
// Expiry and With act on the FIRST. memstore.Touch (With "cookie") then
// rewrites a cookie the middleware never reads, and Expiry reports an
// expiry the session does not have. Expected: Lookup/Expiry see the last
// occurrence and With replaces it (record.go, walk callers).
func TestBug_DuplicateKeyFirstWins(t *testing.T) {
	doc := []byte(`{"cookie":{"expires":"2000-01-01T00:00:00.000Z"},"n":1,"cookie":{"expires":"2100-01-01T00:00:00.000Z"}}`)
	var parsed struct {
		Cookie struct{ Expires string } `json:"cookie"`
	}
	json.Unmarshal(doc, &parsed) // encoding/json, like JSON.parse: last wins
	exp, ok, err := Expiry(doc)
	if err != nil || !ok || FormatTime(exp) != parsed.Cookie.Expires {
		t.Errorf("Expiry = %v (%v %v), JSON.parse sees %s", exp, ok, err, parsed.Cookie.Expires)
	}
	v, _, _ := Lookup(doc, "cookie")
	if !strings.Contains(string(v), "2100") {
		t.Errorf("Lookup(cookie) = %s, want the last occurrence", v)
	}
	out, _ := With(doc, "cookie", []byte(`{"x":1}`))
	json.Unmarshal(out, &parsed)
	var after map[string]any
	json.Unmarshal(out, &after)
	if c, _ := after["cookie"].(map[string]any); c["x"] != 1.0 {
		t.Errorf("With(cookie) = %s: the value JSON.parse sees was not replaced", out)
	}
}
