package main

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sessionkit/session/store"
	"github.com/sessionkit/session/stores/redisstore"
)

func init() { openers["redis"] = openRedis }

// redisApp is the store with the client the app made for it: closing it
// closes the client too (redisstore leaves a client it is given open).
type redisApp struct {
	*redisstore.Store
	client *redis.Client
}

func (r redisApp) Close() error {
	r.Store.Close()
	return r.client.Close()
}

// openRedis opens redis://HOST:PORT/DB?prefix=P (CONTRACT.md §3) as the
// reference app does: the prefix parameter (default "sess:", and an empty
// one means no prefix), the rest of the URL for the client, connect-redis's
// other options at their defaults. Like the reference, which awaits
// client.connect(), it fails when the server does not answer.
func openRedis(raw string) (store.Store, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("bad SESSION_STORE %q: %w", raw, err)
	}
	o := redisstore.Options{Prefix: u.Query().Get("prefix")}
	if o.Prefix == "" {
		o.NoPrefix = u.Query().Has("prefix")
	}
	u.RawQuery = ""
	opt, err := redis.ParseURL(u.String())
	if err != nil {
		return nil, fmt.Errorf("bad SESSION_STORE %q: %w", raw, err)
	}
	opt.ContextTimeoutEnabled = true
	client := redis.NewClient(opt)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := client.Ping(ctx).Err(); err != nil {
		client.Close()
		return nil, fmt.Errorf("redis at %s: %w", u.Redacted(), err)
	}
	return redisApp{redisstore.New(client, o), client}, nil
}
