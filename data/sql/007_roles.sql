-- 007: access control.  kdx.create_roles() (run by "kdx db roles") creates
-- group roles; administrators grant them to login roles:
--   kdx_secretariat      reads and writes everything in schema kdx
--   kdx_auditor          reads snapshots, batches, submissions, facts and job runs; writes nothing
--   kdx_muni_<code>      reads master data and its own rows only (row-level security)
-- kdx's own connection owns the tables and is not subject to the policies.
-- The policies and kdx.create_roles() are in functions/access.sql.
DO $$
DECLARE t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['nursery_fact', 'club_fact', 'procedure_fact', 'platform_fact', 'postpartum_fact',
	                         'setting_fact', 'submission'] LOOP
		EXECUTE format('ALTER TABLE kdx.%I ENABLE ROW LEVEL SECURITY', t);
	END LOOP;
END $$;
