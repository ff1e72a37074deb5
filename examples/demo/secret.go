package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// secretSource says where the signing secret came from, for the log.
type secretSource struct {
	Secret  string
	File    string // "" unless kept in a file
	Created bool   // the file was made now
}

// loadOrCreateSecret returns the secret kept in path, first writing 32
// random bytes there (hex encoded, mode 0600) if the file does not exist.
// The file is created atomically: a second process starting at the same
// moment reads the secret the first one wrote, never half of it.
func loadOrCreateSecret(path string) (secretSource, error) {
	if s, err := readSecret(path); err == nil {
		return secretSource{Secret: s, File: path}, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return secretSource{}, err
	}

	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return secretSource{}, fmt.Errorf("secret file: %w", err)
	}
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand since Go 1.24)
	secret := hex.EncodeToString(b)

	tmp, err := os.CreateTemp(dir, ".secret-*") // mode 0600
	if err != nil {
		return secretSource{}, fmt.Errorf("secret file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(secret + "\n"); err != nil {
		tmp.Close()
		return secretSource{}, fmt.Errorf("secret file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return secretSource{}, fmt.Errorf("secret file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return secretSource{}, fmt.Errorf("secret file: %w", err)
	}
	// Link fails if path exists: whoever linked first wins.
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			s, err := readSecret(path)
			return secretSource{Secret: s, File: path}, err
		}
		return secretSource{}, fmt.Errorf("secret file: %w", err)
	}
	return secretSource{Secret: secret, File: path, Created: true}, nil
}

func readSecret(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	s := strings.TrimSpace(string(b))
	if len(s) < 32 {
		return "", fmt.Errorf("secret file %s holds fewer than 32 characters: delete it and a new secret is made at the next start (everyone is signed out)", path)
	}
	return s, nil
}
