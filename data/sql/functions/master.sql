-- Master data: each master file is copied into its kdx.m_* table (etl/master.c,
-- every column present: what a file lacks comes from kdx's shipped master
-- data) and merged by one of these, so a second kdx init with the same data
-- changes nothing.

CREATE OR REPLACE FUNCTION kdx.merge_master_prefecture() RETURNS void LANGUAGE sql AS $$
	INSERT INTO kdx.prefecture AS t SELECT * FROM kdx.m_prefecture
	ON CONFLICT (code) DO UPDATE SET name = excluded.name
	WHERE (t.*) IS DISTINCT FROM (excluded.*);
$$;

CREATE OR REPLACE FUNCTION kdx.merge_master_municipality() RETURNS void LANGUAGE sql AS $$
	INSERT INTO kdx.municipality AS t SELECT * FROM kdx.m_municipality
	ON CONFLICT (code) DO UPDATE SET (pref_code, name, short_name, kana, ord) =
		(excluded.pref_code, excluded.name, excluded.short_name, excluded.kana, excluded.ord)
	WHERE (t.*) IS DISTINCT FROM (excluded.*);
$$;

CREATE OR REPLACE FUNCTION kdx.merge_master_procedure() RETURNS void LANGUAGE sql AS $$
	INSERT INTO kdx.procedure AS t SELECT * FROM kdx.m_procedure
	ON CONFLICT (id) DO UPDATE SET (kind, category, name, goal_fy, ord) =
		(excluded.kind, excluded.category, excluded.name, excluded.goal_fy, excluded.ord)
	WHERE (t.*) IS DISTINCT FROM (excluded.*);
$$;

CREATE OR REPLACE FUNCTION kdx.merge_master_goal() RETURNS void LANGUAGE sql AS $$
	INSERT INTO kdx.goal AS t SELECT * FROM kdx.m_goal
	ON CONFLICT (id) DO UPDATE SET (ord, title, short_title, unit, target, target_label, deadline,
		extended_deadline, seed_section, kind, dataset, scope, done, total, legend, special_reason,
		exempt_reason, own_scope) = (excluded.ord, excluded.title, excluded.short_title,
		excluded.unit, excluded.target, excluded.target_label, excluded.deadline,
		excluded.extended_deadline, excluded.seed_section, excluded.kind, excluded.dataset, excluded.scope,
		excluded.done, excluded.total, excluded.legend, excluded.special_reason, excluded.exempt_reason,
		excluded.own_scope)
	WHERE (t.*) IS DISTINCT FROM (excluded.*);
$$;

CREATE OR REPLACE FUNCTION kdx.merge_master_goal_item() RETURNS void LANGUAGE sql AS $$
	INSERT INTO kdx.goal_item AS t SELECT * FROM kdx.m_goal_item
	ON CONFLICT (goal, code) DO UPDATE SET (name, in_target, ord, need) =
		(excluded.name, excluded.in_target, excluded.ord, excluded.need)
	WHERE (t.*) IS DISTINCT FROM (excluded.*);
$$;

