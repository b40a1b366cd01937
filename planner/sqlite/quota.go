package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/meridianplan/meridian/planner"
)

// encodeQuotaSettings returns the column value of s (column
// plan.quota_settings, migration 0008: the JSON form of
// planner.QuotaSettings): NULL for nil.
func encodeQuotaSettings(s *planner.QuotaSettings) any {
	if s == nil {
		return nil
	}
	b, _ := json.Marshal(s) // a string and finite numbers (Validate): cannot fail
	return string(b)
}

// decodeQuotaSettings reads the column value of quota settings; NULL gives
// nil. The plan's Validate checks the values.
func decodeQuotaSettings(v sql.NullString) (*planner.QuotaSettings, error) {
	if !v.Valid {
		return nil, nil
	}
	var qs planner.QuotaSettings
	if err := json.Unmarshal([]byte(v.String), &qs); err != nil {
		return nil, err
	}
	return &qs, nil
}

// SetQuotasEdit returns the edit that sets the plan's quota settings and the
// annual quotas of scenario scenarioID's territories, in one transaction
// with the other edits of [DB.Apply]:
//   - settings (planner.QuotaSettings) replace the plan's; nil removes them;
//   - quotas maps a territory ID of the scenario to its annual quota in the
//     settings' currency (finite, 0 or more); the scenario's territories
//     missing from it are left with no quota (Territory.Quota Unknown).
//     Other scenarios' quotas are not changed;
//   - overridden names the territories whose quota was set by hand
//     (Territory.QuotaOverride); the others' flags are cleared.
//
// Errors (*planner.Error): EINVALID for settings that fail
// QuotaSettings.Validate or a negative or non-finite quota; ENOTFOUND when
// the scenario does not exist or a territory ID is not one of its
// territories. Nothing is written when it fails.
func SetQuotasEdit(scenarioID int64, settings *planner.QuotaSettings, quotas map[int64]float64, overridden map[int64]bool) Edit {
	return Edit{func(ctx context.Context, tx *sql.Tx) error {
		if settings != nil {
			if err := settings.Validate(); err != nil {
				return err
			}
		}
		ids := make([]int64, 0, len(quotas))
		for id, q := range quotas {
			if math.IsNaN(q) || q < 0 || q > planner.MaxAmount {
				return planner.Errorf(planner.EINVALID, "The quota of territory %d is %v; it must be an amount, 0 or more", id, q)
			}
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		scenario, err := scenarioName(ctx, tx, scenarioID)
		if err != nil {
			return err
		}
		own := map[int64]bool{}
		if err := scanRows(ctx, tx, func(r *sql.Rows) error {
			var id int64
			if err := r.Scan(&id); err != nil {
				return err
			}
			own[id] = true
			return nil
		}, `SELECT id FROM territory WHERE scenario_id = ?`, scenarioID); err != nil {
			return fmt.Errorf("read territories: %w", err)
		}
		var missing []string
		for _, id := range ids {
			if !own[id] {
				missing = append(missing, fmt.Sprint(id))
			}
		}
		if len(missing) > 0 {
			return planner.Errorf(planner.ENOTFOUND, "Territories %s are not in scenario %q", strings.Join(missing, ", "), scenario)
		}
		for id, on := range overridden {
			if _, ok := quotas[id]; on && !ok {
				return planner.Errorf(planner.EINVALID, "Territory %d is marked as set by hand but has no quota", id)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE territory SET quota = NULL, quota_override = 0 WHERE scenario_id = ?`, scenarioID); err != nil {
			return fmt.Errorf("clear quotas: %w", err)
		}
		stmt, err := tx.PrepareContext(ctx, `UPDATE territory SET quota = ?, quota_override = ? WHERE id = ?`)
		if err != nil {
			return fmt.Errorf("prepare quota update: %w", err)
		}
		defer stmt.Close()
		for _, id := range ids {
			if _, err := stmt.ExecContext(ctx, quotas[id], overridden[id], id); err != nil {
				return fmt.Errorf("set quota of territory %d: %w", id, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE plan SET quota_settings = ? WHERE id = 1`, encodeQuotaSettings(settings)); err != nil {
			return fmt.Errorf("set quota settings: %w", err)
		}
		return nil
	}}
}
