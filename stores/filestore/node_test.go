package filestore_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/sessionkit/session/stores/filestore"
)

// nodeStore runs one session-file-store operation on s's directory through
// testdata/node-store.js and returns what it printed. The test is skipped
// when Node or the packages are not installed: set FILESTORE_NODE_MODULES
// to a node_modules holding express-session and session-file-store 1.5.0
// (by default the conformance harness's, next to this repository).
func nodeStore(t *testing.T, s *filestore.Store, args ...string) []byte {
	t.Helper()
	return nodeStoreSecret(t, s, "", args...)
}

// nodeStoreSecret is nodeStore with session-file-store's secret option.
func nodeStoreSecret(t *testing.T, s *filestore.Store, secret string, args ...string) []byte {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed")
	}
	modules := os.Getenv("FILESTORE_NODE_MODULES")
	if modules == "" {
		modules = "../../../shared/conformance/reference/node_modules"
	}
	modules, _ = filepath.Abs(modules)
	if _, err := os.Stat(filepath.Join(modules, "session-file-store")); err != nil {
		t.Skipf("session-file-store not found in %s (set FILESTORE_NODE_MODULES)", modules)
	}
	cmd := exec.Command(node, append([]string{"testdata/node-store.js", s.Dir()}, args...)...)
	cmd.Env = append(os.Environ(), "NODE_PATH="+modules, "FILESTORE_SECRET="+secret)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node %v: %v: %s", args, err, out)
	}
	return out
}

// TestNodeInterop has Node's session-file-store and this store take turns
// on the same session file: each must read exactly what the other wrote,
// and touch it as the other would.
func TestNodeInterop(t *testing.T) {
	s := newStore(t, filestore.Options{})
	rec := readTestdata(t, "record.json")
	exp := time.Now().Add(time.Hour)

	// Go writes, Node reads: JSON.stringify of what Node loads is the file.
	if err := s.Set(bg, nodeSID, rec, exp); err != nil {
		t.Fatal(err)
	}
	if got, file := nodeStore(t, s, "get", nodeSID), readFile(t, s, nodeSID); !bytes.Equal(got, file) {
		t.Errorf("Node read the Go file as\n%s\nwant\n%s", got, file)
	}

	// Node touches, Go reads the cookie it wrote.
	held := readTestdata(t, "held.json")
	before := time.Now()
	nodeStore(t, s, "touch", nodeSID, string(held))
	got, found, err := s.Get(bg, nodeSID)
	if err != nil || !found {
		t.Fatalf("Get after Node's touch: %v, %v", found, err)
	}
	checkStamped(t, got, readTestdata(t, "node/touched.json"), before)

	// Go touches, Node reads.
	if err := s.Touch(bg, nodeSID, rec, exp); err != nil {
		t.Fatal(err)
	}
	if got, file := nodeStore(t, s, "get", nodeSID), readFile(t, s, nodeSID); !bytes.Equal(got, file) {
		t.Errorf("Node read the Go-touched file as\n%s\nwant\n%s", got, file)
	}

	// Node writes, Go reads byte for byte.
	nodeStore(t, s, "set", "other", string(held))
	if got, _, _ := s.Get(bg, "other"); !bytes.Equal(got, readFile(t, s, "other")) {
		t.Errorf("Get of Node's file = %s, want the file", got)
	}
}

// TestNodeAgreesOnExpiry has Node judge files this store wrote: a session
// whose originalMaxAge has passed since its write, and one that has not.
func TestNodeAgreesOnExpiry(t *testing.T) {
	s := newStore(t, filestore.Options{})
	short := []byte(`{"cookie":{"originalMaxAge":100,"expires":null,"httpOnly":true,"path":"/"},"a":1}`)
	long := []byte(`{"cookie":{"originalMaxAge":null,"expires":null,"httpOnly":true,"path":"/"},"a":1}`)
	for id, rec := range map[string][]byte{"short": short, "long": long} {
		if err := s.Set(bg, id, rec, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(300 * time.Millisecond)
	for id, want := range map[string]string{"short": "true", "long": "false"} {
		if got := string(nodeStore(t, s, "expired", id)); got != want {
			t.Errorf("Node's expired(%s) = %s, want %s", id, got, want)
		}
		_, found, _ := s.Get(bg, id)
		if found != (want == "false") {
			t.Errorf("Get(%s) found = %v, Node says expired = %s", id, found, want)
		}
	}
}

// TestNodeInteropEncrypted: with the same secret, Node decrypts what this
// store encrypts and the other way round, touches included.
func TestNodeInteropEncrypted(t *testing.T) {
	const secret = "keyboard cat"
	s := newStore(t, filestore.Options{Secret: secret})
	rec := readTestdata(t, "record.json")
	if err := s.Set(bg, "go", rec, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	want, _, err := s.Get(bg, "go")
	if err != nil {
		t.Fatal(err)
	}
	if got := nodeStoreSecret(t, s, secret, "get", "go"); !bytes.Equal(got, want) {
		t.Errorf("Node decrypted the Go file as\n%s\nwant\n%s", got, want)
	}
	nodeStoreSecret(t, s, secret, "touch", "go", string(readTestdata(t, "held.json")))
	before := time.Now()
	nodeStoreSecret(t, s, secret, "set", "node", string(rec))
	got, found, err := s.Get(bg, "node")
	if err != nil || !found {
		t.Fatalf("Get of Node's encrypted file: %v, %v", found, err)
	}
	checkStamped(t, got, readTestdata(t, "node/set.json"), before)
	if got, _, _ := s.Get(bg, "go"); !bytes.Contains(got, []byte(`"expires":"2026-11-23T15:30:00.001Z"`)) {
		t.Errorf("Get after Node's touch of the Go file = %s, want the touched cookie", got)
	}
	if err := s.Touch(bg, "node", readTestdata(t, "held.json"), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	want, _, _ = s.Get(bg, "node")
	if got := nodeStoreSecret(t, s, secret, "get", "node"); !bytes.Equal(got, want) {
		t.Errorf("Node decrypted the Go-touched file as\n%s\nwant\n%s", got, want)
	}
}
