/*
 * master.h - loading the master data (SPEC §3) into the warehouse.
 *
 * Each master file (prefectures, municipalities, procedures, goals, goal
 * items) is read by its header's column names, checked, and merged into its
 * kdx table.  A file may lack the columns that later kdx versions added (a
 * goal's kind, its words, an item's need): those are taken from kdx's own
 * shipped master data for the same key, so a master folder written for an
 * earlier kdx keeps working.
 */
#ifndef KDX_MASTER_H
#define KDX_MASTER_H

#include "kdx/db.h"

/* Load the master data of dir (NULL: the copy built into kdx) in one
 * transaction.  A file that cannot be read is KDX_EIO; a column missing or
 * unknown, a value that is empty where one is needed, is KDX_EDATA, naming
 * the file and line. */
kdx_status kdx_master_load(kdx_db *db, const char *dir, kdx_error **err);

/* After a migration added master columns to a warehouse whose master data an
 * earlier kdx loaded: fill what is still empty from the shipped master data
 * (nothing is overwritten).  Cheap when nothing is missing. */
kdx_status kdx_master_complete(kdx_db *db, kdx_error **err);

#endif
