-- 005: every row that changed against each municipality's previous submission,
-- as of a date (the workbooks' "explain each change" sheet).
CREATE FUNCTION kdx.changes_asof(p_asof date)
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
