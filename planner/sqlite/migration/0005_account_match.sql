-- 0005_account_match: how each account was located (user_version 5).
--
-- account.match is planner.MatchLevel: 0 none, 1 the centre of its city,
-- 2 the centre of its postal code (both geocoded offline), 3 the file's own
-- coordinates. Accounts of older plans that have a location were all placed
-- by their own coordinates (the sample's hospitals), so they get 3.
ALTER TABLE account ADD COLUMN match INTEGER NOT NULL DEFAULT 0 CHECK (match BETWEEN 0 AND 3);
UPDATE account SET match = 3 WHERE lon IS NOT NULL;
