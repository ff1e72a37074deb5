package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/sessionkit/session"
	"github.com/sessionkit/session/record"
)

// parseOptions maps the contract's SESSION_OPTIONS (express-session's
// options as JSON) onto session.Options. noSecret reports a missing or
// empty secret, which express-session accepts at start-up.
func parseOptions(text string) (o session.Options, noSecret bool, err error) {
	if text == "" {
		text = "{}"
	}
	var raw map[string]any
	if err := json.Unmarshal([]byte(text), &raw); err != nil {
		return o, false, fmt.Errorf("SESSION_OPTIONS is not a JSON object: %w", err)
	}
	switch s := raw["secret"].(type) {
	case string:
		if s == "" {
			noSecret = true
		}
		o.Secrets = []string{s}
	case []any:
		if len(s) == 0 {
			return o, false, errors.New("secret option array must contain one or more strings")
		}
		for _, x := range s {
			str, _ := x.(string)
			o.Secrets = append(o.Secrets, str)
		}
	case nil:
		noSecret = true
	default:
		if !truthy(s) {
			noSecret = true
		}
		o.Secrets = []string{fmt.Sprint(s)}
	}
	if name, _ := raw["name"].(string); name != "" {
		o.Name = name
	} else if key, _ := raw["key"].(string); key != "" {
		o.Name = key
	}
	o.Resave = defaultTrue(raw, "resave")
	o.SaveUninitialized = defaultTrue(raw, "saveUninitialized")
	o.Rolling = truthy(raw["rolling"])
	switch u := raw["unset"]; {
	case u == "destroy":
		o.Unset = session.UnsetDestroy
	case u == "keep" || !truthy(u):
	default:
		return o, false, fmt.Errorf(`unset option must be "destroy" or "keep"`)
	}
	switch raw["proxy"] {
	case true:
		o.Proxy = session.On
	case false:
		o.Proxy = session.Off
	}
	switch g := raw["genid"]; {
	case g == "url":
		o.GenID = func(r *http.Request) string { return r.RequestURI }
	case isString(g) && strings.HasPrefix(g.(string), "fixed:"):
		v := strings.TrimPrefix(g.(string), "fixed:")
		o.GenID = func(*http.Request) string { return v }
	case truthy(g):
		return o, false, errors.New("genid option must be a function")
	}
	if c, ok := raw["cookie"]; ok && c != nil {
		obj, ok := c.(map[string]any)
		if !ok {
			if _, isArr := c.([]any); !isArr && truthy(c) {
				return o, false, errors.New("argument options must be a object")
			}
			obj = map[string]any{}
		}
		if rules, ok := obj["$perPath"].([]any); ok {
			o.CookieFunc, err = perPath(rules)
		} else {
			o.Cookie, err = cookieOptions(obj)
			if y := o.Cookie.Expires.Year(); err == nil && !o.Cookie.Expires.IsZero() && y > 9999 {
				// express accepts an Invalid Date and fails each response
				// late; New refuses one, a cookie function's result is only
				// checked when the cookie is written, as in express.
				c := o.Cookie
				o.Cookie, o.CookieFunc = session.CookieOptions{}, func(*http.Request) session.CookieOptions { return c }
			}
		}
		if err != nil {
			return o, false, err
		}
	}
	return o, noSecret, nil
}

// perPath is the contract's stand-in for a cookie function: the options of
// the first rule whose prefix starts the original request path.
func perPath(rules []any) (func(*http.Request) session.CookieOptions, error) {
	type rule struct {
		prefix string
		opts   session.CookieOptions
	}
	var list []rule
	for _, x := range rules {
		r, _ := x.(map[string]any)
		obj, _ := r["options"].(map[string]any)
		opts, err := cookieOptions(obj)
		if err != nil {
			return nil, err
		}
		list = append(list, rule{fmt.Sprint(r["prefix"]), opts})
	}
	return func(r *http.Request) session.CookieOptions {
		path, _, _ := strings.Cut(r.RequestURI, "?")
		for _, rule := range list {
			if strings.HasPrefix(path, rule.prefix) {
				return rule.opts
			}
		}
		return session.CookieOptions{}
	}, nil
}

func cookieOptions(c map[string]any) (session.CookieOptions, error) {
	var o session.CookieOptions
	if v, ok := c["path"].(string); ok {
		o.Path = v
	}
	if v, ok := c["domain"].(string); ok {
		o.Domain = v
	}
	if v, ok := c["httpOnly"]; ok {
		o.HTTPOnly = toggle(truthy(v))
	}
	switch v := c["secure"]; {
	case v == "auto":
		o.Secure = session.Auto
	case v != nil:
		o.Secure = toggle(truthy(v))
	}
	switch v := c["sameSite"].(type) {
	case bool:
		o.SameSite = session.SameSite(fmt.Sprint(v))
	case string:
		o.SameSite = session.SameSite(v)
	}
	if v, ok := c["partitioned"]; ok {
		o.Partitioned = toggle(truthy(v))
	}
	if v, ok := c["priority"].(string); ok {
		o.Priority = session.Priority(v)
	}
	switch v := c["maxAge"].(type) {
	case nil:
	case float64:
		o.MaxAge = time.Duration(v * float64(time.Millisecond))
	default:
		if truthy(v) {
			return o, errors.New("maxAge must be a number or Date")
		}
	}
	if v, ok := c["expires"].(string); ok {
		if t, ok := record.ParseTime(v); ok {
			o.Expires = t
		} else {
			// JavaScript's Invalid Date: an instant no Date can hold.
			o.Expires = time.Unix(1<<50, 0)
		}
	}
	return o, nil
}

// expressTrustProxy is express's req.secure with "trust proxy" = 1: the
// first X-Forwarded-Proto value, compared case-sensitively.
func expressTrustProxy(r *http.Request) bool {
	proto, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ",")
	return strings.TrimSpace(proto) == "https"
}

func toggle(on bool) session.Toggle {
	if on {
		return session.On
	}
	return session.Off
}

func defaultTrue(raw map[string]any, key string) bool {
	v, ok := raw[key]
	return !ok || truthy(v)
}

func isString(v any) bool { _, ok := v.(string); return ok }

// truthy is JavaScript's Boolean(v) for decoded JSON.
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case float64:
		return x != 0
	case string:
		return x != ""
	}
	return true
}
