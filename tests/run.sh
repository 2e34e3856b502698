#!/usr/bin/env bash
# The test runner.  make test:  tests/run.sh BINARY...
#                   make check: tests/run.sh --check BINARY...
#
# It runs jobs, KDX_TEST_JOBS at a time (default: one per core), each as it
# finds a free worker, and prints each job's result line when it ends (and
# the end of its log when it failed):
#  - the unit and fuzz-replay binaries given as arguments;
#  - the end-to-end cases: the test_* functions of tests/e2e/t_*.sh, each run
#    by tests/e2e/case.sh in a database and KDX_HOME of its own, in one
#    throwaway PostgreSQL cluster that this run starts and stops; the
#    fixtures they start from (tests/e2e/fixtures.sh) are built once per run.
# Longest first: the times of the last run (build/test-times.tsv), or else the
# cases tagged slow.  The cases tagged serial run at the end, one at a time,
# with nothing else running.  --check runs the binaries and the cases tagged
# static, and starts no cluster.
#
# A case's tags follow its name, on the line that defines it:
#     test_name() {  # kdx-test: serial slow
#   static  it needs no warehouse: no database is made and KDX_DATABASE_URL
#           leads nowhere; make check runs it
#   serial  it needs the machine or the cluster to itself: a lock race, a time
#           limit, the cluster's roles or its list of databases
#   slow    it takes long: started first when no earlier times are known
# One case per argument: a file that defines each_test_NAME (printing the
# arguments, one a line) gets a case test_NAME ARG, named FILE:test_NAME:ARG.
#
# KDX_TEST_ONLY=TEXT runs only the end-to-end cases whose name
# (FILE:FUNCTION[:ARG]) contains TEXT; KDX_TEST_TAIL=N shows N lines of a
# failing job's log (default 25).  Ends with "N passed, N failed" and exits
# non-zero when anything failed.  On exit, Ctrl-C included, every job is
# stopped, every PostgreSQL server a case left running too, and the run's
# folder (/tmp/kdx-test.*) is removed.
{   # read whole before it runs: editing this file does not change a run under way
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
export ROOT
export KDX="$ROOT/build/san/kdx"
# A smaller quarantine and shorter allocation stacks than ASan's defaults
# (256 MB, 30 frames): a report's process then touches a third of the memory
# and runs a third faster; a use after free is still caught within the last
# 32 MB freed, and a report names ten frames.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=99:quarantine_size_mb=32:malloc_context_size=10"
export LSAN_OPTIONS="suppressions=$ROOT/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export KDX_PG_FAST=1
# psql and pg_dump themselves, not Debian's wrapper (a Perl script that finds
# the cluster: half of each psql's time), the binaries kdx's private cluster runs
export PATH="/usr/lib/postgresql/15/bin:$PATH"

check_only=0
if [ "${1:-}" = --check ]; then check_only=1; shift; fi
workers=${KDX_TEST_JOBS:-$(nproc 2>/dev/null || echo 2)}
[[ $workers =~ ^[1-9][0-9]*$ ]] || { echo "KDX_TEST_JOBS must be a whole number above 0, not \"$workers\""; exit 64; }
only=${KDX_TEST_ONLY:-}
tail_n=${KDX_TEST_TAIL:-25}

now() { echo "${EPOCHREALTIME/[.,]/}"; }   # microseconds
secs() { local d=$((($2 - $1) / 100000)); echo "$((d / 10)).$((d % 10))"; }
t_start=$(now)

TMPROOT=$(mktemp -d /tmp/kdx-test.XXXXXX)   # mode 0700, as a real user's home may be
export KDX_TEST_ROOT=$TMPROOT
cluster_home="$TMPROOT/cluster"
mkdir -p "$TMPROOT/logs" "$TMPROOT/src"

declare -A RUNNING=()   # pid -> job
cleanup() {
	trap '' INT TERM
	local pid
	for pid in "${!RUNNING[@]}"; do kill -TERM -- "-$pid" 2>/dev/null; done
	for pid in "${!RUNNING[@]}"; do wait "$pid" 2>/dev/null; done
	if [ -f "$cluster_home/var/pg/postmaster.pid" ]; then
		KDX_HOME="$cluster_home" KDX_DATABASE_URL= "$KDX" --quiet db stop >/dev/null 2>&1
	fi
	[ ! -x "$TMPROOT/src/stop-servers.sh" ] || "$TMPROOT/src/stop-servers.sh" "$TMPROOT"
	rm -rf "$TMPROOT"
}
trap cleanup EXIT
trap 'echo; echo "interrupted (SIGINT)"; exit 130' INT
trap 'echo; echo "terminated (SIGTERM)"; exit 143' TERM

# --- the jobs ---------------------------------------------------------------
# J_KIND: unit, case, fixtures or cluster; J_NAME: as printed and filtered;
# J_ARG: the binary, or "FILE FUNCTION [ARG]"; J_TAGS; J_FIX: the fixture the
# case starts from; J_EST: expected time (ms).
J_KIND=() J_NAME=() J_ARG=() J_TAGS=() J_FIX=() J_EST=()
add_job() { J_KIND+=("$1"); J_NAME+=("$2"); J_ARG+=("$3"); J_TAGS+=("$4"); J_FIX+=("${5:-}"); J_EST+=(0); }

# fixtures_of FILE: "FUNCTION FIXTURE" for each test_* and fixture_* function
# of FILE, the fixture its body or a helper it calls (a function of FILE) asks
# for, or "-"
fixtures_of() {
	awk '
	/^[A-Za-z_][A-Za-z0-9_]*\(\) *\{/ { fn = $0; sub(/\(\).*/, "", fn); body[fn] = $0; open = $0 !~ /\}[ \t]*$/; next }
	/^\}/ { open = 0; next }
	open { body[fn] = body[fn] "\n" $0 }
	END {
		for (f in body) if (match(body[f], /use_fixture [A-Za-z0-9_]+/)) fx[f] = substr(body[f], RSTART + 12, RLENGTH - 12)
		for (f in body) if (f ~ /^(test|fixture)_/) {
			x = fx[f]
			if (x == "") for (h in fx) if (h !~ /^test_/ && body[f] ~ ("(^|[^A-Za-z0-9_])" h "([^A-Za-z0-9_]|$)")) { x = fx[h]; break }
			print f, (x == "" ? "-" : x)
		}
	}' "$1"
}

for bin in "$@"; do
	name=$(basename "$bin")
	case "$bin" in build/rel/*) name="$name -O2" ;; esac
	add_job unit "$name" "$bin" ""
done

# The scripts as this run uses them (a copy: editing them does not change a
# run under way), and the case files as they are sourced: every "CHECK || die"
# counts as an assertion when it holds ("&& _pass" before it; lib.sh), except
# on the lines of a polling loop (those that sleep), whose checks repeat.
cp tests/e2e/case.sh tests/e2e/lib.sh tests/e2e/fixtures.sh tests/stop-servers.sh "$TMPROOT/src/"
for f in tests/e2e/t_*.sh; do
	sed -E '/sleep /!{
		s/\|\|( *)die\b/\&\& _pass ||\1die/g
		s/\|\|( *)\{(.*\bdie\b)/\&\& _pass ||\1{\2/
		s/(&& *die .*)$/\1 || _pass/
	}' "$f" >"$TMPROOT/src/${f##*/}"
done

# FIXTURES: those of fixtures.sh; FIXDEP[NAME]: the fixture NAME starts from
FIXTURES=$(sed -n 's/^fixture_\([A-Za-z0-9_]*\)() *{.*/\1/p' tests/e2e/fixtures.sh | tr '\n' ' ')
declare -A FIXDEP=()
while read -r fn x; do FIXDEP[${fn#fixture_}]=${x#-}; done < <(fixtures_of tests/e2e/fixtures.sh)
for f in tests/e2e/t_*.sh; do
	file=${f##*/}
	declare -A FIX=()
	while read -r fn x; do
		FIX[$fn]=${x#-}
		[[ $fn != fixture_* ]] || FIXDEP[${fn#fixture_}]=${x#-}
	done < <(fixtures_of "$f")
	while read -r fn tags; do
		[ "$check_only" -eq 0 ] || [[ " $tags " == *" static "* ]] || continue
		if grep -q "^each_$fn()" "$f"; then
			while IFS= read -r arg; do
				[ -z "$only" ] || [[ "$file:$fn:$arg" == *"$only"* ]] || continue
				add_job case "$file:$fn:$arg" "$file $fn $arg" "$tags" "${FIX[$fn]:-}"
			done < <(cd "$TMPROOT" && ROOT=$ROOT bash -c 'source "$KDX_TEST_ROOT/src/lib.sh"; source "$1"; "each_$2"' _ "$TMPROOT/src/$file" "$fn")
		else
			[ -z "$only" ] || [[ "$file:$fn" == *"$only"* ]] || continue
			add_job case "$file:$fn" "$file $fn" "$tags" "${FIX[$fn]:-}"
		fi
	done < <(sed -nE 's/^(test_[A-Za-z0-9_]+)\(\) *\{ *(# *kdx-test: *(.*))?$/\1 \3/p' "$f")
	unset FIX
done

has_tag() { [[ " ${J_TAGS[$1]} " == *" $2 "* ]]; }
needs_cluster() { [ "${J_KIND[$1]}" = fixtures ] || { [ "${J_KIND[$1]}" = case ] && ! has_tag "$1" static; }; }

cluster_jobs=0
for i in "${!J_KIND[@]}"; do needs_cluster "$i" && cluster_jobs=$((cluster_jobs + 1)); done
if [ "$cluster_jobs" -gt 0 ]; then
	# the fixtures, built first on one worker while the others run what needs
	# none or one already built (a run of a few cases builds what they ask
	# for, when they ask)
	[ -n "$only" ] || add_job fixtures fixtures "" ""
	add_job cluster cluster "" ""
fi

# expected times: the cluster and the fixtures first; then the last run's
# times; else the unit binaries (quick, and each is a worker's while it runs),
# the cases tagged slow, the rest
declare -A LAST=()
if [ -f build/test-times.tsv ]; then
	while IFS=$'\t' read -r n t; do LAST[$n]=$t; done <build/test-times.tsv
fi
for i in "${!J_KIND[@]}"; do
	case "${J_KIND[$i]}" in
	cluster) J_EST[$i]=1000000002 ;;
	fixtures) J_EST[$i]=1000000001 ;;
	*) if [ -n "${LAST[${J_NAME[$i]}]:-}" ]; then J_EST[$i]=$(( 10#${LAST[${J_NAME[$i]}]/./} * 100 ))
	   elif [ "${J_KIND[$i]}" = unit ]; then J_EST[$i]=1000000000
	   elif has_tag "$i" slow; then J_EST[$i]=100000
	   else J_EST[$i]=5000; fi ;;
	esac
done
# the queues, by expected time, longest first (sort -s keeps the files' order otherwise)
QUEUE=() SERIAL=()
while read -r _ i; do
	if has_tag "$i" serial; then SERIAL+=("$i"); else QUEUE+=("$i"); fi
done < <(for i in "${!J_KIND[@]}"; do echo "${J_EST[$i]} $i"; done | sort -s -k1,1nr)

# --- running them -----------------------------------------------------------
passed=0 failed=0 failures=()
unit_tests=0 unit_o2=0 replays=0 cases=0 own_assertions=0 fixture_assertions=0
cluster_ready=0 cluster_failed=0 fixtures_running=0 dbn=0
declare -A T0=()
TIMES_LINES=()

start_job() {
	local i=$1 log="$TMPROOT/logs/$1.log"
	T0[$i]=$(now)
	case "${J_KIND[$i]}" in
	unit)
		local bin=${J_ARG[$i]} args=() t
		case "$bin" in *replay_*)
			t=${bin##*replay_}
			args=(tests/fuzz/corpus/"$t"/* $(ls tests/fuzz/crashes/"$t"/* 2>/dev/null)) ;;
		esac
		setsid "$bin" "${args[@]}" >"$log" 2>&1 </dev/null &
		;;
	cluster)
		# the cluster, made by kdx init, in the run's mktemp -d folder
		( unset KDX_DATABASE_URL PGHOST PGDATABASE PGUSER PGPORT PGSERVICE
		  KDX_HOME="$cluster_home" exec setsid "$KDX" --quiet init ) >"$log" 2>&1 </dev/null &
		;;
	fixtures)
		fixtures_running=1
		KDX_TEST_SOCKET="$cluster_home/var/run" setsid "$TMPROOT/src/case.sh" "$TMPROOT/logs/$i" 0 - build_fixtures \
			>"$log" 2>&1 </dev/null &
		;;
	case)
		local sock=
		has_tag "$i" static || sock="$cluster_home/var/run"
		dbn=$((dbn + 1))
		# shellcheck disable=SC2086
		KDX_TEST_SOCKET=$sock KDX_TEST_FIXTURE=${J_FIX[$i]} setsid "$TMPROOT/src/case.sh" "$TMPROOT/logs/$i" "$dbn" ${J_ARG[$i]} >"$log" 2>&1 </dev/null &
		;;
	esac
	RUNNING[$!]=$i
}

show_tail() { tail -n "$tail_n" "$1" | sed 's/^/     | /'; }

finish_job() {
	local i=$1 rc=$2 log="$TMPROOT/logs/$1.log"
	local t; t=$(secs "${T0[$i]}" "$(now)")
	local name=${J_NAME[$i]}
	case "${J_KIND[$i]}" in
	unit)
		local ok bad
		ok=$(grep -c '^\[       OK \]' "$log")
		bad=$(grep -c '^\[  FAILED  \] [^0-9]' "$log")
		if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then bad=1; fi
		passed=$((passed + ok))
		failed=$((failed + bad))
		case "$name" in
		replay_*) replays=$((replays + ok + bad)) ;;
		*-O2) unit_o2=$((unit_o2 + ok + bad)) ;;
		*) unit_tests=$((unit_tests + ok + bad)) ;;
		esac
		if [ "$bad" -ne 0 ]; then
			failures+=("unit:$name")
			grep -E 'FAILED|ERROR|error|Assert|Sanitizer' "$log" | head -20
		fi
		echo "unit $name: $ok passed, $bad failed ($t s)"
		;;
	cluster)
		if [ "$rc" -eq 0 ]; then
			cluster_ready=1
			echo "cluster: started ($t s)"
		else
			cluster_failed=1
			failed=$((failed + 1))
			failures+=("cluster")
			echo "FAIL cluster: kdx init of the test cluster exited $rc"
			show_tail "$log"
		fi
		;;
	fixtures|case)
		local n=0 inherited=0 uses=
		[ -f "$TMPROOT/logs/$i.count" ] && n=$(stat -c %s "$TMPROOT/logs/$i.count")
		[ -f "$TMPROOT/logs/$i.count.fixture" ] && inherited=$(stat -c %s "$TMPROOT/logs/$i.count.fixture")
		[ -f "$TMPROOT/logs/$i.count.uses" ] && uses="; fixture $(sort -u "$TMPROOT/logs/$i.count.uses" | paste -sd,)"
		local w waited=0
		if [ -f "$TMPROOT/logs/$i.count.waited" ]; then while read -r w; do waited=$((waited + w)); done <"$TMPROOT/logs/$i.count.waited"; fi
		[ "$waited" -lt 1000 ] || uses="$uses, $((waited / 1000)).$((waited % 1000 / 100)) s waiting for it"
		if [ "${J_KIND[$i]}" = fixtures ]; then
			fixtures_running=0
			fixture_summary >"$TMPROOT/logs/fixtures.summary"
			name="fixtures$(cat "$TMPROOT/logs/fixtures.summary")"
			n=$fx_own
		else
			cases=$((cases + 1))
			own_assertions=$((own_assertions + n))
			fixture_assertions=$((fixture_assertions + inherited))
			name=${name/:/ }; name=${name/:/ }
		fi
		if [ "$rc" -eq 0 ]; then
			passed=$((passed + 1))
			echo "ok   $name ($t s, $n assertions$uses)"
		else
			failed=$((failed + 1))
			failures+=("${J_NAME[$i]}")
			echo "FAIL $name (exit $rc, $t s, $n assertions$uses)"
			show_tail "$log"
		fi
		;;
	esac
	# (the time of a job that failed may be that of a quick failure: the last good one stays)
	[ "${J_KIND[$i]}" = cluster ] || [ "$rc" -ne 0 ] || TIMES_LINES+=("${J_NAME[$i]}"$'\t'"$t")
}

# fixture_summary: ": init 1.0 s, sample 3.9 s, ..." in the order they were
# built (each its own time, not that of the one it started from); sets fx_own,
# their assertions
fixture_summary() {
	local ok name own parent ms out=""
	fx_own=0
	for ok in $(ls -tr "$TMPROOT"/fixtures/*.ok 2>/dev/null); do
		name=$(basename "$ok" .ok)
		read -r own parent ms <"$TMPROOT/fixtures/$name.stats"
		fx_own=$((fx_own + own))
		out="$out, $name $((ms / 1000)).$((ms % 1000 / 100)) s"
	done
	[ -z "$out" ] || echo ":${out#,}"
}

# can_start JOB: what it needs is there.  A case whose fixture is not built
# yet waits while the fixtures job (the fixtures of fixtures.sh) or a running
# case (one of its file's own) builds it, and a worker takes another job
# meanwhile; else it builds it itself.
can_start() {
	if needs_cluster "$1" && [ "${J_KIND[$1]}" != cluster ]; then [ "$cluster_ready" -eq 1 ] || return 1; fi
	local fx=${J_FIX[$1]} pid
	[ -n "$fx" ] && [ ! -e "$TMPROOT/fixtures/$fx.ok" ] && [ ! -e "$TMPROOT/fixtures/$fx.failed" ] || return 0
	for pid in "${!RUNNING[@]}"; do [ "${J_FIX[${RUNNING[$pid]}]}" != "$fx" ] || return 1; done
	# it, or one it starts from, is the fixtures job's to build
	while [ -n "$fx" ]; do
		if [ "$fixtures_running" -eq 1 ] && [[ " $FIXTURES " == *" $fx "* ]] && [ ! -e "$TMPROOT/fixtures/$fx.ok" ]; then return 1; fi
		fx=${FIXDEP[$fx]:-}
	done
	return 0
}

# run_queue LIMIT JOB...: the jobs, LIMIT at a time
run_queue() {
	local limit=$1; shift
	local queue=("$@") k i pid rc started
	while [ "${#queue[@]}" -gt 0 ] || [ "${#RUNNING[@]}" -gt 0 ]; do
		started=1
		while [ "$started" -eq 1 ] && [ "${#RUNNING[@]}" -lt "$limit" ] && [ "${#queue[@]}" -gt 0 ]; do
			started=0
			for k in "${!queue[@]}"; do
				i=${queue[$k]}
				if [ "$cluster_failed" -eq 1 ] && needs_cluster "$i"; then
					unset 'queue[k]'; continue    # counted as the cluster's failure
				fi
				if can_start "$i"; then
					start_job "$i"
					unset 'queue[k]'
					started=1
					break
				fi
			done
			queue=("${queue[@]}")
		done
		[ "${#RUNNING[@]}" -gt 0 ] || continue
		wait -n -p pid
		rc=$?
		[ -n "${pid:-}" ] && [ -n "${RUNNING[$pid]:-}" ] || continue
		i=${RUNNING[$pid]}
		unset 'RUNNING[$pid]'
		finish_job "$i" "$rc"
	done
}

run_queue "$workers" "${QUEUE[@]}"
if [ "${#SERIAL[@]}" -gt 0 ]; then
	echo "serial: ${#SERIAL[@]} cases, one at a time"
	run_queue 1 "${SERIAL[@]}"
fi

# --- the end ------------------------------------------------------------------
if [ "${#TIMES_LINES[@]}" -gt 0 ]; then
	mkdir -p build
	{
		printf '%s\n' "${TIMES_LINES[@]}"
		# the times of the jobs this run did not run, as they were
		[ -f build/test-times.tsv ] && grep -vFf <(printf '%s\t\n' "${TIMES_LINES[@]%%$'\t'*}") build/test-times.tsv
	} | sort -t$'\t' -k2,2nr >build/test-times.tsv.new
	mv build/test-times.tsv.new build/test-times.tsv
fi
if [ "${#failures[@]}" -gt 0 ]; then
	echo "failed: ${failures[*]}"
fi
fixture_summary >/dev/null
echo "$unit_tests unit tests ($unit_o2 again at -O2), $replays fuzz replays; $cases end-to-end cases:" \
	"$((own_assertions + fx_own)) assertions ($own_assertions in the cases, $fx_own building fixtures once;" \
	"$((own_assertions + fixture_assertions)) counting each case's fixture as its own); $(secs "$t_start" "$(now)") s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
exit
}
