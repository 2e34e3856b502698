/* cmd_pending.c - commands whose capability is not built yet. */
#include <stdio.h>
#include "kdx/cli.h"

static int pending(const char *name, int argc, char **argv, kdx_env *env)
{
	static const struct option longopts[] = { KDX_COMMON_LONGOPTS, { NULL, 0, NULL, 0 } };
	int c, rc;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1)
		if (c == KDX_OPT_HELP)
			return kdx_cli_common(c, name, env);
	(void)rc;
	kdx_error *e = kdx_error_new(KDX_EUSAGE, "command \"%s\" is not available in this version of kdx", name);
	kdx_error_detail(e, "kdx %s does not implement it yet.", KDX_VERSION);
	return kdx_cli_fail(KDX_EUSAGE, e);
}

#define PENDING(name, text) \
	const char kdx_usage_##name[] = text; \
	int kdx_cmd_##name(int argc, char **argv, kdx_env *env) { return pending(#name, argc, argv, env); }

PENDING(snapshot, "usage: kdx snapshot --as-of DATE\n")
PENDING(snapshots, "usage: kdx snapshots\n")
PENDING(verify, "usage: kdx verify ARCHIVE | --all\n")
PENDING(restore, "usage: kdx restore ARCHIVE --out DIR\n")
PENDING(run, "usage: kdx run nightly|monthly [--as-of DATE]\n")
PENDING(jobs, "usage: kdx jobs\n")
