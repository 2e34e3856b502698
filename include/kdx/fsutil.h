/*
 * fsutil.h - folders and files written so that readers never see half a file.
 */
#ifndef KDX_FSUTIL_H
#define KDX_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>
#include "kdx/error.h"

/* mkdir -p: create path and its missing parents with mode; 0 on success
 * (also when it exists), -1 with errno set. */
int kdx_mkdirs(const char *path, mode_t mode);

/* A writer produces a whole file at tmp. */
typedef kdx_status (*kdx_writer_fn)(void *ctx, const char *tmp, kdx_error **err);
/* Run fn on a temporary name beside path, then rename it to path; on failure
 * the temporary file is removed and path is untouched. */
kdx_status kdx_write_via_tmp(const char *path, kdx_writer_fn fn, void *ctx, kdx_error **err);
/* The names in dir (without . and ..), sorted bytewise so that every walk is
 * in the same order; NULL (errno set) when dir cannot be opened.  Free with
 * kdx_dir_names_free. */
char **kdx_dir_names(const char *dir, int *n);
void kdx_dir_names_free(char **names, int n);
/* Remove, under dir and its folders, the "*.tmpPID" files of writers that no
 * longer run (a kdx killed while writing); returns how many. */
int kdx_remove_stale_tmp(const char *dir);
/* Write data to path atomically (through kdx_write_via_tmp). */
kdx_status kdx_write_file_atomic(const char *path, const void *data, size_t n, kdx_error **err);

/* Flush a file's data (and then, for a folder, its entries) to stable storage:
 * what a record in the warehouse points to must survive a power loss as well
 * as the record does.  The path of a folder syncs its entries (a rename). */
kdx_status kdx_sync_path(const char *path, kdx_error **err);

/* A new private folder under home/var/tmp (made when missing) for scratch
 * work bigger than one file: the reports a snapshot archives, a reproduction.
 * NULL (errno set) when it cannot be made.  kdx_tmpdir_free removes it and all
 * it holds, then frees the name; NULL does nothing. */
char *kdx_tmpdir_new(const char *home);
void kdx_tmpdir_free(char *dir);

/* The folder for short-lived scratch files that are unlinked at once (a
 * workbook's parts before they are zipped): $TMPDIR when it names a writable
 * folder; otherwise /dev/shm when it is a writable tmpfs with at least
 * KDX_SCRATCH_MIN_FREE bytes free; otherwise NULL, meaning the library's own
 * default (/tmp).  Creating and unlinking tens of thousands of files on a disk
 * file system costs inode allocation there (ext4 skips recently freed inodes);
 * in memory it does not.  Chosen once per process. */
#define KDX_SCRATCH_MIN_FREE (256UL << 20)
const char *kdx_scratch_dir(void);

/* Whose files kdx trusts as its own (SPEC §7: a configuration others could
 * have changed is refused): root, the user kdx runs as, the user who invoked
 * it (the real user, and when that is root the user sudo names in SUDO_UID
 * and the login user of /proc/self/loginuid), and the system user "kdx". */
bool kdx_owner_trusted(uid_t uid);
/* True when a user other than st's owner may write what st describes, by
 * its mode: others may, or its group may and that group is not its owner's
 * alone (Debian's sshd takes a group whose one member is the owner, as a
 * user's private group under umask 002 is, for the owner's own). */
bool kdx_others_may_write(const struct stat *st);
/* A user's name, or "uid N" for one without a name; caller frees. */
char *kdx_user_name(uid_t uid);
/* A group's name, or "gid N"; caller frees. */
char *kdx_group_name(gid_t gid);
/* "Its mode is 0644 (-rw-r--r--), its owner root and its group root.": the
 * detail of a refusal of a file or folder others could change; caller frees. */
char *kdx_describe_mode(const struct stat *st);

#endif
