# What the council handout tells a reader (SPEC §2 "Checklist goals", "Previous
# round and outlook"): expected figures derived here from the input files.

load_all() {
	use_fixture sample
}

council_text() { pdftotext -layout "$KDX_HOME/out/2026-11-30/council/2026-11-30_こども政策DX進捗.pdf" -; }

# procedures: Σ N procedures not 所掌外 and Σ 電子化済 (SPEC §2) in the 2025-10-01
# CSV and in the 2026-10-01 workbooks, as "prev now" percentages (half up)
procedure_totals() {
	/usr/bin/python3 - "$SAMPLE" <<'PY'
import csv, glob, sys, openpyxl
sample = sys.argv[1]
def pct(rows):
    ins = [r for r in rows if str(r[2]).startswith('N') and r[3] != '所掌外']
    num = sum(1 for r in ins if r[3] == '電子化済')
    return int(num * 100 / len(ins) + 0.5)
prev = list(csv.reader(open(f'{sample}/2025-10-01_手続電子化状況.csv', encoding='cp932')))[1:]
now = []
for path in glob.glob(f'{sample}/2026-10-01_44*.xlsx'):
    ws = openpyxl.load_workbook(path, data_only=True)['手続電子化']
    now += [list(r) for r in ws.iter_rows(min_row=2, values_only=True) if r[2]]
print(pct(prev), pct(now))
PY
}

test_previous_round_is_a_real_survey_round() {
	use_fixture report
	local text prev now
	text=$(council_text)
	read -r prev now < <(procedure_totals)
	# every municipality's previous procedures round is the 2025-10-01 survey
	contains "$text" "前回（令和7年10月1日） ${prev}% → ${now}%（$(printf '%+d' $((now - prev)))pt）"
	# a date no survey had never appears
	not_contains "$text" "2026-09-30" "the council report"
	not_contains "$text" "前回（2026" "a 前回 label"
	# one municipality sends a new round: the rounds differ, and the handout says so
	/usr/bin/python3 - "$SAMPLE" "$KDX_HOME/later.csv" <<'PY'
import csv, sys, openpyxl
ws = openpyxl.load_workbook(f'{sys.argv[1]}/2026-10-01_442071_津久見市.xlsx', data_only=True)['手続電子化']
rows = [['' if v is None else v for v in r] for r in ws.iter_rows(values_only=True)]
for r in rows[1:]:
    r[0] = '2026-11-01'
csv.writer(open(sys.argv[2], 'w', encoding='utf-8', newline='')).writerows([rows[0][:7]] + [r[:7] for r in rows[1:] if r[2]])
PY
	kdx_rc 0 ingest --quiet "$KDX_HOME/later.csv"
	kdx_rc 0 report --quiet --as-of 2026-11-30 --council-only
	text=$(council_text)
	contains "$text" "前回調査（団体により異なる）"
	# 津久見市's own previous round is its 2026-10-01 workbook: no change
	kdx_rc 0 table procedures --as-of 2026-11-30 --format json
	/usr/bin/python3 -c '
import json, sys
rows = {r["code"]: r for r in json.load(sys.stdin)}
assert rows["442071"]["change"] == "+0pt", rows["442071"]
assert rows["442071"]["survey_date"] == "2026-11-01", rows["442071"]
' <<<"$OUT" || die "津久見市's previous round"
}

# A previous procedures round for 17 of the 18 municipalities (別府市 has
# none): the council's change compares the 17 with themselves, labelled with
# the date and their count, and names 別府市 (SPEC §2); kdx table agrees.
test_previous_round_for_some_municipalities_only() {
	use_fixture init
	local f
	for f in "$SAMPLE"/*; do
		case "$f" in *2025-10-01_手続電子化状況.csv) continue ;; esac
		kdx_rc 0 ingest --quiet "$f"
	done
	/usr/bin/python3 - "$SAMPLE" "$KDX_HOME/prev17.csv" "$KDX_HOME/expect.txt" <<'PY'
import csv, glob, sys, openpyxl
sample, out, expect = sys.argv[1:4]
rows = list(csv.reader(open(f'{sample}/2025-10-01_手続電子化状況.csv', encoding='cp932')))
keep = [rows[0]] + [r for r in rows[1:] if r[1] != '442020']
assert len(keep) < len(rows)
csv.writer(open(out, 'w', encoding='cp932', newline=''), lineterminator='\r\n').writerows(keep)
def pct(rs):
    ins = [r for r in rs if str(r[2]).startswith('N') and r[3] != '所掌外']
    num = sum(1 for r in ins if r[3] == '電子化済')
    return (num * 200 + len(ins)) // (2 * len(ins))
now = []
for path in glob.glob(f'{sample}/2026-10-01_44*.xlsx'):
    if '_442020_' in path:
        continue
    ws = openpyxl.load_workbook(path, data_only=True)['手続電子化']
    now += [list(r) for r in ws.iter_rows(min_row=2, values_only=True) if r[2]]
p, n = pct(keep[1:]), pct(now)
open(expect, 'w').write(f'前回（令和7年10月1日、17団体）{p}%→{n}%（{n - p:+d}pt）（前回調査なし:別府市）\n{n - p:+d}pt\n')
PY
	kdx_rc 0 ingest --quiet "$KDX_HOME/prev17.csv"
	kdx_rc 0 report --quiet --as-of 2026-11-30 --council-only
	local text; text=$(council_text | tr -d ' \n')
	contains "$text" "$(head -1 "$KDX_HOME/expect.txt")"
	not_contains "$text" "前回調査（団体により異なる）" "the council report"
	kdx_rc 0 table procedures --as-of 2026-11-30 --format json
	/usr/bin/python3 -c '
import json, sys
rows = {r["code"]: r for r in json.load(sys.stdin)}
assert rows["440001"]["change"] == sys.argv[1], rows["440001"]
assert rows["442020"]["change"] in ("", None, "前回調査なし"), rows["442020"]
' "$(sed -n 2p "$KDX_HOME/expect.txt")" <<<"$OUT" || die "kdx table's 全体 change over the 17"
}

# No page opens with a bare header row: a page a goal's table starts or goes on
# at the top of names the goal (「1. こども関係手続の電子化（続き）」).
test_every_page_of_a_goal_table_names_the_goal() {
	use_fixture report
	local pdf=$KDX_HOME/out/2026-11-30/council/2026-11-30_こども政策DX進捗.pdf n i
	n=$(pdfinfo "$pdf" | sed -n 's/^Pages: *//p')
	for ((i = 1; i <= n; i++)); do pdftotext -layout -f "$i" -l "$i" "$pdf" "p$i.txt"; done
	/usr/bin/python3 - "$ROOT/data/master/goals.csv" "$n" <<'PY' || die "a page of a goal's table without the goal's name"
import csv, re, sys
goals = list(csv.DictReader(open(sys.argv[1], encoding='utf-8')))
titles = [f"{g['ord']}. {g['title']}" for g in goals]
tables = 0
for i in range(1, int(sys.argv[2]) + 1):
    text = open(f'p{i}.txt', encoding='utf-8').read()
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    # a goal's table of municipalities: its header row starts with 団体 and names the 調査基準日
    if not any(re.match(r'団体\s+調査基準日', l) for l in lines):
        continue
    tables += 1
    named = [t for t in titles if any(l.startswith(t) for l in lines)]
    assert named, (i, lines[:3])
assert tables >= 6, tables
PY
}

test_no_previous_round_says_so_and_flags_nothing() {
	use_fixture init
	# one round only: the 2026-10-01 files
	for f in "$SAMPLE"/2026-10-01_*; do kdx_rc 0 ingest --quiet "$f"; done
	kdx_rc 0 report --quiet --as-of 2026-11-30 --council-only
	local text; text=$(council_text)
	contains "$text" "前回調査なし"
	not_contains "$text" "改善なし" "a handout without a previous round"
	not_contains "$text" "達成見込み" "a handout without a previous round"
	for g in nursery clubs; do
		kdx_rc 0 table "$g" --as-of 2026-11-30 --format json
		/usr/bin/python3 -c '
import json, sys
for r in json.load(sys.stdin):
    assert not r["caution"] and r["projected_date"] is None and r["change"] is None, r
' <<<"$OUT" || die "$g: a trend without a previous round"
	done
}

test_checklist_goals_are_not_ranked_or_projected() {
	load_all
	for g in platforms pmh postpartum; do
		kdx_rc 0 table "$g" --as-of 2026-11-30 --format json
		/usr/bin/python3 -c '
import json, sys
for r in json.load(sys.stdin):
    assert r["rank"] is None and r["projected_date"] is None, r
' <<<"$OUT" || die "$g is ranked or projected"
	done
	# the rate goals still are
	kdx_rc 0 table procedures --as-of 2026-11-30 --format json
	contains "$OUT" '"rank":1'
}

# 見通し from the plan years: a municipality whose procedures still to do have
# no plan year, or one after its deadline (令和9年度末), is 要注意 and they are named
test_outlook_comes_from_plan_years() {
	load_all
	/usr/bin/python3 - "$SAMPLE" "$KDX_HOME" <<'PY'
import csv, sys, openpyxl
def rows_of(code, name):
    ws = openpyxl.load_workbook(f'{sys.argv[1]}/2026-10-01_{code}_{name}.xlsx', data_only=True)['手続電子化']
    rows = [['' if v is None else v for v in r][:7] for r in ws.iter_rows(values_only=True)]
    return rows[0], [r for r in rows[1:] if r[2]]
head, rows = rows_of('442101', '杵築市')
todo = [r for r in rows if str(r[2]).startswith('N') and r[3] not in ('電子化済', '所掌外')]
assert len(todo) >= 3
for r in rows:
    r[0] = '2026-11-01'
todo[0][5] = ''        # no plan year
todo[1][5] = 'R10'     # after the deadline (令和9年度末)
for r in todo[2:]:
    r[5] = 'R9'
csv.writer(open(f'{sys.argv[2]}/kitsuki.csv', 'w', encoding='utf-8', newline='')).writerows([head] + rows)
open(f'{sys.argv[2]}/expect.txt', 'w').write(f'予定年度なし（{todo[0][2]}）、令和10年度予定（{todo[1][2]}）\n')
PY
	kdx_rc 0 ingest --quiet "$KDX_HOME/kitsuki.csv"
	kdx_rc 0 report --quiet --as-of 2026-11-30 --council-only
	local text; text=$(council_text | tr -d ' \n')
	contains "$text" "要注意：$(cat "$KDX_HOME/expect.txt")"
	kdx_rc 0 table procedures --as-of 2026-11-30 --format json
	/usr/bin/python3 -c '
import json, sys
rows = {r["code"]: r for r in json.load(sys.stdin)}
assert rows["442101"]["caution"] is True, rows["442101"]
# every other municipality planned its remaining procedures for 令和9年度 (the sample)
assert not any(r["caution"] for c, r in rows.items() if c not in ("442101", "440001")), rows
' <<<"$OUT" || die "plan-year outlook"
	contains "$text" "予定どおりなら期限内に達成"
}

test_people_read_japanese_not_ids() {
	use_fixture report   # the sample, reported as of 2026-11-30
	kdx_rc 0 table procedures --as-of 2026-11-30
	contains "$OUT" "こども関係手続の電子化（2026-11-30 時点）"
	! grep -qE '(^| )(t|f)( |$)' <<<"$OUT" || die "t/f in kdx table text"
	kdx_rc 0 table summary --as-of 2026-11-30
	for id in procedures nursery platforms clubs postpartum pmh status; do not_contains "$OUT" "$id" "kdx table summary"; done
	kdx_rc 0 status --as-of 2026-11-30
	for id in nursery clubs procedures platforms postpartum settings; do not_contains "$OUT" " $id " "kdx status"; done
	contains "$OUT" "保育所等ICT調査"
	kdx_rc 0 status --as-of 2026-11-30 --format csv
	csv_field_contains <(printf '%s\n' "$OUT") dataset "手続電子化状況"
	/usr/bin/python3 - "$KDX_HOME/out/2026-11-30/council/2026-11-30_こども政策DX進捗.xlsx" <<'PY' || die "ids in the council workbook"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ids = {'nursery', 'clubs', 'procedures', 'platforms', 'postpartum', 'settings', 'pmh'}
for ws in wb:
    for row in ws.iter_rows(values_only=True):
        for v in row:
            assert not (isinstance(v, str) and v in ids), (ws.title, v)
PY
}

test_editions_bookmarks_and_page_labels() {  # kdx-test: slow
	load_all
	kdx_rc 0 run monthly --as-of 2026-11-30
	local pdf=$KDX_HOME/out/2026-11-30/council/2026-11-30_こども政策DX進捗.pdf
	local cover; cover=$(pdftotext -f 1 -l 1 "$pdf" - | tr -d ' \n')
	local short; short=$(grep -o '第1版（データ[0-9a-f]\{12\}）' <<<"$cover" | grep -o '[0-9a-f]\{12\}') || die "no edition on the cover: $cover"
	# the short hash serves the reader: no command and no 64 digits on the cover
	! grep -qE '[0-9a-f]{64}' <<<"$cover" || die "a 64-digit hash on the cover"
	not_contains "$cover" "kdx" "the cover"
	contains "$cover" "SHA-256の先頭です"
	# the hash printed on the cover finds the snapshot that archived these reports
	kdx_rc 0 snapshots --find "$short"
	contains "$OUT" "$short"
	eq "$(grep -c "^ *1 " <<<"$OUT")" 1 "snapshots found by the cover's hash"
	pdfinfo "$pdf" | grep -q "^Subject: *第1版（データ $short）" || die "no edition in the PDF's metadata"
	pdfinfo "$pdf" | grep -q "^Title: *こども政策DX 共同目標 進捗状況" || die "no document title"
	# an outline for every section, and page labels
	qpdf --json "$pdf" | /usr/bin/python3 -c '
import json, sys
j = json.load(sys.stdin)
titles = [o["title"] for o in j["outlines"]]
want = ["表紙", "進捗一覧", "1. こども関係手続の電子化", "2. 保育所等のICT化", "3. 保育業務施設管理プラットフォーム及び保活情報連携基盤の導入", "4. 放課後児童クラブのICT化",
        "5. 産後ケア事業のDX", "6. PMHの導入", "手続の電子化状況", "データ品質"]
for w in want:
    assert any(t.startswith(w) for t in titles), (w, titles)
pages = [o["destpageposfrom1"] for o in j["outlines"]]
assert pages == sorted(pages) and pages[0] == 1, pages
assert j["pagelabels"], "no page labels"
' || die "council PDF outline"
	qpdf --json "$KDX_HOME/out/2026-11-30/municipalities/442011_大分市.pdf" | /usr/bin/python3 -c '
import json, sys
assert len(json.load(sys.stdin)["outlines"]) >= 2
' || die "feedback PDF outline"
	/usr/bin/python3 - "$KDX_HOME/out/2026-11-30/council/2026-11-30_こども政策DX進捗.xlsx" "$short" <<'PY' || die "workbook edition"
import sys, zipfile
core = zipfile.ZipFile(sys.argv[1]).read('docProps/core.xml').decode()
assert f'第1版（データ {sys.argv[2]}）' in core, core
PY
	# other figures for the same as-of: the first edition is kept, and kdx says so
	/usr/bin/python3 - "$SAMPLE" "$KDX_HOME/inbox/later.csv" <<'PY'
import csv, sys, openpyxl
ws = openpyxl.load_workbook(f'{sys.argv[1]}/2026-10-01_442071_津久見市.xlsx', data_only=True)['手続電子化']
rows = [['' if v is None else v for v in r][:7] for r in ws.iter_rows(values_only=True)]
for r in rows[1:]:
    r[0] = '2026-11-01'
    if r[3] == '未着手':
        r[3] = '電子化済'
csv.writer(open(sys.argv[2], 'w', encoding='utf-8', newline='')).writerows([rows[0]] + [r for r in rows[1:] if r[2]])
PY
	kdx_rc 0 run monthly --as-of 2026-11-30
	contains "$ERR" "held the reports of another edition (第1版, data $short)"
	local kept="$KDX_HOME/out/2026-11-30/第1版_$short"
	[ -f "$kept/council/2026-11-30_こども政策DX進捗.pdf" ] || die "the first edition was not kept"
	contains "$(pdftotext -f 1 -l 1 "$kept/council/2026-11-30_こども政策DX進捗.pdf" - | tr -d ' \n')" "第1版（データ$short）"
	cover=$(pdftotext -f 1 -l 1 "$pdf" - | tr -d ' \n')
	contains "$cover" "第2版（データ"
	not_contains "$cover" "$short" "the second edition's cover"
	kdx_rc 0 snapshots
	eq "$(grep -c ' 2026-11-30 ' <<<"$OUT")" 2 "snapshots of 2026-11-30"
	# the second archive reproduces its reports, edition included
	kdx_rc 0 verify --reproduce "$(ls "$KDX_HOME"/archive/2026-11-30/2_*.tar.gz)"
}

# Legible on paper (SPEC §5): A4 landscape, nothing below 8 pt, the tables at
# 9 pt or more, as pdftotext -bbox measures the words (a word's box is as tall
# as its font size, within 2%).
test_nothing_below_8pt_and_tables_at_9pt() {
	use_fixture report
	local out=$KDX_HOME/out/2026-11-30
	for pdf in "$out/council/2026-11-30_こども政策DX進捗.pdf" "$out/municipalities/442011_大分市.pdf" "$out/municipalities/443221_姫島村.pdf"; do
		pdfinfo "$pdf" | grep -q "^Page size: *841.89 x 595.276 pts (A4)" || die "$pdf is not A4 landscape"
		pdftotext -bbox "$pdf" "$KDX_HOME/bbox.html"
		/usr/bin/python3 - "$KDX_HOME/bbox.html" "$ROOT/data/master/municipalities.csv" <<'PY' || die "text too small in $pdf"
import csv, re, sys
words = [(float(m.group(1)), float(m.group(2)), m.group(3)) for m in
         re.finditer(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', open(sys.argv[1], encoding='utf-8').read())]
assert len(words) > 100, len(words)
sizes = [(b - a, w) for a, b, w in words]
small = [(round(h, 2), w) for h, w in sizes if h < 8 * 0.98]
assert not small, small[:10]
# every municipality's name in the body (below the running header, above the
# footer: both 8 pt) at 9 pt or more: the tables name them
names = {m['name'] for m in csv.DictReader(open(sys.argv[2], encoding='utf-8')) if m['pref_code'] == '440001'}
named = [(round(b - a, 2), w) for a, b, w in words if w in names and a > 36 and b < 595 - 40]
assert named, 'no municipality named'
assert all(h >= 9 * 0.98 for h, w in named), [x for x in named if x[0] < 9 * 0.98][:10]
PY
	done
	# the seed table's row labels stay whole at 9 pt
	pdftotext -layout "$out/council/2026-11-30_こども政策DX進捗.pdf" - | grep -q "^分子/分母 " || die "分子/分母 wraps"
}

# Each municipality's own deadline where its status is, and PMH 特例 explained
# (SPEC §2): who has 特別な事情 and which PMH areas are exempt, from the inputs.
test_own_deadlines_and_exemptions_are_shown() {
	use_fixture report
	/usr/bin/python3 - "$SAMPLE" >"$KDX_HOME/who.txt" <<'PY'
import csv, glob, sys, openpyxl
sample = sys.argv[1]
names = {r['code']: r['name'] for r in csv.DictReader(open(f'{sample}/../master/municipalities.csv', encoding='utf-8'))}
special, exempt = set(), set()
for path in sorted(glob.glob(f'{sample}/2026-10-01_44*.xlsx')):
    wb = openpyxl.load_workbook(path, data_only=True)
    for r in wb['設定'].iter_rows(min_row=2, values_only=True):
        if r[1] and str(r[3]).strip() in ('有', '○', '1', 'はい'):
            special.add(names[str(r[1])])
    for r in wb['基盤導入'].iter_rows(min_row=2, values_only=True):
        if r[1] and r[3] == '特例対象外':
            exempt.add(names[str(r[1])])
print('special', *sorted(special))
print('exempt', *sorted(exempt))
PY
	local special exempt text name
	special=$(sed -n 's/^special //p' "$KDX_HOME/who.txt")
	exempt=$(sed -n 's/^exempt //p' "$KDX_HOME/who.txt")
	[ -n "$special" ] && [ -n "$exempt" ] || die "the sample should have both: $(cat "$KDX_HOME/who.txt")"
	text=$(pdftotext -layout "$KDX_HOME/out/2026-11-30/council/2026-11-30_こども政策DX進捗.pdf" - | sed 's/  */ /g')
	for name in $special; do
		grep -q "^$name .*令和9年度末※特別な事情" <<<"$text" || die "$name's own nursery deadline is not shown"
	done
	contains "$text" "期限の「※特別な事情」は"
	[ "$(grep -c '令和9年度末※特別な事情' <<<"$text")" -eq "$(wc -w <<<"$special")" ] || die "※特別な事情 on others too"
	for name in $exempt; do contains "$text" "$name（特例）"; done
	contains "$text" "「（特例）」は、"
	# and in the feedback report of such a municipality
	set -- $special
	local code; code=$(awk -F, -v n="$1" '$3 == n {print $1}' "$ROOT/data/master/municipalities.csv")
	contains "$(pdftotext -layout -f 1 -l 1 "$KDX_HOME/out/2026-11-30/municipalities/${code}_$1.pdf" - | tr -d ' ')" "※特別な事情"
}

# The council workbook: dates are dates (shown in 和暦, in LibreOffice too), 率
# and 表示 apart, the header row printed on every page, 前回比 on the 全体 row.
test_council_workbook_dates_rates_and_print_titles() {  # kdx-test: slow
	use_fixture report
	local x=$KDX_HOME/out/2026-11-30/council/2026-11-30_こども政策DX進捗.xlsx prev now
	read -r prev now < <(procedure_totals)
	/usr/bin/python3 - "$x" "$((now - prev))" <<'PY' || die "council workbook"
import datetime, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb['1_手続電子化']
head = [c.value for c in ws[1]]
tot, oita = ws[2], ws[3]
assert isinstance(oita[head.index('調査基準日')].value, datetime.datetime), oita[head.index('調査基準日')].value
# a deadline as the PDF says it: the fiscal year's end, never 令和10年3月31日 (which reads as 令和10年度)
assert oita[head.index('期限')].value == '令和9年度末', oita[head.index('期限')].value
assert tot[head.index('期限')].value == '令和9年度末', tot[head.index('期限')].value
nur = wb['2_保育所ICT']
nhead = [c.value for c in nur[1]]
dl = {r[0]: r[nhead.index('期限')] for r in nur.iter_rows(min_row=2, values_only=True) if r[0]}
# 国東市 has 特別な事情 (data/sample/2025-10-01_市町村設定.csv): its deadline is a year later, and says why
assert dl['442143'] == '令和9年度末（特別な事情）' and dl['442011'] == '令和8年度末' and dl['440001'] == '令和8年度末', dl
assert not any(isinstance(v, datetime.datetime) for v in dl.values()), dl
assert oita[head.index('率')].number_format == '0.0%' and oita[head.index('表示')].alignment.horizontal == 'center'
# the council's own change since the previous round, derived from the inputs
assert tot[head.index('前回比(pt)')].value == int(sys.argv[2]), (tot[head.index('前回比(pt)')].value, sys.argv[2])
for s in wb.worksheets:
    # the header row (the title and header rows of 概要) printed on every page
    # (a checklist sheet's title and header rows)
    want = '1:4' if s.title == '概要' else '1:2' if s.title.endswith('_項目') else '1:1'
    assert (s.print_title_rows or '').replace('$', '') == want, (s.title, s.print_title_rows)
    assert s.page_setup.orientation == 'landscape', s.title
PY
	# the feedback workbook says the deadline the same way
	/usr/bin/python3 - "$KDX_HOME/out/2026-11-30/municipalities/442143_国東市.xlsx" <<'PY' || die "国東市's feedback workbook: 期限"
import datetime, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])['概要']
rows = list(ws.iter_rows(values_only=True))
hi = next(i for i, r in enumerate(rows) if r and r[0] == '目標')
col = rows[hi].index('期限')
dl = {r[0]: r[col] for r in rows[hi + 1:] if r and r[0]}
assert dl['保育所等のICT化'] == '令和9年度末（特別な事情）', dl
assert dl['こども関係手続の電子化'] == '令和9年度末' and dl['PMHの導入'] == '令和10年度末', dl
assert not any(isinstance(v, datetime.datetime) for v in dl.values()), dl
PY
	# the submission table of the PDF's annex, and the feedback workbook's history, from the inputs
	/usr/bin/python3 - "$x" "$KDX_HOME/out/2026-11-30/municipalities/442011_大分市.xlsx" "$SAMPLE" <<'PY' || die "提出状況 / 推移"
import csv, datetime, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])['提出状況']
rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] and r[0].isdigit()}
assert len(rows) == 18, len(rows)
assert all(v == datetime.datetime(2026, 10, 1) for v in rows['442011'][2:]), rows['442011']
def pct(rows):
    ins = [r for r in rows if str(r[2]).startswith('N') and r[3] != '所掌外']
    return round(sum(1 for r in ins if r[3] == '電子化済') / len(ins), 4)
prev = [r for r in csv.reader(open(f'{sys.argv[3]}/2025-10-01_手続電子化状況.csv', encoding='cp932')) if r[1] == '442011']
now = [list(r) for r in openpyxl.load_workbook(f'{sys.argv[3]}/2026-10-01_442011_大分市.xlsx', data_only=True)['手続電子化'].iter_rows(min_row=2, values_only=True) if r[2]]
ws = openpyxl.load_workbook(sys.argv[2])['推移']
rate = [c.value for c in ws[1]].index('率')
hist = [(r[1], r[rate]) for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == 'こども関係手続の電子化']
assert hist == [(datetime.datetime(2025, 10, 1), pct(prev)), (datetime.datetime(2026, 10, 1), pct(now))], (hist, pct(prev), pct(now))
PY
	(cd "$KDX_HOME" && timeout 300 libreoffice --headless --convert-to pdf --outdir lo "$x" >/dev/null 2>&1) || die "LibreOffice could not convert the workbook"
	contains "$(pdftotext -layout "$KDX_HOME/lo/2026-11-30_こども政策DX進捗.pdf" - | sed 's/  */ /g')" "令和8年10月1日"
}

# A near miss in a coded column is answered with the value it most likely meant.
test_reject_report_suggests_the_likely_value() {
	use_fixture init
	/usr/bin/python3 - "$SAMPLE" "$KDX_HOME/near.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(f'{sys.argv[1]}/2025-10-01_手続電子化状況.csv', encoding='cp932')))
out = [rows[0]] + [r for r in rows[1:] if r[1] == '442011']
n = next(r for r in out[1:] if r[2] == 'N03')
n[3] = '済'
csv.writer(open(sys.argv[2], 'w', encoding='utf-8', newline='')).writerows(out)
PY
	kdx_rc 65 ingest "$KDX_HOME/near.csv"
	nothing_loaded
	local report; report=$(cat "$KDX_HOME/near.csv.reject.txt" 2>/dev/null || cat "$KDX_HOME"/rejects/*near.csv.reject.txt)
	contains "$report" "「状況」の値が正しくありません"
	contains "$report" "「電子化済」のことであれば、そのとおりに入力してください。"
}

# The checklist goals' items by the rule (SPEC §2), from the sample's 2026-10-01
# workbooks: per municipality and goal, the items done, in scope, and what the
# rule still needs.  Printed as "goal code done den status needed" (needed "、"-joined).
checklist_expect() {
	/usr/bin/python3 - "$SAMPLE" "$ROOT/data/master/goal_items.csv" <<'PY'
import csv, glob, sys, openpyxl
sample, items = sys.argv[1], list(csv.DictReader(open(sys.argv[2], encoding='utf-8')))
name = {(i['goal'], i['code']): i['name'] for i in items}
other = ('承認通知の電子化', '利用実績のシステム管理', '集計・請求の自動化')
for path in sorted(glob.glob(f'{sample}/2026-10-01_44*.xlsx')):
    wb = openpyxl.load_workbook(path, data_only=True)
    pp = {r[2]: r[3] for r in wb['産後ケア'].iter_rows(min_row=2, values_only=True) if r[1]}
    pl = {r[2]: r[3] for r in wb['基盤導入'].iter_rows(min_row=2, values_only=True) if r[1]}
    code = path.split('_')[1]
    done = [k for k, v in pp.items() if v == '実施済']
    need = ([] if pp['オンライン申請'] == '実施済' else ['オンライン申請']) + \
           ([] if any(pp[k] == '実施済' for k in other) else ['・'.join(other) + 'のうち1項目'])
    print('postpartum', code, len(done), len(pp), '達成' if not need else '未達', '、'.join(need) or '-')
    for goal, keys in (('platforms', ('保育業務施設管理PF', '保活情報連携基盤')), ('pmh', ('PMH医療費助成', 'PMH予防接種'))):
        scope = [k for k in keys if pl[k] != '特例対象外']
        ok = [k for k in scope if pl[k] in ('導入済', '類似システム導入済')]
        need = [name[(goal, k)] for k in scope if k not in ok]
        print(goal, code, len(ok), len(scope), '達成' if scope and not need else '未達' if scope else '対象外',
              '、'.join(need) or '-')
PY
}

# The council report's table of a checklist goal counts items and names what
# the rule still needs, with no rate, rank or change in points; each feedback
# report says what its municipality still needs.
test_checklist_tables_count_items_and_name_what_is_left() {
	use_fixture report
	checklist_expect >"$KDX_HOME/expect.txt"
	[ "$(wc -l <"$KDX_HOME/expect.txt")" -eq 54 ] || die "expected 3 goals × 18 municipalities: $(wc -l <"$KDX_HOME/expect.txt")"
	local pdf=$KDX_HOME/out/2026-11-30/council/2026-11-30_こども政策DX進捗.pdf
	qpdf --json "$pdf" | /usr/bin/python3 -c '
import json, sys
o = {x["title"]: x["destpageposfrom1"] for x in json.load(sys.stdin)["outlines"]}
p = sorted(o.values())
for t, first in o.items():
    if t.startswith(("3. ", "5. ", "6. ")):
        print(t[0], first, p[p.index(first) + 1] - 1)
' >"$KDX_HOME/pages.txt"
	local ord first last goal
	while read -r ord first last; do
		goal=$(case $ord in 3) echo platforms;; 5) echo postpartum;; 6) echo pmh;; esac)
		pdftotext -layout -f "$first" -l "$last" "$pdf" "$KDX_HOME/sec.txt"
		pdftotext -bbox -f "$first" -l "$last" "$pdf" "$KDX_HOME/sec.html"
		/usr/bin/python3 - "$KDX_HOME/sec.txt" "$KDX_HOME/expect.txt" "$goal" "$ROOT/data/master/municipalities.csv" "$KDX_HOME/sec.html" <<'PY' || die "$goal's table in the council report"
import csv, re, sys
text = open(sys.argv[1], encoding='utf-8').read()
goal = sys.argv[3]
names = {m['code']: m['name'] for m in csv.DictReader(open(sys.argv[4], encoding='utf-8'))}
exp = [l.split() for l in open(sys.argv[2], encoding='utf-8') if l.startswith(goal + ' ')]
assert '目標の達成に必要な項目' in text and '済/対象' in text, text[:400]
assert '順位' not in text and '前回比' not in text, 'a checklist goal ranked or changed in points'
# the words of the table by position: the column under 目標の達成に必要な項目, row by row
words = [(float(a), float(b), float(c), w) for a, b, c, w in
         re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
                    open(sys.argv[5], encoding='utf-8').read())]
head = next(w for w in words if w[3] == '目標の達成に必要な項目')
right = next(w for w in words if w[3] == '前回の済' and abs(w[1] - head[1]) < 2)
cx0 = max(w[2] for w in words if w[3] in ('期限',) and abs(w[1] - head[1]) < 2)
starts = sorted((w[1], w[3]) for w in words if w[0] < cx0 - 200 and re.sub('（特例）$', '', w[3]) in names.values()
                and w[1] > head[1])
for g, code, done, den, status, need in exp:
    rows = [l for l in text.splitlines() if re.match(r'\s*' + re.escape(names[code]) + r'(（特例）)? ', l)]
    assert len(rows) == 1, (code, rows)
    cells = rows[0].split()
    assert f'{done}/{den}' in cells and status in cells, (code, cells, done, den, status)
    assert not any(c.endswith('%') for c in cells), (code, cells)
    k = [i for i, (y, n) in enumerate(starts) if re.sub('（特例）$', '', n) == names[code]]
    assert len(k) == 1, (code, starts)
    y0, y1 = starts[k[0]][0] - 1, starts[k[0] + 1][0] - 1 if k[0] + 1 < len(starts) else starts[k[0]][0] + 24
    cell = ''.join(w[3] for w in sorted(words, key=lambda w: (round(w[1]), w[0]))
                   if cx0 < w[0] < right[0] and y0 <= w[1] < y1)
    want = need.split('、') if status == '未達' else []
    assert sorted(filter(None, cell.split('、'))) == sorted(want), (code, cell, need)
PY
	done <"$KDX_HOME/pages.txt"
	[ "$(wc -l <"$KDX_HOME/pages.txt")" -eq 3 ] || die "three checklist goal sections: $(cat "$KDX_HOME/pages.txt")"
	# the summary matrix (kdx table summary) counts their items too, never a rate
	kdx_rc 0 table summary --as-of 2026-11-30 --format csv
	printf '%s\n' "$OUT" >"$KDX_HOME/summary.csv"
	/usr/bin/python3 - "$KDX_HOME/expect.txt" "$KDX_HOME/summary.csv" "$ROOT/data/master/goals.csv" <<'PY' || die "kdx table summary of the checklist goals"
import csv, sys
rows = {r['code']: r for r in csv.DictReader(open(sys.argv[2], encoding='utf-8-sig'))}
unit = {r['id']: r['unit'] for r in csv.DictReader(open(sys.argv[3], encoding='utf-8'))}
for g, code, done, den, status, need in (l.split() for l in open(sys.argv[1], encoding='utf-8')):
    if status != '対象外':
        # the items counted with their unit (2/2基盤), as every output says it
        assert rows[code][g] == f'{done}/{den}{unit[g]}' and rows[code][g + '_status'] == status, (g, code, rows[code])
PY
	# each feedback report names what its municipality still needs, by the rule
	local g code done den status need f
	while read -r g code done den status need; do
		[ "$status" = 未達 ] || continue
		f=$(ls "$KDX_HOME/out/2026-11-30/municipalities/${code}_"*.pdf)
		/usr/bin/python3 - "$f" "$g" "$need" <<'PY' || die "$code's feedback: $g"
import re, subprocess, sys
# page by page, the left half of the landscape page and then the right (the lists flow in two columns)
pages = int(re.search(r'Pages:\s+(\d+)', subprocess.run(['pdfinfo', sys.argv[1]], capture_output=True, text=True).stdout).group(1))
lines = []
for p in range(1, pages + 1):
    for x in (0, 421):
        out = subprocess.run(['pdftotext', '-layout', '-f', str(p), '-l', str(p), '-x', str(x), '-y', '0', '-W', '421', '-H', '596',
                              sys.argv[1], '-'], capture_output=True, text=True).stdout
        lines += [re.sub(r'\s+', '', l) for l in out.splitlines()]
title = {'platforms': '3.保育業務施設管理プラットフォーム及び保活情報連携基盤の導入', 'postpartum': '5.産後ケア事業のDX', 'pmh': '6.PMHの導入'}[sys.argv[2]]
at = next(i for i, l in enumerate(lines) if l.startswith(title))
k = next(i for i in range(at, len(lines)) if lines[i].startswith('目標の達成に必要:'))
end = next(i for i in range(k, len(lines)) if lines[i].startswith(('達成の条件:', '未実施の項目:')))
line = ''.join(lines[k:end])      # the sentence, wrapped in its column (the rule follows it)
assert set(line.split(':', 1)[1].split('、')) == set(sys.argv[3].split('、')), (line, sys.argv[3])
PY
	done <"$KDX_HOME/expect.txt"
}

# The slides of a checklist goal show its checklist: a cell per item and
# municipality, 済 in its own fill, each municipality's status under them;
# counted in the PNG: regions of the 済 fill = items done, of the 達成 fill =
# municipalities that reached the goal (both from the inputs by the rule).
test_checklist_slides_draw_the_checklist() {
	load_all
	kdx_rc 0 report --quiet --as-of 2026-11-30 --council-only
	checklist_expect >"$KDX_HOME/expect.txt"
	local g
	for g in platforms postpartum pmh; do
		/usr/bin/python3 - "$KDX_HOME/out/2026-11-30/charts/$g.png" "$KDX_HOME/expect.txt" "$g" <<'PY' || die "$g.png"
import sys
from PIL import Image
exp = [l.split() for l in open(sys.argv[2], encoding='utf-8') if l.startswith(sys.argv[3] + ' ')]
done = sum(int(e[2]) for e in exp)
achieved = sum(e[4] == '達成' for e in exp)
im = Image.open(sys.argv[1]).convert('RGB')
w, h = im.size
px = im.load()
def regions(colour, least=300):
    seen, n = set(), 0
    for y in range(h):
        for x in range(w):
            if (x, y) in seen or px[x, y] != colour:
                continue
            stack, size = [(x, y)], 0
            seen.add((x, y))
            while stack:
                a, b = stack.pop()
                size += 1
                for c, d in ((a + 1, b), (a - 1, b), (a, b + 1), (a, b - 1)):
                    if 0 <= c < w and 0 <= d < h and (c, d) not in seen and px[c, d] == colour:
                        seen.add((c, d))
                        stack.append((c, d))
            n += size >= least
    return n
got_done = regions((204, 230, 247))
got_ach = regions((207, 227, 242))
assert (got_done, got_ach) == (done, achieved), (sys.argv[3], got_done, done, got_ach, achieved)
PY
	done
}

# The feedback report's history of a checklist goal counts items at each
# survey ("2/6 未達"), never a rate: 大分市's postpartum rounds of 2025-10-01
# (the CSV) and 2026-10-01 (its workbook).
test_feedback_history_counts_checklist_items() {
	load_all
	kdx_rc 0 report --quiet --as-of 2026-11-30 --muni 442011
	local want; want=$(/usr/bin/python3 - "$SAMPLE" <<'PY'
import csv, sys, openpyxl
s = sys.argv[1]
other = ('承認通知の電子化', '利用実績のシステム管理', '集計・請求の自動化')
def label(rows):
    d = {r[2]: r[3] for r in rows}
    ok = d['オンライン申請'] == '実施済' and any(d[k] == '実施済' for k in other)
    return f"{sum(v == '実施済' for v in d.values())}/{len(d)}{'達成' if ok else '未達'}"
old = [r for r in csv.reader(open(f'{s}/2025-10-01_産後ケアDX状況.csv', encoding='utf-8-sig')) if r[1] == '442011']
new = [r for r in openpyxl.load_workbook(f'{s}/2026-10-01_442011_大分市.xlsx', data_only=True)['産後ケア'].iter_rows(min_row=2, values_only=True) if r[1]]
print(label(old), label(new))
PY
)
	local page; page=$(pdftotext -f 1 -l 1 "$KDX_HOME/out/2026-11-30/municipalities/442011_大分市.pdf" - | tr -d ' \n')
	local w; for w in $want; do contains "$page" "$w"; done
	contains "$page" "済の項目数"
	# and its workbook's 推移 sheet: the items as a count, no rate
	/usr/bin/python3 - "$KDX_HOME/out/2026-11-30/municipalities/442011_大分市.xlsx" $want <<'PY' || die "推移 sheet"
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])['推移']
head = [c.value for c in ws[1]]
rows = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == '産後ケア事業のDX']
assert len(rows) == 2, rows
for r, want in zip(rows, sys.argv[2:]):
    assert f'{r[2]}{r[4]}' == want, (r, want)
    assert r[head.index('率')] in (None, ''), r
PY
}

# The council workbook's charts: the rate goals' bars cache the real rates (a
# reader that does not recalculate sees them), the target and 全体 are lines
# named in the chart (trend lines of hidden series), and the checklist goals
# have their checklist instead of a chart; expected figures from the inputs.
test_workbook_charts_hold_real_values_and_draw_the_target() {
	use_fixture report
	local prev now
	read -r prev now < <(procedure_totals)
	checklist_expect >"$KDX_HOME/expect.txt"
	/usr/bin/python3 - "$KDX_HOME/out/2026-11-30/council/2026-11-30_こども政策DX進捗.xlsx" "$SAMPLE" "$now" "$KDX_HOME/expect.txt" <<'PY' || die "council workbook charts"
import glob, re, sys, zipfile, openpyxl
x, sample, now = sys.argv[1], sys.argv[2], sys.argv[3]
z = zipfile.ZipFile(x)
charts = sorted(n for n in z.namelist() if re.fullmatch(r'xl/charts/chart\d+\.xml', n))
assert len(charts) == 3, charts        # procedures, nursery, clubs; none for the checklist goals
# which chart is the procedures one: the drawing of sheet 1_手続電子化
rates = {}
for path in sorted(glob.glob(f'{sample}/2026-10-01_44*.xlsx')):
    rows = [r for r in openpyxl.load_workbook(path, data_only=True)['手続電子化'].iter_rows(min_row=2, values_only=True)
            if r[2] and str(r[2]).startswith('N') and r[3] != '所掌外']
    rates[path.split('_')[1]] = sum(r[3] == '電子化済' for r in rows) / len(rows)
want = [rates[c] for c in sorted(rates)]
xml = [z.read(c).decode() for c in charts]
proc = [s for s in xml if 'こども関係手続の電子化' in s]
assert len(proc) == 1
s = proc[0]
cache = re.search(r'<c:val>.*?<c:numCache>(.*?)</c:numCache>', s, re.S).group(1)
got = [float(v) for v in re.findall(r'<c:v>([^<]*)</c:v>', cache)]
assert len(got) == 18 and all(abs(a - b) < 1e-9 for a, b in zip(got, want)), (got, want)
names = re.findall(r'<c:trendline><c:name>([^<]*)</c:name>', s)
assert names == ['目標 100%', f'全体 {now}%'], names
assert 'prstDash val="dash"' in s
for t in re.findall(r'<c:ser>.*?</c:ser>', s, re.S)[1:]:
    assert '<a:noFill/>' in t, 'a carrier series is drawn'
# the checklist goals: a sheet of items × municipalities, its 済 cells the items done
wb = openpyxl.load_workbook(x)
exp = [l.split() for l in open(sys.argv[4], encoding='utf-8')]
for goal, sheet in (('platforms', '3_保育PF_項目'), ('postpartum', '5_産後ケアDX_項目'), ('pmh', '6_PMH_項目')):
    assert sheet in wb.sheetnames, (sheet, wb.sheetnames)
    cells = [v for row in wb[sheet].iter_rows(values_only=True) for v in row]
    assert cells.count('済') == sum(int(e[2]) for e in exp if e[0] == goal), (sheet, cells.count('済'))
    assert cells.count('達成') == sum(e[4] == '達成' for e in exp if e[0] == goal), sheet
PY
}

# The feedback workbook: the 概要 sheet prints at full size on A4 (LibreOffice:
# its text at 8 pt or more), and each own target (独自目標) names the facilities
# behind what it still lacks, as the PDF does: 大分市 counts its private
# nurseries (設定), and those without ICT are named (the nursery survey).
test_feedback_workbook_prints_legibly_and_names_own_target_facilities() {
	load_all
	kdx_rc 0 report --quiet --as-of 2026-11-30 --muni 442011
	local missing; missing=$(/usr/bin/python3 - "$SAMPLE" <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(f'{sys.argv[1]}/2026-10-01_保育所等ICT調査.csv', encoding='utf-8-sig'))
        if r['市町村コード'] == '442011']
feats = ('保護者連絡', '登降園管理', '計画・記録', 'キャッシュレス決済', 'その他')
todo = [r['施設名'] for r in rows if not r['統廃合予定'] and not any(r[f] for f in feats)]
print(' '.join(todo))
PY
)
	[ -n "$missing" ] || die "the sample should leave one of 大分市's nurseries without ICT"
	local x=$KDX_HOME/out/2026-11-30/municipalities/442011_大分市.xlsx
	/usr/bin/python3 - "$x" $missing <<'PY' || die "own target in the workbook"
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])['概要']
lines = [str(v) for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str) and '独自目標（' in v]
assert len(lines) == 1, lines
assert all(n in lines[0] for n in sys.argv[2:]) and '未導入' in lines[0], (lines, sys.argv[2:])
PY
	contains "$(pdftotext "$KDX_HOME/out/2026-11-30/municipalities/442011_大分市.pdf" - | tr -d ' \n')" "未導入:$(echo "$missing" | cut -d' ' -f1)"
	( cd "$KDX_HOME" && timeout 300 libreoffice --headless --convert-to pdf --outdir lo "$x" >/dev/null 2>&1 ) || die "LibreOffice could not convert the workbook"
	pdftotext -f 1 -l 1 -bbox "$KDX_HOME/lo/442011_大分市.pdf" "$KDX_HOME/lo.html"
	/usr/bin/python3 - "$KDX_HOME/lo.html" <<'PY' || die "the 概要 sheet prints too small"
import re, sys
h = [float(b) - float(a) for a, b in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', open(sys.argv[1], encoding='utf-8').read())]
assert len(h) > 50, len(h)
h.sort()
assert h[len(h) // 10] >= 8, h[:20]      # nine words in ten at 8 pt or more
PY
}

# No half-empty goal pages: a checklist goal's grid and table share one page,
# and a rate goal's bar chart fills its page when the table cannot share it
# (its lowest text, the municipalities' names under the bars, in the bottom
# quarter of the page).
test_goal_pages_are_filled() {
	load_all
	kdx_rc 0 report --quiet --as-of 2026-11-30 --council-only
	local pdf=$KDX_HOME/out/2026-11-30/council/2026-11-30_こども政策DX進捗.pdf
	pdftotext -bbox "$pdf" "$KDX_HOME/bbox.html"
	qpdf --json "$pdf" | /usr/bin/python3 -c '
import json, re, sys
o = [(x["title"], x["destpageposfrom1"]) for x in json.load(sys.stdin)["outlines"]]
html = open(sys.argv[1], encoding="utf-8").read()
pages = html.split("<page ")[1:]
def lowest(n):
    p = pages[n - 1]
    h = float(re.search(r"height=\"([\d.]+)\"", p).group(1))
    ys = [float(y) for y in re.findall(r"yMax=\"([\d.]+)\"", p)]
    return max(y for y in ys if 60 < y < h - 40) / h
starts = [p for t, p in o]
for (title, first), nxt in zip(o, starts[1:]):
    if not re.match(r"\d\. ", title):
        continue
    if title[0] in "356":
        assert nxt - first == 1, (title, first, nxt)
    else:
        assert nxt - first == 2, (title, first, nxt)
        assert lowest(first) > 0.75, (title, lowest(first))
' "$KDX_HOME/bbox.html" || die "half-empty goal pages"
	# a feedback report's lists (what is left, the submissions) flow in two
	# columns on the landscape page: 大分市's, the longest of the sample, on one page
	kdx_rc 0 report --quiet --as-of 2026-11-30 --muni 442011
	local fb=$KDX_HOME/out/2026-11-30/municipalities/442011_大分市.pdf
	eq "$(pdfinfo "$fb" | sed -n 's/^Pages: *//p')" 2 "pages of 大分市's feedback"
	pdftotext -f 2 -l 2 -bbox "$fb" "$KDX_HOME/fb.html"
	/usr/bin/python3 - "$KDX_HOME/fb.html" <<'PY' || die "the feedback's lists are not in two columns"
import re, sys
w = [(float(x), float(y), t) for x, y, t in
     re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>', open(sys.argv[1], encoding='utf-8').read())]
heads = {t: (x, y) for x, y, t in w if t in ('残っている取組', '提出データ')}
assert heads['残っている取組'][0] < 100 and heads['提出データ'][0] > 841.89 / 2, heads
PY
}
