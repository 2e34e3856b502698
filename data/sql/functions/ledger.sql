-- The submission ledger (SPEC §4): for every municipality and dataset, what
-- was received, what is missing or late, what was superseded, and what changed
-- against the previous submission (the workbooks' "explain each change" sheet).

-- The items of one submission, each with its key, its name and what it says:
-- facilities and clubs (ICT or not), procedures, platforms and checklist items (status).
CREATE OR REPLACE FUNCTION kdx.submission_items(p_dataset text, p_muni char(6), p_batch bigint, p_date date)
RETURNS TABLE (k text, nm text, v text)
LANGUAGE sql STABLE AS $$
	SELECT facility_no, facility_name,
	       CASE WHEN f_contact OR f_attendance OR f_records OR f_cashless OR f_other THEN 'ICTあり' ELSE 'ICTなし' END
	FROM kdx.nursery_fact WHERE p_dataset = 'nursery' AND batch_id = p_batch AND muni_code = p_muni AND survey_date = p_date
	UNION ALL
	SELECT club_no, club_name, CASE WHEN f_contact OR f_entry OR f_attendance OR f_cashless OR f_other THEN 'ICTあり' ELSE 'ICTなし' END
	FROM kdx.club_fact WHERE p_dataset = 'clubs' AND batch_id = p_batch AND muni_code = p_muni AND survey_date = p_date
	UNION ALL
	SELECT proc_id, proc_id, status FROM kdx.procedure_fact
	WHERE p_dataset = 'procedures' AND batch_id = p_batch AND muni_code = p_muni AND survey_date = p_date
	UNION ALL
	SELECT platform, platform, status FROM kdx.platform_fact
	WHERE p_dataset = 'platforms' AND batch_id = p_batch AND muni_code = p_muni AND survey_date = p_date
	UNION ALL
	SELECT item, item, status FROM kdx.postpartum_fact
	WHERE p_dataset = 'postpartum' AND batch_id = p_batch AND muni_code = p_muni AND survey_date = p_date
$$;

-- What changed between two submissions of one municipality: items that gained
-- or lost ICT, appeared or went, or whose status moved.
CREATE OR REPLACE FUNCTION kdx.change_rows(p_dataset text, p_muni char(6), p_old bigint, p_old_date date, p_new bigint, p_new_date date)
RETURNS TABLE (item text, before text, after text)
LANGUAGE sql STABLE AS $$
	SELECT coalesce(n.nm, o.nm), coalesce(o.v, '（なし）'), coalesce(n.v, '（なし）')
	FROM kdx.submission_items(p_dataset, p_muni, p_old, p_old_date) o
	FULL JOIN kdx.submission_items(p_dataset, p_muni, p_new, p_new_date) n ON n.k = o.k
	WHERE p_old IS NOT NULL AND o.v IS DISTINCT FROM n.v
	ORDER BY coalesce(n.k, o.k)
$$;

CREATE OR REPLACE FUNCTION kdx.changes(p_dataset text, p_muni char(6), p_old bigint, p_old_date date, p_new bigint, p_new_date date)
RETURNS text LANGUAGE sql STABLE AS $$
	SELECT string_agg(item || ' ' || before || '→' || after, '、')
	FROM kdx.change_rows(p_dataset, p_muni, p_old, p_old_date, p_new, p_new_date)
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

-- as of a date (the workbooks' "explain each change" sheet).
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

