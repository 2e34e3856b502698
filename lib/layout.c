/* layout.c - where things are under KDX_HOME, and whether KDX_HOME is kdx's (see layout.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kdx/layout.h"
#include "kdx/fsutil.h"
#include "kdx/mem.h"

char *kdx_home_path(const char *home, kdx_place place, const char *asof_iso)
{
	switch (place) {
	case KDX_PLACE_INBOX:
		return kdx_strdup_printf("%s/inbox", home);
	case KDX_PLACE_REJECTS:
		return kdx_strdup_printf("%s/rejects", home);
	case KDX_PLACE_OUT:
		return kdx_strdup_printf("%s/out/%s", home, asof_iso);
	case KDX_PLACE_TEMPLATES:
		return kdx_strdup_printf("%s/out/%s/templates", home, asof_iso);
	case KDX_PLACE_ARCHIVE:
		return kdx_strdup_printf("%s/archive/%s", home, asof_iso);
	}
	return kdx_strdup(home);
}

/* The refusal of home because of dir (home itself, or a folder above it). */
static kdx_status refuse_home(const char *home, const char *dir, const struct stat *st, bool writable, kdx_error **err)
{
	bool self = !strcmp(dir, home);
	char *who = kdx_user_name(st->st_uid);
	if (writable && self)
		kdx_fail(err, KDX_ECONFIG, "refusing KDX_HOME \"%s\": others may write in it", home);
	else if (writable)
		kdx_fail(err, KDX_ECONFIG, "refusing KDX_HOME \"%s\": others may write in \"%s\" above it", home, dir);
	else if (self)
		kdx_fail(err, KDX_ECONFIG, "refusing KDX_HOME \"%s\": it belongs to user \"%s\"", home, who);
	else
		kdx_fail(err, KDX_ECONFIG, "refusing KDX_HOME \"%s\": \"%s\" above it belongs to user \"%s\"", home, dir, who);
	char *d = kdx_describe_mode(st);
	char *me = kdx_user_name(geteuid());
	kdx_error_detail(*err, "%s kdx runs as %s and reads, runs and writes what KDX_HOME holds: whoever else may change"
	                 " it could change what kdx does, so kdx refuses it as sshd refuses such a home.", d, me);
	if (writable && self)
		kdx_error_hint(*err, "Run \"chmod go-w %s\"; the staff group may write the inbox only (chgrp GROUP inbox &&"
		                     " chmod 2770 inbox).", dir);
	else if (writable)
		kdx_error_hint(*err, "Run \"chmod go-w %s\" (or \"chmod +t\" it, as /tmp is), or set KDX_HOME elsewhere.", dir);
	else
		kdx_error_hint(*err, "Give it to root or to the kdx user (chown), run kdx as user \"%s\", or set KDX_HOME to a"
		                     " folder of your own.", who);
	free(me);
	free(d);
	free(who);
	return KDX_ECONFIG;
}

kdx_status kdx_home_check(const char *home, kdx_error **err)
{
	/* the folders that exist, from home (or the nearest folder it will be made in) up to / */
	char *dir = realpath(home, NULL);
	bool made = dir != NULL;
	char *abs = dir ? kdx_strdup(dir) : NULL;
	if (!dir) {
		char *t = kdx_strdup(home);
		while (!dir) {
			char *sl = strrchr(t, '/');
			if (!sl) {
				free(t);
				t = kdx_strdup(".");
				dir = realpath(t, NULL);
				break;
			}
			*(sl == t ? sl + 1 : sl) = '\0';
			dir = realpath(t, NULL);
			if (sl == t)
				break;
		}
		free(t);
		if (!dir)
			return KDX_OK;  /* nothing to judge: making home will say what is wrong */
	}
	kdx_status st = KDX_OK;
	for (;;) {
		struct stat sb;
		if (stat(dir, &sb) != 0)
			break;
		bool self = made && !strcmp(dir, abs);
		bool writable = kdx_others_may_write(&sb) && (self || !(sb.st_mode & S_ISVTX));
		if (writable || !kdx_owner_trusted(sb.st_uid)) {
			st = refuse_home(abs ? abs : home, dir, &sb, writable, err);
			break;
		}
		char *sl = strrchr(dir, '/');
		if (!sl || sl == dir) {
			if (dir[1] == '\0')
				break;
			dir[1] = '\0';  /* then / itself */
		} else {
			*sl = '\0';
		}
	}
	free(dir);
	free(abs);
	return st;
}
