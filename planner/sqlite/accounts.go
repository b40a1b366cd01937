package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/meridianplan/meridian/planner"
)

// ReplaceAccountsEdit returns an Edit that replaces every account of the
// plan file with accounts, in order, and sets the plan's custom fields
// (Plan.CustomFields) and PotentialName: what an account import changes
// (planner.Plan.WithImport). Run by [DB.Apply], it is one transaction with
// the other edits, so an import and its undo are each one undoable write;
// the units, reps and scenarios are not touched.
//
// Values are stored as [DB.Replace] stores them (no Location without
// HasLocation, no Potential value unless Known; Fields as the account's
// custom values). The accounts are checked first as planner.Plan.Validate
// checks them against the stored units and fields: the Edit fails with a
// *planner.Error (EINVALID) for an account without a positive unique ID or
// a name, a repeated external ID, Fields not as long as fields, or a
// UnitCode that is not one of the plan's units, and changes nothing.
func ReplaceAccountsEdit(accounts []planner.Account, fields []planner.CustomField, potentialName string) Edit {
	return Edit{func(ctx context.Context, tx *sql.Tx) error {
		units := map[string]bool{}
		rows, err := tx.QueryContext(ctx, `SELECT code FROM unit`)
		if err != nil {
			return fmt.Errorf("read unit codes: %w", err)
		}
		for rows.Next() {
			var code string
			if err := rows.Scan(&code); err != nil {
				rows.Close()
				return fmt.Errorf("read unit codes: %w", err)
			}
			units[code] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("read unit codes: %w", err)
		}
		if err := checkAccounts(accounts, fields, units); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM account`); err != nil {
			return fmt.Errorf("clear accounts: %w", err)
		}
		if err := insertAccounts(ctx, tx, &planner.Plan{Accounts: accounts}); err != nil {
			return err
		}
		// Named accounts whose account the import deleted go with it
		// (planner.Plan.WithImport drops them from the scenarios too).
		if _, err := tx.ExecContext(ctx, `DELETE FROM named_account WHERE account_id NOT IN (SELECT id FROM account)`); err != nil {
			return fmt.Errorf("drop named accounts of deleted accounts: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE plan SET custom_fields = ?, potential_name = ?`,
			encodeCustomFields(fields), potentialName); err != nil {
			return fmt.Errorf("write custom fields: %w", err)
		}
		return nil
	}}
}

// checkAccounts checks accounts as Plan.Validate does, against the plan's
// unit codes and custom fields.
func checkAccounts(accounts []planner.Account, fields []planner.CustomField, units map[string]bool) error {
	ids := make(map[int64]bool, len(accounts))
	ext := map[string]bool{}
	for i := range accounts {
		a := &accounts[i]
		switch {
		case a.ID <= 0:
			return planner.Errorf(planner.EINVALID, "Account %q has no ID", a.Name)
		case ids[a.ID]:
			return planner.Errorf(planner.EINVALID, "Account ID %d appears twice", a.ID)
		case a.Name == "":
			return planner.Errorf(planner.EINVALID, "Account %d has no name", a.ID)
		case a.ExternalID != "" && ext[a.ExternalID]:
			return planner.Errorf(planner.EINVALID, "External ID %q appears twice", a.ExternalID)
		case a.UnitCode != "" && !units[a.UnitCode]:
			return planner.Errorf(planner.EINVALID, "Account %q is in geography unit %q, which the plan does not have", a.Name, a.UnitCode)
		case a.Fields != nil && len(a.Fields) != len(fields):
			return planner.Errorf(planner.EINVALID, "Account %q has %d custom values for %d custom fields", a.Name, len(a.Fields), len(fields))
		}
		ids[a.ID] = true
		if a.ExternalID != "" {
			ext[a.ExternalID] = true
		}
	}
	return nil
}
