-- 009: every council's tables in one pass (issue 8).
--
-- In the national view (council 000000) the monthly job also writes each
-- prefecture's council report.  The per-municipality figures do not depend on
-- the council; the 全体 row, the ranks and the counts of municipalities that
-- reached the goal do.  goal_table_councils computes the municipalities once and
-- those parts per council: the session's council and, in the national view,
-- every prefecture.  goal_table is the session council's part of it, so there
-- is still one definition of each rule.

CREATE FUNCTION kdx.goal_table_councils(p_goal text, p_asof date)
RETURNS TABLE (council char(6), code char(6), name text, short_name text, denominator integer, numerator integer,
               rate numeric, display text, target numeric, deadline date, status text, remaining integer, rank integer,
               survey_date date, stale boolean, prev_survey_date date, prev_display text, change_pt integer,
               projected_date date, caution boolean, own_denominator integer, own_numerator integer,
               own_display text, achieved_count integer, in_scope_count integer)
LANGUAGE sql STABLE AS $$
	WITH cur0 AS (SELECT * FROM kdx.goal_rows(p_goal, p_asof)),
	-- the councils each municipality's row belongs to
	cm AS (
		SELECT kdx.council_code() AS council, c.code FROM cur0 c
		UNION ALL
		SELECT m.pref_code, c.code FROM cur0 c JOIN kdx.municipality m ON m.code = c.code
		WHERE kdx.council_code() = '000000'
	),
	councils AS (SELECT kdx.council_code() AS council UNION SELECT cm.council FROM cm),
	cur AS (SELECT cm.council, c.* FROM cm JOIN cur0 c ON c.code = cm.code),
	-- the previous round, computed once per distinct survey date (not per municipality)
	prevdates AS (SELECT DISTINCT c.survey_date - 1 AS d FROM cur0 c WHERE c.survey_date IS NOT NULL),
	prevrows AS (SELECT pd.d, x.* FROM prevdates pd CROSS JOIN LATERAL kdx.goal_rows(p_goal, pd.d) x),
	prev AS (
		SELECT c.code, p.survey_date AS psd, p.denominator AS pden, p.numerator AS pnum, p.display AS pdisp
		FROM cur0 c JOIN prevrows p ON p.d = c.survey_date - 1 AND p.code = c.code
		WHERE c.survey_date IS NOT NULL AND p.survey_date IS NOT NULL
	), ranked AS (
		SELECT c.*, CASE WHEN c.status IN ('対象外', '未提出') THEN NULL
		                 ELSE rank() OVER (PARTITION BY c.council, c.status IN ('対象外', '未提出')
		                                   ORDER BY c.numerator::numeric / nullif(c.denominator, 0) DESC) END::int AS rk
		FROM cur c
	), goalrow AS (SELECT * FROM kdx.goal WHERE id = p_goal),
	sums AS (
		SELECT c.council,
		       sum(c.denominator) FILTER (WHERE c.status NOT IN ('未提出'))::int AS den,
		       sum(c.numerator) FILTER (WHERE c.status NOT IN ('未提出'))::int AS num,
		       count(*) FILTER (WHERE c.status = '達成')::int AS ach,
		       count(*) FILTER (WHERE c.status NOT IN ('対象外', '未提出'))::int AS scope,
		       bool_and(c.status IN ('達成', '対象外', '未提出')) AS all_ok
		FROM cur c GROUP BY c.council
	), tot AS (
		SELECT k.council, s.den, s.num, coalesce(s.ach, 0) AS ach, coalesce(s.scope, 0) AS scope, s.all_ok
		FROM councils k LEFT JOIN sums s ON s.council = k.council
	)
	SELECT * FROM (
	SELECT tot.council AS council, tot.council AS code, '全体', '全体', tot.den, tot.num,
	       CASE WHEN tot.den > 0 THEN round(tot.num::numeric / tot.den, 4) END,
	       kdx.pct_display(tot.num, tot.den), g.target, g.deadline,
	       CASE WHEN coalesce(tot.den, 0) = 0 THEN '対象外'
	            WHEN (p_goal IN ('platforms', 'pmh', 'postpartum') AND tot.all_ok)
	              OR (p_goal NOT IN ('platforms', 'pmh', 'postpartum') AND tot.num::numeric >= g.target * tot.den) THEN '達成'
	            WHEN p_asof > g.deadline THEN '期限超過' ELSE '未達' END,
	       CASE WHEN p_goal IN ('platforms', 'pmh', 'postpartum') OR coalesce(tot.den, 0) = 0 THEN NULL
	            ELSE greatest(ceil(g.target * tot.den)::int - tot.num, 0) END,
	       NULL::int, NULL::date, NULL::boolean, NULL::date, NULL::text, NULL::int, NULL::date, NULL::boolean,
	       NULL::int, NULL::int, NULL::text, tot.ach, tot.scope
	FROM tot CROSS JOIN goalrow g
	UNION ALL
	SELECT r.council, r.code, r.name, r.short_name, r.denominator, r.numerator, r.rate, r.display, r.target, r.deadline,
	       r.status, r.remaining, r.rk, r.survey_date, r.stale, p.psd, p.pdisp,
	       CASE WHEN p.pden > 0 AND r.denominator > 0
	            THEN (floor(r.numerator::numeric * 100 / r.denominator + 0.5) - floor(p.pnum::numeric * 100 / p.pden + 0.5))::int END,
	       proj.d,
	       r.status IN ('未達', '期限超過') AND (proj.d IS NULL OR proj.d > r.deadline),
	       r.own_denominator, r.own_numerator, r.own_display, NULL::int, NULL::int
	FROM ranked r
	LEFT JOIN prev p ON p.code = r.code
	LEFT JOIN LATERAL (
		-- straight line through the previous and the current rate, to the target
		SELECT CASE WHEN r.status IN ('未達', '期限超過') AND p.pden > 0 AND r.denominator > 0 AND r.survey_date > p.psd
		             AND r.numerator::numeric / r.denominator > p.pnum::numeric / p.pden
		            THEN r.survey_date + ceil(((coalesce(r.target, 1) - r.numerator::numeric / r.denominator)
		                 / ((r.numerator::numeric / r.denominator - p.pnum::numeric / p.pden) / (r.survey_date - p.psd))))::int
		       END AS d
	) proj ON true
	) u ORDER BY u.council, u.code <> u.council, u.code
$$;

-- The table of SPEC §5 for the session's council: the 全体 row first, then the
-- municipalities in code order.
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
	WHERE t.council = kdx.council_code()
	ORDER BY t.code <> t.council, t.code
$$;

-- The N08 ⇔ オンライン申請 cross-check joins four row sets whose sizes the
-- planner cannot see; by nested loop it took 1.3 s for 21 municipalities.
ALTER FUNCTION kdx.quality_findings(date) SET enable_nestloop = off;
