# The catalogue of bad inputs (tests/bad/cases.tsv), one case per row, so that
# a row that fails hides no other: each file is rejected with exit 65, its
# location and message on stderr and in both reports, its rejection recorded,
# and nothing loaded.

# catalogue_rows: the rows of cases.tsv ("file<TAB>where<TAB>message"), less
# comments and blank lines
catalogue_rows() {
	local file where msg
	while IFS=$'\t' read -r file where msg; do
		case "$file" in '#'*|'') continue ;; esac
		printf '%s\t%s\t%s\n' "$file" "$where" "$msg"
	done <"$BAD/cases.tsv"
}

each_test_bad_input() { catalogue_rows | cut -f1; }

test_bad_input() {
	use_fixture init
	local file where msg
	IFS=$'\t' read -r file where msg < <(catalogue_rows | awk -F'\t' -v f="$1" '$1 == f') || true
	eq "$file" "$1" "the row of $1 in cases.tsv"
	kdx_rc 65 ingest "$BAD/$file"
	contains "$ERR" "file \"$file\" rejected" "stderr of $file"
	contains "$ERR" "$msg" "stderr of $file"
	contains "$ERR" "$where" "stderr of $file"
	local txt="$KDX_HOME/rejects/$file.reject.txt" csv="$KDX_HOME/rejects/$file.reject.csv"
	[ -f "$txt" ] || die "no text report for $file"
	[ -f "$csv" ] || die "no CSV report for $file"
	contains "$(cat "$txt")" "$msg" "text report of $file"
	contains "$(cat "$txt")" "$where" "text report of $file"
	contains "$(cat "$txt")" "修正方法:" "text report of $file"
	csv_field_contains "$csv" 問題 "$msg"
	nothing_loaded
	eq "$(sql "SELECT count(*) FROM kdx.rejection")" 1 "rejections recorded"
}

# The catalogue is whole: 60 rows or more, each naming a file of tests/bad/
# (its case is named after it, so once), and every bad file in a row.
test_bad_input_catalogue() {  # kdx-test: static
	local n=0 file
	while IFS=$'\t' read -r file _; do
		n=$((n + 1))
		[ -f "$BAD/$file" ] || die "cases.tsv names $file, which is not in tests/bad/"
	done < <(catalogue_rows)
	[ "$n" -ge 60 ] || die "only $n bad inputs in the catalogue"
	eq "$(catalogue_rows | cut -f1 | sort -u | wc -l)" "$n" "files named once each in cases.tsv"
	eq "$(cd "$BAD" && ls | grep -v -e '^cases\.tsv$' -e '^make\.py$' | sort)" "$(catalogue_rows | cut -f1 | sort)" "the files of tests/bad/ and the rows of cases.tsv"
}

# A file with several problems lists every one of them, not the first only.
test_every_problem_is_reported() {
	use_fixture init
	printf '%s\n' '調査基準日,市町村コード,市町村名,施設番号,施設名,施設種別,設置主体,統廃合予定,保護者連絡' \
		'2025-04-01,442011,大分市,1,A保育所,保育所,公立,,○' \
		'2025-04-31,442011,大分市,2,B保育所,保育所,公立,,○' \
		'2025-04-01,442012,大分市,3,C保育所,保育所,公立,,○' \
		'2025-04-01,442011,大分市,4,D保育所,保育園,公立,,○' \
		'2025-04-01,442011,大分市,5,E保育所,保育所,公立,,maybe' >multi.csv
	kdx_rc 65 ingest multi.csv
	contains "$ERR" "4 problems"
	local rep; rep=$(cat "$KDX_HOME/rejects/multi.csv.reject.txt")
	contains "$rep" "3行目「調査基準日」列"
	contains "$rep" "4行目「市町村コード」列"
	contains "$rep" "5行目「施設種別」列"
	contains "$rep" "6行目「保護者連絡」列"
	contains "$rep" "値「maybe」"
	# the CSV report has one line per problem plus the header, each with its stable code
	eq "$(tail -n +2 "$KDX_HOME/rejects/multi.csv.reject.csv" | grep -c .)" 4 "CSV report lines"
	local code
	for code in E_DATE_NONEXISTENT E_MUNI_CHECK_DIGIT E_FACILITY_TYPE_UNKNOWN E_FLAG_INVALID; do
		csv_field_contains "$KDX_HOME/rejects/multi.csv.reject.csv" コード "$code"
		# and the text report ends with the count by code
		contains "$(sed -n '/^問題の種類別の件数（コード）:$/,$p' <<<"$rep")" "- $code: 1 件"
	done
	eq "$(tail -n 1 <<<"$rep" | cut -c1-2)" "- " "the text report's last line is a count"
	nothing_loaded
}

# --inbox: every file is processed; accepted ones move to done/, rejected ones
# to rejected/ with their report beside them; exit 65 when any was rejected.
test_inbox_moves_files_and_exits_65() {
	use_fixture init
	mkdir -p inbox
	cp "$SAMPLE/2025-10-01_市町村設定.csv" inbox/a.csv
	cp "$BAD/17_bad_owner.csv" inbox/b.csv
	cp "$SAMPLE/2025-10-01_産後ケアDX状況.csv" inbox/c.csv
	touch -d '2026-01-01 10:00' inbox/a.csv; touch -d '2026-01-01 09:00' inbox/b.csv; touch -d '2026-01-01 11:00' inbox/c.csv
	kdx_rc 65 ingest --inbox
	contains "$OUT" "2 loaded, 0 already loaded, 1 rejected"
	[ -f inbox/done/a.csv ] && [ -f inbox/done/c.csv ] || die "accepted files not in done/"
	[ -f inbox/rejected/b.csv ] && [ -f inbox/rejected/b.csv.reject.txt ] && [ -f inbox/rejected/b.csv.reject.csv ] || die "rejected file or its report missing"
	[ -z "$(ls inbox | grep -v -e done -e rejected)" ] || die "files left in the inbox"
	eq "$(sql "SELECT string_agg(file_name, ',' ORDER BY id) FROM kdx.load_batch")" "a.csv,c.csv" "load order"
	eq "$(sql "SELECT count(*) FROM kdx.nursery_fact")" 0
}

# A row with a bad value is reported once, not also as a missing row.
test_bad_value_is_not_also_a_missing_row() {
	use_fixture init
	kdx_rc 65 ingest "$BAD/05_bad_status.csv"
	contains "$ERR" "rejected: 1 problem, nothing loaded"
	not_contains "$(cat "$KDX_HOME/rejects/05_bad_status.csv.reject.txt")" "の行がありません"
	kdx_rc 65 ingest "$BAD/35_workbook_bad_cell.xlsx"
	contains "$ERR" "rejected: 1 problem, nothing loaded"
	# but a row that is really missing still is
	kdx_rc 65 ingest "$BAD/14_missing_procedures.csv"
	contains "$ERR" "rejected: 2 problems"
	nothing_loaded
}
