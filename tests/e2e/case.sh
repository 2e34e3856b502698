#!/usr/bin/env bash
# One end-to-end case, as tests/run.sh starts it:
#     case.sh RESULT N FILE FUNCTION [ARG]
# FUNCTION [ARG] of tests/e2e/FILE runs with "set -e" in database tN of the
# run's cluster (KDX_TEST_SOCKET; none when that is empty: a static case) and
# KDX_HOME $KDX_TEST_ROOT/tN, with HOME and TMPDIR $KDX_TEST_ROOT/tN.tmp.  Its
# assertions are counted in RESULT.count (RESULT.count.fixture: those of the
# fixture it started from).  Afterwards its databases are dropped, any
# PostgreSQL server it left running under its folders is stopped, and the
# folders of a case that passed are removed.  FILE "-" runs a function of
# lib.sh or fixtures.sh.  KDX_TEST_FIXTURE names the fixture the case starts
# from (tests/run.sh reads it from the case): its database is made as a copy
# of it from the start, and use_fixture only copies its folder.  The exit
# status is the case's.
set -u
result=$1 n=$2 file=$3 fn=$4
shift 4
: "${ROOT:?}" "${KDX:?}" "${KDX_TEST_ROOT:?}"
home=$KDX_TEST_ROOT/t$n
scratch=$KDX_TEST_ROOT/t$n.tmp
db=t$n
rm -rf "$home" "$scratch"
mkdir -p "$home" "$scratch"

admin() { psql -X -q -At -h "$KDX_TEST_SOCKET" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"; }

src=$KDX_TEST_ROOT/src   # the scripts as the run copied them
source "$src/lib.sh"
source "$src/fixtures.sh"
[ "$file" = - ] || source "$src/$file"
fixture=${KDX_TEST_FIXTURE:-}
if [ -n "${KDX_TEST_SOCKET:-}" ]; then
	url="host=$KDX_TEST_SOCKET dbname=$db user=postgres"
	template=
	if [ -n "$fixture" ]; then
		# built by now, by the fixtures job or by this case (a failure is the case's to report)
		w0=${EPOCHREALTIME/[.,]/}
		if (_fixture_ready "$fixture") >/dev/null 2>&1; then template=" TEMPLATE fx_$fixture"; else fixture=; fi
		echo $(( (${EPOCHREALTIME/[.,]/} - w0) / 1000 )) >"$result.count.waited"
	fi
	admin -c "CREATE DATABASE $db$template STRATEGY FILE_COPY" >/dev/null || { echo "could not create database $db"; exit 1; }
else
	# no warehouse: kdx finds none there and says so
	url="host=$home/no-warehouse dbname=none user=postgres"
	db=
fi

(
	set -e
	export KDX_HOME="$home" KDX_DATABASE_URL="$url" T_DB="$db" HOME="$scratch" TMPDIR="$scratch"
	export KDX_TEST_COUNT="$result.count" KDX_TEST_CLONED="$fixture"
	cd "$home"
	"$fn" "$@"
)
rc=$?

if [ -n "$db" ]; then
	# its database and any it made named after it (tN_...), sessions and all;
	# in the background, while the worker takes its next case
	(
		for d in $(admin -c "SELECT datname FROM pg_database WHERE datname = '$db' OR datname LIKE '${db}\_%'"); do
			admin -c "DROP DATABASE IF EXISTS \"$d\" WITH (FORCE)"
		done
	) >/dev/null 2>&1 &
fi
"$src/stop-servers.sh" "$home" "$scratch"
[ "$rc" -ne 0 ] || rm -rf "$home" "$scratch"
exit "$rc"
