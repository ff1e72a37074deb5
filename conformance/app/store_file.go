package main

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/sessionkit/session/record"
	"github.com/sessionkit/session/store"
	"github.com/sessionkit/session/stores/filestore"
)

func init() { openers["file"] = openFileStore }

// openFileStore opens SESSION_STORE=file:/ABSOLUTE/DIR (CONTRACT.md §3) with
// the options the reference app gives session-file-store: no read retries
// (retries: 0) and no reaper (reapInterval: -1); the rest are defaults.
func openFileStore(raw string) (store.Store, error) {
	dir, err := fileStoreDir(raw)
	if err != nil {
		return nil, err
	}
	// session-file-store ignores cookie.expires: a record stored through
	// /_store/set or /_store/patch lives by its originalMaxAge and
	// __lastAccess alone, so it must not be handed an expiry that the store
	// would take as "already expired, remove it".
	adminExpiry = func(doc []byte) (time.Time, error) {
		_, _, err := record.Expiry(doc)
		return time.Time{}, err
	}
	return filestore.New(filestore.Options{Path: dir, Retries: -1, ReapInterval: -1})
}

// fileStoreDir is the reference's parsing: the text after "file:", a
// leading "//" before the absolute path dropped (file:///dir), then
// percent-decoded as decodeURIComponent does.
func fileStoreDir(raw string) (string, error) {
	rest := strings.TrimPrefix(raw, "file:")
	if strings.HasPrefix(rest, "///") {
		rest = rest[2:]
	}
	dir, err := url.PathUnescape(rest)
	if err != nil || dir == "" {
		return "", fmt.Errorf("bad SESSION_STORE %q", raw)
	}
	return dir, nil
}
