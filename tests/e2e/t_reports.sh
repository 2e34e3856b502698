# Reports read back with independent tools: pdftotext, pdffonts, qpdf,
# pdftoppm for the PDFs; python3-openpyxl and LibreOffice for the workbooks.

load_sample() {
	use_fixture sample
}

council_pdf() { echo "$KDX_HOME/out/$1/council/$1_こども政策DX進捗.pdf"; }

test_council_pdf_has_the_seed_figures() {
	load_sample
	kdx_rc 0 report --as-of 2025-06-30
	local pdf; pdf=$(council_pdf 2025-06-30)
	[ -s "$pdf" ] || die "no council PDF"
	local text; text=$(pdftotext -layout "$pdf" -)
	contains "$text" "こども政策DX 共同目標"
	contains "$text" "令和7年6月30日時点"
	local flat; flat=$(pdftotext "$pdf" - | tr -s ' \n' ' ')
	for name in 大分市 別府市 中津市 日田市 佐伯市 臼杵市 津久見市 竹田市 豊後高田市 杵築市 宇佐市 豊後大野市 由布市 国東市 姫島村 日出町 九重町 玖珠町; do
		contains "$flat" "$name"
	done
	# the seed rows in order: 導入率 then 全体 and the 18 short names' figures
	/usr/bin/python3 - "$pdf" <<'PY' || die "seed rows not found in the PDF"
import subprocess, sys, re
text = subprocess.run(['pdftotext', '-layout', sys.argv[1], '-'], capture_output=True, text=True).stdout
rows = [re.sub(r'\s+', ' ', l).strip() for l in text.splitlines() if l.strip().startswith('導入率')]
want_n = '導入率 80% 100% 100% 100% 100% 83% 100% - 100% - 0% 0% 0% - 25% 0% - 100% -'
want_c = '導入率 48% 50% 71% 48% 100% 13% 40% 33% 33% 25% 70% 5% 33% 67% 45% 0% 22% 40% 33%'
assert want_n in rows, rows
assert want_c in rows, rows
PY
	# fonts: IPAexGothic, every font embedded
	local fonts; fonts=$(pdffonts "$pdf")
	contains "$fonts" "IPAexGothic"
	[ "$(tail -n +3 <<<"$fonts" | awk '{ if ($(NF-4) != "yes") print }' | wc -l)" -eq 0 ] || { echo "$fonts"; die "a font is not embedded"; }
	qpdf --check "$pdf" >/dev/null || die "qpdf --check failed"
	pdftoppm -png -r 40 -f 1 -l 1 "$pdf" page >/dev/null
	[ -s page-01.png ] || [ -s page-1.png ] || die "pdftoppm rendered nothing"
	# the charts, for slides
	for g in procedures nursery platforms clubs postpartum pmh; do
		[ "$(head -c 8 "$KDX_HOME/out/2025-06-30/charts/$g.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || die "$g.png is not a PNG"
		grep -q '<svg' "$KDX_HOME/out/2025-06-30/charts/$g.svg" || die "$g.svg is not SVG"
	done
	# kdx writes the PNG itself (zlib): PIL decodes it, CRCs checked, with the
	# status colours of the seed's clubs table (達成 blue, 未達 orange) on white
	/usr/bin/python3 - "$KDX_HOME/out/2025-06-30/charts/clubs.png" <<'PY' || die "clubs.png"
import sys
from PIL import Image, ImageFile
ImageFile.LOAD_TRUNCATED_IMAGES = False
im = Image.open(sys.argv[1])
im.load()
assert im.size == (1600, 800) and im.mode == 'RGB', (im.size, im.mode)
assert im.getpixel((0, 0)) == (255, 255, 255)
colours = {c for _, c in im.getcolors(1 << 20)}
for want in ((0, 114, 178), (230, 159, 0)):
    assert want in colours, want
PY
}

test_feedback_names_only_its_own_facilities() {
	load_sample
	kdx_rc 0 report --as-of 2026-11-30 --muni 442143 --muni 442119
	local dir="$KDX_HOME/out/2026-11-30/municipalities"
	[ -s "$dir/442143_国東市.pdf" ] && [ -s "$dir/442119_宇佐市.pdf" ] || die "feedback PDFs missing"
	[ ! -e "$dir/442011_大分市.pdf" ] || die "--muni wrote another municipality"
	local text; text=$(pdftotext "$dir/442143_国東市.pdf" - | tr -s ' \n' ' ')
	contains "$text" "国東市"
	# what is left, by name: 国東's public nurseries without ICT as of 2026-10-01, from the warehouse
	local missing; missing=$(sql "SELECT string_agg(facility_name, '|') FROM kdx.nursery_fact f JOIN kdx.load_batch b ON b.id = f.batch_id
		WHERE f.muni_code = '442143' AND f.survey_date = '2026-10-01' AND owner = '公立' AND NOT closing
		AND NOT (f_contact OR f_attendance OR f_records OR f_cashless OR f_other)")
	[ -n "$missing" ] || die "the sample should leave 国東 a facility to do"
	IFS='|' read -ra names <<<"$missing"
	for n in "${names[@]}"; do contains "$text" "$n"; done
	contains "$text" "あと1施設"
	# no other municipality's facility or club is named
	local others; others=$(sql "SELECT facility_name FROM kdx.nursery_fact WHERE muni_code <> '442143' UNION SELECT club_name FROM kdx.club_fact WHERE muni_code <> '442143'")
	while read -r n; do
		[ -z "$n" ] && continue
		! grep -qF -- "$n" <<<"$text" || die "国東市's report names $n"
	done <<<"$others"
	# other municipalities appear only as aggregates: no other municipality's name
	for name in 大分市 別府市 宇佐市 姫島村; do not_contains "$text" "$name" "国東市's report"; done
}

test_reports_are_byte_identical_on_rerun() {
	# the report fixture's run (one worker), and one with two workers
	use_fixture report
	mv out/2026-11-30 b
	kdx_rc 0 report --as-of 2026-11-30 --out a -j 2
	local n=0
	while read -r f; do
		cmp -s "a/$f" "b/$f" || die "$f differs between runs"
		n=$((n + 1))
	done < <(cd a && find . -type f | sort)
	# council PDF and xlsx, 6 charts as PNG and SVG, 18 feedback PDFs and xlsx; the web edition: its
	# stylesheet, index, 6 goal pages, 18 municipality pages, 6 goal CSVs, all.csv, history.csv and README.csv; .edition
	[ "$n" -eq $((2 + 12 + 36 + 2 + 6 + 18 + 9 + 1)) ] || die "expected 86 files, found $n"
	# the document dates are the as-of, not the time of the run
	contains "$(pdfinfo -rawdates a/council/2026-11-30_こども政策DX進捗.pdf | grep CreationDate)" "20261130000000+09'00"
	contains "$(pdfinfo -rawdates a/municipalities/442011_大分市.pdf | grep ModDate)" "20261130000000+09'00"
}

test_council_workbook_numbers_and_formulas() {  # kdx-test: slow
	load_sample
	kdx_rc 0 report --as-of 2025-06-30
	local x="$KDX_HOME/out/2025-06-30/council/2025-06-30_こども政策DX進捗.xlsx"
	/usr/bin/python3 - "$x" <<'PY' || die "council workbook"
import sys, openpyxl
path = sys.argv[1]
wb = openpyxl.load_workbook(path)               # formulas
wv = openpyxl.load_workbook(path, data_only=True)  # stored values
ws, wsv = wb['2_保育所ICT'], wv['2_保育所ICT']
assert ws['B2'].value == '全体'
# 全体 is a formula over the municipal rows, stored with its value
assert str(ws['D2'].value).startswith('=SUM(D3:D20)'), ws['D2'].value
assert str(ws['F2'].value).startswith('=IF(D2>0,E2/D2'), ws['F2'].value
assert (wsv['D2'].value, wsv['E2'].value) == (49, 39), (wsv['D2'].value, wsv['E2'].value)
assert abs(wsv['F2'].value - 39 / 49) < 1e-12
assert ws['F2'].number_format == '0.0%'   # 率 (exact, one decimal) apart from 表示 (rounded)
# each stored formula value equals what the formula computes
for r in range(3, 21):
    d, e, f = wsv.cell(r, 4).value, wsv.cell(r, 5).value, wsv.cell(r, 6).value
    if isinstance(d, (int, float)) and d > 0:
        assert abs(f - e / d) < 1e-12, (r, d, e, f)
assert sum(wsv.cell(r, 4).value or 0 for r in range(3, 21)) == wsv['D2'].value
# seed figures: displays of the municipal rows
disp = [wsv.cell(r, 7).value for r in range(2, 21)]
assert disp == ['80%', '100%', '100%', '100%', '100%', '83%', '100%', '-', '100%', '-', '0%', '0%', '0%', '-', '25%', '0%', '-', '100%', '-'], disp
assert ws.freeze_panes == 'C3', ws.freeze_panes
assert ws.auto_filter.ref, 'no autofilter'
assert ws.conditional_formatting, 'no conditional formatting'
assert ws._charts, 'no chart'
assert ws.page_setup.orientation == 'landscape' and ws.page_setup.paperSize in (9, '9')
# traceability: the facilities behind the numerator and denominator
tr = wv['根拠2_保育所ICT']
rows = list(tr.iter_rows(min_row=2, values_only=True))
in_scope = [r for r in rows if r[5] == '○']
assert len(in_scope) == 49, len(in_scope)
assert sum(1 for r in in_scope if r[7] == '○') == 39
# Japanese column widths: the 団体 column is wide enough for 豊後高田市 (5 wide chars = 10)
assert ws.column_dimensions['B'].width >= 10, ws.column_dimensions['B'].width
PY
	# LibreOffice shows the stored values without recalculating
	HOME=$PWD soffice -env:UserInstallation=file://$PWD/lo-profile --headless --convert-to \
		'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,3' --outdir lo "$x" >/dev/null 2>&1
	local csv; csv=$(ls lo/*.csv | head -1)
	[ -n "$csv" ] || die "LibreOffice exported nothing"
	grep -q '^440001,全体,,49,39,' "$csv" || { head -3 "$csv"; die "LibreOffice does not show 全体 49/39"; }
}

test_text_is_never_a_formula() {
	use_fixture init
	printf '%s\n' '調査基準日,市町村コード,施設番号,施設名,施設種別,設置主体,保護者連絡' \
		'2025-04-01,442011,1,"=HYPERLINK(""http://x"")",保育所,公立,○' \
		'2025-04-01,442011,2,+SUM(1),保育所,公立,' \
		'2025-04-01,442011,3,@cmd,保育所,公立,' \
		'2025-04-01,442011,-4,-1+1,保育所,公立,' >inj.csv
	kdx_rc 0 ingest inj.csv
	kdx_rc 0 report --as-of 2025-05-01 --muni 442011
	/usr/bin/python3 - "$KDX_HOME/out/2025-05-01/municipalities/442011_大分市.xlsx" <<'PY' || die "formula injection"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb['根拠2_保育所ICT']
names = {}
for row in ws.iter_rows(min_row=2):
    names[row[3].value] = row[3].data_type
for v in ('=HYPERLINK("http://x")', '+SUM(1)', '@cmd', '-1+1'):
    assert names.get(v) == 's', (v, names)
PY
}

test_shards_split_the_municipalities() {  # kdx-test: slow
	# a whole run: the report fixture's
	use_fixture report
	mv out/2026-11-30 whole
	kdx_rc 0 report --as-of 2026-11-30 --shard 1/3 --out s -j 2
	kdx_rc 0 report --as-of 2026-11-30 --shard 2/3 --out s
	kdx_rc 0 report --as-of 2026-11-30 --shard 3/3 --out s
	eq "$(ls s/municipalities/*.pdf | wc -l)" 18 "feedback PDFs over three shards"
	eq "$(ls s/council | wc -l)" 2 "one council report (PDF and xlsx)"
	for f in $(cd whole && find . -type f | sort); do cmp -s "whole/$f" "s/$f" || die "$f differs between a sharded and a whole run"; done
	kdx_rc 64 report --shard 4/3
}

# The national view (council 000000) also writes every prefecture's council
# report, each byte-identical to the one "kdx --council CODE report" writes,
# with the prefecture's own 全体 and only its municipalities.
test_national_view_writes_every_prefecture_council() {  # kdx-test: slow
	mkdir m
	cp "$ROOT"/data/master/*.csv m/
	echo '400009,福岡県' >>m/prefectures.csv
	printf '401307,400009,福岡市,福岡,ふくおかし,1\n402028,400009,大牟田市,大牟田,おおむたし,2\n' >>m/municipalities.csv
	kdx_rc 0 init --master m --pref 440001 --quiet
	for f in "$SAMPLE"/*; do kdx_rc 0 ingest --quiet "$f"; done
	# 福岡市: 5 public clubs, 2 with ICT on 2025-06-01 and 4 on 2026-10-01; 大牟田市 submits nothing
	local d n
	for d in 2025-06-01:2 2026-10-01:4; do
		{ echo '調査基準日,市町村コード,クラブ番号,クラブ名,運営形態,入退室管理'
		  for n in 1 2 3 4 5; do echo "${d%:*},401307,$n,第${n}クラブ,公営,$([ "$n" -le "${d#*:}" ] && echo ○)"; done
		} >"f-${d%:*}.csv"
		KDX_COUNCIL=400009 kdx_rc 0 ingest --quiet "f-${d%:*}.csv"
	done
	kdx_rc 0 --council 000000 report --quiet --as-of 2026-11-30 --out nat -j 2
	local p code dir
	for p in 440001_大分県 400009_福岡県; do
		code=${p%%_*}
		dir="nat/councils/$p"
		[ -f "$dir/council/2026-11-30_こども政策DX進捗.pdf" ] || die "no council report for $p"
		kdx_rc 0 --council "$code" report --quiet --as-of 2026-11-30 --out "one-$code" --council-only
		diff -r "one-$code/council" "$dir/council" >/dev/null || die "$p council report differs from kdx --council $code report"
		diff -r "one-$code/charts" "$dir/charts" >/dev/null || die "$p charts differ from kdx --council $code report"
	done
	[ "$(ls nat/councils)" = "$(printf '400009_福岡県\n440001_大分県')" ] || die "councils: $(ls nat/councils)"
	pdftotext -layout "nat/councils/400009_福岡県/council/2026-11-30_こども政策DX進捗.pdf" fk.txt
	contains "$(cat fk.txt)" "福岡市"
	grep -q "大分市" fk.txt && die "the Fukuoka council report names an Oita municipality"
	# 福岡県's clubs: 全体 4/5 = 80% (大牟田市 未提出 stays outside), 前回 2/5 = 40%
	/usr/bin/python3 - "nat/councils/400009_福岡県/council/2026-11-30_こども政策DX進捗.xlsx" <<'PY' || die "Fukuoka council workbook"
import sys, openpyxl
wv = openpyxl.load_workbook(sys.argv[1], data_only=True)
ws = next(wv[n] for n in wv.sheetnames if n.startswith('4_'))
# the table: from the header row to the first empty row (the chart's data follows)
last = next(r for r in range(2, ws.max_row + 2) if not ws.cell(r, 1).value)
rows = {ws.cell(r, 1).value: [c.value for c in ws[r]] for r in range(2, last)}
assert set(rows) == {'400009', '401307', '402028'}, sorted(rows)
tot = rows['400009']
assert (tot[3], tot[4], tot[6]) == (5, 4, '80%'), tot
assert rows['402028'][6] == '-', rows['402028']
PY
	# (the previous round is 福岡市's own earlier survey, by its real date)
	grep -q "全体 80%（4/5.*前回（令和7年6月1日） *40% → 80%（+40pt）" fk.txt || die "Fukuoka's clubs 全体 and previous round: $(grep 全体 fk.txt)"
	# feedback in the national view compares with the whole country, and says so
	local fb; fb=$(pdftotext -f 1 -l 1 "nat/municipalities/401307_福岡市.pdf" - | tr -d ' \n')
	contains "$fb" "全体は全国の全団体の合計"
	not_contains "$fb" "県内" "national feedback"
	kdx_rc 0 --council 400009 report --quiet --as-of 2026-11-30 --out pref --muni 401307
	contains "$(pdftotext -f 1 -l 1 "pref/municipalities/401307_福岡市.pdf" - | tr -d ' \n')" "全体は県内全団体の合計"
}

# The feedback table keeps each figure whole on its line: 前回比 "100%→100%",
# 残り "あと1クラブ" (the units of data/master/goals.csv), 順位 "12位/13".
test_feedback_table_figures_are_not_broken() {
	use_fixture report   # the sample's reports as of 2026-11-30
	mv out/2026-11-30 fb
	local f n=0
	for f in fb/municipalities/*.pdf; do
		pdftotext -layout -f 1 -l 1 "$f" "p$n.txt"
		n=$((n + 1))
	done
	eq "$n" 18 "feedback PDFs"
	/usr/bin/python3 - "$ROOT/data/master/goals.csv" p*.txt <<'PY' || die "a figure is broken across lines"
import csv, re, sys
units = [g['unit'] for g in csv.DictReader(open(sys.argv[1], encoding='utf-8'))]
seen = {'→': 0, 'あと': 0, '位': 0, '100%→100%': 0, 'クラブ': 0}
for path in sys.argv[2:]:
    text = open(path, encoding='utf-8').read()
    for m in re.finditer(r'→', text):
        seen['→'] += 1
        # a rate's change, or a checklist goal's items counted (never a rate, SPEC §2)
        assert re.match(r'(\d+%→\d+%|\d+/\d+→\d+/\d+)(\s|$)', text[text.rfind(' ', 0, m.start()) + 1:m.end() + 6] + ' '), \
            (path, text[m.start() - 8:m.end() + 8])
    for m in re.finditer(r'あと\d+(\S*)', text):
        seen['あと'] += 1
        assert m.group(1) in units, (path, m.group(0))
        seen['クラブ'] += m.group(1) == 'クラブ'
    for m in re.finditer(r'\d+位(\S*)', text):
        seen['位'] += 1
        assert re.fullmatch(r'/\d+', m.group(1)), (path, m.group(0))
    seen['100%→100%'] += len(re.findall(r'(?<!\d)100%→100%', text))
    # the longest target label wraps between its words only
    assert 'オンライン申請' in text and '＋1項目' in text, path
# the sample has each case, so the checks above did look at it
assert all(seen.values()), seen
PY
}

# A workbook's parts are scratch files, created and unlinked at once: in
# $TMPDIR when it is set; otherwise in /dev/shm when that is a tmpfs with
# 256 MiB free; otherwise in /tmp (strace records where each was created).
test_workbook_scratch_files_go_to_tmpdir_or_memory() {
	load_sample
	mkdir scratch
	ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" TMPDIR="$PWD/scratch" strace -f -qq -e trace=openat,unlink -o trace1.txt \
		"$KDX" report --quiet --as-of 2026-11-30 --muni 442143 --out r1 || die "kdx report under strace"
	[ -s r1/municipalities/442143_国東市.xlsx ] || die "no workbook"
	local n; n=$(grep -c "openat(AT_FDCWD, \"$PWD/scratch/tmp\.[^\"]*\", O_RDWR|O_CREAT|O_EXCL" trace1.txt || true)
	[ "$n" -ge 5 ] || die "only $n scratch files in \$TMPDIR"
	eq "$(grep -c "unlink(\"$PWD/scratch/tmp\." trace1.txt)" "$n" "scratch files unlinked"
	! grep -q '"/tmp/tmp\.\|"/dev/shm/tmp\.' trace1.txt || die "scratch files outside \$TMPDIR"
	[ -z "$(ls -A scratch)" ] || die "scratch files left behind"
	# without TMPDIR: memory if /dev/shm qualifies, else the library's /tmp
	local want=/tmp
	if [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] && [ -w /dev/shm ] &&
	   [ "$(( $(stat -f -c '%a * %S' /dev/shm) ))" -ge $((256 << 20)) ]; then
		want=/dev/shm
	fi
	ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" env -u TMPDIR strace -f -qq -e trace=openat -o trace2.txt \
		"$KDX" report --quiet --as-of 2026-11-30 --muni 442143 --out r2 || die "kdx report under strace"
	grep -q "openat(AT_FDCWD, \"$want/tmp\." trace2.txt || die "no scratch file in $want"
	cmp r1/municipalities/442143_国東市.xlsx r2/municipalities/442143_国東市.xlsx || die "the workbook depends on where its parts were"
}

# The seed-style table across the page: every column as wide as its text, so
# no name or figure wraps (188/320, 豊後高田); the checklist goals' grids.
test_seed_table_keeps_names_and_figures_whole() {
	load_sample
	kdx_rc 0 report --quiet --as-of 2026-11-30 --council-only --out s
	pdftotext -layout "s/council/2026-11-30_こども政策DX進捗.pdf" s.txt
	/usr/bin/python3 - s.txt "$ROOT/data/master/municipalities.csv" <<'PY' || die "seed-style table"
import csv, re, sys
text = open(sys.argv[1], encoding='utf-8').read()
shorts = [m['short_name'] for m in csv.DictReader(open(sys.argv[2], encoding='utf-8')) if m['pref_code'] == '440001']
assert len(shorts) == 18
heads = [l.split() for l in text.splitlines() if l.split()[:1] == ['全体'] and len(l.split()) == 19]
assert len(heads) == 3, len(heads)            # one per rate goal, on one line each
for h in heads:
    assert h[1:] == shorts, h
# the rate goals' 分子/分母 with 全体
fracs = [l.split() for l in text.splitlines() if l.startswith('分子/分母')]
assert len(fracs) == 3, fracs
for f in fracs:
    assert len(f) == 20 and all(re.fullmatch(r'\d+/\d+|-', x) for x in f[1:]), f
# the checklist goals are drawn as their checklist (SPEC §2): items down, the 18
# municipalities across (a name too long for its narrow column broken in half,
# 豊後 / 高田), and their items counted (済/対象), never a rate
lines = text.splitlines()
grids = [i for i, l in enumerate(lines) if l.split()[:1] == ['項目'] and len(l.split()) > 10]
assert len(grids) == 3, grids
for i in grids:
    top, below = lines[i].split()[1:], lines[i + 1].split()
    names = []
    for n in shorts:
        if top and top[0] == n:
            names.append(top.pop(0))
        else:
            head = top.pop(0)
            names.append(head + below.pop(0))
    assert names == shorts and not top and not below, (lines[i], lines[i + 1])
counts = [l.split() for l in lines if l.startswith('済/対象（項目数）')]
assert len(counts) == 3, counts
for f in counts:
    assert len(f) == 19 and all(re.fullmatch(r'\d+/\d+|-', x) for x in f[1:]), f
assert not any(re.search(r'\d+%', ' '.join(l)) for l in counts), counts
PY
}

# A council of 120 municipalities: the table across would need more than four
# bands and the chart's slots are too narrow for labels, so each says where the
# figures are instead, and the detail table names every municipality.
test_large_council_stays_legible() {
	mkdir m
	cp "$ROOT"/data/master/*.csv m/
	echo '990001,大きな県' >>m/prefectures.csv
	/usr/bin/python3 - >>m/municipalities.csv <<'PY'
for i in range(120):
    five = f'99{i + 1:03d}'
    s = sum(w * int(c) for w, c in zip((6, 5, 4, 3, 2), five))
    print(f'{five}{(11 - s % 11) % 10},990001,第{i + 1}市,第{i + 1},だい{i + 1}し,{i + 1}')
PY
	kdx_rc 0 init --master m --pref 440001 --quiet
	# clubs for the first three: their rates (100%) are wider than a slot
	{ echo '調査基準日,市町村コード,クラブ番号,クラブ名,運営形態,入退室管理'
	  grep ',990001,' m/municipalities.csv | head -n 3 | cut -d, -f1 | while read -r c; do echo "2026-10-01,$c,1,${c}クラブ,公営,○"; done
	} >clubs.csv
	KDX_COUNCIL=990001 kdx_rc 0 ingest --quiet clubs.csv
	kdx_rc 0 --council 990001 report --quiet --council-only --as-of 2026-11-30 --out big
	local pdf="big/council/2026-11-30_こども政策DX進捗.pdf"
	local flat; flat=$(pdftotext "$pdf" - | tr -d ' \n')
	eq "$(grep -o '団体別の導入率・分子/分母・状況は、120団体のため下の表に示す。' <<<"$flat" | wc -l)" 3 "the line instead of the table across (the rate goals)"
	# names never fit; rates fit only as "-" (nothing submitted), so only the clubs chart leaves them out
	eq "$(grep -o '120団体（左から団体コード順。団体名と率は表を参照）' <<<"$flat" | wc -l)" 1 "the line under the clubs chart"
	eq "$(grep -o '120団体（左から団体コード順。団体名は表を参照）' <<<"$flat" | wc -l)" 2 "the line under the other rate charts"
	# the checklist goals: each item's number of municipalities instead of 120 columns
	eq "$(grep -o '120団体のため、項目ごとの団体数を示す。' <<<"$flat" | wc -l)" 3 "the checklist goals of a large council"
	# and the procedures: each procedure's number of municipalities by state, not 120
	# columns; none of them sent procedures, so all 120 are 未提出 for each of the 18
	contains "$flat" "手続の電子化状況（対象手続ごとの団体数）"
	eq "$(pdftotext -layout "$pdf" - | grep -cE '^ *N(0[1-9]|1[0-8]) .* 0 +0 +0 +0 +120 *$')" 18 "procedures counted by state"
	local i
	for i in 1 60 120; do contains "$flat" "第${i}市"; done
	qpdf --check "$pdf" >/dev/null || die "qpdf --check failed"
	[ -s big/charts/procedures.png ] || die "no chart"
}
