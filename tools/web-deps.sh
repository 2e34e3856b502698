#!/bin/sh
# The browser tests' npm packages (axe-core, puppeteer-core; pinned in
# tests/web/package.json and package-lock.json), installed with npm ci when
# missing or older than the lock file.  No browser is downloaded: the tests
# drive Debian's chromium.  Node.js and npm come from Debian when the machine
# has none.
set -eu
cd "$(dirname "$0")/../tests/web"
if ! command -v npm >/dev/null 2>&1; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps: npm is missing; run as root: apt-get install -y nodejs npm" >&2
		exit 1
	fi
	echo "deps: installing nodejs npm" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nodejs npm >/dev/null
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	echo "deps: npm ci in tests/web" >&2
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >&2
fi
