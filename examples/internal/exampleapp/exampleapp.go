// Package exampleapp is what the examples share that is not the point of
// any of them: where the secret comes from, the session options, pacing
// events, and serving the app with a -addr flag and a graceful shutdown.
// Each example's main.go keeps what is its point: the router, the session
// middleware in it, and handlers that use the session.
//
// It is internal to the examples. In your own program these are a few
// lines of your own: read them here and adapt them.
package exampleapp

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/sessionkit/session"
	"github.com/sessionkit/session/store"
)

// Secret returns SESSION_SECRET, or a random secret when it is not set:
// sessions then end when the server stops, since no other process can
// verify their cookies.
func Secret() string {
	if s := os.Getenv("SESSION_SECRET"); s != "" {
		return s
	}
	log.Print("SESSION_SECRET not set: using a random secret; sessions end when the server stops")
	return rand.Text()
}

// Options are the examples' session options: cookies signed with secret,
// sessions kept in st (any store.Store fits), and a cookie that
//
//   - lasts a day (MaxAge, renewed on every request);
//   - is sent on same-site requests and top-level navigations only
//     (SameSite=Lax), which blocks most cross-site request forgery;
//   - is Secure when the request that creates the session came over HTTPS
//     (session.Auto), so the examples work on plain http://127.0.0.1 too;
//   - is HttpOnly (the default): scripts on the page cannot read it;
//   - is cleared in the browser by Session.Destroy (DestroyClearsCookie),
//     as well as in the store.
func Options(secret string, st store.Store) session.Options {
	return session.Options{
		Secrets: []string{secret},
		Store:   st,
		Cookie: session.CookieOptions{
			MaxAge:   24 * time.Hour,
			SameSite: session.SameSiteLax,
			Secure:   session.Auto,
		},
		DestroyClearsCookie: true,
	}
}

// Every returns a wait of d, for pacing events: it returns nil once d has
// passed, or the context's error if the context ends first (the client has
// gone).
func Every(d time.Duration) func(context.Context) error {
	return func(ctx context.Context) error {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Run is an example's main: it parses -addr (default addr), builds the
// handler with newApp and the secret from Secret, and serves it until the
// process is interrupted (Ctrl-C, SIGTERM); then it shuts down gracefully.
// name is for the log. It exits the program on failure.
func Run(name, addr string, newApp func(secret string) (http.Handler, error)) {
	listen := flag.String("addr", addr, "listen address")
	flag.Parse()
	if err := run(name, *listen, newApp); err != nil {
		log.Fatal(err)
	}
}

func run(name, addr string, newApp func(secret string) (http.Handler, error)) error {
	h, err := newApp(Secret())
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log.Printf("%s example on http://%s", name, addr)
	return serve(ctx, ln, h)
}

// shutdownTimeout is how long a shutdown waits for the requests under way:
// long enough for the examples' event streams to end by themselves.
const shutdownTimeout = 10 * time.Second

// serve serves h on ln until ctx is done, then shuts down: it stops
// accepting connections, lets the requests under way finish (for up to
// shutdownTimeout) and closes what is left. WebSockets are hijacked
// connections, which a shutdown does not wait for: they close when the
// program exits.
func serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	// No WriteTimeout: it would cut event streams and WebSockets.
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	log.Print("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Printf("shutdown: %v; closing the connections left", err)
		_ = srv.Close()
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
