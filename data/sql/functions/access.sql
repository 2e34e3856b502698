-- Access control (migration 007 turns row-level security on).
--
-- Row visibility: everyone but members of a kdx_muni_* role sees every row;
-- a member of kdx_muni_<code> sees that municipality's rows.  kdx's own
-- connection owns the tables and is not subject to the policies.

CREATE OR REPLACE FUNCTION kdx.visible_muni(c char(6)) RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname LIKE 'kdx\_muni\_%'
	                          AND pg_has_role(current_user, r.oid, 'MEMBER'))
	            THEN EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = 'kdx_muni_' || c
	                          AND pg_has_role(current_user, r.oid, 'MEMBER'))
	            ELSE true END
$$;

DO $$
DECLARE t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['nursery_fact', 'club_fact', 'procedure_fact', 'platform_fact', 'postpartum_fact',
	                         'setting_fact', 'submission'] LOOP
		EXECUTE format('DROP POLICY IF EXISTS own_rows ON kdx.%I', t);
		EXECUTE format('CREATE POLICY own_rows ON kdx.%I FOR SELECT USING (kdx.visible_muni(muni_code))', t);
		EXECUTE format('DROP POLICY IF EXISTS secretariat_writes ON kdx.%I', t);
		EXECUTE format('CREATE POLICY secretariat_writes ON kdx.%I FOR ALL TO PUBLIC USING (NOT EXISTS (SELECT 1 FROM pg_roles r'
		               ' WHERE r.rolname LIKE %L AND pg_has_role(current_user, r.oid, %L)))', t, 'kdx\_muni\_%', 'MEMBER');
	END LOOP;
END $$;

-- "kdx db roles": the group roles, which administrators grant to login roles:
--   kdx_secretariat      reads and writes everything in schema kdx
--   kdx_auditor          reads snapshots, batches, submissions, facts and job runs; writes nothing
--   kdx_muni_<code>      reads master data and its own rows only
CREATE OR REPLACE FUNCTION kdx.create_roles() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
	m record;
	n integer := 0;
	r text;
BEGIN
	FOREACH r IN ARRAY ARRAY['kdx_secretariat', 'kdx_auditor'] LOOP
		IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
			EXECUTE format('CREATE ROLE %I NOLOGIN', r);
			n := n + 1;
		END IF;
		EXECUTE format('GRANT USAGE ON SCHEMA kdx TO %I', r);
	END LOOP;
	GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA kdx TO kdx_secretariat;
	GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA kdx TO kdx_secretariat;
	GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA kdx TO kdx_secretariat;
	GRANT SELECT ON kdx.snapshot, kdx.snapshot_pending, kdx.load_batch, kdx.submission, kdx.rejection, kdx.job_run,
		kdx.nursery_fact, kdx.club_fact, kdx.procedure_fact, kdx.platform_fact, kdx.postpartum_fact, kdx.setting_fact,
		kdx.prefecture, kdx.municipality, kdx.procedure, kdx.goal, kdx.goal_item, kdx.council, kdx.schema_version,
		kdx.schema_definition
		TO kdx_auditor;
	GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA kdx TO kdx_auditor;
	FOR m IN SELECT code FROM kdx.municipality ORDER BY code LOOP
		r := 'kdx_muni_' || m.code;
		IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
			EXECUTE format('CREATE ROLE %I NOLOGIN', r);
			n := n + 1;
		END IF;
		EXECUTE format('GRANT USAGE ON SCHEMA kdx TO %I', r);
		EXECUTE format('GRANT SELECT ON kdx.prefecture, kdx.municipality, kdx.procedure, kdx.goal, kdx.goal_item, kdx.council,'
		               ' kdx.nursery_fact, kdx.club_fact, kdx.procedure_fact, kdx.platform_fact, kdx.postpartum_fact,'
		               ' kdx.setting_fact, kdx.submission TO %I', r);
	END LOOP;
	RETURN n;
END $$;

