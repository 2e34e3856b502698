-- The council a report is for, and its municipalities.
--
-- The council is the session setting kdx.council (kdx --council CODE, or
-- KDX_COUNCIL), else kdx.council; 000000 (全国) is the national view over
-- every municipality in the master data.  Municipalities in code order.
--
-- kdx.council_code() cannot be inlined (it reads kdx.council in a sub-select),
-- so the planner calls it for every row it is compared with, about 12 µs a
-- call.  Callers write it as a scalar sub-select, (SELECT kdx.council_code()),
-- which runs once per query as an InitPlan.

CREATE OR REPLACE FUNCTION kdx.council_code() RETURNS char(6) LANGUAGE sql STABLE AS $$
	SELECT coalesce(nullif(current_setting('kdx.council', true), ''), (SELECT pref_code FROM kdx.council))::char(6)
$$;

CREATE OR REPLACE FUNCTION kdx.council_municipalities() RETURNS SETOF kdx.municipality LANGUAGE sql STABLE AS $$
	SELECT m.* FROM kdx.municipality m WHERE (SELECT kdx.council_code()) IN (m.pref_code, '000000') ORDER BY m.code
$$;

