-- 011: the rows behind the figures are those of the council's municipalities
-- only (a prefecture's report need not read the whole country's facilities).
-- The plan setting of 010 is part of the definition and is kept.

CREATE OR REPLACE FUNCTION kdx.goal_detail(p_goal text, p_asof date)
RETURNS TABLE (muni_code char(6), survey_date date, batch_id bigint, item_key text, item_name text,
               item_kind text, in_scope boolean, in_own_scope boolean, done boolean, note text)
LANGUAGE sql STABLE SET enable_nestloop = off AS $$
	WITH sub AS (
		SELECT s.* FROM kdx.submission_asof(p_asof) s
		WHERE s.dataset = CASE WHEN p_goal IN ('platforms', 'pmh') THEN 'platforms' ELSE p_goal END
		  AND s.muni_code IN (SELECT code FROM kdx.council_municipalities())
	), st AS (SELECT * FROM kdx.settings_asof(p_asof))
	SELECT f.muni_code, f.survey_date, f.batch_id, f.facility_no, f.facility_name, f.facility_type,
	       f.owner = '公立' AND f.type_group <> '対象外施設' AND NOT f.closing,
	       f.type_group <> '対象外施設' AND NOT f.closing
	         AND (f.owner = '公立' OR coalesce(st.own_private_nursery, false)),
	       f.f_contact OR f.f_attendance OR f.f_records OR f.f_cashless OR f.f_other,
	       concat_ws('・', CASE WHEN f.owner = '私立' THEN '私立' END, CASE WHEN f.closing THEN '統廃合予定' END,
	                 CASE WHEN f.type_group = '対象外施設' THEN '対象外の種別' END)
	FROM sub JOIN kdx.nursery_fact f ON f.batch_id = sub.batch_id AND f.muni_code = sub.muni_code AND f.survey_date = sub.survey_date
	LEFT JOIN st ON st.muni_code = f.muni_code
	WHERE p_goal = 'nursery'
	UNION ALL
	SELECT f.muni_code, f.survey_date, f.batch_id, f.club_no, f.club_name, f.operation,
	       f.operation IN ('公営', '民営') AND NOT f.closing,
	       NOT f.closing AND (f.operation IN ('公営', '民営') OR coalesce(st.own_minritsu_club, false)),
	       f.f_contact OR f.f_entry OR f.f_attendance OR f.f_cashless OR f.f_other,
	       concat_ws('・', CASE WHEN f.operation = '民立' THEN '民立' END, CASE WHEN f.closing THEN '統廃合・配置見直し予定' END)
	FROM sub JOIN kdx.club_fact f ON f.batch_id = sub.batch_id AND f.muni_code = sub.muni_code AND f.survey_date = sub.survey_date
	LEFT JOIN st ON st.muni_code = f.muni_code
	WHERE p_goal = 'clubs'
	UNION ALL
	SELECT f.muni_code, f.survey_date, f.batch_id, f.proc_id, p.category || ' ' || p.name, f.status,
	       p.kind = 'N' AND p.goal_fy <= kdx.fiscal_year(p_asof) AND f.status <> '所掌外',
	       p.kind = 'N' AND p.goal_fy <= kdx.fiscal_year(p_asof) AND f.status <> '所掌外',
	       f.status = '電子化済',
	       concat_ws('・', CASE WHEN p.kind = 'K' THEN '確認のみ' END,
	                 CASE WHEN f.status = '電子化済' AND f.notice = '未' THEN '処分通知は未電子化' END,
	                 CASE WHEN f.planned_fy IS NOT NULL THEN '予定 ' || kdx.fy_label(f.planned_fy) END)
	FROM sub JOIN kdx.procedure_fact f ON f.batch_id = sub.batch_id AND f.muni_code = sub.muni_code AND f.survey_date = sub.survey_date
	JOIN kdx.procedure p ON p.id = f.proc_id
	WHERE p_goal = 'procedures'
	UNION ALL
	SELECT f.muni_code, f.survey_date, f.batch_id, f.platform, gi.name, f.status,
	       gi.in_target AND f.status <> '特例対象外', gi.in_target AND f.status <> '特例対象外',
	       f.status IN ('導入済', '類似システム導入済'),
	       concat_ws('・', CASE WHEN NOT gi.in_target THEN '目標外（参考）' END,
	                 CASE WHEN f.planned_fy IS NOT NULL THEN '予定 ' || kdx.fy_label(f.planned_fy) END, f.note)
	FROM sub JOIN kdx.platform_fact f ON f.batch_id = sub.batch_id AND f.muni_code = sub.muni_code AND f.survey_date = sub.survey_date
	JOIN kdx.goal_item gi ON gi.goal = p_goal AND gi.code = f.platform
	WHERE p_goal IN ('platforms', 'pmh')
	UNION ALL
	SELECT f.muni_code, f.survey_date, f.batch_id, f.item, gi.name, f.status, true, true, f.status = '実施済',
	       CASE WHEN f.planned_fy IS NOT NULL THEN '予定 ' || kdx.fy_label(f.planned_fy) END
	FROM sub JOIN kdx.postpartum_fact f ON f.batch_id = sub.batch_id AND f.muni_code = sub.muni_code AND f.survey_date = sub.survey_date
	JOIN kdx.goal_item gi ON gi.goal = 'postpartum' AND gi.code = f.item
	WHERE p_goal = 'postpartum'
$$;
