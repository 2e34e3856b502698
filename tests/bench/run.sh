#!/usr/bin/env bash
# make bench: speed figures, printed as "bench: NAME VALUE" (targets are printed,
# never asserted: these machines are shared and noisy).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
export LC_ALL=C.UTF-8
KDX="$ROOT/bin/kdx"
ROWS=${BENCH_ROWS:-1000000}
B=$(mktemp -d /tmp/kdx-bench.XXXXXX)
unset KDX_DATABASE_URL PGHOST PGDATABASE PGUSER PGPORT PGSERVICE
export KDX_HOME="$B/home"
mkdir -p "$KDX_HOME"
cleanup() { KDX_HOME="$B/home" "$KDX" --quiet db stop >/dev/null 2>&1 || true; rm -rf "$B"; }
trap cleanup EXIT

# timed CMD...: run a command; print "SECONDS MAXRSS_MB" of it (children included)
timed() {
	/usr/bin/python3 - "$@" <<'PY'
import resource, subprocess, sys, time
t = time.monotonic()
rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
dt = time.monotonic() - t
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
if rc not in (0,):
    sys.exit(f'bench: command failed ({rc}): {" ".join(sys.argv[1:])}')
print(f'{dt:.3f} {rss:.1f}')
PY
}
ratio() { /usr/bin/python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.3f}')" "$1" "$2"; }
per_s() { /usr/bin/python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.0f}')" "$1" "$2"; }

"$KDX" init --quiet
echo "bench: generating a $ROWS-row CP932 nursery survey" >&2
/usr/bin/python3 tests/bench/gen.py "$B/survey.csv" "$ROWS"

# ingest (validation, normalisation, COPY, whole-file transaction) against raw
# \copy of the same file.  Three rounds, alternating, each into emptied tables
# after a checkpoint; the medians are the figures (these machines are noisy).
url=$("$KDX" db url)
cols="survey_date, muni_code, facility_no, facility_name, facility_type, owner, closing, f1, f2, f3, f4, f5, other_text"
# The equivalent table: the survey's columns as text, keyed like kdx.nursery_fact
# (the facility within its municipality; no per-row foreign keys, as in kdx's).
# bench_copy_same_key also leads its key with a batch column, as kdx's does: its
# index tuples are then as wide as kdx's, too wide for PostgreSQL's "split after
# the new item" heuristic (two int8s at most), so its index fills half of each
# leaf page as kdx's does instead of packing them.
psql -X -q "$url" -c "CREATE TABLE bench_copy (survey_date date, muni_code char(6),
	facility_no text, facility_name text, facility_type text, owner text, closing text, f1 text, f2 text, f3 text,
	f4 text, f5 text, other_text text, PRIMARY KEY (muni_code, facility_no))" \
	-c "CREATE TABLE bench_copy_same_key (batch_id bigint NOT NULL DEFAULT 1, survey_date date, muni_code char(6),
	facility_no text, facility_name text, facility_type text, owner text, closing text, f1 text, f2 text, f3 text,
	f4 text, f5 text, other_text text, PRIMARY KEY (batch_id, muni_code, facility_no))"
fresh() { psql -X -q "$url" -c "TRUNCATE kdx.load_batch, kdx.nursery_fact, bench_copy, bench_copy_same_key CASCADE" \
	-c "CHECKPOINT" >/dev/null 2>&1; }
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END{print v[int((NR+1)/2)]}'; }
ingest_runs=() copy_runs=() same_runs=() ingest_rss=0
for round in 1 2 3; do
	fresh
	read -r s rss < <(timed "$KDX" ingest --quiet "$B/survey.csv")
	ingest_runs+=("$s")
	ingest_rss=$(/usr/bin/python3 -c "import sys; print(max(float(sys.argv[1]), float(sys.argv[2])))" "$ingest_rss" "$rss")
	psql -X -q "$url" -c CHECKPOINT
	read -r s _ < <(timed env PGCLIENTENCODING=SJIS psql -X -q "$url" -c "\\copy bench_copy FROM '$B/survey.csv' (FORMAT csv, HEADER)")
	copy_runs+=("$s")
	psql -X -q "$url" -c CHECKPOINT
	read -r s _ < <(timed env PGCLIENTENCODING=SJIS psql -X -q "$url" -c "\\copy bench_copy_same_key ($cols) FROM '$B/survey.csv' (FORMAT csv, HEADER)")
	same_runs+=("$s")
done
ingest_s=$(median "${ingest_runs[@]}")
copy_s=$(median "${copy_runs[@]}")
same_s=$(median "${same_runs[@]}")
echo "bench: ingest_rows $ROWS"
echo "bench: ingest_seconds $ingest_s (median of ${ingest_runs[*]})"
echo "bench: ingest_rows_per_s $(per_s "$ROWS" "$ingest_s")"
echo "bench: copy_seconds $copy_s (median of ${copy_runs[*]})"
echo "bench: copy_rows_per_s $(per_s "$ROWS" "$copy_s")"
echo "bench: ingest_vs_copy_ratio $(ratio "$ingest_s" "$copy_s") (target <= 1.25)"
echo "bench: copy_same_key_seconds $same_s (median of ${same_runs[*]}; a table whose key also leads with a batch column)"
echo "bench: ingest_vs_copy_same_key_ratio $(ratio "$ingest_s" "$same_s")"
echo "bench: ingest_peak_rss_mb $ingest_rss"
"$KDX" --quiet db stop >/dev/null

# Oita: the monthly job on the sample, then the reports alone with -j 1 and -j 2
export KDX_HOME="$B/oita"
mkdir -p "$KDX_HOME/inbox"
cp -p data/sample/* "$KDX_HOME/inbox/"
"$KDX" init --quiet
read -r monthly_s monthly_rss < <(timed "$KDX" run monthly --quiet --as-of 2026-11-30 -j 2)
echo "bench: oita_monthly_seconds $monthly_s"
echo "bench: oita_monthly_peak_rss_mb $monthly_rss"
read -r j1 _ < <(timed "$KDX" report --quiet --as-of 2026-11-30 --out "$B/j1" -j 1)
read -r j2 _ < <(timed "$KDX" report --quiet --as-of 2026-11-30 --out "$B/j2" -j 2)
echo "bench: oita_reports_files $(find "$B/j1" -type f | wc -l) (19 PDFs, 19 xlsx, 12 charts, 34 web edition files)"
echo "bench: oita_reports_seconds_j1 $j1"
echo "bench: oita_reports_seconds_j2 $j2"
echo "bench: oita_reports_speedup_j2 $(ratio "$j1" "$j2")"
read -r muni_s _ < <(timed "$KDX" report --quiet --as-of 2026-11-30 --out "$B/m" --muni 442011)
echo "bench: oita_one_feedback_report_seconds $muni_s (PDF and xlsx, including loading the data)"
"$KDX" --quiet db stop >/dev/null

# National: 47 prefectures, 1,741 municipalities, ~30,000 nurseries and ~26,000
# clubs.  One monthly job for the national view (council 000000) with -j 2:
# ingest, tables, the national council report, the 47 prefectures' council
# reports, 1,741 feedback PDFs and workbooks, templates and the snapshot.
export KDX_HOME="$B/national"
mkdir -p "$KDX_HOME/inbox"
/usr/bin/python3 tests/bench/national.py "$B/natdata" >&2
cp "$B"/natdata/*.csv "$B"/natdata/xlsx/*.xlsx "$KDX_HOME/inbox/"
"$KDX" init --quiet --master "$B/natdata/master" --pref 000000
read -r nat_monthly nat_rss < <(timed env KDX_PROGRESS=1 "$KDX" run monthly --as-of 2026-11-30 -j 2)
out="$KDX_HOME/out/2026-11-30"
echo "bench: national_municipalities $(($(wc -l <"$B/natdata/master/municipalities.csv") - 1))"
echo "bench: national_feedback_pdfs $(ls "$out/municipalities/"*.pdf | wc -l)"
echo "bench: national_prefecture_council_reports $(ls "$out"/councils/*/council/*.pdf | wc -l) (besides the national one)"
echo "bench: national_monthly_seconds $nat_monthly (target <= 60)"
echo "bench: national_peak_rss_mb $nat_rss (target <= 256)"
# one prefecture's council report on its own, for comparison
read -r one_s _ < <(timed "$KDX" --council 130001 report --quiet --council-only --as-of 2026-11-30 --out "$B/one-council")
echo "bench: one_council_report_seconds $one_s (kdx --council 130001 report --council-only, including loading its data)"
# kdx diff of two national snapshots: the monthly job's, and one taken after 100
# municipalities sent a new round of procedures (every 未着手 now 電子化済)
/usr/bin/python3 - "$B/natdata/procedures.csv" "$B/later_procedures.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8')))
codes = set(sorted({r[1] for r in rows[1:]})[:100])
later = [['2026-11-01', r[1], r[2], '電子化済' if r[3] == '未着手' else r[3]] for r in rows[1:] if r[1] in codes]
csv.writer(open(sys.argv[2], 'w', encoding='utf-8', newline='')).writerows([rows[0]] + later)
PY
"$KDX" ingest --quiet "$B/later_procedures.csv"
"$KDX" snapshot --quiet --as-of 2026-11-30
read -r diff_s diff_rss < <(timed "$KDX" diff --format csv 1 2)
echo "bench: national_diff_seconds $diff_s (kdx diff of two national snapshots, both verified; $("$KDX" diff --format csv 1 2 | wc -l) lines)"
echo "bench: national_diff_peak_rss_mb $diff_rss"
"$KDX" --quiet db stop >/dev/null
