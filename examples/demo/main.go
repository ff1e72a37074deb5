// Command demo is a small web app on sessionkit: a view counter per visitor
// and per page, sign-in with bcrypt-hashed demo users that renews the
// session ID, "remember me" for one session, sign-out that destroys the
// session, CSRF tokens kept in the session, and a page that shows the
// session itself with its cookie counting down.
//
//	go run ./examples/demo                                 # http://127.0.0.1:8080, SQLite
//	go run ./examples/demo -addr 127.0.0.1:9000
//	go run ./examples/demo -store memory
//	go run ./examples/demo -store sqlite:/var/tmp/demo.db
//	go run ./examples/demo -store file:./sessions
//	go run ./examples/demo -store redis://127.0.0.1:6379/0
//	go run ./examples/demo -store postgres://user@127.0.0.1:5432/db
//	go run ./examples/demo -store 'mysql://user@tcp(127.0.0.1:3306)/db'
//
// Every flag can also be given in the environment: ADDR, STORE,
// SECRET_FILE, TRUST_PROXY.
//
// By default sessions are kept in ./sessionkit-demo.db, an SQLite file in
// the working directory, so they survive a restart. The signing secret comes
// from SESSION_SECRET; without it the demo makes 32 random bytes once and
// keeps them in a file beside the database (mode 0600), so restarting does
// not log everyone out either.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"syscall"
	"time"
)

func main() {
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	slog.SetDefault(logger)

	cfg := config{Logger: logger, Secret: os.Getenv("SESSION_SECRET")}
	addr := flag.String("addr", envOr("ADDR", "127.0.0.1:8080"), "listen `address` (env ADDR)")
	flag.StringVar(&cfg.StoreSpec, "store", envOr("STORE", defaultStore),
		"session `store` (env STORE): memory, sqlite:PATH, file:DIR, redis://HOST:PORT[/DB],\n"+
			"postgres://USER[:PASS]@HOST:PORT/DB, mysql://USER[:PASS]@HOST:PORT/DB or mysql://USER@tcp(HOST:PORT)/DB")
	flag.StringVar(&cfg.SecretFile, "secret-file", os.Getenv("SECRET_FILE"),
		"`file` keeping the generated signing secret when SESSION_SECRET is unset (env SECRET_FILE;\n"+
			"default: beside the SQLite database or the file store's directory, else ./sessionkit-demo.secret)")
	flag.BoolVar(&cfg.TrustProxy, "proxy", envBool("TRUST_PROXY"),
		"trust X-Forwarded-Proto from a TLS-terminating reverse proxy (env TRUST_PROXY)")
	flag.Parse()

	if err := run(*addr, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

// run serves the demo on addr until SIGINT or SIGTERM, then shuts down
// gracefully and closes the store.
func run(addr string, cfg config) error {
	handler, closer, err := newApp(cfg)
	if err != nil {
		return err
	}
	defer func() {
		if err := closer.Close(); err != nil {
			cfg.Logger.Error("closing the session store", "err", err)
		}
	}()

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (choose another address with -addr or ADDR)", addr, err)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelWarn),
	}
	fresh := &freshConns{m: map[net.Conn]struct{}{}}
	srv.ConnState = fresh.track
	srv.RegisterOnShutdown(fresh.closeAll)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	cfg.Logger.Info("sessionkit demo listening", "url", "http://"+ln.Addr().String())

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	cfg.Logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// freshConns are the connections that have not sent a byte yet. Browsers
// open such connections ahead of need (preconnect), and Shutdown waits up
// to 5 s before it counts one as idle; there is no request on them to
// finish, so Shutdown closes them at once instead (listeners are closed by
// then, so no new one arrives).
type freshConns struct {
	mu sync.Mutex
	m  map[net.Conn]struct{}
}

func (f *freshConns) track(c net.Conn, state http.ConnState) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if state == http.StateNew {
		f.m[c] = struct{}{}
	} else {
		delete(f.m, c)
	}
}

func (f *freshConns) closeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for c := range f.m {
		c.Close()
	}
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func envBool(key string) bool {
	b, _ := strconv.ParseBool(os.Getenv(key))
	return b
}
