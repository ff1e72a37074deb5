package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/sessionkit/session"
	"github.com/sessionkit/session/examples/internal/exampletest"
	"github.com/sessionkit/session/memstore"
)

// seen is what gin middleware registered before the adapter sees once the
// chain has run.
type seen struct {
	restored     bool
	status, size int
}

// newAdapterEngine is a gin engine with, in order: a middleware recording
// what it sees after the chain, gin.Recovery, the adapter. The session
// cookie goes on every response (SaveUninitialized).
func newAdapterEngine(t *testing.T, st *flakyStore) (*gin.Engine, chan seen) {
	t.Helper()
	m, err := session.New(session.Options{
		Secrets:           []string{"test secret"},
		SaveUninitialized: true,
		Store:             st,
		Logger:            slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	return newEngine(sessions(m))
}

// newEngine is a gin engine with a middleware recording what it sees after
// the chain, gin.Recovery, then the given middleware.
func newEngine(mw ...gin.HandlerFunc) (*gin.Engine, chan seen) {
	after := make(chan seen, 1)
	r := gin.New()
	r.Use(func(c *gin.Context) {
		w := c.Writer
		c.Next()
		after <- seen{restored: c.Writer == w, status: c.Writer.Status(), size: c.Writer.Size()}
	}, gin.Recovery())
	r.Use(mw...)
	return r, after
}

// TestAdapterWriter: gin's rendering through the adapter gives what it
// gives without it, to the client and to the middleware before it.
func TestAdapterWriter(t *testing.T) {
	withSession, afterWith := newAdapterEngine(t, newFlakyStore())
	plain, afterPlain := newEngine()
	for _, r := range []*gin.Engine{withSession, plain} {
		adapted := r == withSession
		r.GET("/json", func(c *gin.Context) {
			if _, ok := c.Writer.(*ginWriter); adapted && (!ok || session.Get(c.Request) == nil) {
				t.Errorf("the handler has writer %T and session %v", c.Writer, session.Get(c.Request))
			}
			c.JSON(http.StatusCreated, gin.H{"ok": true})
			if !c.Writer.Written() || c.Writer.Status() != http.StatusCreated || c.Writer.Size() != len(`{"ok":true}`) {
				t.Errorf("after c.JSON: written %v status %d size %d", c.Writer.Written(), c.Writer.Status(), c.Writer.Size())
			}
		})
		r.GET("/string", func(c *gin.Context) { c.String(http.StatusOK, "hello %s", "gin") })
		r.GET("/no-body", func(c *gin.Context) { c.Status(http.StatusNoContent) })
		r.GET("/late-header", func(c *gin.Context) {
			c.Status(http.StatusAccepted)
			if c.Writer.Written() {
				t.Error("c.Status wrote the headers")
			}
			c.Header("X-Late", "yes") // still in time: gin writes the headers with the body
			c.String(http.StatusAccepted, "ok")
		})
		r.GET("/length", func(c *gin.Context) {
			c.Header("Content-Length", "5")
			c.String(http.StatusOK, "12345")
		})
		r.GET("/abort", func(c *gin.Context) { c.AbortWithStatus(http.StatusForbidden) })
		r.GET("/panic", func(c *gin.Context) { panic("boom") })
	}
	srvWith, srvPlain := httptest.NewServer(withSession), httptest.NewServer(plain)
	defer srvWith.Close()
	defer srvPlain.Close()

	type result struct {
		status int
		body   string
		late   string // X-Late
		seen   seen
	}
	get := func(t *testing.T, base, path string, after chan seen) (result, *http.Response) {
		res, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		return result{res.StatusCode, string(b), res.Header.Get("X-Late"), <-after}, res
	}
	for _, tc := range []struct {
		path   string
		status int
		body   string
	}{
		{"/json", http.StatusCreated, `{"ok":true}`},
		{"/string", http.StatusOK, "hello gin"},
		{"/no-body", http.StatusNoContent, ""},
		{"/late-header", http.StatusAccepted, "ok"},
		{"/length", http.StatusOK, "12345"},
		{"/abort", http.StatusForbidden, ""},
		{"/panic", http.StatusInternalServerError, ""},
		{"/no-such-route", http.StatusNotFound, "404 page not found"}, // gin's NoRoute chain runs the adapter too
	} {
		t.Run(tc.path, func(t *testing.T) {
			got, res := get(t, srvWith.URL, tc.path, afterWith)
			want, _ := get(t, srvPlain.URL, tc.path, afterPlain)
			if got != want || got.status != tc.status || got.body != tc.body || !got.seen.restored {
				t.Errorf("with the adapter %+v, without %+v", got, want)
			}
			if tc.path != "/panic" { // a panic skips the save, and the cookie goes with it
				exampletest.SessionCookie(t, res)
			}
		})
	}
}

// TestAdapterStoreFailure: when the store fails, the session middleware
// answers by itself and the rest of the gin chain does not run.
func TestAdapterStoreFailure(t *testing.T) {
	st := newFlakyStore()
	r, after := newAdapterEngine(t, st)
	var calls atomic.Int32
	r.GET("/", func(c *gin.Context) {
		calls.Add(1)
		c.String(http.StatusOK, "ok")
	})
	srv := httptest.NewServer(r)
	defer srv.Close()
	c := exampletest.NewClient(t, srv.URL)
	if res, body := c.Do("GET", "/", nil); res.StatusCode != http.StatusOK || body != "ok" {
		t.Fatalf("%d %q", res.StatusCode, body)
	}
	<-after
	st.fail.Store(true) // the next request's session cannot be loaded
	if res, _ := c.Do("GET", "/", nil); res.StatusCode != http.StatusInternalServerError {
		t.Fatalf("with the store down: %d", res.StatusCode)
	}
	if got := <-after; got != (seen{true, http.StatusInternalServerError, got.size}) {
		t.Errorf("middleware before the adapter saw %+v", got)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("the handler ran %d times, want 1", n)
	}
}

// TestAdapterHijack does what github.com/coder/websocket does under gin:
// WriteHeader(101), WriteHeaderNow, Hijack. The 101 reaches the client
// with the session cookie the middleware decided, then the raw bytes.
func TestAdapterHijack(t *testing.T) {
	r, after := newAdapterEngine(t, newFlakyStore())
	r.GET("/upgrade", func(c *gin.Context) {
		c.Header("Upgrade", "example")
		c.Header("Connection", "Upgrade")
		c.Writer.WriteHeader(http.StatusSwitchingProtocols)
		c.Writer.WriteHeaderNow()
		conn, brw, err := c.Writer.Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		_, _ = brw.WriteString("raw bytes\n")
		_ = brw.Flush()
	})
	r.GET("/too-late", func(c *gin.Context) {
		c.String(http.StatusOK, "body")
		if _, _, err := c.Writer.Hijack(); !errors.Is(err, errHijackAfterBody) {
			t.Errorf("Hijack after the body: %v", err)
		}
	})
	srv := httptest.NewServer(r)
	defer srv.Close()

	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(time.Minute))
	_, _ = io.WriteString(conn, "GET /upgrade HTTP/1.1\r\nHost: example\r\nConnection: Upgrade\r\nUpgrade: example\r\n\r\n")
	br := bufio.NewReader(conn)
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusSwitchingProtocols || res.Header.Get("Upgrade") != "example" {
		t.Fatalf("got %d %v", res.StatusCode, res.Header)
	}
	exampletest.SessionCookie(t, res)
	if line, err := br.ReadString('\n'); line != "raw bytes\n" {
		t.Fatalf("after the 101: %q %v", line, err)
	}
	if got := <-after; !got.restored {
		t.Error("c.Writer not restored after a hijack")
	}

	res2, err := http.Get(srv.URL + "/too-late")
	if err != nil {
		t.Fatal(err)
	}
	res2.Body.Close()
	<-after
}

// TestAdapterHTTP2: the adapter over HTTP/2, where gin's writer offers a
// pusher, and streaming still flushes.
func TestAdapterHTTP2(t *testing.T) {
	r, after := newAdapterEngine(t, newFlakyStore())
	r.GET("/", func(c *gin.Context) {
		if c.Request.ProtoMajor != 2 || c.Writer.Pusher() == nil {
			t.Errorf("proto %s, pusher %v", c.Request.Proto, c.Writer.Pusher())
		}
		views, _ := session.GetAs[int](session.Get(c.Request), "views")
		_ = session.Get(c.Request).Set("views", views+1)
		c.SSEvent("views", views+1)
		c.Writer.Flush()
	})
	r.GET("/pusher", func(c *gin.Context) { c.String(http.StatusOK, "%v", c.Writer.Pusher() != nil) })
	srv := httptest.NewUnstartedServer(r)
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()
	c := exampletest.NewClient(t, srv.URL)
	c.HTTP.Transport = srv.Client().Transport
	for _, want := range []string{"event:views\ndata:1", "event:views\ndata:2"} {
		if res, body := c.Do("GET", "/", nil); res.ProtoMajor != 2 || body != want {
			t.Fatalf("got %s %q, want %q", res.Proto, body, want)
		}
		<-after
	}
	// Over HTTP/1 there is nothing to push with.
	srv1 := httptest.NewServer(r)
	defer srv1.Close()
	if _, body := exampletest.NewClient(t, srv1.URL).Do("GET", "/pusher", nil); body != "false" {
		t.Errorf("Pusher over HTTP/1: %s", body)
	}
	<-after
}

// flakyStore is a memory store whose Get fails on demand.
type flakyStore struct {
	*memstore.Store
	fail atomic.Bool
}

func newFlakyStore() *flakyStore {
	return &flakyStore{Store: memstore.New(memstore.Options{})}
}

func (s *flakyStore) Get(ctx context.Context, id string) ([]byte, bool, error) {
	if s.fail.Load() {
		return nil, false, errors.New("store unavailable")
	}
	return s.Store.Get(ctx, id)
}
