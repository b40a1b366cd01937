package sqlite

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"

	"github.com/meridianplan/meridian/planner"
)

// SaveAs writes a consistent copy of the plan to the file dest, replacing
// dest if it exists. It runs VACUUM INTO a temporary file in dest's folder,
// flushes that file to disk, then renames it over dest, so that dest is at
// every moment either its old content or the complete copy. On any error
// dest is left untouched and the temporary file is removed.
//
// db keeps working on its own file; to go on editing the copy, Close db and
// Open dest. Saving onto db's own file does nothing. SaveAs works on a DB
// from [OpenReadOnly] too: it is how a plan that cannot be written is kept
// elsewhere. Failures to create or write dest (a missing folder, no
// permission, a full disk) are *planner.Error values with code planner.EIO
// that name dest; a source file that SQLite finds corrupt is
// planner.EINVALID, naming it.
func (db *DB) SaveAs(ctx context.Context, dest string) (err error) {
	if db.db == nil {
		return errClosed
	}
	abs, err := filepath.Abs(dest)
	if err != nil {
		return fmt.Errorf("absolute path: %w", err)
	}
	if abs == db.Path {
		return nil
	}
	if fi, err := os.Stat(abs); err == nil {
		if self, serr := os.Stat(db.Path); serr == nil && os.SameFile(fi, self) {
			return nil
		}
		if fi.IsDir() {
			return cannotSave(abs, errors.New("it is a folder"))
		}
	}

	tmp, err := createTemp(abs)
	if err != nil {
		return cannotSave(abs, err)
	}
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()

	// VACUUM INTO writes a compact, consistent snapshot, including the
	// committed content of the WAL, into the (empty) temporary file. It
	// keeps application_id and user_version. It reads the plan like Load,
	// so it may run again on a DB from OpenReadOnly: it needs an empty
	// file each time.
	err = db.reading(func() error {
		if err := os.Truncate(tmp, 0); err != nil {
			return err
		}
		_, err := db.db.ExecContext(ctx, `VACUUM INTO ?`, tmp)
		return err
	})
	if err != nil {
		var perr *planner.Error
		if errors.As(err, &perr) {
			return err
		}
		if sqliteCode(err) == sqliteCorrupt || sqliteCode(err) == sqliteNotADB {
			return damagedFile(db.Path, err)
		}
		return cannotSave(abs, err)
	}
	// SQLite does not fsync the file that VACUUM INTO writes.
	if err := syncFile(tmp); err != nil {
		return cannotSave(abs, err)
	}
	if err := os.Rename(tmp, abs); err != nil {
		return cannotSave(abs, err)
	}
	// Make the rename itself durable. The copy is complete either way, so
	// a failure here is not reported.
	syncDir(filepath.Dir(abs))
	return nil
}

func cannotSave(dest string, err error) error {
	return &planner.Error{Code: planner.EIO, Message: fmt.Sprintf("Cannot save the plan as %s", dest), Err: err}
}

// createTemp creates a new, empty file next to dest, named after it and
// hidden on Unix, and returns its path. Unlike os.CreateTemp it honours the
// umask (mode 0666 before it), so that the saved plan gets the permissions
// of any file the user creates.
func createTemp(dest string) (string, error) {
	dir, base := filepath.Split(dest)
	for range 100 {
		name := filepath.Join(dir, "."+base+"."+strconv.FormatUint(rand.Uint64()%1e9, 10)+".tmp")
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) {
			continue
		} else if err != nil {
			return "", err
		}
		if err := f.Close(); err != nil {
			os.Remove(name)
			return "", err
		}
		return name, nil
	}
	return "", errors.New("cannot create a temporary file")
}

// syncFile flushes the file at path to stable storage.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir flushes a directory entry change (a rename) to stable storage,
// where the system supports it (not on Windows).
func syncDir(dir string) {
	if runtime.GOOS == "windows" {
		return
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
