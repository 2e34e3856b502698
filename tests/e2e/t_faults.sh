# Faults, races and roles: nothing leaves a false state behind.

# wait_for SQL: poll until the query returns a number above 0 (10 s at most)
wait_for() {
	local n=0
	until [ "$(sql "$1")" -gt 0 ]; do
		sleep 0.1; n=$((n + 1)); [ $n -lt 100 ] || die "never true: $1"
	done
}

# The same file by two kdx at once: one loads it, the other waits and says
# "already loaded"; both exit 0 and there is one batch.
test_same_file_twice_at_once() {
	use_fixture init
	/usr/bin/python3 "$ROOT/tests/bench/gen.py" big.csv 100000
	set +e
	"$KDX" ingest big.csv >a.out 2>a.err & local a=$!
	"$KDX" ingest big.csv >b.out 2>b.err & local b=$!
	wait $a; local ra=$?
	wait $b; local rb=$?
	set -e
	cat a.err b.err
	eq "$ra $rb" "0 0" "exit codes"
	eq "$(cat a.out b.out | grep -c '^loaded big.csv')" 1 "loads"
	eq "$(cat a.out b.out | grep -c 'already loaded as batch')" 1 "already loaded"
	eq "$(sql "SELECT count(*) FROM kdx.load_batch")" 1 "batches"
	eq "$(sql "SELECT count(*) FROM kdx.nursery_fact")" 100000 "rows"
}

# Three `kdx ingest --inbox` at once over one inbox: every file is loaded once,
# every run exits 0, and the inbox is left empty.
test_several_inbox_runs_at_once() {
	use_fixture init
	mkdir -p inbox
	cp "$SAMPLE"/* inbox/
	local n; n=$(ls inbox | wc -l)
	set +e
	local pids=() k
	for k in 1 2 3; do "$KDX" ingest --inbox --quiet >"run$k.out" 2>"run$k.err" & pids+=($!); done
	local rcs=""
	for k in "${pids[@]}"; do wait "$k"; rcs="$rcs $?"; done
	set -e
	cat run*.err
	eq "$rcs" " 0 0 0" "exit codes"
	not_contains "$(cat run*.err)" "duplicate key"
	eq "$(sql "SELECT count(*) FROM kdx.load_batch")" "$n" "batches"
	eq "$(ls inbox/done | wc -l)" "$n" "files in done/"
	eq "$(ls inbox | grep -v -e '^done$' -e '^rejected$' | wc -l)" 0 "files left in the inbox"
}

# Three first `kdx init` at once on an empty database: all succeed, the
# schema is there once.
test_several_first_inits_at_once() {
	set +e
	local pids=() k
	for k in 1 2 3; do "$KDX" init --quiet >"init$k.out" 2>"init$k.err" & pids+=($!); done
	local rcs=""
	for k in "${pids[@]}"; do wait "$k"; rcs="$rcs $?"; done
	set -e
	cat init*.err
	eq "$rcs" " 0 0 0" "exit codes"
	eq "$(sql "SELECT count(*) FROM kdx.schema_version")" "$(ls "$ROOT"/data/sql/[0-9]*.sql | wc -l)" "migrations applied"
	eq "$(sql "SELECT count(*) FROM kdx.municipality")" 18
}

# A monthly job killed with -9 is marked interrupted by the next run (the
# lock is free, so its holder is gone), and its unfinished files are removed.
test_killed_job_is_marked_interrupted() {
	use_fixture init
	mkdir -p inbox
	cp "$SAMPLE"/* inbox/
	"$KDX" run monthly --as-of 2026-11-30 >/dev/null 2>&1 &
	local job=$!
	wait_for "SELECT count(*) FROM kdx.job_run WHERE status = 'running'"
	kill -9 $job
	wait $job 2>/dev/null || true
	kdx_rc 0 jobs --json
	contains "$OUT" '"status":"running"'
	# an unfinished file of the killed writer (a pid that no longer runs), and
	# one of a writer that still runs, which must stay
	sleep 0 & local dead=$!; wait $dead
	mkdir -p out/2026-11-30/council
	echo half >"out/2026-11-30/council/x.pdf.tmp$dead"
	echo busy >"out/2026-11-30/council/y.pdf.tmp$$"
	kdx_rc 0 run monthly --as-of 2026-11-30
	contains "$ERR" "had been interrupted"
	eq "$(sql "SELECT status FROM kdx.job_run ORDER BY id LIMIT 1")" "interrupted"
	contains "$(sql "SELECT message FROM kdx.job_run ORDER BY id LIMIT 1")" "中断"
	eq "$(sql "SELECT count(*) FROM kdx.job_run WHERE status = 'running'")" 0 "runs still marked running"
	[ ! -e "out/2026-11-30/council/x.pdf.tmp$dead" ] || die "the dead writer's file is still there"
	[ -e "out/2026-11-30/council/y.pdf.tmp$$" ] || die "a live writer's file was removed"
	rm "out/2026-11-30/council/y.pdf.tmp$$"
	eq "$(find out -name '*.tmp*' | wc -l)" 0 "unfinished files"
}

# The warehouse going away under a running report is exit 69 with a clear
# message, not 70 "query failed".
test_warehouse_lost_under_a_report_is_69() {
	use_fixture sample
	# hold the report's tables so that its queries wait, then end its sessions
	psql -X -q -h "$KDX_TEST_SOCKET" -U postgres -d "$T_DB" -c "BEGIN" -c "LOCK TABLE kdx.nursery_fact, kdx.club_fact IN ACCESS EXCLUSIVE MODE" \
		-c "SELECT pg_sleep(30)" >/dev/null 2>&1 &
	local holder=$!
	wait_for "SELECT count(*) FROM pg_locks WHERE database = (SELECT oid FROM pg_database WHERE datname = current_database())
		AND relation = 'kdx.nursery_fact'::regclass AND mode = 'AccessExclusiveLock' AND granted"
	set +e
	"$KDX" report --as-of 2026-11-30 --out o >r.out 2>r.err &
	local rep=$!
	wait_for "SELECT count(*) FROM pg_stat_activity WHERE datname = '$T_DB' AND wait_event_type = 'Lock'"
	sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$T_DB' AND wait_event_type = 'Lock'" >/dev/null
	wait $rep; local rc=$?
	set -e
	kill $holder 2>/dev/null || true
	wait $holder 2>/dev/null || true
	cat r.err
	eq "$rc" 69 "exit code"
	contains "$(cat r.err)" "kdx: error: the warehouse at"
	contains "$(cat r.err)" "stopped answering"
	contains "$(cat r.err)" "terminating connection due to administrator command"
}

# A full disk names the file and says so; no unfinished file is left.
test_disk_full_names_the_file() {
	use_fixture sample
	mkdir full
	mount -t tmpfs -o size=600k tmpfs full || die "cannot mount a small file system for the test"
	set +e
	"$KDX" report --as-of 2026-11-30 --out full/o >r.out 2>r.err
	local rc=$?
	set -e
	local left; left=$(find full -name '*.tmp*' | wc -l)
	umount full
	cat r.err
	eq "$rc" 74 "exit code"
	contains "$(cat r.err)" 'could not write "full/o/'
	contains "$(cat r.err)" "No space left on device"
	not_contains "$(cat r.err)" ".tmp"
	eq "$left" 0 "unfinished files"
}

# An archive with an entry twice is refused before anything is written.
test_restore_checks_every_entry_before_writing() {
	/usr/bin/python3 - <<'PY'
import io, tarfile
with tarfile.open('dup.tar.gz', 'w:gz') as t:
    for name, data in [('kdx-x/bagit.txt', b'BagIt-Version: 1.0\n'), ('kdx-x/data/a.csv', b'1\n'),
                       ('kdx-x/data/b.csv', b'2\n'), ('kdx-x/data/a.csv', b'evil\n')]:
        ti = tarfile.TarInfo(name); ti.size = len(data); t.addfile(ti, io.BytesIO(data))
PY
	kdx_rc 65 restore dup.tar.gz --out into
	contains "$ERR" 'holds "kdx-x/data/a.csv" twice'
	contains "$ERR" "Nothing was written"
	[ ! -e into ] || [ -z "$(find into -type f)" ] || die "restore wrote files: $(find into -type f)"
}

# verify --all names an archive in archive/ that the warehouse never recorded.
test_verify_all_names_unrecorded_archives() {
	use_fixture snapshot
	kdx_rc 0 verify --all
	local a; a=$(find archive -name '*.tar.gz' | head -1)
	cp "$a" archive/2026-11-30/stray.tar.gz
	kdx_rc 65 verify --all
	contains "$ERR" "archive/2026-11-30/stray.tar.gz: an archive the warehouse has no record of"
}

# The kdx roles and the logins a test made (roles belong to the whole cluster,
# which later tests share), and their sessions.
drop_roles() {
	psql -X -q -h "$KDX_TEST_SOCKET" -U postgres -d "$T_DB" >/dev/null 2>&1 <<SQL
SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename LIKE '%\_$T_DB';
DO \$\$ DECLARE r text; BEGIN
	FOR r IN SELECT rolname FROM pg_roles WHERE rolname LIKE 'kdx\_%' OR rolname LIKE '%\_$T_DB' LOOP
		EXECUTE format('DROP OWNED BY %I', r);
		EXECUTE format('DROP ROLE %I', r);
	END LOOP;
END \$\$;
SQL
}

# A municipality's or an auditor's login cannot hold up a job: kdx's locks
# are rows they may not lock, and the advisory keys kdx once used mean nothing.
test_a_reader_role_cannot_block_a_job() {  # kdx-test: serial
	use_fixture init
	# roles are the cluster's: take them away again whatever happens here
	at_exit drop_roles
	kdx_rc 0 db roles
	# a municipal officer's and an auditor's logins
	local officer="officer_$T_DB" auditor="auditor_$T_DB"
	sql "CREATE ROLE $officer LOGIN IN ROLE kdx_muni_442011; CREATE ROLE $auditor LOGIN IN ROLE kdx_auditor" >/dev/null
	local k
	for k in 4454890001 4454890002 4454890003; do
		psql -X -q -h "$KDX_TEST_SOCKET" -U "$officer" -d "$T_DB" -c "SELECT pg_advisory_lock($k), pg_sleep(30)" >/dev/null 2>&1 &
	done
	wait_for "SELECT greatest(count(*) - 2, 0) FROM pg_locks WHERE locktype = 'advisory' AND granted"
	# nor can it lock kdx's own lock rows
	set +e
	local denied
	denied=$(psql -X -q -h "$KDX_TEST_SOCKET" -U "$officer" -d "$T_DB" -c "SELECT * FROM kdx.lock FOR UPDATE" 2>&1)
	set -e
	contains "$denied" "permission denied"
	denied=$(psql -X -q -h "$KDX_TEST_SOCKET" -U "$auditor" -d "$T_DB" -c "SELECT * FROM kdx.lock FOR UPDATE" 2>&1 || true)
	contains "$denied" "permission denied"
	mkdir -p inbox
	cp "$SAMPLE"/2025-10-01_市町村設定.csv inbox/
	kdx_rc 0 run nightly --as-of 2025-12-31
	kdx_rc 0 snapshot --as-of 2025-12-31
	kdx_rc 0 init --quiet
}
