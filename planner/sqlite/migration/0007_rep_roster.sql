-- 0007_rep_roster: the rep roster's fields (user_version 7).
--
-- Reps stored before it get the zero values: no role or manager, no home
-- base, no start date, the plan's default capacity (0) and no cost (0).
--   role, manager      Rep.Role, Rep.Manager ('' when none)
--   home_lon, home_lat Rep.HomeBase in WGS84 degrees, both NULL when the rep
--                      has no home base (Rep.HasHome false)
--   home_zip           Rep.HomeZIP as text, leading zeros kept ('' when none)
--   start              Rep.Start as 'YYYY-MM-DD' (UTC), '' when unknown
--   capacity_hours     Rep.CapacityHours, hours a year; 0 = the plan's default
--   annual_cost        Rep.AnnualCost in the plan's currency; 0 = not given
ALTER TABLE rep ADD COLUMN role TEXT NOT NULL DEFAULT '';
ALTER TABLE rep ADD COLUMN manager TEXT NOT NULL DEFAULT '';
ALTER TABLE rep ADD COLUMN home_lon REAL CHECK (home_lon BETWEEN -180 AND 180);
ALTER TABLE rep ADD COLUMN home_lat REAL CHECK (home_lat BETWEEN -90 AND 90);
ALTER TABLE rep ADD COLUMN home_zip TEXT NOT NULL DEFAULT '';
ALTER TABLE rep ADD COLUMN start TEXT NOT NULL DEFAULT '' CHECK (start = '' OR start GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
ALTER TABLE rep ADD COLUMN capacity_hours REAL NOT NULL DEFAULT 0 CHECK (capacity_hours >= 0);
ALTER TABLE rep ADD COLUMN annual_cost REAL NOT NULL DEFAULT 0 CHECK (annual_cost >= 0);
