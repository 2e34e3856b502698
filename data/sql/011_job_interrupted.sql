-- 011: a job run whose process ended before it finished (killed, or its
-- machine lost) is marked interrupted by the next run that takes the lock.
ALTER TABLE kdx.job_run DROP CONSTRAINT job_run_status_check,
	ADD CONSTRAINT job_run_status_check CHECK (status IN ('running', 'ok', 'rejected-files', 'failed', 'interrupted'));
