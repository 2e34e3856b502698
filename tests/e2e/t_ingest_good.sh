# Good inputs in every encoding and format, no-op reloads, supersession, and
# an interrupted load.

test_sample_loads_in_every_format() {
	use_fixture init
	for f in "$SAMPLE"/*; do kdx_rc 0 ingest "$f"; done
	eq "$(sql "SELECT count(*) FROM kdx.load_batch")" "$(ls "$SAMPLE" | wc -l)" "batches"
	eq "$(sql "SELECT string_agg(DISTINCT encoding, ',' ORDER BY encoding) FROM kdx.load_batch")" "CP932,UTF-8,UTF-8 (BOM),xlsx"
	# every municipality submitted every dataset for 2026-10-01
	eq "$(sql "SELECT count(DISTINCT (dataset, muni_code)) FROM kdx.submission WHERE survey_date = '2026-10-01'")" 108
	# values are kept as written and normalised where coded
	eq "$(sql "SELECT count(*) FROM kdx.club_fact WHERE survey_date = '2025-06-01' AND operation = '民立'")" 21
	eq "$(sql "SELECT survey_date FROM kdx.nursery_fact LIMIT 1")" "2025-04-01"  # 令和7年4月1日 in a CP932 file
	eq "$(sql "SELECT DISTINCT survey_date FROM kdx.club_fact WHERE batch_id = (SELECT id FROM kdx.load_batch WHERE format = 'xlsx' AND file_name LIKE '%クラブ%')")" "2026-10-01"  # a 和暦 date-formatted cell
}

# The fact tables carry no per-row foreign keys (migration 008): every fact row
# still belongs to a batch and to a submission of a master municipality, the
# counts agree, and deleting a batch takes its facts with it.
test_facts_belong_to_batches_and_leave_with_them() {
	use_fixture sample
	local t orphans=0 n
	for t in nursery_fact club_fact procedure_fact platform_fact postpartum_fact setting_fact; do
		n=$(sql "SELECT count(*) FROM kdx.$t f WHERE NOT EXISTS (SELECT 1 FROM kdx.submission s
			WHERE s.batch_id = f.batch_id AND s.muni_code = f.muni_code AND s.survey_date = f.survey_date)
			OR NOT EXISTS (SELECT 1 FROM kdx.municipality m WHERE m.code = f.muni_code)")
		orphans=$((orphans + n))
	done
	eq "$orphans" 0 "fact rows without a submission or a municipality"
	eq "$(sql "SELECT count(*) FROM kdx.load_batch b WHERE b.row_count <> (SELECT coalesce(sum(row_count), 0) FROM kdx.submission s WHERE s.batch_id = b.id)")" 0 "batches whose rows disagree with their submissions"
	local bid rows
	bid=$(sql "SELECT batch_id FROM kdx.nursery_fact GROUP BY batch_id ORDER BY count(*) DESC LIMIT 1")
	rows=$(sql "SELECT count(*) FROM kdx.nursery_fact")
	local mine
	mine=$(sql "SELECT count(*) FROM kdx.nursery_fact WHERE batch_id = $bid")
	[ "$mine" -gt 0 ] || die "batch $bid has no nursery rows"
	sql "DELETE FROM kdx.load_batch WHERE id = $bid" >/dev/null
	eq "$(sql "SELECT count(*) FROM kdx.nursery_fact WHERE batch_id = $bid")" 0 "facts of the deleted batch"
	eq "$(sql "SELECT count(*) FROM kdx.nursery_fact")" "$((rows - mine))" "other batches' facts stay"
}

test_same_content_again_is_a_noop() {
	use_fixture init
	kdx_rc 0 ingest "$SAMPLE/2025-10-01_市町村設定.csv"
	cp "$SAMPLE/2025-10-01_市町村設定.csv" renamed.csv
	kdx_rc 0 ingest renamed.csv
	contains "$OUT" "already loaded as batch"
	contains "$OUT" "nothing changed"
	eq "$(sql "SELECT count(*) FROM kdx.load_batch")" 1
	eq "$(sql "SELECT count(*) FROM kdx.setting_fact")" 18
}

test_newer_file_supersedes_and_history_stays() {
	use_fixture init
	local h='調査基準日,市町村コード,手続番号,状況'
	{ echo "$h"; for i in $(seq -w 1 18); do echo "2025-10-01,442011,N$i,未着手"; done; } >first.csv
	{ echo "$h"; for i in $(seq -w 1 18); do
		if [ "$i" -le 09 ]; then echo "2025-10-01,442011,N$i,電子化済"; else echo "2025-10-01,442011,N$i,未着手"; fi
	  done; } >second.csv
	kdx_rc 0 ingest first.csv
	kdx_rc 0 ingest second.csv
	contains "$OUT" "supersedes 1 earlier submission"
	eq "$(sql "SELECT count(*) FROM kdx.procedure_fact")" 36 "both versions kept for audit"
	# the newer file wins: 9 of 18 digitised
	kdx_rc 0 table procedures --as-of 2025-12-01 --format csv
	contains "$OUT" "442011,大分市,18,9,0.5000,50%,1.00,2028-03-31,未達"
}

test_xlsx_written_by_libreoffice() {
	command -v soffice >/dev/null || die "libreoffice is not installed"
	kdx_rc 0 init --quiet
	cp "$SAMPLE/2026-10-01_保育所等ICT調査.csv" lo.csv
	HOME=$PWD soffice -env:UserInstallation=file://$PWD/lo-profile --headless \
		--infilter="CSV:44,34,76,1" --convert-to xlsx lo.csv >/dev/null 2>&1
	[ -f lo.xlsx ] || die "soffice did not convert"
	kdx_rc 0 ingest lo.xlsx
	kdx_rc 0 ingest "$SAMPLE/2026-10-01_保育所等ICT調査.csv"
	# the same rows arrive through both readers
	eq "$(sql "SELECT count(*) FROM (SELECT muni_code, facility_no, facility_name, type_group, owner, closing, f_contact, f_attendance, f_records, f_cashless, f_other FROM kdx.nursery_fact WHERE batch_id = 1
	          EXCEPT SELECT muni_code, facility_no, facility_name, type_group, owner, closing, f_contact, f_attendance, f_records, f_cashless, f_other FROM kdx.nursery_fact WHERE batch_id = 2) x")" 0 "rows that differ"
	eq "$(sql "SELECT count(*) FROM kdx.nursery_fact WHERE batch_id = 1")" "$(sql "SELECT count(*) FROM kdx.nursery_fact WHERE batch_id = 2")"
}

test_fullwidth_and_halfwidth_kana_are_normalised() {
	use_fixture init
	printf '%s\r\n' '調査基準日,市町村ｺｰﾄﾞ,施設番号,施設名,施設種別,設置主体,保護者連絡' \
		'２０２５／４／１,４４２０１１,１,大分ﾐﾄﾞﾘ保育所,小規模保育事業,公立,〇' \
		'R7.4.1,44201,２,大分ひかり園,　保育所　,公立,×' | iconv -f UTF-8 -t CP932 >wide.csv
	kdx_rc 0 ingest wide.csv
	eq "$(sql "SELECT string_agg(facility_no || ':' || facility_name || ':' || type_group || ':' || f_contact, ' ' ORDER BY facility_no) FROM kdx.nursery_fact")" \
	   "1:大分ミドリ保育所:地域型保育事業:true 2:大分ひかり園:保育所:false"
}

# kill -9 in the middle of a large load leaves no partial batch.
test_kill9_leaves_no_partial_batch() {
	use_fixture init
	/usr/bin/python3 - <<'PY'
import random
with open('big.csv', 'w', encoding='utf-8') as fp:
    fp.write('調査基準日,市町村コード,施設番号,施設名,施設種別,設置主体,保護者連絡\n')
    for i in range(400000):
        fp.write(f'2025-04-01,442011,{i},施設{i},保育所,公立,○\n')
PY
	"$KDX" ingest big.csv >/dev/null 2>&1 &
	local pid=$! n=0
	# wait until rows are streaming into the warehouse
	until [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY%'")" -gt 0 ]; do
		sleep 0.1; n=$((n + 1)); [ $n -lt 300 ] || die "the load never started its COPY"
	done
	kill -9 $pid
	wait $pid 2>/dev/null || true
	n=0
	until [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY%'")" -eq 0 ]; do
		sleep 0.1; n=$((n + 1)); [ $n -lt 300 ] || die "the killed load's session never ended"
	done
	nothing_loaded
	# and the file still loads afterwards
	kdx_rc 0 ingest big.csv
	eq "$(sql "SELECT count(*) FROM kdx.nursery_fact")" 400000
}

# The submission ledger: received, missing, stale, superseded, and what changed.
test_status_ledger() {
	use_fixture init
	kdx_rc 0 ingest "$SAMPLE/2025-04-01_保育所等ICT調査.csv"
	kdx_rc 0 ingest "$SAMPLE/2026-04-01_保育所等ICT調査.xlsx"
	kdx_rc 0 ingest "$SAMPLE/2025-10-01_市町村設定.csv"
	kdx_rc 0 status --as-of 2026-05-01 --format csv
	# received: the 2026-04-01 survey is the one in use
	grep -q '^442143,国東市,保育所等ICT調査,2026-04-01,2026-04-01_保育所等ICT調査.xlsx,.*,受領,0,' <<<"$OUT" || { echo "$OUT" | head; die "国東 nursery not received"; }
	# what changed: 国東 went from 1 to 2 of 4 public nurseries with ICT (tools/gen_sample.py)
	grep '^442143,国東市,保育所等ICT調査,' <<<"$OUT" | grep -q 'ICTなし→ICTあり' || die "the change is not shown"
	# missing: no club survey at all; stale: settings of 2025-10-01 are older than six months on 2026-05-01
	grep -q '^442011,大分市,放課後児童クラブICT調査,,,,未提出,0,' <<<"$OUT" || die "missing clubs not shown"
	grep -q '^442011,大分市,市町村設定,2025-10-01,.*,古い,' <<<"$OUT" || die "stale settings not shown"
	kdx_rc 0 status --as-of 2026-05-01 --missing --format csv
	not_contains "$OUT" ",受領,"
	eq "$(grep -c ',未提出,' <<<"$OUT")" $((18 * 4)) "missing rows (clubs, procedures, platforms, postpartum)"
}

# A spreadsheet drops the leading zero of 北海道's codes (011002 typed as a
# number is 11002; its 5-digit form 01100 becomes 1100).  kdx takes that reading
# when it names one of the council's municipalities; when both readings name
# one (the national view), the file is refused, naming both.
test_codes_that_lost_their_leading_zero() {
	mkdir m
	cp "$ROOT"/data/master/*.csv m/
	printf '010006,北海道\n110001,埼玉県\n' >>m/prefectures.csv
	printf '011002,010006,札幌市,札幌,さっぽろし,1\n012025,010006,函館市,函館,はこだてし,2\n110027,110001,試験市,試験,しけんし,1\n' >>m/municipalities.csv
	kdx_rc 0 init --master m --pref 010006 --quiet
	printf '調査基準日,市町村コード,手続番号,状況\n' >p.csv
	for i in $(seq -w 1 18); do echo "2025-10-01,11002,N$i,未着手" >>p.csv; done
	for i in $(seq -w 1 18); do echo "2025-10-01,1202,N$i,電子化済" >>p.csv; done
	kdx_rc 0 ingest p.csv
	eq "$(sql "SELECT string_agg(DISTINCT muni_code, ' ' ORDER BY muni_code) FROM kdx.procedure_fact")" "011002 012025"
	eq "$(sql "SELECT count(*) FROM kdx.procedure_fact WHERE muni_code = '012025' AND status = '電子化済'")" 18
	# the national view: 11002 is also 110027 (試験市, 埼玉県)
	sed 's/,1202,/,12025,/' p.csv | sed 's/2025-10-01/2025-11-01/' >q.csv
	KDX_COUNCIL=000000 kdx_rc 65 ingest q.csv
	contains "$ERR" "市町村コード「11002」は 110027（試験市）とも 011002（札幌市）とも読めます"
	contains "$(cat "$KDX_HOME"/rejects/q.csv.reject.txt)" "6 桁（検査数字を含む）で入力してください"
	eq "$(sql "SELECT count(*) FROM kdx.procedure_fact WHERE survey_date = '2025-11-01'")" 0 "nothing of the refused file loaded"
	eq "$(sql "SELECT count(*) FROM kdx.load_batch")" 1
}

# A file that can only be read once (a pipe, /dev/stdin) loads as the file does:
# kdx keeps a private copy to read it twice (digest and encoding, then the rows).
test_input_from_a_pipe() {
	use_fixture init
	local f="$SAMPLE/2025-04-01_保育所等ICT調査.csv"
	kdx_rc 0 ingest --quiet <(cat "$f")
	eq "$(sql "SELECT count(*) FROM kdx.nursery_fact")" "$(($(wc -l <"$f") - 1))" "rows loaded from a pipe"
	eq "$(sql "SELECT sha256 FROM kdx.load_batch")" "$(sha256sum "$f" | cut -d' ' -f1)" "digest of the piped bytes"
	# the same bytes from the file itself change nothing
	kdx_rc 0 ingest "$f"
	contains "$OUT" "already loaded"
	# a CP932 file through /dev/stdin
	kdx_rc 0 init --quiet
	tail -c +4 "$SAMPLE/2025-06-01_放課後児童クラブICT調査.csv" | iconv -f UTF-8 -t CP932 >cp932.csv  # without its BOM
	kdx_rc 0 ingest /dev/stdin <cp932.csv
	eq "$(sql "SELECT encoding FROM kdx.load_batch WHERE file_name = 'stdin'")" CP932 "encoding"
}

# 手続名 instead of 手続番号: "category name" as the template writes it, with or
# without the space, or the name alone where only one procedure has it.
test_procedures_named_instead_of_numbered() {
	use_fixture init
	# every new procedure of the master list, by name (the bad catalogue's file less its last row)
	head -n 19 "$BAD/39_ambiguous_procedure_name.csv" >named.csv
	sed -i -e '3s/児童扶養手当 証書亡失の届出/児童扶養手当証書亡失の届出/' -e '4s/こども医療費助成 受給資格登録申請/受給資格登録申請/' named.csv
	kdx_rc 0 ingest named.csv
	eq "$(sql "SELECT count(*) FROM kdx.procedure_fact")" 18 "procedures loaded"
	eq "$(sql "SELECT string_agg(f.proc_id, ',' ORDER BY f.proc_id) FROM kdx.procedure_fact f")" \
		"$(grep ',N,' "$ROOT/data/master/procedures.csv" | cut -d, -f1 | sort | paste -sd,)" "procedures named"
}
