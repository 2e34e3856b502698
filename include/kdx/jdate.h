/*
 * jdate.h - calendar dates, Japanese eras and fiscal years (年度).
 *
 * A kdx_date is a proleptic Gregorian date.  Japanese fiscal years run from
 * April 1 to March 31 and are named by the calendar year they start in:
 * FY 2026 = 令和8年度 = 2026-04-01 .. 2027-03-31.
 */
#ifndef KDX_JDATE_H
#define KDX_JDATE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct kdx_date {
	int y, m, d;
} kdx_date;

typedef enum kdx_date_result {
	KDX_DATE_OK = 0,
	KDX_DATE_SYNTAX,      /* not a date in any accepted form */
	KDX_DATE_NONEXISTENT, /* well formed but no such day (2025-02-30) */
	KDX_DATE_ERA_RANGE    /* era year outside the era (平成32年, 令和1年4月1日) */
} kdx_date_result;

bool kdx_date_exists(int y, int m, int d);
/* The dates kdx can name, as an as-of (SPEC §7): from 昭和元年12月25日, the
 * first day of the eras kdx knows (before it kdx_date_wareki could only write
 * 「1年1月1日」), to 9999-03-31, the end of the last fiscal year that ends
 * within four-digit years (an as-of's fiscal year end is named too). */
#define KDX_DATE_NAMEABLE_FIRST "1926-12-25"
#define KDX_DATE_NAMEABLE_LAST "9999-03-31"
bool kdx_date_nameable(kdx_date d);
/* Days since 1970-01-01 and back. */
long kdx_date_to_days(kdx_date d);
kdx_date kdx_date_from_days(long days);
int kdx_date_cmp(kdx_date a, kdx_date b);

/*
 * Parse a date written the ways municipalities write them.  The text is
 * expected NFKC-normalised and trimmed (全角 digits already ASCII).
 * Accepts 2025-04-01, 2025/4/1, 2025.4.1, 2025年4月1日, 令和7年4月1日, 令和元年5月1日,
 * R7.4.1, R7/4/1, R7-4-1, H31.4.30, and a bare Excel serial (1900 system).
 */
kdx_date_result kdx_date_parse(const char *s, kdx_date *out);
/* An Excel serial day number to a date (1900 or 1904 system). Serials below
 * 61 in the 1900 system follow Excel (which counts the non-existent 1900-02-29). */
bool kdx_date_from_serial(double serial, bool date1904, kdx_date *out);

/* Fiscal year (年度) of a date, as the calendar year it starts in. */
int kdx_fiscal_year(kdx_date d);
/* Last day of a fiscal year: kdx_fiscal_year_end(2026) = 2027-03-31. */
kdx_date kdx_fiscal_year_end(int fy);
/* Reiwa number of a fiscal year: 2026 -> 8.  FY 2019 is 令和元年度. */
int kdx_fy_reiwa(int fy);

/* "2025-04-01" into buf (>= 11 bytes). */
void kdx_date_iso(kdx_date d, char *buf, size_t n);
/* "令和7年4月1日" / "平成31年4月30日" / "令和元年5月1日" into buf (>= 32 bytes). */
void kdx_date_wareki(kdx_date d, char *buf, size_t n);
/* "令和8年度" into buf. */
void kdx_fy_wareki(int fy, char *buf, size_t n);
/* Parse a fiscal year as written in 予定年度: 2026, 2026年度, R8, 令和8年度, R8年度. */
bool kdx_fy_parse(const char *s, int *fy);
/* Make the council's time zone the process's local time: KDX_TZ, or
 * Asia/Tokyo, whatever TZ the host or the service has (SPEC §7); the
 * warehouse's sessions follow it.  Called first thing by main; returns the
 * zone, or NULL when KDX_TZ names neither a zone of the time zone database
 * nor a POSIX rule (such as JST-9), which the C library would silently take
 * for UTC: the caller refuses it (SPEC §7, exit 78), and meanwhile the
 * default zone is in force. */
const char *kdx_council_tz_init(void);
/* Today, in local time (the council's, once kdx_council_tz_init ran). */
kdx_date kdx_date_today(void);

#endif
