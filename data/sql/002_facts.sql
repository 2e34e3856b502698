-- 002: load batches, submissions and the fact tables of the six datasets.

-- One row per accepted file.  The same content (SHA-256) is never loaded twice.
CREATE TABLE kdx.load_batch (
	id bigserial PRIMARY KEY,
	file_name text NOT NULL,
	file_path text NOT NULL,
	sha256 char(64) NOT NULL UNIQUE,
	format text NOT NULL CHECK (format IN ('csv', 'xlsx')),
	encoding text,
	file_mtime timestamptz,
	row_count integer NOT NULL DEFAULT 0,
	loaded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
	loaded_by text NOT NULL DEFAULT current_user
);

-- What a batch delivered: one row per dataset, municipality and survey date.
CREATE TABLE kdx.submission (
	batch_id bigint NOT NULL REFERENCES kdx.load_batch ON DELETE CASCADE,
	dataset text NOT NULL CHECK (dataset IN ('nursery', 'clubs', 'procedures', 'platforms', 'postpartum', 'settings')),
	muni_code char(6) NOT NULL REFERENCES kdx.municipality,
	survey_date date NOT NULL,
	sheet text,
	row_count integer NOT NULL,
	PRIMARY KEY (batch_id, dataset, muni_code, survey_date)
);
CREATE INDEX ON kdx.submission (dataset, muni_code, survey_date, batch_id);

-- Files that were refused, for the ledger (their rows never reach the facts).
CREATE TABLE kdx.rejection (
	id bigserial PRIMARY KEY,
	file_name text NOT NULL,
	sha256 char(64) NOT NULL,
	problems integer NOT NULL,
	report_path text,
	rejected_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE kdx.nursery_fact (
	batch_id bigint NOT NULL REFERENCES kdx.load_batch ON DELETE CASCADE,
	muni_code char(6) NOT NULL REFERENCES kdx.municipality,
	survey_date date NOT NULL,
	src_sheet text,
	src_row integer NOT NULL,
	facility_no text NOT NULL,
	facility_name text NOT NULL,
	facility_type text NOT NULL,       -- as written, NFKC
	type_group text NOT NULL CHECK (type_group IN ('保育所', '認定こども園', '地域型保育事業', '対象外施設')),
	owner text NOT NULL CHECK (owner IN ('公立', '私立')),
	closing boolean NOT NULL,          -- 統廃合予定
	f_contact boolean NOT NULL,
	f_attendance boolean NOT NULL,
	f_records boolean NOT NULL,
	f_cashless boolean NOT NULL,
	f_other boolean NOT NULL,
	other_text text,
	PRIMARY KEY (batch_id, muni_code, facility_no)
);

CREATE TABLE kdx.club_fact (
	batch_id bigint NOT NULL REFERENCES kdx.load_batch ON DELETE CASCADE,
	muni_code char(6) NOT NULL REFERENCES kdx.municipality,
	survey_date date NOT NULL,
	src_sheet text,
	src_row integer NOT NULL,
	club_no text NOT NULL,
	club_name text NOT NULL,
	operation text NOT NULL CHECK (operation IN ('公営', '民営', '民立')),
	closing boolean NOT NULL,          -- 統廃合・配置見直し予定
	f_contact boolean NOT NULL,
	f_entry boolean NOT NULL,
	f_attendance boolean NOT NULL,
	f_cashless boolean NOT NULL,
	f_other boolean NOT NULL,
	other_text text,
	PRIMARY KEY (batch_id, muni_code, club_no)
);

CREATE TABLE kdx.procedure_fact (
	batch_id bigint NOT NULL REFERENCES kdx.load_batch ON DELETE CASCADE,
	muni_code char(6) NOT NULL REFERENCES kdx.municipality,
	survey_date date NOT NULL,
	src_sheet text,
	src_row integer NOT NULL,
	proc_id text NOT NULL REFERENCES kdx.procedure,
	status text NOT NULL CHECK (status IN ('電子化済', '準備中', '未着手', '所掌外')),
	digitised_ym text CHECK (digitised_ym ~ '^[0-9]{4}-[0-9]{2}$'),
	planned_fy integer,
	notice text CHECK (notice IN ('済', '未', '該当なし')),
	PRIMARY KEY (batch_id, muni_code, proc_id)
);

CREATE TABLE kdx.platform_fact (
	batch_id bigint NOT NULL REFERENCES kdx.load_batch ON DELETE CASCADE,
	muni_code char(6) NOT NULL REFERENCES kdx.municipality,
	survey_date date NOT NULL,
	src_sheet text,
	src_row integer NOT NULL,
	platform text NOT NULL CHECK (platform IN ('保育業務施設管理PF', '保活情報連携基盤', 'PMH医療費助成', 'PMH予防接種', 'PMH母子保健')),
	status text NOT NULL CHECK (status IN ('導入済', '類似システム導入済', '導入予定', '未定', '特例対象外')),
	planned_fy integer,
	note text,
	PRIMARY KEY (batch_id, muni_code, platform)
);

CREATE TABLE kdx.postpartum_fact (
	batch_id bigint NOT NULL REFERENCES kdx.load_batch ON DELETE CASCADE,
	muni_code char(6) NOT NULL REFERENCES kdx.municipality,
	survey_date date NOT NULL,
	src_sheet text,
	src_row integer NOT NULL,
	item text NOT NULL,
	status text NOT NULL CHECK (status IN ('実施済', '準備中', '未実施')),
	planned_fy integer,
	PRIMARY KEY (batch_id, muni_code, item)
);

CREATE TABLE kdx.setting_fact (
	batch_id bigint NOT NULL REFERENCES kdx.load_batch ON DELETE CASCADE,
	muni_code char(6) NOT NULL REFERENCES kdx.municipality,
	survey_date date NOT NULL,
	src_sheet text,
	src_row integer NOT NULL,
	special_nursery boolean NOT NULL,      -- 保育所特別な事情
	own_private_nursery boolean NOT NULL,  -- 民間保育所を独自目標に含める
	own_minritsu_club boolean NOT NULL,    -- 民立クラブを独自目標に含める
	PRIMARY KEY (batch_id, muni_code)
);
