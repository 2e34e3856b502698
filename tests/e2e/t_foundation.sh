# Foundation: the command table, exit codes, migrations, the private cluster.

test_help_lists_every_command() {  # kdx-test: static
	kdx_rc 0 --help
	local help=$OUT
	for c in init ingest status table report template snapshot snapshots verify restore run jobs db; do
		grep -qE "^  $c " <<<"$help" || die "kdx --help does not list $c"
		kdx_rc 0 "$c" --help
		contains "$OUT" "usage: kdx $c"
	done
	# the README's command list and --help agree, both ways
	for c in $(grep -oE '^  [a-z]+ ' <<<"$help" | awk '{print $1}'); do
		grep -q "^    kdx $c " "$ROOT/README.md" || die "README does not document kdx $c"
	done
	for c in $(grep -oE '^    kdx [a-z]+ ' "$ROOT/README.md" | awk '{print $2}'); do
		grep -qE "^  $c " <<<"$help" || die "README documents kdx $c, which --help does not list"
	done
}

test_unknown_command_and_option_exit_64() {  # kdx-test: static
	kdx_rc 64 frobnicate
	contains "$ERR" 'unknown command "frobnicate"'
	kdx_rc 64 init --no-such-option
	contains "$ERR" 'kdx init --help'
	kdx_rc 64
}

test_init_twice_is_a_noop() {
	kdx_rc 0 init --json
	contains "$OUT" '"migrations_applied":'
	local v1 n1
	v1=$(sql "SELECT count(*) FROM kdx.schema_version")
	[ "$v1" -ge 1 ] || die "no migration recorded"
	n1=$(sql "SELECT count(*) FROM kdx.municipality WHERE pref_code = '440001'")
	eq "$n1" 18 "municipalities"
	eq "$(sql "SELECT count(*) FROM kdx.procedure WHERE kind = 'N'")" 18 "new procedures"
	eq "$(sql "SELECT count(*) FROM kdx.procedure WHERE kind = 'K'")" 15 "confirmed procedures"
	eq "$(sql "SELECT count(*) FROM kdx.goal")" 6 "goals"
	local before after
	before=$(sql "SELECT string_agg(version || ':' || applied_at, ',' ORDER BY version) FROM kdx.schema_version")
	kdx_rc 0 init --json
	contains "$OUT" '"migrations_applied":0'
	after=$(sql "SELECT string_agg(version || ':' || applied_at, ',' ORDER BY version) FROM kdx.schema_version")
	eq "$after" "$before" "schema_version after a second init"
}

# Every kdx function, view, trigger and policy as the catalogue prints it, one per line.
schema_definitions() {
	psql -X -q -At -h "$KDX_TEST_SOCKET" -U postgres -d "$1" -v ON_ERROR_STOP=1 -c "
	SELECT 'function ' || p.oid::regprocedure || E'\n' || pg_get_functiondef(p.oid)
	FROM pg_proc p WHERE p.pronamespace = 'kdx'::regnamespace
	UNION ALL SELECT 'view ' || c.relname || E'\n' || pg_get_viewdef(c.oid)
	FROM pg_class c WHERE c.relnamespace = 'kdx'::regnamespace AND c.relkind = 'v'
	UNION ALL SELECT 'trigger ' || pg_get_triggerdef(t.oid)
	FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = 'kdx'::regnamespace AND NOT t.tgisinternal
	UNION ALL SELECT 'policy ' || tablename || ' ' || policyname || ' ' || cmd || ' ' || coalesce(qual, '')
	FROM pg_policies WHERE schemaname = 'kdx'
	ORDER BY 1"
}

test_migrated_and_fresh_warehouses_define_the_same_functions() {
	# a warehouse as kdx left it at migration 010, with data in it
	local old=${T_DB}_v10 f v
	psql -X -q -h "$KDX_TEST_SOCKET" -U postgres -d postgres -c "CREATE DATABASE $old" >/dev/null
	psql -X -q -h "$KDX_TEST_SOCKET" -U postgres -d "$old" -v ON_ERROR_STOP=1 -c "CREATE SCHEMA kdx;
		CREATE TABLE kdx.schema_version (version integer PRIMARY KEY, name text NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now())" >/dev/null
	for f in "$ROOT"/tests/fixtures/schema_v10/0*.sql; do
		v=$(basename "$f"); v=$((10#${v%%_*}))
		psql -X -q -h "$KDX_TEST_SOCKET" -U postgres -d "$old" -v ON_ERROR_STOP=1 -1 -f "$f" \
			-c "INSERT INTO kdx.schema_version (version, name) VALUES ($v, '$(basename "$f")')" >/dev/null
	done
	eq "$(psql -X -q -At -h "$KDX_TEST_SOCKET" -U postgres -d "$old" -c "SELECT count(*) FROM pg_proc
		WHERE pronamespace = 'kdx'::regnamespace AND proname = 'goal_table'")" 1 "the v10 warehouse has goal_table"
	# the old definitions differ from today's (goal_table_councils looked the council up per row)
	psql -X -q -At -h "$KDX_TEST_SOCKET" -U postgres -d "$old" -c "SELECT pg_get_functiondef('kdx.goal_table_councils(text,date)'::regprocedure)" \
		| grep -q 'SELECT kdx.council_code() AS council' || die "the fixture is not the version-10 schema"
	# migrate it, and make a fresh one
	KDX_DATABASE_URL="host=$KDX_TEST_SOCKET dbname=$old user=postgres" kdx_rc 0 init --json
	# every definition file, and the numbered migrations after version 10
	local later=0 m
	for m in "$ROOT"/data/sql/[0-9]*.sql; do m=$(basename "$m"); [ "$((10#${m%%_*}))" -le 10 ] || later=$((later + 1)); done
	contains "$OUT" "\"migrations_applied\":$(( $(ls "$ROOT"/data/sql/functions/*.sql | wc -l) + later ))"
	kdx_rc 0 init --quiet
	local a b
	a=$(schema_definitions "$old")
	b=$(schema_definitions "$T_DB")
	eq "$(grep -c '^function ' <<<"$b")" "$(cat "$ROOT"/data/sql/functions/*.sql | grep -cE '^CREATE (OR REPLACE )?FUNCTION')" \
		"kdx functions in the warehouse against the definition files"
	contains "$b" 'policy nursery_fact own_rows SELECT kdx.visible_muni(muni_code)'
	contains "$b" 'trigger CREATE TRIGGER load_batch_deleted AFTER DELETE ON kdx.load_batch'
	contains "$b" 'SET enable_nestloop TO '"'"'off'"'"
	if [ "$a" != "$b" ]; then
		diff <(echo "$a") <(echo "$b") | head -40
		die "a warehouse migrated from version 10 and a fresh one define different functions"
	fi
	# the council is looked up once per query (an InitPlan), no longer per row
	not_contains "$b" 'SELECT kdx.council_code() AS council'
	# a second init applies nothing: every definition file is recorded with its hash
	kdx_rc 0 init --json
	contains "$OUT" '"migrations_applied":0'
	eq "$(sql "SELECT count(*) FROM kdx.schema_definition")" "$(ls "$ROOT"/data/sql/functions/*.sql | wc -l)" "definition files recorded"
	# a changed definition file is applied again: simulate with a stale hash
	sql "UPDATE kdx.schema_definition SET sha256 = repeat('0', 64) WHERE file = 'functions/goals.sql'" >/dev/null
	kdx_rc 0 init --json
	contains "$OUT" '"migrations_applied":1'
	eq "$(schema_definitions "$T_DB")" "$b" "definitions after re-applying goals.sql"
	psql -X -q -h "$KDX_TEST_SOCKET" -U postgres -d postgres -c "DROP DATABASE $old" >/dev/null
}

test_master_data_matches_spec() {
	kdx_rc 0 init --quiet
	eq "$(sql "SELECT name FROM kdx.municipality WHERE code = '443417'")" "日出町"
	eq "$(sql "SELECT string_agg(short_name, ' ' ORDER BY ord) FROM kdx.municipality")" \
	   "大分 別府 中津 日田 佐伯 臼杵 津久見 竹田 豊後高田 杵築 宇佐 豊後大野 由布 国東 姫島 日出 九重 玖珠"
	eq "$(sql "SELECT deadline || ' ' || extended_deadline FROM kdx.goal WHERE id = 'nursery'")" "2027-03-31 2028-03-31"
	eq "$(sql "SELECT target FROM kdx.goal WHERE id = 'clubs'")" "0.8"
	eq "$(sql "SELECT name FROM kdx.procedure WHERE id = 'N08'")" "産後ケア事業の申請"
	eq "$(sql "SELECT count(*) FROM kdx.goal_item WHERE goal = 'pmh' AND in_target")" 2
}

test_unreachable_warehouse_exits_69() {  # kdx-test: static
	export KDX_DATABASE_URL="host=$KDX_HOME/nowhere dbname=x user=postgres password=sekrit"
	kdx_rc 69 init
	contains "$ERR" "could not connect to the warehouse at socket \"$KDX_HOME/nowhere\""
	not_contains "$ERR" "sekrit"
	kdx_rc 64 db start
}

# The private cluster as a new user meets it: KDX_HOME inside a 0700 folder,
# no connection configured, reused by a second process, stopped cleanly.
# A data directory another major version of PostgreSQL made is refused before
# the server is started (exit 69, both versions named, the way forward), and
# nothing in it changes; with its own version back it starts again.
test_data_directory_of_another_postgresql_is_refused() {
	local top
	top=$(mktemp -d "$KDX_TEST_ROOT/v.XXXXXX")
	chmod 700 "$top"
	unset KDX_DATABASE_URL
	export KDX_HOME="$top/home"
	mkdir "$KDX_HOME"
	at_exit "KDX_HOME='$KDX_HOME' '$KDX' --quiet db stop >/dev/null 2>&1"
	kdx_rc 0 init --quiet
	kdx_rc 0 db stop
	local pgv="$KDX_HOME/var/pg/PG_VERSION" major
	major=$(/usr/lib/postgresql/15/bin/postgres --version | sed -n 's/^postgres (PostgreSQL) \([0-9]*\).*/\1/p')
	eq "$(cat "$pgv")" "$major" "PG_VERSION of a warehouse this PostgreSQL made"
	echo 16 >"$pgv"
	local before; before=$(cd "$KDX_HOME/var/pg" && find . -type f -newer "$pgv" | wc -l)
	kdx_rc 69 status
	contains "$ERR" "was made by PostgreSQL 16; the server here is PostgreSQL $major"
	contains "$ERR" "KDX_PG_BINDIR"
	contains "$ERR" "pg_upgrade"
	[ ! -e "$KDX_HOME/var/pg/postmaster.pid" ] || die "the server was started"
	eq "$(cat "$pgv")" "16" "PG_VERSION after the refusal"
	eq "$(cd "$KDX_HOME/var/pg" && find . -type f -newer "$pgv" | wc -l)" "$before" "files changed in the data directory"
	echo "$major" >"$pgv"
	kdx_rc 0 status --quiet
	kdx_rc 0 db stop
}

test_private_cluster_in_0700_folder() {
	local top
	top=$(mktemp -d "$KDX_TEST_ROOT/p.XXXXXX")   # mode 0700
	chmod 700 "$top"
	unset KDX_DATABASE_URL
	export KDX_HOME="$top/home"
	mkdir "$KDX_HOME"
	at_exit "KDX_HOME='$KDX_HOME' '$KDX' --quiet db stop >/dev/null 2>&1"
	kdx_rc 0 init
	contains "$OUT" "council 440001 with 18 municipalities"
	kdx_rc 0 db status
	contains "$OUT" "status: running"
	local pid1; pid1=$(sed -n 1p "$KDX_HOME/var/pg/postmaster.pid")
	# a second process reuses the running cluster
	kdx_rc 0 init --json
	eq "$(sed -n 1p "$KDX_HOME/var/pg/postmaster.pid")" "$pid1" "postmaster pid"
	# nothing listens on TCP
	if command -v ss >/dev/null; then
		! ss -ltnp 2>/dev/null | grep -q "pid=$pid1," || die "the private cluster listens on TCP"
	fi
	eq "$(stat -c %a "$KDX_HOME/var/pg")" 700 "data dir mode"
	eq "$(stat -c %a "$KDX_HOME/var/run")" 700 "socket dir mode"
	kdx_rc 0 db stop
	kdx_rc 69 db status
	contains "$OUT" "status: stopped"
	# a stale postmaster.pid left by a crash is handled
	printf '999999\n%s\n' "$KDX_HOME/var/pg" >"$KDX_HOME/var/pg/postmaster.pid"
	chown postgres "$KDX_HOME/var/pg/postmaster.pid" 2>/dev/null || true
	kdx_rc 0 init --quiet
	kdx_rc 0 db stop
}

# Access control: a municipality's role reads only its own rows; the auditor reads, never writes.
test_roles_and_row_level_security() {  # kdx-test: serial
	use_fixture init
	for f in "$SAMPLE"/2025-*; do kdx_rc 0 ingest --quiet "$f"; done
	# the sample's 18 municipalities (data/master/municipalities.csv), the secretariat and the auditor
	kdx_rc 0 db roles
	contains "$OUT" "20 roles created; 20 kdx roles in all"
	kdx_rc 0 db roles   # idempotent
	contains "$OUT" "0 roles created; 20 kdx roles in all"
	eq "$(sql "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'kdx\_muni\_%'")" 18
	local own other
	for t in nursery_fact club_fact procedure_fact platform_fact postpartum_fact setting_fact submission; do
		other=$(psql -X -q -At -h "$KDX_TEST_SOCKET" -U postgres -d "$T_DB" -c "SET ROLE kdx_muni_442011; SELECT count(*) FROM kdx.$t WHERE muni_code <> '442011'")
		eq "$other" 0 "$t rows of other municipalities seen by kdx_muni_442011"
		own=$(psql -X -q -At -h "$KDX_TEST_SOCKET" -U postgres -d "$T_DB" -c "SET ROLE kdx_muni_442011; SELECT count(*) FROM kdx.$t")
		[ "$own" -gt 0 ] || die "kdx_muni_442011 sees none of its own $t rows"
	done
	eq "$(psql -X -q -At -h "$KDX_TEST_SOCKET" -U postgres -d "$T_DB" -c "SET ROLE kdx_secretariat; SELECT count(DISTINCT muni_code) FROM kdx.club_fact")" 18
	! psql -X -q -At -h "$KDX_TEST_SOCKET" -U postgres -d "$T_DB" -c "SET ROLE kdx_muni_442011; SELECT count(*) FROM kdx.load_batch" 2>/dev/null || die "a municipality reads the load batches"
	! psql -X -q -At -h "$KDX_TEST_SOCKET" -U postgres -d "$T_DB" -c "SET ROLE kdx_muni_442011; DELETE FROM kdx.club_fact" 2>/dev/null || die "a municipality deleted rows"
	eq "$(psql -X -q -At -h "$KDX_TEST_SOCKET" -U postgres -d "$T_DB" -c "SET ROLE kdx_auditor; SELECT count(*) > 0 FROM kdx.load_batch")" t
	! psql -X -q -At -h "$KDX_TEST_SOCKET" -U postgres -d "$T_DB" -c "SET ROLE kdx_auditor; DELETE FROM kdx.snapshot" 2>/dev/null || die "the auditor could write"
	[ "$(sql "SELECT count(*) FROM kdx.club_fact")" -gt 0 ] || die "rows were deleted"
}

# The layers are lib -> etl -> charts -> reports -> archive -> jobs: a file
# includes the headers of its own layer and those below, never above.  A header
# belongs to the layer of the file that implements it.
test_layers_include_only_downward() {  # kdx-test: static
	local -A layer=([lib]=0 [etl]=1 [charts]=2 [reports]=3 [archive]=4 [jobs]=5)
	local -A owner=([cli]=jobs [reader]=etl [report]=reports [version]=lib [embedded]=lib)
	local h m f dir bad=0 src inc
	for h in "$ROOT"/include/kdx/*.h; do
		m=$(basename "$h" .h)
		[ -n "${owner[$m]:-}" ] && continue
		f=$(cd "$ROOT" && ls lib/"$m".c etl/"$m".c charts/"$m".c reports/"$m".c archive/"$m".c jobs/"$m".c 2>/dev/null | head -1)
		[ -n "$f" ] || die "no file implements include/kdx/$m.h, and it has no owner in this test"
		owner[$m]=${f%%/*}
	done
	for src in "$ROOT"/{lib,etl,charts,reports,archive,jobs}/*.c; do
		dir=$(basename "$(dirname "$src")")
		while read -r inc; do
			if [ "${layer[${owner[$inc]}]}" -gt "${layer[$dir]}" ]; then
				echo "${src#$ROOT/} includes kdx/$inc.h (${owner[$inc]})"
				bad=1
			fi
		done < <(sed -n 's/^#include "kdx\/\([a-z_]*\)\.h".*/\1/p' "$src")
	done
	# headers include downward too
	for h in "$ROOT"/include/kdx/*.h; do
		m=$(basename "$h" .h)
		while read -r inc; do
			if [ "${layer[${owner[$inc]}]}" -gt "${layer[${owner[$m]}]}" ]; then
				echo "include/kdx/$m.h includes kdx/$inc.h (${owner[$inc]})"
				bad=1
			fi
		done < <(sed -n 's/^#include "kdx\/\([a-z_]*\)\.h".*/\1/p' "$h")
	done
	eq "$bad" 0 "includes that run upward"
}

# An auditor reads the verifying and restoring side of the archive without the
# writer: archive/verify.c and archive/restore.c reach kdx/bag.h through none
# of their includes, direct or through other headers.
test_auditor_side_reads_without_the_writer() {  # kdx-test: static
	local src inc bad=0
	local -a todo
	local -A seen
	for src in "$ROOT"/archive/verify.c "$ROOT"/archive/restore.c; do
		seen=()
		mapfile -t todo < <(sed -n 's/^#include "kdx\/\([a-z_]*\)\.h".*/\1/p' "$src")
		while [ ${#todo[@]} -gt 0 ]; do
			inc=${todo[0]}
			todo=("${todo[@]:1}")
			[ -n "${seen[$inc]:-}" ] && continue
			seen[$inc]=1
			mapfile -t -O ${#todo[@]} todo < <(sed -n 's/^#include "kdx\/\([a-z_]*\)\.h".*/\1/p' "$ROOT/include/kdx/$inc.h")
		done
		if [ -n "${seen[bag]:-}" ]; then
			echo "${src#$ROOT/} reaches kdx/bag.h, the writer"
			bad=1
		fi
	done
	eq "$bad" 0 "auditor's files that need the writer"
}

# Commands that only read (table, status, jobs, snapshots, verify) never change
# the schema: a warehouse behind this kdx is refused with the way to upgrade it,
# and stays as it was; the commands that write bring it up to date.
test_read_only_commands_never_migrate() {
	kdx_rc 69 table nursery
	contains "$ERR" "has no kdx schema"
	contains "$ERR" 'Run "kdx init"'
	eq "$(sql "SELECT count(*) FROM pg_namespace WHERE nspname = 'kdx'")" 0 "schema made by a read-only command"
	kdx_rc 0 init --quiet
	sql "UPDATE kdx.schema_definition SET sha256 = repeat('0', 64) WHERE file = 'functions/goals.sql'" >/dev/null
	local c
	for c in "table nursery" "status" "jobs" "snapshots" "verify --all"; do
		# shellcheck disable=SC2086
		kdx_rc 69 $c
		contains "$ERR" "is not this kdx's" "kdx $c"
		contains "$ERR" "1 schema file of kdx" "kdx $c"
		contains "$ERR" 'Run "kdx init" to upgrade it' "kdx $c"
	done
	eq "$(sql "SELECT sha256 FROM kdx.schema_definition WHERE file = 'functions/goals.sql'")" "$(printf '0%.0s' $(seq 64))" \
		"definitions after the read-only commands"
	kdx_rc 0 ingest --quiet "$SAMPLE/2025-10-01_市町村設定.csv"
	kdx_rc 0 table nursery --as-of 2026-11-30
	not_contains "$(sql "SELECT sha256 FROM kdx.schema_definition WHERE file = 'functions/goals.sql'")" "0000000000"
}
