-- 006: archived snapshots (a hash chain) and recorded job runs.
CREATE TABLE kdx.snapshot (
	id bigserial PRIMARY KEY,
	as_of date NOT NULL,
	seq integer NOT NULL,
	path text NOT NULL,
	tagmanifest_sha256 char(64) NOT NULL UNIQUE,
	previous_sha256 char(64),
	archive_sha256 char(64) NOT NULL,
	data_sha256 char(64) NOT NULL,
	manifest_sha256 char(64) NOT NULL,  -- the payload manifest: same payload, same value
	payload_files integer NOT NULL,
	payload_bytes bigint NOT NULL,
	created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
	UNIQUE (as_of, seq)
);

CREATE TABLE kdx.job_run (
	id bigserial PRIMARY KEY,
	job text NOT NULL CHECK (job IN ('nightly', 'monthly')),
	as_of date NOT NULL,
	started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
	finished_at timestamptz,
	status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'ok', 'rejected-files', 'failed')),
	files_loaded integer NOT NULL DEFAULT 0,
	files_already integer NOT NULL DEFAULT 0,
	files_rejected integer NOT NULL DEFAULT 0,
	rows_loaded bigint NOT NULL DEFAULT 0,
	reports integer NOT NULL DEFAULT 0,
	templates integer NOT NULL DEFAULT 0,
	snapshot_id bigint REFERENCES kdx.snapshot,
	message text
);
