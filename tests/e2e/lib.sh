# Helpers for end-to-end tests.  Each test_* function runs in its own shell
# with KDX_HOME, KDX_DATABASE_URL and T_DB set; "set -e" is on.
ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SAMPLE="$ROOT/data/sample"
BAD="$ROOT/tests/bad"

die() { echo "assertion failed: $*" >&2; exit 1; }

# _pass: one assertion held.  The runner counts them per case in the file
# $KDX_TEST_COUNT (one byte each): the helpers below call it, and every
# "CHECK || die" in a case file is counted too (tests/run.sh sources the case
# files with "&& _pass" put before each "|| die").
_pass() { [ -z "${KDX_TEST_COUNT:-}" ] || printf . >>"$KDX_TEST_COUNT"; return 0; }

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
