-- 010: the council looked up once per query, not once per row (issue 8).
--
-- kdx.council_code() cannot be inlined (it reads kdx.council in a sub-select),
-- so the planner calls it for every row it is compared with: about 12 µs a
-- call.  Over 1,741 municipalities that made kdx.council_municipalities() take
-- 20 ms where 2 ms will do, and every ingested file, goal table and ledger
-- calls it.  Written as a scalar sub-select, the call becomes an InitPlan that
-- runs once.  Same results; only the plans change.

CREATE OR REPLACE FUNCTION kdx.council_municipalities() RETURNS SETOF kdx.municipality LANGUAGE sql STABLE AS $$
	SELECT m.* FROM kdx.municipality m WHERE (SELECT kdx.council_code()) IN (m.pref_code, '000000') ORDER BY m.code
$$;

CREATE OR REPLACE FUNCTION kdx.goal_table(p_goal text, p_asof date)
RETURNS TABLE (code char(6), name text, short_name text, denominator integer, numerator integer, rate numeric,
               display text, target numeric, deadline date, status text, remaining integer, rank integer,
               survey_date date, stale boolean, prev_survey_date date, prev_display text, change_pt integer,
               projected_date date, caution boolean, own_denominator integer, own_numerator integer,
               own_display text, achieved_count integer, in_scope_count integer)
LANGUAGE sql STABLE AS $$
	SELECT t.code, t.name, t.short_name, t.denominator, t.numerator, t.rate, t.display, t.target, t.deadline, t.status,
	       t.remaining, t.rank, t.survey_date, t.stale, t.prev_survey_date, t.prev_display, t.change_pt,
	       t.projected_date, t.caution, t.own_denominator, t.own_numerator, t.own_display, t.achieved_count,
	       t.in_scope_count
	FROM kdx.goal_table_councils(p_goal, p_asof) t
	WHERE t.council = (SELECT kdx.council_code())
	ORDER BY t.code <> t.council, t.code
$$;

CREATE OR REPLACE FUNCTION kdx.goal_summary(p_asof date)
RETURNS TABLE (code char(6), name text, goal text, goal_ord integer, display text, status text, remaining integer)
LANGUAGE sql STABLE AS $$
	SELECT t.code, t.name, g.id, g.ord, t.display, t.status, t.remaining
	FROM kdx.goal g CROSS JOIN LATERAL kdx.goal_table(g.id, p_asof) t
	ORDER BY t.code = (SELECT kdx.council_code()) DESC, t.code, g.ord
$$;
