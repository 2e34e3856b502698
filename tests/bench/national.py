#!/usr/bin/python3
"""Synthetic national inputs for make bench: master data for 47 prefectures and
1,741 municipalities with a realistic size skew, about 30,000 public and
private nurseries and 26,000 clubs, and all six datasets: CSV exports, and a workbook from every tenth
municipality.
usage: national.py OUTDIR"""
import csv, os, random, sys

out = sys.argv[1]
os.makedirs(f'{out}/master', exist_ok=True)
rng = random.Random(47)

def check(five):
    r = sum(int(five[i]) * w for i, w in enumerate((6, 5, 4, 3, 2))) % 11
    return five + str((11 - r) % 10)

# municipalities per prefecture: skewed, 1,741 in all
weights = [rng.paretovariate(1.5) for _ in range(47)]
counts = [max(10, int(1741 * w / sum(weights))) for w in weights]
while sum(counts) > 1741:
    counts[counts.index(max(counts))] -= 1
while sum(counts) < 1741:
    counts[counts.index(min(counts))] += 1

prefs, munis = [], []
for p in range(1, 48):
    pc = check(f'{p:02d}000')
    prefs.append((pc, f'県{p:02d}'))
    for k in range(counts[p - 1]):
        code = check(f'{p:02d}{201 + k:03d}')
        munis.append((code, pc, f'県{p:02d}市町村{k + 1:03d}', f'市町村{k + 1:03d}', f'しちょうそん{k + 1}', k + 1))

def write(path, header, rows):
    with open(path, 'w', encoding='utf-8', newline='') as fp:
        w = csv.writer(fp, lineterminator='\n')
        w.writerow(header)
        w.writerows(rows)

write(f'{out}/master/prefectures.csv', ['code', 'name'], prefs)
write(f'{out}/master/municipalities.csv', ['code', 'pref_code', 'name', 'short_name', 'kana', 'ord'], munis)
here = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'data', 'master')
for f in ('procedures.csv', 'goals.csv', 'goal_items.csv'):
    with open(f'{here}/{f}', encoding='utf-8') as src, open(f'{out}/master/{f}', 'w', encoding='utf-8') as dst:
        dst.write(src.read())

# facility counts per municipality: a long tail (a few big cities, many small towns)
size = [rng.paretovariate(1.2) for _ in munis]
def spread(total):
    c = [max(1, int(total * s / sum(size))) for s in size]
    return c
nurs, clubs = spread(30000), spread(26000)
fn = ['保護者連絡', '登降園管理', '計画・記録', 'キャッシュレス決済', 'その他']
rows = []
for (code, *_), n in zip(munis, nurs):
    for i in range(n):
        ict = rng.random() < 0.8
        rows.append(['2026-10-01', code, f'N{i:05d}', f'保育所{i}', ['保育所', '小規模保育事業所', '幼保連携型認定こども園'][i % 3],
                     '公立' if i % 3 == 0 else '私立', '', '○' if ict else '', '', '', '', '', ''])
write(f'{out}/nursery.csv', ['調査基準日', '市町村コード', '施設番号', '施設名', '施設種別', '設置主体', '統廃合予定'] + fn + ['その他の内容'], rows)
rows = []
for (code, *_), n in zip(munis, clubs):
    for i in range(n):
        rows.append(['2026-10-01', code, f'C{i:05d}', f'児童クラブ{i}', ['公営', '民営', '民立'][i % 3], '', '○' if rng.random() < 0.6 else '', '', '', '', '', ''])
write(f'{out}/clubs.csv', ['調査基準日', '市町村コード', 'クラブ番号', 'クラブ名', '運営形態', '統廃合予定', '保護者連絡', '入退室管理', '勤怠管理', 'キャッシュレス決済', 'その他', 'その他の内容'], rows)
# procedures, platforms, checklist and settings: every tenth municipality
# sends its own workbook (the template's four sheets, as Excel writes dates);
# the others come in the prefecture-wide CSV exports
import datetime
from openpyxl import Workbook
os.makedirs(f'{out}/xlsx', exist_ok=True)
st = ['電子化済', '準備中', '未着手']
pfs = ('保育業務施設管理PF', '保活情報連携基盤', 'PMH医療費助成', 'PMH予防接種')
items = ('オンライン申請', '承認通知の電子化', '空き状況のWeb確認', 'オンライン予約', '利用実績のシステム管理', '集計・請求の自動化')
rows = {'procedures': [], 'platforms': [], 'postpartum': [], 'settings': []}
books = 0
for k, m in enumerate(munis):
    code = m[0]
    mine = {
        'procedures': [['2026-10-01', code, f'N{i:02d}', st[rng.randrange(3)]] for i in range(1, 19)],
        'platforms': [['2026-10-01', code, p, ['導入済', '導入予定', '未定'][rng.randrange(3)]] for p in pfs],
        'postpartum': [['2026-10-01', code, it, ['実施済', '準備中', '未実施'][rng.randrange(3)]] for it in items],
        'settings': [['2026-10-01', code, '無']],
    }
    if k % 10:
        for ds, r in mine.items():
            rows[ds] += r
        continue
    wb = Workbook()
    sheets = (('手続電子化', ['調査基準日', '市町村コード', '手続番号', '状況'], 'procedures'),
              ('基盤導入', ['調査基準日', '市町村コード', '基盤', '状況'], 'platforms'),
              ('産後ケア', ['調査基準日', '市町村コード', '項目', '状況'], 'postpartum'),
              ('設定', ['調査基準日', '市町村コード', '保育所特別な事情'], 'settings'))
    for i, (title, head, ds) in enumerate(sheets):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = title
        ws.append(head)
        for r in mine[ds]:
            ws.append([datetime.date(2026, 10, 1), code] + r[2:])  # text, as in kdx's template
            ws.cell(ws.max_row, 1).number_format = 'yyyy/m/d'
    wb.save(f'{out}/xlsx/{code}_{m[2]}.xlsx')
    books += 1
write(f'{out}/procedures.csv', ['調査基準日', '市町村コード', '手続番号', '状況'], rows['procedures'])
write(f'{out}/platforms.csv', ['調査基準日', '市町村コード', '基盤', '状況'], rows['platforms'])
write(f'{out}/postpartum.csv', ['調査基準日', '市町村コード', '項目', '状況'], rows['postpartum'])
write(f'{out}/settings.csv', ['調査基準日', '市町村コード', '保育所特別な事情'], rows['settings'])
print(f'{len(prefs)} prefectures, {len(munis)} municipalities, {sum(nurs)} nurseries, {sum(clubs)} clubs, {books} municipal workbooks')
