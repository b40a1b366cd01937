-- 0009_rep_coverage: reps' shares of territories, vacancies, regions and
-- hand-set quotas (user_version 9).
--
--   territory_rep  Territory.Reps: one row per line of a territory's
--                  coverage, in order (ord). rep_id NULL is a vacancy
--                  ("TBH"); share is its percentage (0 < share <= 100, a
--                  territory's shares sum to 100); planned_start is a
--                  vacancy's planned start 'YYYY-MM-DD' (UTC), '' when none.
--                  Deleting a rep turns its lines into vacancies.
--   region         Scenario.Regions: the hierarchy above territories;
--                  IDs are unique within a scenario (a copied scenario keeps
--                  them); parent_id NULL for a top-level region;
--                  over_assign_pct in percent (0 = none). Deleting a
--                  scenario deletes its regions.
--   territory.region_id       Territory.RegionID, NULL when in no region.
--   territory.quota_override  Territory.QuotaOverride: 1 when the quota was
--                             set by hand.
--
-- territory.rep_id (one rep per territory, before this migration) is copied
-- into territory_rep at 100% and then left NULL: it is no longer read.
CREATE TABLE region (
	scenario_id     INTEGER NOT NULL REFERENCES scenario (id) ON DELETE CASCADE,
	id              INTEGER NOT NULL CHECK (id > 0), -- unique in its scenario
	ord             INTEGER NOT NULL,
	name            TEXT NOT NULL,
	parent_id       INTEGER, -- a region of the same scenario; NULL = top level
	over_assign_pct REAL NOT NULL DEFAULT 0 CHECK (over_assign_pct > -100),
	PRIMARY KEY (scenario_id, id),
	UNIQUE (scenario_id, name)
);

-- region_id names a region of the territory's own scenario; Load checks it
-- (a column added by ALTER TABLE cannot carry the composite foreign key).
ALTER TABLE territory ADD COLUMN region_id INTEGER;
ALTER TABLE territory ADD COLUMN quota_override INTEGER NOT NULL DEFAULT 0 CHECK (quota_override IN (0, 1));

CREATE TABLE territory_rep (
	territory_id  INTEGER NOT NULL REFERENCES territory (id) ON DELETE CASCADE,
	ord           INTEGER NOT NULL,
	rep_id        INTEGER REFERENCES rep (id) ON DELETE SET NULL,
	share         REAL NOT NULL CHECK (share > 0 AND share <= 100),
	planned_start TEXT NOT NULL DEFAULT '' CHECK (planned_start = '' OR planned_start GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	PRIMARY KEY (territory_id, ord)
);
CREATE INDEX territory_rep_rep_id_idx ON territory_rep (rep_id);

INSERT INTO territory_rep (territory_id, ord, rep_id, share)
	SELECT id, 0, rep_id, 100 FROM territory WHERE rep_id IS NOT NULL;
UPDATE territory SET rep_id = NULL WHERE rep_id IS NOT NULL;
