-- The adoption tables of the six goals (SPEC §2), computed in the warehouse so
-- that reports, workbooks and any BI tool read the same numbers.

CREATE OR REPLACE FUNCTION kdx.fiscal_year(d date) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN extract(month FROM d) >= 4 THEN extract(year FROM d)::int ELSE extract(year FROM d)::int - 1 END
$$;

CREATE OR REPLACE FUNCTION kdx.fy_label(fy integer) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN fy = 2019 THEN '令和元年度' WHEN fy > 2019 THEN '令和' || (fy - 2018) || '年度' ELSE fy || '年度' END
$$;

-- Integer percent, rounded half up (12.5% -> 13%); '-' when nothing is in scope.
CREATE OR REPLACE FUNCTION kdx.pct_display(num integer, den integer) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN den IS NULL OR den = 0 THEN '-' ELSE floor(num::numeric * 100 / den + 0.5)::int || '%' END
$$;

-- The rows behind each figure, one per facility / procedure / item, with
-- whether it is in the joint-goal scope, in the municipality's own scope, and
-- done; for a checklist goal's items their need in the rule (goal_item.need)
-- and whether the item is exempt (特例).  Which fact table a goal counts is its
-- dataset (kdx.goal.dataset); a goal's id is never tested.
-- (enable_nestloop is off in here: the planner cannot see how many submissions
-- the as-of picks, guesses one, and joins 1,741 municipalities' settings to
-- 30,000 facilities by nested loop: 13 s measured, 90 ms with hash joins.)
DROP FUNCTION IF EXISTS kdx.goal_detail(text, date);
CREATE FUNCTION kdx.goal_detail(p_goal text, p_asof date)
RETURNS TABLE (muni_code char(6), survey_date date, batch_id bigint, item_key text, item_name text,
               item_kind text, in_scope boolean, in_own_scope boolean, done boolean, note text,
               item_need text, exempt boolean)
LANGUAGE sql STABLE SET enable_nestloop = off AS $$
	WITH g AS (SELECT * FROM kdx.goal WHERE id = p_goal),
	sub AS (
		SELECT s.* FROM kdx.submission_asof(p_asof) s
		WHERE s.dataset = (SELECT g.dataset FROM g)
		  AND s.muni_code IN (SELECT code FROM kdx.council_municipalities())
	), st AS (SELECT * FROM kdx.settings_asof(p_asof))
	SELECT f.muni_code, f.survey_date, f.batch_id, f.facility_no, f.facility_name, f.facility_type,
	       f.owner = '公立' AND f.type_group <> '対象外施設' AND NOT f.closing,
	       f.type_group <> '対象外施設' AND NOT f.closing
	         AND (f.owner = '公立' OR coalesce(st.own_private_nursery, false)),
	       f.f_contact OR f.f_attendance OR f.f_records OR f.f_cashless OR f.f_other,
	       concat_ws('・', CASE WHEN f.owner = '私立' THEN '私立' END, CASE WHEN f.closing THEN '統廃合予定' END,
	                 CASE WHEN f.type_group = '対象外施設' THEN '対象外の種別' END),
	       NULL::text, false
	FROM sub JOIN kdx.nursery_fact f ON f.batch_id = sub.batch_id AND f.muni_code = sub.muni_code AND f.survey_date = sub.survey_date
	LEFT JOIN st ON st.muni_code = f.muni_code
	WHERE (SELECT g.dataset FROM g) = 'nursery'
	UNION ALL
	SELECT f.muni_code, f.survey_date, f.batch_id, f.club_no, f.club_name, f.operation,
	       f.operation IN ('公営', '民営') AND NOT f.closing,
	       NOT f.closing AND (f.operation IN ('公営', '民営') OR coalesce(st.own_minritsu_club, false)),
	       f.f_contact OR f.f_entry OR f.f_attendance OR f.f_cashless OR f.f_other,
	       concat_ws('・', CASE WHEN f.operation = '民立' THEN '民立' END, CASE WHEN f.closing THEN '統廃合・配置見直し予定' END),
	       NULL::text, false
	FROM sub JOIN kdx.club_fact f ON f.batch_id = sub.batch_id AND f.muni_code = sub.muni_code AND f.survey_date = sub.survey_date
	LEFT JOIN st ON st.muni_code = f.muni_code
	WHERE (SELECT g.dataset FROM g) = 'clubs'
	UNION ALL
	SELECT f.muni_code, f.survey_date, f.batch_id, f.proc_id, p.category || ' ' || p.name, f.status,
	       p.kind = 'N' AND p.goal_fy <= kdx.fiscal_year(p_asof) AND f.status <> '所掌外',
	       p.kind = 'N' AND p.goal_fy <= kdx.fiscal_year(p_asof) AND f.status <> '所掌外',
	       f.status = '電子化済',
	       concat_ws('・', CASE WHEN p.kind = 'K' THEN '確認のみ' END,
	                 CASE WHEN f.status = '電子化済' AND f.notice = '未' THEN '処分通知は未電子化' END,
	                 CASE WHEN f.planned_fy IS NOT NULL THEN '予定 ' || kdx.fy_label(f.planned_fy) END),
	       NULL::text, false
	FROM sub JOIN kdx.procedure_fact f ON f.batch_id = sub.batch_id AND f.muni_code = sub.muni_code AND f.survey_date = sub.survey_date
	JOIN kdx.procedure p ON p.id = f.proc_id
	WHERE (SELECT g.dataset FROM g) = 'procedures'
	UNION ALL
	SELECT f.muni_code, f.survey_date, f.batch_id, f.platform, gi.name, f.status,
	       gi.in_target AND f.status <> '特例対象外', gi.in_target AND f.status <> '特例対象外',
	       f.status IN ('導入済', '類似システム導入済'),
	       concat_ws('・', CASE WHEN NOT gi.in_target THEN '目標外（参考）' END,
	                 CASE WHEN f.planned_fy IS NOT NULL THEN '予定 ' || kdx.fy_label(f.planned_fy) END, f.note),
	       coalesce(gi.need, 'required'), gi.in_target AND f.status = '特例対象外'
	FROM sub JOIN kdx.platform_fact f ON f.batch_id = sub.batch_id AND f.muni_code = sub.muni_code AND f.survey_date = sub.survey_date
	JOIN kdx.goal_item gi ON gi.goal = p_goal AND gi.code = f.platform
	WHERE (SELECT g.dataset FROM g) = 'platforms'
	UNION ALL
	SELECT f.muni_code, f.survey_date, f.batch_id, f.item, gi.name, f.status, gi.in_target, gi.in_target, f.status = '実施済',
	       CASE WHEN f.planned_fy IS NOT NULL THEN '予定 ' || kdx.fy_label(f.planned_fy) END,
	       coalesce(gi.need, 'required'), false
	FROM sub JOIN kdx.postpartum_fact f ON f.batch_id = sub.batch_id AND f.muni_code = sub.muni_code AND f.survey_date = sub.survey_date
	JOIN kdx.goal_item gi ON gi.goal = p_goal AND gi.code = f.item
	WHERE (SELECT g.dataset FROM g) = 'postpartum'
$$;

-- Per municipality: counts, status and what is left, as of a date.
CREATE OR REPLACE FUNCTION kdx.goal_rows(p_goal text, p_asof date)
RETURNS TABLE (code char(6), name text, short_name text, ord integer, survey_date date, batch_id bigint,
               denominator integer, numerator integer, rate numeric, display text, target numeric,
               deadline date, status text, achieved boolean, remaining integer, stale boolean,
               own_denominator integer, own_numerator integer, own_display text)
LANGUAGE sql STABLE AS $$
	WITH g AS (SELECT * FROM kdx.goal WHERE id = p_goal),
	m AS (SELECT * FROM kdx.council_municipalities()),
	sub AS (SELECT s.* FROM kdx.submission_asof(p_asof) s WHERE s.dataset = (SELECT g.dataset FROM g)),
	-- a checklist's rule: every required item in scope done, and one of the
	-- one_of items done where the goal has such a group
	d AS (SELECT d.muni_code,
	             count(*) FILTER (WHERE d.in_scope)::int AS den,
	             count(*) FILTER (WHERE d.in_scope AND d.done)::int AS num,
	             count(*) FILTER (WHERE d.in_own_scope)::int AS own_den,
	             count(*) FILTER (WHERE d.in_own_scope AND d.done)::int AS own_num,
	             count(*) FILTER (WHERE d.in_scope AND d.item_need = 'required' AND NOT d.done)::int AS req_open,
	             coalesce(bool_or(d.in_scope AND d.item_need = 'one_of'), false)
	               AND NOT coalesce(bool_or(d.in_scope AND d.item_need = 'one_of' AND d.done), false) AS group_open
	      FROM kdx.goal_detail(p_goal, p_asof) d GROUP BY d.muni_code),
	st AS (SELECT * FROM kdx.settings_asof(p_asof)),
	r AS (
		SELECT m.code, m.name, m.short_name, m.ord, sub.survey_date, sub.batch_id,
		       CASE WHEN sub.muni_code IS NULL THEN NULL ELSE coalesce(d.den, 0) END AS den,
		       CASE WHEN sub.muni_code IS NULL THEN NULL ELSE coalesce(d.num, 0) END AS num,
		       d.own_den, d.own_num, d.req_open, d.group_open, g.kind,
		       g.target,
		       -- 特別な事情 moves a goal's deadline where the goal has a later one for it
		       CASE WHEN g.extended_deadline IS NOT NULL AND coalesce(st.special_nursery, false)
		            THEN g.extended_deadline ELSE g.deadline END AS deadline,
		       -- the municipality counts private nurseries or 民立 clubs in its own target
		       (g.dataset = 'nursery' AND coalesce(st.own_private_nursery, false))
		         OR (g.dataset = 'clubs' AND coalesce(st.own_minritsu_club, false)) AS own
		FROM m CROSS JOIN g
		LEFT JOIN sub ON sub.muni_code = m.code
		LEFT JOIN d ON d.muni_code = m.code
		LEFT JOIN st ON st.muni_code = m.code
	), a AS (
		SELECT r.*,
		       CASE WHEN r.den IS NULL OR r.den = 0 THEN NULL
		            WHEN r.kind = 'checklist' THEN r.req_open = 0 AND NOT r.group_open
		            ELSE r.num::numeric >= r.target * r.den END AS achieved
		FROM r
	)
	SELECT a.code, a.name, a.short_name, a.ord, a.survey_date, a.batch_id, a.den, a.num,
	       CASE WHEN a.den > 0 THEN round(a.num::numeric / a.den, 4) END,
	       CASE WHEN a.den IS NULL THEN '-' ELSE kdx.pct_display(a.num, a.den) END,
	       a.target, a.deadline,
	       CASE WHEN a.den IS NULL THEN '未提出'
	            WHEN a.den = 0 THEN '対象外'
	            WHEN a.achieved THEN '達成'
	            WHEN p_asof > a.deadline THEN '期限超過'
	            ELSE '未達' END,
	       a.achieved,
	       -- what is left: a checklist's needs still open, a rate's items short of the target
	       CASE WHEN a.den IS NULL OR a.den = 0 OR a.achieved THEN 0
	            WHEN a.kind = 'checklist' THEN a.req_open + a.group_open::int
	            ELSE greatest(ceil(a.target * a.den)::int - a.num, 0) END,
	       a.survey_date IS NOT NULL AND a.survey_date < (p_asof - interval '6 months')::date,
	       CASE WHEN a.own THEN a.own_den END,
	       CASE WHEN a.own THEN a.own_num END,
	       CASE WHEN a.own THEN kdx.pct_display(a.own_num, a.own_den) END
	FROM a ORDER BY a.code
$$;

-- 見通し from what municipalities plan (SPEC §2): for the goals whose rows carry
-- 予定年度 (the plan_rate and checklist kinds), each municipality's items
-- still needed that have no plan year, are 未定, or are planned for a year that
-- ends after the municipality's own deadline.  A checklist's needs are its
-- rule's: each required item, and one of its one_of group (a plan in time for
-- any one of them is enough); items counted but not in the rule are not needed.
--   caution  some such item;
--   items    those items with why, grouped by why: 「予定年度なし（N04・N05）、
--            令和10年度予定（N03）」 (a plan_rate goal's items by key, the
--            others by name, a one_of group as 「A・B・Cのうち1項目」);
--   needed   every item the rule still needs, plan or not (SPEC §2 "what is
--            left"): the one place the reports and the web edition take it from.
DROP FUNCTION IF EXISTS kdx.goal_outlook(text, date);
CREATE FUNCTION kdx.goal_outlook(p_goal text, p_asof date)
RETURNS TABLE (code char(6), caution boolean, items text, needed text)
LANGUAGE sql STABLE SET jit = off AS $$
	-- (no enable_nestloop = off here: its disable cost on the one-row goal join made
	-- every call look expensive enough to JIT-compile, 0.9 s for nothing)
	WITH g AS (SELECT * FROM kdx.goal WHERE id = p_goal AND kind IN ('plan_rate', 'checklist')),
	d AS (SELECT * FROM kdx.goal_detail(p_goal, p_asof) d WHERE EXISTS (SELECT 1 FROM g) AND d.in_scope),
	-- the plan goals' deadline is the goal's (特別な事情 moves only a goal with an extended deadline)
	it AS (
		SELECT d.muni_code, d.item_key, CASE WHEN g.kind = 'plan_rate' THEN d.item_key ELSE d.item_name END AS label,
		       d.done, g.deadline,
		       coalesce(pf.planned_fy, pl.planned_fy, pp.planned_fy) AS fy, coalesce(pl.status = '未定', false) AS undecided,
		       CASE WHEN d.item_need = 'one_of' THEN 'one_of' WHEN d.item_need = 'none' THEN 'none' ELSE d.item_key END AS need,
		       coalesce(gi.ord, 0) AS ord
		FROM d CROSS JOIN g
		LEFT JOIN kdx.goal_item gi ON gi.goal = g.id AND gi.code = d.item_key
		LEFT JOIN kdx.procedure_fact pf ON g.dataset = 'procedures' AND pf.batch_id = d.batch_id AND pf.muni_code = d.muni_code
		     AND pf.survey_date = d.survey_date AND pf.proc_id = d.item_key
		LEFT JOIN kdx.platform_fact pl ON g.dataset = 'platforms' AND pl.batch_id = d.batch_id AND pl.muni_code = d.muni_code
		     AND pl.survey_date = d.survey_date AND pl.platform = d.item_key
		LEFT JOIN kdx.postpartum_fact pp ON g.dataset = 'postpartum' AND pp.batch_id = d.batch_id AND pp.muni_code = d.muni_code
		     AND pp.survey_date = d.survey_date AND pp.item = d.item_key
	),
	-- each need still open, whether some item of it is planned in time, and why not
	needs AS (
		SELECT i.muni_code, i.need, min(i.item_key) AS first_key,
		       bool_or(NOT i.undecided AND i.fy IS NOT NULL AND make_date(i.fy + 1, 3, 31) <= i.deadline) AS in_time,
		       CASE WHEN i.need = 'one_of' THEN string_agg(i.item_key, '・' ORDER BY i.ord, i.item_key) || 'のうち1項目'
		            ELSE min(i.label) END AS what,
		       -- why, for a need of one item; for a one_of group, the nearest plan
		       CASE WHEN bool_or(i.undecided) AND count(*) = 1 THEN '未定'
		            WHEN max(i.fy) IS NULL THEN '予定年度なし'
		            ELSE kdx.fy_label(min(i.fy)) || '予定' END AS why
		FROM it i
		WHERE i.need <> 'none'
		GROUP BY i.muni_code, i.need
		HAVING NOT bool_or(i.done)
	),
	late AS (
		SELECT n.muni_code, n.why, min(n.first_key) AS first_key,
		       string_agg(n.what, '・' ORDER BY n.first_key) AS what
		FROM needs n WHERE NOT n.in_time GROUP BY n.muni_code, n.why
	),
	lates AS (SELECT l.muni_code, string_agg(l.why || '（' || l.what || '）', '、' ORDER BY l.first_key) AS items
	          FROM late l GROUP BY l.muni_code),
	open AS (SELECT n.muni_code, bool_or(NOT n.in_time) AS caution, string_agg(n.what, '、' ORDER BY n.first_key) AS needed
	         FROM needs n GROUP BY n.muni_code)
	SELECT o.muni_code, o.caution, l.items, o.needed
	FROM open o LEFT JOIN lates l ON l.muni_code = o.muni_code
$$;

-- Every council's tables in one pass.  In the national view (council 000000)
-- the monthly job also writes each prefecture's council report.  The
-- per-municipality figures do not depend on the council; the 全体 row, the
-- ranks and the counts of municipalities that reached the goal do.  This
-- computes the municipalities once and those parts per council: the session's
-- council and, in the national view, every prefecture.
-- For the goals with plan years each municipality's row also carries what the
-- rule still needs and the items behind a 要注意 (goal_outlook's needed and
-- items); every row its previous round's numerator and denominator.
DROP FUNCTION IF EXISTS kdx.goal_table_councils(text, date);
CREATE FUNCTION kdx.goal_table_councils(p_goal text, p_asof date)
RETURNS TABLE (council char(6), code char(6), name text, short_name text, denominator integer, numerator integer,
               rate numeric, display text, target numeric, deadline date, status text, remaining integer, rank integer,
               survey_date date, stale boolean, prev_survey_date date, prev_display text, change_pt integer,
               projected_date date, caution boolean, own_denominator integer, own_numerator integer,
               own_display text, achieved_count integer, in_scope_count integer, outlook_items text, needed text,
               prev_numerator integer, prev_denominator integer, prev_count integer, submitted_count integer,
               compared_numerator integer, compared_denominator integer, compared_display text)
LANGUAGE sql STABLE AS $$
	WITH cur0 AS (SELECT * FROM kdx.goal_rows(p_goal, p_asof)),
	-- the councils each municipality's row belongs to
	cm AS (
		SELECT (SELECT kdx.council_code()) AS council, c.code FROM cur0 c
		UNION ALL
		SELECT m.pref_code, c.code FROM cur0 c JOIN kdx.municipality m ON m.code = c.code
		WHERE (SELECT kdx.council_code()) = '000000'
	),
	councils AS (SELECT (SELECT kdx.council_code()) AS council UNION SELECT cm.council FROM cm),
	cur AS (SELECT cm.council, c.* FROM cm JOIN cur0 c ON c.code = cm.code),
	-- the previous round, computed once per distinct survey date (not per municipality)
	prevdates AS (SELECT DISTINCT c.survey_date - 1 AS d FROM cur0 c WHERE c.survey_date IS NOT NULL),
	prevrows AS (SELECT pd.d, x.* FROM prevdates pd CROSS JOIN LATERAL kdx.goal_rows(p_goal, pd.d) x),
	prev AS (
		SELECT c.code, p.survey_date AS psd, p.denominator AS pden, p.numerator AS pnum, p.display AS pdisp
		FROM cur0 c JOIN prevrows p ON p.d = c.survey_date - 1 AND p.code = c.code
		WHERE c.survey_date IS NOT NULL AND p.survey_date IS NOT NULL
	),
	outlook AS (SELECT * FROM kdx.goal_outlook(p_goal, p_asof)),
	goalrow AS (SELECT * FROM kdx.goal WHERE id = p_goal),
	ranked AS (
		-- only the rate goals are ranked (SPEC §2): a checklist has no order beyond its status
		SELECT c.*, CASE WHEN c.status IN ('対象外', '未提出') OR (SELECT kind FROM goalrow) = 'checklist' THEN NULL
		                 ELSE rank() OVER (PARTITION BY c.council, c.status IN ('対象外', '未提出')
		                                   ORDER BY c.numerator::numeric / nullif(c.denominator, 0) DESC) END::int AS rk
		FROM cur c
	),
	sums AS (
		SELECT c.council,
		       sum(c.denominator) FILTER (WHERE c.status NOT IN ('未提出'))::int AS den,
		       sum(c.numerator) FILTER (WHERE c.status NOT IN ('未提出'))::int AS num,
		       count(*) FILTER (WHERE c.status = '達成')::int AS ach,
		       count(*) FILTER (WHERE c.status NOT IN ('対象外', '未提出'))::int AS scope,
		       bool_and(c.status IN ('達成', '対象外', '未提出')) AS all_ok
		FROM cur c GROUP BY c.council
	),
	-- the council's previous round, like with like (SPEC §2): the submitted
	-- municipalities that have a previous round, their previous rounds summed
	-- and their current figures summed (compared_*); its date when they share
	-- one; how many they are of the municipalities submitted
	psums AS (
		SELECT c.council, sum(p.pden)::int AS den, sum(p.pnum)::int AS num,
		       sum(c.denominator) FILTER (WHERE p.code IS NOT NULL)::int AS cden,
		       sum(c.numerator) FILTER (WHERE p.code IS NOT NULL)::int AS cnum,
		       count(DISTINCT p.psd) AS ndates, min(p.psd) AS d,
		       count(p.code)::int AS nprev, count(*)::int AS nsub
		FROM cur c LEFT JOIN prev p ON p.code = c.code
		WHERE c.status <> '未提出' GROUP BY c.council
	), tot AS (
		SELECT k.council, s.den, s.num, coalesce(s.ach, 0) AS ach, coalesce(s.scope, 0) AS scope, s.all_ok,
		       CASE WHEN ps.den > 0 THEN ps.den END AS pden, ps.num AS pnum,
		       CASE WHEN ps.ndates = 1 THEN ps.d END AS pdate,
		       coalesce(ps.nprev, 0) AS nprev, coalesce(ps.nsub, 0) AS nsub, ps.cnum, ps.cden
		FROM councils k LEFT JOIN sums s ON s.council = k.council LEFT JOIN psums ps ON ps.council = k.council
	)
	SELECT * FROM (
	SELECT tot.council AS council, tot.council AS code, '全体', '全体', tot.den, tot.num,
	       CASE WHEN tot.den > 0 THEN round(tot.num::numeric / tot.den, 4) END,
	       kdx.pct_display(tot.num, tot.den), g.target, g.deadline,
	       CASE WHEN coalesce(tot.den, 0) = 0 THEN '対象外'
	            WHEN (g.kind = 'checklist' AND tot.all_ok)
	              OR (g.kind <> 'checklist' AND tot.num::numeric >= g.target * tot.den) THEN '達成'
	            WHEN p_asof > g.deadline THEN '期限超過' ELSE '未達' END,
	       CASE WHEN g.kind = 'checklist' OR coalesce(tot.den, 0) = 0 THEN NULL
	            ELSE greatest(ceil(g.target * tot.den)::int - tot.num, 0) END,
	       NULL::int, NULL::date, NULL::boolean,
	       CASE WHEN tot.pden IS NOT NULL THEN tot.pdate END,
	       CASE WHEN tot.pden IS NOT NULL THEN kdx.pct_display(tot.pnum, tot.pden) END,
	       CASE WHEN tot.pden IS NOT NULL AND tot.cden > 0
	            THEN (floor(tot.cnum::numeric * 100 / tot.cden + 0.5) - floor(tot.pnum::numeric * 100 / tot.pden + 0.5))::int END,
	       NULL::date, NULL::boolean,
	       NULL::int, NULL::int, NULL::text, tot.ach, tot.scope, NULL::text, NULL::text,
	       CASE WHEN tot.pden IS NOT NULL THEN tot.pnum END, tot.pden, tot.nprev, tot.nsub,
	       CASE WHEN tot.pden IS NOT NULL THEN tot.cnum END, CASE WHEN tot.pden IS NOT NULL THEN tot.cden END,
	       CASE WHEN tot.pden IS NOT NULL THEN kdx.pct_display(tot.cnum, tot.cden) END
	FROM tot CROSS JOIN goalrow g
	UNION ALL
	SELECT r.council, r.code, r.name, r.short_name, r.denominator, r.numerator, r.rate, r.display, r.target, r.deadline,
	       r.status, r.remaining, r.rk, r.survey_date, r.stale, p.psd, p.pdisp,
	       CASE WHEN p.pden > 0 AND r.denominator > 0
	            THEN (floor(r.numerator::numeric * 100 / r.denominator + 0.5) - floor(p.pnum::numeric * 100 / p.pden + 0.5))::int END,
	       proj.d,
	       -- 要注意 by the straight line for the facility goals, only with a previous round;
	       -- by the plan years for the others (goal_outlook)
	       CASE WHEN (SELECT kind FROM goalrow) = 'facility_rate'
	            -- (a line that reached the target on or before the as-of, while the goal is
	            -- still not reached, means the pace fell behind: never a promise)
	            THEN p.pden IS NOT NULL AND r.status IN ('未達', '期限超過')
	                 AND (proj.d IS NULL OR proj.d > r.deadline OR proj.d <= p_asof)
	            ELSE r.status IN ('未達', '期限超過') AND coalesce(o.caution, false) END,
	       r.own_denominator, r.own_numerator, r.own_display, NULL::int, NULL::int,
	       CASE WHEN r.status IN ('未達', '期限超過') THEN o.items END, o.needed, p.pnum, p.pden,
	       (p.code IS NOT NULL)::int, 1, CASE WHEN p.code IS NOT NULL THEN r.numerator END,
	       CASE WHEN p.code IS NOT NULL THEN r.denominator END, CASE WHEN p.code IS NOT NULL THEN r.display END
	FROM ranked r
	LEFT JOIN prev p ON p.code = r.code
	LEFT JOIN outlook o ON o.code = r.code
	LEFT JOIN LATERAL (
		-- straight line through the previous and the current rate, to the target
		SELECT CASE WHEN (SELECT kind FROM goalrow) = 'facility_rate' AND r.status IN ('未達', '期限超過') AND p.pden > 0
		             AND r.denominator > 0 AND r.survey_date > p.psd
		             AND r.numerator::numeric / r.denominator > p.pnum::numeric / p.pden
		            THEN r.survey_date + ceil(((coalesce(r.target, 1) - r.numerator::numeric / r.denominator)
		                 / ((r.numerator::numeric / r.denominator - p.pnum::numeric / p.pden) / (r.survey_date - p.psd))))::int
		       END AS d
	) proj ON true
	) u ORDER BY u.council, u.code <> u.council, u.code
$$;

-- The table of SPEC §5 for the session's council: the 全体 row (code of the
-- prefecture) first, then the municipalities in code order, with rank, change
-- since the municipality's previous survey and a linear projection of the date
-- the target is reached.  The rules are goal_table_councils'.
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

-- The summary matrix: municipalities x goals.
CREATE OR REPLACE FUNCTION kdx.goal_summary(p_asof date)
RETURNS TABLE (code char(6), name text, goal text, goal_ord integer, display text, status text, remaining integer)
LANGUAGE sql STABLE AS $$
	-- a checklist goal's figure is its items counted (a municipality's 1/2; for
	-- 全体 the municipalities that reached it), never a rate (SPEC §2)
	SELECT t.code, t.name, g.id, g.ord,
	       CASE WHEN g.kind <> 'checklist' OR coalesce(t.denominator, 0) = 0 THEN t.display
	            WHEN t.code = (SELECT kdx.council_code()) THEN '達成 ' || t.achieved_count || '/' || t.in_scope_count || '団体'
	            ELSE t.numerator || '/' || t.denominator END,
	       t.status, t.remaining
	FROM kdx.goal g CROSS JOIN LATERAL kdx.goal_table(g.id, p_asof) t
	ORDER BY t.code = (SELECT kdx.council_code()) DESC, t.code, g.ord
$$;

-- Data-quality findings as of a date: missing and stale submissions, and the
-- N08 ⇔ オンライン申請 cross-check.  That check joins four row sets whose sizes
-- the planner cannot see; by nested loop it took 1.3 s for 21 municipalities.
CREATE OR REPLACE FUNCTION kdx.quality_findings(p_asof date)
RETURNS TABLE (code char(6), name text, dataset text, kind text, message text)
LANGUAGE sql STABLE SET enable_nestloop = off AS $$
	WITH m AS (SELECT * FROM kdx.council_municipalities()),
	ds AS (SELECT unnest(ARRAY['nursery', 'clubs', 'procedures', 'platforms', 'postpartum', 'settings']) AS dataset,
	              unnest(ARRAY[1, 2, 3, 4, 5, 6]) AS o),
	sub AS (SELECT * FROM kdx.submission_asof(p_asof))
	SELECT m.code, m.name, ds.dataset,
	       CASE WHEN s.muni_code IS NULL THEN '未提出' ELSE '古いデータ' END,
	       CASE WHEN s.muni_code IS NULL THEN '調査基準日が ' || p_asof || ' 以前の提出がありません'
	            ELSE '調査基準日 ' || s.survey_date || ' のデータです（6か月より前）' END
	FROM m CROSS JOIN ds LEFT JOIN sub s ON s.muni_code = m.code AND s.dataset = ds.dataset
	WHERE s.muni_code IS NULL OR s.survey_date < (p_asof - interval '6 months')::date
	UNION ALL
	SELECT m.code, m.name, 'procedures', '整合性',
	       '手続 N08（産後ケア事業の申請）は「' || pf.status || '」ですが、産後ケアDXの「オンライン申請」は「' || pp.status || '」です'
	FROM m
	JOIN sub sp ON sp.muni_code = m.code AND sp.dataset = 'procedures'
	JOIN kdx.procedure_fact pf ON pf.batch_id = sp.batch_id AND pf.muni_code = m.code AND pf.survey_date = sp.survey_date AND pf.proc_id = 'N08'
	JOIN sub sq ON sq.muni_code = m.code AND sq.dataset = 'postpartum'
	JOIN kdx.postpartum_fact pp ON pp.batch_id = sq.batch_id AND pp.muni_code = m.code AND pp.survey_date = sq.survey_date AND pp.item = 'オンライン申請'
	WHERE (pf.status = '電子化済') <> (pp.status = '実施済')
	ORDER BY 1, 3, 4
$$;

-- Each municipality's rate on each of its own survey dates up to the as-of (trend charts).
DROP FUNCTION IF EXISTS kdx.goal_history(text, date);
CREATE FUNCTION kdx.goal_history(p_goal text, p_asof date)
RETURNS TABLE (code char(6), survey_date date, rate numeric, valid boolean, numerator integer, denominator integer,
               status text)
LANGUAGE sql STABLE AS $$
	WITH dates AS (
		SELECT DISTINCT e.survey_date FROM kdx.submission_effective e
		WHERE e.dataset = (SELECT g.dataset FROM kdx.goal g WHERE g.id = p_goal)
		  AND e.survey_date <= p_asof
	)
	SELECT g.code, g.survey_date, g.rate, g.denominator > 0, g.numerator, g.denominator, g.status
	FROM dates CROSS JOIN LATERAL kdx.goal_rows(p_goal, dates.survey_date) g
	WHERE g.survey_date = dates.survey_date
	ORDER BY g.code, g.survey_date
$$;
