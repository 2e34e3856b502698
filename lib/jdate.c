/* jdate.c - dates, Japanese eras and fiscal years. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>
#include <time.h>
#include <math.h>
#include <fcntl.h>
#include <sys/stat.h>
#include "kdx/jdate.h"
#include "kdx/mem.h"

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool kdx_date_exists(int y, int m, int d)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return false;
	int lim = mdays[m - 1] + (m == 2 && is_leap(y));
	return d <= lim;
}

/* Howard Hinnant's days-from-civil algorithm (public domain description). */
long kdx_date_to_days(kdx_date dt)
{
	long y = dt.y - (dt.m <= 2);
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long mp = (dt.m + 9) % 12;
	long doy = (153 * mp + 2) / 5 + dt.d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

kdx_date kdx_date_from_days(long z)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long y = yoe + era * 400;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	long d = doy - (153 * mp + 2) / 5 + 1;
	long m = mp < 10 ? mp + 3 : mp - 9;
	kdx_date r = { (int)(y + (m <= 2)), (int)m, (int)d };
	return r;
}

int kdx_date_cmp(kdx_date a, kdx_date b)
{
	if (a.y != b.y)
		return a.y < b.y ? -1 : 1;
	if (a.m != b.m)
		return a.m < b.m ? -1 : 1;
	if (a.d != b.d)
		return a.d < b.d ? -1 : 1;
	return 0;
}

struct era {
	const char *kanji;
	char letter;
	kdx_date start;
	kdx_date end;   /* last day, inclusive */
};

static const struct era eras[] = {
	{ "令和", 'R', { 2019, 5, 1 }, { 9999, 12, 31 } },
	{ "平成", 'H', { 1989, 1, 8 }, { 2019, 4, 30 } },
	{ "昭和", 'S', { 1926, 12, 25 }, { 1989, 1, 7 } },
};

bool kdx_date_nameable(kdx_date d)
{
	const struct era *first = &eras[sizeof eras / sizeof eras[0] - 1];
	kdx_date last = kdx_fiscal_year_end(9998);
	return kdx_date_cmp(d, first->start) >= 0 && kdx_date_cmp(d, last) <= 0;
}

/* Read 1..max digits; returns chars consumed or 0. */
static int read_num(const char *s, int max, int *v)
{
	int n = 0, val = 0;
	while (n < max && s[n] >= '0' && s[n] <= '9') {
		val = val * 10 + (s[n] - '0');
		n++;
	}
	if (n == 0)
		return 0;
	*v = val;
	return n;
}

/* Parse "Y<sep>M<sep>D" with sep among -/. or 年月日; returns true on full match. */
static bool parse_ymd_tail(const char *p, int ydigits, int *y, int *m, int *d)
{
	int n = read_num(p, ydigits, y);
	if (!n)
		return false;
	p += n;
	bool kanji = false;
	char sep = 0;
	if (strncmp(p, "年", 3) == 0) {
		kanji = true;
		p += 3;
	} else if (*p == '-' || *p == '/' || *p == '.') {
		sep = *p++;
	} else {
		return false;
	}
	if (!(n = read_num(p, 2, m)))
		return false;
	p += n;
	if (kanji) {
		if (strncmp(p, "月", 3) != 0)
			return false;
		p += 3;
	} else {
		if (*p != sep)
			return false;
		p++;
	}
	if (!(n = read_num(p, 2, d)))
		return false;
	p += n;
	if (kanji) {
		if (strncmp(p, "日", 3) != 0)
			return false;
		p += 3;
	}
	return *p == '\0';
}

kdx_date_result kdx_date_parse(const char *s, kdx_date *out)
{
	int y, m, d;
	if (!s || !*s)
		return KDX_DATE_SYNTAX;

	/* Era forms: 令和7年4月1日, 令和元年5月1日, R7.4.1, r7/4/1, H31.4.30. */
	for (size_t i = 0; i < sizeof eras / sizeof eras[0]; i++) {
		const struct era *e = &eras[i];
		const char *p = NULL;
		size_t kl = strlen(e->kanji);
		if (strncmp(s, e->kanji, kl) == 0)
			p = s + kl;
		else if (s[0] == e->letter || s[0] == e->letter + ('a' - 'A'))
			p = s + 1;
		if (!p)
			continue;
		char tmp[64];
		if (strncmp(p, "元", 3) == 0) {
			/* 元年 = year 1: rewrite as "1" and parse the rest */
			if (snprintf(tmp, sizeof tmp, "1%s", p + 3) >= (int)sizeof tmp)
				return KDX_DATE_SYNTAX;
			p = tmp;
		}
		if (!parse_ymd_tail(p, 2, &y, &m, &d))
			return KDX_DATE_SYNTAX;
		if (y < 1)
			return KDX_DATE_ERA_RANGE;
		y = e->start.y + y - 1;
		if (!kdx_date_exists(y, m, d))
			return KDX_DATE_NONEXISTENT;
		kdx_date r = { y, m, d };
		if (kdx_date_cmp(r, e->start) < 0 || kdx_date_cmp(r, e->end) > 0)
			return KDX_DATE_ERA_RANGE;
		*out = r;
		return KDX_DATE_OK;
	}

	/* Western forms with a 4-digit year. */
	if (s[0] >= '0' && s[0] <= '9') {
		size_t digits = strspn(s, "0123456789");
		if (digits == 4 && s[4] != '\0') {
			if (!parse_ymd_tail(s, 4, &y, &m, &d))
				return KDX_DATE_SYNTAX;
			if (!kdx_date_exists(y, m, d))
				return KDX_DATE_NONEXISTENT;
			out->y = y; out->m = m; out->d = d;
			return KDX_DATE_OK;
		}
		/* A bare Excel serial, as LibreOffice's CSV export may leave a date. */
		char *end;
		double v = strtod(s, &end);
		if (*end == '\0' && v >= 1 && v < 2958466 && (digits == strlen(s) || s[digits] == '.'))
			return kdx_date_from_serial(v, false, out) ? KDX_DATE_OK : KDX_DATE_SYNTAX;
	}
	return KDX_DATE_SYNTAX;
}

bool kdx_date_from_serial(double serial, bool date1904, kdx_date *out)
{
	if (!(serial >= 0) || serial >= 2958466)
		return false;
	long whole = (long)floor(serial);
	long base;
	if (date1904) {
		base = kdx_date_to_days((kdx_date){ 1904, 1, 1 });
		*out = kdx_date_from_days(base + whole);
		return true;
	}
	if (whole == 0)
		return false;
	/* Excel's day 60 is the non-existent 1900-02-29; day 61 is 1900-03-01. */
	if (whole == 60)
		return false;
	base = kdx_date_to_days((kdx_date){ 1899, 12, 31 });
	if (whole > 60)
		whole -= 1;
	*out = kdx_date_from_days(base + whole);
	return true;
}

int kdx_fiscal_year(kdx_date d)
{
	return d.m >= 4 ? d.y : d.y - 1;
}

kdx_date kdx_fiscal_year_end(int fy)
{
	kdx_date r = { fy + 1, 3, 31 };
	return r;
}

int kdx_fy_reiwa(int fy)
{
	return fy - 2018;
}

void kdx_date_iso(kdx_date d, char *buf, size_t n)
{
	snprintf(buf, n, "%04d-%02d-%02d", d.y, d.m, d.d);
}

void kdx_date_wareki(kdx_date d, char *buf, size_t n)
{
	for (size_t i = 0; i < sizeof eras / sizeof eras[0]; i++) {
		const struct era *e = &eras[i];
		if (kdx_date_cmp(d, e->start) >= 0 && kdx_date_cmp(d, e->end) <= 0) {
			int ey = d.y - e->start.y + 1;
			if (ey == 1)
				snprintf(buf, n, "%s元年%d月%d日", e->kanji, d.m, d.d);
			else
				snprintf(buf, n, "%s%d年%d月%d日", e->kanji, ey, d.m, d.d);
			return;
		}
	}
	snprintf(buf, n, "%d年%d月%d日", d.y, d.m, d.d);
}

void kdx_fy_wareki(int fy, char *buf, size_t n)
{
	/* A fiscal year is named by the era in force on its first day, April 1;
	 * FY 2019 started in 平成31年 but is customarily called 令和元年度. */
	if (fy >= 2019) {
		if (fy == 2019)
			snprintf(buf, n, "令和元年度");
		else
			snprintf(buf, n, "令和%d年度", fy - 2018);
	} else if (fy >= 1989) {
		if (fy == 1989)
			snprintf(buf, n, "平成元年度");
		else
			snprintf(buf, n, "平成%d年度", fy - 1988);
	} else {
		snprintf(buf, n, "%d年度", fy);
	}
}

bool kdx_fy_parse(const char *s, int *fy)
{
	int v, n;
	const char *p = s;
	int base = 0;
	if (strncmp(p, "令和", 6) == 0) {
		base = 2018;
		p += 6;
	} else if (*p == 'R' || *p == 'r') {
		base = 2018;
		p += 1;
	}
	if (base && strncmp(p, "元", 3) == 0) {
		v = 1;
		p += 3;
	} else {
		n = read_num(p, 4, &v);
		if (!n)
			return false;
		p += n;
	}
	if (strncmp(p, "年度", 6) == 0)
		p += 6;
	else if (strncmp(p, "年", 3) == 0)
		p += 3;
	if (*p != '\0')
		return false;
	if (base) {
		if (v < 1 || v > 99)
			return false;
		*fy = base + v;
	} else {
		if (v < 1990 || v > 2200)
			return false;
		*fy = v;
	}
	return true;
}

/* A POSIX TZ rule as glibc reads it: std offset [dst [offset] [,start[/time],end[/time]]],
 * the names three letters or more, or <+09> in angle brackets. */
static const char *tz_name(const char *p)
{
	const char *s = p;
	if (*p == '<') {
		while (*++p && *p != '>')
			if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '+' || *p == '-'))
				return NULL;
		return *p == '>' && p - s >= 4 ? p + 1 : NULL;
	}
	while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
		p++;
	return p - s >= 3 ? p : NULL;
}

static const char *tz_offset(const char *p)
{
	if (*p == '+' || *p == '-')
		p++;
	for (int part = 0; part < 3; part++) {
		int digits = 0;
		while (*p >= '0' && *p <= '9' && digits < 2) {
			p++;
			digits++;
		}
		if (!digits)
			return NULL;
		if (*p != ':' || part == 2)
			break;
		p++;
	}
	return p;
}

static bool posix_rule(const char *tz)
{
	const char *p = tz_name(tz);
	if (!p || !(p = tz_offset(p)))
		return false;
	if (!*p)
		return true;
	if (!(p = tz_name(p)))
		return false;
	if (*p && *p != ',' && !(p = tz_offset(p)))
		return false;
	if (!*p)
		return true;
	return *p == ',' && strspn(p, "MJ0123456789.,/:+-") == strlen(p);
}

/* A zone of the time zone database: a TZif file under TZDIR. */
static bool zone_file(const char *name)
{
	if (!*name || strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+-./") != strlen(name))
		return false;
	for (const char *p = name; (p = strstr(p, "..")) != NULL; p++)
		if ((p == name || p[-1] == '/') && (p[2] == '/' || !p[2]))
			return false;
	const char *dir = getenv("TZDIR");
	char *path = name[0] == '/' ? kdx_strdup(name) : kdx_strdup_printf("%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	free(path);
	if (fd < 0)
		return false;
	struct stat st;
	char magic[4];
	bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && read(fd, magic, 4) == 4 && !memcmp(magic, "TZif", 4);
	close(fd);
	return ok;
}

const char *kdx_council_tz_init(void)
{
	const char *tz = getenv("KDX_TZ");
	bool known = true;
	if (tz && *tz) {
		const char *name = tz[0] == ':' ? tz + 1 : tz;
		/* glibc takes any name it cannot find for UTC, without a word */
		known = zone_file(name) || !strcmp(name, "UTC") || !strcmp(name, "GMT") || posix_rule(name);
	}
	if (!known || !tz || !*tz) {
		/* Japan has kept UTC+9 without summer time since 1951: the POSIX form
		 * needs no tzdata, which a minimal server may lack */
		tz = access("/usr/share/zoneinfo/Asia/Tokyo", R_OK) == 0 ? "Asia/Tokyo" : "JST-9";
	}
	/* the warehouse's sessions take the zone from TZ too (lib/db.c) */
	setenv("TZ", tz, 1);
	tzset();
	return known ? tz : NULL;
}

kdx_date kdx_date_today(void)
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	kdx_date d = { tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday };
	return d;
}
