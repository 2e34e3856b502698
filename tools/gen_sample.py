#!/usr/bin/python3
"""Generate data/sample/: realistic inputs for the 18 municipalities of Oita.

The nursery survey as of 2025-04-01 and the club survey as of 2025-06-01 are
built facility by facility so that their aggregates are the seed's two tables
(SPEC §2).  The per-municipality counts below are the design: public
facilities in scope and how many of them have at least one ICT function.
Later surveys show progress.  Formats are mixed as municipalities send them:
CP932 CSV with CRLF (Excel on Japanese Windows), UTF-8 with BOM, plain UTF-8,
and xlsx workbooks.  Deterministic: run it again and the CSVs are identical.

usage: tools/gen_sample.py [OUTDIR]
"""
import csv, io, os, random, sys, datetime

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', 'data', 'sample')

MUNIS = [
    ('442011', '大分市', '大分'), ('442020', '別府市', '別府'), ('442038', '中津市', '中津'),
    ('442046', '日田市', '日田'), ('442054', '佐伯市', '佐伯'), ('442062', '臼杵市', '臼杵'),
    ('442071', '津久見市', '津久見'), ('442089', '竹田市', '竹田'), ('442097', '豊後高田市', '豊後高田'),
    ('442101', '杵築市', '杵築'), ('442119', '宇佐市', '宇佐'), ('442127', '豊後大野市', '豊後大野'),
    ('442135', '由布市', '由布'), ('442143', '国東市', '国東'), ('443221', '姫島村', '姫島'),
    ('443417', '日出町', '日出'), ('444618', '九重町', '九重'), ('444626', '玖珠町', '玖珠'),
]

# nursery 2025-04-01: (public in scope, of which with ICT); None = nothing in scope ("-")
NURSERY_2025 = [(12, 12), (6, 6), (4, 4), (3, 3), (6, 5), (3, 3), None, (2, 2), None,
                (2, 0), (2, 0), (1, 0), None, (4, 1), (1, 0), None, (3, 3), None]
# progress: ICT count at 2026-04-01 and 2026-10-01 (same facilities)
NURSERY_2026_04 = [12, 6, 4, 3, 6, 3, None, 2, None, 1, 1, 0, None, 2, 0, None, 3, None]
NURSERY_2026_10 = [12, 6, 4, 3, 6, 3, None, 2, None, 2, 2, 1, None, 3, 0, None, 3, None]

# clubs 2025-06-01: (public in scope, with ICT)
CLUBS_2025 = [(60, 30), (31, 22), (25, 12), (16, 16), (15, 2), (5, 2), (3, 1), (3, 1), (4, 1),
              (20, 14), (22, 1), (6, 2), (9, 6), (11, 5), (1, 0), (9, 2), (5, 2), (3, 1)]
CLUBS_2026_04 = [36, 24, 16, 16, 5, 3, 2, 1, 2, 15, 6, 3, 7, 6, 0, 4, 3, 2]
CLUBS_2026_10 = [44, 26, 19, 16, 8, 4, 3, 2, 3, 16, 10, 4, 8, 8, 1, 6, 4, 3]

WORDS = ['中央', '東', '西', '南', '北', 'みどり', 'ひかり', 'さくら', '若葉', 'あおば', 'ひまわり', 'すみれ',
         'たんぽぽ', 'こすもす', 'つくし', 'なのはな', 'もみじ', 'つばさ', 'ほほえみ', 'やまびこ']
TYPES = ['保育所', '保育所', '保育所', '幼保連携型認定こども園', '小規模保育事業所', '保育所型認定こども園',
         '家庭的保育事業', '事業所内保育事業所']
NFUNCS = ['保護者連絡', '登降園管理', '計画・記録', 'キャッシュレス決済', 'その他']
CFUNCS = ['保護者連絡', '入退室管理', '勤怠管理', 'キャッシュレス決済', 'その他']


def funcs(rng, on, marks=('○', '')):
    """ICT function marks: at least one yes when on."""
    if not on:
        return [marks[1]] * 5
    k = rng.randint(1, 4)
    chosen = set(rng.sample(range(5), k))
    return [marks[0] if i in chosen else marks[1] for i in range(5)]


def nursery_facilities():
    """Facility list (stable across surveys): dicts with muni index, number, name, type, owner, closing, order."""
    rng = random.Random(20250401)
    out = []
    for mi, (code, name, short) in enumerate(MUNIS):
        n = 0
        def add(ftype, owner, closing=False, fname=None):
            nonlocal n
            n += 1
            word = WORDS[(n - 1) % len(WORDS)]
            if fname is None:
                kind = '保育園' if owner == '私立' else '保育所'
                if 'こども園' in ftype:
                    kind = 'こども園'
                elif '小規模' in ftype or '家庭的' in ftype or '事業所内' in ftype:
                    kind = '乳児園'
                fname = f'{short}{"市立" if owner == "公立" and name.endswith("市") else ""}{word}{kind}'
            out.append(dict(mi=mi, no=f'{code[:5]}-{n:03d}', name=fname, type=ftype, owner=owner, closing=closing))
        spec = NURSERY_2025[mi]
        if spec:
            for i in range(spec[0]):
                add(TYPES[i % len(TYPES)] if i < 6 else '保育所', '公立')
        # what keeps the "-" municipalities out of scope, and realistic extras elsewhere
        if short == '津久見':
            add('保育所', '公立', closing=True)
        if short == '由布':
            add('幼稚園', '公立')
        if short == '玖珠':
            add('保育所', '公立', closing=True)
        if short == '大分':
            add('保育所', '公立', closing=True)
        if short == '宇佐':
            add('認可外保育施設', '公立')
        privates = {'大分': 9, '別府': 4, '中津': 3}.get(short, 2 if spec is None else 1)
        for i in range(privates):
            add(['保育所', '幼保連携型認定こども園', '企業主導型保育事業'][i % 3], '私立')
    return out


def nursery_rows(survey, ict_counts):
    fac = nursery_facilities()
    rng = random.Random(f'nursery{survey}')
    rows = []
    seen = {}
    for f in fac:
        mi = f['mi']
        inscope = f['owner'] == '公立' and not f['closing'] and f['type'] not in ('幼稚園', '認可外保育施設')
        if inscope:
            k = seen.get(mi, 0)
            seen[mi] = k + 1
            on = k < ict_counts[mi]
        else:
            on = random.Random(f['no']).random() < 0.75   # stable per facility across surveys
        marks = funcs(random.Random(f['no'] + survey[:4]) if on else rng, on)
        other = 'シフト勤怠・給与管理' if marks[4] == '○' else ''
        rows.append([f, marks, other])
    return rows


def club_list():
    out = []
    for mi, (code, name, short) in enumerate(MUNIS):
        pub, _ = CLUBS_2025[mi]
        n = 0
        def add(op, closing=False):
            nonlocal n
            n += 1
            word = WORDS[(n - 1) % len(WORDS)]
            suffix = '' if n <= len(WORDS) else str((n - 1) // len(WORDS) + 1)
            out.append(dict(mi=mi, no=f'C{code[:5]}{n:03d}', name=f'{short}{word}{suffix}児童クラブ', op=op, closing=closing))
        for i in range(pub):
            add('公営' if i % 3 == 0 else '民営')
        add('民立')
        if short in ('大分', '別府', '宇佐'):
            add('民立')
            add('公営', closing=True)
    return out


def club_rows(survey, ict_counts):
    rng = random.Random(f'clubs{survey}')
    rows, seen = [], {}
    for c in club_list():
        mi = c['mi']
        if c['op'] != '民立' and not c['closing']:
            k = seen.get(mi, 0)
            seen[mi] = k + 1
            on = k < ict_counts[mi]
        else:
            on = random.Random(c['no']).random() < 0.5   # stable per club across surveys
        marks = funcs(random.Random(c['no'] + survey[:4]) if on else rng, on)
        rows.append([c, marks, '写真販売' if marks[4] == '○' else ''])
    return rows


def write_csv(path, header, rows, encoding, crlf=True, bom=False):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator='\r\n' if crlf else '\n')
    w.writerow(header)
    w.writerows(rows)
    data = buf.getvalue().encode(encoding)
    if bom:
        data = b'\xef\xbb\xbf' + data
    with open(path, 'wb') as fp:
        fp.write(data)


def xlsx_save(wb, path):
    # fixed document properties so the sample files do not change on each run
    fixed = datetime.datetime(2026, 1, 1)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = 'kdx sample'
    wb.save(path)


NHEAD = ['調査基準日', '市町村コード', '市町村名', '施設番号', '施設名', '施設種別', '設置主体', '統廃合予定'] + NFUNCS + ['その他の内容']


def nursery_csv(path, survey, counts, datestr, encoding, bom=False, crlf=True):
    rows = []
    for f, marks, other in nursery_rows(survey, counts):
        code, name, _ = MUNIS[f['mi']]
        rows.append([datestr, code, name, f['no'], f['name'], f['type'], f['owner'], '予定' if f['closing'] else ''] + marks + [other])
    write_csv(path, NHEAD, rows, encoding, crlf, bom)


def nursery_xlsx(path, survey, counts):
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = '保育所等ICT調査'
    ws.append(NHEAD)
    d = datetime.date.fromisoformat(survey)
    for f, marks, other in nursery_rows(survey, counts):
        code, name, _ = MUNIS[f['mi']]
        ws.append([d, int(code), name, f['no'], f['name'], f['type'], f['owner'], '予定' if f['closing'] else None]
                  + [m or None for m in marks] + [other or None])
        ws.cell(row=ws.max_row, column=1).number_format = 'yyyy/m/d'
    ws.freeze_panes = 'A2'
    xlsx_save(wb, path)


CHEAD = ['市町村名', 'クラブ番号', 'クラブ名', '運営形態', '統廃合・配置見直し予定', '調査基準日'] + CFUNCS + ['その他の内容', '備考欄']


def clubs_csv(path, survey, counts, datestr, encoding, bom=False, crlf=True):
    rows = []
    for c, marks, other in club_rows(survey, counts):
        _, name, _ = MUNIS[c['mi']]
        marks = ['1' if m else '0' for m in marks]
        rows.append([name, c['no'], c['name'], c['op'], '予定' if c['closing'] else '', datestr] + marks + [other, ''])
    write_csv(path, CHEAD, rows, encoding, crlf, bom)


def clubs_xlsx(path, survey, counts):
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = '放課後児童クラブICT調査'
    ws.append(['令和8年10月 放課後児童クラブにおけるICT導入・活用状況調査'])
    ws.append(['市町村コード'] + CHEAD[:-1])
    d = datetime.date.fromisoformat(survey)
    for c, marks, other in club_rows(survey, counts):
        code, name, _ = MUNIS[c['mi']]
        ws.append([code[:5], name, c['no'], c['name'], c['op'], '予定' if c['closing'] else None, d]
                  + ['○' if m else '×' for m in marks] + [other or None])
        ws.cell(row=ws.max_row, column=7).number_format = '[$-411]ggge"年"m"月"d"日"'
    xlsx_save(wb, path)


# ---- municipal datasets ---------------------------------------------------

PROCS_N = [f'N{i:02d}' for i in range(1, 19)]
PROCS_K = [f'K{i:02d}' for i in range(1, 16)]
PLATFORMS = ['保育業務施設管理PF', '保活情報連携基盤', 'PMH医療費助成', 'PMH予防接種', 'PMH母子保健']
ITEMS = ['オンライン申請', '承認通知の電子化', '空き状況のWeb確認', 'オンライン予約', '利用実績のシステム管理', '集計・請求の自動化']


def proc_status(mi, pid, year):
    """Deterministic, plausible progress: bigger cities first; 2026 moves forward."""
    rng = random.Random(f'proc{mi}{pid}')
    base = rng.random() + (0.35 if mi < 6 else 0.0) - (0.2 if mi >= 14 else 0.0)
    if MUNIS[mi][2] == '姫島' and pid in ('N16', 'N17', 'N18'):
        return '所掌外'
    if MUNIS[mi][2] == '九重' and pid == 'N06':
        return '所掌外'
    if pid == 'N08':  # follows the postpartum online application
        return '電子化済' if pp_status(mi, 'オンライン申請', year) == '実施済' else '準備中'
    threshold = 0.75 if year == 2025 else 0.45
    if base > threshold:
        return '電子化済'
    return '準備中' if base > threshold - 0.3 else '未着手'


def pp_status(mi, item, year):
    rng = random.Random(f'pp{mi}{item}')
    v = rng.random() + (0.3 if mi < 5 else 0) + (0.25 if year == 2026 else 0)
    return '実施済' if v > 0.8 else ('準備中' if v > 0.45 else '未実施')


def platform_status(mi, pf, year):
    short = MUNIS[mi][2]
    if short == '竹田' and pf == 'PMH予防接種':
        return '特例対象外'
    if short == '中津' and pf == '保育業務施設管理PF':
        return '類似システム導入済'
    rng = random.Random(f'pf{mi}{pf}')
    v = rng.random() + (0.3 if year == 2026 else 0)
    return '導入済' if v > 0.8 else ('導入予定' if v > 0.35 else '未定')


def settings_row(mi):
    short = MUNIS[mi][2]
    return ['有' if short == '国東' else '無', '有' if short == '大分' else '無', '有' if short == '別府' else '無']


def municipal_csvs(year_date):
    year = int(year_date[:4])
    procs, pfs, pps, sets = [], [], [], []
    for mi, (code, name, short) in enumerate(MUNIS):
        for pid in PROCS_K:
            procs.append([year_date, code, pid, '電子化済', '2024-04', '', '済'])
        for pid in PROCS_N:
            st = proc_status(mi, pid, year)
            # 日出町 says N08 is digitised but its postpartum checklist disagrees (a data-quality warning)
            if short == '日出' and pid == 'N08':
                st = '電子化済'
            planned = '' if st in ('電子化済', '所掌外') else ('R8' if st == '準備中' else 'R9')
            notice = '済' if st == '電子化済' and (mi + int(pid[1:])) % 3 else ('未' if st == '電子化済' else '')
            procs.append([year_date, code, pid, st, '2025-04' if st == '電子化済' else '', planned, notice])
        for pf in PLATFORMS:
            if pf == 'PMH母子保健' and mi % 2:
                continue
            st = platform_status(mi, pf, year)
            pfs.append([year_date, code, pf, st, 'R9' if st in ('導入予定',) else '', '標準化対応の遅れ' if st == '特例対象外' else ''])
        for item in ITEMS:
            st = pp_status(mi, item, year)
            pps.append([year_date, code, item, st, 'R9' if st == '準備中' else ''])
        sets.append([year_date, code, name] + settings_row(mi))
    return procs, pfs, pps, sets


def municipal_workbook(path, mi, year_date):
    from openpyxl import Workbook
    procs, pfs, pps, sets = municipal_csvs(year_date)
    code = MUNIS[mi][0]
    d = datetime.date.fromisoformat(year_date)
    wb = Workbook()
    ws = wb.active
    ws.title = '手続電子化'
    ws.append(['調査基準日', '市町村コード', '手続番号', '状況', '電子化年月', '予定年度', '処分通知'])
    for r in procs:
        if r[1] == code:
            ws.append([d, code] + r[2:])
            ws.cell(row=ws.max_row, column=1).number_format = 'yyyy-mm-dd'
    ws = wb.create_sheet('基盤導入')
    ws.append(['調査基準日', '市町村コード', '基盤', '状況', '予定年度', '備考'])
    for r in pfs:
        if r[1] == code:
            ws.append([d, code] + r[2:])
            ws.cell(row=ws.max_row, column=1).number_format = 'yyyy-mm-dd'
    ws = wb.create_sheet('産後ケア')
    ws.append(['調査基準日', '市町村コード', '項目', '状況', '予定年度'])
    for r in pps:
        if r[1] == code:
            ws.append([d, code] + r[2:])
            ws.cell(row=ws.max_row, column=1).number_format = 'yyyy-mm-dd'
    ws = wb.create_sheet('設定')
    ws.append(['調査基準日', '市町村コード', '市町村名', '保育所特別な事情', '民間保育所を独自目標に含める', '民立クラブを独自目標に含める'])
    for r in sets:
        if r[1] == code:
            ws.append([d] + r[1:])
            ws.cell(row=ws.max_row, column=1).number_format = 'yyyy-mm-dd'
    ws = wb.create_sheet('記入方法')
    ws.append(['このブックは市町村の提出用です。各シートの見出し行は変更しないでください。'])
    xlsx_save(wb, path)


def main():
    os.makedirs(OUT, exist_ok=True)
    nursery_csv(f'{OUT}/2025-04-01_保育所等ICT調査.csv', '2025-04-01', [c[1] if c else None for c in NURSERY_2025],
                '令和7年4月1日', 'cp932')
    clubs_csv(f'{OUT}/2025-06-01_放課後児童クラブICT調査.csv', '2025-06-01', [c[1] for c in CLUBS_2025],
              '2025/6/1', 'utf-8', bom=True)
    procs, pfs, pps, sets = municipal_csvs('2025-10-01')
    write_csv(f'{OUT}/2025-10-01_手続電子化状況.csv', ['調査基準日', '市町村コード', '手続番号', '状況', '電子化年月', '予定年度', '処分通知'], procs, 'cp932')
    write_csv(f'{OUT}/2025-10-01_基盤導入状況.csv', ['調査基準日', '市町村コード', '基盤', '状況', '予定年度', '備考'], pfs, 'utf-8', bom=True)
    write_csv(f'{OUT}/2025-10-01_産後ケアDX状況.csv', ['調査基準日', '市町村コード', '項目', '状況', '予定年度'], pps, 'utf-8', crlf=False)
    write_csv(f'{OUT}/2025-10-01_市町村設定.csv', ['調査基準日', '市町村コード', '市町村名', '保育所特別な事情', '民間保育所を独自目標に含める', '民立クラブを独自目標に含める'], sets, 'utf-8', crlf=False)
    nursery_xlsx(f'{OUT}/2026-04-01_保育所等ICT調査.xlsx', '2026-04-01', NURSERY_2026_04)
    clubs_csv(f'{OUT}/2026-04-01_放課後児童クラブICT調査.csv', '2026-04-01', CLUBS_2026_04, 'R8.4.1', 'cp932')
    nursery_csv(f'{OUT}/2026-10-01_保育所等ICT調査.csv', '2026-10-01', NURSERY_2026_10, '2026-10-01', 'utf-8', crlf=False)
    clubs_xlsx(f'{OUT}/2026-10-01_放課後児童クラブICT調査.xlsx', '2026-10-01', CLUBS_2026_10)
    for mi, (code, name, short) in enumerate(MUNIS):
        municipal_workbook(f'{OUT}/2026-10-01_{code}_{name}.xlsx', mi, '2026-10-01')


if __name__ == '__main__':
    main()
