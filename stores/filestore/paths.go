package filestore

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
)

// ErrInvalidID is wrapped by the error every method returns for a session
// ID that could name a file outside the store's directory: an empty ID, or
// one containing "/", "\", NUL or "..". The middleware's IDs never do; such
// an ID comes from a forged or foreign cookie.
var ErrInvalidID = errors.New("filestore: invalid session ID")

// validID reports whether id can safely be used as a file name inside the
// directory.
func validID(id string) bool {
	return id != "" && !strings.ContainsAny(id, "/\\\x00") && !strings.Contains(id, "..")
}

// path returns the file of the session id, as session-file-store's
// sessionPath joins it: <dir>/<id><ext>.
func (f *files) path(id string) (string, error) {
	if !validID(id) {
		return "", fmt.Errorf("%w: %q", ErrInvalidID, id)
	}
	return filepath.Join(f.dir, id+f.ext), nil
}

// idOf returns the session ID a directory entry holds, as session-file-store's
// sessionId strips the extension; ok is false for other files (temporary
// files among them) and for names that are not valid IDs.
func (f *files) idOf(name string) (id string, ok bool) {
	id, ok = strings.CutSuffix(name, f.ext)
	return id, ok && validID(id)
}
