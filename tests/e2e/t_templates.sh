# Input templates: generated, edited by another program, ingested back.

test_template_round_trip() {
	use_fixture sample
	kdx_rc 0 template --muni 442143 --as-of 2026-11-30 --survey-date 2026-11-01 --out t
	local x=t/442143_国東市_提出用.xlsx
	[ -s "$x" ] || die "no template"
	/usr/bin/python3 - "$x" <<'PY' || die "template contents"
import sys, openpyxl, datetime
wb = openpyxl.load_workbook(sys.argv[1])
assert wb.sheetnames == ['記入方法', '手続電子化', '基盤導入', '産後ケア', '設定'], wb.sheetnames
# every sheet prints on A4 landscape, one page wide, its header row on every page
for s in wb.worksheets:
    assert s.page_setup.orientation == 'landscape' and s.page_setup.paperSize in (9, '9'), (s.title, s.page_setup.orientation)
    assert s.sheet_properties.pageSetUpPr.fitToPage and s.page_setup.fitToWidth in (1, None) and s.page_setup.fitToHeight in (0, '0'), s.title
    assert s.title == '記入方法' or (s.print_title_rows or '').replace('$', '') == '1:1', (s.title, s.print_title_rows)
howto = [c.value for c in wb['記入方法']['A'] if c.value]
assert wb['記入方法']['A3'].alignment.wrap_text, 'the instructions do not wrap'
assert not any('行を追加' in line for line in howto), howto   # the sheets are protected: no row can be added
ws = wb['手続電子化']
assert [c.value for c in ws[1]] == ['調査基準日', '市町村コード', '手続番号', '手続名', '状況', '電子化年月', '予定年度', '処分通知']
assert ws.max_row == 34, ws.max_row            # K01-K15 and N01-N18
assert ws['A2'].value == datetime.datetime(2026, 11, 1)
assert ws['B2'].value == '442143'
# the procedure's name as the source lists it: its category, then the procedure
# (妊娠: ①妊娠の届出; 児童扶養手当: ⑫現況届), the two apart so neither runs into the other
assert ws['C2'].value == 'K01' and ws['D2'].value == '妊娠 妊娠の届出', ws['D2'].value
assert ws['C13'].value == 'K12' and ws['D13'].value == '児童扶養手当 現況届', ws['D13'].value
# every coded column has a dropdown with a Japanese error message
cols = {}
for dv in ws.data_validations.dataValidation:
    assert dv.type == 'list' and dv.showErrorMessage and dv.error and 'から選んで' in dv.error, dv
    for r in str(dv.sqref).split():
        cols[r[0]] = dv.formula1
assert set(cols) >= {'E', 'G', 'H'}, cols
assert '電子化済' in cols['E'] and '所掌外' in cols['E']
# headers and codes locked, input cells unlocked, the sheet protected without a password
assert ws.protection.sheet and not ws.protection.password
assert ws['C2'].protection.locked and ws['A1'].protection.locked
assert not ws['E2'].protection.locked
# last known answers are pre-filled (国東 as of 2026-10-01)
prev = {ws.cell(r, 3).value: ws.cell(r, 5).value for r in range(2, 35)}
assert all(prev[f'N{i:02d}'] in ('電子化済', '準備中', '未着手', '所掌外') for i in range(1, 19)), prev
assert wb['設定']['C2'].value == '有'   # 国東 has 特別な事情 in the sample
# the municipality finishes its procedures
for r in range(2, 35):
    if ws.cell(r, 3).value.startswith('N'):
        ws.cell(r, 5).value = '電子化済'
wb.save(sys.argv[1])
PY
	kdx_rc 0 table procedures --as-of 2026-11-30 --format csv
	local before; before=$(grep '^442143,' <<<"$OUT")
	[ "$before" != "442143,国東市,18,18,1.0000,100%,1.00,2028-03-31,達成" ] || die "the sample should leave 国東 procedures to do"
	kdx_rc 0 ingest "$x"
	kdx_rc 0 table procedures --as-of 2026-11-30 --format csv
	eq "$(grep '^442143,' <<<"$OUT")" "442143,国東市,18,18,1.0000,100%,1.00,2028-03-31,達成"
	# as of the previous round nothing changed
	kdx_rc 0 table procedures --as-of 2026-10-31 --format csv
	eq "$(grep '^442143,' <<<"$OUT")" "$before"
}

test_templates_for_every_municipality_ingest_unchanged() {
	use_fixture sample
	kdx_rc 0 template --as-of 2026-11-30 --survey-date 2026-11-01 --out t
	eq "$(ls t | wc -l)" 18 "templates"
	for x in t/*.xlsx; do kdx_rc 0 ingest "$x"; done
	# unchanged answers give unchanged figures
	local a b
	kdx_rc 0 table summary --as-of 2026-10-31 --format csv; a=$(grep -v '^code' <<<"$OUT" | cut -d, -f1-4,7-8,11-14)
	kdx_rc 0 table summary --as-of 2026-11-30 --format csv; b=$(grep -v '^code' <<<"$OUT" | cut -d, -f1-4,7-8,11-14)
	eq "$b" "$a" "procedures, platforms, postpartum and pmh after a round trip"
}
