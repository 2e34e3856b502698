-- 003: the national view.  The adoption tables of the six goals (SPEC §2) are
-- computed in the warehouse, so that reports, workbooks and any BI tool read
-- the same numbers; their functions are in functions/goals.sql.
--
-- 000000 (全国) is the council of the national view: every municipality in the
-- master data (functions/council.sql).
INSERT INTO kdx.prefecture (code, name) VALUES ('000000', '全国') ON CONFLICT (code) DO NOTHING;
