package main

import (
	"fmt"
	"strings"

	"github.com/sessionkit/session/memstore"
	"github.com/sessionkit/session/store"
)

// openers open a store from a SESSION_STORE value, by its scheme (the text
// before the first ':'). Each store's file registers its own.
var openers = map[string]func(url string) (store.Store, error){}

func openStore(url string) (store.Store, error) {
	if url == "" || url == "memory" {
		return memstore.New(memstore.Options{}), nil
	}
	scheme, _, _ := strings.Cut(url, ":")
	if open := openers[scheme]; open != nil {
		return open(url)
	}
	return nil, fmt.Errorf("unsupported SESSION_STORE %q", url)
}
