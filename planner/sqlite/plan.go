package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/meridianplan/meridian/planner"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// bordersOverlay is the overlay row that holds Plan.Borders.
const bordersOverlay = "borders"

// tables are the tables that a plan file of the current schema has.
var tables = []string{"plan", "unit", "overlay", "rep", "account", "scenario", "territory", "assignment", "region", "territory_rep", "segment", "named_account"}

// Load reads the whole plan and validates it with planner.Plan.Validate.
// Units, accounts, reps, scenarios and territories come back in the order in
// which [DB.Replace] wrote them. Each scenario's Alignment is a non-nil map;
// slices with no element are nil. Created is in UTC.
//
// Load returns a *planner.Error with code
//   - planner.ENOTFOUND "<path> holds no plan yet" when the file holds no
//     plan yet (a new file: no table, or empty tables);
//   - planner.EINVALID "The plan in <path> is damaged: <what>" when the
//     stored rows do not make a valid plan: a missing table or plan row, a
//     NULL or a value of the wrong type where Load expects another, an
//     unreadable geometry (WKB), a territory or an alignment in a scenario
//     that does not exist, a duplicate alignment, or any failure of
//     planner.Plan.Validate (an account in a missing unit, an alignment to a
//     missing territory or unit, ...);
//   - planner.EINVALID "<path> is damaged and cannot be read" when SQLite
//     finds the file corrupt;
//   - planner.EIO when the file cannot be read.
//
// Load never panics, whatever the file holds. When ctx ends, Load returns
// an error that wraps ctx.Err() (or SQLite's "interrupted").
func (db *DB) Load(ctx context.Context) (*planner.Plan, error) {
	var p *planner.Plan
	err := db.reading(func() error {
		// A read transaction, so that the plan is one consistent snapshot
		// even if another process writes meanwhile.
		tx, err := db.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			return fmt.Errorf("begin: %w", err)
		}
		defer tx.Rollback()
		p, err = db.load(ctx, tx)
		return err
	})
	if err != nil {
		return nil, readError(ctx, db.Path, err)
	}
	return p, nil
}

func (db *DB) load(ctx context.Context, tx *sql.Tx) (*planner.Plan, error) {
	if err := db.checkTables(ctx, tx); err != nil {
		return nil, err
	}
	p, err := db.loadPlan(ctx, tx)
	if err != nil {
		return nil, err
	}
	if err := loadUnits(ctx, tx, p); err != nil {
		return nil, err
	}
	if err := loadBorders(ctx, tx, p); err != nil {
		return nil, err
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
	if err := loadCoverage(ctx, tx, p); err != nil {
		return nil, err
	}
	if err := loadSegments(ctx, tx, p); err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, &damage{what: planner.ErrorMessage(err), err: err}
	}
	return p, nil
}

// checkTables returns ENOTFOUND when the file has no table at all, and a
// damage when one of the plan's tables is missing.
func (db *DB) checkTables(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT name FROM sqlite_schema WHERE type = 'table'`)
	if err != nil {
		return fmt.Errorf("read schema: %w", err)
	}
	defer rows.Close()
	have := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return fmt.Errorf("read schema: %w", err)
		}
		have[name] = true
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read schema: %w", err)
	}
	if len(have) == 0 {
		return noPlanYet(db.Path)
	}
	for _, t := range tables {
		if !have[t] {
			return damagef(nil, "the %s table is missing", t)
		}
	}
	return nil
}

func (db *DB) loadPlan(ctx context.Context, tx *sql.Tx) (*planner.Plan, error) {
	var p planner.Plan
	var created string
	var active sql.NullInt64
	var fields string
	var workload, quota sql.NullString
	err := tx.QueryRowContext(ctx, `
		SELECT name, description, created, attribution, unit_level, parent_level,
		       potential_name, active_scenario_id, custom_fields, workload, quota_settings
		FROM plan WHERE id = 1`).Scan(
		&p.Name, &p.Description, &created, &p.Attribution, &p.UnitLevel, &p.ParentLevel,
		&p.PotentialName, &active, &fields, &workload, &quota)
	if errors.Is(err, sql.ErrNoRows) {
		// Replace writes the plan row with the rest in one transaction: a
		// file with rows but no plan row is damaged, not new.
		var rows bool
		if err := tx.QueryRowContext(ctx, `
			SELECT EXISTS (SELECT 1 FROM unit) OR EXISTS (SELECT 1 FROM scenario)
			    OR EXISTS (SELECT 1 FROM account) OR EXISTS (SELECT 1 FROM rep)
			    OR EXISTS (SELECT 1 FROM territory) OR EXISTS (SELECT 1 FROM assignment)
			    OR EXISTS (SELECT 1 FROM overlay)`).Scan(&rows); err != nil {
			return nil, damagef(err, "the plan's tables cannot be read")
		}
		if rows {
			return nil, damagef(nil, "the plan's name and details (the row of the plan table) are missing")
		}
		return nil, noPlanYet(db.Path)
	} else if err != nil {
		if sqliteCode(err) != 0 {
			return nil, damagef(err, "the plan table cannot be read")
		}
		return nil, rowDamage("plan", 1, err)
	}
	if p.Created, err = parseTime(created); err != nil {
		return nil, damagef(err, "the creation time %q is not a valid time", created)
	}
	p.ActiveScenario = active.Int64
	if p.CustomFields, err = decodeCustomFields(fields); err != nil {
		return nil, damagef(err, "the list of custom fields is not readable")
	}
	if p.Workload, err = decodeWorkload(workload); err != nil {
		return nil, damagef(err, "the workload model is not readable")
	}
	if p.Quota, err = decodeQuotaSettings(quota); err != nil {
		return nil, damagef(err, "the quota settings are not readable")
	}
	return &p, nil
}

// decodeWKB decodes the WKB value b into g, a pointer to an orb geometry;
// NULL (nil) leaves g nil. Stored geometry is untrusted input: a panic of
// the decoder, should a damaged value cause one, becomes an error.
func decodeWKB(b []byte, g any) (err error) {
	if b == nil {
		return nil
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("invalid WKB: %v", r)
		}
	}()
	return wkb.Scanner(g).Scan(b)
}

func loadUnits(ctx context.Context, tx *sql.Tx, p *planner.Plan) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM unit`).Scan(&n); err != nil {
		return damagef(err, "the unit table cannot be read")
	}
	if n == 0 {
		return nil
	}
	p.Units = make([]planner.GeographyUnit, 0, n)
	rows, err := tx.QueryContext(ctx, `
		SELECT code, name, parent_code, parent_name, population, geometry
		FROM unit ORDER BY ord`)
	if err != nil {
		return damagef(err, "the unit table cannot be read")
	}
	defer rows.Close()
	for rows.Next() {
		var u planner.GeographyUnit
		var pop sql.NullFloat64
		var geom sql.RawBytes // valid until Next: decoded at once
		if err := rows.Scan(&u.Code, &u.Name, &u.ParentCode, &u.ParentName, &pop, &geom); err != nil {
			return rowDamage("unit", len(p.Units)+1, err)
		}
		if err := decodeWKB(geom, &u.Geometry); err != nil {
			return damagef(err, "geography unit %q has an unreadable geometry", u.Code)
		}
		u.Population = measure(pop)
		p.Units = append(p.Units, u)
	}
	if err := rows.Err(); err != nil {
		return damagef(err, "the unit table cannot be read")
	}
	return nil
}

func loadBorders(ctx context.Context, tx *sql.Tx, p *planner.Plan) error {
	var geom []byte
	err := tx.QueryRowContext(ctx, `SELECT geometry FROM overlay WHERE name = ?`, bordersOverlay).Scan(&geom)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return damagef(err, "the borders cannot be read")
	}
	if err := decodeWKB(geom, &p.Borders); err != nil {
		return damagef(err, "the borders have an unreadable geometry")
	}
	return nil
}

func loadReps(ctx context.Context, tx *sql.Tx, p *planner.Plan) error {
	rows, err := tx.QueryContext(ctx, `
		SELECT id, name, email, role, manager, home_lon, home_lat, home_zip, start, capacity_hours, annual_cost
		FROM rep ORDER BY ord`)
	if err != nil {
		return damagef(err, "the rep table cannot be read")
	}
	defer rows.Close()
	for rows.Next() {
		var r planner.Rep
		var lon, lat sql.NullFloat64
		var start string
		if err := rows.Scan(&r.ID, &r.Name, &r.Email, &r.Role, &r.Manager, &lon, &lat, &r.HomeZIP, &start, &r.CapacityHours, &r.AnnualCost); err != nil {
			return rowDamage("rep", len(p.Reps)+1, err)
		}
		if lon.Valid != lat.Valid {
			return damagef(nil, "rep %q has half a home base", r.Name)
		}
		if lon.Valid {
			r.HomeBase, r.HasHome = orb.Point{lon.Float64, lat.Float64}, true
		}
		if start != "" {
			t, err := time.Parse(time.DateOnly, start)
			if err != nil {
				return damagef(err, "rep %q has an unreadable start date %q", r.Name, start)
			}
			r.Start = t
		}
		p.Reps = append(p.Reps, r)
	}
	if err := rows.Err(); err != nil {
		return damagef(err, "the rep table cannot be read")
	}
	return nil
}

func loadAccounts(ctx context.Context, tx *sql.Tx, p *planner.Plan) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM account`).Scan(&n); err != nil {
		return damagef(err, "the account table cannot be read")
	}
	if n == 0 {
		return nil
	}
	p.Accounts = make([]planner.Account, 0, n)
	rows, err := tx.QueryContext(ctx, `
		SELECT id, external_id, name, address, city, state, zip, lon, lat,
		       segment, owner, potential, unit_code, placement, fields, match
		FROM account ORDER BY ord`)
	if err != nil {
		return damagef(err, "the account table cannot be read")
	}
	defer rows.Close()
	for rows.Next() {
		var a planner.Account
		var lon, lat, potential sql.NullFloat64
		var unit sql.NullString
		var fields sql.RawBytes // valid until Next: decoded at once
		if err := rows.Scan(&a.ID, &a.ExternalID, &a.Name, &a.Address, &a.City, &a.State, &a.ZIP,
			&lon, &lat, &a.Segment, &a.Owner, &potential, &unit, &a.Placement, &fields, &a.Match); err != nil {
			return rowDamage("account", len(p.Accounts)+1, err)
		}
		if fields != nil {
			if a.Fields, err = decodeFields(fields); err != nil {
				return damagef(err, "account %d (%q) has unreadable custom field values", a.ID, a.Name)
			}
		}
		if lon.Valid != lat.Valid {
			return damagef(nil, "account %d (%q) has half a location", a.ID, a.Name)
		}
		if lon.Valid {
			a.Location, a.HasLocation = orb.Point{lon.Float64, lat.Float64}, true
		}
		a.Potential = measure(potential)
		a.UnitCode = unit.String
		p.Accounts = append(p.Accounts, a)
	}
	if err := rows.Err(); err != nil {
		return damagef(err, "the account table cannot be read")
	}
	return nil
}

func loadScenarios(ctx context.Context, tx *sql.Tx, p *planner.Plan) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, name FROM scenario ORDER BY ord`)
	if err != nil {
		return damagef(err, "the scenario table cannot be read")
	}
	defer rows.Close()
	index := map[int64]int{} // scenario ID -> index in p.Scenarios
	for rows.Next() {
		var s planner.Scenario
		if err := rows.Scan(&s.ID, &s.Name); err != nil {
			return rowDamage("scenario", len(p.Scenarios)+1, err)
		}
		s.Alignment = map[string]int64{}
		if _, dup := index[s.ID]; !dup { // Validate reports duplicate IDs
			index[s.ID] = len(p.Scenarios)
		}
		p.Scenarios = append(p.Scenarios, s)
	}
	if err := rows.Err(); err != nil {
		return damagef(err, "the scenario table cannot be read")
	}
	rows.Close()

	// The foreign keys guarantee the scenarios of territories and
	// assignments only while they are enforced: the sqlite3 shell, for one,
	// does not enforce them. Check.
	rows, err = tx.QueryContext(ctx, `
		SELECT id, scenario_id, name, color, boundary, capacity, quota FROM territory ORDER BY ord, id`)
	if err != nil {
		return damagef(err, "the territory table cannot be read")
	}
	defer rows.Close()
	for n := 1; rows.Next(); n++ {
		var t planner.Territory
		var scenario int64
		var boundary []byte
		var quota sql.NullFloat64
		if err := rows.Scan(&t.ID, &scenario, &t.Name, &t.Color, &boundary, &t.Capacity, &quota); err != nil {
			return rowDamage("territory", n, err)
		}
		t.Quota = measure(quota)
		if boundary != nil {
			if err := decodeWKB(boundary, &t.Boundary); err != nil {
				return damagef(err, "the drawn boundary of territory %d (%q) is not a valid polygon", t.ID, t.Name)
			}
		}
		i, ok := index[scenario]
		if !ok {
			return damagef(nil, "territory %d (%q) belongs to scenario %d, which the plan does not have", t.ID, t.Name, scenario)
		}
		s := &p.Scenarios[i]
		s.Territories = append(s.Territories, t)
	}
	if err := rows.Err(); err != nil {
		return damagef(err, "the territory table cannot be read")
	}
	rows.Close()

	rows, err = tx.QueryContext(ctx, `SELECT scenario_id, unit_code, territory_id FROM assignment`)
	if err != nil {
		return damagef(err, "the assignment table cannot be read")
	}
	defer rows.Close()
	for n := 1; rows.Next(); n++ {
		var scenario, territory int64
		var code string
		if err := rows.Scan(&scenario, &code, &territory); err != nil {
			return rowDamage("assignment", n, err)
		}
		i, ok := index[scenario]
		if !ok {
			return damagef(nil, "unit %q is aligned in scenario %d, which the plan does not have", code, scenario)
		}
		s := &p.Scenarios[i]
		if _, dup := s.Alignment[code]; dup {
			return damagef(nil, "unit %q is aligned twice in scenario %q", code, s.Name)
		}
		// Validate checks that the unit and the territory exist.
		s.Alignment[code] = territory
	}
	if err := rows.Err(); err != nil {
		return damagef(err, "the assignment table cannot be read")
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
// boundaryValue returns the WKB of a drawn boundary, or NULL for none.
func boundaryValue(b orb.Polygon) any {
	if len(b) == 0 {
		return nil
	}
	return wkb.Value(b)
}

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
//
// Once the transaction is committed, Replace checkpoints the WAL into the
// main file (PRAGMA wal_checkpoint(TRUNCATE)), so that the .meridian file
// alone holds the plan even if the process is killed before [DB.Close] and
// the -wal file is lost or left behind; later edits go to the WAL as usual.
// The checkpoint waits up to the busy timeout (5 s) for readers in other
// processes; if it cannot complete, the plan stays safely in the WAL and
// Replace still succeeds.
//
// On a DB from [OpenReadOnly], Replace returns planner.EIO. Failures to
// write the file are *planner.Error values (EIO; EINVALID for a damaged
// file).
func (db *DB) Replace(ctx context.Context, p *planner.Plan) error {
	if db.db != nil && db.readOnly {
		return openedReadOnly(db.Path)
	}
	if p == nil {
		return planner.Errorf(planner.EINVALID, "There is no plan to write")
	}
	if err := p.Validate(); err != nil {
		return err
	}
	if p.ActiveScenario != 0 && p.Scenario(p.ActiveScenario) == nil {
		return planner.Errorf(planner.EINVALID, "The active scenario %d is not in the plan", p.ActiveScenario)
	}
	err := db.update(ctx, func(tx *sql.Tx) error {
		// Children first, so that no foreign key check has rows to look at.
		for _, table := range []string{"plan", "assignment", "territory_rep", "territory", "region", "scenario", "account", "rep", "overlay", "unit"} {
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
			                  unit_level, parent_level, potential_name, active_scenario_id, custom_fields, workload,
			                  quota_settings)
			VALUES (1, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?)`,
			p.Name, p.Description, formatTime(p.Created), p.Attribution,
			p.UnitLevel, p.ParentLevel, p.PotentialName, nullID(p.ActiveScenario),
			encodeCustomFields(p.CustomFields), encodeWorkload(p.Workload), encodeQuotaSettings(p.Quota)); err != nil {
			return fmt.Errorf("insert plan: %w", err)
		}
		return insertSegments(ctx, tx, p)
	})
	if err != nil {
		return err
	}
	// A bulk write: fold it into the main file now rather than when the
	// WAL reaches the auto-checkpoint size or at Close. The plan is
	// committed already, so neither a cancelled ctx nor a failure (a busy
	// reader) should stop or fail it.
	db.db.ExecContext(context.WithoutCancel(ctx), `PRAGMA wal_checkpoint(TRUNCATE)`)
	return nil
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
	stmt, err := tx.PrepareContext(ctx, `
		INSERT INTO rep (id, ord, name, email, role, manager, home_lon, home_lat, home_zip, start, capacity_hours, annual_cost)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("prepare rep insert: %w", err)
	}
	defer stmt.Close()
	for i, r := range p.Reps {
		var lon, lat sql.NullFloat64
		if r.HasHome {
			lon, lat = sql.NullFloat64{Float64: r.HomeBase.Lon(), Valid: true}, sql.NullFloat64{Float64: r.HomeBase.Lat(), Valid: true}
		}
		start := ""
		if !r.Start.IsZero() {
			start = r.Start.UTC().Format(time.DateOnly)
		}
		if _, err := stmt.ExecContext(ctx, r.ID, i, r.Name, r.Email, r.Role, r.Manager, lon, lat, r.HomeZIP, start, r.CapacityHours, r.AnnualCost); err != nil {
			return fmt.Errorf("insert rep %d: %w", r.ID, err)
		}
	}
	return nil
}

func insertAccounts(ctx context.Context, tx *sql.Tx, p *planner.Plan) error {
	stmt, err := tx.PrepareContext(ctx, `
		INSERT INTO account (id, ord, external_id, name, address, city, state, zip, lon, lat,
		                     segment, owner, potential, unit_code, placement, fields, match)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("prepare account insert: %w", err)
	}
	defer stmt.Close()
	var buf []byte
	for i := range p.Accounts {
		a := &p.Accounts[i]
		var lon, lat any
		if a.HasLocation {
			lon, lat = a.Location[0], a.Location[1]
		}
		var fields any
		if a.Fields != nil {
			buf = encodeFields(buf[:0], a.Fields)
			fields = string(buf)
		}
		if _, err := stmt.ExecContext(ctx, a.ID, i, a.ExternalID, a.Name, a.Address, a.City, a.State, a.ZIP,
			lon, lat, a.Segment, a.Owner, nullMeasure(a.Potential), nullString(a.UnitCode), int64(a.Placement), fields, int64(a.Match)); err != nil {
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
		INSERT INTO territory (id, scenario_id, ord, name, color, boundary, capacity, quota) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
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
		if err := insertRegions(ctx, tx, s); err != nil {
			return err
		}
		for j, t := range s.Territories {
			if _, err := terr.ExecContext(ctx, t.ID, s.ID, j, t.Name, t.Color, boundaryValue(t.Boundary), t.Capacity, nullMeasure(t.Quota)); err != nil {
				return fmt.Errorf("insert territory %d: %w", t.ID, err)
			}
			if err := insertTerritoryCoverage(ctx, tx, &s.Territories[j]); err != nil {
				return err
			}
		}
		if err := insertScenarioSegments(ctx, tx, s); err != nil {
			return err
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
