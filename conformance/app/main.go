// Command app is sessionkit's side of the express-session conformance
// harness: a test app that follows ../shared/conformance/CONTRACT.md, so that
// run.mjs can send it and the Node reference app the same requests and
// compare what comes back. It maps the contract's JSON options onto
// session.Options and exposes the store through the /_store routes.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/sessionkit/session"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("conformance app: ")
	if err := run(); err != nil {
		log.Print(err)
		os.Exit(2)
	}
}

func run() error {
	opts, noSecret, err := parseOptions(os.Getenv("SESSION_OPTIONS"))
	if err != nil {
		return err
	}
	backend, err := openStore(os.Getenv("SESSION_STORE"))
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	delay, _ := time.ParseDuration(os.Getenv("STORE_WRITE_DELAY_MS") + "ms")
	probe, wrapped := newProbe(backend, delay)
	opts.Store = wrapped
	if os.Getenv("TRUST_PROXY") == "1" {
		opts.RequestIsSecure = expressTrustProxy
	}
	opts.ErrorHandler = func(w http.ResponseWriter, r *http.Request, err error) {
		if errors.Is(err, session.ErrHeadersSent) {
			probe.lateError()
			return
		}
		writeJSON(w, http.StatusInternalServerError, map[string]any{"error": err.Error()})
	}

	var sessions func(http.Handler) http.Handler
	if noSecret {
		// express-session starts without a secret and fails every session
		// request; sessionkit refuses to be built without one.
		sessions = func(http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, http.StatusInternalServerError, map[string]any{"error": "secret option required for sessions"})
			})
		}
	} else {
		m, err := session.New(opts)
		if err != nil {
			return err
		}
		sessions = m.Handler
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, r *http.Request) { writeText(w, "ok") })
	probe.routes(mux)
	routes := sessions(sessionRoutes())
	mux.Handle("/sub/", http.StripPrefix("/sub", routes))
	mux.Handle("/", routes)

	srv := &http.Server{Addr: "127.0.0.1:" + os.Getenv("PORT"), Handler: mux}
	done := make(chan error, 1)
	go func() { done <- srv.ListenAndServe() }()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	select {
	case err := <-done:
		return err
	case <-sig:
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		if c, ok := backend.(interface{ Close() error }); ok {
			_ = c.Close()
		}
		return nil
	}
}
