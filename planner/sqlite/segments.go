package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"sort"
	"strings"

	"github.com/meridianplan/meridian/planner"
)

// This file stores the plan's segments (table segment), the scenarios'
// named accounts (table named_account) and hierarchy level names
// (scenario.levels), and the plan's SegmentName; see migration 0010.

// tieringJSON is a planner.Tiering as stored in segment.tiers.
type tieringJSON struct {
	Metric     string     `json:"metric"`
	ByQuantile bool       `json:"by_quantile"`
	Tiers      []tierJSON `json:"tiers"`
}

type tierJSON struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
}

func encodeTiering(t *planner.Tiering) string {
	if t == nil {
		return ""
	}
	j := tieringJSON{Metric: t.Metric, ByQuantile: t.ByQuantile, Tiers: make([]tierJSON, len(t.Tiers))}
	for i, x := range t.Tiers {
		j.Tiers[i] = tierJSON{x.Name, x.Value}
	}
	b, _ := json.Marshal(j) // cannot fail: strings, bools and finite floats (checked)
	return string(b)
}

func decodeTiering(s string) (*planner.Tiering, error) {
	if s == "" {
		return nil, nil
	}
	var j tieringJSON
	if err := json.Unmarshal([]byte(s), &j); err != nil {
		return nil, err
	}
	t := &planner.Tiering{Metric: j.Metric, ByQuantile: j.ByQuantile, Tiers: make([]planner.Tier, len(j.Tiers))}
	for i, x := range j.Tiers {
		t.Tiers[i] = planner.Tier{Name: x.Name, Value: x.Value}
	}
	return t, nil
}

func encodeIDs(ids []int64) string {
	if len(ids) == 0 {
		return ""
	}
	b, _ := json.Marshal(ids)
	return string(b)
}

func encodeLevels(levels []string) string {
	if len(levels) == 0 {
		return ""
	}
	b, _ := json.Marshal(levels)
	return string(b)
}

// loadSegments reads the plan's segment name, segments, and each
// scenario's level names and named accounts into p, whose scenarios are
// loaded.
func loadSegments(ctx context.Context, tx *sql.Tx, p *planner.Plan) error {
	if err := tx.QueryRowContext(ctx, `SELECT segment_name FROM plan WHERE id = 1`).Scan(&p.SegmentName); err != nil {
		return asDamage(err, "the plan's segment name cannot be read")
	}
	if err := scanRows(ctx, tx, func(r *sql.Rows) error {
		var g planner.Segment
		var tiers, reps string
		if err := r.Scan(&g.ID, &g.Name, &g.Rule, &tiers, &g.OverlayTeam, &reps); err != nil {
			return rowDamage("segment", 0, err)
		}
		t, err := decodeTiering(tiers)
		if err != nil {
			return damagef(err, "segment %q has unreadable tiers", g.Name)
		}
		g.Tiers = t
		if reps != "" {
			if err := json.Unmarshal([]byte(reps), &g.OverlayReps); err != nil {
				return damagef(err, "segment %q has an unreadable overlay team", g.Name)
			}
		}
		p.Segments = append(p.Segments, g)
		return nil
	}, `SELECT id, name, rule, tiers, overlay_team, overlay_reps FROM segment ORDER BY ord, id`); err != nil {
		return asDamage(err, "the segment table cannot be read")
	}
	scen := map[int64]*planner.Scenario{}
	for i := range p.Scenarios {
		scen[p.Scenarios[i].ID] = &p.Scenarios[i]
	}
	if err := scanRows(ctx, tx, func(r *sql.Rows) error {
		var id int64
		var levels string
		if err := r.Scan(&id, &levels); err != nil {
			return rowDamage("scenario", 0, err)
		}
		if s := scen[id]; s != nil && levels != "" {
			if err := json.Unmarshal([]byte(levels), &s.Levels); err != nil {
				return damagef(err, "scenario %q has unreadable hierarchy levels", s.Name)
			}
		}
		return nil
	}, `SELECT id, levels FROM scenario WHERE levels <> ''`); err != nil {
		return asDamage(err, "the scenario table cannot be read")
	}
	return scanRows(ctx, tx, func(r *sql.Rows) error {
		var sid, aid, tid int64
		if err := r.Scan(&sid, &aid, &tid); err != nil {
			return rowDamage("named_account", 0, err)
		}
		s := scen[sid]
		if s == nil {
			return damagef(nil, "account %d is named in scenario %d, which the plan does not have", aid, sid)
		}
		if s.NamedAccounts == nil {
			s.NamedAccounts = map[int64]int64{}
		}
		s.NamedAccounts[aid] = tid
		return nil
	}, `SELECT scenario_id, account_id, territory_id FROM named_account ORDER BY scenario_id, account_id`)
}

// insertSegments writes the plan's segments and segment name (Replace).
func insertSegments(ctx context.Context, tx *sql.Tx, p *planner.Plan) error {
	if _, err := tx.ExecContext(ctx, `UPDATE plan SET segment_name = ?`, p.SegmentName); err != nil {
		return fmt.Errorf("write the segment name: %w", err)
	}
	return writeSegments(ctx, tx, p.Segments)
}

// writeSegments replaces the segment table's rows with segments, in order.
func writeSegments(ctx context.Context, tx *sql.Tx, segments []planner.Segment) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM segment`); err != nil {
		return fmt.Errorf("clear segments: %w", err)
	}
	for i, g := range segments {
		if _, err := tx.ExecContext(ctx, `INSERT INTO segment (id, ord, name, rule, tiers, overlay_team, overlay_reps) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			g.ID, i, g.Name, g.Rule, encodeTiering(g.Tiers), g.OverlayTeam, encodeIDs(g.OverlayReps)); err != nil {
			return fmt.Errorf("insert segment %q: %w", g.Name, err)
		}
	}
	return nil
}

// insertScenarioSegments writes scenario s's level names and named
// accounts (in account ID order, so the same plan makes the same file).
func insertScenarioSegments(ctx context.Context, tx *sql.Tx, s *planner.Scenario) error {
	if _, err := tx.ExecContext(ctx, `UPDATE scenario SET levels = ? WHERE id = ?`, encodeLevels(s.Levels), s.ID); err != nil {
		return fmt.Errorf("write the levels of scenario %q: %w", s.Name, err)
	}
	return writeNamed(ctx, tx, s.ID, s.NamedAccounts)
}

// writeNamed sets the named accounts of scenario sid from named (account
// ID → territory ID; territory 0 removes the account's override), in
// account ID order.
func writeNamed(ctx context.Context, tx *sql.Tx, sid int64, named map[int64]int64) error {
	ids := make([]int64, 0, len(named))
	for id := range named {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, aid := range ids {
		tid := named[aid]
		if tid == 0 {
			if _, err := tx.ExecContext(ctx, `DELETE FROM named_account WHERE scenario_id = ? AND account_id = ?`, sid, aid); err != nil {
				return fmt.Errorf("remove named account %d: %w", aid, err)
			}
			continue
		}
		var in int64
		err := tx.QueryRowContext(ctx, `SELECT scenario_id FROM territory WHERE id = ?`, tid).Scan(&in)
		if err == sql.ErrNoRows || (err == nil && in != sid) {
			return planner.Errorf(planner.ENOTFOUND, "Territory %d is not in scenario %d", tid, sid)
		}
		if err != nil {
			return fmt.Errorf("read territory %d: %w", tid, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO named_account (scenario_id, account_id, territory_id) VALUES (?, ?, ?)
			ON CONFLICT (scenario_id, account_id) DO UPDATE SET territory_id = excluded.territory_id`, sid, aid, tid); err != nil {
			return fmt.Errorf("name account %d: %w", aid, err)
		}
	}
	return nil
}

// SetSegmentsEdit returns the edit that replaces the plan's segments with
// segments, in order (planner.Plan.Segments): adding, changing, reordering
// or deleting a segment is one such edit, undone with the previous list.
//
// Errors (*planner.Error, nothing written): EINVALID for a non-positive or
// repeated ID, an empty or repeated name (case-insensitive), a rule that
// does not parse ([planner.ParseRule]) or a tiering that
// [planner.CheckTiering] refuses; ENOTFOUND when an overlay team names a
// rep the plan does not have.
func SetSegmentsEdit(segments []planner.Segment) Edit {
	segments = append([]planner.Segment(nil), segments...)
	return Edit{func(ctx context.Context, tx *sql.Tx) error {
		ids := map[int64]bool{}
		for i, g := range segments {
			switch {
			case g.ID <= 0 || ids[g.ID]:
				return planner.Errorf(planner.EINVALID, "Segment %q has a missing or duplicate ID %d", g.Name, g.ID)
			case strings.TrimSpace(g.Name) == "":
				return planner.Errorf(planner.EINVALID, "Segment %d has no name", g.ID)
			}
			for _, h := range segments[:i] {
				if planner.SameScenarioName(g.Name, h.Name) {
					return planner.Errorf(planner.EINVALID, "Two segments are called %q", g.Name)
				}
			}
			ids[g.ID] = true
			if _, err := planner.ParseRule(g.Rule); err != nil {
				return planner.Errorf(planner.EINVALID, "Segment %q: %s", g.Name, planner.ErrorMessage(err))
			}
			if err := planner.CheckTiering(g.Tiers); err != nil {
				return planner.Errorf(planner.EINVALID, "Segment %q: %s", g.Name, planner.ErrorMessage(err))
			}
			for _, id := range g.OverlayReps {
				var one int
				if err := tx.QueryRowContext(ctx, `SELECT 1 FROM rep WHERE id = ?`, id).Scan(&one); err == sql.ErrNoRows {
					return planner.Errorf(planner.ENOTFOUND, "Segment %q's overlay team names rep %d, which the plan does not have", g.Name, id)
				} else if err != nil {
					return fmt.Errorf("read rep %d: %w", id, err)
				}
			}
		}
		return writeSegments(ctx, tx, segments)
	}}
}

// SetNamedAccountsEdit returns the edit that changes named accounts of
// scenario scenarioID: changes maps an account ID to the territory that
// owns it whatever its geography, or to 0 to remove the override (see
// planner.Scenario.NamedAccounts). Undo it with the previous owners (0
// where there was none).
//
// Errors (*planner.Error, nothing written): ENOTFOUND when the scenario,
// an account or a territory of that scenario does not exist.
func SetNamedAccountsEdit(scenarioID int64, changes map[int64]int64) Edit {
	changes = maps.Clone(changes)
	return Edit{func(ctx context.Context, tx *sql.Tx) error {
		if _, err := scenarioName(ctx, tx, scenarioID); err != nil {
			return err
		}
		for aid, tid := range changes {
			if tid == 0 {
				continue
			}
			var one int
			if err := tx.QueryRowContext(ctx, `SELECT 1 FROM account WHERE id = ?`, aid).Scan(&one); err == sql.ErrNoRows {
				return planner.Errorf(planner.ENOTFOUND, "Account %d is not in the plan", aid)
			} else if err != nil {
				return fmt.Errorf("read account %d: %w", aid, err)
			}
		}
		return writeNamed(ctx, tx, scenarioID, changes)
	}}
}

// SetLevelsEdit returns the edit that sets scenario scenarioID's hierarchy
// level names (planner.Scenario.Levels; nil for the defaults). Errors
// (*planner.Error, nothing written): ENOTFOUND when the scenario does not
// exist; EINVALID for more than planner.MaxLevels names, one name, or an
// empty or repeated name.
func SetLevelsEdit(scenarioID int64, levels []string) Edit {
	levels = append([]string(nil), levels...)
	return Edit{func(ctx context.Context, tx *sql.Tx) error {
		name, err := scenarioName(ctx, tx, scenarioID)
		if err != nil {
			return err
		}
		if err := planner.CheckLevels(&planner.Scenario{ID: scenarioID, Name: name, Levels: levels}); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE scenario SET levels = ? WHERE id = ?`, encodeLevels(levels), scenarioID)
		return oneRow(res, err, "set hierarchy levels", "Scenario %d is not in the plan", scenarioID)
	}}
}

// RenameTerritoryEdit returns the edit that renames territory territoryID
// to name (surrounding spaces trimmed). Errors (*planner.Error, nothing
// written): EINVALID for an empty name; ECONFLICT when another territory
// of its scenario has that name; ENOTFOUND when the territory does not
// exist.
func RenameTerritoryEdit(territoryID int64, name string) Edit {
	name = strings.TrimSpace(name)
	return Edit{func(ctx context.Context, tx *sql.Tx) error {
		if name == "" {
			return planner.Errorf(planner.EINVALID, "A territory needs a name")
		}
		var taken int
		err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM territory o JOIN territory t ON o.scenario_id = t.scenario_id
			WHERE t.id = ? AND o.id <> t.id AND o.name = ?`, territoryID, name).Scan(&taken)
		if err != nil {
			return fmt.Errorf("check territory names: %w", err)
		}
		if taken > 0 {
			return planner.Errorf(planner.ECONFLICT, "Another territory is already called %q", name)
		}
		res, err := tx.ExecContext(ctx, `UPDATE territory SET name = ? WHERE id = ?`, name, territoryID)
		return oneRow(res, err, "rename territory", "Territory %d is not in the plan", territoryID)
	}}
}
