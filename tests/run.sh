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
unit_tests=0
cases=0
assertions=0
now() { echo "${EPOCHREALTIME/[.,]/}"; }   # microseconds
secs() { local d=$((($2 - $1) / 100000)); echo "$((d / 10)).$((d % 10))"; }

# --- unit tests -----------------------------------------------------------
for bin in "$@"; do
	name=$(basename "$bin")
	args=()
	case "$name" in replay_*)
		t=${name#replay_}
		args=(tests/fuzz/corpus/"$t"/* $(ls tests/fuzz/crashes/"$t"/* 2>/dev/null)) ;;
	esac
	t0=$(now)
	out=$("$bin" "${args[@]}" 2>&1)
	rc=$?
	t=$(secs "$t0" "$(now)")
	ok=$(grep -c '^\[       OK \]' <<<"$out")
	bad=$(grep -c '^\[  FAILED  \] [^0-9]' <<<"$out")
	if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then bad=1; fi
	passed=$((passed + ok))
	failed=$((failed + bad))
	unit_tests=$((unit_tests + ok + bad))
	if [ "$bad" -ne 0 ]; then
		failures+=("unit:$name")
		echo "$out" | grep -E 'FAILED|ERROR|error|Assert|Sanitizer' | head -20
	fi
	echo "unit $name: $ok passed, $bad failed ($t s)"
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

# The case files as they are sourced: every "CHECK || die" counts as an
# assertion when it holds ("&& _pass" before it; tests/e2e/lib.sh), except on
# the lines of a polling loop (those that sleep), whose checks repeat.
mkdir -p "$TMPROOT/src"
for f in tests/e2e/t_*.sh; do
	sed -E '/sleep /!{
		s/\|\|( *)die\b/\&\& _pass ||\1die/g
		s/\|\|( *)\{(.*\bdie\b)/\&\& _pass ||\1{\2/
		s/(&& *die .*)$/\1 || _pass/
	}' "$f" >"$TMPROOT/src/${f##*/}"
done
mkdir -p build
: >build/test-times.tsv.new

dbn=0
run_case() {  # file function
	local file=$1 fn=$2
	dbn=$((dbn + 1))
	local home="$TMPROOT/t$dbn"
	mkdir -p "$home"
	local log="$home/test.log"
	local t0; t0=$(now)
	psql -X -q -h "$KDX_TEST_SOCKET" -U postgres -d postgres -c "CREATE DATABASE t$dbn" >/dev/null 2>&1
	(
		set -e
		export KDX_HOME="$home"
		export KDX_DATABASE_URL="host=$KDX_TEST_SOCKET dbname=t$dbn user=postgres"
		export T_DB="t$dbn"
		export KDX_TEST_COUNT="$home/.assertions"
		cd "$home"
		source "$ROOT/tests/e2e/lib.sh"
		source "$TMPROOT/src/$file"
		"$fn"
	) >"$log" 2>&1
	local rc=$?
	local t; t=$(secs "$t0" "$(now)")
	local n=0; [ -f "$home/.assertions" ] && n=$(stat -c %s "$home/.assertions")
	cases=$((cases + 1))
	assertions=$((assertions + n))
	printf '%s\t%s\n' "$file:$fn" "$t" >>build/test-times.tsv.new
	if [ $rc -eq 0 ]; then
		passed=$((passed + 1))
		echo "ok   $file $fn ($t s, $n assertions)"
	else
		failed=$((failed + 1))
		failures+=("$file:$fn")
		echo "FAIL $file $fn (exit $rc, $t s, $n assertions)"
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

mv build/test-times.tsv.new build/test-times.tsv
echo "$unit_tests unit tests; $cases end-to-end cases, $assertions assertions"
if [ ${#failures[@]} -gt 0 ]; then
	echo "failed: ${failures[*]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
