#!/usr/bin/env bash
# stop-servers.sh DIR...: stop every PostgreSQL server whose data folder is
# under one of DIR (a postmaster.pid there names a running postgres), as the
# test runner does after each case and at the end of a run: a case that
# failed, or was interrupted, before it stopped a server it started leaves no
# server behind.  Says which it stopped.
for dir in "$@"; do
	[ -d "$dir" ] || continue
	find "$dir" -name postmaster.pid -type f 2>/dev/null | while read -r f; do
		pid=$(head -n 1 "$f" 2>/dev/null)
		[[ $pid =~ ^[0-9]+$ ]] || continue
		grep -q postgres "/proc/$pid/cmdline" 2>/dev/null || continue
		echo "stop-servers: stopping the PostgreSQL server left running in ${f%/postmaster.pid} (pid $pid)"
		kill -INT "$pid" 2>/dev/null       # fast shutdown
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$pid" 2>/dev/null
	done
done
exit 0
