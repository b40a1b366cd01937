-- 0004_custom_fields: custom fields of accounts (user_version 4).
--
-- plan.custom_fields lists the plan's custom fields (Plan.CustomFields), in
-- order, as a JSON array of objects: [{"name": "Phone", "numeric": false}, ...];
-- '[]' when the plan has none.
--
-- account.fields holds the account's custom field values (Account.Fields) as
-- a JSON array of strings aligned with plan.custom_fields; NULL when the
-- account has no custom value. One column rather than a row per value: a
-- million accounts with twenty fields would otherwise be twenty million rows.
ALTER TABLE plan ADD COLUMN custom_fields TEXT NOT NULL DEFAULT '[]';
ALTER TABLE account ADD COLUMN fields TEXT;
