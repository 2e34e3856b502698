# kdx on a real server: the council's day whatever the host's clock, the
# installed files and units, cron's PATH, and the wrong folder.

# kdx under libfaketime (the sanitizer runtime need not come first then)
faked() { local at=$1; shift; ASAN_OPTIONS="$ASAN_OPTIONS:verify_asan_link_order=0" TZ=UTC faketime -f "@$at" "$KDX" "$@"; }

# On a UTC host, JST midnight is 15:00 UTC: "today" turns there, not at UTC's
# midnight; KDX_TZ moves it; the monthly job's default as-of is the 1st of the
# council's month, also when it runs days late.
test_today_follows_the_council_time_zone() {  # kdx-test: slow
	use_fixture init
	eq "$(faked '2026-11-30 14:59:00' status | head -1)" "提出状況（2026-11-30 時点）" "before JST midnight"
	eq "$(faked '2026-11-30 15:01:00' status | head -1)" "提出状況（2026-12-01 時点）" "after JST midnight"
	eq "$(KDX_TZ=UTC faked '2026-11-30 15:01:00' status | head -1)" "提出状況（2026-11-30 時点）" "KDX_TZ=UTC"
	eq "$(KDX_TZ=America/New_York faked '2026-12-01 03:00:00' status | head -1)" "提出状況（2026-11-30 時点）" "KDX_TZ elsewhere"
	# the monthly timer fires 04:00 JST on the 1st = 19:00 UTC the day before; a
	# caught-up run three days later reports the same as-of
	faked '2026-11-30 19:00:00' run monthly --quiet >/dev/null 2>&1
	faked '2026-12-04 02:00:00' run monthly --quiet >/dev/null 2>&1
	eq "$(sql "SELECT string_agg(as_of::text, ' ' ORDER BY id) FROM kdx.job_run")" "2026-12-01 2026-12-01" "as-of of the monthly runs"
	# the snapshot's Bagging-Date is the council's day too
	local a; a=$(find archive -name '*.tar.gz' | head -1)
	contains "$(tar -xzOf "$a" --wildcards '*/bag-info.txt')" "Bagging-Date: 2026-12-01"
}

# The man page renders with every section (make install installs it as it is).
test_man_page_renders() {  # kdx-test: static
	local man f
	man=$(MANWIDTH=100 man -l "$ROOT/docs/kdx.1" 2>/dev/null)
	for f in NAME SYNOPSIS ENVIRONMENT FILES "EXIT STATUS" EXAMPLES KDX_TZ KDX_NOTIFY_COMMAND; do contains "$man" "$f" "man page"; done
}

# make install puts every file in place (the man page as test_man_page_renders
# reads it), the completion completes, and the units verify and rate below 4.0
# for exposure.
test_make_install_and_the_units() {
	local d=$KDX_HOME/inst
	make -s -C "$ROOT" install KDX_BIN="$KDX" PREFIX="$d/usr" UNITDIR="$d/units" SYSUSERSDIR="$d/sysusers" \
		LOGROTATEDIR="$d/logrotate" >/dev/null
	local f
	for f in usr/bin/kdx usr/lib/kdx/kdx-notify usr/share/man/man1/kdx.1 usr/share/bash-completion/completions/kdx \
		sysusers/kdx.conf logrotate/kdx units/kdx-nightly.service units/kdx-nightly.timer units/kdx-monthly.service \
		units/kdx-monthly.timer units/kdx-warehouse.service units/kdx-notify@.service; do
		[ -s "$d/$f" ] || die "make install did not install $f"
	done
	cmp -s "$d/usr/share/man/man1/kdx.1" "$ROOT/docs/kdx.1" || die "the installed man page is not docs/kdx.1"
	eq "$(bash -c 'source "$1"; COMP_WORDS=(kdx ta); COMP_CWORD=1; _kdx; echo "${COMPREPLY[*]}"' _ "$d/usr/share/bash-completion/completions/kdx")" "table"
	eq "$(bash -c 'source "$1"; COMP_WORDS=(kdx table nur); COMP_CWORD=2; _kdx; echo "${COMPREPLY[*]}"' _ "$d/usr/share/bash-completion/completions/kdx")" "nursery"
	eq "$(bash -c 'source "$1"; COMP_WORDS=(kdx report --co); COMP_CWORD=2; _kdx; echo "${COMPREPLY[*]}"' _ "$d/usr/share/bash-completion/completions/kdx")" "--council-only --council"
	grep -q "^ExecStart=$d/usr/bin/kdx run nightly" "$d/units/kdx-nightly.service" || die "unit paths not substituted"
	! grep -q '@[A-Z]*@' "$d"/units/* || die "a placeholder is left in a unit"
	(cd "$d/units" && systemd-analyze verify --man=no kdx-nightly.service kdx-monthly.service kdx-warehouse.service \
		kdx-notify@.service kdx-nightly.timer kdx-monthly.timer) || die "systemd-analyze verify failed"
	local u out level
	for u in kdx-nightly.service kdx-monthly.service kdx-warehouse.service kdx-notify@.service; do
		out=$(systemd-analyze security --offline=true "$d/units/$u" 2>&1 | tail -1)
		level=$(sed -n 's/.*exposure level for [^:]*: \([0-9.]*\).*/\1/p' <<<"$out")
		[ -n "$level" ] || die "no exposure level for $u: $out"
		/usr/bin/python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < 4.0 else 1)" "$level" || die "$u exposure $level"
		grep -q '^User=kdx$' "$d/units/$u" || die "$u does not run as kdx"
	done
	grep -q '^u kdx ' "$d/sysusers/kdx.conf" || die "no kdx user in sysusers.d"
	make -s -C "$ROOT" uninstall PREFIX="$d/usr" UNITDIR="$d/units" SYSUSERSDIR="$d/sysusers" LOGROTATEDIR="$d/logrotate"
	eq "$(find "$d" -type f | wc -l)" 0 "files left by make uninstall"
	# a package's staging area: DESTDIR, the default places under it
	local stage=$KDX_HOME/stage
	make -s -C "$ROOT" install KDX_BIN="$KDX" DESTDIR="$stage" >/dev/null
	for f in usr/local/bin/kdx usr/local/share/man/man1/kdx.1 etc/systemd/system/kdx-nightly.service \
		etc/sysusers.d/kdx.conf etc/logrotate.d/kdx usr/local/share/bash-completion/completions/kdx; do
		[ -s "$stage/$f" ] || die "make install DESTDIR did not install $f"
	done
	grep -q '^ExecStart=/usr/local/bin/kdx run nightly' "$stage/etc/systemd/system/kdx-nightly.service" || die "DESTDIR leaked into a unit"
	# the user is made as an install makes it: systemd-sysusers on a root holding the installed file
	local root=$KDX_HOME/sysroot
	mkdir -p "$root/etc/sysusers.d"
	cp "$stage/etc/sysusers.d/kdx.conf" "$root/etc/sysusers.d/"
	systemd-sysusers --root="$root" >sysusers.out 2>&1 || { cat sysusers.out; die "systemd-sysusers refused the installed kdx.conf"; }
	not_contains "$(cat sysusers.out)" "not a valid" "systemd-sysusers"
	local pw; pw=$(grep '^kdx:' "$root/etc/passwd") || die "systemd-sysusers made no kdx user"
	eq "$(cut -d: -f6,7 <<<"$pw")" "/var/lib/kdx:/usr/sbin/nologin" "the kdx user's home and shell"
	grep -q '^kdx:' "$root/etc/group" || die "systemd-sysusers made no kdx group"
	make -s -C "$ROOT" uninstall DESTDIR="$stage"
	eq "$(find "$stage" -type f | wc -l)" 0 "files left by make uninstall DESTDIR"
}

# The crontab example's lines run as they are under cron's environment (no
# /usr/sbin on PATH, so no runuser) and start the private warehouse as root.
test_cron_lines_run_under_crons_path() {
	local home=$KDX_HOME/cronhome bin=$KDX_HOME/cronbin
	mkdir -p "$bin"
	at_exit "KDX_HOME='$home' KDX_DATABASE_URL= '$KDX' --quiet db stop >/dev/null 2>&1"
	ln -s "$KDX" "$bin/kdx"
	local line
	while IFS= read -r line; do
		case "$line" in [0-9]*) ;; *) continue ;; esac
		line=$(sed -E 's/^([^ ]+ +){5}//' <<<"$line")
		[[ "$line" == *"run nightly"* ]] || continue
		env -i PATH="$bin:/usr/bin:/bin" SHELL=/bin/sh TZ=Asia/Tokyo KDX_HOME="$home" KDX_TZ=Asia/Tokyo \
			ASAN_OPTIONS="$ASAN_OPTIONS" LSAN_OPTIONS="$LSAN_OPTIONS" UBSAN_OPTIONS="$UBSAN_OPTIONS" sh -c "$line" \
			|| { cat "$home/var/nightly.log"; die "the cron line failed: $line"; }
	done <"$ROOT/jobs/crontab.example"
	[ -f "$home/var/pg/PG_VERSION" ] || die "the cron line made no warehouse"
	KDX_HOME="$home" KDX_DATABASE_URL= kdx_rc 0 jobs
	contains "$OUT" "nightly"
	KDX_HOME="$home" KDX_DATABASE_URL= kdx_rc 0 db stop
}

# Only init and run create a warehouse: elsewhere kdx says where it looked.
test_no_warehouse_in_a_wrong_folder() {  # kdx-test: static
	mkdir wrong
	local c
	for c in "table nursery" "status" "report" "snapshot" "jobs" "ingest $SAMPLE/2025-10-01_市町村設定.csv" "db start"; do
		KDX_HOME=$PWD/wrong KDX_DATABASE_URL= kdx_rc 69 $c
		contains "$ERR" "there is no kdx warehouse in KDX_HOME \"$PWD/wrong\""
		contains "$ERR" 'Only "kdx init" and "kdx run" create one'
	done
	[ ! -e wrong/var/pg ] || die "a warehouse was made in the wrong folder"
	! pgrep -f "$PWD/wrong/var/pg" >/dev/null || die "a server runs for the wrong folder"
}

# Under systemd (JOURNAL_STREAM names stderr) every line carries its priority.
test_journal_priorities() {
	use_fixture init
	: >err.txt
	local js; js=$(stat -c '%d:%i' err.txt)
	set +e
	JOURNAL_STREAM=$js "$KDX" table nosuch 2>>err.txt
	JOURNAL_STREAM=$js "$KDX" ingest "$BAD/17_bad_owner.csv" 2>>err.txt
	cp "$SAMPLE/2025-06-01_放課後児童クラブICT調査.csv" club.csv
	JOURNAL_STREAM=$js "$KDX" ingest club.csv 2>>err.txt >/dev/null
	set -e
	contains "$(cat err.txt)" '<3>kdx: error: unknown goal "nosuch"'
	contains "$(cat err.txt)" '<3>hint: Try "kdx table --help"'
	contains "$(cat err.txt)" '<3>kdx: error: file "17_bad_owner.csv" rejected'
	contains "$(cat err.txt)" '<4>kdx: warning: club.csv:'
	eq "$(grep -vc '^<[346]>' err.txt)" 0 "lines without a priority"
	# not on a terminal or a file of its own: no prefixes
	kdx_rc 64 table nosuch
	not_contains "$ERR" "<3>"
}

# Options anywhere, kdx's words for what getopt refused, numbers in full.
test_options_anywhere_and_clear_usage_errors() {
	use_fixture init
	kdx_rc 0 table nursery --council 440001 -q --format csv --as-of 2026-11-30
	contains "$OUT" "440001,全体"
	kdx_rc 64 table nursery --as-off 2026-11-30
	contains "$ERR" 'kdx: error: unknown option "--as-off" (did you mean --as-of?)'
	kdx_rc 64 table nursry
	contains "$ERR" 'unknown goal "nursry" (did you mean nursery?)'
	kdx_rc 64 report -j 2x
	contains "$ERR" 'kdx: error: -j takes a whole number from 1 to 64, not "2x"'
	kdx_rc 64 table nursery --as-of yesterday
	contains "$ERR" "2026-12-01, 2026/12/1, 令和8年12月1日 or R8.12.1"
	kdx_rc 0 status --version
	contains "$OUT" "kdx "
	kdx_rc 0 report --help
	contains "$OUT" "[--shard I/N] [--council-only]"
}

# The operator's command hears of a failed job (kdx-notify, run by the units'
# OnFailure=) and of the nightly job's rejected files (kdx run itself).
test_operator_is_notified() {
	use_fixture init
	mkdir -p inbox
	cp "$BAD/17_bad_owner.csv" inbox/
	KDX_NOTIFY_COMMAND='cat >notified.txt' kdx_rc 65 run nightly --as-of 2025-12-31
	contains "$(cat notified.txt)" "kdx: nightly job for 2025-12-31 rejected 1 file"
	contains "$(cat notified.txt)" "17_bad_owner.csv: 1 件の問題"
	# a run with nothing rejected says nothing
	rm notified.txt
	KDX_NOTIFY_COMMAND='cat >notified.txt' kdx_rc 0 run nightly --as-of 2025-12-31
	[ ! -e notified.txt ] || die "notified although nothing was rejected"
	# kdx-notify, as OnFailure= runs it
	mkdir -p bin
	ln -s "$KDX" bin/kdx
	PATH="$PWD/bin:$PATH" KDX_NOTIFY_COMMAND='cat >failed.txt; echo "$KDX_NOTIFY_SUBJECT" >subject.txt' \
		sh "$ROOT/jobs/systemd/kdx-notify" failed kdx-monthly.service 2>notify.err
	contains "$(cat subject.txt)" "kdx: kdx-monthly.service failed on"
	contains "$(cat failed.txt)" "Recorded runs (kdx jobs):"
	contains "$(cat failed.txt)" "nightly"
	contains "$(cat notify.err)" "<3>kdx: kdx-monthly.service failed"
}

# --json from every command is JSON (parsed by Python), with null, never "(null)".
test_json_from_every_command() {  # kdx-test: slow
	local outs=() o
	j() { local want=$1; shift; kdx_rc "$want" --json "$@"; outs+=("$*"$'\t'"$OUT"); }
	j 0 init
	kdx_rc 65 --json ingest "$SAMPLE/2025-10-01_市町村設定.csv" "$BAD/17_bad_owner.csv"; outs+=("ingest"$'\t'"$OUT")
	j 0 status --as-of 2025-10-31
	j 0 table nursery --as-of 2025-10-31
	j 0 table summary --as-of 2025-10-31
	j 0 report --as-of 2025-10-31 --out r
	j 0 template --as-of 2025-10-31 --out t
	j 0 run nightly --as-of 2025-10-31
	j 0 snapshot --as-of 2025-10-31
	j 0 snapshots
	local a; a=$(find archive -name '*.tar.gz' | head -1)
	j 0 verify "$a"
	j 0 verify --all
	j 0 restore "$a" --out restored
	j 0 jobs
	j 0 db status
	j 0 db url
	for o in "${outs[@]}"; do
		/usr/bin/python3 -c 'import json, sys; cmd, text = sys.argv[1].split("\t", 1); v = json.loads(text); assert "(null)" not in text, cmd' "$o" \
			|| die "not JSON: $o"
	done
	# absent values are null
	kdx_rc 0 --json run nightly --as-of 2025-10-31
	eq "$(/usr/bin/python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["snapshot"], d["out"])' "$OUT")" "None None"
	# paths are escaped
	mkdir -p 'q"uote'
	kdx_rc 0 --json report --as-of 2025-10-31 --out 'q"uote/r'
	eq "$(/usr/bin/python3 -c 'import json,sys; print(json.loads(sys.argv[1])["out"])' "$OUT")" 'q"uote/r'
}

# Every command's usage names every option its source declares.
test_every_option_is_in_the_usage() {  # kdx-test: static
	local f c o missing=""
	for f in "$ROOT"/jobs/cmd_*.c; do
		c=$(basename "$f" .c); c=${c#cmd_}
		kdx_rc 0 "$c" --help
		for o in $(grep -o '{ "[a-z-]*", [a-z_]*_argument' "$f" | awk -F'"' '{print $2}'); do
			grep -q -- "--$o" <<<"$OUT" || missing="$missing $c:--$o"
		done
	done
	eq "$missing" "" "options missing from a usage"
}
