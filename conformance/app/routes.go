package main

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sessionkit/session"
	"github.com/sessionkit/session/record"
)

// sessionRoutes are the contract's session routes (section 5.2), served
// behind the middleware at / and, prefix stripped, at /sub/.
func sessionRoutes() http.Handler {
	mux := http.NewServeMux()
	withSession := func(path string, h func(http.ResponseWriter, *http.Request, *session.Session)) {
		mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
			s := session.Get(r)
			if s == nil {
				writeJSON(w, 200, map[string]any{"hasSession": false})
				return
			}
			h(w, r, s)
		})
	}
	mux.HandleFunc("GET /session", func(w http.ResponseWriter, r *http.Request) { writeView(w, r) })
	mux.HandleFunc("GET /noop", func(w http.ResponseWriter, r *http.Request) { writeText(w, "noop") })
	withSession("/set", func(w http.ResponseWriter, r *http.Request, s *session.Session) {
		if !r.URL.Query().Has("k") {
			writeJSON(w, 400, map[string]any{"error": "k required"})
			return
		}
		maybeSet(r)
		writeView(w, r)
	})
	withSession("/incr", func(w http.ResponseWriter, r *http.Request, s *session.Session) {
		k := r.URL.Query().Get("k")
		if k == "" {
			k = "count"
		}
		n, _ := getPath(s, k).(float64)
		setPath(s, k, n+1)
		writeView(w, r)
	})
	withSession("/regenerate", func(w http.ResponseWriter, r *http.Request, s *session.Session) {
		if err := s.Regenerate(r.Context()); err != nil {
			writeJSON(w, 500, map[string]any{"error": err.Error()})
			return
		}
		maybeSet(r)
		writeView(w, r)
	})
	withSession("/destroy", func(w http.ResponseWriter, r *http.Request, s *session.Session) {
		if err := s.Destroy(r.Context()); err != nil {
			writeJSON(w, 500, map[string]any{"error": err.Error()})
			return
		}
		writeJSON(w, 200, map[string]any{"destroyed": true, "hasSession": false})
	})
	withSession("/reload", func(w http.ResponseWriter, r *http.Request, s *session.Session) {
		maybeSet(r)
		sleepMs(r)
		if err := s.Reload(r.Context()); err != nil {
			writeJSON(w, 500, map[string]any{"error": err.Error()})
			return
		}
		if r.URL.Query().Has("save") {
			if err := s.Save(r.Context()); err != nil {
				writeJSON(w, 500, map[string]any{"error": err.Error()})
				return
			}
		}
		writeView(w, r)
	})
	withSession("/save", func(w http.ResponseWriter, r *http.Request, s *session.Session) {
		maybeSet(r)
		if err := s.Save(r.Context()); err != nil {
			writeJSON(w, 500, map[string]any{"error": err.Error()})
			return
		}
		writeView(w, r)
	})
	withSession("/touch", func(w http.ResponseWriter, r *http.Request, s *session.Session) {
		maybeSet(r)
		s.Touch()
		writeView(w, r)
	})
	withSession("/cookie/maxage", func(w http.ResponseWriter, r *http.Request, s *session.Session) {
		if ms := r.URL.Query().Get("ms"); ms == "null" {
			s.Cookie().SetExpires(time.Time{})
		} else {
			n, _ := strconv.ParseFloat(ms, 64)
			s.Cookie().SetMaxAge(time.Duration(n * float64(time.Millisecond)))
		}
		writeView(w, r)
	})
	withSession("/cookie/set", cookieSet)
	mux.HandleFunc("GET /unset", func(w http.ResponseWriter, r *http.Request) {
		maybeSet(r)
		if s := session.Get(r); s != nil {
			s.Unset()
		}
		if !r.URL.Query().Has("stream") {
			writeJSON(w, 200, map[string]any{"unset": true})
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, "unset\n")
		fmt.Fprint(w, "done\n")
	})
	mux.HandleFunc("GET /slow", func(w http.ResponseWriter, r *http.Request) {
		sleepMs(r)
		maybeSet(r)
		writeView(w, r)
	})
	mux.HandleFunc("GET /fail", func(w http.ResponseWriter, r *http.Request) {
		maybeSet(r)
		writeJSON(w, 500, map[string]any{"error": "route failure"})
	})
	mux.HandleFunc("GET /stream", func(w http.ResponseWriter, r *http.Request) {
		after := r.URL.Query().Get("when") == "after"
		if !after {
			maybeSet(r)
		}
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, "chunk1\n")
		http.NewResponseController(w).Flush()
		if after {
			maybeSet(r)
		}
		time.Sleep(20 * time.Millisecond)
		fmt.Fprint(w, "chunk2\n")
		http.NewResponseController(w).Flush()
		time.Sleep(20 * time.Millisecond)
		fmt.Fprint(w, "chunk3\n")
	})
	mux.HandleFunc("GET /fixedlength", func(w http.ResponseWriter, r *http.Request) {
		maybeSet(r)
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Content-Length", "12")
		fmt.Fprint(w, "hello, ")
		fmt.Fprint(w, "world")
	})
	mux.HandleFunc("GET /empty", func(w http.ResponseWriter, r *http.Request) {
		maybeSet(r)
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(200)
	})
	mux.HandleFunc("GET /headers", func(w http.ResponseWriter, r *http.Request) {
		maybeSet(r)
		w.Header().Set("Set-Cookie", "previous=cookieValue; Path=/; HttpOnly")
		w.Header().Set("X-Custom", "yes")
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(200)
		fmt.Fprint(w, "headers")
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 404, map[string]any{"error": "not found"})
	})
	return mux
}

func cookieSet(w http.ResponseWriter, r *http.Request, s *session.Session) {
	q := r.URL.Query()
	v := parseValue(q)
	c := s.Cookie()
	var err error
	switch q.Get("k") {
	case "maxAge":
		if n, ok := v.(float64); ok {
			c.SetMaxAge(time.Duration(n * float64(time.Millisecond)))
		} else {
			c.SetExpires(time.Time{})
		}
	case "expires":
		var t time.Time
		switch x := v.(type) {
		case string:
			t, _ = record.ParseTime(x)
		case float64:
			t = time.UnixMilli(int64(x))
		}
		c.SetExpires(t)
	case "httpOnly":
		c.SetHTTPOnly(truthy(v))
	case "secure":
		c.SetSecure(truthy(v))
	case "partitioned":
		c.SetPartitioned(truthy(v))
	case "path":
		err = c.SetPath(fmt.Sprint(v))
	case "domain":
		err = c.SetDomain(fmt.Sprint(v))
	case "sameSite":
		err = c.SetSameSite(session.SameSite(fmt.Sprint(v)))
	case "priority":
		err = c.SetPriority(session.Priority(fmt.Sprint(v)))
	default:
		writeJSON(w, 400, map[string]any{"error": "k must be one of maxAge,expires,httpOnly,path,domain,secure,sameSite,partitioned,priority"})
		return
	}
	if err != nil {
		writeJSON(w, 400, map[string]any{"error": err.Error()})
		return
	}
	writeView(w, r)
}

// writeView writes the contract's view of the request's session.
func writeView(w http.ResponseWriter, r *http.Request) {
	s := session.Get(r)
	if s == nil {
		writeJSON(w, 200, map[string]any{"hasSession": false})
		return
	}
	doc, err := json.Marshal(s)
	if err != nil {
		writeJSON(w, 500, map[string]any{"error": err.Error()})
		return
	}
	members, _ := record.Members(doc)
	data := map[string]json.RawMessage{}
	for _, m := range members {
		if m.Key != "cookie" {
			data[m.Key] = m.Value
		}
	}
	var c map[string]any
	cookieJSON, _ := json.Marshal(s.Cookie())
	_ = json.Unmarshal(cookieJSON, &c)
	view := map[string]any{}
	for _, k := range []string{"originalMaxAge", "expires", "httpOnly", "path", "domain", "secure", "sameSite", "partitioned", "priority"} {
		view[k] = c[k]
	}
	// maxAge is the Cookie's getter: time left, or expires itself.
	view["maxAge"] = c["expires"]
	if exp, ok := c["expires"].(string); ok {
		if t, ok := record.ParseTime(exp); ok {
			view["maxAge"] = math.Round(float64(time.Until(t).Milliseconds()))
		}
	}
	writeJSON(w, 200, map[string]any{"hasSession": true, "sessionID": s.ID(), "data": data, "cookie": view})
}

// maybeSet sets k=v on the request's session, if both are there.
func maybeSet(r *http.Request) {
	q := r.URL.Query()
	s := session.Get(r)
	if !q.Has("k") || s == nil {
		return
	}
	setPath(s, q.Get("k"), parseValue(q))
}

// parseValue is the contract's v: JSON if it parses, else the string; true
// when absent.
func parseValue(q map[string][]string) any {
	vs, ok := q["v"]
	if !ok {
		return true
	}
	var v any
	if json.Unmarshal([]byte(vs[0]), &v) != nil {
		return vs[0]
	}
	return v
}

// setPath assigns value at a dotted path, creating objects on the way.
func setPath(s *session.Session, path string, value any) {
	parts := strings.Split(path, ".")
	if len(parts) == 1 {
		_ = s.Set(path, value)
		return
	}
	top, _ := s.Get(parts[0])
	root, ok := top.(map[string]any)
	if !ok {
		root = map[string]any{}
	}
	o := root
	for _, p := range parts[1 : len(parts)-1] {
		next, ok := o[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			o[p] = next
		}
		o = next
	}
	o[parts[len(parts)-1]] = value
	_ = s.Set(parts[0], root)
}

func getPath(s *session.Session, path string) any {
	parts := strings.Split(path, ".")
	v, _ := s.Get(parts[0])
	for _, p := range parts[1:] {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

func sleepMs(r *http.Request) {
	ms, _ := strconv.Atoi(r.URL.Query().Get("ms"))
	time.Sleep(time.Duration(ms) * time.Millisecond)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = 500, []byte(`{"error":"encoding"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeText(w http.ResponseWriter, s string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte(s))
}
