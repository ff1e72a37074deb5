package main

import (
	"maps"
	"os"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// realUsers and realDummyHash are the demo's hashes as shipped.
var (
	realUsers     = maps.Clone(users)
	realDummyHash = dummyHash
)

// TestMain gives the demo users cost-4 hashes of the same passwords for the
// tests: a cost-10 comparison takes about a second under the race detector,
// and the tests sign in a dozen times. TestShippedHashesMatchDemoPasswords
// checks the real hashes, and the restart test runs the real binary.
func TestMain(m *testing.M) {
	for _, c := range demoCredentials {
		u := users[c.Username]
		h, err := bcrypt.GenerateFromPassword([]byte(c.Password), bcrypt.MinCost)
		if err != nil {
			panic(err)
		}
		u.hash = string(h)
		users[c.Username] = u
	}
	h, _ := bcrypt.GenerateFromPassword([]byte("no user has this password"), bcrypt.MinCost)
	dummyHash = string(h)
	os.Exit(m.Run())
}

func TestShippedHashesMatchDemoPasswords(t *testing.T) {
	t.Parallel()
	if len(demoCredentials) != len(realUsers) {
		t.Fatalf("%d demo credentials for %d users", len(demoCredentials), len(realUsers))
	}
	for _, c := range demoCredentials {
		u, ok := realUsers[c.Username]
		if !ok {
			t.Fatalf("demo credential for unknown user %q", c.Username)
		}
		if cost, err := bcrypt.Cost([]byte(u.hash)); err != nil || cost < bcrypt.DefaultCost {
			t.Errorf("%s: bcrypt cost %d (%v), want at least %d", c.Username, cost, err, bcrypt.DefaultCost)
		}
		if err := bcrypt.CompareHashAndPassword([]byte(u.hash), []byte(c.Password)); err != nil {
			t.Errorf("%s: the password shown on the sign-in page does not match the hash: %v", c.Username, err)
		}
	}
	if cost, _ := bcrypt.Cost([]byte(realDummyHash)); cost != bcrypt.DefaultCost {
		t.Errorf("the dummy hash has cost %d: an unknown user would be refused faster than a wrong password", cost)
	}
}
