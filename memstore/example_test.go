package memstore_test

import (
	"context"
	"fmt"
	"time"

	"github.com/sessionkit/session/memstore"
	"github.com/sessionkit/session/record"
)

func Example() {
	s := memstore.New(memstore.Options{
		MaxEntries: 100_000,        // evict the least recently used beyond this
		DefaultTTL: 24 * time.Hour, // for browser-session cookies, as connect-redis does
	})
	defer s.Close()
	ctx := context.Background()

	// The middleware stores the session as express-session serialises it,
	// with the expiry of its cookie.
	data := []byte(`{"cookie":{"originalMaxAge":3600000,"expires":"2999-01-01T00:00:00.000Z","httpOnly":true,"path":"/"},"user":"bob"}`)
	expires, _, _ := record.Expiry(data)
	if err := s.Set(ctx, "sid", data, expires); err != nil {
		fmt.Println(err)
	}

	// A request that does not change the session touches it: only the
	// cookie (and the expiry) of the stored record change.
	held := []byte(`{"cookie":{"originalMaxAge":3600000,"expires":"2999-01-01T01:00:00.000Z","httpOnly":true,"path":"/"},"user":"eve"}`)
	expires, _, _ = record.Expiry(held)
	if err := s.Touch(ctx, "sid", held, expires); err != nil {
		fmt.Println(err)
	}

	got, found, err := s.Get(ctx, "sid")
	fmt.Println(string(got), found, err)

	n, _ := s.Len(ctx)
	fmt.Println(n, "session")
	// Output:
	// {"cookie":{"originalMaxAge":3600000,"expires":"2999-01-01T01:00:00.000Z","httpOnly":true,"path":"/"},"user":"bob"} true <nil>
	// 1 session
}
