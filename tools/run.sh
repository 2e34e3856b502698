#!/bin/sh
# make run: the monthly job on data/sample with kdx's private warehouse under var/.
set -eu
cd "$(dirname "$0")/.."
KDX="$PWD/bin/kdx"
export KDX_HOME="${KDX_HOME:-$PWD}"
AS_OF="${KDX_AS_OF:-2026-11-30}"   # the month-end after the latest sample round (2026-10-01)
$KDX init
# the sample plays the part of what the municipalities dropped into the inbox
mkdir -p "$KDX_HOME/inbox"
for f in data/sample/*; do
	b=$(basename "$f")
	[ -e "$KDX_HOME/inbox/done/$b" ] || cp -p "$f" "$KDX_HOME/inbox/"
done
$KDX run monthly --as-of "$AS_OF" -j 2
echo
$KDX table summary --as-of "$AS_OF"
