package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/meridianplan/meridian/planner"
)

// This file stores who covers territories (table territory_rep), the
// regions above them (table region), and the rep roster's single-rep edits;
// see migration 0009.

// loadCoverage reads the regions and the territories' reps, region and
// quota-override flag into p, whose scenarios and territories are loaded.
func loadCoverage(ctx context.Context, tx *sql.Tx, p *planner.Plan) error {
	scen := map[int64]*planner.Scenario{}
	terr := map[int64]*planner.Territory{}
	for i := range p.Scenarios {
		s := &p.Scenarios[i]
		scen[s.ID] = s
		for j := range s.Territories {
			terr[s.Territories[j].ID] = &s.Territories[j]
		}
	}
	if err := scanRows(ctx, tx, func(r *sql.Rows) error {
		var g planner.Region
		var scenario int64
		var parent sql.NullInt64
		if err := r.Scan(&g.ID, &scenario, &g.Name, &parent, &g.OverAssignPct); err != nil {
			return rowDamage("region", 0, err)
		}
		g.ParentID = parent.Int64
		s := scen[scenario]
		if s == nil {
			return damagef(nil, "region %d (%q) belongs to scenario %d, which the plan does not have", g.ID, g.Name, scenario)
		}
		s.Regions = append(s.Regions, g)
		return nil
	}, `SELECT id, scenario_id, name, parent_id, over_assign_pct FROM region ORDER BY scenario_id, ord, id`); err != nil {
		return asDamage(err, "the region table cannot be read")
	}
	if err := scanRows(ctx, tx, func(r *sql.Rows) error {
		var id int64
		var region sql.NullInt64
		var override bool
		if err := r.Scan(&id, &region, &override); err != nil {
			return rowDamage("territory", 0, err)
		}
		if t := terr[id]; t != nil {
			t.RegionID, t.QuotaOverride = region.Int64, override
		}
		return nil
	}, `SELECT id, region_id, quota_override FROM territory WHERE region_id IS NOT NULL OR quota_override <> 0`); err != nil {
		return asDamage(err, "the territory table cannot be read")
	}
	return scanRows(ctx, tx, func(r *sql.Rows) error {
		var id int64
		var rep sql.NullInt64
		var a planner.Assignment
		var start string
		if err := r.Scan(&id, &rep, &a.Share, &start); err != nil {
			return rowDamage("territory_rep", 0, err)
		}
		t := terr[id]
		if t == nil {
			return damagef(nil, "reps are assigned to territory %d, which the plan does not have", id)
		}
		a.RepID = rep.Int64
		if start != "" {
			d, err := time.Parse(time.DateOnly, start)
			if err != nil {
				return damagef(err, "a vacancy of territory %q has an unreadable planned start %q", t.Name, start)
			}
			a.PlannedStart = d
		}
		t.Reps = append(t.Reps, a)
		return nil
	}, `SELECT territory_id, rep_id, share, planned_start FROM territory_rep ORDER BY territory_id, ord`)
}

// asDamage keeps a *planner.Error as it is and reports any other error as
// damage described by what.
func asDamage(err error, what string) error {
	var pe *planner.Error
	if errors.As(err, &pe) {
		return err
	}
	return damagef(err, "%s", what)
}

// insertRegions writes scenario s's regions, parents before children
// whatever their order in s.Regions (the parent_id foreign key).
func insertRegions(ctx context.Context, tx *sql.Tx, s *planner.Scenario) error {
	for i, g := range s.Regions {
		if _, err := tx.ExecContext(ctx, `INSERT INTO region (id, scenario_id, ord, name, parent_id, over_assign_pct) VALUES (?, ?, ?, ?, NULL, ?)`,
			g.ID, s.ID, i, g.Name, g.OverAssignPct); err != nil {
			if strings.Contains(err.Error(), "UNIQUE") {
				return planner.Errorf(planner.ECONFLICT, "Region ID %d or name %q is taken", g.ID, g.Name)
			}
			return fmt.Errorf("insert region %d: %w", g.ID, err)
		}
	}
	for _, g := range s.Regions {
		if g.ParentID == 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE region SET parent_id = ? WHERE scenario_id = ? AND id = ?`, g.ParentID, s.ID, g.ID); err != nil {
			return fmt.Errorf("set the parent of region %d: %w", g.ID, err)
		}
	}
	return nil
}

// insertTerritoryCoverage writes territory t's region, override flag and
// reps; the territory row exists.
func insertTerritoryCoverage(ctx context.Context, tx *sql.Tx, t *planner.Territory) error {
	if t.RegionID != 0 || t.QuotaOverride {
		if _, err := tx.ExecContext(ctx, `UPDATE territory SET region_id = ?, quota_override = ? WHERE id = ?`,
			nullID(t.RegionID), t.QuotaOverride, t.ID); err != nil {
			return fmt.Errorf("set the region of territory %d: %w", t.ID, err)
		}
	}
	return writeTerritoryReps(ctx, tx, t.ID, t.Reps)
}

// writeTerritoryReps replaces the rows of territory id in territory_rep.
func writeTerritoryReps(ctx context.Context, tx *sql.Tx, id int64, reps []planner.Assignment) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM territory_rep WHERE territory_id = ?`, id); err != nil {
		return fmt.Errorf("clear the reps of territory %d: %w", id, err)
	}
	for k, a := range reps {
		start := ""
		if !a.PlannedStart.IsZero() {
			start = a.PlannedStart.UTC().Format(time.DateOnly)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO territory_rep (territory_id, ord, rep_id, share, planned_start) VALUES (?, ?, ?, ?, ?)`,
			id, k, nullID(a.RepID), a.Share, start); err != nil {
			return fmt.Errorf("assign reps to territory %d: %w", id, err)
		}
	}
	return nil
}

// checkAssignments checks a territory's reps the way planner.Plan.Validate
// does, with the reps that exist in the file.
func checkAssignments(ctx context.Context, tx *sql.Tx, name string, reps []planner.Assignment) error {
	seen := map[int64]bool{}
	sum := 0.0
	for _, a := range reps {
		if a.RepID != 0 {
			var one int
			err := tx.QueryRowContext(ctx, `SELECT 1 FROM rep WHERE id = ?`, a.RepID).Scan(&one)
			if errors.Is(err, sql.ErrNoRows) {
				return planner.Errorf(planner.ENOTFOUND, "Rep %d is not in the plan", a.RepID)
			} else if err != nil {
				return fmt.Errorf("find rep: %w", err)
			}
			if seen[a.RepID] {
				return planner.Errorf(planner.EINVALID, "Territory %q lists rep %d twice", name, a.RepID)
			}
			seen[a.RepID] = true
			if !a.PlannedStart.IsZero() {
				return planner.Errorf(planner.EINVALID, "Territory %q gives rep %d a planned start; only a vacancy has one", name, a.RepID)
			}
		}
		if !(a.Share > 0) || a.Share > 100 {
			return planner.Errorf(planner.EINVALID, "Territory %q has a share of %g%%; a share is more than 0%% and at most 100%%", name, a.Share)
		}
		sum += a.Share
	}
	if len(reps) > 0 && math.Abs(sum-100) > 1e-6 {
		return planner.Errorf(planner.EINVALID, "The shares of territory %q add up to %g%%, not 100%%", name, sum)
	}
	return nil
}

// SetTerritoryRepsEdit returns the edit that replaces who covers territory
// territoryID (see planner.Territory.Reps): reps with shares summing to
// 100, vacancies (RepID 0) with an optional planned start, or nil for
// nobody. Undo it with the territory's previous Reps.
//
// Errors (*planner.Error): ENOTFOUND when the territory or a rep does not
// exist; EINVALID for a share outside (0, 100], shares that do not sum to
// 100, a rep listed twice or a planned start on a named rep. Nothing is
// written when it fails.
func SetTerritoryRepsEdit(territoryID int64, reps []planner.Assignment) Edit {
	reps = append([]planner.Assignment(nil), reps...)
	return Edit{func(ctx context.Context, tx *sql.Tx) error {
		var name string
		err := tx.QueryRowContext(ctx, `SELECT name FROM territory WHERE id = ?`, territoryID).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return planner.Errorf(planner.ENOTFOUND, "Territory %d is not in the plan", territoryID)
		} else if err != nil {
			return fmt.Errorf("find territory: %w", err)
		}
		if err := checkAssignments(ctx, tx, name, reps); err != nil {
			return err
		}
		return writeTerritoryReps(ctx, tx, territoryID, reps)
	}}
}

// SetRegionsEdit returns the edit that replaces scenario scenarioID's
// regions with regions (see planner.Scenario.Regions) and sets each of its
// territories' region from membership (territory ID → region ID; a
// territory missing from it is in no region). Undo it with the previous
// regions and membership.
//
// Errors (*planner.Error): ENOTFOUND when the scenario does not exist or
// membership names a territory of another scenario or a region not in
// regions; EINVALID for an empty name, a non-positive ID, an unknown
// parent, a loop or an over-assignment of -100% or less; ECONFLICT for a
// duplicate ID or name. Nothing is written when it fails.
func SetRegionsEdit(scenarioID int64, regions []planner.Region, membership map[int64]int64) Edit {
	regions = append([]planner.Region(nil), regions...)
	return Edit{func(ctx context.Context, tx *sql.Tx) error {
		name, err := scenarioName(ctx, tx, scenarioID)
		if err != nil {
			return err
		}
		s := &planner.Scenario{ID: scenarioID, Name: name, Regions: regions}
		known := map[int64]bool{}
		for _, g := range regions {
			if g.ID <= 0 || strings.TrimSpace(g.Name) == "" {
				return planner.Errorf(planner.EINVALID, "Region %q needs an ID and a name", g.Name)
			}
			if known[g.ID] {
				return planner.Errorf(planner.ECONFLICT, "Region ID %d is taken", g.ID)
			}
			known[g.ID] = true
		}
		if err := planner.CheckRegions(s); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE territory SET region_id = NULL WHERE scenario_id = ?`, scenarioID); err != nil {
			return fmt.Errorf("clear regions: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM region WHERE scenario_id = ?`, scenarioID); err != nil {
			return fmt.Errorf("clear regions: %w", err)
		}
		if err := insertRegions(ctx, tx, s); err != nil {
			return err
		}
		ids := make([]int64, 0, len(membership))
		for id := range membership {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		for _, id := range ids {
			rid := membership[id]
			if rid != 0 && !known[rid] {
				return planner.Errorf(planner.ENOTFOUND, "Region %d is not in scenario %q", rid, name)
			}
			res, err := tx.ExecContext(ctx, `UPDATE territory SET region_id = ? WHERE id = ? AND scenario_id = ?`,
				nullID(rid), id, scenarioID)
			if err := oneRow(res, err, "set a territory's region", "Territory %d is not in scenario %q", id, name); err != nil {
				return err
			}
		}
		return nil
	}}
}

// PutRepEdit returns the edit that adds rep r to the roster, or replaces
// the rep with r's ID (planner.Rep; r.ID > 0). A new rep goes last. Undo
// an add with [DeleteRepEdit] and a change with PutRepEdit of the old rep.
//
// Errors (*planner.Error): EINVALID for a non-positive ID, an empty name or
// values that planner.Plan.Validate refuses (home base, capacity, cost).
// Nothing is written when it fails.
func PutRepEdit(r planner.Rep) Edit {
	return Edit{func(ctx context.Context, tx *sql.Tx) error {
		if r.ID <= 0 || strings.TrimSpace(r.Name) == "" {
			return planner.Errorf(planner.EINVALID, "A rep needs a name")
		}
		if err := planner.CheckRep(&r); err != nil {
			return err
		}
		var lon, lat sql.NullFloat64
		if r.HasHome {
			lon, lat = sql.NullFloat64{Float64: r.HomeBase.Lon(), Valid: true}, sql.NullFloat64{Float64: r.HomeBase.Lat(), Valid: true}
		}
		start := ""
		if !r.Start.IsZero() {
			start = r.Start.UTC().Format(time.DateOnly)
		}
		res, err := tx.ExecContext(ctx, `
			UPDATE rep SET name = ?, email = ?, role = ?, manager = ?, home_lon = ?, home_lat = ?, home_zip = ?,
			       start = ?, capacity_hours = ?, annual_cost = ? WHERE id = ?`,
			r.Name, r.Email, r.Role, r.Manager, lon, lat, r.HomeZIP, start, r.CapacityHours, r.AnnualCost, r.ID)
		if err != nil {
			return fmt.Errorf("update rep: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO rep (id, ord, name, email, role, manager, home_lon, home_lat, home_zip, start, capacity_hours, annual_cost)
			VALUES (?, (SELECT coalesce(max(ord), -1) + 1 FROM rep), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ID, r.Name, r.Email, r.Role, r.Manager, lon, lat, r.HomeZIP, start, r.CapacityHours, r.AnnualCost); err != nil {
			return fmt.Errorf("insert rep: %w", err)
		}
		return nil
	}}
}

// DeleteRepEdit returns the edit that removes rep id from the roster; the
// territory lines it covered become vacancies (TBH) with the same shares.
// Undo it with [PutRepEdit] of the rep and [SetTerritoryRepsEdit] of each
// territory it covered. It returns ENOTFOUND (*planner.Error) when the rep
// does not exist.
func DeleteRepEdit(id int64) Edit {
	return Edit{func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM rep WHERE id = ?`, id)
		return oneRow(res, err, "delete rep", "Rep %d is not in the plan", id)
	}}
}
