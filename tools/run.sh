#!/bin/sh
# make run: the monthly job on data/sample with the private warehouse under var/.
set -eu
cd "$(dirname "$0")/.."
KDX=bin/kdx
export KDX_HOME="${KDX_HOME:-$PWD}"
$KDX init
