package exampleapp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/sessionkit/session"
	"github.com/sessionkit/session/memstore"
)

func TestMain(m *testing.M) {
	log.SetOutput(io.Discard)
	os.Exit(m.Run())
}

func TestSecret(t *testing.T) {
	t.Setenv("SESSION_SECRET", "from the environment")
	if got := Secret(); got != "from the environment" {
		t.Errorf("with SESSION_SECRET: %q", got)
	}
	t.Setenv("SESSION_SECRET", "")
	a, b := Secret(), Secret()
	if len(a) < 26 || a == b {
		t.Errorf("random secrets %q, %q", a, b)
	}
}

// TestOptions: the cookie the options give, over HTTP and HTTPS, and
// Destroy clearing it.
func TestOptions(t *testing.T) {
	m, err := session.New(Options("test secret", memstore.New(memstore.Options{})))
	if err != nil {
		t.Fatal(err)
	}
	h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.Get(r)
		if r.URL.Path == "/destroy" {
			_ = s.Destroy(r.Context())
			return
		}
		_ = s.Set("views", 1)
	}))
	for _, tc := range []struct {
		srv    *httptest.Server
		secure bool
	}{
		{httptest.NewServer(h), false},
		{httptest.NewTLSServer(h), true},
	} {
		defer tc.srv.Close()
		res, err := tc.srv.Client().Get(tc.srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		cks := res.Cookies()
		if len(cks) != 1 {
			t.Fatalf("cookies %q", res.Header["Set-Cookie"])
		}
		ck := cks[0]
		if day := time.Until(ck.Expires); ck.Name != "connect.sid" || day < 23*time.Hour || day > 24*time.Hour || ck.SameSite != http.SameSiteLaxMode || !ck.HttpOnly || ck.Secure != tc.secure {
			t.Errorf("%s: cookie %q", tc.srv.URL, res.Header["Set-Cookie"])
		}

		req, _ := http.NewRequest("GET", tc.srv.URL+"/destroy", nil)
		req.AddCookie(&http.Cookie{Name: ck.Name, Value: ck.Value})
		res, err = tc.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if cks := res.Cookies(); len(cks) != 1 || cks[0].Name != "connect.sid" || cks[0].Value != "" || cks[0].Expires.After(time.Now()) {
			t.Errorf("%s: after Destroy %q", tc.srv.URL, res.Header["Set-Cookie"])
		}
	}
}

func TestEvery(t *testing.T) {
	if err := Every(time.Millisecond)(context.Background()); err != nil {
		t.Errorf("a wait: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Every(time.Hour)(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("a wait after the client has gone: %v", err)
	}
}

// TestServe: serve answers until its context ends, then lets the request
// under way finish and stops.
func TestServe(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	started, release := make(chan struct{}), make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			close(started)
			<-release
		}
		fmt.Fprint(w, "ok")
	})
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- serve(ctx, ln, h) }()

	get := func(path string) (string, error) {
		res, err := http.Get(url + path)
		if err != nil {
			return "", err
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		return string(b), err
	}
	if body, err := get("/"); body != "ok" || err != nil {
		t.Fatalf("serving: %q %v", body, err)
	}
	slow := make(chan string, 1)
	go func() {
		body, err := get("/slow")
		slow <- fmt.Sprint(body, err)
	}()
	<-started
	cancel()
	select {
	case err := <-served:
		t.Fatalf("serve returned with a request under way: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	if got := <-slow; got != "ok<nil>" {
		t.Errorf("the request under way: %s", got)
	}
	if err := <-served; err != nil {
		t.Errorf("serve: %v", err)
	}
	if _, err := get("/"); err == nil {
		t.Error("still serving after the shutdown")
	}
}
