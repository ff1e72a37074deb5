package filestore

import (
	"cmp"
	"errors"
	"log/slog"
	"math"
	"strings"
	"time"
)

// Options configures a Store. Every field mirrors a session-file-store
// option and its zero value means that option's default, so Options{} is
// session-file-store with no options. Node's "off" values (retries: 0,
// reapInterval: -1) are negative numbers here.
type Options struct {
	// Path is the directory holding the session files (Node: path, default
	// "./sessions"). New creates it, with its parents, when it is missing.
	Path string

	// TTL is the lifetime of a session whose cookie has no originalMaxAge
	// (a browser-session cookie), counted from its last write (Node: ttl, in
	// seconds, default 3600, i.e. one hour). Sessions with an
	// originalMaxAge live that long after their last write instead.
	TTL time.Duration

	// Retries is how many times Get retries a read that failed, a missing
	// file included (Node: retries, default 5). Node retries because a
	// session can be read just before another process has written it; the
	// price is that every unknown session ID costs about Retries *
	// MinTimeout before it is reported missing (250 ms by default). Negative
	// means no retries (Node's retries: 0).
	Retries int

	// Factor multiplies the wait before each further retry (Node: factor,
	// default 1: every wait is MinTimeout).
	Factor float64

	// MinTimeout is the wait before the first retry (Node: minTimeout,
	// default 50 ms).
	MinTimeout time.Duration

	// MaxTimeout caps the wait before any retry (Node: maxTimeout, default
	// 100 ms). It must not be less than MinTimeout.
	MaxTimeout time.Duration

	// ReapInterval is how often expired session files are deleted (Node:
	// reapInterval, in seconds, default 3600, i.e. one hour). The first reap
	// runs one interval after New. Negative disables reaping (Node's -1):
	// expired files are then never returned, but stay on disk.
	ReapInterval time.Duration

	// ReapMaxConcurrent is how many files the reaper reads at the same time
	// (Node: reapMaxConcurrent, default 10).
	ReapMaxConcurrent int

	// FileExtension is appended to the session ID to name its file, and
	// selects the session files in the directory (Node: fileExtension,
	// default ".json"). It cannot be empty (Node allows that; here the zero
	// value means the default) and cannot contain a path separator.
	FileExtension string

	// NoFsync skips flushing each new file to disk before it is renamed
	// into place. Node always flushes (write-file-atomic's default); without
	// it writes are faster, and a crash of the machine can lose the last
	// writes or leave empty files, which are then read as corrupt and
	// deleted. Go only.
	NoFsync bool

	// Secret, when set, encrypts every file as session-file-store does
	// with its secret option (Node: secret, default none): a kruptein 2
	// envelope, AES-256-GCM with a key derived by scrypt from Secret. A Node
	// app reading the same directory must have the same secret.
	Secret string

	// Logger receives the reaper's progress and errors and Get's retries
	// (Node: logFn, default console.log). nil: nothing is logged.
	Logger *slog.Logger
}

// Node's defaults (session-file-helpers.js).
const (
	defaultPath              = "./sessions"
	defaultTTL               = 3600 * time.Second
	defaultRetries           = 5
	defaultFactor            = 1
	defaultMinTimeout        = 50 * time.Millisecond
	defaultMaxTimeout        = 100 * time.Millisecond
	defaultReapInterval      = 3600 * time.Second
	defaultReapMaxConcurrent = 10
	defaultFileExtension     = ".json"
)

// withDefaults returns o with every zero field replaced by Node's default,
// or an error for a combination Node would also reject or that would make
// the store unusable.
func (o Options) withDefaults() (Options, error) {
	o.Path = cmp.Or(o.Path, defaultPath)
	o.TTL = cmp.Or(max(o.TTL, 0), defaultTTL)
	o.Retries = cmp.Or(o.Retries, defaultRetries)
	o.Factor = cmp.Or(o.Factor, defaultFactor)
	o.MinTimeout = cmp.Or(o.MinTimeout, defaultMinTimeout)
	o.MaxTimeout = cmp.Or(o.MaxTimeout, defaultMaxTimeout)
	o.ReapInterval = cmp.Or(o.ReapInterval, defaultReapInterval)
	o.ReapMaxConcurrent = cmp.Or(max(o.ReapMaxConcurrent, 0), defaultReapMaxConcurrent)
	o.FileExtension = cmp.Or(o.FileExtension, defaultFileExtension)
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	switch {
	case o.MinTimeout > o.MaxTimeout:
		// The retry package Node uses throws on every read in this case.
		return o, errors.New("MinTimeout is greater than MaxTimeout")
	case o.Factor < 0 || math.IsNaN(o.Factor) || math.IsInf(o.Factor, 0):
		return o, errors.New("Factor must be a positive number")
	case strings.ContainsAny(o.FileExtension, "/\\\x00"):
		return o, errors.New("FileExtension must not contain a path separator or NUL")
	}
	return o, nil
}
