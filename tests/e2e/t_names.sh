# Names and limits from outside: a file name with a newline or bytes that are
# not UTF-8, a device or an endless pipe where a file is expected, a cell past
# Excel's last row or column, master data that would make bad file names, a
# SIGTERM in the middle of a run, and the PNG files kdx writes.

# A name whose newlines would forge a kdx error line and a journald emergency
# line, were it printed as it is.
FORGED=$'x\nkdx: error: FORGED\n<0>EMERGENCY.csv'
# ... and as kdx shows it: the control characters escaped
FORGED_SHOWN='x\nkdx: error: FORGED\n<0>EMERGENCY.csv'

# no_forged_line TEXT WHAT: no line of TEXT (perhaps after kdx's own journald
# priority) is one that a file name made
no_forged_line() {
	local bad
	bad=$(grep -nE '^(<[0-9]>)?(kdx: error: FORGED|<0>|EMERGENCY)' <<<"$1" || true)
	[ -z "$bad" ] || { echo "$1"; die "$2 has a line made by a file name: $bad"; }
}

# json_ok FILE: the file is one valid JSON document (Python's reader)
json_ok() {
	/usr/bin/python3 -m json.tool "$1" >/dev/null || { cat -v "$1"; die "$1 is not valid JSON"; }
}

# master_tables: a digest of every master table, to show that nothing changed
master_tables() {
	sql "SELECT md5(string_agg(x, '|' ORDER BY x)) FROM (
	       SELECT 'p' || t::text AS x FROM kdx.prefecture t UNION ALL SELECT 'm' || t::text FROM kdx.municipality t
	       UNION ALL SELECT 'r' || t::text FROM kdx.procedure t UNION ALL SELECT 'g' || t::text FROM kdx.goal t
	       UNION ALL SELECT 'i' || t::text FROM kdx.goal_item t UNION ALL SELECT 'c' || t::text FROM kdx.council t) s"
}

# A file name with newlines forges no line: not on stderr (with or without
# journald's priorities), not on stdout, not in the notification, not in
# --json; the name is shown and stored with its control characters escaped.
test_a_newline_in_a_file_name_forges_no_line() {
	kdx_rc 0 init --quiet
	mkdir -p inbox
	cp "$BAD/17_bad_owner.csv" "inbox/$FORGED"
	cp "$SAMPLE/2025-10-01_市町村設定.csv" "inbox/ok"$'\n''kdx: error: FORGED.csv'
	: >run.err
	set +e
	KDX_PROGRESS=1 KDX_NOTIFY_COMMAND='cat >"$KDX_HOME/notify.txt"' JOURNAL_STREAM=$(stat -c %d:%i run.err) \
		"$KDX" run nightly >run.out 2>>run.err
	local rc=$?
	set -e
	local out err; out=$(cat run.out); err=$(cat run.err)
	eq "$rc" 65 "exit status of the nightly run"
	# every line on stderr carries kdx's own priority, and none was made by the name
	[ -z "$(grep -vE '^<[3-6]>' run.err)" ] || { cat -A run.err; die "a line on stderr without kdx's priority"; }
	no_forged_line "$err" "stderr (journald)"
	no_forged_line "$out" "stdout"
	contains "$err" "<3>kdx: error: file \"$FORGED_SHOWN\" rejected"
	contains "$err" 'loaded ok\nkdx: error: FORGED.csv'
	no_forged_line "$(cat notify.txt)" "the notification"
	contains "$(cat notify.txt)" "- $FORGED_SHOWN: "
	eq "$(sql "SELECT file_name FROM kdx.load_batch")" 'ok\nkdx: error: FORGED.csv' "the stored name"
	eq "$(sql "SELECT file_name FROM kdx.rejection")" "$FORGED_SHOWN" "the rejection's name"
	eq "$(sql "SELECT count(*) FROM kdx.load_batch WHERE file_name ~ '[[:cntrl:]]' OR file_path ~ '[[:cntrl:]]'")" 0 "names with control characters"
	[ -e "inbox/rejected/$FORGED" ] || die "the rejected file did not move to inbox/rejected/ under its own name"
	[ -z "$(find . -name '*[[:cntrl:]]*.reject.*')" ] || die "kdx made a file name with control characters"
	# kdx ingest of the name itself: text, then --json
	cp "$BAD/17_bad_owner.csv" "$FORGED"
	kdx_rc 65 ingest "$FORGED"
	no_forged_line "$ERR" "stderr of kdx ingest"
	contains "$ERR" "kdx: error: file \"$FORGED_SHOWN\" rejected"
	contains "$ERR" "detail: $FORGED_SHOWN: "
	kdx_rc 65 ingest --json "$FORGED"
	echo "$OUT" >ingest.json
	json_ok ingest.json
	/usr/bin/python3 - ingest.json "$FORGED_SHOWN" <<'PY' || die "the name in --json"
import json, sys
d = json.load(open(sys.argv[1]))
assert d['files'][0]['file'] == sys.argv[2], d
assert d['files'][0]['outcome'] == 'rejected', d
PY
}

# A file name that is not UTF-8 (Latin-1 café) is loaded with the good files
# beside it: stored and shown with the byte escaped, --json stays valid.
test_a_file_name_that_is_not_utf8_is_loaded_with_the_others() {
	kdx_rc 0 init --quiet
	mkdir -p inbox
	cp "$SAMPLE/2025-04-01_保育所等ICT調査.csv" inbox/$'caf\xe9.csv'
	cp "$SAMPLE/2025-10-01_市町村設定.csv" inbox/
	cp "$SAMPLE/2025-10-01_産後ケアDX状況.csv" inbox/
	cp "$BAD/17_bad_owner.csv" inbox/$'r\xe9ject\xff.csv'
	kdx_rc 65 run nightly --json
	echo "$OUT" >run.json
	json_ok run.json
	contains "$OUT" '"loaded":3'
	contains "$OUT" '"rejected":1'
	not_contains "$ERR" "invalid byte sequence"
	contains "$ERR" 'kdx: error: file "r\xe9ject\xff.csv" rejected'
	eq "$(sql "SELECT string_agg(file_name, ',' ORDER BY file_name) FROM kdx.load_batch")" \
		'2025-10-01_市町村設定.csv,2025-10-01_産後ケアDX状況.csv,caf\xe9.csv' "stored names"
	eq "$(sql "SELECT file_name FROM kdx.rejection")" 'r\xe9ject\xff.csv' "the rejection's name"
	eq "$(sql "SELECT count(*) FROM kdx.nursery_fact")" "$(sql "SELECT row_count FROM kdx.load_batch WHERE file_name = 'caf\\xe9.csv'")" "nursery rows"
	eq "$(sql "SELECT status FROM kdx.job_run")" "rejected-files" "the run's record"
	[ -e inbox/done/$'caf\xe9.csv' ] || die "the file did not move to done/ under its own name"
	[ -e "rejects/r\\xe9ject\\xff.csv.reject.txt" ] || { ls rejects; die "no reject report under the shown name"; }
	# the same file again, by its name: already loaded, and valid JSON
	kdx_rc 0 ingest --json inbox/done/$'caf\xe9.csv'
	echo "$OUT" >again.json
	json_ok again.json
	/usr/bin/python3 - again.json <<'PY' || die "the name in --json"
import json, sys
d = json.load(open(sys.argv[1]))
f = d['files'][0]
assert f['file'] == 'caf\\xe9.csv' and f['outcome'] == 'already-loaded', d
PY
	kdx_rc 0 ingest inbox/done/$'caf\xe9.csv'
	contains "$OUT" 'skipped caf\xe9.csv: already loaded as batch'
	kdx_rc 0 status --format json --as-of 2025-12-31
	echo "$OUT" >status.json
	json_ok status.json
	contains "$OUT" 'caf\\xe9.csv'
	kdx_rc 0 jobs --json
	echo "$OUT" >jobs.json
	json_ok jobs.json
}

# A device is not a file: kdx ingest /dev/zero is refused at once, copies
# nothing, and the other files are still loaded.
test_ingest_refuses_a_device() {
	kdx_rc 0 init --quiet
	mkdir tmp
	# were the device read, a small file system ends it rather than the disk
	mount -t tmpfs -o size=16m tmpfs tmp || die "cannot mount a small file system for the test"
	set +e
	TMPDIR="$KDX_HOME/tmp" timeout 120 "$KDX" ingest /dev/zero "$SAMPLE/2025-10-01_市町村設定.csv" >i.out 2>i.err
	local rc=$?
	local used; used=$(df -k --output=used tmp | tail -1)
	set -e
	umount tmp
	cat i.err
	eq "$rc" 74 "exit status"
	contains "$(cat i.err)" 'kdx: error: cannot read "/dev/zero": it is a character device, not a file or a pipe'
	contains "$(cat i.err)" 'hint: '
	contains "$(cat i.out)" "1 loaded, 0 already loaded, 0 rejected, 1 could not be read"
	[ "$used" -lt 1024 ] || die "kdx copied $used KiB of the device"
	# a folder is not a file either
	mkdir adir
	kdx_rc 74 ingest adir
	contains "$ERR" 'kdx: error: cannot read "adir": it is a folder, not a file or a pipe'
}

# What a pipe brings is copied to a temporary file only up to a limit (1 GiB):
# an endless one is refused, and its copy is gone.
test_a_pipe_is_spooled_up_to_a_limit() {  # kdx-test: slow
	kdx_rc 0 init --quiet
	mkdir tmp
	set +e
	# bounded for the code before the limit: 1.2 GiB, not an endless yes
	yes | head -c 1200M | TMPDIR="$KDX_HOME/tmp" timeout 300 "$KDX" ingest /dev/stdin >i.out 2>i.err
	local rc=$?
	set -e
	cat i.err
	eq "$rc" 74 "exit status"
	contains "$(cat i.err)" 'kdx: error: could not read "/dev/stdin": a pipe may bring at most 1024 MiB'
	contains "$(cat i.err)" 'hint: Save the data to a file and load the file.'
	eq "$(ls -A tmp | wc -l)" 0 "temporary files left"
	nothing_loaded
	# a pipe within the limit is loaded
	kdx_rc 0 ingest <(cat "$SAMPLE/2025-10-01_市町村設定.csv")
	eq "$(sql "SELECT count(*) FROM kdx.load_batch WHERE file_path LIKE '/dev/fd/%' AND file_mtime IS NULL")" 1 "batches from a pipe"
}

# edit_sheet SRC DST PART PYTHON: copy an .xlsx, editing one part's XML text (x)
edit_sheet() {
	/usr/bin/python3 - "$1" "$2" "$3" "$4" <<'PY'
import re, sys, zipfile
src, dst, part, edit = sys.argv[1:5]
with zipfile.ZipFile(src) as zi, zipfile.ZipFile(dst, 'w', zipfile.ZIP_DEFLATED) as zo:
    for info in zi.infolist():
        data = zi.read(info.filename)
        if info.filename == part:
            x = data.decode('utf-8')
            y = eval(edit)
            assert y != x, 'the edit changed nothing'
            data = y.encode('utf-8')
        zo.writestr(info, data)
PY
}

# A row past Excel's last row (1048576) or a cell past its last column (XFD)
# is refused, naming the cell; nothing is loaded.
test_xlsx_cells_past_the_last_row_or_column_are_refused() {
	kdx_rc 0 init --quiet
	local wb="$SAMPLE/2026-10-01_442011_大分市.xlsx"
	# the optional PMH母子保健 row (row 6 of 基盤導入) moved past the last row
	edit_sheet "$wb" row.xlsx xl/worksheets/sheet2.xml \
		"re.sub(r'(<row r=\")6(\")|(r=\"[A-F])6(\")', lambda m: (m.group(1) or m.group(3)) + '1048577' + (m.group(2) or m.group(4)), x)"
	kdx_rc 65 ingest row.xlsx
	contains "$ERR" '基盤導入!A1048577'
	contains "$ERR" "Excel"
	nothing_loaded
	contains "$(cat "$KDX_HOME/rejects/row.xlsx.reject.txt")" '基盤導入!A1048577'
	contains "$(cat "$KDX_HOME/rejects/row.xlsx.reject.txt")" '1048576'
	csv_field_contains "$KDX_HOME/rejects/row.xlsx.reject.csv" セル '基盤導入!A1048577'
	# a cell past column XFD in row 2
	edit_sheet "$wb" col.xlsx xl/worksheets/sheet2.xml \
		"x.replace('</row><row r=\"3\">', '<c r=\"XFE2\" t=\"inlineStr\"><is><t>x</t></is></c></row><row r=\"3\">', 1)"
	kdx_rc 65 ingest col.xlsx
	contains "$ERR" '基盤導入!XFE2'
	nothing_loaded
	contains "$(cat "$KDX_HOME/rejects/col.xlsx.reject.txt")" 'XFD'
	# a reference of many letters (which once overflowed), cut in the message
	edit_sheet "$wb" long.xlsx xl/worksheets/sheet2.xml "x.replace('r=\"A3\"', 'r=\"' + 'A' * 60 + '3\"', 1)"
	kdx_rc 65 ingest long.xlsx
	contains "$ERR" '基盤導入!AAAAAAAAAAAAAAAAAAAAA...'
	nothing_loaded
	# cells without references, in a row past the last: the cell is named all the same
	edit_sheet "$wb" noref.xlsx xl/worksheets/sheet2.xml \
		"re.sub(r' r=\"[A-Z]+[0-9]+\"', '', x).replace('<row r=\"6\">', '<row r=\"1048577\">')"
	kdx_rc 65 ingest noref.xlsx
	contains "$ERR" '基盤導入!A1048577'
	nothing_loaded
	# the workbook itself loads
	kdx_rc 0 ingest "$wb"
}

# Master data whose municipality name would become a bad file name (a slash,
# "..", a newline) is refused at init with exit 65, naming the file, the line
# and the value; the warehouse's master tables are as they were.
# A master data file that is a device (here a link to /dev/zero) is refused
# unopened, as ingest refuses one, instead of being read until memory runs out.
test_master_data_file_that_is_a_device_is_refused() {
	cp -r "$ROOT/data/master" m
	ln -sf /dev/zero m/goals.csv
	timeout 60 "$KDX" init --master m >out.txt 2>err.txt && die "kdx init read a device as goals.csv"
	contains "$(cat err.txt)" 'cannot read "m/goals.csv": it is a character device, not a file or a pipe'
	eq "$(sql "SELECT count(*) FROM kdx.municipality")" 0 "municipalities after a refused first init"
}

test_master_data_with_an_unsafe_name_is_refused_at_init() {
	# a first init on an empty warehouse, with a slash in a short name
	cp -r "$ROOT/data/master" m
	sed -i 's|^442020,440001,別府市,別府,|442020,440001,別府市,別/府,|' m/municipalities.csv
	kdx_rc 65 init --master m
	contains "$ERR" 'kdx: error: master data file "m/municipalities.csv", line 3: column "short_name" contains a slash'
	contains "$ERR" '"別/府"'
	eq "$(sql "SELECT count(*) FROM kdx.municipality")" 0 "municipalities after a refused first init"
	# then over the shipped master data
	kdx_rc 0 init --quiet
	local before; before=$(master_tables)
	local name line
	for name in '大分/市' '..' $'大分\n市' '別府..' ; do
		rm -rf m && cp -r "$ROOT/data/master" m
		# line 3 is 別府市's (line 1 is the header)
		/usr/bin/python3 - m/municipalities.csv "$name" <<'PY'
import csv, sys
path, name = sys.argv[1:3]
rows = list(csv.reader(open(path, encoding='utf-8', newline='')))
assert rows[2][2] == '別府市', rows[2]
rows[2][2] = name
with open(path, 'w', encoding='utf-8', newline='') as fp:
    csv.writer(fp, lineterminator='\n').writerows(rows)
PY
		kdx_rc 65 init --master m
		line=$(printf '%s' "$ERR" | head -1)
		contains "$line" 'kdx: error: master data file "m/municipalities.csv", line 3: column "name"'
		contains "$ERR" "detail: "
		contains "$ERR" "hint: Correct line 3 of m/municipalities.csv"
		no_forged_line "$ERR" "stderr"
		[ "$(grep -c '' <<<"$ERR")" -eq 3 ] || die "the message is not three lines: $ERR"
		eq "$(master_tables)" "$before" "master tables after a refused init"
	done
	contains "$ERR" '"別府.."'
	contains "$(sql "SELECT string_agg(name, ',') FROM kdx.municipality WHERE code = '442020'")" "別府市"
}

# wait_line FILE TEXT: poll until a line of FILE holds TEXT (2 minutes at most)
wait_line() {
	local n=0
	until grep -qF -- "$2" "$1"; do
		sleep 0.05; n=$((n + 1)); [ $n -lt 2400 ] || { cat "$1"; die "never said: $2"; }
	done
}

# check_interrupted ERRFILE RC ID: run ID is recorded interrupted, with when
# and why, no run is left running and none other ran; the process said so and
# ended by the signal
check_interrupted() {
	cat "$1"
	eq "$2" 143 "exit status (ended by SIGTERM)"
	contains "$(cat "$1")" "kdx: error: job run $3 was interrupted by SIGTERM"
	eq "$(sql "SELECT count(*) FROM kdx.job_run")" "$3" "job runs"
	eq "$(sql "SELECT status FROM kdx.job_run WHERE id = $3")" "interrupted" "the run's status"
	eq "$(sql "SELECT finished_at IS NOT NULL FROM kdx.job_run WHERE id = $3")" "t" "the run's end"
	contains "$(sql "SELECT message FROM kdx.job_run WHERE id = $3")" "SIGTERM"
	contains "$(sql "SELECT message FROM kdx.job_run WHERE id = $3")" "中断"
	kdx_rc 0 jobs --json
	not_contains "$OUT" '"status":"running"'
	not_contains "$ERR" "had been interrupted"
}

# SIGTERM (systemctl stop, a shutdown) in the middle of a monthly run: the run
# is recorded interrupted on the way out, not left running until the next run.
test_sigterm_marks_the_run_interrupted() {  # kdx-test: slow
	kdx_rc 0 init --quiet
	mkdir -p inbox
	cp "$SAMPLE"/* inbox/
	# while it loads the inbox
	set +e
	KDX_PROGRESS=1 "$KDX" run monthly --as-of 2026-11-30 >r1.out 2>r1.err &
	local job=$!
	wait_line r1.err "kdx run: ["
	kill -TERM $job
	wait $job
	local rc=$?
	set -e
	check_interrupted r1.err "$rc" 1
	# while it writes the reports
	set +e
	KDX_PROGRESS=1 "$KDX" run monthly --as-of 2026-11-30 >r2.out 2>r2.err &
	job=$!
	wait_line r2.err "reports into"
	kill -TERM $job
	wait $job
	rc=$?
	set -e
	check_interrupted r2.err "$rc" 2
	eq "$(find out -name '*.tmp*' | wc -l)" 0 "unfinished files"
}

# png_check FILE...: every chunk's CRC (Python's zlib), IEND last, and
# pngcheck's own reading
png_check() {
	/usr/bin/python3 - "$@" <<'PY' || die "a PNG failed the CRC check"
import struct, sys, zlib
for path in sys.argv[1:]:
    data = open(path, 'rb').read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n', path
    i, last = 8, None
    while i < len(data):
        n, = struct.unpack('>I', data[i:i + 4])
        kind = data[i + 4:i + 8]
        body = data[i + 8:i + 8 + n]
        crc, = struct.unpack('>I', data[i + 8 + n:i + 12 + n])
        assert crc == zlib.crc32(kind + body), (path, kind, hex(crc), hex(zlib.crc32(kind + body)))
        last = kind
        i += 12 + n
    assert i == len(data) and last == b'IEND', (path, last)
PY
	pngcheck -q "$@" || die "pngcheck refused a PNG"
}

# Every PNG kdx writes (the charts of a monthly run, and their copies in the
# snapshot) passes a strict reader: every chunk's CRC, IEND's included.
test_every_png_passes_a_strict_reader() {  # kdx-test: slow
	kdx_rc 0 init --quiet
	mkdir -p inbox
	cp "$SAMPLE"/* inbox/
	kdx_rc 0 run monthly --as-of 2026-11-30 --quiet
	local pngs; pngs=$(find out -name '*.png' | sort)
	[ "$(wc -l <<<"$pngs")" -ge 6 ] || die "too few charts: $pngs"
	png_check $pngs
	mkdir bag
	tar -xzf "$(ls archive/2026-11-30/*.tar.gz | head -1)" -C bag
	local archived; archived=$(find bag -name '*.png' | sort)
	[ "$(wc -l <<<"$archived")" -ge 6 ] || die "too few archived charts: $archived"
	png_check $archived
}
