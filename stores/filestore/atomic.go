package filestore

import (
	"context"
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"strconv"
)

// writeAtomic replaces the file at path with data as write-file-atomic (which
// session-file-store uses) does: data goes to a new temporary file next to
// it, named <path>.<random number> so that it never matches the extension,
// which takes over the mode of the file it replaces, is flushed to disk
// unless noSync, and is renamed over path. Readers see the old file or the
// new one, never a mix or a truncated file. If ctx is done before the
// rename, nothing is replaced and ctx.Err() is returned.
func writeAtomic(ctx context.Context, path string, data []byte, noSync bool) error {
	tmp, f, err := createTemp(path)
	if err != nil {
		return err
	}
	err = fill(f, path, data, noSync)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = ctx.Err()
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
	}
	return err
}

// createTemp creates a new file next to path with the default mode (0666
// less the umask, as Node creates files).
func createTemp(path string) (string, *os.File, error) {
	for range 100 {
		tmp := path + "." + strconv.FormatUint(uint64(rand.Uint32()), 10)
		f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
		if !errors.Is(err, fs.ErrExist) {
			return tmp, f, err
		}
	}
	return "", nil, errors.New("cannot create a temporary file next to " + path)
}

// fill writes data to the temporary file f, gives it the mode of the file
// at path if there is one, and flushes it.
func fill(f *os.File, path string, data []byte, noSync bool) error {
	if _, err := f.Write(data); err != nil {
		return err
	}
	if fi, err := os.Stat(path); err == nil {
		if err := f.Chmod(fi.Mode().Perm()); err != nil {
			return err
		}
	}
	if noSync {
		return nil
	}
	return f.Sync()
}
