-- 009: councils.  The council a report is for comes from the session setting
-- kdx.council (kdx --council CODE, or KDX_COUNCIL) or else from kdx.council;
-- 000000 (全国) is the national view over every municipality in the master
-- data.  Municipalities are listed in code order.

INSERT INTO kdx.prefecture (code, name) VALUES ('000000', '全国') ON CONFLICT (code) DO NOTHING;

CREATE FUNCTION kdx.council_code() RETURNS char(6) LANGUAGE sql STABLE AS $$
	SELECT coalesce(nullif(current_setting('kdx.council', true), ''), (SELECT pref_code FROM kdx.council))::char(6)
$$;

CREATE FUNCTION kdx.council_municipalities() RETURNS SETOF kdx.municipality LANGUAGE sql STABLE AS $$
	SELECT m.* FROM kdx.municipality m WHERE kdx.council_code() IN (m.pref_code, '000000') ORDER BY m.code
$$;

CREATE OR REPLACE FUNCTION kdx.goal_rows(p_goal text, p_asof date)
RETURNS TABLE (code char(6), name text, short_name text, ord integer, survey_date date, batch_id bigint,
               denominator integer, numerator integer, rate numeric, display text, target numeric,
               deadline date, status text, achieved boolean, remaining integer, stale boolean,
               own_denominator integer, own_numerator integer, own_display text)
LANGUAGE sql STABLE AS $$
	WITH g AS (SELECT * FROM kdx.goal WHERE id = p_goal),
	m AS (SELECT * FROM kdx.council_municipalities()),
	sub AS (SELECT s.* FROM kdx.submission_asof(p_asof) s
	        WHERE s.dataset = CASE WHEN p_goal IN ('platforms', 'pmh') THEN 'platforms' ELSE p_goal END),
	d AS (SELECT d.muni_code,
	             count(*) FILTER (WHERE d.in_scope)::int AS den,
	             count(*) FILTER (WHERE d.in_scope AND d.done)::int AS num,
	             count(*) FILTER (WHERE d.in_own_scope)::int AS own_den,
	             count(*) FILTER (WHERE d.in_own_scope AND d.done)::int AS own_num,
	             bool_or(d.item_key = 'オンライン申請' AND d.done) AS pp_online,
	             bool_or(d.item_key IN ('承認通知の電子化', '利用実績のシステム管理', '集計・請求の自動化') AND d.done) AS pp_other
	      FROM kdx.goal_detail(p_goal, p_asof) d GROUP BY d.muni_code),
	st AS (SELECT * FROM kdx.settings_asof(p_asof)),
	r AS (
		SELECT m.code, m.name, m.short_name, m.ord, sub.survey_date, sub.batch_id,
		       CASE WHEN sub.muni_code IS NULL THEN NULL ELSE coalesce(d.den, 0) END AS den,
		       CASE WHEN sub.muni_code IS NULL THEN NULL ELSE coalesce(d.num, 0) END AS num,
		       d.own_den, d.own_num, d.pp_online, d.pp_other,
		       g.target,
		       CASE WHEN p_goal = 'nursery' AND coalesce(st.special_nursery, false) THEN g.extended_deadline ELSE g.deadline END AS deadline,
		       st.own_private_nursery, st.own_minritsu_club
		FROM m CROSS JOIN g
		LEFT JOIN sub ON sub.muni_code = m.code
		LEFT JOIN d ON d.muni_code = m.code
		LEFT JOIN st ON st.muni_code = m.code
	), a AS (
		SELECT r.*,
		       CASE WHEN r.den IS NULL OR r.den = 0 THEN NULL
		            WHEN p_goal = 'postpartum' THEN coalesce(r.pp_online, false) AND coalesce(r.pp_other, false)
		            WHEN p_goal IN ('platforms', 'pmh') THEN r.num = r.den
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
	       CASE WHEN a.den IS NULL OR a.den = 0 OR a.achieved THEN 0
	            WHEN p_goal = 'postpartum' THEN (NOT coalesce(a.pp_online, false))::int + (NOT coalesce(a.pp_other, false))::int
	            WHEN p_goal IN ('platforms', 'pmh') THEN a.den - a.num
	            ELSE greatest(ceil(a.target * a.den)::int - a.num, 0) END,
	       a.survey_date IS NOT NULL AND a.survey_date < (p_asof - interval '6 months')::date,
	       CASE WHEN (p_goal = 'nursery' AND a.own_private_nursery) OR (p_goal = 'clubs' AND a.own_minritsu_club) THEN a.own_den END,
	       CASE WHEN (p_goal = 'nursery' AND a.own_private_nursery) OR (p_goal = 'clubs' AND a.own_minritsu_club) THEN a.own_num END,
	       CASE WHEN (p_goal = 'nursery' AND a.own_private_nursery) OR (p_goal = 'clubs' AND a.own_minritsu_club)
	            THEN kdx.pct_display(a.own_num, a.own_den) END
	FROM a ORDER BY a.code
$$;

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
	), council AS (SELECT p.code AS pref_code, p.name FROM kdx.prefecture p WHERE p.code = kdx.council_code())
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
	ORDER BY r.code)
$$;

CREATE OR REPLACE FUNCTION kdx.goal_summary(p_asof date)
RETURNS TABLE (code char(6), name text, goal text, goal_ord integer, display text, status text, remaining integer)
LANGUAGE sql STABLE AS $$
	SELECT t.code, t.name, g.id, g.ord, t.display, t.status, t.remaining
	FROM kdx.goal g CROSS JOIN LATERAL kdx.goal_table(g.id, p_asof) t
	ORDER BY t.code = kdx.council_code() DESC, t.code, g.ord
$$;

CREATE OR REPLACE FUNCTION kdx.quality_findings(p_asof date)
RETURNS TABLE (code char(6), name text, dataset text, kind text, message text)
LANGUAGE sql STABLE AS $$
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

CREATE OR REPLACE FUNCTION kdx.ledger(p_asof date)
RETURNS TABLE (code char(6), name text, dataset text, dataset_ord integer, survey_date date, file_name text,
               loaded_at timestamptz, state text, superseded integer, submissions integer, changes text)
LANGUAGE sql STABLE AS $$
	WITH m AS (SELECT * FROM kdx.council_municipalities()),
	ds AS (SELECT * FROM unnest(ARRAY['nursery', 'clubs', 'procedures', 'platforms', 'postpartum', 'settings'])
	       WITH ORDINALITY AS d(dataset, o)),
	cur AS (SELECT * FROM kdx.submission_asof(p_asof)),
	prev AS (
		SELECT DISTINCT ON (e.dataset, e.muni_code) e.dataset, e.muni_code, e.survey_date, e.batch_id
		FROM kdx.submission_effective e JOIN cur ON cur.dataset = e.dataset AND cur.muni_code = e.muni_code
		WHERE e.survey_date < cur.survey_date
		ORDER BY e.dataset, e.muni_code, e.survey_date DESC
	), counts AS (
		SELECT s.dataset, s.muni_code, count(*)::int AS n,
		       (count(*) - count(DISTINCT s.survey_date))::int AS superseded
		FROM kdx.submission s WHERE s.survey_date <= p_asof GROUP BY 1, 2
	)
	SELECT m.code, m.name, ds.dataset, ds.o::int, cur.survey_date, cur.file_name, cur.loaded_at,
	       CASE WHEN cur.muni_code IS NULL THEN '未提出'
	            WHEN cur.survey_date < (p_asof - interval '6 months')::date THEN '古い'
	            ELSE '受領' END,
	       coalesce(counts.superseded, 0), coalesce(counts.n, 0),
	       kdx.changes(ds.dataset, m.code, prev.batch_id, prev.survey_date, cur.batch_id, cur.survey_date)
	FROM m CROSS JOIN ds
	LEFT JOIN cur ON cur.muni_code = m.code AND cur.dataset = ds.dataset
	LEFT JOIN prev ON prev.muni_code = m.code AND prev.dataset = ds.dataset
	LEFT JOIN counts ON counts.muni_code = m.code AND counts.dataset = ds.dataset
	ORDER BY m.code, ds.o
$$;

CREATE OR REPLACE FUNCTION kdx.changes_asof(p_asof date)
RETURNS TABLE (code char(6), name text, dataset text, prev_survey_date date, survey_date date,
               item text, before text, after text)
LANGUAGE sql STABLE AS $$
	WITH m AS (SELECT * FROM kdx.council_municipalities()),
	cur AS (SELECT * FROM kdx.submission_asof(p_asof)),
	prev AS (
		SELECT DISTINCT ON (e.dataset, e.muni_code) e.dataset, e.muni_code, e.survey_date, e.batch_id
		FROM kdx.submission_effective e JOIN cur ON cur.dataset = e.dataset AND cur.muni_code = e.muni_code
		WHERE e.survey_date < cur.survey_date
		ORDER BY e.dataset, e.muni_code, e.survey_date DESC
	)
	SELECT m.code, m.name, cur.dataset, prev.survey_date, cur.survey_date, c.item, c.before, c.after
	FROM m JOIN cur ON cur.muni_code = m.code
	JOIN prev ON prev.muni_code = m.code AND prev.dataset = cur.dataset
	CROSS JOIN LATERAL kdx.change_rows(cur.dataset, m.code, prev.batch_id, prev.survey_date, cur.batch_id, cur.survey_date) c
	ORDER BY m.code, array_position(ARRAY['procedures', 'nursery', 'platforms', 'clubs', 'postpartum', 'settings'], cur.dataset), c.item
$$;
