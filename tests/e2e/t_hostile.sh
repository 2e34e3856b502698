# A hostile neighbour changes nothing: kdx runs as root on a shared server, and
# what another user of the machine could have planted or changed (a link in the
# inbox, a folder in /tmp, a server of their own, a KDX_HOME or a key others may
# write or read) is refused; so are a warehouse of a newer kdx, an unknown time
# zone and an as-of the calendar cannot name.

PGBIN=/usr/lib/postgresql/15/bin

# What a case made outside its KDX_HOME (users, servers, folders in /tmp) is
# undone when the case ends, passed or failed, last made first.
UNDO=()
undo() {
	UNDO=("$1" "${UNDO[@]}")
	trap 'for u in "${UNDO[@]}"; do eval "$u" >/dev/null 2>&1 || true; done' EXIT
}

# A user of the machine who is not kdx's, for this case only: $HOSTILE.
hostile_user() {
	HOSTILE=kdxh$BASHPID
	userdel "$HOSTILE" >/dev/null 2>&1 || true
	useradd --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$HOSTILE"
	undo "userdel $HOSTILE"
	HOSTILE_UID=$(id -u "$HOSTILE")
}

# Run a command as another user, from a folder that user may enter.
as_user() { local u=$1; shift; (cd / && runuser -u "$u" -- "$@"); }

# A KDX_HOME too long for a socket path under it: the private warehouse's
# socket goes to /tmp/kdx-<uid>-<hash of the data directory>, a name anyone can
# compute, as this does.
long_home() {
	local h=$KDX_HOME/a-folder-name-long-enough-that-the-socket-path-under-it-would-not-fit-in-108-bytes
	mkdir -p "$h"
	echo "$h"
}
socket_folder_of() {
	echo "/tmp/kdx-$(id -u postgres)-$(printf '%s/var/pg' "$(realpath "$1")" | sha256sum | cut -c1-12)"
}

# Nothing of kdx's schema in the test database.
no_schema() {
	eq "$(sql "SELECT to_regclass('kdx.schema_version') IS NULL")" t "a kdx schema was made"
}

# --- the inbox ----------------------------------------------------------------

# A link in the inbox (to a root-only file, /etc/shadow, a folder) and a FIFO
# are skipped and named, never opened: nothing of them reaches stderr, a reject
# report or the warehouse, and no digest of them is printed.
test_inbox_links_are_skipped_unread() {
	kdx_rc 0 init --quiet
	mkdir -p inbox private
	chmod 700 private
	printf '調査基準日,市町村コード,施設番号,施設名,施設種別,設置主体,保護者連絡\n2025-04-01,442011,SECRET-7f3a,秘密の施設,保育所,公立,○\n2025-04-01,442011,X1,SECRET-second-line,保育園,公立,○\n' \
		>private/secret.csv
	chmod 600 private/secret.csv
	local digest; digest=$(sha256sum private/secret.csv | cut -c1-64)
	ln -s "$PWD/private/secret.csv" inbox/a.csv
	ln -s /etc/shadow inbox/shadow.csv
	ln -s "$PWD/private" inbox/folder
	mkfifo inbox/fifo.csv
	cp "$SAMPLE/2025-10-01_市町村設定.csv" inbox/
	kdx_rc 0 run nightly --as-of 2026-11-30
	contains "$ERR" 'kdx: warning: skipped "a.csv" in the inbox: it is a symbolic link'
	contains "$ERR" 'kdx: warning: skipped "shadow.csv" in the inbox: it is a symbolic link'
	contains "$ERR" 'kdx: warning: skipped "folder" in the inbox: it is a symbolic link'
	contains "$ERR" 'kdx: warning: skipped "fifo.csv" in the inbox: it is a FIFO'
	contains "$OUT" 'nightly job for 2026-11-30: 1 files loaded, 0 already loaded, 0 rejected'
	local all; all=$OUT$ERR
	kdx_rc 0 ingest --inbox
	contains "$ERR" 'skipped "a.csv" in the inbox: it is a symbolic link'
	all=$all$OUT$ERR
	not_contains "$all" SECRET "kdx's output"
	not_contains "$all" "$digest" "kdx's output"
	not_contains "$all" 'root:' "kdx's output"
	! grep -rqs SECRET rejects inbox || die "the linked file's content was written"
	[ -z "$(ls -A inbox/rejected 2>/dev/null)" ] && [ -z "$(ls -A rejects 2>/dev/null)" ] || die "reject reports were written"
	[ -L inbox/a.csv ] && [ -L inbox/shadow.csv ] && [ -p inbox/fifo.csv ] || die "a skipped entry was moved"
	eq "$(sql "SELECT count(*) FROM kdx.load_batch")" 1 "load batches"
	eq "$(sql "SELECT count(*) FROM kdx.rejection")" 0 "rejections"
	eq "$(sql "SELECT count(*) FROM kdx.nursery_fact")" 0 "nursery rows"
	eq "$(stat -c %U:%a private/secret.csv)" root:600 "the linked file"
}

# done/ and rejected/ inside the inbox that are links (or folders of another
# user) are refused before anything is loaded or moved through them.
test_inbox_folders_that_are_links_are_refused() {
	hostile_user
	kdx_rc 0 init --quiet
	mkdir -p inbox elsewhere
	ln -s "$PWD/elsewhere" inbox/done
	cp "$SAMPLE/2025-10-01_市町村設定.csv" inbox/
	kdx_rc 78 run nightly --as-of 2026-11-30
	contains "$ERR" "kdx: error: refusing inbox folder \"$PWD/inbox/done\": it is a symbolic link"
	contains "$ERR" 'hint: '
	[ -z "$(ls -A elsewhere)" ] || die "a file was moved through the link"
	[ -f inbox/2025-10-01_市町村設定.csv ] || die "the file left the inbox"
	nothing_loaded
	kdx_rc 78 ingest --inbox
	nothing_loaded
	# a folder of another user's, where they could plant a link for a reject report
	rm inbox/done
	mkdir inbox/rejected
	chown "$HOSTILE" inbox/rejected
	kdx_rc 78 run nightly --as-of 2026-11-30
	contains "$ERR" "refusing inbox folder \"$PWD/inbox/rejected\": it belongs to user \"$HOSTILE\""
	nothing_loaded
	[ -z "$(ls -A inbox/rejected)" ] || die "something was written in the other user's folder"
}

# --- the socket folder in /tmp and the server answering in it -----------------

# A link planted where kdx puts its socket folder is refused, and neither it
# nor its target is handed to postgres.
test_socket_folder_planted_in_tmp_is_refused() {
	hostile_user
	unset KDX_DATABASE_URL
	local home sock
	home=$(long_home)
	sock=$(socket_folder_of "$home")
	undo "rm -rf '$sock'"
	rm -rf "$sock"
	echo "root's own" >target
	chmod 600 target
	as_user "$HOSTILE" ln -s "$PWD/target" "$sock"
	KDX_HOME=$home kdx_rc 78 init
	contains "$ERR" "kdx: error: refusing socket folder \"$sock\": it is a symbolic link"
	contains "$ERR" "hint: "
	eq "$(stat -c %U:%a target)" root:600 "the link's target"
	eq "$(stat -c %U "$sock")" "$HOSTILE" "the planted link"
	[ ! -e "$home/var/pg/PG_VERSION" ] || die "a warehouse was made"
	# a folder of theirs, even one they made private, is not kdx's either
	rm -f "$sock"
	as_user "$HOSTILE" mkdir -m 0700 "$sock"
	KDX_HOME=$home kdx_rc 78 init
	contains "$ERR" "refusing socket folder \"$sock\": it belongs to user \"$HOSTILE\""
	eq "$(stat -c %U:%a "$sock")" "$HOSTILE:700" "their folder"
	[ ! -e "$home/var/pg/PG_VERSION" ] || die "a warehouse was made"
}

# A PostgreSQL server another user starts in that folder is not taken for the
# warehouse: kdx init creates nothing in it.
test_a_strangers_server_in_the_socket_folder_is_refused() {
	hostile_user
	unset KDX_DATABASE_URL
	local home sock theirs
	home=$(long_home)
	sock=$(socket_folder_of "$home")
	rm -rf "$sock"
	theirs=$(as_user "$HOSTILE" mktemp -d /tmp/kdxh.XXXXXX)
	undo "rm -rf '$theirs' '$sock'"
	as_user "$HOSTILE" mkdir -m 0755 "$sock"
	as_user "$HOSTILE" "$PGBIN/initdb" -D "$theirs/pg" -U postgres --auth=trust >/dev/null
	as_user "$HOSTILE" "$PGBIN/pg_ctl" -D "$theirs/pg" -l "$theirs/log" -w -o "-k $sock -c listen_addresses=''" start >/dev/null
	undo "as_user $HOSTILE $PGBIN/pg_ctl -D '$theirs/pg' -m immediate -w stop"
	KDX_HOME=$home kdx_rc 78 init
	contains "$ERR" "refusing socket folder \"$sock\": it belongs to user \"$HOSTILE\""
	eq "$(psql -X -q -At -h "$sock" -U postgres -d postgres -c "SELECT count(*) FROM pg_database WHERE datname = 'kdx'")" 0 \
		"kdx databases in the stranger's server"
	eq "$(stat -c %U "$sock")" "$HOSTILE" "the stranger's folder"
}

# Another server answering in kdx's own socket folder (here one of postgres's,
# with another data directory) is not the warehouse either.
test_another_server_in_kdxs_socket_folder_is_refused() {
	unset KDX_DATABASE_URL
	local top home other
	top=$(mktemp -d "$KDX_HOME/h.XXXXXX")   # mode 0700
	home=$top/home
	mkdir "$home"
	KDX_HOME=$home kdx_rc 0 init --quiet
	undo "KDX_HOME='$home' '$KDX' --quiet db stop"
	KDX_HOME=$home kdx_rc 0 db stop
	other=$top/other
	mkdir "$other"
	chown postgres "$other"
	as_user postgres "$PGBIN/initdb" -D "$other/pg" -U postgres --auth=trust >/dev/null
	as_user postgres "$PGBIN/pg_ctl" -D "$other/pg" -l "$other/log" -w -o "-k $home/var/run -c listen_addresses=''" start >/dev/null
	undo "as_user postgres $PGBIN/pg_ctl -D '$other/pg' -m immediate -w stop"
	KDX_HOME=$home kdx_rc 69 init
	contains "$ERR" "kdx: error: the server on socket \"$home/var/run\" is not the private warehouse of KDX_HOME \"$home\""
	contains "$ERR" "$other/pg"
	KDX_HOME=$home kdx_rc 69 table nursery
	contains "$ERR" "is not the private warehouse"
	eq "$(psql -X -q -At -h "$home/var/run" -U postgres -d postgres -c "SELECT count(*) FROM pg_database WHERE datname = 'kdx'")" 0 \
		"kdx databases in the other server"
}

# --- KDX_HOME -----------------------------------------------------------------

# A KDX_HOME others may write, or of another user, is refused as sshd refuses
# such a home; root's, the kdx user's and the invoking user's are kdx's, also
# writable by a group of the owner alone; the staff group may write the inbox.
test_kdx_home_others_may_write_is_refused() {
	hostile_user
	mkdir open
	chmod 0777 open
	KDX_HOME=$PWD/open kdx_rc 78 init
	contains "$ERR" "kdx: error: refusing KDX_HOME \"$PWD/open\": others may write in it"
	contains "$ERR" "detail: Its mode is 0777 (drwxrwxrwx), its owner root and its group root."
	contains "$ERR" "hint: "
	eq "$(ls -A open | grep -v '^\.\(out\|err\)$' || true)" "" "files made in the refused KDX_HOME"
	no_schema
	chgrp "$HOSTILE" open
	chmod 0775 open
	KDX_HOME=$PWD/open kdx_rc 78 ingest "$SAMPLE/2025-10-01_市町村設定.csv"
	contains "$ERR" "Its mode is 0775 (drwxrwxr-x), its owner root and its group $HOSTILE."
	chmod 1777 open
	KDX_HOME=$PWD/open kdx_rc 78 init
	chgrp root open
	# a folder above it that others may write: they could put another in its place
	chmod 0777 open
	mkdir open/home
	KDX_HOME=$PWD/open/home kdx_rc 78 init
	contains "$ERR" "refusing KDX_HOME \"$PWD/open/home\": others may write in \"$PWD/open\" above it"
	no_schema
	# another user's
	mkdir theirs
	chown "$HOSTILE" theirs
	KDX_HOME=$PWD/theirs kdx_rc 78 init
	contains "$ERR" "refusing KDX_HOME \"$PWD/theirs\": it belongs to user \"$HOSTILE\""
	contains "$ERR" "Its mode is 0755 (drwxr-xr-x), its owner $HOSTILE and its group root."
	[ -z "$(ls -A theirs | grep -v '^\.\(out\|err\)$' || true)" ] || die "files made in another user's KDX_HOME"
	no_schema
	# ... unless that user is the one who runs kdx (sudo)
	SUDO_UID=$HOSTILE_UID KDX_HOME=$PWD/theirs kdx_rc 0 init --quiet
	# a group whose one member is the owner (a private group, under umask 002) is the owner's own
	mkdir mine
	chmod 0775 mine
	KDX_HOME=$PWD/mine kdx_rc 0 init --quiet
	# the staff group may write the inbox (setgid), and nothing else
	mkdir -p ok/inbox
	chgrp "$HOSTILE" ok/inbox
	chmod 2770 ok/inbox
	cp "$SAMPLE/2025-10-01_市町村設定.csv" ok/inbox/
	KDX_HOME=$PWD/ok kdx_rc 0 run nightly --as-of 2026-11-30
	contains "$OUT" "1 files loaded"
}

# The same for commands that only read, at the private warehouse; and the
# socket folder may be 0750 for the staff group, nothing wider.
test_private_warehouse_in_a_kdx_home_others_may_write_is_refused() {
	hostile_user
	unset KDX_DATABASE_URL
	local top home
	top=$(mktemp -d "$KDX_HOME/h.XXXXXX")   # mode 0700
	home=$top/home
	mkdir "$home"
	KDX_HOME=$home kdx_rc 0 init --quiet
	undo "KDX_HOME='$home' '$KDX' --quiet db stop"
	chgrp "$HOSTILE" "$home/var/run"
	chmod 0750 "$home/var/run"
	KDX_HOME=$home kdx_rc 0 table nursery --as-of 2026-11-30
	KDX_HOME=$home kdx_rc 0 db stop
	KDX_HOME=$home kdx_rc 0 db start
	eq "$(stat -c %a "$home/var/run")" 750 "socket folder mode"
	chmod 0770 "$home/var/run"
	KDX_HOME=$home kdx_rc 78 table nursery --as-of 2026-11-30
	contains "$ERR" "refusing socket folder \"$home/var/run\": others may use it"
	chmod 0700 "$home/var/run"
	chmod 0757 "$home"
	KDX_HOME=$home kdx_rc 78 table nursery --as-of 2026-11-30
	contains "$ERR" "refusing KDX_HOME \"$home\": others may write in it"
	not_contains "$OUT" "全体"
	chmod 0755 "$home"
	KDX_HOME=$home kdx_rc 0 db stop
}

# --- the signing key ------------------------------------------------------------

# A signing key others may read is refused before anything is written (a key of
# group kdx, readable but not writable by it, is fine); an encrypted key is named
# as such and kdx never asks for its pass phrase.
test_signing_key_others_may_read_is_refused() {
	kdx_rc 0 init --quiet
	kdx_rc 0 ingest --quiet "$SAMPLE/2025-10-01_市町村設定.csv"
	openssl genpkey -algorithm ed25519 -out key.pem 2>/dev/null
	chmod 0644 key.pem
	KDX_SIGNING_KEY=$PWD/key.pem kdx_rc 78 snapshot --as-of 2025-12-31
	contains "$ERR" "kdx: error: refusing signing key \"$PWD/key.pem\": others may read it"
	contains "$ERR" "detail: Its mode is 0644 (-rw-r--r--), its owner root and its group root."
	contains "$ERR" "hint: "
	[ ! -e archive ] || die "an archive was written"
	eq "$(sql "SELECT count(*) FROM kdx.snapshot")" 0 "snapshots"
	KDX_SIGNING_KEY=$PWD/key.pem kdx_rc 78 run monthly --as-of 2025-12-31
	[ ! -e out ] && [ ! -e archive ] || die "the monthly job wrote before refusing the key"
	eq "$(sql "SELECT count(*) FROM kdx.job_run")" 0 "job runs"
	chmod 0640 key.pem
	KDX_SIGNING_KEY=$PWD/key.pem kdx_rc 78 snapshot --as-of 2025-12-31
	contains "$ERR" "Its mode is 0640 (-rw-r-----)"
	# a link to a key is not followed
	chmod 0600 key.pem
	ln -s key.pem link.pem
	KDX_SIGNING_KEY=$PWD/link.pem kdx_rc 78 snapshot --as-of 2025-12-31
	contains "$ERR" "refusing signing key \"$PWD/link.pem\": it is a symbolic link"
	[ ! -e archive ] || die "an archive was written"
	# group kdx may read it, not write it
	local made_group=
	if ! getent group kdx >/dev/null; then groupadd --system kdx; made_group=1; fi
	[ -z "$made_group" ] || undo "groupdel kdx"
	chgrp kdx key.pem
	chmod 0660 key.pem
	KDX_SIGNING_KEY=$PWD/key.pem kdx_rc 78 snapshot --as-of 2025-12-31
	contains "$ERR" "others may write it"
	chmod 0640 key.pem
	KDX_SIGNING_KEY=$PWD/key.pem kdx_rc 0 snapshot --as-of 2025-12-31
	[ -n "$(tar -tzf archive/2025-12-31/*.tar.gz | grep 'tagmanifest-sha256.txt.sig$')" ] || die "the snapshot is not signed"
	# an encrypted key: named, and no pass phrase is read from the terminal or stdin
	openssl genpkey -algorithm ed25519 -aes-256-cbc -pass pass:x -out enc.pem 2>/dev/null
	chmod 0600 enc.pem
	KDX_SIGNING_KEY=$PWD/enc.pem kdx_rc 78 snapshot --as-of 2026-01-31 <<<"x"
	contains "$ERR" "kdx: error: refusing signing key \"$PWD/enc.pem\": it is encrypted with a pass phrase"
	not_contains "$ERR" "not a PEM private key"
	not_contains "$OUT$ERR" "pass phrase:"
	[ ! -e archive/2026-01-31 ] || die "an archive was written with the encrypted key"
}

# --- a warehouse of a newer kdx -------------------------------------------------

# A warehouse a newer kdx migrated (schema version 99, its own definitions) is
# refused by every command, exit 69, and its definitions are never written over.
test_warehouse_of_a_newer_kdx_is_refused() {
	kdx_rc 0 init --quiet
	# what kdx 9.1.0 leaves: a migration this kdx does not know, and its definitions
	sql "ALTER TABLE kdx.schema_version ADD COLUMN IF NOT EXISTS kdx_version text;
	     ALTER TABLE kdx.schema_definition ADD COLUMN IF NOT EXISTS kdx_version text;
	     INSERT INTO kdx.schema_version (version, name, kdx_version) VALUES (99, '099_future.sql', '9.1.0');
	     UPDATE kdx.schema_definition SET sha256 = repeat('f', 64), kdx_version = '9.1.0' WHERE file = 'functions/goals.sql';
	     CREATE OR REPLACE FUNCTION kdx.pct_display(num integer, den integer) RETURNS text LANGUAGE sql IMMUTABLE
	       AS \$\$ SELECT 'kdx 9.1.0' \$\$" >/dev/null
	local c
	for c in "ingest $SAMPLE/2025-10-01_市町村設定.csv" "init" "table nursery" "run nightly"; do
		kdx_rc 69 $c
		contains "$ERR" "kdx: error: the warehouse was upgraded by kdx 9.1.0; this kdx is $("$KDX" --version | cut -d' ' -f2)"
		contains "$ERR" "schema version 99"
		not_contains "$ERR" "Run \"kdx init\" to upgrade it"
	done
	nothing_loaded
	eq "$(sql "SELECT count(*) FROM kdx.job_run")" 0 "job runs"
	contains "$(sql "SELECT pg_get_functiondef('kdx.pct_display(integer,integer)'::regprocedure)")" "kdx 9.1.0"
	eq "$(sql "SELECT sha256 || ' ' || kdx_version FROM kdx.schema_definition WHERE file = 'functions/goals.sql'")" \
		"$(printf 'f%.0s' {1..64}) 9.1.0" "the newer kdx's record"
	# newer definitions alone (no numbered migration) are refused too
	sql "DELETE FROM kdx.schema_version WHERE version = 99" >/dev/null
	kdx_rc 69 ingest "$SAMPLE/2025-10-01_市町村設定.csv"
	contains "$ERR" "the warehouse was upgraded by kdx 9.1.0"
	nothing_loaded
	contains "$(sql "SELECT pg_get_functiondef('kdx.pct_display(integer,integer)'::regprocedure)")" "kdx 9.1.0"
}

# --- the council's time zone and the as-of --------------------------------------

# An unknown KDX_TZ would be UTC without a word: refused, exit 78.
test_unknown_time_zone_is_refused() {
	KDX_TZ=Asia/Tokio kdx_rc 78 init
	contains "$ERR" 'kdx: error: refusing KDX_TZ "Asia/Tokio": no such time zone'
	contains "$ERR" "hint: "
	no_schema
	KDX_TZ=../../../etc/passwd kdx_rc 78 init
	KDX_TZ=JST+x kdx_rc 78 init
	no_schema
	KDX_TZ=Asia/Tokio kdx_rc 0 --help
	# zones and POSIX rules glibc knows are taken
	local tz
	for tz in Asia/Tokyo :Asia/Tokyo UTC America/New_York Etc/GMT-9 JST-9 '<+09>-9'; do
		KDX_TZ=$tz kdx_rc 0 init --quiet
	done
	eq "$(KDX_TZ=JST-9 TZ=UTC ASAN_OPTIONS="$ASAN_OPTIONS:verify_asan_link_order=0" faketime -f '@2026-11-30 15:01:00' "$KDX" status 2>/dev/null | head -1)" "提出状況（2026-12-01 時点）" "JST-9"
}

# An as-of the 和暦 calendar cannot name (before 昭和, or one whose fiscal year
# ends past 9999) is a usage error, and nothing is written.
test_as_of_the_calendar_cannot_name_is_a_usage_error() {
	kdx_rc 0 init --quiet
	kdx_rc 64 report --as-of 0001-01-01
	contains "$ERR" 'kdx: error: --as-of 0001-01-01 is outside the dates kdx can name (1926-12-25 to 9999-03-31)'
	[ ! -e out ] || die "reports were written"
	kdx_rc 64 table nursery --as-of 1926-12-24
	kdx_rc 64 run monthly --as-of 9999-04-01
	kdx_rc 64 snapshot --as-of 9999-12-31
	kdx_rc 64 status --as-of 1900-01-01
	kdx_rc 64 template --as-of 0999-12-31
	eq "$(sql "SELECT count(*) FROM kdx.job_run")" 0 "job runs"
	eq "$(sql "SELECT count(*) FROM kdx.snapshot")" 0 "snapshots"
	[ ! -e out ] && [ ! -e archive ] || die "something was written"
	kdx_rc 0 table nursery --as-of 1926-12-25
	kdx_rc 0 table nursery --as-of 9999-03-31
}
