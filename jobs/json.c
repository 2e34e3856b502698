/* json.c - the one JSON writer of --json (see json.h). */
#include <stdlib.h>
#include <string.h>
#include "kdx/json.h"
#include "kdx/grid.h"

static void sep(kdx_json *j, const char *key)
{
	if (!j->first[j->depth])
		fputc(',', j->fp);
	j->first[j->depth] = false;
	if (key) {
		kdx_json_string(j->fp, key);
		fputc(':', j->fp);
	}
}

void kdx_json_begin(kdx_json *j, FILE *fp)
{
	memset(j, 0, sizeof *j);
	j->fp = fp;
	fputc('{', fp);
	j->first[0] = true;
}

void kdx_json_str(kdx_json *j, const char *key, const char *val)
{
	sep(j, key);
	if (val)
		kdx_json_string(j->fp, val);
	else
		fputs("null", j->fp);
}

void kdx_json_int(kdx_json *j, const char *key, long long val)
{
	sep(j, key);
	fprintf(j->fp, "%lld", val);
}

void kdx_json_bool(kdx_json *j, const char *key, bool val)
{
	sep(j, key);
	fputs(val ? "true" : "false", j->fp);
}

void kdx_json_num(kdx_json *j, const char *key, const char *digits)
{
	sep(j, key);
	char *end = NULL;
	if (digits)
		strtod(digits, &end);
	bool ok = digits && end != digits && !*end && strpbrk(digits, "0123456789");
	fputs(ok ? digits : "null", j->fp);
}

static void open_nested(kdx_json *j, const char *key, char bracket)
{
	sep(j, key);
	fputc(bracket, j->fp);
	if (j->depth + 1 < (int)(sizeof j->first / sizeof j->first[0]))
		j->first[++j->depth] = true;
}

void kdx_json_array(kdx_json *j, const char *key)
{
	open_nested(j, key, '[');
}

void kdx_json_object(kdx_json *j, const char *key)
{
	open_nested(j, key, '{');
}

void kdx_json_close(kdx_json *j, char bracket)
{
	fputc(bracket, j->fp);
	if (j->depth > 0)
		j->depth--;
}

void kdx_json_end(kdx_json *j)
{
	fputs("}\n", j->fp);
}
