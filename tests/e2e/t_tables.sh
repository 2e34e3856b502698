# The adoption tables (SPEC §2, §5).  Expected values are worked out by hand
# from the rules and the seed document, never taken from kdx's own output.

# nursery_file FILE DATE "code no type owner closing ict" ...
nursery_file() {
	local f=$1 d=$2; shift 2
	echo '調査基準日,市町村コード,施設番号,施設名,施設種別,設置主体,統廃合予定,保護者連絡' >"$f"
	for r in "$@"; do
		set -- $r
		echo "$d,$1,$2,施設$2,$3,$4,$5,$6" >>"$f"
	done
}
# club_file FILE DATE CODE TOTAL WITH_ICT
club_file() {
	local f=$1 d=$2 code=$3 total=$4 ict=$5 i
	echo '調査基準日,市町村コード,クラブ番号,クラブ名,運営形態,入退室管理' >"$f"
	for i in $(seq 1 "$total"); do echo "$d,$code,$i,第${i}クラブ,公営,$([ "$i" -le "$ict" ] && echo ○)" >>"$f"; done
}
row_of() { grep "^$1," <<<"$OUT" || die "no row for $1"; }

test_seed_tables_reproduced() {
	use_fixture sample
	# 公立保育所等のICTシステム導入率（令和7年4月時点）, the seed's table, in SPEC §2's column order
	local seed_nursery="80% 100% 100% 100% 100% 83% 100% - 100% - 0% 0% 0% - 25% 0% - 100% -"
	local seed_clubs="48% 50% 71% 48% 100% 13% 40% 33% 33% 25% 70% 5% 33% 67% 45% 0% 22% 40% 33%"
	kdx_rc 0 table nursery --as-of 2025-04-01 --format csv
	eq "$(head -1 <<<"$OUT")" "code,name,denominator,numerator,rate,display,target,deadline,status"
	eq "$(tail -n +2 <<<"$OUT" | /usr/bin/python3 -c 'import csv,sys; print(" ".join(r[5] for r in csv.reader(sys.stdin)))')" "$seed_nursery" "nursery table"
	# 49 public facilities, 全体 80% (the seed's 現状)
	eq "$(row_of 440001 | cut -d, -f3)" 49 "public facilities in scope"
	eq "$(row_of 440001 | cut -d, -f2)" "全体"
	eq "$(sed -n 2p <<<"$OUT" | cut -d, -f1)" 440001 "全体 comes first"
	kdx_rc 0 table clubs --as-of 2025-06-01 --format csv
	eq "$(tail -n +2 <<<"$OUT" | /usr/bin/python3 -c 'import csv,sys; print(" ".join(r[5] for r in csv.reader(sys.stdin)))')" "$seed_clubs" "clubs table"
	# the municipalities in code order
	eq "$(tail -n +3 <<<"$OUT" | cut -d, -f1 | tr '\n' ' ')" "442011 442020 442038 442046 442054 442062 442071 442089 442097 442101 442119 442127 442135 442143 443221 443417 444618 444626 "
}

test_half_up_display() {
	use_fixture init
	# 1/8 = 12.5% -> 13%; 5/11 = 45.45% -> 45%; 2/3 = 66.67% -> 67%
	eq "$(sql "SELECT kdx.pct_display(1, 8) || ' ' || kdx.pct_display(5, 11) || ' ' || kdx.pct_display(2, 3) || ' ' || kdx.pct_display(0, 0)")" "13% 45% 67% -"
	club_file c.csv 2025-06-01 442011 8 1
	kdx_rc 0 ingest c.csv
	kdx_rc 0 table clubs --as-of 2025-06-01 --format csv
	eq "$(row_of 442011)" "442011,大分市,8,1,0.1250,13%,0.80,2028-03-31,未達"
}

test_exact_fraction_decides_and_what_is_left() {
	use_fixture init
	# 39/49 = 79.59% displays 80% but is 未達 against 80%; left: ceil(0.8*49) - 39 = 40 - 39 = 1
	club_file c.csv 2025-06-01 442020 49 39
	kdx_rc 0 ingest c.csv
	kdx_rc 0 table clubs --as-of 2025-06-01 --format json
	/usr/bin/python3 - "$OUT" <<'PY' || die "json row"
import json, sys
rows = {r['code']: r for r in json.loads(sys.argv[1])}
r = rows['442020']
assert (r['display'], r['status'], r['remaining'], r['rate']) == ('80%', '未達', 1, 0.7959), r
assert rows['442011']['status'] == '未提出' and rows['442011']['display'] == '-'
# 未提出 stays out of 全体
assert (rows['440001']['denominator'], rows['440001']['numerator']) == (49, 39), rows['440001']
PY
}

test_deadline_boundaries_and_special_circumstances() {
	use_fixture init
	nursery_file n.csv 2026-04-01 "442011 1 保育所 公立 - ○" "442011 2 保育所 公立 - ×" \
		"442143 1 保育所 公立 - ×"
	sed -i 's/,-,/,,/' n.csv
	printf '調査基準日,市町村コード,保育所特別な事情\n2026-04-01,442143,有\n2026-04-01,442011,無\n' >s.csv
	kdx_rc 0 ingest n.csv
	kdx_rc 0 ingest s.csv
	# the R8 deadline (2027-03-31) has not passed on its day, and has the next day
	kdx_rc 0 table nursery --as-of 2027-03-31 --format csv
	eq "$(row_of 442011 | cut -d, -f8,9)" "2027-03-31,未達"
	kdx_rc 0 table nursery --as-of 2027-04-01 --format csv
	eq "$(row_of 442011 | cut -d, -f8,9)" "2027-03-31,期限超過"
	# 国東 has 特別な事情: its deadline is the end of R9
	eq "$(row_of 442143 | cut -d, -f8,9)" "2028-03-31,未達"
}

test_as_of_picks_latest_survey_and_flags_stale() {
	use_fixture init
	club_file a.csv 2025-04-01 442011 10 2
	club_file b.csv 2026-04-01 442011 10 9
	kdx_rc 0 ingest a.csv
	kdx_rc 0 ingest b.csv
	kdx_rc 0 table clubs --as-of 2025-03-31 --format csv
	eq "$(row_of 442011 | cut -d, -f6,9)" "-,未提出"
	kdx_rc 0 table clubs --as-of 2026-03-31 --format csv
	eq "$(row_of 442011 | cut -d, -f4,6)" "2,20%"
	kdx_rc 0 table clubs --as-of 2026-04-01 --format csv
	eq "$(row_of 442011 | cut -d, -f4,6,9)" "9,90%,達成"
	# stale: more than six calendar months before the as-of
	kdx_rc 0 table clubs --as-of 2026-10-01 --format json
	eq "$(/usr/bin/python3 -c 'import json,sys; r=[x for x in json.loads(sys.argv[1]) if x["code"]=="442011"][0]; print(r["stale"], r["change"], r["previous_display"])' "$OUT")" "False +70pt 20%"
	kdx_rc 0 table clubs --as-of 2026-10-02 --format json
	eq "$(/usr/bin/python3 -c 'import json,sys; print([x for x in json.loads(sys.argv[1]) if x["code"]=="442011"][0]["stale"])' "$OUT")" "True"
}

test_rank_shares_ties() {
	use_fixture init
	club_file a.csv 2025-06-01 442011 4 4   # 100%
	club_file b.csv 2025-06-01 442020 2 1   # 50%
	club_file c.csv 2025-06-01 442038 4 2   # 50%
	club_file d.csv 2025-06-01 442046 4 1   # 25%
	for f in a b c d; do kdx_rc 0 ingest $f.csv; done
	kdx_rc 0 table clubs --as-of 2025-06-01 --format json
	eq "$(/usr/bin/python3 -c 'import json,sys; print(" ".join(str(x["rank"]) for x in json.loads(sys.argv[1])[1:5]))' "$OUT")" "1 2 2 4"
}

test_pmh_exemptions_and_platform_rule() {
	use_fixture init
	{ echo '調査基準日,市町村コード,基盤,状況'
	  echo '2026-10-01,442011,保育業務施設管理PF,類似システム導入済'
	  echo '2026-10-01,442011,保活情報連携基盤,導入済'
	  echo '2026-10-01,442011,PMH医療費助成,導入済'
	  echo '2026-10-01,442011,PMH予防接種,特例対象外'
	  echo '2026-10-01,442020,保育業務施設管理PF,導入済'
	  echo '2026-10-01,442020,保活情報連携基盤,未定'
	  echo '2026-10-01,442020,PMH医療費助成,特例対象外'
	  echo '2026-10-01,442020,PMH予防接種,特例対象外'
	  echo '2026-10-01,442020,PMH母子保健,導入済'; } >p.csv
	kdx_rc 0 ingest p.csv
	kdx_rc 0 table platforms --as-of 2026-11-01 --format csv
	# 類似システム導入済 counts as 導入済
	eq "$(row_of 442011 | cut -d, -f3,4,9)" "2,2,達成"
	eq "$(row_of 442020 | cut -d, -f3,4,9)" "2,1,未達"
	kdx_rc 0 table pmh --as-of 2026-11-01 --format csv
	# one area exempt: 1 of 1; both exempt: 対象外 (母子保健 is not part of the target)
	eq "$(row_of 442011 | cut -d, -f3,4,6,9)" "1,1,100%,達成"
	eq "$(row_of 442020 | cut -d, -f3,4,6,9)" "0,0,-,対象外"
}

test_postpartum_rule_and_n08_cross_check() {
	use_fixture init
	pp() { # code online approval usage billing
		local i s
		for i in オンライン申請:$2 承認通知の電子化:$3 空き状況のWeb確認:未実施 オンライン予約:未実施 利用実績のシステム管理:$4 集計・請求の自動化:$5; do
			echo "2026-10-01,$1,${i%%:*},${i##*:}"
		done
	}
	{ echo '調査基準日,市町村コード,項目,状況'
	  pp 442011 実施済 実施済 未実施 未実施     # online + one: achieved, 2/6
	  pp 442020 実施済 未実施 未実施 未実施     # online only: not achieved, 1 left
	  pp 442038 未実施 実施済 実施済 実施済; } >pp.csv   # no online: not achieved
	kdx_rc 0 ingest pp.csv
	kdx_rc 0 table postpartum --as-of 2026-11-01 --format json
	/usr/bin/python3 - "$OUT" <<'PY' || die "postpartum rule"
import json, sys
r = {x['code']: x for x in json.loads(sys.argv[1])}
assert (r['442011']['status'], r['442011']['numerator'], r['442011']['denominator']) == ('達成', 2, 6), r['442011']
assert (r['442020']['status'], r['442020']['remaining']) == ('未達', 1), r['442020']
assert (r['442038']['status'], r['442038']['numerator']) == ('未達', 3), r['442038']
assert r['440001']['achieved_count'] == 1 and r['440001']['in_scope_count'] == 3, r['440001']
PY
	# N08 digitised while オンライン申請 is not done: a data-quality finding
	{ echo '調査基準日,市町村コード,手続番号,状況'
	  for i in $(seq -w 1 18); do echo "2026-10-01,442038,N$i,電子化済"; done; } >proc.csv
	kdx_rc 0 ingest proc.csv
	eq "$(sql "SELECT count(*) FROM kdx.quality_findings('2026-11-01') WHERE code = '442038' AND kind = '整合性'")" 1
	eq "$(sql "SELECT count(*) FROM kdx.quality_findings('2026-11-01') WHERE kind = '整合性'")" 1
}

test_scope_rules_and_own_target() {
	use_fixture init
	# public in scope: 1 (保育所) + 1 (小規模) ; out: closing, 幼稚園, 認可外, private
	nursery_file n.csv 2026-04-01 "442011 1 保育所 公立 _ ○" "442011 2 小規模保育事業所 公立 _ ×" \
		"442011 3 保育所 公立 予定 ×" "442011 4 幼稚園 公立 _ ○" "442011 5 認可外保育施設 公立 _ ×" \
		"442011 6 保育所 私立 _ ×" "442011 7 幼保連携型認定こども園 私立 _ ○"
	sed -i 's/,_,/,,/' n.csv
	printf '調査基準日,市町村コード,民間保育所を独自目標に含める\n2026-04-01,442011,有\n' >s.csv
	kdx_rc 0 ingest n.csv
	kdx_rc 0 ingest s.csv
	kdx_rc 0 table nursery --as-of 2026-05-01 --format json
	/usr/bin/python3 - "$OUT" <<'PY' || die "scope"
import json, sys
r = {x['code']: x for x in json.loads(sys.argv[1])}
m = r['442011']
# joint goal: public, not closing, in-scope types -> 2, of which 1 with ICT
assert (m['denominator'], m['numerator'], m['remaining']) == (2, 1, 1), m
# own target adds the 2 private facilities of in-scope types -> 4, of which 2 with ICT
assert (m['own_denominator'], m['own_numerator'], m['own_display']) == (4, 2, '50%'), m
# the council figure never includes the own target
assert (r['440001']['denominator'], r['440001']['numerator']) == (2, 1), r['440001']
PY
}

# One warehouse, several councils: --council picks the prefecture, 000000 is national.
test_council_selection_and_national_view() {
	mkdir m
	cp "$ROOT"/data/master/*.csv m/
	# a second prefecture with two municipalities (福岡市 401307, 大牟田市 402028)
	echo '400009,福岡県' >>m/prefectures.csv
	printf '401307,400009,福岡市,福岡,ふくおかし,1\n402028,400009,大牟田市,大牟田,おおむたし,2\n' >>m/municipalities.csv
	kdx_rc 0 init --master m --pref 440001 --quiet
	club_file o.csv 2025-06-01 442011 10 5
	kdx_rc 0 ingest o.csv
	# a Fukuoka file is not for the Oita council
	club_file f.csv 2025-06-01 401307 4 4
	kdx_rc 65 ingest f.csv
	contains "$ERR" "401307 は大分県の市町村ではありません"
	KDX_COUNCIL=400009 kdx_rc 0 ingest f.csv
	kdx_rc 0 --council 400009 table clubs --as-of 2025-06-30 --format csv
	eq "$(sed -n 2p <<<"$OUT")" "400009,全体,4,4,1.0000,100%,0.80,2028-03-31,達成"
	eq "$(tail -n +3 <<<"$OUT" | cut -d, -f1 | tr '\n' ' ')" "401307 402028 "
	kdx_rc 0 --council 000000 table clubs --as-of 2025-06-30 --format csv
	eq "$(sed -n 2p <<<"$OUT")" "000000,全体,14,9,0.6429,64%,0.80,2028-03-31,未達"
	eq "$(tail -n +3 <<<"$OUT" | wc -l)" 20 "national rows"
	kdx_rc 0 table clubs --as-of 2025-06-30 --format csv
	eq "$(sed -n 2p <<<"$OUT")" "440001,全体,10,5,0.5000,50%,0.80,2028-03-31,未達"
	kdx_rc 64 --council 990001 table clubs
}
