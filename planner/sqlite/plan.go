package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/meridianplan/meridian/planner"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// bordersOverlay is the overlay row that holds Plan.Borders.
const bordersOverlay = "borders"

// Load reads the whole plan and validates it with planner.Plan.Validate.
// Units, accounts, reps, scenarios and territories come back in the order in
// which [DB.Replace] wrote them. Each scenario's Alignment is a non-nil map;
// slices with no element are nil. Created is in UTC.
//
// Load returns a *planner.Error with code planner.ENOTFOUND when the file
// holds no plan yet (a new file), and planner.EINVALID when the stored plan
// is damaged (an unreadable geometry, or a plan that fails Validate).
func (db *DB) Load(ctx context.Context) (*planner.Plan, error) {
	if db.db == nil {
		return nil, errClosed
	}
	// A read transaction, so that the plan is one consistent snapshot even
	// if another process writes meanwhile.
	tx, err := db.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()

	p, err := db.loadPlan(ctx, tx)
	if err != nil {
		return nil, err
	}
	if err := loadUnits(ctx, tx, p); err != nil {
		return nil, db.damaged(err)
	}
	if err := loadBorders(ctx, tx, p); err != nil {
		return nil, db.damaged(err)
	}
	if err := loadReps(ctx, tx, p); err != nil {
		return nil, err
	}
	if err := loadAccounts(ctx, tx, p); err != nil {
		return nil, err
	}
	if err := loadScenarios(ctx, tx, p); err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, db.damaged(err)
	}
	return p, nil
}

// damaged turns a geometry or validation error into a user-facing EINVALID
// error that names the file; other errors pass through.
func (db *DB) damaged(err error) error {
	var perr *planner.Error
	var gerr *geometryError
	switch {
	case errors.As(err, &perr):
		return &planner.Error{Code: planner.EINVALID, Message: fmt.Sprintf("The plan in %s is damaged: %s", db.Path, perr.Message), Err: err}
	case errors.As(err, &gerr):
		return &planner.Error{Code: planner.EINVALID, Message: fmt.Sprintf("The plan in %s is damaged: %s", db.Path, gerr.what), Err: err}
	}
	return err
}

// geometryError reports a WKB value that does not decode.
type geometryError struct {
	what string // e.g. `geography unit "01001" has an unreadable geometry`
	err  error
}

func (e *geometryError) Error() string { return e.what + ": " + e.err.Error() }
func (e *geometryError) Unwrap() error { return e.err }

func (db *DB) loadPlan(ctx context.Context, tx *sql.Tx) (*planner.Plan, error) {
	var p planner.Plan
	var created string
	var active sql.NullInt64
	err := tx.QueryRowContext(ctx, `
		SELECT name, description, created, attribution, unit_level, parent_level,
		       potential_name, active_scenario_id
		FROM plan WHERE id = 1`).Scan(
		&p.Name, &p.Description, &created, &p.Attribution, &p.UnitLevel, &p.ParentLevel,
		&p.PotentialName, &active)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, planner.Errorf(planner.ENOTFOUND, "%s holds no plan yet", db.Path)
	} else if err != nil {
		return nil, fmt.Errorf("load plan: %w", err)
	}
	if p.Created, err = parseTime(created); err != nil {
		return nil, db.damaged(planner.Errorf(planner.EINVALID, "the creation time %q is not a valid time", created))
	}
	p.ActiveScenario = active.Int64
	return &p, nil
}

func loadUnits(ctx context.Context, tx *sql.Tx, p *planner.Plan) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM unit`).Scan(&n); err != nil {
		return fmt.Errorf("count units: %w", err)
	}
	if n == 0 {
		return nil
	}
	p.Units = make([]planner.GeographyUnit, 0, n)
	rows, err := tx.QueryContext(ctx, `
		SELECT code, name, parent_code, parent_name, population, geometry
		FROM unit ORDER BY ord`)
	if err != nil {
		return fmt.Errorf("load units: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var u planner.GeographyUnit
		var pop sql.NullFloat64
		if err := rows.Scan(&u.Code, &u.Name, &u.ParentCode, &u.ParentName, &pop, wkb.Scanner(&u.Geometry)); err != nil {
			if u.Code != "" {
				return &geometryError{what: fmt.Sprintf("geography unit %q has an unreadable geometry", u.Code), err: err}
			}
			return fmt.Errorf("load units: %w", err)
		}
		u.Population = measure(pop)
		p.Units = append(p.Units, u)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load units: %w", err)
	}
	return nil
}

func loadBorders(ctx context.Context, tx *sql.Tx, p *planner.Plan) error {
	err := tx.QueryRowContext(ctx, `SELECT geometry FROM overlay WHERE name = ?`, bordersOverlay).
		Scan(wkb.Scanner(&p.Borders))
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return &geometryError{what: "the borders have an unreadable geometry", err: err}
	}
	return nil
}

func loadReps(ctx context.Context, tx *sql.Tx, p *planner.Plan) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, name, email FROM rep ORDER BY ord`)
	if err != nil {
		return fmt.Errorf("load reps: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r planner.Rep
		if err := rows.Scan(&r.ID, &r.Name, &r.Email); err != nil {
			return fmt.Errorf("load reps: %w", err)
		}
		p.Reps = append(p.Reps, r)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load reps: %w", err)
	}
	return nil
}

func loadAccounts(ctx context.Context, tx *sql.Tx, p *planner.Plan) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM account`).Scan(&n); err != nil {
		return fmt.Errorf("count accounts: %w", err)
	}
	if n == 0 {
		return nil
	}
	p.Accounts = make([]planner.Account, 0, n)
	rows, err := tx.QueryContext(ctx, `
		SELECT id, external_id, name, address, city, state, zip, lon, lat,
		       segment, owner, potential, unit_code, placement
		FROM account ORDER BY ord`)
	if err != nil {
		return fmt.Errorf("load accounts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a planner.Account
		var lon, lat, potential sql.NullFloat64
		var unit sql.NullString
		if err := rows.Scan(&a.ID, &a.ExternalID, &a.Name, &a.Address, &a.City, &a.State, &a.ZIP,
			&lon, &lat, &a.Segment, &a.Owner, &potential, &unit, &a.Placement); err != nil {
			return fmt.Errorf("load accounts: %w", err)
		}
		if lon.Valid && lat.Valid {
			a.Location, a.HasLocation = orb.Point{lon.Float64, lat.Float64}, true
		}
		a.Potential = measure(potential)
		a.UnitCode = unit.String
		p.Accounts = append(p.Accounts, a)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load accounts: %w", err)
	}
	return nil
}

func loadScenarios(ctx context.Context, tx *sql.Tx, p *planner.Plan) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, name FROM scenario ORDER BY ord`)
	if err != nil {
		return fmt.Errorf("load scenarios: %w", err)
	}
	defer rows.Close()
	index := map[int64]int{} // scenario ID -> index in p.Scenarios
	for rows.Next() {
		var s planner.Scenario
		if err := rows.Scan(&s.ID, &s.Name); err != nil {
			return fmt.Errorf("load scenarios: %w", err)
		}
		s.Alignment = map[string]int64{}
		index[s.ID] = len(p.Scenarios)
		p.Scenarios = append(p.Scenarios, s)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load scenarios: %w", err)
	}
	rows.Close()

	rows, err = tx.QueryContext(ctx, `
		SELECT id, scenario_id, name, color, rep_id FROM territory ORDER BY ord, id`)
	if err != nil {
		return fmt.Errorf("load territories: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t planner.Territory
		var scenario int64
		var rep sql.NullInt64
		if err := rows.Scan(&t.ID, &scenario, &t.Name, &t.Color, &rep); err != nil {
			return fmt.Errorf("load territories: %w", err)
		}
		t.RepID = rep.Int64
		s := &p.Scenarios[index[scenario]] // the foreign key guarantees the scenario
		s.Territories = append(s.Territories, t)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load territories: %w", err)
	}
	rows.Close()

	rows, err = tx.QueryContext(ctx, `SELECT scenario_id, unit_code, territory_id FROM assignment`)
	if err != nil {
		return fmt.Errorf("load assignments: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var scenario, territory int64
		var code string
		if err := rows.Scan(&scenario, &code, &territory); err != nil {
			return fmt.Errorf("load assignments: %w", err)
		}
		p.Scenarios[index[scenario]].Alignment[code] = territory
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load assignments: %w", err)
	}
	return nil
}

// measure converts a nullable REAL into a planner.Measure.
func measure(v sql.NullFloat64) planner.Measure {
	if !v.Valid {
		return planner.Unknown
	}
	return planner.Known(v.Float64)
}

// nullMeasure converts a Measure into a value for a nullable REAL column.
func nullMeasure(m planner.Measure) any {
	if !m.Known {
		return nil
	}
	return m.Value
}

// nullString maps "" to NULL.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nullID maps 0 to NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Replace writes the whole plan p in one transaction, replacing whatever the
// file held: on any error the file keeps its previous content. It is how a
// plan is created, e.g. from the sample or an import.
//
// p is validated first: Replace returns the *planner.Error (EINVALID) of
// planner.Plan.Validate, or EINVALID when p.ActiveScenario is neither 0 nor
// the ID of one of its scenarios. Values that the planner types call
// meaningless are not stored: Measure.Value when not Known, Location when not
// HasLocation. An empty geometry is stored as NULL and loads as nil. Created
// is stored in UTC; the plan's modification time is set to db.Now().
func (db *DB) Replace(ctx context.Context, p *planner.Plan) error {
	if p == nil {
		return planner.Errorf(planner.EINVALID, "There is no plan to write")
	}
	if err := p.Validate(); err != nil {
		return err
	}
	if p.ActiveScenario != 0 && p.Scenario(p.ActiveScenario) == nil {
		return planner.Errorf(planner.EINVALID, "The active scenario %d is not in the plan", p.ActiveScenario)
	}
	return db.update(ctx, func(tx *sql.Tx) error {
		// Children first, so that no foreign key check has rows to look at.
		for _, table := range []string{"plan", "assignment", "territory", "scenario", "account", "rep", "overlay", "unit"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table); err != nil {
				return fmt.Errorf("clear %s: %w", table, err)
			}
		}
		if err := insertUnits(ctx, tx, p); err != nil {
			return err
		}
		if len(p.Borders) > 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO overlay (name, geometry) VALUES (?, ?)`,
				bordersOverlay, wkb.Value(p.Borders)); err != nil {
				return fmt.Errorf("insert borders: %w", err)
			}
		}
		if err := insertReps(ctx, tx, p); err != nil {
			return err
		}
		if err := insertAccounts(ctx, tx, p); err != nil {
			return err
		}
		if err := insertScenarios(ctx, tx, p); err != nil {
			return err
		}
		// modified is stamped by update.
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO plan (id, name, description, created, modified, attribution,
			                  unit_level, parent_level, potential_name, active_scenario_id)
			VALUES (1, ?, ?, ?, '', ?, ?, ?, ?, ?)`,
			p.Name, p.Description, formatTime(p.Created), p.Attribution,
			p.UnitLevel, p.ParentLevel, p.PotentialName, nullID(p.ActiveScenario)); err != nil {
			return fmt.Errorf("insert plan: %w", err)
		}
		return nil
	})
}

func insertUnits(ctx context.Context, tx *sql.Tx, p *planner.Plan) error {
	stmt, err := tx.PrepareContext(ctx, `
		INSERT INTO unit (code, ord, name, parent_code, parent_name, population, geometry)
		VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("prepare unit insert: %w", err)
	}
	defer stmt.Close()
	for i := range p.Units {
		u := &p.Units[i]
		var geom any
		if len(u.Geometry) > 0 {
			geom = wkb.Value(u.Geometry)
		}
		if _, err := stmt.ExecContext(ctx, u.Code, i, u.Name, u.ParentCode, u.ParentName,
			nullMeasure(u.Population), geom); err != nil {
			return fmt.Errorf("insert unit %q: %w", u.Code, err)
		}
	}
	return nil
}

func insertReps(ctx context.Context, tx *sql.Tx, p *planner.Plan) error {
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO rep (id, ord, name, email) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("prepare rep insert: %w", err)
	}
	defer stmt.Close()
	for i, r := range p.Reps {
		if _, err := stmt.ExecContext(ctx, r.ID, i, r.Name, r.Email); err != nil {
			return fmt.Errorf("insert rep %d: %w", r.ID, err)
		}
	}
	return nil
}

func insertAccounts(ctx context.Context, tx *sql.Tx, p *planner.Plan) error {
	stmt, err := tx.PrepareContext(ctx, `
		INSERT INTO account (id, ord, external_id, name, address, city, state, zip, lon, lat,
		                     segment, owner, potential, unit_code, placement)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("prepare account insert: %w", err)
	}
	defer stmt.Close()
	for i := range p.Accounts {
		a := &p.Accounts[i]
		var lon, lat any
		if a.HasLocation {
			lon, lat = a.Location[0], a.Location[1]
		}
		if _, err := stmt.ExecContext(ctx, a.ID, i, a.ExternalID, a.Name, a.Address, a.City, a.State, a.ZIP,
			lon, lat, a.Segment, a.Owner, nullMeasure(a.Potential), nullString(a.UnitCode), int64(a.Placement)); err != nil {
			return fmt.Errorf("insert account %d: %w", a.ID, err)
		}
	}
	return nil
}

func insertScenarios(ctx context.Context, tx *sql.Tx, p *planner.Plan) error {
	scen, err := tx.PrepareContext(ctx, `INSERT INTO scenario (id, ord, name) VALUES (?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("prepare scenario insert: %w", err)
	}
	defer scen.Close()
	terr, err := tx.PrepareContext(ctx, `
		INSERT INTO territory (id, scenario_id, ord, name, color, rep_id) VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("prepare territory insert: %w", err)
	}
	defer terr.Close()
	assign, err := tx.PrepareContext(ctx, `
		INSERT INTO assignment (scenario_id, unit_code, territory_id) VALUES (?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("prepare assignment insert: %w", err)
	}
	defer assign.Close()

	for i := range p.Scenarios {
		s := &p.Scenarios[i]
		if _, err := scen.ExecContext(ctx, s.ID, i, s.Name); err != nil {
			return fmt.Errorf("insert scenario %d: %w", s.ID, err)
		}
		for j, t := range s.Territories {
			if _, err := terr.ExecContext(ctx, t.ID, s.ID, j, t.Name, t.Color, nullID(t.RepID)); err != nil {
				return fmt.Errorf("insert territory %d: %w", t.ID, err)
			}
		}
		if len(s.Alignment) == 0 {
			continue
		}
		// In unit order rather than map order, so that the same plan
		// always makes the same file.
		for k := range p.Units {
			code := p.Units[k].Code
			tid, ok := s.Alignment[code]
			if !ok {
				continue
			}
			if _, err := assign.ExecContext(ctx, s.ID, code, tid); err != nil {
				return fmt.Errorf("insert assignment of unit %q in scenario %d: %w", code, s.ID, err)
			}
		}
	}
	return nil
}
