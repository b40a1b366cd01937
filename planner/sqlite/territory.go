package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/meridianplan/meridian/planner"
	"github.com/paulmach/orb"
)

// Edit is one change to a plan file, made by [DB.Apply] together with
// others in one transaction. Make one with RealignEdit, AddTerritoryEdit,
// DeleteTerritoryEdit, SetTerritoryBoundaryEdit, SetTerritoryColorEdit,
// SetTerritoryCapacityEdit, or, for scenarios (scenario.go),
// AddScenarioEdit, InsertScenarioEdit, DeleteScenarioEdit,
// RenameScenarioEdit, SetActiveScenarioEdit and ReplaceAlignmentEdit.
type Edit struct {
	run func(ctx context.Context, tx *sql.Tx) error
}

// Apply makes the edits in order in one transaction: all of them are
// written, or, when one fails, none is and its error is returned (the
// errors are those of the methods each Edit stands for; planner.EIO on a
// DB from [OpenReadOnly]). An undoable map edit is one Apply.
func (db *DB) Apply(ctx context.Context, edits ...Edit) error {
	return db.update(ctx, func(tx *sql.Tx) error {
		for _, e := range edits {
			if e.run == nil {
				return planner.Errorf(planner.EINVALID, "an empty edit")
			}
			if err := e.run(ctx, tx); err != nil {
				return err
			}
		}
		return nil
	})
}

// scenarioName returns the name of scenario id, or ENOTFOUND.
func scenarioName(ctx context.Context, tx *sql.Tx, id int64) (string, error) {
	var name string
	err := tx.QueryRowContext(ctx, `SELECT name FROM scenario WHERE id = ?`, id).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", planner.Errorf(planner.ENOTFOUND, "Scenario %d is not in the plan", id)
	} else if err != nil {
		return "", fmt.Errorf("find scenario: %w", err)
	}
	return name, nil
}

// Realign applies several alignment changes to scenario scenarioID at once:
// changes maps a unit code to its new territory ID, or to 0 to unassign it
// (white space). It is written in one transaction: every change or none.
// It is what undo and redo of a map edit use, where each unit returns to
// its own former territory.
//
// It returns a *planner.Error with code planner.ENOTFOUND when the scenario,
// a territory (in that scenario) or a unit does not exist, and planner.EIO
// on a DB from [OpenReadOnly].
func (db *DB) Realign(ctx context.Context, scenarioID int64, changes map[string]int64) error {
	return db.Apply(ctx, RealignEdit(scenarioID, changes))
}

// RealignEdit is [DB.Realign] as an Edit for [DB.Apply].
func RealignEdit(scenarioID int64, changes map[string]int64) Edit {
	return Edit{func(ctx context.Context, tx *sql.Tx) error {
		scenario, err := scenarioName(ctx, tx, scenarioID)
		if err != nil {
			return err
		}
		checked := map[int64]bool{0: true}
		for _, tid := range changes {
			if checked[tid] {
				continue
			}
			var one int
			err := tx.QueryRowContext(ctx, `SELECT 1 FROM territory WHERE id = ? AND scenario_id = ?`,
				tid, scenarioID).Scan(&one)
			if errors.Is(err, sql.ErrNoRows) {
				return planner.Errorf(planner.ENOTFOUND, "Territory %d is not in scenario %q", tid, scenario)
			} else if err != nil {
				return fmt.Errorf("find territory: %w", err)
			}
			checked[tid] = true
		}
		find, err := tx.PrepareContext(ctx, `SELECT 1 FROM unit WHERE code = ?`)
		if err != nil {
			return fmt.Errorf("prepare unit lookup: %w", err)
		}
		defer find.Close()
		unassign, err := tx.PrepareContext(ctx, `DELETE FROM assignment WHERE scenario_id = ?1 AND unit_code = ?2`)
		if err != nil {
			return fmt.Errorf("prepare assignment: %w", err)
		}
		defer unassign.Close()
		assign, err := tx.PrepareContext(ctx, `
			INSERT INTO assignment (scenario_id, unit_code, territory_id) VALUES (?1, ?2, ?3)
			ON CONFLICT (scenario_id, unit_code) DO UPDATE SET territory_id = excluded.territory_id`)
		if err != nil {
			return fmt.Errorf("prepare assignment: %w", err)
		}
		defer assign.Close()
		for code, tid := range changes {
			var one int
			if err := find.QueryRowContext(ctx, code).Scan(&one); errors.Is(err, sql.ErrNoRows) {
				return planner.Errorf(planner.ENOTFOUND, "Geography unit %q is not in the plan", code)
			} else if err != nil {
				return fmt.Errorf("find unit %q: %w", code, err)
			}
			if tid == 0 {
				_, err = unassign.ExecContext(ctx, scenarioID, code)
			} else {
				_, err = assign.ExecContext(ctx, scenarioID, code, tid)
			}
			if err != nil {
				return fmt.Errorf("align unit %q: %w", code, err)
			}
		}
		return nil
	}}
}

// AddTerritory adds territory t at the end of scenario scenarioID's
// territories and returns its ID: t.ID when it is > 0 (so that redoing an
// undone creation keeps the ID), else a new ID one above the largest in
// the plan. Its units are aligned separately ([DB.Realign]).
//
// It returns a *planner.Error with code planner.EINVALID when the name is
// empty or the boundary malformed ([planner.CheckBoundary]),
// planner.ENOTFOUND when the scenario or the rep does not exist,
// planner.ECONFLICT when the name or the ID is taken, and planner.EIO on a
// DB from [OpenReadOnly].
func (db *DB) AddTerritory(ctx context.Context, scenarioID int64, t planner.Territory) (int64, error) {
	if strings.TrimSpace(t.Name) == "" {
		return 0, planner.Errorf(planner.EINVALID, "A territory needs a name")
	}
	if err := planner.CheckBoundary(t.Boundary); err != nil {
		return 0, err
	}
	id := t.ID
	err := db.update(ctx, func(tx *sql.Tx) error {
		if id <= 0 {
			if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) + 1 FROM territory`).Scan(&id); err != nil {
				return fmt.Errorf("new territory ID: %w", err)
			}
		}
		t := t
		t.ID = id
		return addTerritory(ctx, tx, scenarioID, t)
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

// AddTerritoryEdit is [DB.AddTerritory] as an Edit for [DB.Apply]; t.ID must
// be > 0 and free (planner.EINVALID, planner.ECONFLICT).
func AddTerritoryEdit(scenarioID int64, t planner.Territory) Edit {
	return Edit{func(ctx context.Context, tx *sql.Tx) error {
		if t.ID <= 0 {
			return planner.Errorf(planner.EINVALID, "Territory %q needs an ID", t.Name)
		}
		if strings.TrimSpace(t.Name) == "" {
			return planner.Errorf(planner.EINVALID, "A territory needs a name")
		}
		if err := planner.CheckBoundary(t.Boundary); err != nil {
			return err
		}
		return addTerritory(ctx, tx, scenarioID, t)
	}}
}

func addTerritory(ctx context.Context, tx *sql.Tx, scenarioID int64, t planner.Territory) error {
	id := t.ID
	scenario, err := scenarioName(ctx, tx, scenarioID)
	if err != nil {
		return err
	}
	var taken bool
	if err := tx.QueryRowContext(ctx, `
		SELECT EXISTS (SELECT 1 FROM territory WHERE scenario_id = ? AND name = ?)`,
		scenarioID, t.Name).Scan(&taken); err != nil {
		return fmt.Errorf("check territory name: %w", err)
	} else if taken {
		return planner.Errorf(planner.ECONFLICT, "Scenario %q already has a territory named %q", scenario, t.Name)
	}
	if err := checkAssignments(ctx, tx, t.Name, t.Reps); err != nil {
		return err
	}
	{
		var taken bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM territory WHERE id = ?)`, id).Scan(&taken); err != nil {
			return fmt.Errorf("check territory ID: %w", err)
		} else if taken {
			return planner.Errorf(planner.ECONFLICT, "Territory ID %d is taken", id)
		}
	}
	var ord int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(ord), -1) + 1 FROM territory WHERE scenario_id = ?`,
		scenarioID).Scan(&ord); err != nil {
		return fmt.Errorf("territory order: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO territory (id, scenario_id, ord, name, color, boundary, capacity, quota) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		id, scenarioID, ord, t.Name, t.Color, boundaryValue(t.Boundary), t.Capacity, nullMeasure(t.Quota)); err != nil {
		return fmt.Errorf("insert territory: %w", err)
	}
	if t.RegionID != 0 {
		var ok bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM region WHERE id = ? AND scenario_id = ?)`, t.RegionID, scenarioID).Scan(&ok); err != nil {
			return fmt.Errorf("find region: %w", err)
		} else if !ok {
			return planner.Errorf(planner.ENOTFOUND, "Region %d is not in scenario %q", t.RegionID, scenario)
		}
	}
	if err := insertTerritoryCoverage(ctx, tx, &t); err != nil {
		return err
	}
	return nil
}

// DeleteTerritory deletes territory territoryID; its units become white
// space (their assignments are deleted with it). It returns a
// *planner.Error with code planner.ENOTFOUND when the territory does not
// exist, and planner.EIO on a DB from [OpenReadOnly].
func (db *DB) DeleteTerritory(ctx context.Context, territoryID int64) error {
	return db.Apply(ctx, DeleteTerritoryEdit(territoryID))
}

// DeleteTerritoryEdit is [DB.DeleteTerritory] as an Edit for [DB.Apply].
func DeleteTerritoryEdit(territoryID int64) Edit {
	return Edit{func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM territory WHERE id = ?`, territoryID)
		return oneRow(res, err, "delete territory", "Territory %d is not in the plan", territoryID)
	}}
}

// SetTerritoryBoundary stores b as territory territoryID's drawn boundary
// (WGS84 lon/lat; nil or empty removes it). It returns a *planner.Error with
// code planner.EINVALID for a malformed boundary ([planner.CheckBoundary]),
// planner.ENOTFOUND when the territory does not exist, and planner.EIO on a
// DB from [OpenReadOnly].
func (db *DB) SetTerritoryBoundary(ctx context.Context, territoryID int64, b orb.Polygon) error {
	return db.Apply(ctx, SetTerritoryBoundaryEdit(territoryID, b))
}

// SetTerritoryBoundaryEdit is [DB.SetTerritoryBoundary] as an Edit for
// [DB.Apply].
func SetTerritoryBoundaryEdit(territoryID int64, b orb.Polygon) Edit {
	return Edit{func(ctx context.Context, tx *sql.Tx) error {
		if err := planner.CheckBoundary(b); err != nil {
			return err
		}
		return setTerritory(ctx, tx, territoryID, "boundary", boundaryValue(b))
	}}
}

// SetTerritoryColor sets territory territoryID's map colour ("#RRGGBB").
// It returns a *planner.Error with code planner.EINVALID for another form
// of colour, planner.ENOTFOUND when the territory does not exist, and
// planner.EIO on a DB from [OpenReadOnly].
func (db *DB) SetTerritoryColor(ctx context.Context, territoryID int64, color string) error {
	return db.Apply(ctx, SetTerritoryColorEdit(territoryID, color))
}

// SetTerritoryColorEdit is [DB.SetTerritoryColor] as an Edit for
// [DB.Apply].
func SetTerritoryColorEdit(territoryID int64, color string) Edit {
	return Edit{func(ctx context.Context, tx *sql.Tx) error {
		if !validColor(color) {
			return planner.Errorf(planner.EINVALID, "%q is not a colour of the form #RRGGBB", color)
		}
		return setTerritory(ctx, tx, territoryID, "color", color)
	}}
}

func validColor(s string) bool {
	if len(s) != 7 || s[0] != '#' {
		return false
	}
	for _, c := range s[1:] {
		if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
			return false
		}
	}
	return true
}

// setTerritory sets one column of a territory row.
func setTerritory(ctx context.Context, tx *sql.Tx, territoryID int64, column string, value any) error {
	res, err := tx.ExecContext(ctx, `UPDATE territory SET `+column+` = ? WHERE id = ?`, value, territoryID)
	return oneRow(res, err, "set territory "+column, "Territory %d is not in the plan", territoryID)
}

// oneRow checks the result of a statement that must change a row: err from
// running it is wrapped with what; no row changed is planner.ENOTFOUND with
// the message notFound (a format for args).
func oneRow(res sql.Result, err error, what, notFound string, args ...any) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	} else if n == 0 {
		return planner.Errorf(planner.ENOTFOUND, notFound, args...)
	}
	return nil
}

// SetTerritoryCapacityEdit sets territory territoryID's capacity in reps
// ([planner.Territory.Capacity]; 0 means 1) as an Edit for [DB.Apply]. The
// edit fails with a *planner.Error with code planner.EINVALID for a
// negative, NaN or infinite capacity and planner.ENOTFOUND when the
// territory does not exist.
func SetTerritoryCapacityEdit(territoryID int64, capacity float64) Edit {
	return Edit{func(ctx context.Context, tx *sql.Tx) error {
		if !(capacity >= 0) || math.IsInf(capacity, 0) {
			return planner.Errorf(planner.EINVALID, "A territory's capacity is a number of reps, 0 or more, not %v", capacity)
		}
		return setTerritory(ctx, tx, territoryID, "capacity", capacity)
	}}
}
