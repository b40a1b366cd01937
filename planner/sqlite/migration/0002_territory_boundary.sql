-- 0002_territory_boundary: hand-drawn territory boundaries (user_version 2).
--
-- territory.boundary is the territory's drawn boundary (Territory.Boundary):
-- a WKB Polygon in WGS84 degrees, lon/lat order; NULL when the territory is
-- made of units only. Accounts inside it belong to the territory whatever
-- their unit.
ALTER TABLE territory ADD COLUMN boundary BLOB;
