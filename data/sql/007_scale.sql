-- 007: scale.  The previous round is computed once per distinct survey date,
-- and a municipality's history of a goal comes from one pass over the rounds,
-- so a national run (1,741 municipalities) stays linear.

CREATE OR REPLACE FUNCTION kdx.goal_table(p_goal text, p_asof date)
RETURNS TABLE (code char(6), name text, short_name text, denominator integer, numerator integer, rate numeric,
               display text, target numeric, deadline date, status text, remaining integer, rank integer,
               survey_date date, stale boolean, prev_survey_date date, prev_display text, change_pt integer,
               projected_date date, caution boolean, own_denominator integer, own_numerator integer,
               own_display text, achieved_count integer, in_scope_count integer)
LANGUAGE sql STABLE AS $$
	WITH cur AS (SELECT * FROM kdx.goal_rows(p_goal, p_asof)),
	-- the previous round, computed once per distinct survey date (not per municipality)
	prevdates AS (SELECT DISTINCT c.survey_date - 1 AS d FROM cur c WHERE c.survey_date IS NOT NULL),
	prevrows AS (SELECT pd.d, x.* FROM prevdates pd CROSS JOIN LATERAL kdx.goal_rows(p_goal, pd.d) x),
	prev AS (
		SELECT c.code, p.survey_date AS psd, p.denominator AS pden, p.numerator AS pnum, p.display AS pdisp
		FROM cur c JOIN prevrows p ON p.d = c.survey_date - 1 AND p.code = c.code
		WHERE c.survey_date IS NOT NULL AND p.survey_date IS NOT NULL
	), ranked AS (
		SELECT c.*, CASE WHEN c.status IN ('対象外', '未提出') THEN NULL
		                 ELSE rank() OVER (PARTITION BY c.status IN ('対象外', '未提出')
		                                   ORDER BY c.numerator::numeric / nullif(c.denominator, 0) DESC) END::int AS rk
		FROM cur c
	), goalrow AS (SELECT * FROM kdx.goal WHERE id = p_goal),
	tot AS (
		SELECT sum(denominator) FILTER (WHERE status NOT IN ('未提出'))::int AS den,
		       sum(numerator) FILTER (WHERE status NOT IN ('未提出'))::int AS num,
		       count(*) FILTER (WHERE status = '達成')::int AS ach,
		       count(*) FILTER (WHERE status NOT IN ('対象外', '未提出'))::int AS scope,
		       bool_and(status IN ('達成', '対象外', '未提出')) AS all_ok
		FROM cur
	), council AS (SELECT c.pref_code, p.name FROM kdx.council c JOIN kdx.prefecture p ON p.code = c.pref_code)
	SELECT council.pref_code, '全体', '全体', tot.den, tot.num,
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
	FROM tot CROSS JOIN goalrow g CROSS JOIN council
	UNION ALL
	(SELECT r.code, r.name, r.short_name, r.denominator, r.numerator, r.rate, r.display, r.target, r.deadline,
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
	ORDER BY r.ord)
$$;


-- Each municipality's rate on each of its own survey dates up to the as-of (trend charts).
CREATE FUNCTION kdx.goal_history(p_goal text, p_asof date)
RETURNS TABLE (code char(6), survey_date date, rate numeric, valid boolean)
LANGUAGE sql STABLE AS $$
	WITH dates AS (
		SELECT DISTINCT e.survey_date FROM kdx.submission_effective e
		WHERE e.dataset = CASE WHEN p_goal IN ('platforms', 'pmh') THEN 'platforms' ELSE p_goal END
		  AND e.survey_date <= p_asof
	)
	SELECT g.code, g.survey_date, g.rate, g.denominator > 0
	FROM dates CROSS JOIN LATERAL kdx.goal_rows(p_goal, dates.survey_date) g
	WHERE g.survey_date = dates.survey_date
	ORDER BY g.code, g.survey_date
$$;
