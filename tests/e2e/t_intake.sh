# Intake of what the real world sends: the forms Excel saves besides CSV and
# .xlsx, rows that do not fit their header, a code read two ways, many files
# at once, and text that Excel would run as a formula.

SETTINGS_H='調査基準日,市町村コード,保育所特別な事情,民間保育所を独自目標に含める,民立クラブを独自目標に含める'

# the settings of every municipality, as kdx's own sample has them
settings_rows() { sql "SELECT code FROM kdx.municipality WHERE pref_code = '440001' ORDER BY code" | sed 's/$/,無,無,無/; s/^/2025-10-01,/'; }

# Excel's 「Unicode テキスト」 is UTF-16LE with a BOM, tab-separated, CRLF;
# UTF-16BE with commas is read the same way.
test_excel_unicode_text_is_read() {
	use_fixture init
	{ echo "$SETTINGS_H"; settings_rows; } | tr ',' '\t' | sed 's/$/\r/' >u.txt
	/usr/bin/python3 -c "import sys; d=open('u.txt',encoding='utf-8').read(); open('u16le.txt','wb').write(b'\xff\xfe'+d.encode('utf-16-le'))"
	kdx_rc 0 ingest u16le.txt
	eq "$(sql "SELECT encoding FROM kdx.load_batch")" "UTF-16LE (BOM)"
	eq "$(sql "SELECT count(*) FROM kdx.setting_fact")" 18
	eq "$(sql "SELECT count(*) FROM kdx.setting_fact WHERE muni_code = '442011'")" 1
	# big-endian, commas, a 和暦 date: the same values again, from another file
	{ echo "$SETTINGS_H"; settings_rows | sed 's/^2025-10-01/令和7年10月1日/; s/,無,無,無$/,有,無,無/'; } >u.csv
	/usr/bin/python3 -c "d=open('u.csv',encoding='utf-8').read(); open('u16be.csv','wb').write(b'\xfe\xff'+d.encode('utf-16-be'))"
	kdx_rc 0 ingest u16be.csv
	eq "$(sql "SELECT encoding FROM kdx.load_batch ORDER BY id DESC LIMIT 1")" "UTF-16BE (BOM)"
	eq "$(sql "SELECT count(*) FROM kdx.submission WHERE batch_id = (SELECT max(id) FROM kdx.load_batch)")" 18
	eq "$(sql "SELECT count(*) FROM kdx.setting_fact WHERE batch_id = (SELECT max(id) FROM kdx.load_batch) AND special_nursery")" 18
	# a lone surrogate is not text: said in UTF-16's terms, nothing loaded
	/usr/bin/python3 -c "d=open('u.csv',encoding='utf-8').read(); b=b'\xff\xfe'+d.encode('utf-16-le'); i=b.index('442020'.encode('utf-16-le')); open('bad16.txt','wb').write(b[:i]+b'\x00\xdc'+b[i:])"
	local before; before=$(sql "SELECT count(*) FROM kdx.load_batch")
	kdx_rc 65 ingest bad16.txt
	contains "$ERR" "UTF-16 として読めません"
	eq "$(sql "SELECT count(*) FROM kdx.load_batch")" "$before" "batches after a rejected file"
}

# A Strict Open XML workbook (ISO/IEC 29500 strict namespaces, ISO dates) is
# read as its Transitional twin.
test_strict_open_xml_workbook_is_read() {
	use_fixture init
	/usr/bin/python3 - <<'PY'
import io, zipfile, datetime, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = '手続電子化'
ws.append(['調査基準日', '市町村コード', '手続番号', '状況'])
for i in range(1, 19):
    ws.append([datetime.date(2025, 10, 1), '442011', f'N{i:02d}', '電子化済' if i <= 9 else '未着手'])
for r in range(2, 20):
    ws.cell(r, 1).number_format = 'yyyy-mm-dd'
buf = io.BytesIO()
wb.save(buf)
open('transitional.xlsx', 'wb').write(buf.getvalue())
ns = [(b'http://schemas.openxmlformats.org/spreadsheetml/2006/main', b'http://purl.oclc.org/ooxml/spreadsheetml/main'),
      (b'http://schemas.openxmlformats.org/officeDocument/2006/relationships', b'http://purl.oclc.org/ooxml/officeDocument/relationships')]
with zipfile.ZipFile(buf) as zin, zipfile.ZipFile('strict.xlsx', 'w', zipfile.ZIP_DEFLATED) as zout:
    for name in zin.namelist():
        data = zin.read(name)
        for a, b in ns:
            data = data.replace(a, b)
        if name == 'xl/worksheets/sheet1.xml':
            # Strict keeps dates as ISO 8601 text (t="d")
            import re
            data = re.sub(rb'<c r="(A\d+)"( s="\d+")?(?: t="n")?><v>[0-9.]+</v></c>',
                          lambda m: b'<c r="' + m.group(1) + b'"' + (m.group(2) or b'') + b' t="d"><v>2025-10-01T00:00:00</v></c>', data)
            assert data.count(b't="d"') == 18, data[:2000]
        zout.writestr(name, data)
PY
	kdx_rc 0 ingest strict.xlsx
	eq "$(sql "SELECT count(*) || ' ' || count(*) FILTER (WHERE status = '電子化済') || ' ' || min(survey_date) FROM kdx.procedure_fact")" "18 9 2025-10-01"
	kdx_rc 0 ingest transitional.xlsx
	local q="SELECT muni_code, survey_date, src_sheet, src_row, proc_id, status FROM kdx.procedure_fact WHERE batch_id ="
	eq "$(sql "SELECT count(*) FROM (($q 1 EXCEPT $q 2) UNION ALL ($q 2 EXCEPT $q 1)) d")" 0 "rows that differ between Strict and Transitional"
}

# Excel writes every line as wide as the widest: empty fields after the
# header's last name are fine when the header line has them too.
test_rows_as_wide_as_the_header_line_load() {
	use_fixture init
	{ echo "$SETTINGS_H,,"; settings_rows | sed 's/$/,,/'; } >wide.csv
	kdx_rc 0 ingest wide.csv
	eq "$(sql "SELECT count(*) FROM kdx.setting_fact")" 18
	# but a row wider than its header line is not
	{ echo "$SETTINGS_H"; settings_rows | sed '3s/$/,/'; } >wider.csv
	kdx_rc 65 ingest wider.csv
	contains "$ERR" "4行目: この行の値は 6 個あり、見出し行の 5 列より多くなっています。"
	eq "$(sql "SELECT count(*) FROM kdx.load_batch")" 1 "batches"
}

# In a national warehouse 12203 is 122033 (田宮市, without its check digit) or
# 012203 (峰田市, its leading zero dropped): the row's 市町村名 decides.
test_five_digit_code_is_resolved_by_the_row_name() {
	mkdir m
	cp "$ROOT"/data/master/*.csv m/
	# the check digits, computed here from JIS X 0402 (weights 6..2, mod 11)
	local cd; cd() { /usr/bin/python3 -c "import sys; s=sum(int(c)*w for c,w in zip(sys.argv[1],[6,5,4,3,2])); print(sys.argv[1]+str((11-s%11)%10))" "$1"; }
	eq "$(cd 12203)" 122033; eq "$(cd 01220)" 012203
	printf '%s,北海道\n%s,千葉県\n' "$(cd 01000)" "$(cd 12000)" >>m/prefectures.csv
	printf '012203,%s,峰田市,峰田,みねたし,1\n122033,%s,田宮市,田宮,たみやし,1\n' "$(cd 01000)" "$(cd 12000)" >>m/municipalities.csv
	kdx_rc 0 init --master m --pref 000000 --quiet
	local h='調査基準日,市町村コード,市町村名,施設番号,施設名,施設種別,設置主体'
	printf '%s\n2025-04-01,12203,峰田市,1,峰田保育所,保育所,公立\n2025-04-01,12203,田宮市,2,田宮保育所,保育所,公立\n' "$h" >named.csv
	kdx_rc 0 --council 000000 ingest named.csv
	eq "$(sql "SELECT string_agg(muni_code || ':' || facility_name, ' ' ORDER BY muni_code) FROM kdx.nursery_fact")" "012203:峰田保育所 122033:田宮保育所"
	# without a name, or with a name that is neither, the file is refused
	printf '%s\n2025-04-01,12203,,3,どこか保育所,保育所,公立\n2025-04-01,12203,大分市,4,大分保育所,保育所,公立\n' "$h" >unnamed.csv
	kdx_rc 65 --council 000000 ingest unnamed.csv
	contains "$ERR" "2行目「市町村コード」列 値「12203」: 市町村コード「12203」は 122033（田宮市）とも 012203（峰田市）とも読めます。"
	contains "$ERR" "3行目「市町村コード」列 値「12203」: 市町村コード「12203」は 122033（田宮市）とも 012203（峰田市）とも読めます。市町村名「大分市」はそのどちらでもありません。"
	csv_field_contains "$KDX_HOME/rejects/unnamed.csv.reject.csv" コード E_MUNI_CODE_AMBIGUOUS
	eq "$(sql "SELECT count(*) FROM kdx.load_batch")" 1 "batches"
}

# kdx ingest a.csv missing.csv b.csv: every file is reported, the readable
# ones are loaded, and the exit status says one could not be read.
test_every_file_is_tried_when_one_is_missing() {
	use_fixture init
	kdx_rc 74 ingest "$SAMPLE/2025-10-01_市町村設定.csv" missing.csv "$SAMPLE/2025-10-01_産後ケアDX状況.csv"
	contains "$ERR" 'could not open file "missing.csv": No such file or directory'
	contains "$OUT" "2 loaded, 0 already loaded, 0 rejected, 1 could not be read"
	eq "$(sql "SELECT string_agg(file_name, ',' ORDER BY id) FROM kdx.load_batch")" "2025-10-01_市町村設定.csv,2025-10-01_産後ケアDX状況.csv"
	# a rejected file and a missing one: the missing one decides the status
	kdx_rc 74 ingest "$BAD/17_bad_owner.csv" missing.csv
	contains "$OUT" "0 loaded, 0 already loaded, 1 rejected, 1 could not be read"
}

# Submitter text that Excel would run as a formula is neutralised in every CSV
# made for people; kdx's own values ("-", -5, 12%) are left alone.
test_csv_for_people_carries_no_formulas() {
	use_fixture init
	local h='調査基準日,市町村コード,市町村名,施設番号,施設名,施設種別,設置主体'
	printf '%s\n2025-04-01,442011,大分市,1,A保育所,"=HYPERLINK(""http://x.example/"",""click"")",公立\n2025-04-01,442011,大分市,2,B保育所,保育所,@SUM(A1)\n2025-04-01,442011,大分市,3,C保育所,保育所,-1+1\n' "$h" >inj.csv
	kdx_rc 65 ingest inj.csv
	nothing_loaded
	/usr/bin/python3 - "$KDX_HOME/rejects/inj.csv.reject.csv" <<'PY' || die "reject CSV"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8-sig', newline='')))
vals = [r['値'] for r in rows]
assert vals == ['\'=HYPERLINK("http://x.example/","click")', "'@SUM(A1)", "'-1+1"], vals
for r in rows:
    for v in r.values():
        assert not v or v[0] not in '=+-@\t\r', (v, r)
PY
	# a file named like a formula, in the ledger that staff open in Excel
	cp "$SAMPLE/2025-10-01_市町村設定.csv" "$KDX_HOME/=1+2.csv"
	kdx_rc 0 ingest "$KDX_HOME/=1+2.csv"
	kdx_rc 0 status --format csv --as-of 2025-10-31
	/usr/bin/python3 - "$OUT" <<'PY' || die "status CSV"
import csv, io, sys
rows = list(csv.reader(io.StringIO(sys.argv[1])))
cells = [c for r in rows for c in r]
assert "'=1+2.csv" in cells, cells[:40]
assert not any(c and c[0] in '=+@\t\r' for c in cells), [c for c in cells if c and c[0] in '=+@']
assert not any(c.startswith('-') and c != '-' and not c.lstrip('-').replace('.', '').isdigit() for c in cells)
PY
}
