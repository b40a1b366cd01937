-- 0010_segments: rule-based account segments, named accounts and the
-- hierarchy's level names (user_version 10).
--
--   segment        Plan.Segments, in order (ord): the rule text as the user
--                  wrote it, the tiering as JSON ('' when none: {"metric":
--                  "Beds", "by_quantile": true, "tiers": [{"name": "A",
--                  "value": 20}, ...]}), the overlay team's name and its
--                  reps' IDs as a JSON array ('' when none).
--   named_account  Scenario.NamedAccounts: an account assigned to a
--                  territory whatever its geography. account_id has no
--                  foreign key: a re-import replaces the account rows but
--                  keeps the IDs of accounts it matches; an import that
--                  deletes accounts deletes their rows here. Deleting a
--                  territory or a scenario deletes its named accounts.
--   scenario.levels        Scenario.Levels: the hierarchy's level names from
--                          the top, as a JSON array; '' for the defaults.
--   plan.segment_name      Plan.SegmentName: what account.segment holds in
--                          the source's words, e.g. 'Type'.
CREATE TABLE segment (
	id           INTEGER PRIMARY KEY CHECK (id > 0),
	ord          INTEGER NOT NULL,
	name         TEXT NOT NULL CHECK (name <> ''),
	rule         TEXT NOT NULL DEFAULT '',
	tiers        TEXT NOT NULL DEFAULT '',
	overlay_team TEXT NOT NULL DEFAULT '',
	overlay_reps TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE named_account (
	scenario_id  INTEGER NOT NULL REFERENCES scenario (id) ON DELETE CASCADE,
	account_id   INTEGER NOT NULL CHECK (account_id > 0),
	territory_id INTEGER NOT NULL REFERENCES territory (id) ON DELETE CASCADE,
	PRIMARY KEY (scenario_id, account_id)
) STRICT;
CREATE INDEX named_account_territory_idx ON named_account (territory_id);

ALTER TABLE scenario ADD COLUMN levels TEXT NOT NULL DEFAULT '';
ALTER TABLE plan ADD COLUMN segment_name TEXT NOT NULL DEFAULT '';
