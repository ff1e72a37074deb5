package main

import (
	"strings"

	"golang.org/x/crypto/bcrypt"
)

// user is an account of the demo. A real app keeps its users in a database;
// only the bcrypt hash of a password is ever stored.
type user struct {
	Username string
	Name     string
	Role     string
	hash     string // bcrypt, cost 10
}

// users are the demo's accounts. Their passwords are shown on the sign-in
// page (demoCredentials); here there are only their hashes.
var users = map[string]user{
	"alice": {
		Username: "alice",
		Name:     "Alice Liddell",
		Role:     "Administrator",
		hash:     "$2a$10$US9zRTyfMt54f.kToxX7l.W3BN0igv7unLktTGMhlDswtHegC24Jy",
	},
	"bob": {
		Username: "bob",
		Name:     "Bob the Builder",
		Role:     "Editor",
		hash:     "$2a$10$Hn.gzGxEfGgGxT.v7.SyYeMLjxx.pfFM.qK..8toHS47Wh1bZ0xrq",
	},
}

// demoCredentials are printed on the sign-in page so that visitors can try
// the demo. Never do this with real accounts.
var demoCredentials = []struct{ Username, Password string }{
	{"alice", "wonderland"},
	{"bob", "canwefixit"},
}

// dummyHash is compared against when the user does not exist, so that an
// unknown name takes as long to refuse as a wrong password and response
// times do not reveal which names exist.
var dummyHash = "$2a$10$9a3opiNFSWg40T8i.8DMU.fJx6gaZyrYTRKltMO0QyimOA0chYPnu"

// maxPasswordLen is bcrypt's limit: it reads only the first 72 bytes.
const maxPasswordLen = 72

// authenticate returns the user with that name and password.
func authenticate(username, password string) (user, bool) {
	u, ok := users[strings.ToLower(strings.TrimSpace(username))]
	hash := dummyHash
	if ok {
		hash = u.hash
	}
	if len(password) > maxPasswordLen {
		password = password[:maxPasswordLen] // compare anyway: same cost as any attempt
		ok = false
	}
	if err := bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)); err != nil {
		return user{}, false
	}
	return u, ok
}

// lookupUser returns the user a session names.
func lookupUser(username string) (user, bool) {
	u, ok := users[username]
	return u, ok
}
