/*
 * layout.h - where things are under KDX_HOME, stated once.
 *
 *   inbox/                  files to load (done/ and rejected/ inside)
 *   rejects/                copies of every reject report
 *   out/<as-of>/            the reports of an as-of date: council/, municipalities/,
 *                           charts/, web/ (and councils/ in the national view)
 *   out/<as-of>/templates/  the input workbooks for the next round
 *   archive/<as-of>/        the snapshots of an as-of date
 *   var/                    the private warehouse
 */
#ifndef KDX_LAYOUT_H
#define KDX_LAYOUT_H

#include "kdx/error.h"

typedef enum kdx_place {
	KDX_PLACE_INBOX,
	KDX_PLACE_REJECTS,
	KDX_PLACE_OUT,        /* needs the as-of */
	KDX_PLACE_TEMPLATES,  /* needs the as-of */
	KDX_PLACE_ARCHIVE     /* needs the as-of */
} kdx_place;

/* The folders of out/<as-of>/ (kdx_render_reports writes them, snapshots archive them). */
#define KDX_OUT_COUNCIL  "council"         /* the council report, PDF and xlsx */
#define KDX_OUT_MUNIS    "municipalities"  /* a feedback report per municipality */
#define KDX_OUT_CHARTS   "charts"          /* the goal charts, PNG and SVG */
#define KDX_OUT_COUNCILS "councils"        /* national view: every prefecture's council report */
#define KDX_OUT_WEB      "web"             /* the web edition: HTML and CSV for publication */

/* The folder of place under home, for the as-of date asof_iso (YYYY-MM-DD;
 * ignored by the places that need none).  Caller frees. */
char *kdx_home_path(const char *home, kdx_place place, const char *asof_iso);

/*
 * KDX_HOME as sshd checks a home (SPEC §7): kdx (often root) reads, runs and
 * writes what is there, so home must be a folder of a user kdx trusts
 * (kdx_owner_trusted: root, the kdx user, the invoking user) that no one else
 * may write (kdx_others_may_write), below folders of such users that no one
 * else may write either, unless they are sticky like /tmp (then no one else
 * may move home away).
 * The staff group may write the inbox only, which this does not look at.  A
 * home not made yet is judged by the folders it will be made in.
 * KDX_ECONFIG naming the folder, its mode and its owner otherwise.
 */
kdx_status kdx_home_check(const char *home, kdx_error **err);

#endif
