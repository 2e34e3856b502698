# Helpers for end-to-end tests.  Each test_* function runs in its own shell
# (tests/e2e/case.sh) with KDX_HOME, KDX_DATABASE_URL and T_DB set, HOME and
# TMPDIR a scratch folder of its own; "set -e" is on.  A case tagged static
# (see tests/run.sh) has no warehouse: KDX_DATABASE_URL leads nowhere.
ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SAMPLE="$ROOT/data/sample"
BAD="$ROOT/tests/bad"

die() { echo "assertion failed: $*" >&2; exit 1; }

# _pass: one assertion held.  The runner counts them per case in the file
# $KDX_TEST_COUNT (one byte each): the helpers below call it, and every
# "CHECK || die" in a case file is counted too (tests/run.sh sources the case
# files with "&& _pass" put before each "|| die").
_pass() { [ -z "${KDX_TEST_COUNT:-}" ] || printf . >>"$KDX_TEST_COUNT"; return 0; }

# at_exit COMMAND...: run when the case ends, whether it passed or not (a
# case that starts a PostgreSQL server stops it so); first registered, first run.
_at_exit=()
at_exit() { _at_exit+=("$*"); trap _run_at_exit EXIT; }
_run_at_exit() { local c; for c in "${_at_exit[@]}"; do eval "$c" || true; done; }

# use_fixture NAME: start from a warehouse built once per run (the fixture_NAME
# function of tests/e2e/fixtures.sh): the case's database becomes a copy of it
# (CREATE DATABASE ... TEMPLATE) and KDX_HOME a copy of its folder (cp -a).
# Call it first, before anything connects to the case's database.  The first
# case that asks builds it, in a database and folder of its own; the others
# wait for that.  Its assertions are counted once, in the build.
use_fixture() {
	local name=$1 fx="$KDX_TEST_ROOT/fixtures/$1" w0=${EPOCHREALTIME/[.,]/}
	_fixture_ready "$name"
	if [ "${KDX_TEST_CLONED:-}" = "$name" ]; then
		KDX_TEST_CLONED=   # tests/e2e/case.sh made the database a copy of it already
	else
		_admin_sql "DROP DATABASE IF EXISTS $T_DB WITH (FORCE)" >/dev/null
		_admin_sql "CREATE DATABASE $T_DB TEMPLATE fx_$name STRATEGY FILE_COPY" >/dev/null
	fi
	cp -a "$fx/home/." "$KDX_HOME/"
	if [ -d "$fx/home/archive" ]; then
		sql "UPDATE kdx.snapshot SET path = '$KDX_HOME/' || substr(path, length('$fx/home/') + 1)
			WHERE starts_with(path, '$fx/home/')" >/dev/null
	fi
	[ -z "${KDX_TEST_COUNT:-}" ] || echo $(( (${EPOCHREALTIME/[.,]/} - w0) / 1000 )) >>"$KDX_TEST_COUNT.waited"
	# the assertions of its setup, for the comparison with a case that did it itself
	if [ -n "${KDX_TEST_COUNT:-}" ]; then
		cat "$fx.count" >>"$KDX_TEST_COUNT.fixture"
		echo "$name" >>"$KDX_TEST_COUNT.uses"
	fi
}

# build_fixtures: every fixture of fixtures.sh (tests/run.sh has them built first)
build_fixtures() {
	local name
	for name in $(sed -n 's/^fixture_\([A-Za-z0-9_]*\)() *{.*/\1/p' "$KDX_TEST_ROOT/src/fixtures.sh"); do
		_fixture_ready "$name"
	done
}

_fixture_ready() {  # NAME: built by this process or another, or die
	local name=$1 fx="$KDX_TEST_ROOT/fixtures/$1"
	declare -F "fixture_$name" >/dev/null || die "no fixture \"$name\" in tests/e2e/fixtures.sh"
	mkdir -p "$KDX_TEST_ROOT/fixtures"
	(
		set +e
		flock 9
		if [ ! -e "$fx.ok" ] && [ ! -e "$fx.failed" ]; then _build_fixture "$name" "$fx"; fi
	) 9>>"$fx.lock"
	[ -e "$fx.ok" ] || { tail -n 30 "$fx.log"; die "fixture $name could not be built (above, the end of its log)"; }
}

_admin_sql() { psql -X -q -At -h "$KDX_TEST_SOCKET" -U postgres -d postgres -v ON_ERROR_STOP=1 -c "$1"; }

_build_fixture() {  # NAME FOLDER: the fixture's database fx_NAME, its KDX_HOME FOLDER/home
	local name=$1 fx=$2 t0=${EPOCHREALTIME/[.,]/}
	rm -rf "$fx" "$fx.count" "$fx.own" "$fx.own.fixture" "$fx.own.waited"
	mkdir -p "$fx/home" "$fx/tmp"
	(
		set -e
		export KDX_HOME="$fx/home" T_DB="fx_$name" HOME="$fx/tmp" TMPDIR="$fx/tmp"
		export KDX_DATABASE_URL="host=$KDX_TEST_SOCKET dbname=fx_$name user=postgres"
		export KDX_TEST_COUNT="$fx.own"
		_admin_sql "DROP DATABASE IF EXISTS fx_$name WITH (FORCE)" >/dev/null
		_admin_sql "CREATE DATABASE fx_$name" >/dev/null
		cd "$KDX_HOME"
		"fixture_$name"
		rm -f .out .err
	) >"$fx.log" 2>&1
	local rc=$?
	rm -rf "$fx/tmp"
	if [ $rc -ne 0 ]; then touch "$fx.failed"; return 1; fi
	# its own assertions and those of the fixture it started from
	local own=0 parent=0
	[ -f "$fx.own" ] && own=$(stat -c %s "$fx.own")
	[ -f "$fx.own.fixture" ] && parent=$(stat -c %s "$fx.own.fixture")
	head -c $((own + parent)) /dev/zero | tr '\0' . >"$fx.count"
	# and the time it took, less that of waiting for the one it started from
	local waited=0 w
	if [ -f "$fx.own.waited" ]; then while read -r w; do waited=$((waited + w)); done <"$fx.own.waited"; fi
	echo "$own $parent $(( (${EPOCHREALTIME/[.,]/} - t0) / 1000 - waited ))" >"$fx.stats"
	touch "$fx.ok"
}

# sql "SELECT ..." -> unaligned, tuples only
sql() { psql -X -q -At -h "$KDX_TEST_SOCKET" -U postgres -d "$T_DB" -v ON_ERROR_STOP=1 -c "$1"; }

# kdx_rc EXPECTED ARGS... : run kdx, capture stdout/stderr in $OUT/$ERR, check exit code
kdx_rc() {
	local want=$1; shift
	set +e
	"$KDX" "$@" >"$KDX_HOME/.out" 2>"$KDX_HOME/.err"
	local rc=$?
	set -e
	OUT=$(cat "$KDX_HOME/.out"); ERR=$(cat "$KDX_HOME/.err")
	if [ "$rc" -ne "$want" ]; then
		echo "--- stdout"; echo "$OUT"; echo "--- stderr"; echo "$ERR"
		die "kdx $* exited $rc, want $want"
	fi
	if grep -q 'Sanitizer' "$KDX_HOME/.err"; then
		cat "$KDX_HOME/.err"; die "sanitizer report from kdx $*"
	fi
	_pass
}

eq() { [ "$1" = "$2" ] || die "${3:-values differ}: got [$1], want [$2]"; _pass; }
contains() { grep -qF -- "$2" <<<"$1" || { echo "$1" | head -40; die "${3:-text} does not contain [$2]"; }; _pass; }
not_contains() { ! grep -qF -- "$2" <<<"$1" || die "${3:-text} contains [$2]"; _pass; }

# The warehouse holds no fact rows and no load batch.
nothing_loaded() {
	local n
	n=$(sql "SELECT (SELECT count(*) FROM kdx.load_batch) + (SELECT count(*) FROM kdx.nursery_fact)
	  + (SELECT count(*) FROM kdx.club_fact) + (SELECT count(*) FROM kdx.procedure_fact)
	  + (SELECT count(*) FROM kdx.platform_fact) + (SELECT count(*) FROM kdx.postpartum_fact)
	  + (SELECT count(*) FROM kdx.setting_fact) + (SELECT count(*) FROM kdx.submission)")
	eq "$n" 0 "rows loaded"
}

# csv_field_contains FILE COLUMN TEXT: some row of the CSV (read with Python's
# csv module, an independent reader) has TEXT in COLUMN.
csv_field_contains() {
	/usr/bin/python3 - "$1" "$2" "$3" <<'PY' || die "CSV $1 has no row whose $2 contains [$3]"
import csv, sys
path, col, text = sys.argv[1:4]
with open(path, encoding='utf-8-sig', newline='') as fp:
    rows = list(csv.DictReader(fp))
sys.exit(0 if any(text in (r.get(col) or '') for r in rows) else 1)
PY
	_pass
}

# repack SRC.tar.gz DST.tar.gz PYTHON-EDIT: rewrite an archive with Python's
# tarfile (an independent reader and writer), applying an edit to the members.
repack() {
	/usr/bin/python3 - "$1" "$2" "$3" <<'PY'
import io, sys, tarfile
src, dst, edit = sys.argv[1:4]
files = {}
with tarfile.open(src, 'r:gz') as t:
    for m in t.getmembers():
        if m.isfile():
            files[m.name] = t.extractfile(m).read()
exec(edit)
with tarfile.open(dst, 'w:gz') as t:
    for name, data in files.items():
        ti = tarfile.TarInfo(name); ti.size = len(data); ti.mtime = 0
        t.addfile(ti, io.BytesIO(data))
PY
}

# doctor SRC DST: one PDF of a bag edited (its /Producer renamed, a line
# added), every manifest, the tag manifest and Payload-Oxum recomputed
# (Python's tarfile): a valid bag on its own.  SRC and DST may be one file.
doctor() {
	/usr/bin/python3 - "$1" "$2" <<'PY'
import hashlib, io, re, sys, tarfile
src, dst = sys.argv[1:3]
with tarfile.open(src) as t:
    files = {m.name: t.extractfile(m).read() for m in t.getmembers() if m.isfile()}
root = next(iter(files)).split('/')[0]
pdf = sorted(n for n in files if n.endswith('.pdf'))[0]
files[pdf] = files[pdf].replace(b'/Producer', b'/Producex', 1) + b'%doctored\n'
payload = {n[len(root) + 1:]: d for n, d in files.items() if n.startswith(root + '/data/')}
for alg in ('sha256', 'sha512'):
    files[f'{root}/manifest-{alg}.txt'] = ''.join(f'{hashlib.new(alg, d).hexdigest()}  {n}\n' for n, d in sorted(payload.items())).encode()
info = files[f'{root}/bag-info.txt'].decode()
info = re.sub(r'Payload-Oxum: .*', f'Payload-Oxum: {sum(map(len, payload.values()))}.{len(payload)}', info)
files[f'{root}/bag-info.txt'] = info.encode()
tags = sorted(n for n in files if n.count('/') == 1 and not n.split('/')[1].startswith('tagmanifest-'))
files[f'{root}/tagmanifest-sha256.txt'] = ''.join(f'{hashlib.sha256(files[n]).hexdigest()}  {n.split("/", 1)[1]}\n' for n in tags).encode()
with tarfile.open(dst, 'w:gz') as t:
    for n, d in sorted(files.items()):
        ti = tarfile.TarInfo(n); ti.size = len(d); t.addfile(ti, io.BytesIO(d))
PY
}
