#!/bin/sh
# make run: the monthly job on data/sample with the private warehouse under var/.
set -eu
cd "$(dirname "$0")/.."
KDX="$PWD/bin/kdx"
export KDX_HOME="${KDX_HOME:-$PWD}"
AS_OF="${KDX_AS_OF:-2026-11-30}"   # the latest sample round is 2026-10-01
$KDX init
mkdir -p "$KDX_HOME/inbox"
# the sample plays the part of what municipalities dropped into the inbox
for f in data/sample/*; do
	b=$(basename "$f")
	[ -e "$KDX_HOME/inbox/done/$b" ] || cp -p "$f" "$KDX_HOME/inbox/"
done
$KDX ingest --inbox --quiet || [ $? -eq 65 ]
$KDX table summary --as-of "$AS_OF"
