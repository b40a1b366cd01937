package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/meridianplan/meridian/planner"
)

// Scenario edits. Each one's undo is made of edits too:
//
//	AddScenarioEdit(s)               undone by DeleteScenarioEdit(s.ID)
//	DeleteScenarioEdit(id)           undone by InsertScenarioEdit(old, index of old in Plan.Scenarios)
//	RenameScenarioEdit(id, name)     undone by RenameScenarioEdit(id, old name)
//	SetActiveScenarioEdit(id)        undone by SetActiveScenarioEdit(old Plan.ActiveScenario)
//	ReplaceAlignmentEdit(id, a)      undone by ReplaceAlignmentEdit(id, old Alignment)
//
// An optimiser's result "into a new scenario" is one Apply of
// AddScenarioEdit(copy) and SetActiveScenarioEdit(copy.ID), undone by
// SetActiveScenarioEdit(old active) then DeleteScenarioEdit(copy.ID); "in
// place" is one ReplaceAlignmentEdit.

// AddScenario adds scenario s, with its territories and alignment, after
// the plan's other scenarios. The IDs are s's own (make them with
// planner.Plan.CopyScenario). It returns the errors of [AddScenarioEdit],
// and planner.EIO on a DB from [OpenReadOnly].
func (db *DB) AddScenario(ctx context.Context, s planner.Scenario) error {
	return db.Apply(ctx, AddScenarioEdit(s))
}

// AddScenarioEdit is [DB.AddScenario] as an Edit for [DB.Apply]: it is
// [InsertScenarioEdit] at the end.
func AddScenarioEdit(s planner.Scenario) Edit {
	return InsertScenarioEdit(s, -1)
}

// InsertScenarioEdit inserts scenario s, with its territories (in s's
// order) and alignment, at position index of the plan's scenarios (0 is
// first; index < 0 or ≥ the number of scenarios appends), so that the undo
// of a deletion puts the scenario back where it was. The name is stored as
// given; the territories keep their IDs, names, colours, reps and drawn
// boundaries.
//
// It returns a *planner.Error with code
//   - planner.EINVALID when s.ID or a territory ID is not > 0, when s's
//     name or a territory name is empty or only spaces, or when a drawn
//     boundary is malformed ([planner.CheckBoundary]);
//   - planner.ECONFLICT when the scenario ID or a territory ID is taken
//     (in the plan, or twice in s), when another scenario has the same name
//     ignoring case and surrounding spaces ([planner.SameScenarioName]), or
//     when two of s's territories have the same name;
//   - planner.ENOTFOUND when a territory's rep, a unit of the alignment, or
//     a territory of the alignment (which must be one of s's) does not
//     exist; the message names the first such unit code in code order.
func InsertScenarioEdit(s planner.Scenario, index int) Edit {
	return Edit{func(ctx context.Context, tx *sql.Tx) error {
		if s.ID <= 0 {
			return planner.Errorf(planner.EINVALID, "Scenario %q needs an ID", s.Name)
		}
		if strings.TrimSpace(s.Name) == "" {
			return planner.Errorf(planner.EINVALID, "A scenario needs a name")
		}
		ids := make(map[int64]bool, len(s.Territories))
		for _, t := range s.Territories {
			switch {
			case t.ID <= 0:
				return planner.Errorf(planner.EINVALID, "Territory %q needs an ID", t.Name)
			case strings.TrimSpace(t.Name) == "":
				return planner.Errorf(planner.EINVALID, "A territory needs a name")
			case ids[t.ID]:
				return planner.Errorf(planner.ECONFLICT, "Territory ID %d is taken", t.ID)
			}
			if err := planner.CheckBoundary(t.Boundary); err != nil {
				return err
			}
			ids[t.ID] = true
		}
		names, err := scenarioNames(ctx, tx)
		if err != nil {
			return err
		}
		if _, taken := names[s.ID]; taken {
			return planner.Errorf(planner.ECONFLICT, "Scenario ID %d is taken", s.ID)
		}
		for _, other := range names {
			if planner.SameScenarioName(other, s.Name) {
				return planner.Errorf(planner.ECONFLICT, "A scenario named %q already exists", other)
			}
		}
		ord, err := scenarioOrd(ctx, tx, index)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO scenario (id, ord, name) VALUES (?, ?, ?)`,
			s.ID, ord, s.Name); err != nil {
			return fmt.Errorf("insert scenario: %w", err)
		}
		if err := planner.CheckRegions(&s); err != nil {
			return err
		}
		if err := insertRegions(ctx, tx, &s); err != nil {
			return err
		}
		for _, t := range s.Territories {
			if err := addTerritory(ctx, tx, s.ID, t); err != nil {
				return err
			}
		}
		if err := planner.CheckLevels(&s); err != nil {
			return err
		}
		if err := insertScenarioSegments(ctx, tx, &s); err != nil {
			return err
		}
		return writeAlignment(ctx, tx, s.ID, s.Name, s.Alignment)
	}}
}

// scenarioNames returns the name of every scenario by ID.
func scenarioNames(ctx context.Context, tx *sql.Tx) (map[int64]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, name FROM scenario`)
	if err != nil {
		return nil, fmt.Errorf("read scenarios: %w", err)
	}
	defer rows.Close()
	names := map[int64]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("read scenarios: %w", err)
		}
		names[id] = name
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read scenarios: %w", err)
	}
	return names, nil
}

// scenarioOrd returns the ord value for a scenario inserted at position
// index (see InsertScenarioEdit), moving the scenarios from that position
// on one place down.
func scenarioOrd(ctx context.Context, tx *sql.Tx, index int) (int64, error) {
	var ord sql.NullInt64
	if index >= 0 {
		err := tx.QueryRowContext(ctx, `SELECT ord FROM scenario ORDER BY ord LIMIT 1 OFFSET ?`, index).Scan(&ord)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return 0, fmt.Errorf("scenario order: %w", err)
		}
	}
	if !ord.Valid { // at the end
		var next int64
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(ord), -1) + 1 FROM scenario`).Scan(&next); err != nil {
			return 0, fmt.Errorf("scenario order: %w", err)
		}
		return next, nil
	}
	// ord is UNIQUE, and SQLite checks it row by row during an UPDATE:
	// go through negative values, which no row has, to add 1.
	if _, err := tx.ExecContext(ctx, `UPDATE scenario SET ord = -ord - 2 WHERE ord >= ?`, ord.Int64); err != nil {
		return 0, fmt.Errorf("scenario order: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE scenario SET ord = -ord - 1 WHERE ord < 0`); err != nil {
		return 0, fmt.Errorf("scenario order: %w", err)
	}
	return ord.Int64, nil
}

// DeleteScenario deletes scenario id with its territories and alignment.
// It returns the errors of [DeleteScenarioEdit], and planner.EIO on a DB
// from [OpenReadOnly].
func (db *DB) DeleteScenario(ctx context.Context, id int64) error {
	return db.Apply(ctx, DeleteScenarioEdit(id))
}

// DeleteScenarioEdit is [DB.DeleteScenario] as an Edit for [DB.Apply]. It
// returns a *planner.Error with code planner.ENOTFOUND when the scenario
// does not exist, and planner.EINVALID when it is the plan's only scenario
// or the active one (the stored active scenario, or the first scenario
// when none is stored, as planner.Plan.Active chooses): make another
// scenario active first, in the same Apply if need be.
func DeleteScenarioEdit(id int64) Edit {
	return Edit{func(ctx context.Context, tx *sql.Tx) error {
		name, err := scenarioName(ctx, tx, id)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM scenario`).Scan(&n); err != nil {
			return fmt.Errorf("count scenarios: %w", err)
		}
		if n <= 1 {
			return planner.Errorf(planner.EINVALID,
				"Scenario %q cannot be deleted: it is the plan's only scenario, and a plan needs at least one", name)
		}
		var active sql.NullInt64
		err = tx.QueryRowContext(ctx, `SELECT active_scenario_id FROM plan WHERE id = 1`).Scan(&active)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("find active scenario: %w", err)
		}
		if !active.Valid {
			if err := tx.QueryRowContext(ctx, `SELECT id FROM scenario ORDER BY ord LIMIT 1`).Scan(&active); err != nil {
				return fmt.Errorf("find active scenario: %w", err)
			}
		}
		if active.Int64 == id {
			return planner.Errorf(planner.EINVALID,
				"Scenario %q cannot be deleted while it is the active scenario; switch to another scenario first", name)
		}
		// The foreign keys would cascade; say it rather than rely on it.
		for _, stmt := range []string{
			`DELETE FROM assignment WHERE scenario_id = ?`,
			`DELETE FROM territory WHERE scenario_id = ?`,
			`DELETE FROM scenario WHERE id = ?`,
		} {
			if _, err := tx.ExecContext(ctx, stmt, id); err != nil {
				return fmt.Errorf("delete scenario: %w", err)
			}
		}
		return nil
	}}
}

// RenameScenario renames scenario id to name. It returns the errors of
// [RenameScenarioEdit], and planner.EIO on a DB from [OpenReadOnly].
func (db *DB) RenameScenario(ctx context.Context, id int64, name string) error {
	return db.Apply(ctx, RenameScenarioEdit(id, name))
}

// RenameScenarioEdit is [DB.RenameScenario] as an Edit for [DB.Apply]. The
// name is stored without surrounding spaces ([planner.CleanScenarioName]).
// It returns a *planner.Error with code planner.EINVALID when the name is
// empty or longer than [planner.MaxScenarioNameLen] characters,
// planner.ENOTFOUND when the scenario does not exist, and
// planner.ECONFLICT when another scenario has the name, ignoring case and
// surrounding spaces ([planner.SameScenarioName]); a scenario may change
// the case of its own name.
func RenameScenarioEdit(id int64, name string) Edit {
	return Edit{func(ctx context.Context, tx *sql.Tx) error {
		name, err := planner.CleanScenarioName(name)
		if err != nil {
			return err
		}
		names, err := scenarioNames(ctx, tx)
		if err != nil {
			return err
		}
		if _, ok := names[id]; !ok {
			return planner.Errorf(planner.ENOTFOUND, "Scenario %d is not in the plan", id)
		}
		for other, n := range names {
			if other != id && planner.SameScenarioName(n, name) {
				return planner.Errorf(planner.ECONFLICT, "A scenario named %q already exists", n)
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE scenario SET name = ? WHERE id = ?`, name, id)
		return oneRow(res, err, "rename scenario", "Scenario %d is not in the plan", id)
	}}
}

// SetActiveScenarioEdit is [DB.SetActiveScenario] as an Edit for
// [DB.Apply]: it makes scenario id the one the user works in; id 0 stores
// none (planner.Plan.ActiveScenario 0, where the first scenario is used),
// so that the undo of a change from 0 is an edit too. It returns a
// *planner.Error with code planner.ENOTFOUND when the plan has no such
// scenario or the file holds no plan yet.
func SetActiveScenarioEdit(id int64) Edit {
	return Edit{func(ctx context.Context, tx *sql.Tx) error {
		if id == 0 {
			res, err := tx.ExecContext(ctx, `UPDATE plan SET active_scenario_id = NULL WHERE id = 1`)
			return oneRow(res, err, "set active scenario", "The file holds no plan yet")
		}
		res, err := tx.ExecContext(ctx, `
			UPDATE plan SET active_scenario_id = ?1
			WHERE EXISTS (SELECT 1 FROM scenario WHERE id = ?1)`, id)
		return oneRow(res, err, "set active scenario", "Scenario %d is not in the plan", id)
	}}
}

// ReplaceAlignment sets the whole alignment of scenario scenarioID at once.
// It returns the errors of [ReplaceAlignmentEdit], and planner.EIO on a DB
// from [OpenReadOnly].
func (db *DB) ReplaceAlignment(ctx context.Context, scenarioID int64, alignment map[string]int64) error {
	return db.Apply(ctx, ReplaceAlignmentEdit(scenarioID, alignment))
}

// ReplaceAlignmentEdit is [DB.ReplaceAlignment] as an Edit for [DB.Apply]:
// scenario scenarioID's alignment becomes alignment (unit code → territory
// ID, as planner.Scenario.Alignment); units absent from it, or mapped to
// 0, become unassigned (white space). It is how an optimiser's result
// replaces the alignment in place, and how that is undone. Only the
// difference from the stored alignment is written: for the sample's 3,231
// units, about 40 ms when every unit moves and 15 ms when one in ten does
// (BenchmarkReplaceAlignment, 2-core machine under load).
//
// It returns a *planner.Error with code planner.ENOTFOUND when the
// scenario does not exist, or when a unit code is not in the plan or is
// mapped to a territory that is not one of the scenario's; the message
// names the first such unit code in code order.
func ReplaceAlignmentEdit(scenarioID int64, alignment map[string]int64) Edit {
	return Edit{func(ctx context.Context, tx *sql.Tx) error {
		scenario, err := scenarioName(ctx, tx, scenarioID)
		if err != nil {
			return err
		}
		return writeAlignment(ctx, tx, scenarioID, scenario, alignment)
	}}
}

// assignmentChunk is how many assignments one INSERT or DELETE statement
// writes: few statements for a whole alignment, and 3 × 200 parameters,
// well below SQLite's limit of 32,766.
const assignmentChunk = 200

// writeAlignment makes alignment (see ReplaceAlignmentEdit) the alignment
// of scenario scenarioID (named scenario, for messages), after checking
// every unit and territory in code order. It writes only the difference
// from the stored alignment, a few hundred rows per statement.
func writeAlignment(ctx context.Context, tx *sql.Tx, scenarioID int64, scenario string, alignment map[string]int64) error {
	codes := make([]string, 0, len(alignment))
	for code, tid := range alignment {
		if tid != 0 {
			codes = append(codes, code)
		}
	}
	// In code order: the first bad code is the same every time, and the
	// primary key's B-tree is filled in order.
	slices.Sort(codes)

	own := map[int64]bool{}
	if err := scanRows(ctx, tx, func(rows *sql.Rows) error {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		own[id] = true
		return nil
	}, `SELECT id FROM territory WHERE scenario_id = ?`, scenarioID); err != nil {
		return fmt.Errorf("read territories: %w", err)
	}
	// The stored alignment: its units exist (the foreign key says so).
	stored := map[string]int64{}
	if err := scanRows(ctx, tx, func(rows *sql.Rows) error {
		var code string
		var tid int64
		if err := rows.Scan(&code, &tid); err != nil {
			return err
		}
		stored[code] = tid
		return nil
	}, `SELECT unit_code, territory_id FROM assignment WHERE scenario_id = ?`, scenarioID); err != nil {
		return fmt.Errorf("read alignment: %w", err)
	}
	var units map[string]bool // every unit code, read when first needed
	var write []any           // (scenario, code, territory) triples to insert or update
	for _, code := range codes {
		tid := alignment[code]
		if !own[tid] {
			return planner.Errorf(planner.ENOTFOUND,
				"Geography unit %q is aligned to territory %d, which is not in scenario %q", code, tid, scenario)
		}
		old, ok := stored[code]
		if !ok && units == nil {
			units = map[string]bool{}
			if err := scanRows(ctx, tx, func(rows *sql.Rows) error {
				var code string
				if err := rows.Scan(&code); err != nil {
					return err
				}
				units[code] = true
				return nil
			}, `SELECT code FROM unit`); err != nil {
				return fmt.Errorf("read units: %w", err)
			}
		}
		if !ok && !units[code] {
			return planner.Errorf(planner.ENOTFOUND, "Geography unit %q is not in the plan", code)
		}
		if old != tid {
			write = append(write, scenarioID, code, tid)
		}
	}
	var unassign []any // codes
	for code := range stored {
		if alignment[code] == 0 {
			unassign = append(unassign, code)
		}
	}
	err := execChunks(ctx, tx, unassign, assignmentChunk, func(n int) string {
		return `DELETE FROM assignment WHERE scenario_id = ? AND unit_code IN (?` + strings.Repeat(", ?", n-1) + `)`
	}, scenarioID)
	if err != nil {
		return fmt.Errorf("unassign units: %w", err)
	}
	err = execChunks(ctx, tx, write, 3*assignmentChunk, func(n int) string {
		return `INSERT INTO assignment (scenario_id, unit_code, territory_id) VALUES (?, ?, ?)` +
			strings.Repeat(", (?, ?, ?)", n/3-1) + `
			ON CONFLICT (scenario_id, unit_code) DO UPDATE SET territory_id = excluded.territory_id`
	}, nil)
	if err != nil {
		return fmt.Errorf("align units: %w", err)
	}
	return nil
}

// execChunks runs the statement query(n) for each chunk of at most size
// values of args, with first (when not nil) before the chunk's values. The
// statement for a full chunk is prepared once.
func execChunks(ctx context.Context, tx *sql.Tx, args []any, size int, query func(n int) string, first any) error {
	var full *sql.Stmt
	buf := make([]any, 0, size+1)
	for chunk := range slices.Chunk(args, size) {
		buf = buf[:0]
		if first != nil {
			buf = append(buf, first)
		}
		buf = append(buf, chunk...)
		if len(chunk) < size {
			if _, err := tx.ExecContext(ctx, query(len(chunk)), buf...); err != nil {
				return err
			}
			continue
		}
		if full == nil {
			var err error
			if full, err = tx.PrepareContext(ctx, query(size)); err != nil {
				return err
			}
			defer full.Close()
		}
		if _, err := full.ExecContext(ctx, buf...); err != nil {
			return err
		}
	}
	return nil
}

// scanRows runs query with args and calls scan for each row.
func scanRows(ctx context.Context, tx *sql.Tx, scan func(*sql.Rows) error, query string, args ...any) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
