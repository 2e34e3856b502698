/*
 * json.h - the one JSON writer of kdx's --json output (docs/json.md): an
 * object of fields, every string escaped, NULL written as null.
 */
#ifndef KDX_JSON_H
#define KDX_JSON_H

#include <stdbool.h>
#include <stdio.h>

typedef struct kdx_json {
	FILE *fp;
	int depth;
	bool first[16];  /* per open object or array: no field written yet */
} kdx_json;

/* Start the top-level object on fp. */
void kdx_json_begin(kdx_json *j, FILE *fp);
void kdx_json_str(kdx_json *j, const char *key, const char *val);   /* val NULL -> null */
void kdx_json_int(kdx_json *j, const char *key, long long val);
void kdx_json_bool(kdx_json *j, const char *key, bool val);
/* A number written by the caller's database (already JSON), or null when NULL or "". */
void kdx_json_num(kdx_json *j, const char *key, const char *digits);
/* An array (key NULL inside an array: an element) of objects or values. */
void kdx_json_array(kdx_json *j, const char *key);
void kdx_json_object(kdx_json *j, const char *key);
void kdx_json_close(kdx_json *j, char bracket);
/* Close the top-level object and end the line. */
void kdx_json_end(kdx_json *j);

#endif
