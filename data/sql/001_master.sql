-- 001: master data (facts from SPEC §3), keyed by prefecture.
CREATE TABLE kdx.prefecture (
	code char(6) PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
	name text NOT NULL
);

CREATE TABLE kdx.municipality (
	code char(6) PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
	pref_code char(6) NOT NULL REFERENCES kdx.prefecture,
	name text NOT NULL,
	short_name text NOT NULL,
	kana text NOT NULL,
	ord integer NOT NULL
);
CREATE INDEX ON kdx.municipality (pref_code, ord);

CREATE TABLE kdx.procedure (
	id text PRIMARY KEY CHECK (id ~ '^[KN][0-9]{2}$'),
	kind char(1) NOT NULL CHECK (kind IN ('K', 'N')),
	category text NOT NULL,
	name text NOT NULL,
	goal_fy integer,          -- fiscal year the procedure joins the goal; NULL: confirmation only
	ord integer NOT NULL
);

CREATE TABLE kdx.goal (
	id text PRIMARY KEY,
	ord integer NOT NULL,
	title text NOT NULL,
	short_title text NOT NULL,
	unit text NOT NULL,
	target numeric,           -- fraction; NULL where achievement is a rule (postpartum)
	target_label text NOT NULL,
	deadline date NOT NULL,
	extended_deadline date,   -- nursery: for a municipality flagged 特別な事情
	seed_section integer NOT NULL
);

CREATE TABLE kdx.goal_item (
	goal text NOT NULL REFERENCES kdx.goal,
	code text NOT NULL,
	name text NOT NULL,
	in_target boolean NOT NULL,
	ord integer NOT NULL,
	PRIMARY KEY (goal, code)
);

-- Staging tables for COPY, merged by the functions below.
CREATE TABLE kdx.m_prefecture (LIKE kdx.prefecture);
CREATE TABLE kdx.m_municipality (LIKE kdx.municipality);
CREATE TABLE kdx.m_procedure (LIKE kdx.procedure);
CREATE TABLE kdx.m_goal (LIKE kdx.goal);
CREATE TABLE kdx.m_goal_item (LIKE kdx.goal_item);

-- Which prefecture's council this warehouse serves (one row).
CREATE TABLE kdx.council (
	pref_code char(6) PRIMARY KEY,
	singleton boolean NOT NULL DEFAULT true UNIQUE CHECK (singleton)
);
