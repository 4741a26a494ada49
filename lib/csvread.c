/*
 * libcsv does the RFC 4180 parsing; this file feeds it, one line at a time,
 * so that every row knows the line it starts on and an oversize field is
 * caught within a line of where it began.
 */
#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include "csvread.h"

#define BLOCK 65536

typedef struct {
	dt_ctx *ctx;
	const dt_csv_options *o;
	dt_csv_row_fn fn;
	void *ud;
	/* the row being assembled: field text packed in one arena */
	char *arena;
	size_t arena_len, arena_cap;
	size_t *offs;
	char **fields;
	size_t nfields, cap_fields;
	int too_many;
	uint64_t line;       /* line of the byte being fed */
	uint64_t row_line;   /* line the current row started on */
	int row_open;
	int stop;            /* status that ends reading */
	int first_field;     /* strip a BOM glued inside the first header name */
} reader;

static void on_field(void *data, size_t len, void *r_)
{
	reader *r = r_;

	if (r->stop)
		return;
	if (r->nfields >= r->o->max_fields) {
		r->too_many = 1;
		return;
	}
	if (r->first_field && len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data = (char *)data + 3;
		len -= 3;
	}
	r->first_field = 0;
	if (r->arena_len + len + 1 > r->arena_cap) {
		size_t cap = (r->arena_cap ? r->arena_cap * 2 : 1024);
		char *a;
		while (cap < r->arena_len + len + 1)
			cap *= 2;
		a = realloc(r->arena, cap);
		if (!a) {
			r->stop = dt__error(r->ctx, DT_ENOMEM, "out of memory");
			return;
		}
		r->arena = a;
		r->arena_cap = cap;
	}
	if (r->nfields == r->cap_fields) {
		size_t cap = r->cap_fields ? r->cap_fields * 2 : 32;
		size_t *o = realloc(r->offs, cap * sizeof(*o));
		char **fv = o ? realloc(r->fields, cap * sizeof(*fv)) : NULL;
		if (o)
			r->offs = o;
		if (!fv) {
			r->stop = dt__error(r->ctx, DT_ENOMEM, "out of memory");
			return;
		}
		r->fields = fv;
		r->cap_fields = cap;
	}
	r->offs[r->nfields++] = r->arena_len;
	if (len)
		memcpy(r->arena + r->arena_len, data, len);
	r->arena[r->arena_len + len] = '\0';
	r->arena_len += len + 1;
}

static void on_row(int term, void *r_)
{
	reader *r = r_;
	int blank;

	(void)term;
	r->row_open = 0;
	if (r->stop)
		goto reset;
	if (r->too_many) {
		dt__diag(r->ctx, "%s:%llu: more than %zu fields", r->o->name, (unsigned long long)r->row_line,
		         r->o->max_fields);
		r->stop = dt__error(r->ctx, DT_EDATA, "%s:%llu: more than %zu fields", r->o->name,
		                    (unsigned long long)r->row_line, r->o->max_fields);
		goto reset;
	}
	blank = r->nfields == 0 || (r->nfields == 1 && r->arena[0] == '\0');
	if (!blank) {
		/* the arena may have moved while the row grew: pointers only now */
		for (size_t i = 0; i < r->nfields; i++)
			r->fields[i] = r->arena + r->offs[i];
		r->stop = r->fn(r->ud, r->row_line, r->fields, r->nfields);
	}
reset:
	r->nfields = 0;
	r->arena_len = 0;
	r->too_many = 0;
}

static int fail(reader *r, uint64_t line, const char *what)
{
	dt__diag(r->ctx, "%s:%llu: %s", r->o->name, (unsigned long long)line, what);
	r->stop = dt__error(r->ctx, DT_EDATA, "%s:%llu: %s", r->o->name, (unsigned long long)line, what);
	return r->stop;
}

/* Feed one piece of UTF-8 text that ends at a newline or at a block end. */
static int feed(reader *r, struct csv_parser *p, const char *s, size_t n)
{
	if (memchr(s, '\0', n))
		return fail(r, r->line, "holds a NUL byte (not a text CSV file)");
	if (!r->row_open) {
		r->row_open = 1;
		r->row_line = r->line;
	}
	if (csv_parse(p, s, n, on_field, on_row, r) != n && !r->stop)
		return fail(r, r->line, "malformed CSV: a quote inside an unquoted field, or text after a closing quote");
	if (r->stop)
		return r->stop;
	if (p->entry_pos > r->o->max_field) {
		char what[128];
		snprintf(what, sizeof(what), "a field longer than %zu bytes starts here (an unbalanced quote?)",
		         r->o->max_field);
		return fail(r, r->row_line, what);
	}
	if (n && s[n - 1] == '\n')
		r->line++;
	return DT_OK;
}

/* Split a block into pieces that end at newlines and feed them. */
static int feed_lines(reader *r, struct csv_parser *p, const char *s, size_t n)
{
	while (n > 0) {
		const char *nl = memchr(s, '\n', n);
		size_t k = nl ? (size_t)(nl - s) + 1 : n;
		int rc = feed(r, p, s, k);

		if (rc != DT_OK)
			return rc;
		/* between rows (also after a blank line) the next row starts later */
		if (p->pstate == 0)
			r->row_open = 0;
		s += k;
		n -= k;
	}
	return DT_OK;
}

int dt__csv_encoding_ok(const char *e)
{
	return !e || !strcasecmp(e, "utf-8") || !strcasecmp(e, "utf8") || !strcasecmp(e, "gbk") ||
	       !strcasecmp(e, "gb18030") || !strcasecmp(e, "gb2312");
}

static int is_gbk(const char *e)
{
	return e && (strncasecmp(e, "gb", 2) == 0);
}

/* analyzer: cd is closed at the end unless iconv_open failed; it takes the
 * failure value for an allocation */
DT__ANALYZER_NOT_A_LEAK_BEGIN
int dt__csv_read(dt_ctx *ctx, FILE *in, const dt_csv_options *o, dt_csv_row_fn fn, void *ud)
{
	struct csv_parser p;
	reader r = { 0 };
	char *buf = NULL, *conv = NULL;
	size_t carry = 0, n;
	iconv_t cd = (iconv_t)-1;
	int rc = DT_OK, first = 1;

	if (!dt__csv_encoding_ok(o->encoding))
		return dt__error(ctx, DT_EUSAGE, "encoding '%s' is not utf-8 or gbk", o->encoding);
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return dt__error(ctx, DT_ENOMEM, "out of memory");
	r.ctx = ctx;
	r.o = o;
	r.fn = fn;
	r.ud = ud;
	r.line = 1;
	r.first_field = 1;
	buf = malloc(BLOCK + 8);
	if (is_gbk(o->encoding)) {
		/* GB18030 is a superset of GBK and GB2312: one decoder reads all three */
		cd = iconv_open("UTF-8", "GB18030");
		conv = malloc(BLOCK * 2 + 16);
		if (cd == (iconv_t)-1)
			rc = dt__error(ctx, DT_ERROR, "this system cannot decode GBK (iconv)");
	}
	if (!buf || (is_gbk(o->encoding) && !conv))
		rc = dt__error(ctx, DT_ENOMEM, "out of memory");
	while (rc == DT_OK && (n = fread(buf + carry, 1, BLOCK - carry, in)) > 0) {
		char *s = buf;
		size_t len = carry + n;

		carry = 0;
		if (first && len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
			s += 3;
			len -= 3;
		}
		first = 0;
		if (cd != (iconv_t)-1) {
			char *ip = s, *op = conv;
			size_t il = len, ol = BLOCK * 2 + 16;

			if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 && errno != EINVAL) {
				/* count the lines before the bad byte for the message */
				for (char *q = s; q < ip; q++)
					r.line += *q == '\n';
				rc = fail(&r, r.line, "is not valid GBK text");
				break;
			}
			/* an incomplete character at the block's end waits for the next block */
			carry = il;
			rc = feed_lines(&r, &p, conv, (size_t)(op - conv));
			if (carry)
				memmove(buf, ip, carry);
		} else {
			rc = feed_lines(&r, &p, s, len);
		}
	}
	if (rc == DT_OK && ferror(in))
		rc = dt__error(ctx, DT_EIO, "%s: read error: %s", o->name, strerror(errno));
	if (rc == DT_OK && carry)
		rc = fail(&r, r.line, "ends inside a GBK character");
	if (rc == DT_OK) {
		if (csv_fini(&p, on_field, on_row, &r) != 0 && !r.stop)
			rc = fail(&r, r.row_line, "a quoted field starts here and is never closed");
		else
			rc = r.stop;
	}
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	csv_free(&p);
	free(buf);
	free(conv);
	free(r.arena);
	free(r.offs);
	free(r.fields);
	return rc;
}
DT__ANALYZER_NOT_A_LEAK_END

int dt__csv_outcome(dt_ctx *ctx, const char *name, int rc, uint64_t errors, int header_done, const char *verb)
{
	if (rc == DT_OK && !errors && !header_done)
		return dt__error(ctx, DT_EDATA, "%s: no header row (the file is empty); nothing was %s", name, verb);
	if (rc == DT_OK && errors) {
		if (errors > DT_CSV_MAX_REPORTED)
			dt__diag(ctx, "%s: ... and %llu more bad rows", name,
			         (unsigned long long)(errors - DT_CSV_MAX_REPORTED));
		return dt__error(ctx, DT_EDATA, "%s: %llu bad rows; nothing was %s", name, (unsigned long long)errors, verb);
	}
	if (rc == DT_EDATA)
		return dt__error(ctx, DT_EDATA, "%s: bad input; nothing was %s", name, verb);
	return rc;
}

int dt__csv_row_failed(dt_ctx *ctx, const char *name, uint64_t line, const char *column, int rc, uint64_t *errors)
{
	if (rc == DT_EBUSY || rc == DT_ENOMEM || rc == DT_ERROR)
		return rc;
	if (++*errors <= DT_CSV_MAX_REPORTED)
		dt__diag(ctx, "%s:%llu: column '%s': %s", name, (unsigned long long)line, column, dt_errmsg(ctx));
	return DT_OK;
}
