package redisstore

import (
	"fmt"
	"testing"
	"time"
)

func TestGlobEscape(t *testing.T) {
	for in, want := range map[string]string{
		"sess:":        "sess:",
		"":             "",
		"a*b?c[d]e\\f": `a\*b\?c\[d\]e\\f`,
		"\xff[":        "\xff\\[",
	} {
		if got := globEscape(in); got != want {
			t.Errorf("globEscape(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestScanGlobPrefix: a prefix with glob characters selects its own keys
// only, not the others its unescaped pattern would match.
func TestScanGlobPrefix(t *testing.T) {
	c := newTestClient(t)
	base := testPrefix()
	s := newTestStore(t, c, Options{Prefix: base + "[ab]*?:"})
	other := newTestStore(t, c, Options{Prefix: base + "a-x:"}) // matched by "[ab]*?:*" unescaped
	exp := time.Now().Add(time.Minute)
	for i := range 3 {
		id := fmt.Sprint(i)
		if err := s.Set(bg(), id, record(exp, "mine"), exp); err != nil {
			t.Fatal(err)
		}
		if err := other.Set(bg(), id, record(exp, "other"), exp); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := s.Len(bg()); err != nil || n != 3 {
		t.Errorf("Len = %d, %v; want 3", n, err)
	}
	all, err := s.All(bg())
	if err != nil || len(all) != 3 {
		t.Fatalf("All = %d records, %v; want 3", len(all), err)
	}
	for id, data := range all {
		if string(data) != string(record(exp, "mine")) {
			t.Errorf("All[%q] = %s, not this store's record", id, data)
		}
	}
	if err := s.Clear(bg()); err != nil {
		t.Fatal(err)
	}
	if n, _ := other.Len(bg()); n != 3 {
		t.Errorf("the other store's Len after Clear = %d, want 3 (Clear deleted keys of another prefix)", n)
	}
}

// TestScanPages: with many more keys than ScanCount, All, Len and Clear
// page through all of them and count each once.
func TestScanPages(t *testing.T) {
	c := newTestClient(t)
	s := newTestStore(t, c, Options{ScanCount: 7})
	exp := time.Now().Add(time.Minute)
	want := map[string]string{}
	p := c.Pipeline()
	for i := range 500 {
		id := fmt.Sprintf("id%03d", i)
		want[id] = string(record(exp, id))
		p.Set(bg(), s.key(id), want[id], time.Minute)
	}
	if _, err := p.Exec(bg()); err != nil {
		t.Fatal(err)
	}
	checkListing(t, s, want)
	if err := s.Clear(bg()); err != nil {
		t.Fatal(err)
	}
	checkListing(t, s, map[string]string{})
}

// checkListing checks that All and Len show exactly want.
func checkListing(t *testing.T, s *Store, want map[string]string) {
	t.Helper()
	if n, err := s.Len(bg()); err != nil || n != len(want) {
		t.Errorf("Len = %d, %v; want %d", n, err, len(want))
	}
	all, err := s.All(bg())
	if err != nil {
		t.Fatalf("All: %v", err)
	}
	if len(all) != len(want) {
		t.Errorf("All returned %d records, want %d", len(all), len(want))
	}
	for id, data := range want {
		if string(all[id]) != data {
			t.Errorf("All[%q] = %q, want %q", id, all[id], data)
		}
	}
}
