#!/usr/bin/python3
"""An independent check of a BagIt bag (RFC 8493), for the tests: written from
the RFC, sharing nothing with kdx.  Usage: bagit_check.py BAG_DIR_OR_TARBALL.
Prints one line per problem and exits 1 when there is any."""
import hashlib, os, re, sys, tarfile, tempfile

problems = []
def bad(msg):
    problems.append(msg)

def decode_path(p):
    # RFC 8493 §2.1.3: CR, LF and % in manifest paths are percent-encoded
    return p.replace('%0D', '\r').replace('%0A', '\n').replace('%25', '%')

def read_manifest(bag, name):
    entries = {}
    with open(os.path.join(bag, name), 'rb') as fp:
        text = fp.read().decode('utf-8')
    for i, line in enumerate(text.split('\n')):
        if not line:
            continue
        m = re.match(r'^([0-9a-fA-F]+)[ \t]+(.+)$', line.rstrip('\r'))
        if not m:
            bad(f'{name}:{i + 1}: not "checksum path"')
            continue
        path = decode_path(m.group(2))
        if path.startswith('/') or '..' in path.split('/') or path.startswith('./'):
            bad(f'{name}:{i + 1}: path {path!r} leaves the bag or is not normalised')
        if path in entries:
            bad(f'{name}:{i + 1}: {path} listed twice')
        entries[path] = m.group(1).lower()
    return entries

def digest(path, alg):
    h = hashlib.new(alg)
    with open(path, 'rb') as fp:
        for chunk in iter(lambda: fp.read(1 << 16), b''):
            h.update(chunk)
    return h.hexdigest()

def check(bag):
    try:
        lines = open(os.path.join(bag, 'bagit.txt'), 'rb').read().decode('utf-8').split('\n')
    except OSError:
        bad('bagit.txt is missing')
        return
    if lines[:2] != ['BagIt-Version: 1.0', 'Tag-File-Character-Encoding: UTF-8']:
        bad(f'bagit.txt: {lines[:2]!r}')
    if not os.path.isdir(os.path.join(bag, 'data')):
        bad('no data/ folder')
    payload = set()
    for d, _, names in os.walk(os.path.join(bag, 'data')):
        for n in names:
            payload.add(os.path.relpath(os.path.join(d, n), bag).replace(os.sep, '/'))
    manifests = [n for n in os.listdir(bag) if re.fullmatch(r'manifest-[a-z0-9]+\.txt', n)]
    if not manifests:
        bad('no payload manifest')
    octets = 0
    for f in payload:
        octets += os.path.getsize(os.path.join(bag, f))
    for name in manifests:
        alg = name[len('manifest-'):-4]
        entries = read_manifest(bag, name)
        for path, want in entries.items():
            if not path.startswith('data/'):
                bad(f'{name}: {path} is not payload')
            elif path not in payload:
                bad(f'{name}: {path} is missing')
            elif digest(os.path.join(bag, path), alg) != want:
                bad(f'{name}: {path} does not match')
        for path in payload - set(entries):
            bad(f'{name}: {path} is not listed')
    tagmanifests = [n for n in os.listdir(bag) if re.fullmatch(r'tagmanifest-[a-z0-9]+\.txt', n)]
    for name in tagmanifests:
        alg = name[len('tagmanifest-'):-4]
        entries = read_manifest(bag, name)
        for path, want in entries.items():
            if path.startswith('data/') or path.startswith('tagmanifest-'):
                bad(f'{name}: lists {path}')
            elif not os.path.isfile(os.path.join(bag, path)):
                bad(f'{name}: {path} is missing')
            elif digest(os.path.join(bag, path), alg) != want:
                bad(f'{name}: {path} does not match')
        for tag in ['bagit.txt', 'bag-info.txt'] + manifests:
            if os.path.exists(os.path.join(bag, tag)) and tag not in entries:
                bad(f'{name}: {tag} is not listed')
    info = os.path.join(bag, 'bag-info.txt')
    if os.path.exists(info):
        fields = {}
        for line in open(info, encoding='utf-8').read().split('\n'):
            if line and not line[0].isspace():
                k, _, v = line.partition(':')
                fields.setdefault(k, []).append(v.strip())
        oxum = fields.get('Payload-Oxum', [None])[0]
        if oxum is not None and oxum != f'{octets}.{len(payload)}':
            bad(f'Payload-Oxum {oxum} but the payload is {octets}.{len(payload)}')
        for date in fields.get('Bagging-Date', []):
            if not re.fullmatch(r'\d{4}-\d{2}-\d{2}', date):
                bad(f'Bagging-Date {date!r} is not YYYY-MM-DD')

target = sys.argv[1]
if os.path.isdir(target):
    check(target)
else:
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(target) as t:
            for m in t.getmembers():
                name = m.name[2:] if m.name.startswith('./') else m.name
                if name.startswith('/') or '..' in name.split('/') or not (m.isfile() or m.isdir()):
                    bad(f'unsafe archive entry {m.name!r}')
            if problems:
                print('\n'.join(problems))
                sys.exit(1)
            t.extractall(tmp)
        tops = os.listdir(tmp)
        if len(tops) != 1:
            bad(f'the archive holds {len(tops)} top-level entries, not one bag folder')
        else:
            check(os.path.join(tmp, tops[0]))
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
