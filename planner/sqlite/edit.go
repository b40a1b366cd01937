package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/meridianplan/meridian/planner"
)

// SetAlignment aligns the units with the given codes to territory
// territoryID in scenario scenarioID, or unassigns them (white space) when
// territoryID is 0. It is written at once, in one transaction: either every
// unit is changed or none is.
//
// It returns a *planner.Error with code planner.ENOTFOUND when the scenario
// does not exist, when the territory is not one of that scenario's, or when
// a unit code is not in the plan; planner.EIO on a DB from [OpenReadOnly].
func (db *DB) SetAlignment(ctx context.Context, scenarioID int64, unitCodes []string, territoryID int64) error {
	return db.update(ctx, func(tx *sql.Tx) error {
		var scenario string
		err := tx.QueryRowContext(ctx, `SELECT name FROM scenario WHERE id = ?`, scenarioID).Scan(&scenario)
		if errors.Is(err, sql.ErrNoRows) {
			return planner.Errorf(planner.ENOTFOUND, "Scenario %d is not in the plan", scenarioID)
		} else if err != nil {
			return fmt.Errorf("find scenario: %w", err)
		}
		if territoryID != 0 {
			var one int
			err := tx.QueryRowContext(ctx, `SELECT 1 FROM territory WHERE id = ? AND scenario_id = ?`,
				territoryID, scenarioID).Scan(&one)
			if errors.Is(err, sql.ErrNoRows) {
				return planner.Errorf(planner.ENOTFOUND, "Territory %d is not in scenario %q", territoryID, scenario)
			} else if err != nil {
				return fmt.Errorf("find territory: %w", err)
			}
		}
		if len(unitCodes) == 0 {
			return nil
		}

		find, err := tx.PrepareContext(ctx, `SELECT 1 FROM unit WHERE code = ?`)
		if err != nil {
			return fmt.Errorf("prepare unit lookup: %w", err)
		}
		defer find.Close()
		var write *sql.Stmt
		if territoryID == 0 {
			write, err = tx.PrepareContext(ctx, `DELETE FROM assignment WHERE scenario_id = ?1 AND unit_code = ?2`)
		} else {
			write, err = tx.PrepareContext(ctx, `
				INSERT INTO assignment (scenario_id, unit_code, territory_id) VALUES (?1, ?2, ?3)
				ON CONFLICT (scenario_id, unit_code) DO UPDATE SET territory_id = excluded.territory_id`)
		}
		if err != nil {
			return fmt.Errorf("prepare assignment: %w", err)
		}
		defer write.Close()

		args := []any{scenarioID, "", territoryID}
		if territoryID == 0 {
			args = args[:2]
		}
		for _, code := range unitCodes {
			var one int
			if err := find.QueryRowContext(ctx, code).Scan(&one); errors.Is(err, sql.ErrNoRows) {
				return planner.Errorf(planner.ENOTFOUND, "Geography unit %q is not in the plan", code)
			} else if err != nil {
				return fmt.Errorf("find unit %q: %w", code, err)
			}
			args[1] = code
			if _, err := write.ExecContext(ctx, args...); err != nil {
				return fmt.Errorf("align unit %q: %w", code, err)
			}
		}
		return nil
	})
}

// RenameTerritory renames territory territoryID to name.
//
// It returns a *planner.Error with code planner.EINVALID when name is empty
// or only spaces, planner.ENOTFOUND when the territory does not exist,
// planner.ECONFLICT when another territory of the same scenario already has
// that name, and planner.EIO on a DB from [OpenReadOnly].
func (db *DB) RenameTerritory(ctx context.Context, territoryID int64, name string) error {
	if strings.TrimSpace(name) == "" {
		return planner.Errorf(planner.EINVALID, "A territory needs a name")
	}
	return db.update(ctx, func(tx *sql.Tx) error {
		var scenarioID int64
		var scenario string
		err := tx.QueryRowContext(ctx, `
			SELECT s.id, s.name FROM territory t JOIN scenario s ON s.id = t.scenario_id
			WHERE t.id = ?`, territoryID).Scan(&scenarioID, &scenario)
		if errors.Is(err, sql.ErrNoRows) {
			return planner.Errorf(planner.ENOTFOUND, "Territory %d is not in the plan", territoryID)
		} else if err != nil {
			return fmt.Errorf("find territory: %w", err)
		}
		var taken bool
		if err := tx.QueryRowContext(ctx, `
			SELECT EXISTS (SELECT 1 FROM territory WHERE scenario_id = ? AND name = ? AND id <> ?)`,
			scenarioID, name, territoryID).Scan(&taken); err != nil {
			return fmt.Errorf("check territory name: %w", err)
		} else if taken {
			return planner.Errorf(planner.ECONFLICT, "Scenario %q already has a territory named %q", scenario, name)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE territory SET name = ? WHERE id = ?`, name, territoryID); err != nil {
			return fmt.Errorf("rename territory: %w", err)
		}
		return nil
	})
}

// SetActiveScenario makes scenario scenarioID the one the user works in. It
// returns a *planner.Error with code planner.ENOTFOUND when the plan has no
// such scenario (or when the file holds no plan yet), and planner.EIO on a
// DB from [OpenReadOnly].
func (db *DB) SetActiveScenario(ctx context.Context, scenarioID int64) error {
	return db.update(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE plan SET active_scenario_id = ?1
			WHERE EXISTS (SELECT 1 FROM scenario WHERE id = ?1)`, scenarioID)
		return oneRow(res, err, "set active scenario", "Scenario %d is not in the plan", scenarioID)
	})
}

// Modified returns when the plan was last written, by [DB.Replace] or an
// edit, as given by db.Now, in UTC. It returns a *planner.Error with code
// planner.ENOTFOUND when the file holds no plan yet, and the errors of
// [DB.Load] for a file or plan that is damaged or cannot be read.
func (db *DB) Modified(ctx context.Context) (time.Time, error) {
	var s string
	err := db.reading(func() error {
		err := db.db.QueryRowContext(ctx, `SELECT modified FROM plan WHERE id = 1`).Scan(&s)
		if errors.Is(err, sql.ErrNoRows) {
			return noPlanYet(db.Path)
		} else if err != nil && sqliteCode(err) == 0 {
			return rowDamage("plan", 1, err)
		} else if err != nil {
			return damagef(err, "the plan table cannot be read")
		}
		return nil
	})
	if err != nil {
		return time.Time{}, readError(ctx, db.Path, err)
	}
	t, err := parseTime(s)
	if err != nil {
		return time.Time{}, readError(ctx, db.Path, damagef(err, "the modification time %q is not a valid time", s))
	}
	return t, nil
}
