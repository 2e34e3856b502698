# What the council handout tells a reader (SPEC §2 "Checklist goals", "Previous
# round and outlook"): expected figures derived here from the input files.

load_all() {
	kdx_rc 0 init --quiet
	for f in "$SAMPLE"/*; do kdx_rc 0 ingest --quiet "$f"; done
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
	load_all
	kdx_rc 0 report --quiet --as-of 2026-11-30
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
	kdx_rc 0 report --quiet --as-of 2026-11-30
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

test_no_previous_round_says_so_and_flags_nothing() {
	kdx_rc 0 init --quiet
	# one round only: the 2026-10-01 files
	for f in "$SAMPLE"/2026-10-01_*; do kdx_rc 0 ingest --quiet "$f"; done
	kdx_rc 0 report --quiet --as-of 2026-11-30
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
	kdx_rc 0 report --quiet --as-of 2026-11-30
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
	load_all
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
	kdx_rc 0 report --quiet --as-of 2026-11-30
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

test_editions_bookmarks_and_page_labels() {
	load_all
	kdx_rc 0 run monthly --as-of 2026-11-30
	local pdf=$KDX_HOME/out/2026-11-30/council/2026-11-30_こども政策DX進捗.pdf
	local cover; cover=$(pdftotext -f 1 -l 1 "$pdf" - | tr -d ' \n')
	local short; short=$(grep -o '第1版（データ[0-9a-f]\{12\}）' <<<"$cover" | grep -o '[0-9a-f]\{12\}') || die "no edition on the cover: $cover"
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
want = ["表紙", "進捗一覧", "1. こども関係手続の電子化", "2. 保育所等のICT化", "3. 保育業務施設管理PF", "4. 放課後児童クラブのICT化",
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
	load_all
	kdx_rc 0 report --quiet --as-of 2026-11-30
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
	load_all
	kdx_rc 0 report --quiet --as-of 2026-11-30
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
test_council_workbook_dates_rates_and_print_titles() {
	load_all
	kdx_rc 0 report --quiet --as-of 2026-11-30
	local x=$KDX_HOME/out/2026-11-30/council/2026-11-30_こども政策DX進捗.xlsx prev now
	read -r prev now < <(procedure_totals)
	/usr/bin/python3 - "$x" "$((now - prev))" <<'PY' || die "council workbook"
import datetime, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb['1_手続電子化']
head = [c.value for c in ws[1]]
tot, oita = ws[2], ws[3]
assert isinstance(oita[head.index('調査基準日')].value, datetime.datetime), oita[head.index('調査基準日')].value
assert oita[head.index('期限')].value == datetime.datetime(2028, 3, 31)
assert 'ggge' in oita[head.index('期限')].number_format, oita[head.index('期限')].number_format
assert oita[head.index('率')].number_format == '0.0%' and oita[head.index('表示')].alignment.horizontal == 'center'
# the council's own change since the previous round, derived from the inputs
assert tot[head.index('前回比(pt)')].value == int(sys.argv[2]), (tot[head.index('前回比(pt)')].value, sys.argv[2])
for s in wb.worksheets:
    # the header row (the title and header rows of 概要) printed on every page
    assert (s.print_title_rows or '').replace('$', '') == ('1:4' if s.title == '概要' else '1:1'), (s.title, s.print_title_rows)
    assert s.page_setup.orientation == 'landscape', s.title
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
hist = [(r[1], r[2]) for r in openpyxl.load_workbook(sys.argv[2])['推移'].iter_rows(min_row=2, values_only=True) if r[0] == 'こども関係手続の電子化']
assert hist == [(datetime.datetime(2025, 10, 1), pct(prev)), (datetime.datetime(2026, 10, 1), pct(now))], (hist, pct(prev), pct(now))
PY
	(cd "$KDX_HOME" && timeout 300 libreoffice --headless --convert-to pdf --outdir lo "$x" >/dev/null 2>&1) || die "LibreOffice could not convert the workbook"
	contains "$(pdftotext -layout "$KDX_HOME/lo/2026-11-30_こども政策DX進捗.pdf" - | sed 's/  */ /g')" "令和8年10月1日"
}

# A near miss in a coded column is answered with the value it most likely meant.
test_reject_report_suggests_the_likely_value() {
	kdx_rc 0 init --quiet
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
