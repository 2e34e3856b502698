/*
 * ingest.h - load one input file into the warehouse, whole or not at all.
 *
 * The dataset is recognised from the header row (or, in a municipal
 * workbook, the sheet name), never from the file name.  Every problem in the
 * file is collected; if there is any, nothing is loaded and a reject report
 * in Japanese (text and CSV) is written for the submitter.
 */
#ifndef KDX_INGEST_H
#define KDX_INGEST_H

#include <signal.h>
#include <stdbool.h>
#include "kdx/db.h"
#include "kdx/text.h"

typedef struct kdx_ingest_opts {
	kdx_encoding encoding;   /* KDX_ENC_AUTO to detect */
	const char *rejects_dir; /* where reject reports go ($KDX_HOME/rejects) */
	const char *beside_dir;  /* also copy the reports here (inbox/rejected), or NULL */
	bool regular_only;       /* a file of the inbox: kdx_input_open_regular */
	/* when set and non-zero (a signal handler's flag), kdx_ingest_files takes
	 * no further file; NULL for none */
	const volatile sig_atomic_t *stop;
} kdx_ingest_opts;

typedef enum kdx_ingest_outcome {
	KDX_INGEST_LOADED,
	KDX_INGEST_ALREADY,   /* same SHA-256 already loaded: nothing changed */
	KDX_INGEST_REJECTED
} kdx_ingest_outcome;

typedef struct kdx_ingest_result {
	kdx_ingest_outcome outcome;
	long batch_id;        /* the new batch, or the earlier one for ALREADY */
	long rows;
	int problems;
	int warnings;
	char *sha256;
	char *summary;        /* one line: datasets, municipalities, dates */
	char *report_txt;     /* reject report paths (REJECTED only) */
	char *report_csv;
} kdx_ingest_result;

/* Returns KDX_OK for LOADED and ALREADY, KDX_EDATA for REJECTED (with *err
 * summarising the problems), or another status for system failures. */
kdx_status kdx_ingest_file(kdx_db *db, const char *path, const kdx_ingest_opts *opts,
                           kdx_ingest_result *res, kdx_error **err);
void kdx_ingest_result_clear(kdx_ingest_result *res);

#endif
