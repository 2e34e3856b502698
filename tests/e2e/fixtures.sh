# Fixtures: warehouses that many cases start from, built once per run and
# copied for each case that asks with "use_fixture NAME" (tests/e2e/lib.sh):
# CREATE DATABASE ... TEMPLATE for the database, cp -a for KDX_HOME.  Cloning
# takes about 0.1 s where building the sample warehouse takes seconds.
#
# Each fixture_NAME runs like a case (set -e, the helpers of lib.sh) in a
# database and KDX_HOME of its own, and may start from another fixture.  A
# case whose point is what a fixture does (kdx init, the ingest) does it
# itself instead.  The fixtures here are built first in a run of every case;
# a case file may define one of its own, which the first case that asks
# builds.  The archives' paths that the warehouse recorded (kdx.snapshot.path)
# are moved to the copy of KDX_HOME, as when an operator moves the folder.

# after "kdx init": the schema and the master data of data/master (大分県)
fixture_init() {
	kdx_rc 0 init --quiet
}

# and every file of data/sample loaded, in the order the glob gives
fixture_sample() {
	use_fixture init
	local f
	for f in "$SAMPLE"/*; do kdx_rc 0 ingest --quiet "$f"; done
}

# the sample and its snapshot as of 2026-11-30 (archive/2026-11-30/1_*.tar.gz)
fixture_snapshot() {
	use_fixture sample
	kdx_rc 0 snapshot --quiet --as-of 2026-11-30
}

# the sample and its reports as of 2026-11-30 (kdx report) in out/2026-11-30/
fixture_report() {
	use_fixture sample
	kdx_rc 0 report --quiet --as-of 2026-11-30
}
