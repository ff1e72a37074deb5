package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

// demoProcess is the demo built with `go build` and running as a child
// process, as `go run ./examples/demo` runs it.
type demoProcess struct {
	cmd  *exec.Cmd
	url  string // http://127.0.0.1:PORT
	addr string // 127.0.0.1:PORT
	log  *syncBuffer
	done chan struct{} // closed when the process has exited
	err  error         // its exit error, once done
}

var listeningLine = regexp.MustCompile(`msg="sessionkit demo listening" url=(http://(\S+))`)

// buildDemo builds the demo into a temporary directory.
func buildDemo(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "demo")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startDemo runs the binary in dir (its working directory, where the
// default SQLite file and secret file go) with the environment of a fresh
// shell: no SESSION_SECRET, STORE or ADDR.
func startDemo(t *testing.T, bin, dir, addr string) *demoProcess {
	t.Helper()
	cmd := exec.Command(bin, "-addr", addr)
	cmd.Dir = dir
	for _, kv := range os.Environ() {
		switch name, _, _ := strings.Cut(kv, "="); name {
		case "SESSION_SECRET", "STORE", "ADDR", "SECRET_FILE", "TRUST_PROXY", "DEBUG":
		default:
			cmd.Env = append(cmd.Env, kv)
		}
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &demoProcess{cmd: cmd, log: &syncBuffer{}, done: make(chan struct{})}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	listening := make(chan []string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			p.log.Write([]byte(sc.Text() + "\n"))
			if m := listeningLine.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case listening <- m:
				default:
				}
			}
		}
		p.err = cmd.Wait() // after the pipe is drained, as os/exec asks
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			cmd.Process.Kill()
			<-p.done
		}
		if t.Failed() {
			t.Logf("demo process log:\n%s", p.log.String())
		}
	})

	select {
	case m := <-listening:
		p.url, p.addr = m[1], m[2]
		return p
	case <-p.done:
		t.Fatalf("the demo exited before listening: %v\n%s", p.err, p.log.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("the demo did not start listening within 30 s:\n%s", p.log.String())
	}
	return nil
}

// stop sends SIGINT, as Ctrl-C does, and waits for a clean exit.
func (p *demoProcess) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
		t.Fatalf("the demo did not stop within 15 s of SIGINT:\n%s", p.log.String())
	}
	if p.err != nil {
		t.Fatalf("the demo exited with %v:\n%s", p.err, p.log.String())
	}
}

// With the default store (an SQLite file) and no SESSION_SECRET, a
// signed-in browser stays signed in, with its counters, across a restart
// of the server process: the sessions are in the file and the generated
// secret was kept beside it.
func TestBrowserSessionSurvivesServerRestart(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("stops the server with SIGINT")
	}
	chromiumPath(t) // skip (or fail under CI) before building
	bin := buildDemo(t)
	work := t.TempDir()

	first := startDemo(t, bin, work, "127.0.0.1:0")
	b := newBrowser(t, first.url)
	b.open("/")
	b.open("/")
	wantEqual(t, "views before the restart", b.text("#total-views"), "2")
	wantEqual(t, "sign-in", b.login("alice", "wonderland", false), 200)
	wantEqual(t, "location after sign-in", b.location(), "/dashboard")
	before := b.mustSessionCookie()
	wantEqual(t, "browser-session cookie", before.Session, true)
	first.stop(t)

	// Same file, same port; the browser (and its cookie jar) stays open.
	second := startDemo(t, bin, work, first.addr)
	wantEqual(t, "URL after the restart", second.url, first.url)
	wantEqual(t, "GET /dashboard after the restart", b.open("/dashboard"), 200)
	wantEqual(t, "location after the restart", b.location(), "/dashboard")
	wantEqual(t, "welcome after the restart", b.text("#welcome"), "Welcome, Alice Liddell")
	b.open("/")
	wantEqual(t, "views after the restart", b.text("#total-views"), "3")
	wantEqual(t, "session ID after the restart", sessionID(t, b.mustSessionCookie().Value), sessionID(t, before.Value))
	second.stop(t)

	// What made it work, as the logs and the directory show it.
	if !strings.Contains(first.log.String(), "made a random signing secret and saved it") {
		t.Errorf("first run's log does not say where the secret went:\n%s", first.log.String())
	}
	if !strings.Contains(second.log.String(), "using the signing secret saved by an earlier run") {
		t.Errorf("second run's log does not say it reused the secret:\n%s", second.log.String())
	}
	fi, err := os.Stat(filepath.Join(work, "sessionkit-demo.secret"))
	if err != nil {
		t.Fatal(err)
	}
	wantEqual(t, "secret file mode", fi.Mode().Perm(), os.FileMode(0o600))
	if _, err := os.Stat(filepath.Join(work, "sessionkit-demo.db")); err != nil {
		t.Fatal(err)
	}
}
