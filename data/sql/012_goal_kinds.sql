-- 012: what kind of goal each is and how its items count, as master data, so
-- that the tables and the reports test a goal's kind, never its id (SPEC §2):
--   plan_rate      a rate over items that carry plan years (the procedures);
--   facility_rate  a rate over facilities or clubs, its outlook a straight line;
--   checklist      items judged by a rule, never read as a rate.
-- A goal item's need says how it counts in a checklist's rule: required (each
-- one), one_of (one of that group is enough), none (counted, not in the rule).
-- The words the reports print about a goal (scope, what counts as done, how
-- 全体 is counted, the checklist's legend, the reasons for a later deadline or
-- an exemption, what an own target adds) are master data too.  A warehouse
-- this migrates gets them from kdx's shipped master data (etl/master.c).
ALTER TABLE kdx.goal
	ADD COLUMN kind text CHECK (kind IN ('plan_rate', 'facility_rate', 'checklist')),
	ADD COLUMN dataset text,
	ADD COLUMN scope text NOT NULL DEFAULT '',
	ADD COLUMN done text NOT NULL DEFAULT '',
	ADD COLUMN total text NOT NULL DEFAULT '',
	ADD COLUMN legend text NOT NULL DEFAULT '',
	ADD COLUMN special_reason text NOT NULL DEFAULT '',
	ADD COLUMN exempt_reason text NOT NULL DEFAULT '',
	ADD COLUMN own_scope text NOT NULL DEFAULT '';
ALTER TABLE kdx.goal_item
	ADD COLUMN need text CHECK (need IN ('required', 'one_of', 'none'));
ALTER TABLE kdx.m_goal
	ADD COLUMN kind text, ADD COLUMN dataset text, ADD COLUMN scope text, ADD COLUMN done text,
	ADD COLUMN total text, ADD COLUMN legend text, ADD COLUMN special_reason text,
	ADD COLUMN exempt_reason text, ADD COLUMN own_scope text;
ALTER TABLE kdx.m_goal_item ADD COLUMN need text;
