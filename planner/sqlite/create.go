package sqlite

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/meridianplan/meridian/planner"
)

// CreatePlanFile writes p as a new plan file at path, replacing any file
// there, atomically: the plan is written into a new temporary file in path's
// folder (named after it, hidden on Unix), that file is closed (the WAL
// folded back into it) and flushed to disk, then renamed over path. So path
// is at every moment either its old content (or absent) or the complete new
// plan; on any error or cancellation of ctx, path is untouched and the
// temporary file and its side files are removed. It is how File > New
// plan… and `meridianctl import geography` write a new plan.
//
// p is checked with planner.Plan.Validate first. Errors are *planner.Error
// values: EINVALID for a nil or invalid plan (as DB.Replace returns), EIO
// naming path when the folder is missing or cannot be written, or the disk
// is full; ctx's error when ctx is cancelled.
func CreatePlanFile(ctx context.Context, path string, p *planner.Plan) (err error) {
	if p == nil {
		return planner.Errorf(planner.EINVALID, "There is no plan to write")
	}
	if err := p.Validate(); err != nil {
		return err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return cannotCreate(path, err)
	}
	if fi, err := os.Stat(abs); err == nil && fi.IsDir() {
		return cannotCreate(abs, errors.New("it is a folder"))
	}
	tmp, err := createTemp(abs) // empty: Open makes it a new plan
	if err != nil {
		return cannotCreate(abs, err)
	}
	defer func() {
		if err != nil {
			removeFiles(tmp)
		}
	}()
	db, err := Open(tmp)
	if err != nil {
		return err
	}
	if err := db.Replace(ctx, p); err != nil {
		db.Close()
		return err
	}
	if err := db.Close(); err != nil {
		return cannotCreate(abs, err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := syncFile(tmp); err != nil {
		return cannotCreate(abs, err)
	}
	if err := os.Rename(tmp, abs); err != nil {
		return cannotCreate(abs, err)
	}
	syncDir(filepath.Dir(abs))
	return nil
}

func cannotCreate(path string, err error) error {
	return &planner.Error{Code: planner.EIO, Message: fmt.Sprintf("Cannot create the plan file %s", path), Err: err}
}
