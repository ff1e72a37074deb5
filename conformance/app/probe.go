package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sessionkit/session/record"
	"github.com/sessionkit/session/store"
)

// probe wraps the store given to the middleware: it counts the calls the
// middleware makes, fails them on demand (/_fault), delays write
// completions (STORE_WRITE_DELAY_MS) and plays the store's
// disconnect/connect events. The /_store routes use the real store.
type probe struct {
	real  store.Store
	delay time.Duration

	mu     sync.Mutex
	counts map[string]int
	faults map[string]*fault
	late   int

	disconnected atomic.Bool
}

type fault struct {
	enoent bool
	times  int // < 0: until removed
}

// newProbe returns the probe and the store to give the middleware.
func newProbe(real store.Store, delay time.Duration) (*probe, store.Store) {
	p := &probe{real: real, delay: delay, counts: map[string]int{}, faults: map[string]*fault{}}
	_, touches := real.(store.Toucher)
	_, rewrites := real.(store.Rewriter)
	switch {
	case touches && rewrites:
		return p, &rewritingProbe{&touchingProbe{p}}
	case touches:
		return p, &touchingProbe{p}
	}
	return p, p // no store rewrites without touching
}

// rewritingProbe adds SetRecord (store.Rewriter), counted as a set.
type rewritingProbe struct{ *touchingProbe }

func (p *rewritingProbe) SetRecord(ctx context.Context, id string, data []byte, exp time.Time) ([]byte, error) {
	if err := p.call("set"); err != nil {
		return nil, err
	}
	written, err := p.real.(store.Rewriter).SetRecord(ctx, id, data, exp)
	return written, p.write(err)
}

// touchingProbe adds Touch for stores that have it, so that the middleware
// sees the same optional interfaces as on the real store.
type touchingProbe struct{ *probe }

func (p *touchingProbe) Touch(ctx context.Context, id string, data []byte, exp time.Time) error {
	if err := p.call("touch"); err != nil {
		return err
	}
	return p.write(p.real.(store.Toucher).Touch(ctx, id, data, exp))
}

func (p *probe) Ready() bool { return !p.disconnected.Load() }

func (p *probe) Get(ctx context.Context, id string) ([]byte, bool, error) {
	if err := p.call("get"); err != nil {
		return nil, false, err
	}
	return p.real.Get(ctx, id)
}

func (p *probe) Set(ctx context.Context, id string, data []byte, exp time.Time) error {
	if err := p.call("set"); err != nil {
		return err
	}
	return p.write(p.real.Set(ctx, id, data, exp))
}

func (p *probe) Destroy(ctx context.Context, id string) error {
	if err := p.call("destroy"); err != nil {
		return err
	}
	return p.write(p.real.Destroy(ctx, id))
}

// call counts op and returns the injected failure, if any.
func (p *probe) call(op string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.counts[op]++
	f := p.faults[op]
	if f == nil || f.times == 0 {
		return nil
	}
	if f.times > 0 {
		f.times--
	}
	err := fmt.Errorf("injected %s failure", op)
	if f.enoent {
		err = fmt.Errorf("injected %s failure: %w", op, store.ErrNotFound)
	}
	return err
}

func (p *probe) write(err error) error {
	if p.delay > 0 {
		time.Sleep(p.delay)
	}
	return err
}

func (p *probe) lateError() {
	p.mu.Lock()
	p.late++
	p.mu.Unlock()
}

func (p *probe) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /_probe", func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		out := map[string]any{"calls": map[string]int{
			"get": p.counts["get"], "set": p.counts["set"], "touch": p.counts["touch"], "destroy": p.counts["destroy"],
		}, "lateErrors": p.late}
		p.counts, p.late = map[string]int{}, 0
		p.mu.Unlock()
		writeJSON(w, 200, out)
	})
	mux.HandleFunc("GET /_fault", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		op := q.Get("op")
		switch op {
		case "get", "set", "touch", "destroy":
		default:
			writeJSON(w, 400, map[string]any{"error": "op must be get|set|touch|destroy"})
			return
		}
		p.mu.Lock()
		if mode := q.Get("mode"); mode == "none" {
			delete(p.faults, op)
		} else {
			f := &fault{enoent: mode == "enoent", times: -1}
			if n, err := strconv.Atoi(q.Get("times")); err == nil {
				f.times = n
			}
			p.faults[op] = f
		}
		p.mu.Unlock()
		writeJSON(w, 200, map[string]any{"ok": true})
	})
	mux.HandleFunc("GET /_store/{op}", p.storeRoute)
}

func (p *probe) storeRoute(w http.ResponseWriter, r *http.Request) {
	ctx, q, real := r.Context(), r.URL.Query(), p.real
	fail := func(err error) { writeJSON(w, 500, map[string]any{"error": err.Error()}) }
	ok := func() { writeJSON(w, 200, map[string]any{"ok": true}) }
	switch r.PathValue("op") {
	case "clear":
		c, can := real.(store.Clearer)
		if !can {
			fail(errors.New("store cannot clear"))
			return
		}
		if err := c.Clear(ctx); err != nil {
			fail(err)
			return
		}
		ok()
	case "all", "length":
		l, can := real.(store.Lister)
		if !can {
			fail(errors.New("store cannot list"))
			return
		}
		all, err := l.All(ctx)
		if err != nil {
			fail(err)
			return
		}
		if r.PathValue("op") == "length" {
			writeJSON(w, 200, map[string]any{"length": len(all)})
			return
		}
		out := map[string]json.RawMessage{}
		for id, doc := range all {
			out[id] = doc
		}
		writeJSON(w, 200, map[string]any{"sessions": out})
	case "get":
		doc, found, err := real.Get(ctx, q.Get("sid"))
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			fail(err)
			return
		}
		var v json.RawMessage = []byte("null")
		if found {
			v = doc
		}
		writeJSON(w, 200, map[string]any{"session": v})
	case "set":
		doc := []byte(q.Get("json"))
		exp, err := adminExpiry(doc)
		if err != nil {
			writeJSON(w, 400, map[string]any{"error": "json"})
			return
		}
		if err := real.Set(ctx, q.Get("sid"), doc, exp); err != nil {
			fail(err)
			return
		}
		ok()
	case "patch":
		p.patch(w, r)
	case "destroy":
		if err := real.Destroy(ctx, q.Get("sid")); err != nil {
			fail(err)
			return
		}
		ok()
	case "event":
		switch q.Get("name") {
		case "disconnect":
			p.disconnected.Store(true)
		case "connect":
			p.disconnected.Store(false)
		default:
			writeJSON(w, 400, map[string]any{"error": "name"})
			return
		}
		ok()
	default:
		http.NotFound(w, r)
	}
}

// adminExpiry is the expiry /_store/set and /_store/patch give a record:
// the Node stores compute it from the plain object's cookie.expires, except
// connect-sqlite3, which reads a maxAge getter a plain object lacks and so
// always keeps such rows one day; its opener replaces this function with one
// returning the zero time (the store's default lifetime).
var adminExpiry = func(doc []byte) (time.Time, error) {
	exp, _, err := record.Expiry(doc)
	return exp, err
}

// patch assigns the properties of set and deletes the keys in unset, as
// Object.assign and delete do on the parsed record.
func (p *probe) patch(w http.ResponseWriter, r *http.Request) {
	ctx, q := r.Context(), r.URL.Query()
	sid := q.Get("sid")
	doc, found, err := p.real.Get(ctx, sid)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		writeJSON(w, 500, map[string]any{"error": err.Error()})
		return
	}
	if !found {
		writeJSON(w, 404, map[string]any{"error": "no such session"})
		return
	}
	if s := q.Get("set"); s != "" {
		members, err := record.Members([]byte(s))
		if err != nil {
			writeJSON(w, 400, map[string]any{"error": "json"})
			return
		}
		for _, m := range members {
			if doc, err = record.With(doc, m.Key, m.Value); err != nil {
				writeJSON(w, 400, map[string]any{"error": "json"})
				return
			}
		}
	}
	if u := q.Get("unset"); u != "" {
		var keys []string
		if json.Unmarshal([]byte(u), &keys) != nil {
			writeJSON(w, 400, map[string]any{"error": "json"})
			return
		}
		members, _ := record.Members(doc)
		out := []byte("{")
		for _, m := range members {
			if contains(keys, m.Key) {
				continue
			}
			if len(out) > 1 {
				out = append(out, ',')
			}
			out = record.AppendString(out, m.Key)
			out = append(out, ':')
			out = append(out, m.Value...)
		}
		doc = append(out, '}')
	}
	exp, _ := adminExpiry(doc)
	if err := p.real.Set(ctx, sid, doc, exp); err != nil {
		writeJSON(w, 500, map[string]any{"error": err.Error()})
		return
	}
	writeJSON(w, 200, map[string]any{"ok": true})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
