-- 0003_territory_capacity: capacity-based balance targets (user_version 3).
--
-- territory.capacity is how many reps' worth of work the territory is
-- planned for (Territory.Capacity, e.g. 1.5); 0 means 1. Balance targets by
-- capacity split each total in proportion to it.
ALTER TABLE territory ADD COLUMN capacity REAL NOT NULL DEFAULT 0 CHECK (capacity >= 0);
