/* copybin.c - fact rows in PostgreSQL's binary COPY format (see copybin.h). */
#include <stdlib.h>
#include <string.h>
#include "kdx/copybin.h"

static inline void put_be(unsigned char *q, unsigned long long v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		q[i] = (unsigned char)(v >> (8 * (bytes - 1 - i)));
}

/* n more bytes at the end of b, with one check for room; the caller fills them. */
static inline unsigned char *room(kdx_buf *b, size_t n)
{
	kdx_buf_reserve(b, n);
	unsigned char *q = (unsigned char *)b->data + b->len;
	b->len += n;
	b->data[b->len] = '\0';
	return q;
}

/* A field's length word and its bytes (data, n) or, when data is NULL, the
 * integer v in vbytes big-endian bytes. */
static inline void field(kdx_buf *b, const void *data, size_t n, unsigned long long v, int vbytes)
{
	size_t len = data ? n : (size_t)vbytes;
	unsigned char *q = room(b, 4 + len);
	put_be(q, len, 4);
	if (data)
		memcpy(q + 4, data, n);
	else
		put_be(q + 4, v, vbytes);
}

static void put_i16(kdx_buf *b, int v)
{
	put_be(room(b, 2), (unsigned short)v, 2);
}

static void put_null(kdx_buf *b)
{
	put_be(room(b, 4), 0xFFFFFFFFu, 4);  /* length -1 */
}

static void put_i32(kdx_buf *b, long v)
{
	field(b, NULL, 0, (unsigned long long)(unsigned int)(int)v, 4);
}

static void put_i64(kdx_buf *b, long v)
{
	field(b, NULL, 0, (unsigned long long)v, 8);
}

static void put_bool(kdx_buf *b, bool v)
{
	field(b, NULL, 0, v ? 1 : 0, 1);
}

/* a date is its day count from 2000-01-01 */
static void put_date(kdx_buf *b, kdx_date d)
{
	static long y2k = -1;
	if (y2k < 0)
		y2k = kdx_date_to_days((kdx_date){ 2000, 1, 1 });
	put_i32(b, kdx_date_to_days(d) - y2k);
}

static void put_text(kdx_buf *b, const char *s)
{
	if (!s)
		put_null(b);
	else
		field(b, s, strlen(s), 0, 0);
}

void kdx_copybin_fact(kdx_buf *b, kdx_ds ds, const kdx_fact_origin *o, const char *const *vals, const char *group)
{
	/* the origin's five columns and the dataset's own, as in copy_target */
	static const int nfields[KDX_DS_COUNT] = {
		[KDX_DS_NURSERY] = 17, [KDX_DS_CLUBS] = 15, [KDX_DS_PROCEDURES] = 10,
		[KDX_DS_PLATFORMS] = 9, [KDX_DS_POSTPARTUM] = 8, [KDX_DS_SETTINGS] = 8,
	};
	put_i16(b, nfields[ds]);
	put_i64(b, o->batch_id);
	put_text(b, o->muni_code);
	put_date(b, o->survey_date);
	put_text(b, o->sheet);
	put_i32(b, o->row);
#define F(i) put_text(b, vals[i])
#define FB(i) put_bool(b, vals[i] && vals[i][0] == 't')
#define FI(i) (vals[i] ? put_i32(b, atol(vals[i])) : put_null(b))
	switch (ds) {
	case KDX_DS_NURSERY:
		F(3); F(4); F(5);
		put_text(b, group);
		F(6); FB(7); FB(8); FB(9); FB(10); FB(11); FB(12); F(13);
		break;
	case KDX_DS_CLUBS:
		F(3); F(4); F(5); FB(6); FB(7); FB(8); FB(9); FB(10); FB(11); F(12);
		break;
	case KDX_DS_PROCEDURES:
		F(3); F(5); F(6); FI(7); F(8);
		break;
	case KDX_DS_PLATFORMS:
		F(3); F(4); FI(5); F(6);
		break;
	case KDX_DS_POSTPARTUM:
		F(3); F(4); FI(5);
		break;
	case KDX_DS_SETTINGS:
		FB(3); FB(4); FB(5);
		break;
	default:
		break;
	}
#undef F
#undef FB
#undef FI
}

void kdx_copybin_trailer(kdx_buf *b)
{
	put_i16(b, -1);
}
