package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/meridianplan/meridian/planner"
)

// OpenReadOnly opens the plan file at path for reading only, as reports and
// exports need: it never writes or creates anything. There is no schema
// creation, no migration and no switch to WAL; the -wal and -shm files are
// neither created nor removed; the plan file and its -wal keep their bytes
// and times (only an existing, writable -shm may get SQLite's read marks,
// see below). It works on a read-only file, in a read-only folder and on
// read-only media.
//
// OpenReadOnly returns a *planner.Error with code
//   - planner.ENOTFOUND "No plan file at <path>" when there is no file at
//     path;
//   - planner.ENOTFOUND "<path> holds no plan yet" for an empty (0-byte)
//     file, or a plan file that has no tables;
//   - planner.ENOTPLAN and planner.ETOONEW as [Open] does;
//   - planner.EUNSUPPORTED for a plan of an older schema version, which only
//     a read-write Open can migrate: the message says to open it in Meridian
//     once to upgrade it;
//   - planner.EINVALID "<path> is damaged and cannot be read" when SQLite
//     finds the file corrupt;
//   - planner.EIO when the file cannot be read, or when its -wal file holds
//     changes that cannot be read without write access (see below).
//
// The edit methods and [DB.Replace] of a read-only DB return planner.EIO
// "<path> was opened read-only ..."; [DB.Load], [DB.Modified] and
// [DB.SaveAs] work. [DB.Close] only closes.
//
// How the file is read. A plan is normally in WAL mode, and SQLite can read
// a WAL-mode database read-only only if its -wal and -shm files exist, or if
// it may create them, or if the database is opened with the URI parameter
// immutable=1 (see "Read-Only Databases" in https://sqlite.org/wal.html and
// https://sqlite.org/uri.html#uriimmutable). A read-only connection that
// creates the -wal and -shm files does not remove them when it closes, so
// OpenReadOnly never lets SQLite create them. It uses the URI parameter
// mode=ro, and:
//   - when the -wal and -shm files both exist (Meridian has the plan open,
//     or was stopped before it could close it), nothing else: SQLite reads
//     the committed changes in the WAL through the existing -shm, a
//     read-only one included, with the usual locks. The -shm is SQLite's
//     shared memory, not data: like any WAL reader, the connection records
//     its read mark there if the -shm can be written. The plan file and the
//     -wal are not written. While the connection is open its lock keeps a
//     Meridian that closes the plan from removing the -wal and -shm (they
//     are left, the WAL emptied, until the plan is next opened for
//     editing), as with any SQLite reader;
//   - when there is no -wal file, or an empty one, and the file is in WAL
//     mode, immutable=1: every committed change is in the main file, and
//     SQLite reads it without locks, -wal or -shm. Immutable tells SQLite
//     that the file cannot change. That holds where the file or its folder
//     cannot be written, since no writer can open it in WAL mode there; in
//     any other case another program could open the plan and write it while
//     it is read, so each read checks that the file, -wal and -shm are as
//     they were (existence, size, modification time) before and after it,
//     and if not, opens the file again (with the first rule if a writer has
//     it open now) and reads again, at most three times. (On a file system
//     with coarse file times, such as FAT's 2 seconds, a writer that opens,
//     rewrites and closes the plan within one read of the same size could
//     go unnoticed.);
//   - when the file is in rollback-journal mode (a copy made by
//     [DB.SaveAs]) and has no -wal file, nothing else: readers of such a
//     file create no file. They hold no lock between reads, so each read
//     first checks that the file is as it was, and if not (Meridian may
//     have switched it to WAL meanwhile), opens it again;
//   - a non-empty -wal file without a -shm file (copied together with the
//     plan, say) holds committed changes that SQLite can read only by
//     creating the -shm: OpenReadOnly returns planner.EIO, asking to open
//     the plan in Meridian once, which folds them into the file.
func OpenReadOnly(path string) (*DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("absolute path: %w", err)
	}
	db := &DB{Path: abs, Now: time.Now, readOnly: true}
	if err := db.connectReadOnly(); err != nil {
		return nil, err
	}
	return db, nil
}

// fileStamp is what a read-only DB remembers of one file to notice a change.
type fileStamp struct {
	exists  bool
	size    int64
	modTime int64 // UnixNano
}

// filesState stamps a plan file and its -wal and -shm files.
type filesState struct {
	main, wal, shm fileStamp
}

func stamp(path string) (fileStamp, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fileStamp{}, nil
	} else if err != nil {
		return fileStamp{}, err
	}
	return fileStamp{exists: true, size: fi.Size(), modTime: fi.ModTime().UnixNano()}, nil
}

func statFiles(path string) (filesState, error) {
	var st filesState
	var err error
	if st.main, err = stamp(path); err != nil {
		return st, err
	}
	if st.wal, err = stamp(path + "-wal"); err != nil {
		return st, err
	}
	st.shm, err = stamp(path + "-shm")
	return st, err
}

// connectReadOnly checks the file at db.Path and opens db.db on it, read
// only, as OpenReadOnly describes. It replaces db.db, if any.
func (db *DB) connectReadOnly() (err error) {
	abs := db.Path
	// Stamp the files first, so that any change from here on shows.
	st, err := statFiles(abs)
	if err != nil {
		return &planner.Error{Code: planner.EIO, Message: fmt.Sprintf("Cannot open %s", abs), Err: err}
	}
	h, err := readHeader(abs)
	switch {
	case err != nil:
		return err
	case !h.exists:
		return noFile(abs)
	case h.size == 0:
		return noPlanYet(abs)
	case h.version < SchemaVersion:
		return olderPlan(abs, int64(h.version), SchemaVersion)
	}

	params := []string{"mode=ro", "_pragma=busy_timeout(5000)"}
	var mode readMode
	switch {
	case st.wal.exists && st.shm.exists:
		mode = readWAL
	case st.wal.exists && st.wal.size > 0:
		return planner.Errorf(planner.EIO,
			"%s cannot be read without write access: %s-wal holds changes that were not yet saved into it. "+
				"Open the plan in Meridian once, where it can be written, to save them", abs, abs)
	case !h.wal && !st.wal.exists:
		mode = readRollback
	default:
		mode = readImmutable
		params = append(params, "immutable=1")
	}

	conn, err := sql.Open("sqlite", dsn(abs, params))
	if err != nil {
		return fmt.Errorf("open %s: %w", abs, err)
	}
	conn.SetMaxOpenConns(1)
	defer func() {
		if err != nil {
			conn.Close()
		}
	}()
	// The header may be older than the WAL: check again through SQLite.
	if err := checkReadOnly(context.Background(), conn, abs); err != nil {
		return err
	}
	if db.db != nil {
		db.db.Close()
	}
	db.db, db.mode, db.opened = conn, mode, st
	return nil
}

// readMode is how a DB from OpenReadOnly reads its file (see OpenReadOnly).
type readMode int

const (
	readWAL       readMode = iota // mode=ro, through the existing -wal and -shm
	readRollback                  // mode=ro, a file in rollback-journal mode
	readImmutable                 // mode=ro&immutable=1, a WAL-mode file with no WAL content
)

// checkReadOnly checks through SQLite that conn holds a Meridian plan that
// this build reads without migrating it.
func checkReadOnly(ctx context.Context, conn *sql.DB, abs string) error {
	var appID, version int64
	var tables int
	err := func() error {
		tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			return err
		}
		defer tx.Rollback()
		if err := tx.QueryRowContext(ctx, `PRAGMA application_id`).Scan(&appID); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema`).Scan(&tables)
	}()
	if err != nil {
		if ferr := fileError(abs, opRead, err); ferr != nil {
			return ferr
		}
		return fmt.Errorf("read %s: %w", abs, err)
	}
	switch {
	case uint32(appID) != ApplicationID || version == 0:
		return notPlan(abs)
	case version > SchemaVersion:
		return tooNew(abs, version)
	case version < SchemaVersion:
		return olderPlan(abs, version, SchemaVersion)
	case tables == 0:
		return noPlanYet(abs)
	}
	return nil
}

// olderPlan is the error of OpenReadOnly for a plan of schema version
// version, older than current, the version this build reads.
func olderPlan(path string, version, current int64) error {
	return planner.Errorf(planner.EUNSUPPORTED,
		"%s was saved by an older version of Meridian (plan format %d; this version reads format %d). "+
			"Open it in Meridian once to upgrade it, then try again", path, version, current)
}

// reading runs fn, which reads the plan through db.db. On a DB from
// OpenReadOnly it runs one read at a time. Unless db.db reads through the
// existing -wal and -shm, it makes sure that the files are as they were
// when db.db was opened before fn, reopening db.db if not; with immutable=1,
// after fn too, reopening and running fn again if not. fn must be safe to
// run again.
func (db *DB) reading(fn func() error) error {
	if db.db == nil {
		return errClosed
	}
	if !db.readOnly {
		return fn()
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	const attempts = 3
	for i := 0; ; i++ {
		if db.mode != readWAL {
			if st, err := statFiles(db.Path); err != nil || st != db.opened {
				if err := db.connectReadOnly(); err != nil {
					return err
				}
			}
		}
		if db.mode != readImmutable {
			return fn()
		}
		err := fn()
		if st, serr := statFiles(db.Path); serr == nil && st == db.opened {
			return err
		}
		if i == attempts-1 {
			return planner.Errorf(planner.EIO, "%s kept changing while it was being read; please try again", db.Path)
		}
	}
}
