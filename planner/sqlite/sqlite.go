// Package sqlite stores a Meridian plan in one local SQLite file (a
// ".meridian" file). It is the SQLite adapter of package planner, which stays
// free of SQL: [DB.Load] reads a whole [planner.Plan], [DB.Replace] writes one,
// and the edit methods ([DB.SetAlignment], [DB.RenameTerritory],
// [DB.SetActiveScenario]) each write one change in its own transaction as it
// happens; there is no separate "save". [DB.SaveAs] writes a consistent copy.
//
// A plan file is opened in one of three ways: [Open] opens it for editing and
// creates it when it does not exist (File > New, `meridianctl sample`),
// [OpenExisting] opens it for editing but never creates it (File > Open), and
// [OpenReadOnly] reads it without writing or creating anything (reports,
// exports, plans in read-only folders).
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
// [planner.ErrorCode]) that name the file; other errors are wrapped with
// context and count as [planner.EINTERNAL]. Whatever a file holds, no
// function of the package panics on it: a file that SQLite finds corrupt is
// planner.EINVALID "<file> is damaged and cannot be read", and a plan whose
// rows do not fit together is planner.EINVALID "The plan in <file> is
// damaged: <what>".
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
	"sync"
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
const SchemaVersion = 10

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

	// readOnly is set by OpenReadOnly: the edit methods refuse to run.
	readOnly bool

	// The rest serves read-only DBs only (see readonly.go). mu serialises
	// the reads, which may replace db; mode says how db reads the file,
	// opened how the files were when db was opened.
	mu     sync.Mutex
	mode   readMode
	opened filesState
}

// Open opens the plan file at path for editing, creating it with the current
// schema when it does not exist or is empty (a new file holds no plan until
// [DB.Replace]). To open a file the user chose, without creating one when
// the path is mistyped, use [OpenExisting]; to read a plan without writing
// anything, use [OpenReadOnly].
//
// Before handing an existing file to SQLite, Open reads its 100-byte header.
// It returns a *planner.Error with code planner.ENOTPLAN, naming the file,
// when the file is not a SQLite database or not a Meridian plan (wrong
// application_id), and planner.ETOONEW when the plan's schema version is
// newer than [SchemaVersion]. In both cases the file is left byte-for-byte
// unchanged and no -wal, -shm or -journal file is created.
//
// Open then checks that the file (and its -wal and -shm files, if any) can
// be written and that its folder can be written, since SQLite creates its
// -wal and -shm files there. If not, it returns planner.EIO with a message
// that names the file, says that it cannot be written and suggests opening
// it read-only or saving it elsewhere; nothing is created or changed. A new
// file that cannot be created (a missing or read-only folder) is
// planner.EIO as well, and leaves nothing behind.
//
// A file that SQLite finds corrupt (SQLITE_CORRUPT, SQLITE_NOTADB), such as
// a truncated copy, is planner.EINVALID "<path> is damaged and cannot be
// read", wrapping SQLite's error; Open changes nothing on disk in that case.
// Before its first write to an existing file (switching a file in
// rollback-journal mode to WAL, or migrating it), Open runs PRAGMA
// quick_check, so that it does not write into a damaged file. A file damaged
// in a way that only reading the rows reveals opens, and [DB.Load] reports
// it.
//
// A plan of an older schema version is migrated forward inside one
// transaction. Other failures to read or write the file are *planner.Error
// values with code planner.EIO that wrap the system or SQLite error.
//
// The plan is kept in WAL mode while it is open; call [DB.Close] to fold the
// WAL back into the one .meridian file.
func Open(path string) (*DB, error) {
	return openPath(path, true)
}

// OpenExisting is [Open] for a file that must already exist, as when the
// user asks to open a plan: for a path where there is no file (or whose
// folder does not exist) it returns a *planner.Error with code
// planner.ENOTFOUND, "No plan file at <path>", and creates nothing. An
// existing empty file becomes a new plan, as with Open; every other result
// is Open's.
func OpenExisting(path string) (*DB, error) {
	return openPath(path, false)
}

func openPath(path string, mayCreate bool) (*DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("absolute path: %w", err)
	}
	h, err := readHeader(abs)
	if err != nil {
		return nil, err
	}
	if !h.exists && !mayCreate {
		return nil, noFile(abs)
	}
	if err := checkWritable(abs, h.exists); err != nil {
		return nil, err
	}
	return open(abs, h)
}

// checkWritable returns a *planner.Error (EIO) unless the plan file at abs,
// its side files and its folder can be written; exists says whether the
// file exists. It creates nothing. The folder check is a hint where the
// system has no access(2) (Windows): SQLite's own errors are mapped too.
func checkWritable(abs string, exists bool) error {
	dir := filepath.Dir(abs)
	if !exists {
		if fi, err := os.Stat(dir); err != nil {
			return &planner.Error{Code: planner.EIO, Message: fmt.Sprintf("Cannot create %s: the folder %s does not exist", abs, dir), Err: err}
		} else if !fi.IsDir() {
			return &planner.Error{Code: planner.EIO, Message: fmt.Sprintf("Cannot create %s: %s is not a folder", abs, dir)}
		}
		if err := dirWritable(dir); err != nil {
			return &planner.Error{Code: planner.EIO, Message: fmt.Sprintf("Cannot create %s: the folder %s cannot be written", abs, dir), Err: err}
		}
		return nil
	}
	for _, p := range []string{abs, abs + "-wal", abs + "-shm"} {
		// Opening for writing changes nothing (not even the times).
		f, err := os.OpenFile(p, os.O_RDWR, 0)
		if p != abs && errors.Is(err, fs.ErrNotExist) {
			continue
		} else if err != nil {
			return cannotWrite(abs, err)
		}
		f.Close()
	}
	if err := dirWritable(dir); err != nil {
		return cannotWrite(abs, err)
	}
	return nil
}

// open opens the plan file at the absolute path abs for editing. Its header
// h passed readHeader, and checkWritable found it writable.
func open(abs string, h header) (_ *DB, err error) {
	// A missing or empty file becomes a new plan.
	create := h.version == 0
	if !h.exists {
		// Remove the file if its creation fails, so that no half-made
		// file is left behind; a user's empty file stays.
		defer func() {
			if err != nil {
				removeFiles(abs)
			}
		}()
	}

	db := &DB{Path: abs, Now: time.Now}
	if db.db, err = sql.Open("sqlite", dsn(abs, readWriteParams(create))); err != nil {
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
			err = db.openError(err)
		}
	}()

	ctx := context.Background()
	if !create && (!h.wal || h.version < SchemaVersion) {
		// Open is about to write into an existing file: make sure that it
		// is sound first.
		if err := db.quickCheck(ctx); err != nil {
			return nil, err
		}
	}
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

// openError turns an error of open or of a write into a *planner.Error that
// names the file when it is about the file.
func (db *DB) openError(err error) error {
	var perr *planner.Error
	if errors.As(err, &perr) {
		return err
	}
	if ferr := fileError(db.Path, opWrite, err); ferr != nil {
		return ferr
	}
	return err
}

// quickCheck runs PRAGMA quick_check and returns EINVALID if the file is
// damaged.
func (db *DB) quickCheck(ctx context.Context) error {
	var res string
	if err := db.db.QueryRowContext(ctx, `PRAGMA quick_check(1)`).Scan(&res); err != nil {
		return fmt.Errorf("quick check: %w", err)
	}
	if res != "ok" {
		return damagedFile(db.Path, errors.New(res))
	}
	return nil
}

// readWriteParams returns the URI parameters of a connection that edits the
// plan. mode=rw makes SQLite fail rather than create the file when an
// existing plan vanished meanwhile.
func readWriteParams(create bool) []string {
	mode := "rw"
	if create {
		mode = "rwc"
	}
	return []string{
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
}

// dsn returns the modernc.org/sqlite data source name for the plan file at
// the absolute path abs with the given URI parameters. It is a "file:" URI
// so that any character of the path is escaped, and so that SQLite applies
// its own parameters (mode, immutable).
func dsn(abs string, params []string) string {
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // Windows: file:///C:/...
	}
	u := url.URL{Scheme: "file", Path: p, RawQuery: strings.Join(params, "&")}
	return u.String()
}

// header is what readHeader learns about a plan file.
type header struct {
	exists  bool  // the file exists
	size    int64 // its size in bytes
	version int   // user_version; 0 for a missing or empty file
	wal     bool  // the file is in WAL mode (header bytes 18 and 19 are 2)
}

// readHeader reads the SQLite header of the file at path without opening it
// as a database. For a Meridian plan it returns its schema version (which
// may be older than SchemaVersion) and journal mode; for a missing or empty
// file (a new plan) version 0. Otherwise it returns a *planner.Error:
// ENOTPLAN for anything that is not a Meridian plan, ETOONEW for a plan newer
// than this build, EIO when the file cannot be read.
func readHeader(path string) (header, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return header{}, nil
	} else if err != nil {
		return header{}, &planner.Error{Code: planner.EIO, Message: fmt.Sprintf("Cannot open %s", path), Err: err}
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return header{}, &planner.Error{Code: planner.EIO, Message: fmt.Sprintf("Cannot open %s", path), Err: err}
	}
	if fi.IsDir() {
		return header{}, planner.Errorf(planner.ENOTPLAN, "%s is a folder, not a Meridian plan", path)
	}
	h := header{exists: true, size: fi.Size()}
	if h.size == 0 {
		return h, nil
	}
	var hdr [100]byte
	if _, err := io.ReadFull(f, hdr[:]); errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return header{}, notPlan(path)
	} else if err != nil {
		return header{}, &planner.Error{Code: planner.EIO, Message: fmt.Sprintf("Cannot read %s", path), Err: err}
	}
	if !bytes.Equal(hdr[:16], []byte(sqliteMagic)) {
		return header{}, notPlan(path)
	}
	appID := binary.BigEndian.Uint32(hdr[68:72])
	version := binary.BigEndian.Uint32(hdr[60:64])
	if appID != ApplicationID || version == 0 {
		return header{}, notPlan(path)
	}
	if version > SchemaVersion {
		return header{}, tooNew(path, int64(version))
	}
	if err := checkHeader(hdr[:]); err != nil {
		return header{}, damagedFile(path, err)
	}
	h.version = int(version)
	h.wal = hdr[18] == 2 && hdr[19] == 2
	return h, nil
}

// checkHeader checks the fields of a SQLite header that SQLite refuses,
// some with a generic "unsupported file format" error that would not tell a
// damaged plan from a bug (https://sqlite.org/fileformat2.html#the_database_header).
func checkHeader(hdr []byte) error {
	pageSize := int(binary.BigEndian.Uint16(hdr[16:18]))
	if pageSize == 1 {
		pageSize = 65536
	}
	switch {
	case pageSize < 512 || pageSize&(pageSize-1) != 0:
		return fmt.Errorf("invalid page size %d", pageSize)
	case hdr[18] > 2 || hdr[19] > 2:
		return fmt.Errorf("invalid file format version %d %d", hdr[18], hdr[19])
	case pageSize-int(hdr[20]) < 480:
		return fmt.Errorf("invalid reserved space %d", hdr[20])
	case hdr[21] != 64 || hdr[22] != 32 || hdr[23] != 32:
		return errors.New("invalid payload fractions")
	}
	if f := binary.BigEndian.Uint32(hdr[44:48]); f > 4 {
		return fmt.Errorf("invalid schema format %d", f)
	}
	return nil
}

func notPlan(path string) error {
	return planner.Errorf(planner.ENOTPLAN, "%s is not a Meridian plan", path)
}

func noFile(path string) error {
	return planner.Errorf(planner.ENOTFOUND, "No plan file at %s", path)
}

func noPlanYet(path string) error {
	return planner.Errorf(planner.ENOTFOUND, "%s holds no plan yet", path)
}

func cannotWrite(path string, err error) error {
	return &planner.Error{
		Code: planner.EIO,
		Message: fmt.Sprintf("%s cannot be written: you may not have permission to change it or its folder. "+
			"Open it read-only, or use Save As to keep your changes in another folder", path),
		Err: err,
	}
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
// process still has the plan open). A DB from [OpenReadOnly] writes nothing:
// it just closes. Calling Close again does nothing.
func (db *DB) Close() error {
	if db.db == nil {
		return nil
	}
	var ckptErr error
	if !db.readOnly {
		if _, err := db.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			ckptErr = fmt.Errorf("checkpoint wal: %w", err)
		}
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
// time, and commits. Any error rolls the transaction back. It returns a
// *planner.Error (EIO) on a DB opened read-only, and turns SQLite errors
// about the file (corrupt, disk full, read-only) into *planner.Error values.
func (db *DB) update(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if db.db == nil {
		return errClosed
	}
	if db.readOnly {
		return openedReadOnly(db.Path)
	}
	if err := db.updateTx(ctx, fn); err != nil {
		return db.openError(err)
	}
	return nil
}

func (db *DB) updateTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
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
