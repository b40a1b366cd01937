package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/meridianplan/meridian/planner"
)

// workloadJSON is the stored form of planner.WorkloadModel (column
// plan.workload, migration 0006).
type workloadJSON struct {
	Rules                []visitRuleJSON `json:"rules"`
	SpeedKmh             float64         `json:"speed_kmh"`
	Circuity             float64         `json:"circuity"`
	DefaultCapacityHours float64         `json:"default_capacity_hours"`
}

// visitRuleJSON is the stored form of planner.VisitRule.
type visitRuleJSON struct {
	Segment       string  `json:"segment"`
	MinPotential  float64 `json:"min_potential"`
	VisitsPerYear float64 `json:"visits_per_year"`
	HoursPerVisit float64 `json:"hours_per_visit"`
}

// encodeWorkload returns the column value of m: NULL for nil.
func encodeWorkload(m *planner.WorkloadModel) any {
	if m == nil {
		return nil
	}
	var js workloadJSON
	for _, r := range m.Rules {
		js.Rules = append(js.Rules, visitRuleJSON{r.Segment, r.MinPotential, r.VisitsPerYear, r.HoursPerVisit})
	}
	js.SpeedKmh, js.Circuity, js.DefaultCapacityHours = m.SpeedKmh, m.Circuity, m.DefaultCapacityHours
	b, _ := json.Marshal(js) // strings and finite numbers (Validate): cannot fail
	return string(b)
}

// decodeWorkload reads the column value of a workload model.
func decodeWorkload(v sql.NullString) (*planner.WorkloadModel, error) {
	if !v.Valid {
		return nil, nil
	}
	var js workloadJSON
	if err := json.Unmarshal([]byte(v.String), &js); err != nil {
		return nil, err
	}
	m := &planner.WorkloadModel{SpeedKmh: js.SpeedKmh, Circuity: js.Circuity, DefaultCapacityHours: js.DefaultCapacityHours}
	for _, r := range js.Rules {
		m.Rules = append(m.Rules, planner.VisitRule{Segment: r.Segment, MinPotential: r.MinPotential, VisitsPerYear: r.VisitsPerYear, HoursPerVisit: r.HoursPerVisit})
	}
	return m, nil
}

// SetWorkloadEdit returns the edit that sets the plan's workload model (nil
// removes it), checked with WorkloadModel.Validate (EINVALID when wrong,
// nothing written).
func SetWorkloadEdit(m *planner.WorkloadModel) Edit {
	return Edit{func(ctx context.Context, tx *sql.Tx) error {
		if m != nil {
			if err := m.Validate(); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE plan SET workload = ? WHERE id = 1`, encodeWorkload(m))
		return err
	}}
}
