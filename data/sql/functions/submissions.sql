-- Submissions: which batch is in force for each dataset, municipality and
-- survey date, and as of a date.

-- For each dataset, municipality and survey date, the most recently ingested
-- batch wins; older ones stay for audit.
CREATE OR REPLACE VIEW kdx.submission_effective AS
SELECT DISTINCT ON (s.dataset, s.muni_code, s.survey_date)
	s.dataset, s.muni_code, s.survey_date, s.batch_id, s.row_count, s.sheet, b.file_name, b.loaded_at
FROM kdx.submission s JOIN kdx.load_batch b ON b.id = s.batch_id
ORDER BY s.dataset, s.muni_code, s.survey_date, s.batch_id DESC;

-- As of a date: each municipality's latest effective submission with 調査基準日 <= the date.
CREATE OR REPLACE FUNCTION kdx.submission_asof(p_asof date)
RETURNS TABLE (dataset text, muni_code char(6), survey_date date, batch_id bigint, file_name text, loaded_at timestamptz)
LANGUAGE sql STABLE AS $$
	SELECT DISTINCT ON (e.dataset, e.muni_code) e.dataset, e.muni_code, e.survey_date, e.batch_id, e.file_name, e.loaded_at
	FROM kdx.submission_effective e
	WHERE e.survey_date <= p_asof
	ORDER BY e.dataset, e.muni_code, e.survey_date DESC
$$;

-- Settings in force as of a date: each municipality's latest 市町村設定.
CREATE OR REPLACE FUNCTION kdx.settings_asof(p_asof date)
RETURNS TABLE (muni_code char(6), special_nursery boolean, own_private_nursery boolean, own_minritsu_club boolean)
LANGUAGE sql STABLE AS $$
	SELECT f.muni_code, f.special_nursery, f.own_private_nursery, f.own_minritsu_club
	FROM kdx.submission_asof(p_asof) s
	JOIN kdx.setting_fact f ON f.batch_id = s.batch_id AND f.muni_code = s.muni_code AND f.survey_date = s.survey_date
	WHERE s.dataset = 'settings'
$$;

