package session

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"os"
	"strings"
)

// debugLogger returns the logger for debug lines, or nil when they are off.
// A logger given in the options decides for itself (by its level); without
// one, the DEBUG environment variable turns them on, as it does for
// express-session's debug module.
func debugLogger(l *slog.Logger) *slog.Logger {
	if l != nil {
		if !l.Enabled(context.Background(), slog.LevelDebug) {
			return nil
		}
		return l.With("component", "session")
	}
	if !debugEnv(os.Getenv("DEBUG")) {
		return nil
	}
	h := slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})
	return slog.New(h).With("component", "session")
}

func debugEnv(v string) bool {
	for _, name := range strings.Split(v, ",") {
		switch strings.TrimSpace(name) {
		case "*", "sessionkit", "sessionkit:*", "express-session", "express-session:*":
			return true
		}
	}
	return false
}

// debug, debugID and debugErr log a debug line; they take no variadic
// arguments so that a request pays nothing when debug lines are off.
func (m *Manager) debug(msg string) {
	if m.cfg.debug != nil {
		m.cfg.debug.Debug(msg)
	}
}

func (m *Manager) debugID(msg, id string) {
	if m.cfg.debug != nil {
		m.cfg.debug.Debug(msg, "sid", idHash(id))
	}
}

func (m *Manager) debugErr(msg string, err error) {
	if m.cfg.debug != nil {
		m.cfg.debug.Debug(msg, "err", err)
	}
}

// idHash identifies a session in logs without revealing its ID, which is
// a bearer credential.
func idHash(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:6])
}
