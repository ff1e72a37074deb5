package storetest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sessionkit/session/record"
	"github.com/sessionkit/session/store"
	"github.com/sessionkit/session/storetest"
)

// bugEnv selects the deliberate bug of the reference store in the child
// processes started by TestSuiteCatchesBugs.
const bugEnv = "STORETEST_BUG"

// TestSuite runs the suite against the reference store: without a bug it
// must pass; with one (in a child process) it must fail.
func TestSuite(t *testing.T) {
	t.Parallel()
	bug := os.Getenv(bugEnv)
	storetest.Run(t, func(t *testing.T) store.Store {
		return &refStore{bug: bug, m: map[string]refEntry{}}
	})
}

// TestSuiteCatchesBugs shows that each subtest can fail: for each bug it runs
// the subtest that must catch it, in a child process, and expects it to fail.
func TestSuiteCatchesBugs(t *testing.T) {
	if os.Getenv(bugEnv) != "" {
		t.Skip("in a child process")
	}
	cases := []struct {
		bug  string
		test string // the subtest of TestSuite that must fail
	}{
		{"get-unknown-error", "RoundTrip/GetUnknown"},
		{"no-truncate", "RoundTrip/Overwrite"},
		{"destroy-all", "RoundTrip/Destroy"},
		{"destroy-missing-error", "RoundTrip/DestroyUnknown"},
		{"destroy-tombstone", "RoundTrip/SetAfterDestroy"},
		{"reencode", "Records/NestedData"},
		{"reencode", "Records/IntegerLikeKeyFirst"},
		{"zero-expires-now", "Records/BrowserSessionCookie"},
		{"no-expiry", "Expiry/Future"},
		{"no-expiry", "Expiry/Past"},
		{"zero-short-ttl", "Expiry/Zero"},
		{"touch-no-extend", "Expiry/TouchExtends"},
		{"touch-replaces", "Touch/KeepsData"},
		{"touch-creates", "Touch/MissingNotCreated"},
		{"touch-missing-error", "Touch/MissingNotCreated"},
		{"touch-creates", "Touch/DestroyedNotRevived"},
		{"touch-revives", "Touch/ExpiredNotRevived"},
		{"not-ready", "Optional/Ready"},
		{"all-includes-expired", "Optional/All"},
		{"len-includes-expired", "Optional/Len"},
		{"clear-noop", "Optional/Clear"},
		{"partial-write", "Concurrency"},
		{"ignore-ctx", "Context/Canceled"},
		{"ignore-ctx", "Context/DeadlineExceeded"},
		{"ctx-after-write", "Context/Canceled"},
		{"ctx-unwrapped", "Context/DeadlineExceeded"},
		{"ctx-slow", "Context/Canceled"},
		{"truncate-64k", "Values/Large"},
		{"reencode", "Values/Unicode"},
		{"id-truncate-64", "Values/IDs"},
		{"id-case-fold", "Values/IDs"},
		{"get-no-copy", "Copies/GetReturnsCopy"},
		{"set-keeps-slice", "Copies/SetDoesNotKeep"},
		{"touch-keeps-slice", "Copies/TouchDoesNotKeep"},
	}
	// Each t.Run in its own goroutine: the children mostly wait (for
	// records to expire), so run them all at once, whatever -test.parallel.
	var wg sync.WaitGroup
	for _, tc := range cases {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.Run(tc.bug+"→"+tc.test, func(t *testing.T) {
				var pattern strings.Builder
				pattern.WriteString("^TestSuite$")
				for _, part := range strings.Split(tc.test, "/") {
					pattern.WriteString("/^" + part + "$")
				}
				cmd := exec.Command(os.Args[0], "-test.run="+pattern.String(), "-test.v", "-test.count=1")
				cmd.Env = append(os.Environ(), bugEnv+"="+tc.bug)
				out, err := cmd.CombinedOutput()
				if err == nil {
					t.Fatalf("the suite passed a store with bug %q; output:\n%s", tc.bug, out)
				}
				want := "--- FAIL: TestSuite/" + tc.test + " "
				if !bytes.Contains(out, []byte(want)) {
					t.Fatalf("output does not contain %q:\n%s", want, out)
				}
			})
		}()
	}
	wg.Wait()
}

// TestRunWithoutOptionalInterfaces shows that a store with only the
// required methods skips, rather than fails, what it does not implement.
func TestRunWithoutOptionalInterfaces(t *testing.T) {
	if os.Getenv(bugEnv) != "" {
		t.Skip("in a child process")
	}
	t.Parallel()
	storetest.Run(t, func(t *testing.T) store.Store {
		return struct{ store.Store }{&refStore{m: map[string]refEntry{}}}
	})
}

// refStore is the simplest correct store, with optional bugs.
type refStore struct {
	bug string
	mu  sync.Mutex
	m   map[string]refEntry
}

type refEntry struct {
	data []byte
	exp  time.Time
}

func (e refEntry) live(now time.Time) bool { return e.exp.IsZero() || e.exp.After(now) }

func (s *refStore) key(id string) string {
	switch s.bug {
	case "id-truncate-64":
		if len(id) > 64 {
			return id[:64]
		}
	case "id-case-fold":
		return strings.ToLower(id)
	}
	return id
}

// ctxErr is how the store reports a done context, bugs included.
func (s *refStore) ctxErr(ctx context.Context, op string) error {
	switch s.bug {
	case "ignore-ctx", "ctx-after-write":
		return nil
	case "ctx-slow":
		if op == "get" && ctx.Err() != nil {
			time.Sleep(3 * time.Second)
		}
	case "ctx-unwrapped":
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("refstore: %s: %v", op, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("refstore: %s: %w", op, err)
	}
	return nil
}

// after reports a done context once the write has happened ("ctx-after-write").
func (s *refStore) after(ctx context.Context, op string) error {
	if s.bug == "ctx-after-write" && ctx.Err() != nil {
		return fmt.Errorf("refstore: %s: %w", op, ctx.Err())
	}
	return nil
}

func (s *refStore) Get(ctx context.Context, id string) ([]byte, bool, error) {
	if err := s.ctxErr(ctx, "get"); err != nil {
		return nil, false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.m[s.key(id)]
	if ok && s.bug == "destroy-tombstone" && e.data == nil {
		ok = false
	}
	if !ok {
		if s.bug == "get-unknown-error" {
			return nil, false, errors.New("refstore: get: no such record")
		}
		return nil, false, s.after(ctx, "get")
	}
	if !e.live(time.Now()) && s.bug != "no-expiry" {
		delete(s.m, s.key(id))
		return nil, false, s.after(ctx, "get")
	}
	if s.bug == "get-no-copy" {
		return e.data, true, s.after(ctx, "get")
	}
	return bytes.Clone(e.data), true, s.after(ctx, "get")
}

func (s *refStore) Set(ctx context.Context, id string, data []byte, expires time.Time) error {
	if err := s.ctxErr(ctx, "set"); err != nil {
		return err
	}
	switch s.bug {
	case "zero-expires-now":
		if expires.IsZero() {
			expires = time.Unix(1, 0)
		}
	case "zero-short-ttl":
		if expires.IsZero() {
			expires = time.Now().Add(time.Second)
		}
	case "truncate-64k":
		data = data[:min(len(data), 64<<10)]
	case "reencode":
		var v any
		if json.Unmarshal(data, &v) == nil {
			data, _ = json.Marshal(v)
		}
	}
	buf := bytes.Clone(data)
	if s.bug == "set-keeps-slice" {
		buf = data
	}
	s.mu.Lock()
	old, had := s.m[s.key(id)]
	if s.bug == "destroy-tombstone" && had && old.data == nil {
		s.mu.Unlock()
		return s.after(ctx, "set") // the ID is "taken"
	}
	switch {
	case s.bug == "no-truncate" && had && len(old.data) > len(buf):
		buf = append(buf, old.data[len(buf):]...)
	case s.bug == "partial-write" && had:
		// Publish the new cookie on the old data before the new data.
		if cookie, ok, _ := record.Lookup(buf, "cookie"); ok {
			if mix, err := record.With(old.data, "cookie", cookie); err == nil {
				s.m[s.key(id)] = refEntry{mix, expires}
			}
		}
		s.mu.Unlock()
		time.Sleep(200 * time.Microsecond)
		s.mu.Lock()
	}
	s.m[s.key(id)] = refEntry{buf, expires}
	s.mu.Unlock()
	return s.after(ctx, "set")
}

func (s *refStore) Destroy(ctx context.Context, id string) error {
	if err := s.ctxErr(ctx, "destroy"); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.m[s.key(id)]
	switch s.bug {
	case "destroy-all":
		clear(s.m)
	case "destroy-missing-error":
		if !ok {
			return errors.New("refstore: destroy: no such record")
		}
	case "destroy-tombstone":
		// Marks the record as deleted and never lets the ID be used again.
		s.m[s.key(id)] = refEntry{}
		return s.after(ctx, "destroy")
	}
	delete(s.m, s.key(id))
	return s.after(ctx, "destroy")
}

func (s *refStore) Touch(ctx context.Context, id string, data []byte, expires time.Time) error {
	if err := s.ctxErr(ctx, "touch"); err != nil {
		return err
	}
	cookie, _, err := record.Lookup(data, "cookie")
	if err != nil {
		return fmt.Errorf("refstore: touch: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.m[s.key(id)]
	if s.bug == "destroy-tombstone" && ok && e.data == nil {
		return nil
	}
	if !ok {
		switch s.bug {
		case "touch-creates":
			s.m[s.key(id)] = refEntry{bytes.Clone(data), expires}
		case "touch-missing-error":
			return fmt.Errorf("refstore: touch: %w", store.ErrNotFound)
		}
		return s.after(ctx, "touch")
	}
	if !e.live(time.Now()) && s.bug != "touch-revives" {
		return s.after(ctx, "touch")
	}
	doc, err := record.With(e.data, "cookie", cookie)
	if err != nil {
		return fmt.Errorf("refstore: touch: %w", err)
	}
	switch s.bug {
	case "touch-replaces":
		doc = bytes.Clone(data)
	case "touch-keeps-slice":
		if bytes.Equal(doc, data) {
			doc = data // "saves" a copy
		}
	case "touch-no-extend":
		expires = e.exp
	}
	s.m[s.key(id)] = refEntry{doc, expires}
	return s.after(ctx, "touch")
}

// Ready makes refStore a store.Readier.
func (s *refStore) Ready() bool { return s.bug != "not-ready" }

func (s *refStore) All(ctx context.Context) (map[string][]byte, error) {
	if err := s.ctxErr(ctx, "all"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string][]byte{}
	now := time.Now()
	for id, e := range s.m {
		if e.live(now) || s.bug == "all-includes-expired" {
			out[id] = bytes.Clone(e.data)
		}
	}
	return out, s.after(ctx, "all")
}

func (s *refStore) Len(ctx context.Context) (int, error) {
	if err := s.ctxErr(ctx, "len"); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n, now := 0, time.Now()
	for _, e := range s.m {
		if e.live(now) || s.bug == "len-includes-expired" {
			n++
		}
	}
	return n, s.after(ctx, "len")
}

func (s *refStore) Clear(ctx context.Context) error {
	if err := s.ctxErr(ctx, "clear"); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.bug != "clear-noop" {
		clear(s.m)
	}
	return s.after(ctx, "clear")
}
