// Package sqlite stores a Meridian plan in one local SQLite file (a
// ".meridian" file). It is the SQLite adapter of package planner, which stays
// free of SQL: [DB.Load] reads a whole [planner.Plan], [DB.Replace] writes one,
// and the edit methods ([DB.SetAlignment], [DB.RenameTerritory],
// [DB.SetActiveScenario]) each write one change in its own transaction as it
// happens; there is no separate "save". [DB.SaveAs] writes a consistent copy.
//
// The file is marked as a Meridian plan by PRAGMA application_id
// ([ApplicationID]) and carries its schema version in PRAGMA user_version
// ([SchemaVersion]). The schema is created and migrated by the numbered SQL
// files embedded from migration/.
//
// The driver is modernc.org/sqlite, a pure Go SQLite: the package builds with
// CGO_ENABLED=0.
//
// Errors meant for the user are *planner.Error values (see
// [planner.ErrorCode]); other errors are wrapped with context and count as
// [planner.EINTERNAL].
package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/meridianplan/meridian/planner"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// ApplicationID is the value of PRAGMA application_id in every Meridian plan
// file: the bytes 0x4D 0x52 0x49 0x44, ASCII "MRID" (MeRIDian), stored
// big-endian at offset 68 of the file header. It tells a plan from any other
// SQLite database.
const ApplicationID = 0x4D524944

// SchemaVersion is the schema version that this build writes, kept in PRAGMA
// user_version (offset 60 of the file header). It is the number of the last
// migration in migration/. Open migrates older plans up to it and refuses
// newer ones with planner.ETOONEW.
const SchemaVersion = 1

// sqliteMagic starts the header of every SQLite 3 database file.
const sqliteMagic = "SQLite format 3\x00"

//go:embed migration/*.sql
var migrationFS embed.FS

// DB is an open plan file. Its methods may be called from several goroutines;
// they run one at a time on a single SQLite connection. Close must not be
// called while another method is running.
type DB struct {
	// Path is the absolute path of the plan file.
	Path string

	// Now returns the current time; it stamps the plan's modification time
	// (see [DB.Modified]). It defaults to time.Now and can be replaced in
	// tests.
	Now func() time.Time

	db *sql.DB
}

// Open opens the plan file at path, creating it with the current schema when
// it does not exist or is empty (a new file holds no plan until
// [DB.Replace]).
//
// Before handing an existing file to SQLite, Open reads its 100-byte header.
// It returns a *planner.Error with code planner.ENOTPLAN, naming the file,
// when the file is not a SQLite database or not a Meridian plan (wrong
// application_id), and planner.ETOONEW when the plan's schema version is
// newer than [SchemaVersion]. In both cases the file is left byte-for-byte
// unchanged and no -wal, -shm or -journal file is created. A plan of an older
// schema version is migrated forward inside one transaction. Other failures
// (the file cannot be read or written) are *planner.Error values with code
// planner.EIO that wrap the system error.
//
// The plan is kept in WAL mode while it is open; call [DB.Close] to fold the
// WAL back into the one .meridian file.
func Open(path string) (*DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("absolute path: %w", err)
	}
	version, err := readHeader(abs)
	if err != nil {
		return nil, err
	}
	return open(abs, version == 0)
}

// open opens the plan file at the absolute path abs, whose header passed
// readHeader; create is true for a new (missing or empty) file.
func open(abs string, create bool) (_ *DB, err error) {
	if create {
		// Remember whether the file existed, so that a failed creation does
		// not leave a half-made file behind, nor remove a user's empty file.
		if _, serr := os.Lstat(abs); errors.Is(serr, fs.ErrNotExist) {
			defer func() {
				if err != nil {
					removeFiles(abs)
				}
			}()
		}
	}

	db := &DB{Path: abs, Now: time.Now}
	if db.db, err = sql.Open("sqlite", dsn(abs, create)); err != nil {
		return nil, fmt.Errorf("open %s: %w", abs, err)
	}
	// One connection: a desktop app has one user, and a single connection
	// serialises the edits in-process, so that no statement ever waits for
	// a lock held by our own pool, and connection-scoped settings hold for
	// every call.
	db.db.SetMaxOpenConns(1)
	defer func() {
		if err != nil {
			db.db.Close()
		}
	}()

	ctx := context.Background()
	if err := db.migrate(ctx); err != nil {
		return nil, err
	}

	// Enable WAL once the schema is in place (so that a new file's header,
	// with its application_id and user_version, is in the main file rather
	// than only in the WAL). WAL needs one fsync per edit instead of several,
	// and lets another process read the plan while it is being written.
	// SQLite may refuse WAL on some file systems; the plan then works in the
	// default rollback-journal mode, which is just as safe.
	var mode string
	if err := db.db.QueryRowContext(ctx, `PRAGMA journal_mode = wal`).Scan(&mode); err != nil {
		return nil, fmt.Errorf("enable wal: %w", err)
	}
	return db, nil
}

// dsn returns the modernc.org/sqlite data source name for the plan file at
// the absolute path abs. It is a "file:" URI so that any character of the
// path is escaped, and mode=rw makes SQLite fail rather than create the file
// when an existing plan vanished meanwhile.
func dsn(abs string, create bool) string {
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // Windows: file:///C:/...
	}
	mode := "rw"
	if create {
		mode = "rwc"
	}
	q := []string{
		"mode=" + mode,
		// For historical reasons SQLite does not enforce foreign keys unless
		// asked, and the setting is per connection, so it is set here for
		// every connection the pool opens. The schema relies on the
		// checks (an alignment to another scenario's territory, an account
		// in a missing unit) and on ON DELETE CASCADE.
		"_pragma=foreign_keys(1)",
		// Wait for a lock held by another process (a second window on the
		// same plan) instead of failing at once with SQLITE_BUSY.
		"_pragma=busy_timeout(5000)",
		// Write transactions take the write lock when they begin, so they
		// wait under busy_timeout rather than fail half-way.
		"_txlock=immediate",
	}
	u := url.URL{Scheme: "file", Path: p, RawQuery: strings.Join(q, "&")}
	return u.String()
}

// readHeader reads the SQLite header of the file at path without opening it
// as a database. It returns 0 when the file does not exist or is empty (a new
// plan), the schema version of a Meridian plan, or a *planner.Error: ENOTPLAN
// for anything that is not a Meridian plan, ETOONEW for a plan newer than
// this build.
func readHeader(path string) (int, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	} else if err != nil {
		return 0, &planner.Error{Code: planner.EIO, Message: fmt.Sprintf("Cannot open %s", path), Err: err}
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0, &planner.Error{Code: planner.EIO, Message: fmt.Sprintf("Cannot open %s", path), Err: err}
	}
	if fi.IsDir() {
		return 0, planner.Errorf(planner.ENOTPLAN, "%s is a folder, not a Meridian plan", path)
	}
	if fi.Size() == 0 {
		return 0, nil
	}
	var hdr [100]byte
	if _, err := io.ReadFull(f, hdr[:]); errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return 0, notPlan(path)
	} else if err != nil {
		return 0, &planner.Error{Code: planner.EIO, Message: fmt.Sprintf("Cannot read %s", path), Err: err}
	}
	if !bytes.Equal(hdr[:16], []byte(sqliteMagic)) {
		return 0, notPlan(path)
	}
	appID := binary.BigEndian.Uint32(hdr[68:72])
	version := binary.BigEndian.Uint32(hdr[60:64])
	if appID != ApplicationID || version == 0 {
		return 0, notPlan(path)
	}
	if version > SchemaVersion {
		return 0, tooNew(path, int64(version))
	}
	return int(version), nil
}

func notPlan(path string) error {
	return planner.Errorf(planner.ENOTPLAN, "%s is not a Meridian plan", path)
}

func tooNew(path string, version int64) error {
	return planner.Errorf(planner.ETOONEW,
		"%s was saved by a newer version of Meridian (plan format %d; this version reads formats up to %d). Please update Meridian to open it",
		path, version, SchemaVersion)
}

// migration is one numbered schema change from migration/.
type migration struct {
	version int    // from the file name: 0001_init.sql is version 1
	name    string // file name
	sql     string
}

// migrations returns the embedded migrations in order. Their numbers must run
// 1, 2, ... up to SchemaVersion without a gap.
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFS, "migration/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	ms := make([]migration, 0, len(names))
	for i, name := range names {
		base := path.Base(name)
		num, _, _ := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if err != nil || v != i+1 {
			return nil, fmt.Errorf("migration %s: expected number %04d", base, i+1)
		}
		buf, err := fs.ReadFile(migrationFS, name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: base, sql: string(buf)})
	}
	if len(ms) != SchemaVersion {
		return nil, fmt.Errorf("%d migrations but SchemaVersion is %d", len(ms), SchemaVersion)
	}
	return ms, nil
}

// migrate brings the schema up to SchemaVersion in one transaction: all
// pending migrations apply, or none does. It checks application_id and
// user_version again through SQLite, which sees committed changes that a
// crash may have left in a WAL or journal.
//
// A future migration that rebuilds a table must keep foreign keys valid
// within the transaction (foreign_keys cannot be switched off inside one);
// PRAGMA foreign_key_check runs before the commit.
func (db *DB) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return fmt.Errorf("read migrations: %w", err)
	}
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin migration: %w", err)
	}
	defer tx.Rollback()

	var appID, version int64
	if err := tx.QueryRowContext(ctx, `PRAGMA application_id`).Scan(&appID); err != nil {
		return fmt.Errorf("read application_id: %w", err)
	}
	if err := tx.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return fmt.Errorf("read user_version: %w", err)
	}
	switch {
	case version == 0:
		// A new file: it must not hold anything yet.
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema`).Scan(&n); err != nil {
			return fmt.Errorf("read schema: %w", err)
		} else if n > 0 || appID != 0 && appID != ApplicationID {
			return notPlan(db.Path)
		}
	case uint32(appID) != ApplicationID:
		return notPlan(db.Path)
	case version > SchemaVersion:
		return tooNew(db.Path, version)
	case version == SchemaVersion:
		return nil // up to date; roll back the empty transaction
	}

	for _, m := range ms {
		if int64(m.version) <= version {
			continue
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	// PRAGMA takes no bound parameters; these are integer constants.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA application_id = %d`, int32(ApplicationID))); err != nil {
		return fmt.Errorf("set application_id: %w", err)
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, SchemaVersion)); err != nil {
		return fmt.Errorf("set user_version: %w", err)
	}
	if err := foreignKeyCheck(ctx, tx); err != nil {
		return fmt.Errorf("migrate to version %d: %w", SchemaVersion, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit migration: %w", err)
	}
	return nil
}

// foreignKeyCheck returns an error if any foreign key is violated.
func foreignKeyCheck(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return fmt.Errorf("foreign key check: %w", err)
	}
	defer rows.Close()
	if rows.Next() {
		var table string
		var rowid sql.NullInt64
		var parent string
		var fkid int64
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			return fmt.Errorf("foreign key check: %w", err)
		}
		return fmt.Errorf("foreign key violation: %s row %d refers to a missing %s", table, rowid.Int64, parent)
	}
	return rows.Err()
}

// Close checkpoints the WAL into the plan file and closes it, so that the
// plan is one file again (no -wal or -shm file remains, unless another
// process still has the plan open). Calling Close again does nothing.
func (db *DB) Close() error {
	if db.db == nil {
		return nil
	}
	var ckptErr error
	if _, err := db.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		ckptErr = fmt.Errorf("checkpoint wal: %w", err)
	}
	err := db.db.Close()
	db.db = nil
	if err != nil {
		return fmt.Errorf("close %s: %w", db.Path, err)
	}
	return ckptErr
}

// removeFiles removes a plan file that Open created and failed to set up,
// along with SQLite's side files.
func removeFiles(path string) {
	for _, suffix := range []string{"", "-journal", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
}

// update runs fn in a write transaction, stamps the plan's modification
// time, and commits. Any error rolls the transaction back.
func (db *DB) update(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if db.db == nil {
		return errClosed
	}
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE plan SET modified = ?`, formatTime(db.Now())); err != nil {
		return fmt.Errorf("stamp modified: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// errClosed is returned by methods called after Close.
var errClosed = errors.New("sqlite: plan file is closed")

// formatTime formats t in UTC as RFC 3339, with fractional seconds only when
// t has them.
func formatTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339Nano)
}

// parseTime parses a time written by formatTime.
func parseTime(s string) (time.Time, error) {
	return time.Parse(time.RFC3339Nano, s)
}
