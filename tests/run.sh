#!/usr/bin/env bash
# The test runner: cmocka unit binaries (given as arguments), then the
# end-to-end cases in tests/e2e/*.sh against one throwaway PostgreSQL cluster
# that this run starts and stops.  Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
export KDX="$ROOT/build/san/kdx"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=99"
export LSAN_OPTIONS="suppressions=$ROOT/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
passed=0
failed=0
failures=()

# --- unit tests -----------------------------------------------------------
for bin in "$@"; do
	name=$(basename "$bin")
	args=()
	case "$name" in replay_*)
		t=${name#replay_}
		args=(tests/fuzz/corpus/"$t"/* $(ls tests/fuzz/crashes/"$t"/* 2>/dev/null)) ;;
	esac
	out=$("$bin" "${args[@]}" 2>&1)
	rc=$?
	ok=$(grep -c '^\[       OK \]' <<<"$out")
	bad=$(grep -c '^\[  FAILED  \] [^0-9]' <<<"$out")
	if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then bad=1; fi
	passed=$((passed + ok))
	failed=$((failed + bad))
	if [ "$bad" -ne 0 ]; then
		failures+=("unit:$name")
		echo "$out" | grep -E 'FAILED|ERROR|error|Assert|Sanitizer' | head -20
	fi
	echo "unit $name: $ok passed, $bad failed"
done

# --- end-to-end tests -----------------------------------------------------
# One cluster for the run (made by kdx init), in a mktemp -d folder (mode 0700, as a real
# user's home may be); each test gets its own database and KDX_HOME.
TMPROOT=$(mktemp -d /tmp/kdx-test.XXXXXX)
export KDX_TEST_ROOT=$TMPROOT
export KDX_PG_FAST=1
cluster_home="$TMPROOT/cluster"
cleanup() {
	KDX_HOME="$cluster_home" "$KDX" --quiet db stop >/dev/null 2>&1
	rm -rf "$TMPROOT"
}
trap cleanup EXIT
(unset KDX_DATABASE_URL PGHOST PGDATABASE PGUSER PGPORT PGSERVICE;
 KDX_HOME="$cluster_home" "$KDX" --quiet init) >"$TMPROOT/cluster.log" 2>&1 || {
	cat "$TMPROOT/cluster.log"; echo "0 passed, 1 failed"; exit 1; }
export KDX_TEST_SOCKET="$cluster_home/var/run"

dbn=0
run_case() {  # file function
	local file=$1 fn=$2
	dbn=$((dbn + 1))
	local home="$TMPROOT/t$dbn"
	mkdir -p "$home"
	local log="$home/test.log"
	psql -X -q -h "$KDX_TEST_SOCKET" -U postgres -d postgres -c "CREATE DATABASE t$dbn" >/dev/null 2>&1
	(
		set -e
		export KDX_HOME="$home"
		export KDX_DATABASE_URL="host=$KDX_TEST_SOCKET dbname=t$dbn user=postgres"
		export T_DB="t$dbn"
		cd "$home"
		source "$ROOT/tests/e2e/lib.sh"
		source "$ROOT/tests/e2e/$file"
		"$fn"
	) >"$log" 2>&1
	local rc=$?
	if [ $rc -eq 0 ]; then
		passed=$((passed + 1))
		echo "ok   $file $fn"
	else
		failed=$((failed + 1))
		failures+=("$file:$fn")
		echo "FAIL $file $fn (exit $rc)"
		tail -n ${KDX_TEST_TAIL:-25} "$log" | sed 's/^/     | /'
	fi
	psql -X -q -h "$KDX_TEST_SOCKET" -U postgres -d postgres -c "DROP DATABASE IF EXISTS t$dbn" >/dev/null 2>&1
}

only=${KDX_TEST_ONLY:-}
for f in tests/e2e/t_*.sh; do
	file=$(basename "$f")
	for fn in $(grep -oE '^test_[A-Za-z0-9_]+' "$f"); do
		if [ -n "$only" ] && [[ "$file:$fn" != *"$only"* ]]; then continue; fi
		run_case "$file" "$fn"
	done
done

if [ ${#failures[@]} -gt 0 ]; then
	echo "failed: ${failures[*]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
