-- 013: a snapshot's archive is recorded here before it takes its name (the
-- rename that puts it in place), and the row goes in the statement that
-- records the snapshot in kdx.snapshot.  A row left behind is a snapshot that
-- did not finish (kdx killed, or its machine lost, between the two): its
-- archive reads as interrupted (中断), not as one the warehouse never knew.
CREATE TABLE kdx.snapshot_pending (
	as_of date NOT NULL,
	seq integer NOT NULL,
	path text NOT NULL,
	tagmanifest_sha256 char(64) PRIMARY KEY,
	previous_sha256 char(64),
	archive_sha256 char(64) NOT NULL,
	started_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
