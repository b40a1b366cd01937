-- 0001_init: the first Meridian plan schema (user_version 1).
--
-- A .meridian file holds exactly one plan. Conventions:
--   * Tables are STRICT, so a column holds only its declared type.
--   * NULL means "no data" (planner.Measure with Known == false) or "none";
--     text columns that the domain keeps as "" are NOT NULL with '' for empty.
--   * Geometries are WKB (little-endian, OGC type codes, no SRID) in WGS84
--     degrees, lon/lat order, as written by github.com/paulmach/orb/encoding/wkb.
--   * ord columns keep the order in which planner/sqlite.Replace was given the
--     rows, so that Load returns units, accounts, reps, scenarios and
--     territories in that same order.
--   * Times are UTC text in RFC 3339 (with fractional seconds when non-zero).
-- PRAGMA application_id and PRAGMA user_version are set by the Go code that
-- runs the migrations (sqlite.ApplicationID, sqlite.SchemaVersion), in the
-- same transaction.

-- plan: the plan's metadata; exactly one row (id = 1) once a plan was written.
-- A new, empty file has no row.
CREATE TABLE plan (
	id                 INTEGER PRIMARY KEY CHECK (id = 1),
	name               TEXT NOT NULL CHECK (name <> ''),
	description        TEXT NOT NULL DEFAULT '',
	created            TEXT NOT NULL, -- when the plan was first built (Plan.Created)
	modified           TEXT NOT NULL, -- when the file was last written (Replace or an edit)
	attribution        TEXT NOT NULL DEFAULT '', -- data sources and licences, one per line
	unit_level         TEXT NOT NULL DEFAULT '', -- e.g. 'County'
	parent_level       TEXT NOT NULL DEFAULT '', -- e.g. 'State'
	potential_name     TEXT NOT NULL DEFAULT '', -- what account.potential measures, e.g. 'Beds'
	-- The scenario the user works in; NULL when unset (Plan.ActiveScenario 0).
	active_scenario_id INTEGER REFERENCES scenario (id) ON DELETE SET NULL
) STRICT;

-- unit: the geography layer (Plan.Units), e.g. US counties.
CREATE TABLE unit (
	code        TEXT PRIMARY KEY NOT NULL CHECK (code <> ''), -- e.g. county FIPS '01001'
	ord         INTEGER NOT NULL UNIQUE,  -- position in Plan.Units
	name        TEXT NOT NULL,
	parent_code TEXT NOT NULL DEFAULT '', -- e.g. state FIPS '01'
	parent_name TEXT NOT NULL DEFAULT '', -- e.g. 'Alabama'
	population  REAL,                     -- people; NULL = no data
	geometry    BLOB                      -- WKB MultiPolygon; NULL = no geometry
) STRICT;

-- overlay: reference line work drawn over the map, one row per layer.
-- The only layer so far is 'borders' (Plan.Borders, a WKB MultiLineString,
-- e.g. state borders); there is no row when the plan has none.
CREATE TABLE overlay (
	name     TEXT PRIMARY KEY NOT NULL,
	geometry BLOB NOT NULL
) STRICT;

-- rep: sales representatives (Plan.Reps).
CREATE TABLE rep (
	id    INTEGER PRIMARY KEY CHECK (id > 0),
	ord   INTEGER NOT NULL UNIQUE,
	name  TEXT NOT NULL,
	email TEXT NOT NULL DEFAULT ''
) STRICT;

-- account: customers and prospects (Plan.Accounts).
CREATE TABLE account (
	id          INTEGER PRIMARY KEY CHECK (id > 0),
	ord         INTEGER NOT NULL UNIQUE,
	external_id TEXT NOT NULL DEFAULT '', -- the CRM's identifier, '' when none
	name        TEXT NOT NULL,
	address     TEXT NOT NULL DEFAULT '',
	city        TEXT NOT NULL DEFAULT '',
	state       TEXT NOT NULL DEFAULT '',
	zip         TEXT NOT NULL DEFAULT '', -- text: leading zeros kept
	lon         REAL,                     -- WGS84 degrees; both NULL = no location
	lat         REAL,
	segment     TEXT NOT NULL DEFAULT '',
	owner       TEXT NOT NULL DEFAULT '',
	potential   REAL,                     -- in plan.potential_name units; NULL = unknown
	unit_code   TEXT REFERENCES unit (code), -- the unit containing the account; NULL = none
	placement   INTEGER NOT NULL DEFAULT 0 CHECK (placement >= 0), -- planner.Placement: 0 none, 1 inside, 2 nearest
	CHECK ((lon IS NULL) = (lat IS NULL))
) STRICT;

-- External IDs are unique when present; many accounts may have none.
CREATE UNIQUE INDEX account_external_id_idx ON account (external_id) WHERE external_id <> '';
-- Accounts per unit (metrics, and the foreign key check when a unit is deleted).
CREATE INDEX account_unit_code_idx ON account (unit_code);

-- scenario: versions of the territory design (Plan.Scenarios).
CREATE TABLE scenario (
	id   INTEGER PRIMARY KEY CHECK (id > 0),
	ord  INTEGER NOT NULL UNIQUE,
	name TEXT NOT NULL
) STRICT;

-- territory: named groups of units, each in one scenario. IDs are unique
-- across scenarios. Deleting a scenario deletes its territories; deleting a
-- rep leaves the territories vacant.
CREATE TABLE territory (
	id          INTEGER PRIMARY KEY CHECK (id > 0),
	scenario_id INTEGER NOT NULL REFERENCES scenario (id) ON DELETE CASCADE,
	ord         INTEGER NOT NULL, -- position in its scenario's Territories
	name        TEXT NOT NULL CHECK (name <> ''),
	color       TEXT NOT NULL DEFAULT '', -- map fill, '#RRGGBB'
	rep_id      INTEGER REFERENCES rep (id) ON DELETE SET NULL, -- NULL = vacant
	UNIQUE (scenario_id, name),
	UNIQUE (scenario_id, id) -- the parent key of assignment's foreign key
) STRICT;

CREATE INDEX territory_rep_id_idx ON territory (rep_id);

-- assignment: the alignment of units to territories (Scenario.Alignment),
-- keyed by scenario. A unit with no row in a scenario is unassigned (white
-- space). The composite foreign key makes sure that a unit is aligned only to
-- a territory of the same scenario; deleting the territory, the scenario or
-- the unit deletes the assignment.
CREATE TABLE assignment (
	scenario_id  INTEGER NOT NULL REFERENCES scenario (id) ON DELETE CASCADE,
	unit_code    TEXT NOT NULL REFERENCES unit (code) ON DELETE CASCADE,
	territory_id INTEGER NOT NULL,
	PRIMARY KEY (scenario_id, unit_code),
	FOREIGN KEY (scenario_id, territory_id) REFERENCES territory (scenario_id, id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

CREATE INDEX assignment_territory_idx ON assignment (scenario_id, territory_id);
CREATE INDEX assignment_unit_code_idx ON assignment (unit_code);
