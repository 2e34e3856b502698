# The web edition (SPEC §5): static HTML and open-data CSV under out/<as-of>/web/,
# checked in Debian's chromium with axe-core, read back with Python.

web_sample() {
	use_fixture report
	WEB=$KDX_HOME/out/2026-11-30/web
	[ -f "$WEB/index.html" ] || die "no web edition under $WEB"
}

test_web_edition_passes_axe_in_chromium_with_working_links() {  # kdx-test: slow
	[ -d "$ROOT/tests/web/node_modules/axe-core" ] || die "tests/web/node_modules is missing: make deps-test installs it (npm ci)"
	web_sample
	mkdir -p "$KDX_HOME/shots"
	set +e
	node "$ROOT/tests/web/check.js" "$WEB" "$KDX_HOME/shots" >"$KDX_HOME/axe.json" 2>"$KDX_HOME/axe.err"
	local rc=$?
	set -e
	[ "$rc" -eq 0 ] || { head -c 3000 "$KDX_HOME/axe.json"; cat "$KDX_HOME/axe.err"; die "web edition check failed ($rc)"; }
	/usr/bin/python3 - "$KDX_HOME/axe.json" <<'PY' || die "axe result"
import json, sys
from PIL import Image
r = json.load(open(sys.argv[1]))
# index, six goals, eighteen municipalities (SPEC §3)
assert r['pages'] == 1 + 6 + 18, r['pages']
assert r['violations'] == [] and r['brokenLinks'] == [] and r['tooWide'] == [], r
assert r['links'] > 300, r['links']
assert len(r['screenshots']) == 8, r['screenshots']
for p in r['screenshots']:
    w = Image.open(p).size[0]
    assert w == (390 if p.endswith('_390.png') else 1280), (p, w)
PY
	# the checker can fail: a page with an image without alt text, faint text and a dead link
	# (that page alone is checked again)
	cp -r "$WEB" "$KDX_HOME/bad"
	sed -i 's|<main id="main">|<main id="main"><img src="x.png"><p style="color:#bbb">薄い</p><a href="nope.html">x</a>|' "$KDX_HOME/bad/index.html"
	set +e
	node "$ROOT/tests/web/check.js" "$KDX_HOME/bad" "" index.html >"$KDX_HOME/bad.json" 2>/dev/null
	rc=$?
	set -e
	eq "$rc" 1 "check.js on a broken page"
	contains "$(cat "$KDX_HOME/bad.json")" '"image-alt"'
	contains "$(cat "$KDX_HOME/bad.json")" '"color-contrast"'
	contains "$(cat "$KDX_HOME/bad.json")" '"nope.html"'
	contains "$(cat "$KDX_HOME/bad.json")" '"pages": 1,'
}

test_web_pages_state_their_message_and_carry_the_figures_as_tables() {
	web_sample
	for g in procedures nursery platforms clubs postpartum pmh; do
		kdx_rc 0 table "$g" --as-of 2026-11-30 --format csv
		printf '%s\n' "$OUT" >"$KDX_HOME/table_$g.csv"
	done
	/usr/bin/python3 - "$WEB" "$KDX_HOME" <<'PY' || die "web pages"
import csv, glob, html.parser, os, re, sys
web, home = sys.argv[1:3]

class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.tags = []; self.text = []; self.lang = None; self.headings = []
        self.svg = None; self.after_svg = []; self.in_title = self.in_desc = False; self.title = self.desc = ''
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'html': self.lang = a.get('lang')
        if re.fullmatch(r'h[1-6]', tag): self.headings.append(int(tag[1]))
        if tag == 'svg': self.svg = a
        if self.svg is not None and tag in ('table', 'figcaption'): self.after_svg.append(tag)
        if tag == 'title' and self.svg is not None: self.in_title = True
        if tag == 'desc': self.in_desc = True
        if tag == 'th' and 'scope' not in a: raise AssertionError('th without scope')
    def handle_endtag(self, tag):
        if tag in ('title', 'desc'): self.in_title = self.in_desc = False
    def handle_data(self, data):
        self.text.append(data)
        if self.in_title: self.title += data
        if self.in_desc: self.desc += data

def parse(path):
    p = Page(); p.feed(open(path, encoding='utf-8').read()); return p

for path in glob.glob(f'{web}/**/*.html', recursive=True):
    p = parse(path)
    assert p.lang == 'ja', path
    assert p.headings[0] == 1 and p.headings.count(1) == 1, (path, p.headings)
    assert all(b - a <= 1 for a, b in zip(p.headings, p.headings[1:])), (path, p.headings)
    text = ''.join(p.text)
    for word in ('nursery', 'procedures', 'postpartum', 'platforms', 'clubs', 'pmh', 'true', 'false'):
        assert not re.search(rf'\b{word}\b', text), (path, word)

titles = {'procedures': 'こども関係手続の電子化', 'nursery': '保育所等のICT化', 'clubs': '放課後児童クラブのICT化',
          'platforms': '保育業務施設管理プラットフォーム及び保活情報連携基盤の導入', 'postpartum': '産後ケア事業のDX', 'pmh': 'PMHの導入'}
for g, title in titles.items():
    rows = list(csv.DictReader(open(f'{home}/table_{g}.csv', encoding='utf-8')))
    total, munis = rows[0], rows[1:]
    achieved = sum(1 for r in munis if r['status'] == '達成')
    scope = sum(1 for r in munis if r['status'] not in ('対象外', '未提出'))
    p = parse(f'{web}/goal/{g}.html')
    # the chart: an image with a title and a description that states its message
    assert p.svg.get('role') == 'img' and p.svg.get('aria-labelledby') == 'c-title c-desc', p.svg
    assert title in p.title, p.title
    assert f'{scope}団体中{achieved}団体が達成' in p.desc, (g, p.desc)
    assert f"全体 {total['numerator']}/{total['denominator']}" in p.desc or f"全体 {total['display']}（{total['numerator']}/{total['denominator']}" in p.desc, (g, p.desc)
    # and the figures as a table right after it
    assert p.after_svg[:2] == ['figcaption', 'table'], p.after_svg
    # the goal's CSV holds the same figures as kdx table
    raw = open(f'{web}/data/{g}.csv', 'rb').read()
    assert raw.startswith(b'\xef\xbb\xbf'), 'no BOM'
    mine = list(csv.DictReader(open(f'{web}/data/{g}.csv', encoding='utf-8-sig', newline='')))
    assert len(mine) == len(rows), (g, len(mine), len(rows))
    # the columns as the 自治体標準オープンデータセット names them, the header on line 1, the as-of on every row
    assert raw[3:].split(b'\r\n')[0].decode().startswith('全国地方公共団体コード,都道府県名,地方公共団体名'), raw[:80]
    checklist = g in ('platforms', 'pmh', 'postpartum')
    for a, b in zip(rows, mine):
        assert a['code'] == b['全国地方公共団体コード'], (a, b)
        assert b['都道府県名'] == '大分県' and b['時点'] == '2026-11-30', b
        assert b['地方公共団体名'] == ('大分県' if a['code'] == '440001' else a['name']), (a, b)
        assert (a['denominator'], a['numerator'], a['status']) == (b['分母'], b['分子'], b['状況']), (g, a, b)
        assert a['deadline'] == b['期限'], (a, b)
        if checklist:
            # a checklist goal is counted, never a rate: no percentage anywhere, 全体 included (SPEC §5)
            assert b['率'] == '' and b['表示'] == '' and '%' not in ''.join(b.values()), (g, b)
        else:
            assert (a['rate'], a['display']) == (b['率'], b['表示']), (g, a, b)
    if checklist:
        # 全体: the municipalities that reached it, and what is still missing counted (never 0 while items are)
        t = mine[0]
        assert t['達成団体数'] == str(achieved) and t['対象団体数'] == str(scope), t
        left = sum(int(r['目標までの残り'] or 0) for r in mine[1:])
        assert t['目標までの残り'] == str(left), (t, left)
        assert left > 0 or achieved == scope, (g, t)

# the long file: every goal and municipality, 全体 first
allrows = list(csv.DictReader(open(f'{web}/data/all.csv', encoding='utf-8-sig', newline='')))
assert len(allrows) == 6 * 19, len(allrows)
# with the goal files' columns
assert list(allrows[0].keys()) == list(csv.DictReader(open(f'{web}/data/nursery.csv', encoding='utf-8-sig')).fieldnames), allrows[0].keys()
# the history of past rounds, a file of its own
hist = list(csv.DictReader(open(f'{web}/data/history.csv', encoding='utf-8-sig', newline='')))
assert hist and {'全国地方公共団体コード', '調査基準日', '分母', '分子'} <= set(hist[0]), hist[:1]
assert {r['調査基準日'] for r in hist if r['目標'] == '保育所等のICT化'} >= {'2025-04-01', '2026-04-01', '2026-10-01'}
readme = list(csv.DictReader(open(f'{web}/data/README.csv', encoding='utf-8-sig', newline='')))
cols = {r['名前'] for r in readme if r['区分'] == '列'}
for c in ('全国地方公共団体コード', '都道府県名', '地方公共団体名', '時点', '分母', '分子', '率', '表示', '状況', '期限', '調査基準日'):
    assert c in cols, c
meta = {r['名前']: r['説明'] for r in readme if r['区分'] == 'データセット'}
assert 'CC BY 4.0' in meta['ライセンス'] and '令和8年11月30日' in meta['時点'] and '出典' in meta, meta
PY
	# what a municipality still needs, by the rule: 大分市's 産後ケア (SPEC §2)
	contains "$(sed 's/<[^>]*>/ /g' "$WEB/muni/442011.html")" "産後ケア事業のDX"
}

test_web_edition_names_no_facility_and_is_deterministic_and_archived() {  # kdx-test: slow
	web_sample
	# every facility and club name of the inputs, read with Python's csv and openpyxl
	/usr/bin/python3 - "$SAMPLE" >"$KDX_HOME/names.txt" <<'PY'
import csv, glob, sys, openpyxl
names = set()
for path in glob.glob(f'{sys.argv[1]}/*'):
    if path.endswith('.csv'):
        for enc in ('utf-8-sig', 'cp932'):
            try:
                rows = list(csv.reader(open(path, encoding=enc))); break
            except UnicodeDecodeError:
                continue
    else:
        wb = openpyxl.load_workbook(path, data_only=True)
        rows = [[str(c) if c is not None else '' for c in r] for ws in wb for r in ws.iter_rows(values_only=True)]
    if not rows: continue
    head = rows[0]
    for col in ('施設名', 'クラブ名'):
        if col in head:
            names.update(r[head.index(col)] for r in rows[1:] if len(r) > head.index(col) and r[head.index(col)])
print('\n'.join(sorted(names)))
PY
	[ "$(wc -l <"$KDX_HOME/names.txt")" -gt 100 ] || die "too few facility names read from the inputs"
	if grep -rFf "$KDX_HOME/names.txt" "$WEB" >/dev/null; then
		grep -rFof "$KDX_HOME/names.txt" "$WEB" | head -5
		die "a facility or club name is published under web/"
	fi
	# the same inputs give the same bytes
	kdx_rc 0 report --quiet --as-of 2026-11-30 --council-only --out "$KDX_HOME/again"   # the web edition is the council's
	diff -r "$WEB" "$KDX_HOME/again/web" || die "the web edition differs between two runs"
	# the licence comes from configuration
	KDX_WEB_LICENSE="政府標準利用規約（第2.0版）" kdx_rc 0 report --quiet --as-of 2026-11-30 --council-only --out "$KDX_HOME/lic"
	csv_field_contains "$KDX_HOME/lic/web/data/README.csv" 説明 "政府標準利用規約（第2.0版）"
	contains "$(cat "$KDX_HOME/lic/web/index.html")" "ライセンス: 政府標準利用規約（第2.0版）"
	# the snapshot archives it with the other reports, and reproduces it byte for byte
	kdx_rc 0 snapshot --quiet --as-of 2026-11-30
	local a; a=$(ls "$KDX_HOME"/archive/2026-11-30/1_*.tar.gz)
	tar -tzf "$a" | grep -q '/data/reports/web/goal/procedures.html$' || die "the snapshot has no web edition"
	tar -tzf "$a" | grep -q '/data/reports/web/data/all.csv$' || die "the snapshot has no open data"
	kdx_rc 0 verify --reproduce "$a"
	contains "$OUT" "regenerated byte for byte"
}
