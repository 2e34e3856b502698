-- Deleting a load batch removes its facts: one statement-level trigger, not a
-- foreign-key cascade per row (see migration 008).

CREATE OR REPLACE FUNCTION kdx.load_batch_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM kdx.nursery_fact f USING gone g WHERE f.batch_id = g.id;
	DELETE FROM kdx.club_fact f USING gone g WHERE f.batch_id = g.id;
	DELETE FROM kdx.procedure_fact f USING gone g WHERE f.batch_id = g.id;
	DELETE FROM kdx.platform_fact f USING gone g WHERE f.batch_id = g.id;
	DELETE FROM kdx.postpartum_fact f USING gone g WHERE f.batch_id = g.id;
	DELETE FROM kdx.setting_fact f USING gone g WHERE f.batch_id = g.id;
	RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER load_batch_deleted AFTER DELETE ON kdx.load_batch
	REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION kdx.load_batch_deleted();
