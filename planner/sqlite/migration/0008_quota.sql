-- 0008_quota: territory quotas and the plan's quota settings (user_version 8).
--
-- Plans stored before it have no quota settings and no territory quotas.
--   territory.quota     Territory.Quota: the annual quota in the plan's
--                       currency, 0 or more; NULL when no quota is set
--   plan.quota_settings planner.QuotaSettings as JSON, NULL when none:
--                       {"fiscal_year": 2027, "start_month": 1,
--                       "currency": "USD", "target": 40000000,
--                       "over_assign_pct": 10, "rounding": 1000,
--                       "weight_potential": 1, "weight_history": 0,
--                       "floor_pct": -10, "ceiling_pct": 25,
--                       "season": [12 percentages, January first]}
ALTER TABLE territory ADD COLUMN quota REAL CHECK (quota >= 0);
ALTER TABLE plan ADD COLUMN quota_settings TEXT;
