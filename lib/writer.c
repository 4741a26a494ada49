/*
 * The listing writer: one place that turns typed rows into a table, CSV,
 * JSON, JSON lines or an Excel sheet (writer_xlsx.c), and the one place
 * where personal data is masked.
 *
 * Streaming formats go straight into a 64 KiB output buffer that is handed
 * to the sink whenever it fills, so a listing of any length runs in constant
 * memory. Only the table is kept whole, because its column widths are known
 * only after the last row. Failures are sticky: once the sink has failed or
 * memory ran out, the output is incomplete and every later call says so.
 */
#include <csv.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dutytrack/writer.h"
#include "internal.h"
#include "writer_xlsx.h"

#define OUT_CAP (64u * 1024u)
#define NUM_MAX 64
#define PERSONAL_FLAGS (DT_COL_PHONE | DT_COL_PERSONAL)
#define KNOWN_FLAGS (DT_WRITE_BOM | DT_WRITE_UNMASK | DT_WRITE_RECORD)

enum { ST_NEW, ST_BEGUN, ST_ENDED };

struct dt_writer {
	dt_format format;
	unsigned int flags;
	dt_sink_fn sink;
	void *userdata;
	int state;
	int err; /* sticky DT_EIO or DT_ENOMEM */
	int revealed;
	uint64_t rows;
	const dt_column *cols; /* the columns this format shows */
	size_t ncols;
	dt_column *shown;      /* when some are left out: the kept ones, */
	size_t *pick;          /* the caller's index of each, */
	dt_value *picked;      /* and a row's values in that order */
	char *mask; /* the masked form of the current cell */
	size_t mask_cap;
	char *field; /* a CSV field with its neutralising apostrophe */
	size_t field_cap;
	char *quoted; /* csv_write() output */
	size_t quoted_cap;
	/* Table only: every cell, the header first, as offsets into one arena
	 * (offsets survive the arena moving when it grows). */
	char *arena;
	size_t arena_len, arena_cap;
	size_t *cells;
	size_t ncells, cells_cap;
	size_t *widths;
	dt__xlsx *xlsx; /* the Excel sheet being built */
	char errmsg[256]; /* why it failed, when the status alone does not say */
	size_t out_len;
	char out[OUT_CAP];
};

/* One value rendered as text. */
typedef struct {
	const char *s;
	size_t len;
	int null;   /* JSON null; an empty field elsewhere */
	int string; /* JSON: a string rather than a bare literal */
} cell;

/* Bytes in the character at s; a stray byte is a character of its own, so
 * masking never splits a valid sequence and never stalls on a bad one. */
static size_t char_len(const char *s, size_t n)
{
	uint32_t cp;
	size_t len = dt__utf8_decode((const unsigned char *)s, n, &cp);

	return len ? len : 1;
}

/* Room for need elements of el bytes at buf; doubling keeps appends
 * amortised O(1). Returns the (possibly moved) buffer, or NULL with buf
 * untouched. need is never 0, so NULL always means out of memory. */
static void *grow(void *buf, size_t *cap, size_t need, size_t el)
{
	size_t n = *cap ? *cap : 64;
	void *p;

	if (need <= *cap)
		return buf;
	while (n < need)
		n = n > SIZE_MAX / 2 ? need : n * 2;
	if (n > SIZE_MAX / el)
		return NULL;
	p = realloc(buf, n * el);
	if (p)
		*cap = n;
	return p;
}

/* Hand the buffered bytes to the sink. */
static void flush(dt_writer *w)
{
	if (!w->err && w->out_len && w->sink(w->userdata, w->out, w->out_len))
		w->err = DT_EIO;
	w->out_len = 0;
}

/* Append bytes; one larger than the buffer bypasses it rather than being
 * split into buffer-sized calls. */
static void put(dt_writer *w, const char *s, size_t n)
{
	if (w->err)
		return;
	if (n > OUT_CAP - w->out_len) {
		flush(w);
		if (w->err)
			return;
		if (n >= OUT_CAP) {
			if (w->sink(w->userdata, s, n))
				w->err = DT_EIO;
			return;
		}
	}
	memcpy(w->out + w->out_len, s, n);
	w->out_len += n;
}

/* Append a NUL-terminated string. */
static void put_str(dt_writer *w, const char *s)
{
	put(w, s, strlen(s));
}

/* Append one byte. */
static void put_char(dt_writer *w, char c)
{
	put(w, &c, 1);
}

/* Append n blanks, for padding of any width. */
static void put_spaces(dt_writer *w, size_t n)
{
	static const char sp[] = "                ";

	while (n > 0) {
		size_t k = n < sizeof(sp) - 1 ? n : sizeof(sp) - 1;

		put(w, sp, k);
		n -= k;
	}
}

/* Record a failure that leaves the output incomplete; it sticks. */
static int fail(dt_writer *w, int rc)
{
	if (!w->err)
		w->err = rc;
	return rc;
}

/* Exact, case-sensitive names: they are what --format accepts. */
int dt_format_parse(const char *name, dt_format *out)
{
	static const struct {
		const char *name;
		dt_format format;
	} names[] = {
		{ "table", DT_FORMAT_TABLE },
		{ "csv", DT_FORMAT_CSV },
		{ "json", DT_FORMAT_JSON },
		{ "jsonl", DT_FORMAT_JSONL },
		{ "xlsx", DT_FORMAT_XLSX },
	};

	if (!name || !out)
		return DT_EUSAGE;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(name, names[i].name) == 0) {
			*out = names[i].format;
			return DT_OK;
		}
	}
	return DT_EUSAGE;
}

/* The inverse of dt_format_parse(); "unknown" for a value out of range. */
const char *dt_format_name(dt_format format)
{
	switch (format) {
	case DT_FORMAT_TABLE:
		return "table";
	case DT_FORMAT_CSV:
		return "csv";
	case DT_FORMAT_JSON:
		return "json";
	case DT_FORMAT_JSONL:
		return "jsonl";
	case DT_FORMAT_XLSX:
		return "xlsx";
	}
	return "unknown";
}

/* fwrite() to the FILE * in userdata; a short write is a failure. */
int dt_writer_sink_file(void *userdata, const char *buf, size_t len)
{
	FILE *fp = userdata;

	if (!fp)
		return -1;
	if (len == 0)
		return 0;
	return fwrite(buf, 1, len, fp) == len ? 0 : -1;
}

/* Unknown flags are refused rather than ignored, so a typo cannot silently
 * drop, say, masking. */
int dt_writer_new(dt_writer **out, dt_format format, unsigned int flags,
		  dt_sink_fn sink, void *userdata)
{
	dt_writer *w;

	if (!out)
		return DT_EUSAGE;
	*out = NULL;
	if (!sink || (flags & ~KNOWN_FLAGS) || format < DT_FORMAT_TABLE || format > DT_FORMAT_XLSX)
		return DT_EUSAGE;
	w = calloc(1, sizeof(*w));
	if (!w)
		return DT_ENOMEM;
	w->format = format;
	w->flags = flags;
	w->sink = sink;
	w->userdata = userdata;
	w->state = ST_NEW;
	*out = w;
	return DT_OK;
}

/* A citizen's name keeps its first character so a reader can still tell
 * rows apart; every later character becomes one '*', so the length shows
 * but nothing else does. buf holds at least strlen(name) + 2 bytes. */
static void mask_name(const char *name, char *buf)
{
	size_t n = strlen(name), first = n ? char_len(name, n) : 0, o = first;

	memcpy(buf, name, first);
	for (size_t i = first; i < n; i += char_len(name + i, n - i))
		buf[o++] = '*';
	buf[o] = '\0';
}

/* A bounded output for dt_mask_phone(). */
typedef struct {
	char *buf;
	size_t size, len;
	int full;
} outbuf;

/* Copy n bytes only when they fit whole, and nothing once something did not,
 * so a short buffer truncates between characters, keeps room for the NUL
 * and never shows a later piece without an earlier one. */
static void append(outbuf *o, const char *s, size_t n)
{
	if (o->full || n >= o->size - o->len) {
		o->full = 1;
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

/* Long numbers keep their prefix (the carrier or area) and last four digits
 * with a fixed "****" between, so the masked form does not leak the length;
 * short ones (extensions, typos) keep only the last two characters. */
char *dt_mask_phone(const char *phone, char *buf, size_t size)
{
	const char *s = phone ? phone : "";
	size_t n = strlen(s), nchars = 0, i, k;
	outbuf o = { buf, size, 0, 0 };

	if (!buf || size == 0)
		return buf;
	for (i = 0; i < n; i += char_len(s + i, n - i))
		nchars++;
	if (nchars <= 7) {
		for (i = 0, k = 0; i < n; k++) {
			size_t len = char_len(s + i, n - i);

			if (k + 2 < nchars)
				append(&o, "*", 1);
			else
				append(&o, s + i, len);
			i += len;
		}
	} else {
		size_t head = 0, tail = 0;

		for (i = 0, k = 0; i < n; k++) {
			if (k == 3)
				head = i;
			if (k == nchars - 4)
				tail = i;
			i += char_len(s + i, n - i);
		}
		append(&o, s, head);
		append(&o, "****", 4);
		append(&o, s + tail, n - tail);
	}
	buf[o.len] = '\0';
	return buf;
}

/* The shortest of %.15g, %.16g and %.17g that reads back as the same double:
 * 0.1 prints as 0.1, yet no value loses a bit. */
void dt__format_real(double r, char *buf, size_t size)
{
	if (isnan(r)) {
		snprintf(buf, size, "nan");
		return;
	}
	if (isinf(r)) {
		snprintf(buf, size, "%s", r < 0 ? "-inf" : "inf");
		return;
	}
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, r);
		if (strtod(buf, NULL) == r)
			break;
	}
	/* A caller's setlocale() must not put a decimal comma into CSV or JSON. */
	for (char *p = buf; *p; p++)
		if (*p == ',')
			*p = '.';
}

/* Render value v of column col into c (num is scratch for numbers), masking
 * personal data unless the caller asked for it in clear. */
static int render(dt_writer *w, const dt_column *col, const dt_value *v, char *num, cell *c)
{
	int json = w->format == DT_FORMAT_JSON || w->format == DT_FORMAT_JSONL;

	c->s = "";
	c->len = 0;
	c->null = 0;
	c->string = 0;
	if (v->is_null || (col->type == DT_COL_TEXT && !v->text)) {
		c->null = 1;
		return DT_OK;
	}
	switch (col->type) {
	case DT_COL_TEXT:
		c->s = v->text;
		c->string = 1;
		break;
	case DT_COL_INT:
		snprintf(num, NUM_MAX, "%" PRId64, v->i);
		c->s = num;
		break;
	case DT_COL_REAL:
		if (json && !isfinite(v->r)) {
			c->null = 1;
			return DT_OK;
		}
		dt__format_real(v->r, num, NUM_MAX);
		c->s = num;
		break;
	case DT_COL_BOOL:
		c->s = v->i ? "true" : "false";
		break;
	}
	c->len = strlen(c->s);
	if ((col->flags & PERSONAL_FLAGS) && c->len > 0) {
		char *p;

		if (w->flags & DT_WRITE_UNMASK) {
			w->revealed = 1;
			return DT_OK;
		}
		/* A masked phone is at most 4 bytes longer, a masked name 0. */
		if (c->len > SIZE_MAX - 5)
			return DT_ENOMEM;
		p = grow(w->mask, &w->mask_cap, c->len + 5, 1);
		if (!p)
			return DT_ENOMEM;
		w->mask = p;
		if (col->flags & DT_COL_PHONE)
			dt_mask_phone(c->s, p, c->len + 5);
		else
			mask_name(c->s, p);
		c->s = p;
		c->len = strlen(p);
		c->string = 1;
	}
	return DT_OK;
}

/* A JSON string per RFC 8259. Besides the mandatory escapes, U+2028 and
 * U+2029 are escaped because JavaScript before ES2019 rejects them raw, and
 * invalid UTF-8 becomes U+FFFD so the output is always valid. The exports
 * (lib/json.c) write their strings through this too, so JSON is escaped in
 * one place. */
void dt__json_string(const char *str, size_t n, dt__put_fn put_fn, void *ud)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, run = 0;

	put_fn(ud, "\"", 1);
	while (i < n) {
		unsigned char b = s[i];
		const char *rep;
		char esc[8];
		size_t len = 1;

		if (b >= 0x80) {
			uint32_t cp;

			len = dt__utf8_decode(s + i, n - i, &cp);
			if (len && cp != 0x2028 && cp != 0x2029) {
				i += len;
				continue;
			}
			rep = !len ? "\xEF\xBF\xBD" : cp == 0x2028 ? "\\u2028" : "\\u2029";
			if (!len)
				len = 1;
		} else if (b >= 0x20 && b != '"' && b != '\\') {
			i++;
			continue;
		} else {
			switch (b) {
			case '"':
				rep = "\\\"";
				break;
			case '\\':
				rep = "\\\\";
				break;
			case '\b':
				rep = "\\b";
				break;
			case '\f':
				rep = "\\f";
				break;
			case '\n':
				rep = "\\n";
				break;
			case '\r':
				rep = "\\r";
				break;
			case '\t':
				rep = "\\t";
				break;
			default:
				snprintf(esc, sizeof(esc), "\\u%04x", b);
				rep = esc;
				break;
			}
		}
		put_fn(ud, str + run, i - run);
		put_fn(ud, rep, strlen(rep));
		i += len;
		run = i;
	}
	put_fn(ud, str + run, n - run);
	put_fn(ud, "\"", 1);
}

static void put_to_writer(void *w, const char *s, size_t n)
{
	put(w, s, n);
}

static void put_json_string(dt_writer *w, const char *str, size_t n)
{
	dt__json_string(str, n, put_to_writer, w);
}

/* One row as a JSON object, keys in column order. */
static int json_row(dt_writer *w, const dt_value *values)
{
	char num[NUM_MAX];
	cell c;
	int rc;

	put_char(w, '{');
	for (size_t i = 0; i < w->ncols; i++) {
		if (i > 0)
			put_char(w, ',');
		put_json_string(w, w->cols[i].name, strlen(w->cols[i].name));
		put_char(w, ':');
		rc = render(w, &w->cols[i], &values[i], num, &c);
		if (rc != DT_OK)
			return fail(w, rc);
		if (c.null)
			put_str(w, "null");
		else if (w->cols[i].flags & DT_COL_NESTED)
			put(w, c.s, c.len); /* a JSON value the listing built */
		else if (c.string)
			put_json_string(w, c.s, c.len);
		else
			put(w, c.s, c.len);
	}
	put_char(w, '}');
	return DT_OK;
}

/* One CSV field. A text cell a spreadsheet would run as a formula gets a
 * leading apostrophe; quoting happens only where RFC 4180 needs it, plus
 * leading or trailing spaces, which importers tend to strip. */
static int put_csv_field(dt_writer *w, const char *s, size_t n, int neutralise)
{
	int quote = 0;
	size_t size, q;
	char *p;

	if (neutralise && n > 0 && memchr("=+-@\t\r", s[0], 6)) {
		p = grow(w->field, &w->field_cap, n + 2, 1);
		if (!p)
			return DT_ENOMEM;
		w->field = p;
		p[0] = '\'';
		memcpy(p + 1, s, n);
		s = p;
		n++;
	}
	if (n > 0 && (s[0] == ' ' || s[n - 1] == ' '))
		quote = 1;
	for (size_t i = 0; i < n && !quote; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			quote = 1;
	if (!quote) {
		put(w, s, n);
		return DT_OK;
	}
	if (n > (SIZE_MAX - 3) / 2)
		return DT_ENOMEM;
	/* csv_write() needs at most two bytes per input byte plus the quotes. */
	size = 2 * n + 3;
	p = grow(w->quoted, &w->quoted_cap, size, 1);
	if (!p)
		return DT_ENOMEM;
	w->quoted = p;
	q = csv_write(p, size, s, n);
	if (q > size)
		return DT_ERROR;
	put(w, p, q);
	return DT_OK;
}

/* The header: column names, never neutralised (they are ours). */
static int csv_header(dt_writer *w)
{
	int rc;

	for (size_t i = 0; i < w->ncols; i++) {
		if (i > 0)
			put_char(w, ',');
		rc = put_csv_field(w, w->cols[i].name, strlen(w->cols[i].name), 0);
		if (rc != DT_OK)
			return fail(w, rc);
	}
	put(w, "\r\n", 2);
	return DT_OK;
}

/* One CSV record; only text columns are neutralised, so a negative number
 * stays a number. */
static int csv_row(dt_writer *w, const dt_value *values)
{
	char num[NUM_MAX];
	cell c;
	int rc;

	for (size_t i = 0; i < w->ncols; i++) {
		if (i > 0)
			put_char(w, ',');
		rc = render(w, &w->cols[i], &values[i], num, &c);
		if (rc == DT_OK && !c.null)
			rc = put_csv_field(w, c.s, c.len, w->cols[i].type == DT_COL_TEXT);
		if (rc != DT_OK)
			return fail(w, rc);
	}
	put(w, "\r\n", 2);
	return DT_OK;
}

/* One row of the sheet. Every cell goes through render(), so masking and
 * the audit flag are the same as in CSV; what render() leaves unquoted
 * (numbers, booleans) is written as a number or a boolean, and a real
 * that is not finite as the text CSV shows, since Excel has no such value. */
static int xlsx_row(dt_writer *w, const dt_value *values)
{
	uint64_t row = w->rows + 1; /* row 0 holds the header */
	char num[NUM_MAX];
	cell c;
	int rc = DT_OK;

	for (size_t i = 0; i < w->ncols && rc == DT_OK; i++) {
		const dt_column *col = &w->cols[i];

		rc = render(w, col, &values[i], num, &c);
		if (rc != DT_OK || c.null)
			continue;
		if (c.string || (col->type == DT_COL_REAL && !isfinite(values[i].r)))
			rc = dt__xlsx_text(w->xlsx, row, i, c.s, c.len);
		else if (col->type == DT_COL_BOOL)
			rc = dt__xlsx_bool(w->xlsx, row, i, values[i].i != 0);
		else
			rc = dt__xlsx_number(w->xlsx, row, i,
			                     col->type == DT_COL_INT ? (double)values[i].i : values[i].r, c.len);
	}
	return rc == DT_OK ? DT_OK : fail(w, rc);
}

/* Store one table cell in the arena. Control characters become one space
 * each so a cell can never break a line or move the cursor; C1 controls
 * (U+0080-009F) included. *width gets the cell's display width. */
static int table_add(dt_writer *w, const char *s, size_t n, size_t *width)
{
	const unsigned char *u = (const unsigned char *)s;
	char *a, *d;
	size_t *cells, o = 0;

	if (n > SIZE_MAX - 1 - w->arena_len)
		return DT_ENOMEM;
	a = grow(w->arena, &w->arena_cap, w->arena_len + n + 1, 1);
	if (!a)
		return DT_ENOMEM;
	w->arena = a;
	cells = grow(w->cells, &w->cells_cap, w->ncells + 1, sizeof(*cells));
	if (!cells)
		return DT_ENOMEM;
	w->cells = cells;
	d = a + w->arena_len;
	for (size_t i = 0; i < n; i++) {
		if (u[i] < 0x20 || u[i] == 0x7F) {
			d[o++] = ' ';
		} else if (u[i] == 0xC2 && i + 1 < n && u[i + 1] >= 0x80 && u[i + 1] <= 0x9F) {
			d[o++] = ' ';
			i++;
		} else {
			d[o++] = s[i];
		}
	}
	d[o] = '\0';
	w->cells[w->ncells++] = w->arena_len;
	w->arena_len += o + 1;
	*width = dt_display_width(d);
	return DT_OK;
}

/* Buffer one table row, widening columns as needed. On failure the partial
 * row is dropped so the arena stays a whole number of rows. */
static int table_row(dt_writer *w, const dt_value *values)
{
	size_t arena_len = w->arena_len, ncells = w->ncells, width;
	char num[NUM_MAX];
	cell c;
	int rc;

	for (size_t i = 0; i < w->ncols; i++) {
		rc = render(w, &w->cols[i], &values[i], num, &c);
		if (rc == DT_OK)
			rc = table_add(w, c.s, c.len, &width);
		if (rc != DT_OK) {
			w->arena_len = arena_len;
			w->ncells = ncells;
			return fail(w, rc);
		}
		if (width > w->widths[i])
			w->widths[i] = width;
	}
	return DT_OK;
}

/* Write s after *pending spaces. Spaces are only written once something
 * visible follows them, and s's own trailing spaces join *pending, so no
 * line ends in blanks whatever the padding and the data. */
static void put_held(dt_writer *w, const char *s, size_t *pending)
{
	size_t n = strlen(s), body = n;

	while (body > 0 && s[body - 1] == ' ')
		body--;
	if (body > 0) {
		put_spaces(w, *pending);
		*pending = 0;
		put(w, s, body);
	}
	*pending += n - body;
}

/* One line of the table from ncols cells starting at cell index first;
 * numbers right-aligned (their header too, to sit over the digits). */
static void table_line(dt_writer *w, size_t first)
{
	size_t pending = 0;

	for (size_t i = 0; i < w->ncols; i++) {
		const char *s = w->arena + w->cells[first + i];
		size_t pad = w->widths[i] - dt_display_width(s);
		int right = w->cols[i].type == DT_COL_INT || w->cols[i].type == DT_COL_REAL;

		if (i > 0)
			pending += 2;
		if (right)
			pending += pad;
		put_held(w, s, &pending);
		if (!right)
			pending += pad;
	}
	put_char(w, '\n');
}

/* Print the buffered table: header, dashes, rows; or for a record, one
 * "name  value" line per column with names padded to the widest. */
static void table_print(dt_writer *w)
{
	size_t nrows = w->ncells / w->ncols - 1;

	if (w->flags & DT_WRITE_RECORD) {
		size_t namew = 0;

		if (nrows == 0)
			return;
		for (size_t i = 0; i < w->ncols; i++) {
			size_t nw = dt_display_width(w->arena + w->cells[i]);

			if (nw > namew)
				namew = nw;
		}
		for (size_t i = 0; i < w->ncols; i++) {
			const char *name = w->arena + w->cells[i];
			size_t pending = 0;

			put_held(w, name, &pending);
			pending += namew - dt_display_width(name) + 2;
			put_held(w, w->arena + w->cells[w->ncols + i], &pending);
			put_char(w, '\n');
		}
		return;
	}
	table_line(w, 0);
	for (size_t i = 0; i < w->ncols; i++) {
		if (i > 0)
			put_spaces(w, 2);
		for (size_t k = 0; k < w->widths[i]; k++)
			put_char(w, '-');
	}
	put_char(w, '\n');
	for (size_t r = 1; r <= nrows; r++)
		table_line(w, r * w->ncols);
}

static int shown_in(const dt_writer *w, const dt_column *col)
{
	int json = w->format == DT_FORMAT_JSON || w->format == DT_FORMAT_JSONL;

	return json ? !(col->flags & DT_COL_FLAT) : !(col->flags & DT_COL_NESTED);
}

/* Keep the columns this format shows (DT_COL_FLAT and DT_COL_NESTED); when
 * all are shown, the caller's array is used as it is. */
static int format_filters(dt_writer *w, const dt_column *cols, size_t ncols)
{
	size_t n = 0;

	for (size_t i = 0; i < ncols; i++)
		n += (size_t)shown_in(w, &cols[i]);
	if (n == ncols)
		return DT_OK;
	w->shown = malloc((n ? n : 1) * sizeof(*w->shown));
	w->pick = malloc((n ? n : 1) * sizeof(*w->pick));
	w->picked = malloc((n ? n : 1) * sizeof(*w->picked));
	if (!w->shown || !w->pick || !w->picked)
		return DT_ENOMEM;
	n = 0;
	for (size_t i = 0; i < ncols; i++)
		if (shown_in(w, &cols[i])) {
			w->shown[n] = cols[i];
			w->pick[n++] = i;
		}
	w->cols = w->shown;
	w->ncols = n;
	return DT_OK;
}

/* Declare the columns. CSV writes its BOM and header now; the table stores
 * the names as its first row so they count towards the widths. */
int dt_writer_begin(dt_writer *w, const dt_column *cols, size_t ncols)
{
	if (!w || !cols || ncols == 0 || w->state != ST_NEW)
		return DT_EUSAGE;
	for (size_t i = 0; i < ncols; i++)
		if (!cols[i].name || cols[i].type < DT_COL_TEXT || cols[i].type > DT_COL_BOOL)
			return DT_EUSAGE;
	w->cols = cols;
	w->ncols = ncols;
	if (format_filters(w, cols, ncols) != DT_OK)
		return fail(w, DT_ENOMEM);
	cols = w->cols;
	ncols = w->ncols;
	w->state = ST_BEGUN;
	switch (w->format) {
	case DT_FORMAT_TABLE:
		w->widths = calloc(ncols, sizeof(*w->widths));
		if (!w->widths)
			return fail(w, DT_ENOMEM);
		for (size_t i = 0; i < ncols; i++) {
			int rc = table_add(w, cols[i].name, strlen(cols[i].name), &w->widths[i]);

			if (rc != DT_OK)
				return fail(w, rc);
		}
		break;
	case DT_FORMAT_CSV:
		if (w->flags & DT_WRITE_BOM)
			put(w, "\xEF\xBB\xBF", 3);
		csv_header(w);
		break;
	case DT_FORMAT_XLSX: {
		int rc = dt__xlsx_begin(&w->xlsx, cols, ncols, w->errmsg, sizeof(w->errmsg));

		if (rc != DT_OK)
			return fail(w, rc);
		break;
	}
	case DT_FORMAT_JSON:
	case DT_FORMAT_JSONL:
		break;
	}
	return w->err;
}

/* One row: streamed, or kept for the table. A record takes one row only. */
int dt_writer_row(dt_writer *w, const dt_value *values)
{
	int rc = DT_OK;

	if (!w || !values || w->state != ST_BEGUN)
		return DT_EUSAGE;
	if (w->err)
		return w->err;
	if ((w->flags & DT_WRITE_RECORD) && w->rows > 0)
		return DT_EUSAGE;
	if (w->pick) {
		for (size_t i = 0; i < w->ncols; i++)
			w->picked[i] = values[w->pick[i]];
		values = w->picked;
	}
	switch (w->format) {
	case DT_FORMAT_TABLE:
		rc = table_row(w, values);
		break;
	case DT_FORMAT_CSV:
		rc = csv_row(w, values);
		break;
	case DT_FORMAT_JSON:
		if (!(w->flags & DT_WRITE_RECORD))
			put_str(w, w->rows == 0 ? "[\n" : ",\n");
		rc = json_row(w, values);
		if (w->flags & DT_WRITE_RECORD)
			put_char(w, '\n');
		break;
	case DT_FORMAT_JSONL:
		rc = json_row(w, values);
		put_char(w, '\n');
		break;
	case DT_FORMAT_XLSX:
		rc = xlsx_row(w, values);
		break;
	}
	if (w->err)
		return w->err;
	if (rc == DT_OK)
		w->rows++;
	return rc;
}

/* A record listing must hold exactly one row; with none, JSON would be left
 * empty, so that is reported as misuse after flushing what there is. */
int dt_writer_end(dt_writer *w)
{
	int rc = DT_OK;

	if (!w || w->state != ST_BEGUN)
		return DT_EUSAGE;
	w->state = ST_ENDED;
	if (w->err)
		return w->err;
	if ((w->flags & DT_WRITE_RECORD) && w->rows != 1)
		rc = DT_EUSAGE;
	switch (w->format) {
	case DT_FORMAT_TABLE:
		table_print(w);
		break;
	case DT_FORMAT_JSON:
		if (!(w->flags & DT_WRITE_RECORD))
			put_str(w, w->rows == 0 ? "[]\n" : "\n]\n");
		break;
	case DT_FORMAT_XLSX: {
		int xrc = dt__xlsx_end(w->xlsx, w->rows, w->sink, w->userdata);

		if (xrc != DT_OK)
			fail(w, xrc);
		break;
	}
	case DT_FORMAT_CSV:
	case DT_FORMAT_JSONL:
		break;
	}
	flush(w);
	/* The table is printed; its memory need not wait for dt_writer_free. */
	free(w->arena);
	free(w->cells);
	w->arena = NULL;
	w->cells = NULL;
	w->arena_len = w->arena_cap = w->ncells = w->cells_cap = 0;
	return w->err ? w->err : rc;
}

/* The reason of the last failure, or "" when the status says it all. */
const char *dt_writer_errmsg(const dt_writer *w)
{
	return w ? w->errmsg : "";
}

/* Rows accepted so far. */
uint64_t dt_writer_rows(const dt_writer *w)
{
	return w ? w->rows : 0;
}

/* Whether personal data left in clear; the caller records that in the audit log. */
int dt_writer_revealed(const dt_writer *w)
{
	return w ? w->revealed : 0;
}

/* Free everything; no flush, so an unfinished listing is simply dropped. */
void dt_writer_free(dt_writer *w)
{
	if (!w)
		return;
	free(w->shown);
	free(w->pick);
	free(w->picked);
	free(w->mask);
	free(w->field);
	free(w->quoted);
	free(w->arena);
	free(w->cells);
	free(w->widths);
	dt__xlsx_free(w->xlsx);
	free(w);
}
