# kdx diff: what changed between two snapshots, from the archives alone.
# The expected lines are derived here from the input files (read with Python's
# csv module and openpyxl) and SPEC §2's rules, never from kdx's output.

# Two snapshots of 2026-11-30 on the sample: A, then B after 大分市 resent its
# nurseries for the same 調査基準日 (44201-002 gone, 44201-014 gained 保護者連絡)
# and 津久見市 sent a new round of procedures (N03 未着手 -> 電子化済).  Sets
# A, B (archive paths) and writes facts.txt: the figures the inputs give.
# Built once per run (a fixture of this file), as every case here needs it.
two_snapshots() {
	use_fixture two_snapshots
	A=$(ls "$KDX_HOME"/archive/2026-11-30/1_*.tar.gz)
	B=$(ls "$KDX_HOME"/archive/2026-11-30/2_*.tar.gz)
}

fixture_two_snapshots() {
	use_fixture snapshot
	/usr/bin/python3 - "$SAMPLE" "$KDX_HOME" <<'PY' || die "could not make the corrected inputs"
import csv, glob, openpyxl, sys
sample, home = sys.argv[1:3]
flags = ['保護者連絡', '登降園管理', '計画・記録', 'キャッシュレス決済', 'その他']
yes = {'○', '◯', '〇', '1', '有', 'はい', '導入済', 'あり'}

# SPEC §2 nursery: 公立, not closing (統廃合予定), a facility type in the goal;
# done when any ICT function is used.
def nursery(rows, head):
    ins = [r for r in rows if r[head.index('設置主体')] == '公立' and not r[head.index('統廃合予定')].strip()]
    done = [r for r in ins if any(r[head.index(f)].strip() in yes for f in flags)]
    return len(ins), len(done)

rows = list(csv.reader(open(f'{sample}/2026-10-01_保育所等ICT調査.csv', encoding='utf-8-sig')))
head, oita = rows[0], [r for r in rows[1:] if r[1] == '442011']
before = nursery(oita, head)
fixed = []
for r in oita:
    if r[3] == '44201-002':
        gone = r[4]
        continue
    if r[3] == '44201-014':
        assert r[head.index('保護者連絡')] == ''
        r = list(r); r[head.index('保護者連絡')] = '○'
        gained = r[4]
    fixed.append(r)
after = nursery(fixed, head)
with open(f'{home}/2026-10-01_大分市_保育所等ICT調査_訂正.csv', 'w', encoding='utf-8', newline='') as fp:
    csv.writer(fp).writerows([head] + fixed)

# SPEC §2 procedures: the N procedures not 所掌外; done when 電子化済.
def procs(rows):
    ins = [r for r in rows if str(r[2]).startswith('N') and r[3] != '所掌外']
    return len(ins), sum(1 for r in ins if r[3] == '電子化済')

total_before, total_after = [0, 0], [0, 0]
for path in sorted(glob.glob(f'{sample}/2026-10-01_44*.xlsx')):
    ws = openpyxl.load_workbook(path, data_only=True)['手続電子化']
    rs = [list(r) for r in ws.iter_rows(min_row=2, values_only=True) if r[2]]
    den, num = procs(rs)
    total_before[0] += den; total_before[1] += num
    if '442071' in path:
        tsukumi_before = (den, num)
        new = []
        for r in rs:
            r = ['' if v is None else v for v in r]
            r[0] = '2026-11-01'
            if r[2] == 'N03':
                assert r[3] == '未着手', r
                r[3], r[4] = '電子化済', '2026-11'
            new.append(r)
        with open(f'{home}/2026-11-01_津久見市_手続電子化状況.csv', 'w', encoding='utf-8', newline='') as fp:
            csv.writer(fp).writerows([['調査基準日', '市町村コード', '手続番号', '状況', '電子化年月', '予定年度', '処分通知']] + new)
        tsukumi_after = procs(new)
        den, num = tsukumi_after
    total_after[0] += den; total_after[1] += num

def fig(den, num):  # SPEC §5: integer percent, half up
    return f'{num}/{den}（{int(num * 100 / den + 0.5)}%）'

with open(f'{home}/facts.txt', 'w') as fp:
    print(f'oita_before={fig(*before)}', file=fp)
    print(f'oita_after={fig(*after)}', file=fp)
    print(f'gone={gone}', file=fp)
    print(f'gained={gained}', file=fp)
    print(f'tsukumi_before={fig(*tsukumi_before)}', file=fp)
    print(f'tsukumi_after={fig(*tsukumi_after)}', file=fp)
    print(f'total_before={fig(*total_before)}', file=fp)
    print(f'total_after={fig(*total_after)}', file=fp)
PY
	kdx_rc 0 ingest --quiet "$KDX_HOME/2026-10-01_大分市_保育所等ICT調査_訂正.csv" "$KDX_HOME/2026-11-01_津久見市_手続電子化状況.csv"
	kdx_rc 0 snapshot --quiet --as-of 2026-11-30
}

fact() { sed -n "s/^$1=//p" "$KDX_HOME/facts.txt"; }

test_diff_names_submissions_rows_and_figures_from_the_archives_alone() {
	two_snapshots
	local sha_oita sha_tsukumi old_oita old_tsukumi
	sha_oita=$(sha256sum "$KDX_HOME/2026-10-01_大分市_保育所等ICT調査_訂正.csv" | cut -c1-64)
	sha_tsukumi=$(sha256sum "$KDX_HOME/2026-11-01_津久見市_手続電子化状況.csv" | cut -c1-64)
	old_oita=$(sha256sum "$SAMPLE/2026-10-01_保育所等ICT調査.csv" | cut -c1-64)
	old_tsukumi=$(sha256sum "$SAMPLE/2026-10-01_442071_津久見市.xlsx" | cut -c1-64)
	# an auditor's machine: the archives only, no warehouse
	mkdir -p "$KDX_HOME/auditor"
	cp "$A" "$B" "$KDX_HOME/auditor/"
	KDX_HOME=$KDX_HOME/auditor KDX_DATABASE_URL= kdx_rc 0 diff "$KDX_HOME/auditor/$(basename "$A")" "$KDX_HOME/auditor/$(basename "$B")"
	[ ! -e "$KDX_HOME/auditor/var" ] || die "kdx diff created a warehouse"
	contains "$OUT" "比較: kdx-2026-11-30-1"
	contains "$OUT" "→ kdx-2026-11-30-2"
	# submissions: the file, municipality, dataset, 調査基準日 and SHA-256
	contains "$OUT" "差し替え  大分市 442011  保育所等ICT調査"
	contains "$OUT" "前: 2026-10-01_保育所等ICT調査.csv（調査基準日 2026-10-01、SHA-256 $old_oita）"
	contains "$OUT" "後: 2026-10-01_大分市_保育所等ICT調査_訂正.csv（調査基準日 2026-10-01、SHA-256 $sha_oita）"
	contains "$OUT" "新しい調査回  津久見市 442071  手続電子化状況"
	contains "$OUT" "前: 2026-10-01_442071_津久見市.xlsx（調査基準日 2026-10-01、SHA-256 $old_tsukumi）"
	contains "$OUT" "後: 2026-11-01_津久見市_手続電子化状況.csv（調査基準日 2026-11-01、SHA-256 $sha_tsukumi）"
	contains "$OUT" "■ 提出の変化（2件）"
	# rows
	contains "$OUT" "大分市 442011  保育所等ICT調査  44201-014 $(fact gained)  保護者連絡: なし → あり"
	contains "$OUT" "大分市 442011  保育所等ICT調査  44201-002 $(fact gone)  なくなった"
	contains "$OUT" "津久見市 442071  手続電子化状況  N03 こども医療費助成 受給資格登録申請  状況: 未着手 → 電子化済"
	contains "$OUT" "津久見市 442071  手続電子化状況  N03 こども医療費助成 受給資格登録申請  電子化年月: （空欄） → 2026-11"
	contains "$OUT" "■ 行の変化（4件）"
	# figures, 全体 included
	contains "$OUT" "保育所等のICT化  大分市 442011  $(fact oita_before) 達成 → $(fact oita_after) 達成"
	contains "$OUT" "こども関係手続の電子化  津久見市 442071  $(fact tsukumi_before) 未達 → $(fact tsukumi_after) 未達"
	contains "$OUT" "こども関係手続の電子化  全体  $(fact total_before)"
	contains "$OUT" "→ $(fact total_after)"
	contains "$OUT" "保育所等のICT化  全体  "
	# 大分市 counts private nurseries in its own target: 44201-014 moved it
	contains "$OUT" "保育所等のICT化（独自目標）  大分市 442011"
	# nothing else moved
	local nfig; nfig=$(grep -c '^  [^ ].* → ' <<<"$(sed -n '/■ 数値の変化/,$p' <<<"$OUT")")
	eq "$nfig" 5 "figures that moved"

	# the same as CSV rows, read back with Python's csv module
	KDX_HOME=$KDX_HOME/auditor KDX_DATABASE_URL= kdx_rc 0 diff --format csv "$A" "$B"
	printf '%s\n' "$OUT" >"$KDX_HOME/diff.csv"
	/usr/bin/python3 - "$KDX_HOME/diff.csv" "$sha_oita" "$(fact tsukumi_after)" <<'PY' || die "diff CSV"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8', newline='')))
sub = [r for r in rows if r['区分'] == '提出']
assert len(sub) == 2, sub
oita = [r for r in sub if r['団体コード'] == '442011'][0]
assert oita['変化'] == '差し替え' and oita['変更後のSHA-256'] == sys.argv[2] and oita['変更後の調査基準日'] == '2026-10-01', oita
row = [r for r in rows if r['区分'] == '行' and r['対象'].startswith('N03')]
assert {(r['項目'], r['変更前'], r['変更後']) for r in row} == {('状況', '未着手', '電子化済'), ('電子化年月', '（空欄）', '2026-11')}, row
gone = [r for r in rows if r['区分'] == '行' and r['変化'] == '削除']
assert [r['対象'][:9] for r in gone] == ['44201-002'], gone
fig = [r for r in rows if r['区分'] == '数値' and r['団体コード'] == '442071']
assert len(fig) == 1 and fig[0]['変更後'].startswith(sys.argv[3]), fig
PY
	# and as JSON
	KDX_HOME=$KDX_HOME/auditor KDX_DATABASE_URL= kdx_rc 0 --json diff "$A" "$B"
	/usr/bin/python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
assert d["a"]["bag"] == "kdx-2026-11-30-1" and d["b"]["bag"] == "kdx-2026-11-30-2", d["a"]
assert len(d["submissions"]) == 2 and len(d["rows"]) == 4 and len(d["figures"]) == 5, (len(d["rows"]), len(d["figures"]))
' <<<"$OUT" || die "diff JSON"

	# the same snapshot twice: nothing changed
	kdx_rc 0 diff "$A" "$A"
	contains "$OUT" "変化はありません"
}

test_diff_finds_snapshots_by_number_and_hash_and_reads_bag_folders() {
	two_snapshots
	local hb; hb=$(basename "$B" .tar.gz); hb=${hb#2_}
	kdx_rc 0 diff 1 "$hb"
	contains "$OUT" "→ kdx-2026-11-30-2"
	contains "$OUT" "■ 提出の変化（2件）"
	# by a prefix of the data hash printed on the reports' cover
	local data; data=$(sql "SELECT data_sha256 FROM kdx.snapshot WHERE seq = 1")
	kdx_rc 0 diff "${data:0:10}" 2
	contains "$OUT" "比較: kdx-2026-11-30-1"
	# an extracted bag folder, and the bag re-packed by GNU tar with ./ names
	mkdir -p "$KDX_HOME/x" "$KDX_HOME/y"
	tar -xzf "$B" -C "$KDX_HOME/x"
	(cd "$KDX_HOME/x" && tar -cf "$KDX_HOME/y/b.tar" .)
	kdx_rc 0 diff "$A" "$KDX_HOME/x/kdx-2026-11-30-2"
	contains "$OUT" "■ 行の変化（4件）"
	kdx_rc 0 diff "$A" "$KDX_HOME/y/b.tar"
	contains "$OUT" "■ 数値の変化（5件）"
	# unknown snapshots
	kdx_rc 64 diff 1 99
	contains "$ERR" 'no snapshot numbered "99"'
	kdx_rc 64 diff "$A" nosuch.tar.gz
	contains "$ERR" 'no archive "nosuch.tar.gz"'
	KDX_HOME=$KDX_HOME/x KDX_DATABASE_URL= kdx_rc 64 diff 1 2
	contains "$ERR" "no warehouse to look up snapshot 1 in"
	kdx_rc 64 diff "$A"
	contains "$ERR" "give two snapshots"
}

test_diff_refuses_a_tampered_bag_and_one_without_figures() {
	two_snapshots
	# a figure doctored in B: kdx diff refuses the bag as kdx verify does
	/usr/bin/python3 - "$B" "$KDX_HOME/t.tar.gz" <<'PY'
import io, sys, tarfile
src, dst = sys.argv[1:3]
with tarfile.open(src, 'r:gz') as t, tarfile.open(dst, 'w:gz') as o:
    for m in t.getmembers():
        data = t.extractfile(m).read() if m.isfile() else None
        if m.name.endswith('data/figures.csv'):
            data = data.replace('10/18'.encode(), b'18/18', 1) + b'\n'
        if data is not None:
            m.size = len(data)
            o.addfile(m, io.BytesIO(data))
        else:
            o.addfile(m)
PY
	kdx_rc 65 diff "$A" "$KDX_HOME/t.tar.gz"
	contains "$ERR" "fails verification"
	contains "$ERR" "changed file: data/figures.csv"
	contains "$ERR" "nothing was compared"
	# a snapshot from before kdx archived its figures: said, not guessed
	repack "$A" "$KDX_HOME/old.tar.gz" "
import hashlib, re
root = next(iter(files)).split('/')[0]
for k in [k for k in files if k.endswith(('data/figures.csv', 'data/warehouse/in_force.csv'))]:
    del files[k]
payload = {k: v for k, v in files.items() if '/data/' in k}
for alg in ('sha256', 'sha512'):
    files[f'{root}/manifest-{alg}.txt'] = ''.join(f'{hashlib.new(alg, v).hexdigest()}  {k[len(root) + 1:]}\n' for k, v in sorted(payload.items())).encode()
info = files[f'{root}/bag-info.txt'].decode()
info = re.sub(r'Payload-Oxum: .*', f'Payload-Oxum: {sum(map(len, payload.values()))}.{len(payload)}', info)
files[f'{root}/bag-info.txt'] = info.encode()
tags = ['bagit.txt', 'bag-info.txt', 'manifest-sha256.txt', 'manifest-sha512.txt']
files[f'{root}/tagmanifest-sha256.txt'] = ''.join(f'{hashlib.sha256(files[f\"{root}/{n}\"]).hexdigest()}  {n}\n' for n in tags).encode()
"
	mkdir -p "$KDX_HOME/nowh"
	KDX_DATABASE_URL= KDX_HOME=$KDX_HOME/nowh kdx_rc 0 verify "$KDX_HOME/old.tar.gz"
	kdx_rc 65 diff "$KDX_HOME/old.tar.gz" "$B"
	contains "$ERR" "has no data/warehouse/in_force.csv, which kdx diff compares"
	contains "$ERR" "kdx snapshot --as-of 2026-11-30"
}
