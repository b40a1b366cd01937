package sqlite

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/meridianplan/meridian/planner"
	msqlite "modernc.org/sqlite"
)

// Primary SQLite result codes (https://sqlite.org/rescode.html); an
// extended code keeps its primary code in the low 8 bits.
const (
	sqliteError     = 1
	sqlitePerm      = 3
	sqliteBusy      = 5
	sqliteLocked    = 6
	sqliteReadOnly  = 8
	sqliteInterrupt = 9
	sqliteIOErr     = 10
	sqliteCorrupt   = 11
	sqliteFull      = 13
	sqliteCantOpen  = 14
	sqliteAuth      = 23
	sqliteNotADB    = 26
)

// sqliteCode returns the primary result code of the first SQLite error in
// err's chain, or 0 when there is none.
func sqliteCode(err error) int {
	var e *msqlite.Error
	if errors.As(err, &e) {
		return e.Code() & 0xff
	}
	return 0
}

// op says what the failing operation did with the file, for fileError.
type op int

const (
	opRead  op = iota // reading the plan (OpenReadOnly, Load, Modified, SaveAs)
	opWrite           // opening for editing, or editing
)

// fileError turns an SQLite error that is about the plan file at path
// rather than about a statement (a corrupt file, an I/O error, a full disk,
// a file that cannot be written, a lock held too long) into a
// *planner.Error that names the file and wraps err. It returns nil for
// other errors.
func fileError(path string, o op, err error) error {
	switch sqliteCode(err) {
	case sqliteCorrupt, sqliteNotADB:
		return damagedFile(path, err)
	case sqliteFull:
		return &planner.Error{Code: planner.EIO, Message: fmt.Sprintf("Cannot write %s: the disk is full", path), Err: err}
	case sqliteIOErr:
		if o == opRead {
			return &planner.Error{Code: planner.EIO, Message: fmt.Sprintf("Cannot read %s", path), Err: err}
		}
		return &planner.Error{Code: planner.EIO, Message: fmt.Sprintf("Cannot read or write %s", path), Err: err}
	case sqliteReadOnly, sqliteCantOpen, sqlitePerm, sqliteAuth:
		if o == opRead {
			return &planner.Error{Code: planner.EIO, Message: fmt.Sprintf("Cannot open %s", path), Err: err}
		}
		return cannotWrite(path, err)
	case sqliteError:
		// checkHeader refuses what causes this; a damaged page 1 in a WAL
		// may still.
		if strings.Contains(err.Error(), "unsupported file format") {
			return damagedFile(path, err)
		}
	case sqliteBusy, sqliteLocked:
		return &planner.Error{Code: planner.EIO, Message: fmt.Sprintf("%s is in use by another program; please try again", path), Err: err}
	}
	return nil
}

// damagedFile is the error for a file that SQLite cannot read as a
// database: a truncated or overwritten plan.
func damagedFile(path string, err error) error {
	return &planner.Error{Code: planner.EINVALID, Message: fmt.Sprintf("%s is damaged and cannot be read", path), Err: err}
}

// openedReadOnly is the error of an edit on a DB from OpenReadOnly.
func openedReadOnly(path string) error {
	return planner.Errorf(planner.EIO, "%s was opened read-only: changes cannot be saved to it. Use Save As to keep an editable copy", path)
}

// damage reports a plan whose stored rows do not make a valid plan: a value
// that cannot be read, a row that refers to a missing one, a missing table.
// Load turns it into EINVALID "The plan in <file> is damaged: <what>".
type damage struct {
	what string // for the user, e.g. `geography unit "01001" has an unreadable geometry`
	err  error  // the cause, if any
}

func (e *damage) Error() string {
	if e.err == nil {
		return e.what
	}
	return e.what + ": " + e.err.Error()
}

func (e *damage) Unwrap() error { return e.err }

func damagef(err error, format string, args ...any) error {
	return &damage{what: fmt.Sprintf(format, args...), err: err}
}

// rowDamage reports a row of table, the n-th in stored order, that cannot be
// scanned: a NULL or a value of the wrong type in a damaged file.
func rowDamage(table string, n int, err error) error {
	// database/sql says "sql: Scan error on column index 1, name "name":
	// converting NULL to string is unsupported"; keep the useful part.
	detail := strings.TrimPrefix(err.Error(), "sql: Scan error on ")
	return damagef(err, "row %d of the %s table cannot be read (%s)", n, table, detail)
}

// readError turns an error met while reading the plan into what the
// caller gets: the context's error when ctx ended, a *planner.Error for a
// problem with the file (fileError) or its content (damage), and err itself
// otherwise.
func readError(ctx context.Context, path string, err error) error {
	if err == nil {
		return nil
	}
	if ctx.Err() != nil && (errors.Is(err, ctx.Err()) || sqliteCode(err) == sqliteInterrupt) {
		return err
	}
	if ferr := fileError(path, opRead, err); ferr != nil {
		return ferr
	}
	var d *damage
	if errors.As(err, &d) {
		return &planner.Error{Code: planner.EINVALID, Message: fmt.Sprintf("The plan in %s is damaged: %s", path, d.what), Err: err}
	}
	return err
}
