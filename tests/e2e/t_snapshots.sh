# Snapshots (BagIt in .tar.gz), verification, reproduction, restore, and jobs.

load_sample() {
	use_fixture sample
}

# The archive is on disk before the warehouse records it: its data is flushed
# before the rename that gives it its name, and the folder's entry after it
# (seen in the system calls kdx makes, as strace records them).
test_archive_is_flushed_before_it_is_recorded() {
	load_sample
	# (LeakSanitizer cannot run under ptrace; the other tests look for leaks)
	ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" strace -f -qq -e trace=openat,fsync,rename,renameat,renameat2 \
		-o "$KDX_HOME/trace.txt" "$KDX" snapshot --quiet --as-of 2026-11-30 || die "kdx snapshot under strace"
	local a; a=$(ls "$KDX_HOME"/archive/2026-11-30/1_*.tar.gz)
	/usr/bin/python3 - "$KDX_HOME/trace.txt" "$a" <<'PY' || die "archive not flushed before it was recorded"
import re, sys
trace, archive = sys.argv[1], sys.argv[2]
folder = archive.rsplit('/', 1)[0]
fds, events = {}, []
for line in open(trace, encoding='utf-8', errors='replace'):
    m = re.match(r'(\d+)\s+openat\(AT_FDCWD, "([^"]+)", [^)]*\)\s+=\s+(\d+)', line)
    if m:
        fds[(m.group(1), m.group(3))] = m.group(2)
        continue
    m = re.match(r'(\d+)\s+fsync\((\d+)\)\s+=\s+0', line)
    if m:
        events.append(('fsync', fds.get((m.group(1), m.group(2)))))
        continue
    m = re.match(r'(\d+)\s+rename(?:at2?)?\((?:AT_FDCWD, )?"([^"]+)", (?:AT_FDCWD, )?"([^"]+)"', line)
    if m:
        events.append(('rename', m.group(2), m.group(3)))
renames = [i for i, e in enumerate(events) if e[0] == 'rename' and e[2] == archive]
assert len(renames) == 1, ('the archive was not renamed into place once', len(renames))
r = renames[0]
tmp = events[r][1]
mine = [e for e in events if archive in str(e) or folder == e[-1]]
assert ('fsync', tmp) in events[:r], ('no fsync of the archive before its rename', mine)
assert ('fsync', folder) in events[r + 1:], ('no fsync of the archive folder after the rename', mine)
PY
	kdx_rc 0 verify "$a"
}

test_snapshot_is_a_valid_bag() {
	load_sample
	kdx_rc 0 snapshot --as-of 2026-11-30
	local a; a=$(ls "$KDX_HOME"/archive/2026-11-30/1_*.tar.gz)
	contains "$OUT" "snapshot written to $a"
	kdx_rc 0 verify "$a"
	contains "$OUT" "valid bag"
	# check the bag with Python alone: manifests, tag manifest, Payload-Oxum, chain field
	/usr/bin/python3 - "$a" <<'PY' || die "independent bag check"
import hashlib, sys, tarfile
t = tarfile.open(sys.argv[1], 'r:gz')
files = {m.name: t.extractfile(m).read() for m in t.getmembers() if m.isfile()}
root = sorted({n.split('/')[0] for n in files})
assert len(root) == 1, root
root = root[0]
for tag in ('bagit.txt', 'bag-info.txt', 'manifest-sha256.txt', 'manifest-sha512.txt', 'tagmanifest-sha256.txt'):
    assert f'{root}/{tag}' in files, tag
assert files[f'{root}/bagit.txt'].decode().startswith('BagIt-Version: 1.0\n')
payload = {n[len(root) + 1:]: d for n, d in files.items() if n.startswith(f'{root}/data/')}
for alg, mname in (('sha256', 'manifest-sha256.txt'), ('sha512', 'manifest-sha512.txt')):
    listed = {}
    for line in files[f'{root}/{mname}'].decode().splitlines():
        h, p = line.split(None, 1)
        listed[p] = h
    assert set(listed) == set(payload), set(listed) ^ set(payload)
    for p, h in listed.items():
        assert hashlib.new(alg, payload[p]).hexdigest() == h, p
for line in files[f'{root}/tagmanifest-sha256.txt'].decode().splitlines():
    h, p = line.split(None, 1)
    assert hashlib.sha256(files[f'{root}/{p}']).hexdigest() == h, p
info = dict(l.split(': ', 1) for l in files[f'{root}/bag-info.txt'].decode().splitlines())
assert info['Payload-Oxum'] == f"{sum(map(len, payload.values()))}.{len(payload)}", info['Payload-Oxum']
assert info['KDX-As-Of'] == '2026-11-30' and info['Previous-Snapshot-SHA256'] == 'none'
assert 'Bagging-Date' in info and 'KDX-Version' in info
# what the report used: warehouse dumps, master data, and the reports themselves
for p in ('data/warehouse/nursery_fact.csv', 'data/warehouse/load_batch.csv', 'data/warehouse/master/municipalities.csv',
          'data/reports/council/2026-11-30_こども政策DX進捗.pdf', 'data/reports/municipalities/442011_大分市.xlsx'):
    assert p in payload, p
assert b'sha256' in payload['data/warehouse/load_batch.csv'].splitlines()[0]
PY
	# the warehouse records it
	eq "$(sql "SELECT count(*) FROM kdx.snapshot WHERE as_of = '2026-11-30' AND path = '$a'")" 1
}

test_verify_names_every_changed_missing_and_extra_file() {
	use_fixture snapshot
	local a; a=$(ls "$KDX_HOME"/archive/2026-11-30/1_*.tar.gz)
	repack "$a" changed.tar.gz "
k = [n for n in files if n.endswith('data/warehouse/club_fact.csv')][0]
d = bytearray(files[k]); d[-2] ^= 1; files[k] = bytes(d)"
	kdx_rc 65 verify changed.tar.gz
	contains "$ERR" "changed file: data/warehouse/club_fact.csv"
	repack "$a" moved.tar.gz "
k = [n for n in files if n.endswith('data/reports/charts/pmh.png')][0]
del files[k]
files[k.split('/')[0] + '/data/extra.txt'] = b'not in the manifest'"
	kdx_rc 65 verify moved.tar.gz
	contains "$ERR" "missing file: data/reports/charts/pmh.png"
	contains "$ERR" "extra file: data/extra.txt"
	contains "$ERR" "Payload-Oxum"
}

test_chain_and_a_deleted_snapshot() {  # kdx-test: slow
	load_sample
	kdx_rc 0 snapshot --as-of 2025-06-30
	kdx_rc 0 snapshot --as-of 2025-12-31
	kdx_rc 0 snapshot --as-of 2026-11-30
	kdx_rc 0 verify --all
	contains "$OUT" "3 snapshots valid, chain intact"
	# each bag names the previous one's tagmanifest hash
	eq "$(sql "SELECT count(*) FROM (SELECT previous_sha256, lag(tagmanifest_sha256) OVER (ORDER BY id) AS p FROM kdx.snapshot) x WHERE previous_sha256 IS DISTINCT FROM p")" 0
	kdx_rc 0 snapshots
	contains "$OUT" "linked"
	# found by a prefix of the data hash the reports print, or of the tagmanifest hash
	local data tag
	data=$(sql "SELECT data_sha256 FROM kdx.snapshot WHERE as_of = '2025-12-31'")
	tag=$(sql "SELECT tagmanifest_sha256 FROM kdx.snapshot WHERE as_of = '2025-12-31'")
	kdx_rc 0 snapshots --find "${data:0:10}"
	eq "$(tail -n +2 <<<"$OUT" | wc -l)" 1 "snapshots found by the data hash"
	contains "$OUT" "$data"
	contains "$OUT" "$tag"
	kdx_rc 0 --json snapshots --find "${tag:0:8}"
	eq "$(/usr/bin/python3 -c 'import json,sys; print(json.loads(sys.argv[1])[0]["as_of"])' "$OUT")" "2025-12-31"
	kdx_rc 64 snapshots --find zz
	local mid; mid=$(ls "$KDX_HOME"/archive/2025-12-31/*.tar.gz)
	rm "$mid"
	kdx_rc 65 verify --all
	contains "$ERR" "snapshot 2 (as of 2025-12-31) is missing: $mid"
}

test_rerun_reuses_snapshot_and_reproduce_is_identical() {  # kdx-test: serial
	use_fixture snapshot
	kdx_rc 0 snapshot --as-of 2026-11-30
	contains "$OUT" "unchanged"
	eq "$(sql "SELECT count(*) FROM kdx.snapshot")" 1
	local a; a=$(ls "$KDX_HOME"/archive/2026-11-30/*.tar.gz)
	kdx_rc 0 verify --reproduce "$a"
	# 50 reports, charts and workbooks and the 35 files of the web edition (history.csv among them)
	contains "$OUT" "85 reports regenerated byte for byte"
	# the temporary database is gone
	eq "$(sql "SELECT count(*) FROM pg_database WHERE datname LIKE 'kdx_reproduce_%'")" 0
}

test_restore_refuses_crafted_archives() {
	use_fixture init
	/usr/bin/python3 - <<'PY'
import io, tarfile
def make(path, members):
    with tarfile.open(path, 'w:gz') as t:
        for name, kind in members:
            ti = tarfile.TarInfo(name)
            if kind == 'file':
                data = b'x'
                ti.size = 1
                t.addfile(ti, io.BytesIO(data))
            else:
                ti.type = tarfile.SYMTYPE
                ti.linkname = '/etc/passwd'
                t.addfile(ti)
make('dotdot.tar.gz', [('bag/ok.txt', 'file'), ('bag/../../x', 'file')])
make('absolute.tar.gz', [('/tmp/kdx-evil-absolute', 'file')])
make('link.tar.gz', [('bag/link', 'symlink')])
PY
	kdx_rc 65 restore dotdot.tar.gz --out r1
	contains "$ERR" 'a ".." component: "bag/../../x"'
	kdx_rc 65 restore absolute.tar.gz --out r2
	contains "$ERR" 'an absolute path: "/tmp/kdx-evil-absolute"'
	kdx_rc 65 restore link.tar.gz --out r3
	contains "$ERR" 'a symbolic link: "bag/link"'
	[ ! -e x ] && [ ! -e ../x ] && [ ! -e /tmp/kdx-evil-absolute ] || die "something was written outside"
	[ ! -e r1/bag/ok.txt ] || die "restore wrote part of a refused archive"
	# a good archive restores
	kdx_rc 0 snapshot --as-of 2025-01-31
	kdx_rc 0 restore "$(ls "$KDX_HOME"/archive/2025-01-31/*.tar.gz)" --out good
	[ -f good/kdx-2025-01-31-1/bagit.txt ] || die "restore did not extract the bag"
}

test_jobs_recorded_idempotent_and_locked() {  # kdx-test: serial
	use_fixture init
	mkdir -p inbox
	cp "$SAMPLE"/2025-* inbox/
	kdx_rc 0 run nightly --as-of 2025-12-31
	contains "$OUT" "nightly job for 2025-12-31: 6 files loaded, 0 already loaded, 0 rejected"
	cp "$SAMPLE"/2025-10-01_市町村設定.csv inbox/again.csv
	kdx_rc 0 run nightly --as-of 2025-12-31
	contains "$OUT" "0 files loaded, 1 already loaded, 0 rejected"
	eq "$(sql "SELECT count(*) FROM kdx.load_batch")" 6
	kdx_rc 0 jobs --json
	eq "$(/usr/bin/python3 -c 'import json,sys; j=json.loads(sys.argv[1]); print(len(j), j[1]["status"], j[1]["loaded"], j[0]["already"])' "$OUT")" "2 ok 6 1"
	# a second run while one holds the lock exits at once with 75, naming the holder
	psql -X -q -h "$KDX_TEST_SOCKET" -U postgres -d "$T_DB" -c "SET application_name = 'kdx lock run: pid 4242 on other-host'" \
		-c "BEGIN" -c "SELECT 1 FROM kdx.lock WHERE name = 'run' FOR UPDATE" -c "SELECT pg_sleep(20)" >/dev/null 2>&1 &
	local holder=$!
	local n=0
	until [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'kdx lock run:%' AND state = 'active'")" -gt 0 ]; do
		sleep 0.1; n=$((n + 1)); [ $n -lt 100 ] || die "the lock holder never started"
	done
	local t0; t0=$(date +%s)
	kdx_rc 75 run monthly --as-of 2025-12-31
	contains "$ERR" "another kdx run holds the lock"
	contains "$ERR" "It is held by pid 4242 on other-host, since"
	[ $(( $(date +%s) - t0 )) -lt 10 ] || die "the locked run did not exit at once"
	kill $holder 2>/dev/null || true
	wait $holder 2>/dev/null || true
	eq "$(sql "SELECT count(*) FROM kdx.job_run")" 2 "a locked run records nothing"
}

# Outputs are for the secretariat's group only (folders 0750), and are whole:
# the monthly job leaves no temporary file behind, and every PDF, workbook and
# archive it wrote reads back completely.
test_outputs_are_private_and_whole() {
	umask 022
	use_fixture init
	mkdir -p inbox
	cp "$SAMPLE"/* inbox/
	kdx_rc 0 run monthly --quiet --as-of 2026-11-30
	local d
	for d in out out/2026-11-30 out/2026-11-30/council out/2026-11-30/municipalities out/2026-11-30/charts \
	         out/2026-11-30/templates archive archive/2026-11-30 inbox/done; do
		[ -d "$d" ] || die "no folder $d"
		eq "$(stat -c %a "$d")" 750 "mode of $d"
	done
	eq "$(find out archive -name '*.tmp*' | wc -l)" 0 "temporary files left"
	# every output reads back whole with another reader
	local n=0 f
	while IFS= read -r f; do
		pdfinfo "$f" >/dev/null 2>&1 || die "unreadable PDF $f"
		n=$((n + 1))
	done < <(find out -name '*.pdf')
	eq "$n" 19 "PDFs written"
	/usr/bin/python3 - <<'PY' || die "unreadable workbook"
import glob, zipfile
books = glob.glob('out/**/*.xlsx', recursive=True)
assert len(books) == 37, len(books)   # council, 18 feedback, 18 templates
for b in books:
    assert zipfile.ZipFile(b).testzip() is None, b
PY
	gzip -t archive/2026-11-30/*.tar.gz || die "archive not whole"
}

# The forms an auditor will have: the bag re-packed by GNU tar from the folder
# it was extracted into ("./" names), uncompressed, pax, any entry order with
# GNU long names (Python's tarfile), and the extracted folder itself.
test_repacked_and_extracted_bags_verify() {
	use_fixture init
	kdx_rc 0 ingest --quiet "$SAMPLE/2025-10-01_市町村設定.csv"
	kdx_rc 0 snapshot --as-of 2025-10-31
	local a; a=$(ls "$KDX_HOME"/archive/2025-10-31/*.tar.gz)
	mkdir x
	tar -xzf "$a" -C x
	(cd x && tar -czf ../dot.tar.gz . && tar -cf ../plain.tar . && tar --format=pax -czf ../pax.tar.gz .)
	tar -tzf dot.tar.gz | head -3 | grep -q '^\./' || die "GNU tar did not write ./ names"
	/usr/bin/python3 - x <<'PY'
import os, random, sys, tarfile
root = sys.argv[1]
files = []
for d, _, names in os.walk(root):
    for n in names:
        files.append(os.path.join(d, n))
random.Random(7).shuffle(files)
with tarfile.open('shuffled.tar.gz', 'w:gz', format=tarfile.GNU_FORMAT) as t:
    for f in files:
        t.add(f, arcname=os.path.relpath(f, root))
# a name longer than ustar's 100 bytes (GNU's ././@LongLink record): read whole, it is an extra file
import io
with tarfile.open('long.tar.gz', 'w:gz', format=tarfile.GNU_FORMAT) as t:
    for f in files:
        t.add(f, arcname=os.path.relpath(f, root))
    ti = tarfile.TarInfo('kdx-2025-10-31-1/data/' + 'x' * 150 + '.csv'); ti.size = 2
    t.addfile(ti, io.BytesIO(b'1\n'))
PY
	local f
	for f in dot.tar.gz plain.tar pax.tar.gz shuffled.tar.gz x/kdx-2025-10-31-1; do
		kdx_rc 0 verify "$f"
		contains "$OUT" "$f: valid bag"
	done
	# kdx's bag passes a validator written from RFC 8493 alone
	/usr/bin/python3 "$ROOT/tests/tools/bagit_check.py" "$a" || die "the bag fails the independent BagIt check"
	kdx_rc 65 verify long.tar.gz
	contains "$ERR" "extra file: data/$(printf 'x%.0s' $(seq 150)).csv"
	# a file changed in the extracted folder is named
	local changed; changed=$(cd x/kdx-2025-10-31-1 && find data -type f | sort | head -1)
	echo "x" >>"x/kdx-2025-10-31-1/$changed"
	kdx_rc 65 verify x/kdx-2025-10-31-1
	contains "$ERR" "changed file: $changed"
	# and in a re-packed archive too
	(cd x && tar -czf ../changed.tar.gz .)
	kdx_rc 65 verify changed.tar.gz
	contains "$ERR" "changed file: $changed"
	! /usr/bin/python3 "$ROOT/tests/tools/bagit_check.py" changed.tar.gz >/dev/null || die "the independent check missed the change"
	contains "$ERR" "Keep the archive as it is, as evidence"
	not_contains "$ERR" "take a new snapshot"
	# restore verifies first and writes nothing from a bag that fails
	kdx_rc 65 restore changed.tar.gz --out r
	contains "$ERR" 'archive "changed.tar.gz" fails verification'
	contains "$ERR" "nothing was restored"
	[ ! -e r ] || [ -z "$(find r -type f)" ] || die "restore extracted a bag that fails verification"
	kdx_rc 0 restore dot.tar.gz --out r2
	[ -f r2/kdx-2025-10-31-1/bagit.txt ] || die "the re-packed bag did not restore"
}

# A doctored archive whose manifests were recomputed is a valid bag, but not
# the one the warehouse recorded, nor on the published chain.
test_doctored_archive_with_recomputed_manifests() {  # kdx-test: slow
	load_sample
	kdx_rc 0 snapshot --as-of 2025-12-31
	kdx_rc 0 snapshot --as-of 2026-11-30
	local a1 a2; a1=$(ls "$KDX_HOME"/archive/2025-12-31/*.tar.gz); a2=$(ls "$KDX_HOME"/archive/2026-11-30/*.tar.gz)
	local head; head=$(sql "SELECT tagmanifest_sha256 FROM kdx.snapshot ORDER BY id DESC LIMIT 1")
	kdx_rc 0 verify "$a2"
	contains "$OUT" "kdx-2026-11-30-1 claims to be snapshot 2 (as of 2026-11-30, number 1), recorded"
	cp "$a2" original.tar.gz
	# edit one PDF, recompute every manifest, the tag manifest and Payload-Oxum, put it back
	doctor "$a2" "$a2"
	# a valid bag on its own (the independent check agrees) ...
	/usr/bin/python3 "$ROOT/tests/tools/bagit_check.py" "$a2" || die "the doctored bag should be a valid bag"
	# ... but not the snapshot the warehouse recorded
	kdx_rc 65 verify "$a2"
	contains "$ERR" "kdx-2026-11-30-1: its tagmanifest SHA-256"
	contains "$ERR" "is not the $head the warehouse recorded for snapshot 2"
	kdx_rc 65 verify --all
	# an auditor's machine: no warehouse, the chain head from the minutes
	mkdir auditor
	KDX_HOME=$PWD/auditor KDX_DATABASE_URL= kdx_rc 0 verify --chain-head "${head:0:16}" "$a1" original.tar.gz
	contains "$OUT" "2 archives valid and linked to the chain head"
	KDX_HOME=$PWD/auditor KDX_DATABASE_URL= kdx_rc 65 verify --chain-head "${head:0:16}" "$a1" "$a2"
	contains "$ERR" "no archive given has the chain head ${head:0:16}"
	KDX_HOME=$PWD/auditor KDX_DATABASE_URL= kdx_rc 0 verify "$a2"
	contains "$ERR" "no warehouse to compare with"
	[ ! -e auditor/var/pg ] || die "verify made a warehouse on the auditor's machine"
}

# KDX_SIGNING_KEY signs each bag's tag manifest; verify --pubkey checks it and
# fails on a wrong key, a missing signature or any change.
test_signed_snapshots() {  # kdx-test: slow
	openssl genpkey -algorithm ed25519 -out key.pem 2>/dev/null
	openssl pkey -in key.pem -pubout -out pub.pem
	openssl genpkey -algorithm ed25519 -out other.pem 2>/dev/null
	openssl pkey -in other.pem -pubout -out otherpub.pem
	load_sample
	kdx_rc 0 snapshot --as-of 2025-06-30
	KDX_SIGNING_KEY=$PWD/key.pem kdx_rc 0 snapshot --as-of 2025-12-31
	local unsigned signed
	unsigned=$(ls "$KDX_HOME"/archive/2025-06-30/*.tar.gz); signed=$(ls "$KDX_HOME"/archive/2025-12-31/*.tar.gz)
	# the signature, checked here with openssl itself
	mkdir s && tar -xzf "$signed" -C s
	local bag; bag=$(ls s)
	[ "$(wc -l <"s/$bag/tagmanifest-sha256.txt.sig")" -eq 1 ] || die "the signature is not one line"
	base64 -d "s/$bag/tagmanifest-sha256.txt.sig" >sig.bin
	openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -in "s/$bag/tagmanifest-sha256.txt" -sigfile sig.bin >/dev/null \
		|| die "openssl does not accept the signature"
	kdx_rc 0 verify --pubkey pub.pem "$signed"
	contains "$OUT" "signature valid"
	kdx_rc 65 verify --pubkey otherpub.pem "$signed"
	contains "$ERR" "the signature does not match the tag manifest with this key"
	kdx_rc 65 verify --pubkey pub.pem "$unsigned"
	contains "$ERR" "the bag is not signed (no tagmanifest-sha256.txt.sig)"
	# any change, even with the tag manifest recomputed to match it
	echo "Contact-Name: someone else" >>"s/$bag/bag-info.txt"
	local h; h=$(sha256sum "s/$bag/bag-info.txt" | cut -d' ' -f1)
	sed -i "s/^[0-9a-f]*  bag-info.txt$/$h  bag-info.txt/" "s/$bag/tagmanifest-sha256.txt"
	mkdir -p nowarehouse
	KDX_DATABASE_URL= KDX_HOME=$PWD/nowarehouse kdx_rc 65 verify --pubkey pub.pem "s/$bag"
	contains "$ERR" "the signature does not match"
	not_contains "$ERR" "changed file"
	kdx_rc 64 verify --pubkey key.pem "$signed"
	contains "$ERR" "not a PEM public key"
	KDX_SIGNING_KEY=$PWD/nothere.pem kdx_rc 64 snapshot --as-of 2026-11-30
	contains "$ERR" "cannot sign the snapshot"
}

# restore streams: a bag with a 200 MB payload file restores in far less memory
# than the file (the archive is never held whole).
test_restore_streams_a_large_bag() {
	/usr/bin/python3 - <<'PY'
import hashlib, io, tarfile
root = 'kdx-2026-01-31-1'
big = 200 * 1024 * 1024
h256, h512 = hashlib.sha256(), hashlib.sha512()
chunk = b'\0' * (1 << 20)
for _ in range(big >> 20):
    h256.update(chunk); h512.update(chunk)
files = {
    'bagit.txt': b'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n',
    'bag-info.txt': f'Payload-Oxum: {big}.1\nPrevious-Snapshot-SHA256: none\n'.encode(),
    'manifest-sha256.txt': f'{h256.hexdigest()}  data/big.bin\n'.encode(),
    'manifest-sha512.txt': f'{h512.hexdigest()}  data/big.bin\n'.encode(),
}
files['tagmanifest-sha256.txt'] = ''.join(f'{hashlib.sha256(d).hexdigest()}  {n}\n' for n, d in files.items()).encode()
class Zeros(io.RawIOBase):
    def __init__(self, n): self.left = n
    def readable(self): return True
    def readinto(self, b):
        k = min(len(b), self.left); b[:k] = b'\0' * k; self.left -= k; return k
with tarfile.open('big.tar.gz', 'w:gz', compresslevel=1) as t:
    for n, d in files.items():
        ti = tarfile.TarInfo(f'{root}/{n}'); ti.size = len(d); t.addfile(ti, io.BytesIO(d))
    ti = tarfile.TarInfo(f'{root}/data/big.bin'); ti.size = big; t.addfile(ti, io.BufferedReader(Zeros(big)))
PY
	local rss
	rss=$(/usr/bin/python3 -c '
import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], capture_output=True)
sys.stderr.write(r.stderr.decode())
print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)' \
		env KDX_DATABASE_URL= KDX_HOME="$PWD" "$KDX" restore big.tar.gz --out big)
	eq "${rss%% *}" 0 "restore's exit status"
	[ "$(stat -c %s big/kdx-2026-01-31-1/data/big.bin)" -eq $((200 * 1024 * 1024)) ] || die "the big file was not restored whole"
	[ "${rss##* }" -lt 120 ] || die "restore used ${rss##* } MB for a 200 MB file"
}
