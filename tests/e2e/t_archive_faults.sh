# Archives under faults and hostile hands (issue 26): a doctored archive is not
# restored, an entry beside the bag's folder is named, a full disk leaves no
# truncated file, a snapshot killed before its record reads as 中断, a bag
# packed without its folder is a packaging matter, and the forms an auditor
# may hold (zip, xz, archives kdx wrote before) read.

# One municipality's settings and a snapshot of 2025-10-31; sets A (its path)
# and X (a folder holding the extracted bag, x/kdx-2025-10-31-1).
one_snapshot() {
	kdx_rc 0 init --quiet
	kdx_rc 0 ingest --quiet "$SAMPLE/2025-10-01_市町村設定.csv"
	kdx_rc 0 snapshot --quiet --as-of 2025-10-31
	A=$(ls "$KDX_HOME"/archive/2025-10-31/*.tar.gz)
	mkdir -p x
	tar -xzf "$A" -C x
	X=x/kdx-2025-10-31-1
}

# no_files DIR: DIR is absent or holds no file (and no temporary one).
no_files() {
	[ ! -e "$1" ] || [ -z "$(find "$1" -mindepth 1 ! -type d)" ] || { find "$1" | head; die "files were written under $1"; }
}

# Restore runs verify's checks, the warehouse's record included: a doctored
# archive whose manifests were recomputed is refused and nothing is written.
# With no warehouse (an auditor's machine) the bag alone is checked.
test_restore_checks_the_warehouse_record() {
	one_snapshot
	local tag; tag=$(sql "SELECT tagmanifest_sha256 FROM kdx.snapshot")
	doctor "$A" doctored.tar.gz
	/usr/bin/python3 "$ROOT/tests/tools/bagit_check.py" doctored.tar.gz || die "the doctored bag should be a valid bag"
	kdx_rc 65 verify doctored.tar.gz
	kdx_rc 65 restore doctored.tar.gz --out r
	contains "$ERR" 'archive "doctored.tar.gz" fails verification'
	contains "$ERR" "is not the $tag the warehouse recorded for snapshot 1"
	contains "$ERR" "nothing was restored"
	no_files r
	# the genuine archive restores, compared with the record
	kdx_rc 0 restore "$A" --out good
	contains "$OUT" "kdx-2025-10-31-1 claims to be snapshot 1 (as of 2025-10-31, number 1)"
	contains "$OUT" "restored"
	diff -r "$X" good/kdx-2025-10-31-1 >/dev/null || die "the restored bag differs from the archive"
	# an auditor's machine: no warehouse, the bag alone (it is a valid bag)
	mkdir auditor
	KDX_HOME=$PWD/auditor KDX_DATABASE_URL= kdx_rc 0 restore doctored.tar.gz --out auditor/r
	contains "$ERR" "no warehouse to compare with"
	[ -f auditor/r/kdx-2025-10-31-1/bagit.txt ] || die "restore without a warehouse did not extract the bag"
	[ ! -e auditor/var/pg ] || die "restore made a warehouse on the auditor's machine"
}

# An entry beside the bag's folder is an extra file: verify names it and
# fails, restore writes nothing; before or after the folder in the archive.
test_entry_beside_the_bag_folder() {
	one_snapshot
	printf '#!/bin/sh\necho hello\n' >x/README.sh
	mkdir -p x/other && echo 1 >x/other/notes.txt
	(cd x && tar -czf ../after.tar.gz kdx-2025-10-31-1 README.sh \
	      && tar -czf ../before.tar.gz README.sh kdx-2025-10-31-1 \
	      && tar -czf ../folder.tar.gz kdx-2025-10-31-1 other)
	local f
	for f in after.tar.gz before.tar.gz; do
		kdx_rc 65 verify "$f"
		contains "$ERR" "extra file: README.sh (beside the bag's folder kdx-2025-10-31-1)"
		kdx_rc 65 restore "$f" --out "r-$f"
		contains "$ERR" "extra file: README.sh"
		contains "$ERR" "nothing was restored"
		no_files "r-$f"
	done
	kdx_rc 65 verify folder.tar.gz
	contains "$ERR" "extra file: other/notes.txt (beside the bag's folder kdx-2025-10-31-1)"
	# a name with control characters is printed with them escaped, never raw
	/usr/bin/python3 - "$A" <<'PY2'
import io, sys, tarfile
with tarfile.open(sys.argv[1]) as src, tarfile.open('odd.tar.gz', 'w:gz') as dst:
    for m in src.getmembers():
        dst.addfile(m, src.extractfile(m) if m.isfile() else None)
    ti = tarfile.TarInfo('evil\x1b[2J\nkdx: ok.sh'); ti.size = 1
    dst.addfile(ti, io.BytesIO(b'x'))
PY2
	kdx_rc 65 verify odd.tar.gz
	contains "$ERR" 'extra file: evil\x1b[2J\nkdx: ok.sh (beside the bag'"'"'s folder kdx-2025-10-31-1)'
	! grep -q $'\x1b' <<<"$ERR" || die "a control character was printed raw"
	# the extracted folder (x/) is not the bag: its bag is x/kdx-2025-10-31-1
	kdx_rc 0 verify "$X"
}

# Restore onto a full disk: each file is written under a temporary name and
# renamed when whole; on failure what this restore wrote is removed.
test_restore_onto_a_full_disk() {
	one_snapshot
	mkdir full
	mount -t tmpfs -o size=1m,mode=0755 kdx-test-full "$PWD/full"
	trap 'umount "$PWD/full" 2>/dev/null || true' EXIT
	kdx_rc 74 restore "$A" --out full/r
	contains "$ERR" "could not write"
	contains "$ERR" "No space left on device"
	contains "$ERR" "nothing of it was left"
	no_files full
	[ ! -e full/r ] || die "restore left the folder it made"
	# into a folder that was there (and empty): the folder stays, empty
	mkdir full/given
	kdx_rc 74 restore "$A" --out full/given
	no_files full/given
	[ -d full/given ] || die "restore removed a folder it did not make"
	umount "$PWD/full"
	trap - EXIT
}

# kill -9 between an archive's rename and its record: the archive is there,
# the warehouse never recorded it.  It reads as 中断, the chain of recorded
# snapshots still verifies, and a copy put beside it is still named.
test_snapshot_killed_before_its_record() {
	one_snapshot
	mkdir -p archive/2025-12-31
	# the first fsync of the archive's folder follows the rename: kill kdx there
	set +e
	ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" strace -f -qq -P "$PWD/archive/2025-12-31" -e trace=fsync \
		-e inject=fsync:signal=SIGKILL -o trace.txt "$KDX" snapshot --quiet --as-of 2025-12-31 >/dev/null 2>&1
	local rc=$?
	set -e
	eq "$rc" 137 "kdx killed"
	local b; b=$(ls archive/2025-12-31/*.tar.gz)
	eq "$(sql "SELECT count(*) FROM kdx.snapshot")" 1 "snapshots recorded"
	kdx_rc 0 verify --all
	contains "$OUT" "1 snapshot valid, chain intact"
	contains "$OUT" "$b: 中断 (interrupted)"
	not_contains "$OUT$ERR" "no record"
	not_contains "$OUT$ERR" "evidence"
	kdx_rc 65 verify "$b"
	contains "$ERR" "中断 (interrupted)"
	not_contains "$ERR" "evidence"
	kdx_rc 65 restore "$b" --out r
	contains "$ERR" "中断 (interrupted)"
	no_files r
	# the next snapshot of the day is recorded, and the chain still verifies
	kdx_rc 0 snapshot --quiet --as-of 2025-12-31
	eq "$(sql "SELECT count(*) FROM kdx.snapshot")" 2 "snapshots recorded"
	kdx_rc 0 verify --all
	contains "$OUT" "2 snapshots valid, chain intact"
	contains "$OUT" "$b: 中断 (interrupted)"
	kdx_rc 65 verify "$b"
	contains "$ERR" "中断 (interrupted)"
	# a copy of the interrupted archive put elsewhere is no interrupted snapshot
	cp "$b" archive/2025-12-31/9_planted.tar.gz
	kdx_rc 65 verify --all
	contains "$ERR" "archive/2025-12-31/9_planted.tar.gz: an archive the warehouse has no record of"
	rm archive/2025-12-31/9_planted.tar.gz
	# nor is the interrupted archive once it was changed
	doctor "$b" "$b"
	kdx_rc 65 verify --all
	contains "$ERR" "$b: an archive the warehouse has no record of"
}

# A bag re-packed from inside its folder has no base directory (RFC 8493
# §4.2): refused as a packaging matter, with the command that re-packs it,
# never with the advice to keep it as evidence.
test_bag_packed_without_its_folder() {
	one_snapshot
	(cd "$X" && tar -czf ../../inside.tar.gz . && tar -czf ../../bare.tar.gz bagit.txt bag-info.txt manifest-sha256.txt \
		manifest-sha512.txt tagmanifest-sha256.txt data)
	local f
	for f in inside.tar.gz bare.tar.gz; do
		kdx_rc 65 verify "$f"
		contains "$ERR" "archive \"$f\" has no base directory"
		contains "$ERR" "RFC 8493"
		contains "$ERR" "mkdir kdx-2025-10-31-1 && tar -xf $f -C kdx-2025-10-31-1 && tar -czf kdx-2025-10-31-1.tar.gz kdx-2025-10-31-1"
		not_contains "$ERR" "evidence"
		kdx_rc 65 restore "$f" --out "r-$f"
		contains "$ERR" "has no base directory"
		not_contains "$ERR" "evidence"
		no_files "r-$f"
	done
	# the command given re-packs it into a bag that verifies
	mkdir fix && (cd fix && mkdir kdx-2025-10-31-1 && tar -xf ../inside.tar.gz -C kdx-2025-10-31-1 \
		&& tar -czf kdx-2025-10-31-1.tar.gz kdx-2025-10-31-1)
	kdx_rc 0 verify fix/kdx-2025-10-31-1.tar.gz
	# without a warehouse the folder's number is not known: the as-of is
	mkdir auditor
	KDX_HOME=$PWD/auditor KDX_DATABASE_URL= kdx_rc 65 verify inside.tar.gz
	contains "$ERR" "has no base directory"
	contains "$ERR" "kdx-2025-10-31-N"
	not_contains "$ERR" "evidence"
}

# The bag as an auditor may have packed it: zipped, or a tar compressed with
# xz (Python's zipfile and tarfile, independent writers), verifies and
# restores to the same files.
test_zip_and_xz_bags_verify() {
	one_snapshot
	/usr/bin/python3 - x <<'PY'
import os, sys, tarfile, zipfile
root = sys.argv[1]
files = sorted(os.path.relpath(os.path.join(d, n), root) for d, _, ns in os.walk(root) for n in ns)
with zipfile.ZipFile('bag.zip', 'w', zipfile.ZIP_DEFLATED) as z:
    for f in files:
        z.write(os.path.join(root, f), f)
with tarfile.open('bag.tar.xz', 'w:xz', format=tarfile.PAX_FORMAT) as t:
    t.add(os.path.join(root, 'kdx-2025-10-31-1'), 'kdx-2025-10-31-1')
PY
	local f
	for f in bag.zip bag.tar.xz; do
		kdx_rc 0 verify "$f"
		contains "$OUT" "$f: valid bag"
		kdx_rc 0 restore "$f" --out "r-$f"
		diff -r "$X" "r-$f/kdx-2025-10-31-1" >/dev/null || die "$f restored other files"
	done
	# a changed file in a zip is named as in any other form
	/usr/bin/python3 - <<'PY'
import zipfile
with zipfile.ZipFile('bag.zip') as src, zipfile.ZipFile('changed.zip', 'w') as dst:
    for i in src.infolist():
        d = src.read(i)
        if i.filename.endswith('data/warehouse/load_batch.csv'):
            d += b'x'
        dst.writestr(i, d)
PY
	kdx_rc 65 verify changed.zip
	contains "$ERR" "changed file: data/warehouse/load_batch.csv"
	# a zip with a link or a ".." entry is refused like a tar
	/usr/bin/python3 - <<'PY'
import zipfile
with zipfile.ZipFile('dotdot.zip', 'w') as z:
    z.writestr('kdx-2025-10-31-1/bagit.txt', 'BagIt-Version: 1.0\n')
    z.writestr('kdx-2025-10-31-1/../../evil.txt', 'x')
PY
	kdx_rc 65 restore dotdot.zip --out r3
	contains "$ERR" 'a ".." component'
	[ ! -e evil.txt ] && [ ! -e ../evil.txt ] || die "something was written outside"
}

# Archives kdx wrote before it read them with libarchive (kdx 0c50ed1's tar
# writer: ustar, pax records for long UTF-8 names, one gzip stream whose level
# changes between entries) still verify and restore byte for byte.
test_archives_written_before_still_verify() {
	local a="$ROOT/tests/fixtures/archives/kdx-0c50ed1.tar.gz"
	mkdir auditor
	local tag; tag=$(tar -xzOf "$a" kdx-2025-10-31-1/tagmanifest-sha256.txt | sha256sum | cut -c1-64)
	KDX_HOME=$PWD/auditor KDX_DATABASE_URL= kdx_rc 0 verify --chain-head "$tag" "$a"
	KDX_HOME=$PWD/auditor KDX_DATABASE_URL= kdx_rc 0 restore "$a" --out r
	mkdir gnu && tar -xzf "$a" -C gnu
	diff -r gnu r >/dev/null || die "the restored files differ from GNU tar's"
	[ -f "r/kdx-2025-10-31-1/data/reports/councils/440001_大分県/council/2025-10-31_こども政策DX進捗.xlsx" ] \
		|| die "the name longer than 100 bytes (a pax record) was not restored"
}

# The same inputs and kdx version give the same archive bytes (kdx's own
# writer; libarchive only reads): the snapshot made again from the same
# warehouse at the same (frozen) time is byte for byte the first.
test_same_inputs_give_the_same_archive_bytes() {
	kdx_rc 0 init --quiet
	kdx_rc 0 ingest --quiet "$SAMPLE/2025-10-01_市町村設定.csv"
	local at='2025-11-04 10:00:00'
	ASAN_OPTIONS="$ASAN_OPTIONS:verify_asan_link_order=0" faketime -f "$at" "$KDX" snapshot --quiet --as-of 2025-10-31 \
		|| die "the first snapshot"
	local a; a=$(ls archive/2025-10-31/*.tar.gz)
	mv "$a" first.tar.gz
	sql "DELETE FROM kdx.snapshot" >/dev/null
	ASAN_OPTIONS="$ASAN_OPTIONS:verify_asan_link_order=0" faketime -f "$at" "$KDX" snapshot --quiet --as-of 2025-10-31 \
		|| die "the second snapshot"
	eq "$(ls archive/2025-10-31/*.tar.gz)" "$a" "the archive's name"
	cmp first.tar.gz "$a" || die "the same inputs gave other archive bytes"
}
