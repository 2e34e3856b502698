-- 008: fact tables built for bulk loading (issue 8).
--
-- A fact row's batch and municipality were checked by a foreign-key trigger
-- per row, which cost more than the COPY itself at a million rows.  The
-- loader already resolves every municipality against the master data before a
-- row is sent, writes the batch and its kdx.submission rows (which keep their
-- foreign keys) in the same transaction as the COPY, and compares the rows
-- the server took with the rows it counted.  Deleting a batch still removes
-- its facts, by one statement-level trigger (functions/batches.sql) instead
-- of a cascade per row.
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['nursery_fact', 'club_fact', 'procedure_fact', 'platform_fact', 'postpartum_fact', 'setting_fact'] LOOP
		EXECUTE format('ALTER TABLE kdx.%I DROP CONSTRAINT IF EXISTS %I, DROP CONSTRAINT IF EXISTS %I',
		               t, t || '_batch_id_fkey', t || '_muni_code_fkey');
	END LOOP;
END $$;
