-- 0006_workload: the plan's workload model (user_version 6).
--
-- plan.workload holds planner.WorkloadModel as JSON, NULL when the plan has
-- none: {"rules": [{"segment": "GENERAL ACUTE CARE", "min_potential": 0,
-- "visits_per_year": 12, "hours_per_visit": 1.5}, ...], "speed_kmh": 60,
-- "circuity": 1.3, "default_capacity_hours": 1600} (0 means the default).
ALTER TABLE plan ADD COLUMN workload TEXT;
