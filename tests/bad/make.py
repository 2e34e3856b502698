#!/usr/bin/python3
"""Build the catalogue of bad inputs in this folder and cases.tsv, which says
for each file where the problem is and what the reject report must say.
Each expectation comes from the data contract (SPEC §4), not from kdx's output."""
import io, os, zipfile, datetime
from openpyxl import Workbook

HERE = os.path.dirname(os.path.abspath(__file__))
cases = []

def put(name, data, where, message):
    with open(os.path.join(HERE, name), 'wb') as fp:
        fp.write(data if isinstance(data, bytes) else data.encode('utf-8'))
    cases.append((name, where, message))

NH = '調査基準日,市町村コード,市町村名,施設番号,施設名,施設種別,設置主体,統廃合予定,保護者連絡,登降園管理,計画・記録,キャッシュレス決済,その他,その他の内容\n'
def nrow(no='44201-001', name='大分中央保育所', typ='保育所', owner='公立', code='442011', mname='大分市', date='2025-04-01', contact='○'):
    return f'{date},{code},{mname},{no},{name},{typ},{owner},,{contact},,,,,\n'

PH = '調査基準日,市町村コード,手続番号,状況,電子化年月,予定年度,処分通知\n'
def procs(code='442011', date='2025-10-01', skip=(), override=None):
    out = PH
    for i in range(1, 19):
        pid = f'N{i:02d}'
        if pid in skip:
            continue
        row = [date, code, pid, '電子化済', '2025-04', '', '済']
        if override and pid in override:
            row = override[pid](row)
        out += ','.join(row) + '\n'
    return out

FH = '調査基準日,市町村コード,基盤,状況,予定年度,備考\n'
def platforms(rows=None):
    rows = rows or [('保育業務施設管理PF', '導入済'), ('保活情報連携基盤', '導入予定'), ('PMH医療費助成', '未定'), ('PMH予防接種', '未定')]
    return FH + ''.join(f'2025-10-01,442011,{p},{s},,\n' for p, s in rows)

ITEMS = ['オンライン申請', '承認通知の電子化', '空き状況のWeb確認', 'オンライン予約', '利用実績のシステム管理', '集計・請求の自動化']
def postpartum(items=ITEMS, bad=None):
    out = '調査基準日,市町村コード,項目,状況,予定年度\n'
    for it in items:
        out += f'2025-10-01,442011,{bad if bad and it == ITEMS[0] else it},実施済,\n'
    return out

put('01_empty.csv', b'', 'ファイル全体', 'ファイルが空です')
put('02_header_only.csv', NH, '1行目', '見出し行の後にデータ行がありません')
put('03_unknown_header.csv', 'a,b,c\n1,2,3\n', '1行目', '見出し行がどのデータセットにも当てはまりません')
put('04_missing_required_column.csv', NH.replace(',施設種別', '') + '2025-04-01,442011,大分市,44201-001,大分中央保育所,公立,,○,,,,,\n',
    '1行目', '必須の列「施設種別」がありません')
put('05_bad_status.csv', procs(override={'N03': lambda r: r[:3] + ['完了'] + r[4:]}), '4行目「状況」列', '「状況」の値が正しくありません')
put('06_nonexistent_date.csv', NH + nrow(date='2025-02-30'), '2行目「調査基準日」列', '存在しない日付です')
put('07_date_syntax.csv', NH + nrow(date='来月'), '2行目「調査基準日」列', '日付として読めません')
put('08_era_range.csv', NH + nrow(date='H31.5.1'), '2行目「調査基準日」列', '元号の範囲外の日付です')
put('09_check_digit.csv', NH + nrow(code='442012'), '2行目「市町村コード」列', '検査数字が一致しません')
put('10_other_prefecture.csv', NH + nrow(code='131016', mname=''), '2行目「市町村コード」列', '市町村コード 131016 は大分県の市町村ではありません')
put('11_code_name_mismatch.csv', NH + nrow(mname='別府市'), '2行目「市町村名」列', '市町村コード 442011（大分市）と一致しません')
put('12_unknown_name.csv', NH.replace('市町村コード,', '') + '2025-04-01,東京市,44201-001,大分中央保育所,保育所,公立,,○,,,,,\n',
    '2行目「市町村名」列', '市町村名「東京市」は大分県の市町村にありません')
put('13_unknown_procedure.csv', procs() + '2025-10-01,442011,N19,電子化済,,,\n', '20行目「手続番号」列', '手続番号「N19」はありません')
put('14_missing_procedures.csv', procs(skip=('N05', 'N12')), '2行目', '大分市 の手続 N05（受給資格者証再交付申請）の行がありません')
put('15_duplicate_facility.csv', NH + nrow() + nrow(name='大分第二保育所'), '3行目「施設番号」列', '「44201-001」が 2 行目と重複しています')
put('16_bad_facility_type.csv', NH + nrow(typ='保育園X'), '2行目「施設種別」列', '施設種別「保育園X」は対象の種別にありません')
put('17_bad_owner.csv', NH + nrow(owner='公設'), '2行目「設置主体」列', '「設置主体」の値が正しくありません')
put('18_bad_flag.csv', NH + nrow(contact='たぶん'), '2行目「保護者連絡」列', '「保護者連絡」の値が正しくありません')
put('19_mixed_dates.csv', NH + nrow() + nrow(no='44201-002', date='2025-05-01'), '3行目「調査基準日」列', '調査基準日が 2 行目の 2025-04-01 と異なります')
put('20_tokurei_on_platform.csv', platforms([('保育業務施設管理PF', '特例対象外'), ('保活情報連携基盤', '導入予定'), ('PMH医療費助成', '未定'), ('PMH予防接種', '特例対象外')]),
    '2行目「状況」列', '「保育業務施設管理PF」に特例対象外は指定できません')
put('21_missing_platform_row.csv', platforms([('保育業務施設管理PF', '導入済'), ('保活情報連携基盤', '導入予定'), ('PMH医療費助成', '未定')]),
    '2行目', '大分市 の基盤「PMH予防接種」の行がありません')
put('22_missing_postpartum_item.csv', postpartum(ITEMS[:3] + ITEMS[4:]), '2行目', '大分市 の産後ケアDX項目「オンライン予約」の行がありません')
put('23_bad_item.csv', postpartum(bad='里帰り支援'), '2行目「項目」列', '項目「里帰り支援」は産後ケアDXの項目にありません')
put('24_numeric_name.csv', NH + nrow(name='12345'), '2行目「施設名」列', '「施設名」が数値になっています')
put('25_bad_fiscal_year.csv', procs(override={'N04': lambda r: r[:3] + ['準備中', '', '来年', '']}), '5行目「予定年度」列', '「予定年度」を年度として読めません')
put('26_bad_year_month.csv', procs(override={'N02': lambda r: r[:4] + ['いつか'] + r[5:]}), '3行目「電子化年月」列', '「電子化年月」を年月として読めません')
put('27_undecodable_byte.csv', NH.encode('cp932') + b'2025-04-01,442011,\x82\xff,44201-001\n', '2行目', 'CP932（Shift_JIS）として読めません')
put('28_unterminated_quote.csv', NH + '2025-04-01,442011,大分市,44201-001,"大分中央保育所,保育所,公立,,○,,,,,\n', '2行目', '引用符（"）が閉じられないまま')
put('29_duplicate_column.csv', NH.replace('その他の内容', '施設名') + nrow(), '1行目「施設名」列', '列「施設名」が 2 回あります')
put('30_settings_duplicate.csv', '調査基準日,市町村コード,保育所特別な事情,民間保育所を独自目標に含める,民立クラブを独自目標に含める\n'
    '2025-10-01,442011,無,無,無\n2025-10-01,442011,有,無,無\n', '3行目', '大分市 の設定が 2 行目にもあります')
put('31_not_a_zip.xlsx', b'PK\x03\x04this is not really a workbook', 'ファイル全体', 'Excel ブック（.xlsx）として開けません')
put('32_blank_required.csv', NH + nrow(name=''), '2行目「施設名」列', '「施設名」が空欄です')
put('33_unknown_platform.csv', platforms() + '2025-10-01,442011,電子申請PF,導入済,,\n', '6行目「基盤」列', '基盤「電子申請PF」は対象の基盤にありません')
put('34_utf8_broken.csv', ('\ufeff' + NH).encode('utf-8') + b'2025-04-01,442011,\xe5\xa4,44201-001\n', '2行目', 'UTF-8 として読めません')

def xlsx(name, build, where, message):
    wb = Workbook()
    build(wb)
    wb.properties.created = wb.properties.modified = datetime.datetime(2026, 1, 1)
    buf = io.BytesIO()
    wb.save(buf)
    put(name, buf.getvalue(), where, message)

def wb_bad_proc(wb):
    ws = wb.active
    ws.title = '手続電子化'
    for line in procs(override={'N01': lambda r: r[:3] + ['検討中'] + r[4:]}).splitlines():
        ws.append(line.split(','))
xlsx('35_workbook_bad_cell.xlsx', wb_bad_proc, '手続電子化!D2', '「状況」の値が正しくありません')

def wb_error_cell(wb):
    ws = wb.active
    ws.title = '保育所等ICT調査'
    ws.append(NH.strip().split(','))
    ws.append(['2025-04-01', '442011', '大分市', '44201-001', '大分中央保育所', '保育所', '公立', None, '○'])
    ws['E2'] = '=NA()'
xlsx_error = None
def wb_sheet_no_header(wb):
    ws = wb.active
    ws.title = '基盤導入'
    ws.append(['ここに入力'])
xlsx('36_workbook_sheet_without_header.xlsx', wb_sheet_no_header, 'シート「基盤導入」', '基盤導入状況 の見出し行が見つかりません')

# hostile workbooks, written by hand
def raw_xlsx(sheet_xml, big=False):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr('xl/workbook.xml', '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                   '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr('xl/_rels/workbook.xml.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr('xl/worksheets/sheet1.xml', sheet_xml)
    return buf.getvalue()

laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' +
          ''.join(f'<!ENTITY lol{i} "{"&lol%s;" % ("" if i == 1 else i - 1) * 10}">' for i in range(1, 10)) +
          ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
          '<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')
put('37_billion_laughs.xlsx', raw_xlsx(laughs), 'シート「Sheet1」', 'DTD（DOCTYPE 宣言）が含まれています')
bomb = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + ' ' * (300 * 1024 * 1024) + '</sheetData></worksheet>')
put('38_zip_bomb.xlsx', raw_xlsx(bomb), 'シート「Sheet1」', 'zip 爆弾の可能性')

# 手続名 instead of 手続番号: each new procedure named by its category and name,
# as the template writes them; 現況届 alone is both 児童手当's ⑪ and 児童扶養手当's ⑫
def procs_by_name(extra=''):
    import csv
    with open(os.path.join(HERE, '..', '..', 'data', 'master', 'procedures.csv'), encoding='utf-8') as fp:
        rows = [r for r in csv.DictReader(fp) if r['kind'] == 'N']
    return (PH.replace('手続番号', '手続名') +
            ''.join(f"2025-10-01,442011,{r['category']} {r['name']},電子化済,2025-04,,済\n" for r in rows) + extra)
put('39_ambiguous_procedure_name.csv', procs_by_name('2025-10-01,442011,現況届,電子化済,2025-04,,済\n'),
    '20行目「手続名」列', '手続名「現況届」は複数の手続に当てはまります')


# ---- rows that would load wrong, and containers that are not what they say ----

# a CSV row's fields must match its header's: an unquoted comma in a name
# pushes every later value one column to the right; a short row would leave
# its ICT columns as "no"
put('40_row_too_many_fields.csv', NH + nrow() + nrow(no='44201-002', name='大分第二保育所,分園'),
    '3行目', 'この行の値は 15 個あり、見出し行の 14 列より多くなっています')
put('41_row_too_few_fields.csv', NH + '2025-04-01,442011,大分市,44201-001,大分中央保育所,保育所,公立\n',
    '2行目', 'この行の値は 7 個で、見出し行の 14 列より少なくなっています')

# openpyxl writes a formula without its calculated value, as any tool that
# does not calculate does
def wb_formula(wb):
    ws = wb.active
    ws.title = '保育所等ICT調査'
    ws.append(NH.strip().split(','))
    ws.append(['2025-04-01', '442011', '大分市', '44201-001', '大分中央保育所', '保育所', '公立', None, '=IF(1,"○","")'])
xlsx('42_formula_without_value.xlsx', wb_formula, '保育所等ICT調査!I2', '計算結果がブックに保存されていません')

def wb_error(wb):
    wb_formula(wb)
    wb.active['I2'] = '#N/A'
    wb.active['I2'].data_type = 'e'
xlsx('43_error_cell.xlsx', wb_error, '保育所等ICT調査!I2', 'セルがエラー値（#N/A）になっています')

# two entries of one name: kdx would read the first, openpyxl the last
def duplicate_entry():
    wb = Workbook()
    wb_formula(wb)
    wb.active['I2'] = '○'
    wb.properties.created = wb.properties.modified = datetime.datetime(2026, 1, 1)
    buf = io.BytesIO()
    wb.save(buf)
    out = io.BytesIO()
    import warnings
    with zipfile.ZipFile(buf) as zin, zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as zout, warnings.catch_warnings():
        warnings.simplefilter('ignore')
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info.filename))
        zout.writestr('xl/worksheets/sheet1.xml', zin.read('xl/worksheets/sheet1.xml').replace('○'.encode(), b''))
    return out.getvalue()
put('44_duplicate_zip_entry.xlsx', duplicate_entry(), 'ファイル全体', '同じ名前の部品（xl/worksheets/sheet1.xml）が 2 つあり')

# a survey date no survey can have had yet
put('45_future_survey_date.csv', NH + nrow(date='2031-01-01'), '2行目「調査基準日」列', '調査基準日が今日')

# OLE2 compound files (MS-CFB), written here from the format: what Excel
# saves for a workbook with a password (EncryptionInfo + EncryptedPackage,
# MS-OFFCRYPTO) and for the Excel 97-2003 format (a Workbook stream)
def cfb(streams):
    import struct
    SECT, END, FREE, FATS, NOS = 512, 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    ndir = -(-(len(streams) + 1) * 128 // SECT)
    # sector 0: the FAT; 1..ndir: the directory; then each stream (4096 bytes
    # or more, so that no mini stream is needed)
    fat = [FATS] + [s + 1 if s < ndir else END for s in range(1, ndir + 1)]
    body, where = b'', []
    for _, data in streams:
        data = data.ljust(max(4096, -(-len(data) // SECT) * SECT), b'\0')
        first, n = len(fat), len(data) // SECT
        fat += [first + k + 1 for k in range(n - 1)] + [END]
        where.append((first, len(data)))
        body += data
    assert len(fat) <= 128
    def entry(name, typ, right, child, first, size):
        u = name.encode('utf-16-le') + b'\0\0'
        return (u.ljust(64, b'\0') + struct.pack('<HBBIII', len(u), typ, 1, NOS, right, child) + b'\0' * 36
                + struct.pack('<IQ', first, size))
    # the streams are siblings ordered by name length, then name: one chain to the right
    dirs = entry('Root Entry', 5, NOS, 1, END, 0) + b''.join(
        entry(name, 2, i + 2 if i + 1 < len(streams) else NOS, NOS, *where[i]) for i, (name, _) in enumerate(streams))
    dirs = dirs.ljust(ndir * SECT, b'\0')
    header = (b'\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1' + b'\0' * 16 + struct.pack('<HHHHH', 0x3E, 3, 0xFFFE, 9, 6) + b'\0' * 6
              + struct.pack('<IIIIIIIII', 0, 1, 1, 0, 4096, END, 0, END, 0) + struct.pack('<I', 0) + b'\xff' * 4 * 108)
    return header + struct.pack('<128I', *(fat + [FREE] * (128 - len(fat)))) + dirs + body
put('46_password_protected.xlsx', cfb([('EncryptionInfo', b'\x04\x00\x04\x00\x40\x00\x00\x00'), ('EncryptedPackage', b'\x17' * 5000)]),
    'ファイル全体', 'パスワードで保護された（暗号化された）ブックです')
put('47_old_xls_renamed.xlsx', cfb([('Workbook', b'\x09\x08\x10\x00\x00\x06\x05\x00' + b'\0' * 4000)]),
    'ファイル全体', '古い Excel 97-2003 形式（.xls）のブックです')


# ---- more of what municipalities send ------------------------------------------

put('48_blank_municipality_code.csv', NH + nrow(code='', mname=''), '2行目「市町村コード」列', '「市町村コード」が空欄です')
put('49_municipality_code_syntax.csv', NH + nrow(code='44-2011', mname=''), '2行目「市町村コード」列', '市町村コードの形式が正しくありません')
put('50_duplicate_procedure_row.csv', procs() + '2025-10-01,442011,N01,未着手,,,\n', '20行目「手続番号」列', '「N01」が 2 行目と重複しています')
put('51_procedure_number_and_name_disagree.csv',
    '調査基準日,市町村コード,手続番号,手続名,状況\n' + ''.join(f'2025-10-01,442011,N{i:02d},{"妊娠 妊娠の届出" if i == 3 else ""},電子化済\n' for i in range(1, 19)),
    '4行目「手続名」列', 'と一致しません')
put('52_bad_postpartum_status.csv', postpartum().replace('実施済', '完了', 1), '2行目「状況」列', '「状況」の値が正しくありません')
put('53_bad_platform_status.csv', platforms([('保育業務施設管理PF', '検討中'), ('保活情報連携基盤', '導入予定'), ('PMH医療費助成', '未定'), ('PMH予防接種', '未定')]),
    '2行目「状況」列', '「状況」の値が正しくありません')
CH = '調査基準日,市町村コード,クラブ番号,クラブ名,運営形態,保護者連絡\n'
put('54_bad_club_operation.csv', CH + '2025-06-01,442011,C001,大分中央児童クラブ,私営,○\n', '2行目「運営形態」列', '「運営形態」の値が正しくありません')
put('55_bad_settings_flag.csv', '調査基準日,市町村コード,保育所特別な事情,民間保育所を独自目標に含める,民立クラブを独自目標に含める\n'
    '2025-10-01,442011,たぶん,無,無\n', '2行目「保育所特別な事情」列', '「保育所特別な事情」の値が正しくありません')
put('56_values_only_in_unknown_columns.csv', NH.rstrip('\n') + ',備考\n' + nrow().rstrip('\n') + ',\n' + ',' * 14 + '引き継ぎ中\n',
    '3行目', 'この行には必須の列の値がありません')
put('57_blank_survey_date.csv', NH + nrow(date=''), '2行目「調査基準日」列', '「調査基準日」が空欄です')
put('58_month_13.csv', procs(override={'N02': lambda r: r[:4] + ['2025-13'] + r[5:]}), '3行目「電子化年月」列', '「電子化年月」を年月として読めません')
put('59_fiscal_year_out_of_range.csv', procs(override={'N04': lambda r: r[:3] + ['準備中', '', '1800', '']}), '5行目「予定年度」列', '「予定年度」を年度として読めません')
put('60_bad_closing_flag.csv', NH + nrow().replace(',公立,,', ',公立,そのうち,'), '2行目「統廃合予定」列', '「統廃合予定」の値が正しくありません')

# Excel's 「Unicode テキスト」 with a character no UTF-16 text can hold
put('61_utf16_lone_surrogate.txt', b'\xff\xfe' + NH.replace(',', '\t').encode('utf-16-le')
    + '2025-04-01\t442011\t'.encode('utf-16-le') + b'\x00\xdc' + '\t1\n'.encode('utf-16-le'),
    '2行目', 'UTF-16 として読めません')
# the same, tab-separated, with a row that lost its last fields
put('62_tab_separated_short_row.txt', b'\xff\xfe' + (NH + '2025-04-01,442011,大分市,44201-001\n').replace(',', '\t').encode('utf-16-le'),
    '2行目', 'この行の値は 4 個で、見出し行の 14 列より少なくなっています')

def wb_two_sheets(wb):
    for i, title in enumerate(['手続電子化', '手続電子化 (2)']):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = title
        for line in procs(code=['442011', '442020'][i]).splitlines():
            ws.append(line.split(','))
xlsx('63_workbook_dataset_twice.xlsx', wb_two_sheets, 'シート「手続電子化 (2)」 1行目', '手続電子化状況 のシートが 2 つあります')

def missing_part():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr('xl/worksheets/sheet1.xml', '<worksheet/>')
    return buf.getvalue()
put('64_workbook_without_workbook_part.xlsx', missing_part(), 'ファイル全体', 'Excel ブックとして読めません（ブックの部品「xl/workbook.xml」がありません）')
deep = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + '<x>' * 200 + '</x>' * 200 + '</sheetData></worksheet>')
put('65_workbook_nested_too_deep.xlsx', raw_xlsx(deep), 'シート「Sheet1」', 'ブックの XML の入れ子が深すぎます')

with open(os.path.join(HERE, 'cases.tsv'), 'w', encoding='utf-8') as fp:
    fp.write('# file\twhere (as the submitter sees it)\twhat the report says\n')
    for c in cases:
        fp.write('\t'.join(c) + '\n')
