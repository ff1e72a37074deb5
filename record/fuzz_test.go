package record

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"testing"
	"unicode/utf8"
)

// seedRecords adds the records of ../testdata/records.json (written by the
// real express-session) and a few edge cases.
func seedRecords(f *testing.F, add func(doc string)) {
	b, err := os.ReadFile("../testdata/records.json")
	if err != nil {
		f.Fatal(err)
	}
	var file struct {
		Cases []struct {
			Stored string `json:"stored"`
			Record string `json:"record"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(b, &file); err != nil {
		f.Fatal(err)
	}
	n := 0
	for _, c := range file.Cases {
		for _, s := range []string{c.Stored, c.Record} {
			if s != "" {
				add(s)
				n++
			}
		}
	}
	if n < 30 {
		f.Fatalf("only %d seed records", n)
	}
	for _, s := range []string{
		`{}`, ` { } `, `{"a":1,"a":2}`, `{"k\"ey":"v\\","\u00e9":[{"}":"]"}]}`,
		"{\"\xff\":1}", `{"\ud800":1}`, `{"a":{"b":{"c":[[[]]]}},"n":-0.0e-0}`,
		`[]`, `{`, `"x"`, ``, `{"a":1}{}`,
	} {
		add(s)
	}
}

func FuzzMembers(f *testing.F) {
	seedRecords(f, func(doc string) { f.Add([]byte(doc)) })
	f.Fuzz(func(t *testing.T, doc []byte) {
		ms, err := Members(doc)
		var v map[string]any
		isObject := json.Unmarshal(doc, &v) == nil && v != nil
		if err != nil {
			if !errors.Is(err, ErrNotObject) && isObject {
				t.Fatalf("Members(%q) failed on a JSON object: %v", doc, err)
			}
			if isObject {
				t.Fatalf("Members(%q) refused a JSON object", doc)
			}
			return
		}
		if !isObject {
			// encoding/json may still refuse what json.Valid accepts (huge numbers)
			var raw map[string]json.RawMessage
			if json.Unmarshal(doc, &raw) != nil {
				if !json.Valid(doc) {
					t.Fatalf("Members accepted invalid JSON %q", doc)
				}
				return
			}
		}
		seen := map[string]bool{}
		unique := true
		rebuilt := []byte{'{'}
		for i, m := range ms {
			if !json.Valid(m.Value) || bytes.TrimSpace(m.Value) == nil || len(bytes.TrimSpace(m.Value)) != len(m.Value) {
				t.Fatalf("member %q value %q is not a trimmed JSON value", m.Key, m.Value)
			}
			if seen[m.Key] {
				unique = false
			}
			seen[m.Key] = true
			if i > 0 {
				rebuilt = append(rebuilt, ',')
			}
			rebuilt = AppendString(rebuilt, m.Key)
			rebuilt = append(rebuilt, ':')
			rebuilt = append(rebuilt, m.Value...)
		}
		// Lookup agrees with Members on the last occurrence, as JSON.parse.
		last := map[string][]byte{}
		for _, m := range ms {
			last[m.Key] = m.Value
		}
		for k, v := range last {
			lv, ok, err := Lookup(doc, k)
			if err != nil || !ok || !bytes.Equal(lv, v) {
				t.Fatalf("Lookup(%q) = %q %v %v, Members' last copy is %q", k, lv, ok, err, v)
			}
		}
		rebuilt = append(rebuilt, '}')
		if !json.Valid(rebuilt) {
			t.Fatalf("rebuilt %q from %q is not valid JSON", rebuilt, doc)
		}
		if !unique {
			return
		}
		var a, b any
		if err := json.Unmarshal(doc, &a); err != nil {
			return // e.g. a number encoding/json cannot hold
		}
		if err := json.Unmarshal(rebuilt, &b); err != nil {
			t.Fatalf("rebuilt %q: %v", rebuilt, err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("rebuilt from Members differs:\n doc %q\n got %q", doc, rebuilt)
		}
	})
}

func FuzzWith(f *testing.F) {
	seedRecords(f, func(doc string) {
		f.Add([]byte(doc), "cookie", []byte(`{"originalMaxAge":null,"expires":null,"httpOnly":true,"path":"/"}`))
		f.Add([]byte(doc), "__lastAccess", []byte(`1795440316822`))
	})
	f.Add([]byte(`{"a":1,"a":2}`), "a", []byte(` "x" `))
	f.Add([]byte(`{}`), "k\"\\\u2028", []byte(`[]`))
	f.Add([]byte(`{"a":1}`), "b", []byte(`{`))
	f.Fuzz(func(t *testing.T, doc []byte, key string, value []byte) {
		out, err := With(doc, key, value)
		_, docErr := Members(doc)
		switch {
		case !json.Valid(value):
			if err == nil {
				t.Fatalf("With accepted invalid value %q", value)
			}
			return
		case docErr != nil:
			if err == nil {
				t.Fatalf("With accepted a doc Members refuses: %q", doc)
			}
			return
		case err != nil:
			t.Fatalf("With(%q, %q, %q): %v", doc, key, value, err)
		}
		if !json.Valid(out) {
			t.Fatalf("With(%q, %q, %q) = %q is not valid JSON", doc, key, value, out)
		}
		if !utf8.ValidString(key) {
			// JSON cannot hold this key; With writes it with U+FFFD
			// (AppendString), so Lookup(key) cannot find it. See report.
			return
		}
		want := bytes.Trim(value, " \t\r\n")
		got, ok, err := Lookup(out, key)
		if err != nil || !ok || !bytes.Equal(got, want) {
			t.Fatalf("Lookup(With(%q, %q, %q)) = %q %v %v", doc, key, value, got, ok, err)
		}
		// every other member is untouched, in order
		before, _ := Members(doc)
		after, err := Members(out)
		if err != nil {
			t.Fatal(err)
		}
		replaced := -1
		for i, m := range before {
			if m.Key == key {
				replaced = i // the last copy is the one replaced
			}
		}
		if replaced < 0 {
			if len(after) != len(before)+1 || after[len(after)-1].Key != key {
				t.Fatalf("new member not appended: %q", out)
			}
			after = after[:len(after)-1]
		} else if len(after) != len(before) {
			t.Fatalf("member count %d -> %d: %q", len(before), len(after), out)
		}
		for i := range before {
			if i == replaced {
				continue
			}
			if before[i].Key != after[i].Key || !bytes.Equal(before[i].Value, after[i].Value) {
				t.Fatalf("member %d changed: %q=%q -> %q=%q", i, before[i].Key, before[i].Value, after[i].Key, after[i].Value)
			}
		}
	})
}
