#!/bin/sh
# Install the Debian packages kdx needs that are missing (as root), or print
# the one apt-get line to run.
# Usage: tools/deps.sh [--with-tests | --with-fuzz | --runtime | --list-runtime]
#   (none)          what building and running kdx needs (make, make run)
#   --runtime       what an installed kdx needs on a server, without the compiler
#   --list-runtime  print that list and install nothing
set -eu
here=$(dirname "$0")
case "${1:-}" in
--list-runtime) sed -e '1,/^# run$/d' -e '/^# build$/,$d' -e 's/#.*//' "$here/packages.txt" | awk 'NF'; exit 0 ;;
--runtime) want=$(sed -e '1,/^# run$/d' -e '/^# build$/,$d' -e 's/#.*//' "$here/packages.txt" | awk 'NF') ;;
--with-tests) want=$(sed -e '/# fuzzing only/,$d' -e 's/#.*//' "$here/packages.txt" | awk 'NF') ;;
--with-fuzz) want=$(sed -e 's/#.*//' "$here/packages.txt" | awk 'NF') ;;
*) want=$(sed -e '/# tests only/,$d' -e 's/#.*//' "$here/packages.txt" | awk 'NF') ;;
esac
missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
	echo "deps: installing$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	# A stale or absent package list is the usual reason for a failed install.
	apt-get update -q >/dev/null || apt-get update
	apt-get install -y -q --no-install-recommends $missing >/dev/null || apt-get install -y $missing
else
	echo "deps: missing packages; run as root:" >&2
	echo "  apt-get install -y$missing" >&2
	exit 1
fi
