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

func (m *Manager) debugf(msg string, args ...any) {
	if m.cfg.debug != nil {
		m.cfg.debug.Debug(msg, args...)
	}
}

// idHash identifies a session in logs without revealing its ID, which is
// a bearer credential.
func idHash(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:6])
}
