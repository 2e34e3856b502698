/* layout.c - where things are under KDX_HOME (see layout.h). */
#include "kdx/layout.h"
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
