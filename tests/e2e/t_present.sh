# One presentation of every figure (reports/present.c): every output says the
# same of a figure, by the goal's kind from the master data, and an earlier
# master folder keeps working.

present_sample() {
	if [ -z "${1:-}" ]; then
		use_fixture report   # the sample's reports as of 2026-11-30
	else
		use_fixture sample
		kdx_rc 0 report --quiet --as-of "$1"
	fi
}

# A master folder written for an earlier kdx: today's five files in the
# columns they had before goal kinds (the goals' first ten, the items' first five).
old_master() {
	mkdir -p "$1"
	/usr/bin/python3 - "$ROOT/data/master" "$1" <<'PY'
import csv, sys
src, dst = sys.argv[1:3]
for f, keep in (('prefectures.csv', None), ('municipalities.csv', None), ('procedures.csv', None),
                ('goals.csv', 10), ('goal_items.csv', 5)):
    rows = list(csv.reader(open(f'{src}/{f}', encoding='utf-8')))
    with open(f'{dst}/{f}', 'w', encoding='utf-8', newline='') as fp:
        csv.writer(fp, lineterminator='\n').writerows([r[:keep] if keep else r for r in rows])
PY
	head -1 "$1/goals.csv" | grep -q ',kind' && die "the old goals.csv has a kind column"
	return 0
}

# The old folder gives the same warehouse master data and byte-identical reports.
test_old_master_folder_gives_the_same_reports() {
	# kdx's own master data: the report fixture (the sample, reported as of 2026-11-30)
	use_fixture report
	# the old master folder: a warehouse of its own, loaded and reported the same way
	old_master "$KDX_HOME/oldm"
	local url2="host=$KDX_TEST_SOCKET dbname=${T_DB}_b user=postgres"
	psql -X -q -h "$KDX_TEST_SOCKET" -U postgres -d postgres -c "DROP DATABASE IF EXISTS ${T_DB}_b" -c "CREATE DATABASE ${T_DB}_b" >/dev/null
	KDX_DATABASE_URL=$url2 kdx_rc 0 init --quiet --master "$KDX_HOME/oldm"
	for f in "$SAMPLE"/*; do KDX_DATABASE_URL=$url2 kdx_rc 0 ingest --quiet "$f"; done
	KDX_DATABASE_URL=$url2 kdx_rc 0 report --quiet --as-of 2026-11-30 --out "$KDX_HOME/old"
	# the columns the folder lacks come from the shipped master data, for the same goal and item
	/usr/bin/python3 - "$ROOT/data/master" <<PY || die "the master data kdx filled in"
import csv, subprocess, sys
q = lambda s: subprocess.run(['psql', '-X', '-At', '-F', '\t', '-h', '$KDX_TEST_SOCKET', '-U', 'postgres', '-d', '${T_DB}_b', '-c', s],
                             capture_output=True, text=True, check=True).stdout.splitlines()
goals = {r['id']: r for r in csv.DictReader(open(sys.argv[1] + '/goals.csv', encoding='utf-8'))}
for line in q("SELECT id, kind, dataset, scope, done, legend, own_scope FROM kdx.goal ORDER BY ord"):
    id, kind, ds, scope, done, legend, own = line.split('\t')
    g = goals[id]
    assert (kind, ds, scope, done, legend, own) == (g['kind'], g['dataset'], g['scope'], g['done'], g['legend'], g['own_scope']), id
items = {(r['goal'], r['code']): r['need'] for r in csv.DictReader(open(sys.argv[1] + '/goal_items.csv', encoding='utf-8'))}
got = dict(((l.split('\t')[0], l.split('\t')[1]), l.split('\t')[2]) for l in q("SELECT goal, code, need FROM kdx.goal_item"))
assert got == items, got
PY
	# the reports from the old folder are byte for byte those from kdx's own master data
	local f n=0
	for f in council/2026-11-30_こども政策DX進捗.pdf council/2026-11-30_こども政策DX進捗.xlsx municipalities/442143_国東市.pdf \
		web/data/all.csv web/goal/pmh.html; do
		[ -f "$KDX_HOME/out/2026-11-30/$f" ] || die "the report fixture has no $f"
		cmp -s "$KDX_HOME/old/$f" "$KDX_HOME/out/2026-11-30/$f" || die "$f differs between the old master folder and kdx's own"
		n=$((n + 1))
	done
	eq "$n" 5 "files compared"
	psql -X -q -h "$KDX_TEST_SOCKET" -U postgres -d postgres -c "DROP DATABASE ${T_DB}_b" >/dev/null
}

# kdx table summary, the council workbook's 概要 and the web edition's table say
# the same of every figure; a checklist goal's is its items with their unit.
test_figures_agree_across_table_workbook_and_web() {
	present_sample
	kdx_rc 0 table summary --as-of 2026-11-30 --format csv
	printf '%s\n' "$OUT" >"$KDX_HOME/summary.csv"
	/usr/bin/python3 - "$KDX_HOME/summary.csv" "$KDX_HOME/out/2026-11-30" "$ROOT/data/master/goals.csv" <<'PY' || die "figures disagree"
import csv, html, re, sys, openpyxl
rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8')))
goals = list(csv.DictReader(open(sys.argv[3], encoding='utf-8')))
ws = openpyxl.load_workbook(f'{sys.argv[2]}/council/2026-11-30_こども政策DX進捗.xlsx')['概要']
web = html.unescape(open(f'{sys.argv[2]}/web/index.html', encoding='utf-8').read())
cells = [re.sub(r'<[^>]+>', ' ', c) for c in re.findall(r'<td>(.*?)</td>', web)]
assert len(rows) == 19 and len(cells) == 19 * 6, (len(rows), len(cells))
checked = 0
for i, r in enumerate(rows):
    for gi, g in enumerate(goals):
        value, status = r[g['id']], r[g['id'] + '_status']
        x = ws.cell(row=5 + i, column=3 + 2 * gi).value
        assert ws.cell(row=5 + i, column=4 + 2 * gi).value == status, (r['code'], g['id'])
        if isinstance(x, (int, float)):               # a rate: the workbook's number shows as the table's percent
            assert f'{int(x * 100 + 0.5)}%' == value, (r['code'], g['id'], x, value)
        else:
            assert x == value, (r['code'], g['id'], x, value)
        if g['kind'] == 'checklist':
            assert '%' not in value, (r['code'], g['id'], value)
            if value.startswith('達成'):
                assert value in cells[i * 6 + gi], (value, cells[i * 6 + gi])
            elif value != '-':
                assert re.fullmatch(r'\d+/\d+' + re.escape(g['unit']), value), value
                assert value in cells[i * 6 + gi], (value, cells[i * 6 + gi])
        checked += 1
assert checked == 19 * 6
PY
}

# Every 要注意 of the council's handout is in the municipality's own feedback,
# and every 前回 there carries its date.
test_feedback_carries_the_handout_warnings_with_dates() {
	present_sample
	local g code
	for g in procedures nursery platforms clubs postpartum pmh; do
		kdx_rc 0 table "$g" --as-of 2026-11-30 --format json
		printf '%s\n' "$OUT" >"$KDX_HOME/$g.json"
	done
	/usr/bin/python3 - "$KDX_HOME" "$KDX_HOME/out/2026-11-30/municipalities" <<'PY' || die "the feedback reports"
import glob, json, re, subprocess, sys
home, out = sys.argv[1:3]
caution = {}
for g in ('procedures', 'nursery', 'platforms', 'clubs', 'postpartum', 'pmh'):
    for r in json.load(open(f'{home}/{g}.json')):
        if r['caution']:
            caution[r['code']] = caution.get(r['code'], 0) + 1
assert caution.get('442143'), caution  # 国東市: 産後ケア has no plan year for オンライン申請
seen = 0
for pdf in sorted(glob.glob(f'{out}/*.pdf')):
    code = pdf.rsplit('/', 1)[1][:6]
    text = re.sub(r'\s+', '', subprocess.run(['pdftotext', pdf, '-'], capture_output=True, text=True).stdout)
    assert text.count('見通し:要注意') == caution.get(code, 0), (code, text.count('見通し:要注意'), caution.get(code, 0))
    # a change since the previous round is always dated (令和…年…月…日)
    for m in re.finditer(r'前回（([^）]*)）からの変化', text):
        assert re.fullmatch(r'令和(元|\d+)年\d+月\d+日', m.group(1)), (code, m.group(0))
    seen += 1
assert seen == 18, seen
PY
	# 国東市's own report says what the handout warns of
	pdftotext "$KDX_HOME/out/2026-11-30/municipalities/442143_国東市.pdf" - | tr -d ' \n' >"$KDX_HOME/kunisaki.txt"
	contains "$(cat "$KDX_HOME/kunisaki.txt")" "見通し:要注意：予定年度なし（オンライン申請）"
}

# The web edition names what a checklist goal's rule still needs, as the PDF does:
# 大分市's PMH areas not yet 導入済 in its workbook, by their names in the master data.
test_web_names_the_items_a_checklist_still_needs() {
	present_sample
	/usr/bin/python3 - "$SAMPLE/2026-10-01_442011_大分市.xlsx" "$ROOT/data/master/goal_items.csv" \
		"$KDX_HOME/out/2026-11-30/web" <<'PY' || die "the web edition's checklist items"
import csv, html, re, sys, openpyxl
names = {(r['goal'], r['code']): r['name'] for r in csv.DictReader(open(sys.argv[2], encoding='utf-8'))}
need = [names[('pmh', code)] for _, _, code, status, *_ in openpyxl.load_workbook(sys.argv[1])['基盤導入'].iter_rows(min_row=2, values_only=True)
        if ('pmh', code) in names and code != 'PMH母子保健' and status not in ('導入済', '類似システム導入済', '特例対象外')]
assert need, 'the sample has 大分市 missing PMH areas'
page = html.unescape(open(f'{sys.argv[3]}/goal/pmh.html', encoding='utf-8').read())
line = next(l for l in page.splitlines() if 'muni/442011.html' in l and '<li>' in l)
for n in need:
    assert n in line, (n, line)
muni = re.sub(r'<[^>]+>', ' ', html.unescape(open(f'{sys.argv[3]}/muni/442011.html', encoding='utf-8').read()))
for n in need:
    assert n in muni, n
PY
}

# The summary page (進捗一覧) gives each goal's deadline, and a municipality's own
# where 特別な事情 moves it: as of 2027-06-01 国東市's nursery goal is 令和9年度末.
test_summary_page_shows_deadlines_and_marks() {
	present_sample 2027-06-01
	local pdf="$KDX_HOME/out/2027-06-01/council/2027-06-01_こども政策DX進捗.pdf"
	pdftotext -layout -f 2 -l 2 "$pdf" - >"$KDX_HOME/p2.txt"
	/usr/bin/python3 - "$KDX_HOME/p2.txt" "$ROOT/data/master/goals.csv" "$SAMPLE" <<'PY' || die "the summary page's deadlines"
import csv, datetime, glob, re, sys, openpyxl
text = open(sys.argv[1], encoding='utf-8').read()
flat = re.sub(r'\s+', '', text)
def fy_end(iso):
    d = datetime.date.fromisoformat(iso)
    fy = d.year if d.month >= 4 else d.year - 1
    return f'令和{fy - 2018}年度末'
for g in csv.DictReader(open(sys.argv[2], encoding='utf-8')):
    assert '期限' + fy_end(g['deadline']) in flat, (g['id'], fy_end(g['deadline']))
# the municipalities with 特別な事情 in their latest settings
special = []
for wb in glob.glob(f'{sys.argv[3]}/2026-10-01_44*.xlsx'):
    for row in openpyxl.load_workbook(wb)['設定'].iter_rows(min_row=2, values_only=True):
        if row[3] == '有':
            special.append(row[2])
assert special, 'the sample has a municipality with 特別な事情'
nursery = next(g for g in csv.DictReader(open(sys.argv[2], encoding='utf-8')) if g['id'] == 'nursery')
for name in special:
    line = next(l for l in text.splitlines() if l.split() and l.split()[0] == name)
    following = text.splitlines()[text.splitlines().index(line) + 1]
    assert '期限 ' + fy_end(nursery['extended_deadline']) + '※' in following or fy_end(nursery['extended_deadline']) in line, (name, line, following)
assert '特別な事情により期限が後になっている団体の期限' in flat
PY
}
