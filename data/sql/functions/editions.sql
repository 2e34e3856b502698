-- Editions (版, SPEC §5): a report of an as-of carries the number of the
-- snapshot that archives (or will archive) the data it was made from.

-- The snapshot of p_asof whose data hash is p_hash, or else the number the
-- next snapshot of p_asof will take.  SECURITY DEFINER: a municipality's role,
-- which may not read kdx.snapshot, still gets its reports' edition.
CREATE OR REPLACE FUNCTION kdx.edition(p_asof date, p_hash text) RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(
		(SELECT s.seq FROM kdx.snapshot s WHERE s.as_of = p_asof AND s.data_sha256 = p_hash ORDER BY s.id DESC LIMIT 1),
		(SELECT coalesce(max(s.seq), 0) + 1 FROM kdx.snapshot s WHERE s.as_of = p_asof))
$$;
