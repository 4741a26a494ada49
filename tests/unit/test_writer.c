/*
 * Unit tests of the listing writer: exact bytes of every format, quoting and
 * escaping, masking, alignment by display width, and failure handling.
 * Output is captured by a memory sink so each test compares whole strings.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dutytrack/writer.h"

/* A sink that collects bytes in memory, and can be told to fail. */
typedef struct {
	char *buf;
	size_t len, cap;
	int calls;
	int fail_at; /* fail on this call (1-based); 0: never */
	size_t max_call; /* largest single write seen */
} memsink;

static int mem_sink(void *userdata, const char *buf, size_t len)
{
	memsink *m = userdata;

	m->calls++;
	if (m->fail_at && m->calls >= m->fail_at)
		return -1;
	if (len > m->max_call)
		m->max_call = len;
	if (m->len + len + 1 > m->cap) {
		size_t cap = (m->len + len + 1) * 2;
		char *p = realloc(m->buf, cap);

		if (!p)
			return -1;
		m->buf = p;
		m->cap = cap;
	}
	memcpy(m->buf + m->len, buf, len);
	m->len += len;
	m->buf[m->len] = '\0';
	return 0;
}

/* Release the captured output and reset the sink for reuse. */
static void mem_free(memsink *m)
{
	free(m->buf);
	memset(m, 0, sizeof(*m));
}

/* The fixture: three columns, a Chinese name, a NULL and a ragged width. */
static const dt_column fixture_cols[] = {
	{ "code", DT_COL_TEXT, 0 },
	{ "name", DT_COL_TEXT, DT_COL_PERSONAL },
	{ "duties", DT_COL_INT, 0 },
};

static const dt_value fixture_rows[][3] = {
	{ { 0, "RZ0001", 0, 0 }, { 0, "张三丰", 0, 0 }, { 0, NULL, 12, 0 } },
	{ { 0, "RZ0002", 0, 0 }, { 0, "Bob", 0, 0 }, { 0, NULL, 3, 0 } },
	{ { 0, "RZ0003", 0, 0 }, { 1, NULL, 0, 0 }, { 0, NULL, 100, 0 } },
};

/* Render the fixture's first nrows rows; the writer's revealed flag goes to
 * *revealed when given. Returns the output (owned by m). */
static const char *render_fixture(memsink *m, dt_format fmt, unsigned int flags, size_t nrows,
				  int *revealed)
{
	dt_writer *w = NULL;

	memset(m, 0, sizeof(*m));
	assert_int_equal(dt_writer_new(&w, fmt, flags, mem_sink, m), DT_OK);
	assert_int_equal(dt_writer_begin(w, fixture_cols, 3), DT_OK);
	for (size_t i = 0; i < nrows; i++)
		assert_int_equal(dt_writer_row(w, fixture_rows[i]), DT_OK);
	assert_int_equal(dt_writer_end(w), DT_OK);
	assert_int_equal(dt_writer_rows(w), nrows);
	if (revealed)
		*revealed = dt_writer_revealed(w);
	dt_writer_free(w);
	return m->buf ? m->buf : "";
}

/* Write one row of one column and return the output. */
static const char *render_one(memsink *m, dt_format fmt, unsigned int flags, const dt_column *col,
			      const dt_value *v)
{
	dt_writer *w = NULL;

	memset(m, 0, sizeof(*m));
	assert_int_equal(dt_writer_new(&w, fmt, flags, mem_sink, m), DT_OK);
	assert_int_equal(dt_writer_begin(w, col, 1), DT_OK);
	assert_int_equal(dt_writer_row(w, v), DT_OK);
	assert_int_equal(dt_writer_end(w), DT_OK);
	dt_writer_free(w);
	return m->buf ? m->buf : "";
}

/* A minimal JSON validator: RFC 8259 grammar plus strict UTF-8, enough to
 * prove the writer never emits something a parser would reject. */
static int jv_value(const unsigned char **p);

/* Skip JSON whitespace. */
static void jv_ws(const unsigned char **p)
{
	while (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r')
		(*p)++;
}

/* One strictly valid multi-byte UTF-8 sequence. */
static int jv_utf8(const unsigned char **p)
{
	const unsigned char *s = *p;
	unsigned char lo = 0x80, hi = 0xBF;
	int n;

	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		n = 1;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		n = 2, lo = s[0] == 0xE0 ? 0xA0 : 0x80, hi = s[0] == 0xED ? 0x9F : 0xBF;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		n = 3, lo = s[0] == 0xF0 ? 0x90 : 0x80, hi = s[0] == 0xF4 ? 0x8F : 0xBF;
	else
		return 0;
	for (int i = 1; i <= n; i++) {
		if (s[i] < lo || s[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xBF;
	}
	*p += n + 1;
	return 1;
}

/* A string: no raw control characters, only the escapes RFC 8259 allows. */
static int jv_string(const unsigned char **p)
{
	if (**p != '"')
		return 0;
	(*p)++;
	for (;;) {
		unsigned char c = **p;

		if (c == '"') {
			(*p)++;
			return 1;
		}
		if (c < 0x20)
			return 0;
		if (c == '\\') {
			(*p)++;
			if (**p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF", (*p)[i]) || !(*p)[i])
						return 0;
				*p += 5;
			} else if (**p && strchr("\"\\/bfnrt", **p)) {
				(*p)++;
			} else {
				return 0;
			}
		} else if (c >= 0x80) {
			if (!jv_utf8(p))
				return 0;
		} else {
			(*p)++;
		}
	}
}

/* A number per the RFC grammar (no leading zeros, no bare dot, no nan). */
static int jv_number(const unsigned char **p)
{
	const unsigned char *s = *p;

	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (*s >= '0' && *s <= '9')
			s++;
	else
		return 0;
	if (*s == '.') {
		s++;
		if (!(*s >= '0' && *s <= '9'))
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!(*s >= '0' && *s <= '9'))
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	*p = s;
	return 1;
}

/* Any value, objects and arrays recursively. */
static int jv_value(const unsigned char **p)
{
	jv_ws(p);
	if (**p == '{' || **p == '[') {
		int obj = **p == '{';

		(*p)++;
		jv_ws(p);
		if (**p == (obj ? '}' : ']')) {
			(*p)++;
			return 1;
		}
		for (;;) {
			if (obj) {
				jv_ws(p);
				if (!jv_string(p))
					return 0;
				jv_ws(p);
				if (*(*p)++ != ':')
					return 0;
			}
			if (!jv_value(p))
				return 0;
			jv_ws(p);
			if (**p == ',') {
				(*p)++;
				continue;
			}
			if (*(*p)++ != (obj ? '}' : ']'))
				return 0;
			return 1;
		}
	}
	if (**p == '"')
		return jv_string(p);
	if (!strncmp((const char *)*p, "true", 4) || !strncmp((const char *)*p, "null", 4)) {
		*p += 4;
		return 1;
	}
	if (!strncmp((const char *)*p, "false", 5)) {
		*p += 5;
		return 1;
	}
	return jv_number(p);
}

/* 1 if s is exactly one JSON text. */
static int json_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!jv_value(&p))
		return 0;
	jv_ws(&p);
	return *p == '\0';
}

/* The validator itself must be able to say no, or the checks below prove nothing. */
static void test_json_validator_rejects(void **state)
{
	(void)state;
	assert_true(json_valid("[{\"a\":1,\"b\":[true,null,-0.5e+3]}]\n"));
	assert_false(json_valid("{\"a\":1,}"));
	assert_false(json_valid("\"a\nb\""));
	assert_false(json_valid("\"\xff\""));
	assert_false(json_valid("[1] x"));
}

/* Exact names only; a failure leaves *out alone. */
static void test_format_parse(void **state)
{
	dt_format f = DT_FORMAT_JSON;

	(void)state;
	assert_int_equal(dt_format_parse("table", &f), DT_OK);
	assert_int_equal(f, DT_FORMAT_TABLE);
	assert_int_equal(dt_format_parse("csv", &f), DT_OK);
	assert_int_equal(f, DT_FORMAT_CSV);
	assert_int_equal(dt_format_parse("jsonl", &f), DT_OK);
	assert_int_equal(f, DT_FORMAT_JSONL);
	assert_int_equal(dt_format_parse("json", &f), DT_OK);
	assert_int_equal(f, DT_FORMAT_JSON);
	assert_int_equal(dt_format_parse("JSON", &f), DT_EUSAGE);
	assert_int_equal(dt_format_parse("", &f), DT_EUSAGE);
	assert_int_equal(dt_format_parse("tsv", &f), DT_EUSAGE);
	assert_int_equal(dt_format_parse("json ", &f), DT_EUSAGE);
	assert_int_equal(dt_format_parse(NULL, &f), DT_EUSAGE);
	assert_int_equal(f, DT_FORMAT_JSON); /* untouched by failures */
	assert_string_equal(dt_format_name(DT_FORMAT_TABLE), "table");
	assert_string_equal(dt_format_name(DT_FORMAT_CSV), "csv");
	assert_string_equal(dt_format_name(DT_FORMAT_JSON), "json");
	assert_string_equal(dt_format_name(DT_FORMAT_JSONL), "jsonl");
}

/* Wide, narrow, zero-width and invalid input. */
static void test_display_width(void **state)
{
	(void)state;
	assert_int_equal(dt_display_width(NULL), 0);
	assert_int_equal(dt_display_width(""), 0);
	assert_int_equal(dt_display_width("abc"), 3);
	assert_int_equal(dt_display_width("张三丰"), 6);
	assert_int_equal(dt_display_width("Li 雷"), 5);
	assert_int_equal(dt_display_width("\xe3\x90\x80"), 2);         /* U+3400 extension A */
	assert_int_equal(dt_display_width("\xf0\xa0\x80\x80"), 2);     /* U+20000 extension B */
	assert_int_equal(dt_display_width("한글"), 4);
	assert_int_equal(dt_display_width("あア"), 4);
	assert_int_equal(dt_display_width("\xe3\x80\x82"), 2);         /* U+3002 ideographic full stop */
	assert_int_equal(dt_display_width("\xe3\x80\x80"), 2);         /* U+3000 ideographic space */
	assert_int_equal(dt_display_width("\xef\xbc\xa1"), 2);         /* U+FF21 fullwidth A */
	assert_int_equal(dt_display_width("\xef\xbd\xb1"), 1);         /* U+FF71 halfwidth katakana */
	assert_int_equal(dt_display_width("\xef\xbf\xa5"), 2);         /* U+FFE5 fullwidth yen */
	assert_int_equal(dt_display_width("\xf0\x9f\x98\x80"), 2);     /* U+1F600 emoji */
	assert_int_equal(dt_display_width("\xf0\x9f\xa4\x94"), 2);     /* U+1F914 emoji */
	assert_int_equal(dt_display_width("e\xcc\x81"), 1);            /* e + combining acute */
	assert_int_equal(dt_display_width("a\xe2\x80\x8b" "b"), 2);    /* zero width space */
	assert_int_equal(dt_display_width("\xe2\x9d\xa4\xef\xb8\x8f"), 1); /* U+2764 U+FE0F */
	assert_int_equal(dt_display_width("a\tb\nc\x1b"), 3);         /* controls take none */
	assert_int_equal(dt_display_width("\xc2\x85"), 0);             /* C1 control NEL */
	assert_int_equal(dt_display_width("\xff"), 1);                 /* invalid byte */
	assert_int_equal(dt_display_width("a\xe4" "b"), 3);            /* truncated sequence */
	assert_int_equal(dt_display_width("\xed\xa0\x80"), 3);         /* encoded surrogate */
	assert_int_equal(dt_display_width("\xc0\xaf"), 2);             /* overlong '/' */
	assert_int_equal(dt_display_width("\xe4\xb8"), 2);             /* cut at the end */
}

/* The documented examples, the short form and truncation. */
static void test_mask_phone(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(dt_mask_phone("13712340743", buf, sizeof(buf)), "137****0743");
	assert_string_equal(dt_mask_phone("+8613712340743", buf, sizeof(buf)), "+86****0743");
	assert_string_equal(dt_mask_phone("0633-8781234", buf, sizeof(buf)), "063****1234");
	assert_string_equal(dt_mask_phone("12345678", buf, sizeof(buf)), "123****5678");
	assert_string_equal(dt_mask_phone("1234567", buf, sizeof(buf)), "*****67");
	assert_string_equal(dt_mask_phone("8781", buf, sizeof(buf)), "**81");
	assert_string_equal(dt_mask_phone("12", buf, sizeof(buf)), "12");
	assert_string_equal(dt_mask_phone("", buf, sizeof(buf)), "");
	assert_string_equal(dt_mask_phone(NULL, buf, sizeof(buf)), "");
	assert_true(dt_mask_phone("1", buf, sizeof(buf)) == buf);
	/* A short buffer truncates whole pieces and stays terminated. */
	assert_string_equal(dt_mask_phone("13712340743", buf, 8), "137****");
	assert_string_equal(dt_mask_phone("13712340743", buf, 5), "137");
	assert_string_equal(dt_mask_phone("13712340743", buf, 1), "");
}

/* The fixture as a table, in clear and masked (masking narrows a column). */
static void test_table_fixture(void **state)
{
	memsink m;

	(void)state;
	assert_string_equal(render_fixture(&m, DT_FORMAT_TABLE, DT_WRITE_UNMASK, 3, NULL),
			    "code    name    duties\n"
			    "------  ------  ------\n"
			    "RZ0001  张三丰      12\n"
			    "RZ0002  Bob          3\n"
			    "RZ0003             100\n");
	mem_free(&m);
	assert_string_equal(render_fixture(&m, DT_FORMAT_TABLE, 0, 3, NULL),
			    "code    name  duties\n"
			    "------  ----  ------\n"
			    "RZ0001  张**      12\n"
			    "RZ0002  B**        3\n"
			    "RZ0003           100\n");
	mem_free(&m);
}

/* No rows: header and dashes still printed. */
static void test_table_empty(void **state)
{
	memsink m;

	(void)state;
	assert_string_equal(render_fixture(&m, DT_FORMAT_TABLE, 0, 0, NULL),
			    "code  name  duties\n"
			    "----  ----  ------\n");
	mem_free(&m);
}

/* CJK in a left-aligned last column and in a header: widths by display
 * columns, no trailing blanks even after a short last cell. */
static void test_table_cjk_alignment(void **state)
{
	static const dt_column cols[] = {
		{ "n", DT_COL_INT, 0 },
		{ "区域", DT_COL_TEXT, 0 },
		{ "note", DT_COL_TEXT, 0 },
	};
	static const dt_value rows[][3] = {
		{ { 0, NULL, 7, 0 }, { 0, "东城", 0, 0 }, { 0, "甲乙丙丁", 0, 0 } },
		{ { 0, NULL, -12, 0 }, { 0, "a", 0, 0 }, { 0, "x ", 0, 0 } },
		{ { 1, NULL, 0, 0 }, { 0, "ＡＢＣ", 0, 0 }, { 1, NULL, 0, 0 } },
	};
	memsink m = { 0 };
	dt_writer *w;

	(void)state;
	assert_int_equal(dt_writer_new(&w, DT_FORMAT_TABLE, 0, mem_sink, &m), DT_OK);
	assert_int_equal(dt_writer_begin(w, cols, 3), DT_OK);
	for (int i = 0; i < 3; i++)
		assert_int_equal(dt_writer_row(w, rows[i]), DT_OK);
	assert_int_equal(m.len, 0); /* a table waits for the end */
	assert_int_equal(dt_writer_end(w), DT_OK);
	dt_writer_free(w);
	assert_string_equal(m.buf,
			    "  n  区域    note\n"
			    "---  ------  --------\n"
			    "  7  东城    甲乙丙丁\n"
			    "-12  a       x\n"
			    "     ＡＢＣ\n");
	mem_free(&m);
}

/* Each control character (C0 and C1) shows as one space. */
static void test_table_control_chars(void **state)
{
	static const dt_column cols[] = { { "a", DT_COL_TEXT, 0 }, { "b", DT_COL_TEXT, 0 } };
	static const dt_value row[] = { { 0, "x\ny\tz\r\x01", 0, 0 }, { 0, "\xc2\x85q", 0, 0 } };
	memsink m = { 0 };
	dt_writer *w;

	(void)state;
	assert_int_equal(dt_writer_new(&w, DT_FORMAT_TABLE, 0, mem_sink, &m), DT_OK);
	assert_int_equal(dt_writer_begin(w, cols, 2), DT_OK);
	assert_int_equal(dt_writer_row(w, row), DT_OK);
	assert_int_equal(dt_writer_end(w), DT_OK);
	dt_writer_free(w);
	assert_string_equal(m.buf,
			    "a        b\n"
			    "-------  --\n"
			    "x y z     q\n");
	mem_free(&m);
}

/* Record layout: "name  value", names padded by display width. */
static void test_table_record(void **state)
{
	memsink m;

	(void)state;
	assert_string_equal(render_fixture(&m, DT_FORMAT_TABLE, DT_WRITE_RECORD | DT_WRITE_UNMASK, 1,
					   NULL),
			    "code    RZ0001\n"
			    "name    张三丰\n"
			    "duties  12\n");
	mem_free(&m);

	/* A NULL value leaves the name alone on its line, without blanks. */
	{
		static const dt_column cols[] = { { "姓名", DT_COL_TEXT, 0 }, { "x", DT_COL_TEXT, 0 } };
		static const dt_value row[] = { { 1, NULL, 0, 0 }, { 0, "v", 0, 0 } };
		dt_writer *w;

		memset(&m, 0, sizeof(m));
		assert_int_equal(dt_writer_new(&w, DT_FORMAT_TABLE, DT_WRITE_RECORD, mem_sink, &m), DT_OK);
		assert_int_equal(dt_writer_begin(w, cols, 2), DT_OK);
		assert_int_equal(dt_writer_row(w, row), DT_OK);
		assert_int_equal(dt_writer_row(w, row), DT_EUSAGE); /* one row only */
		assert_int_equal(dt_writer_end(w), DT_OK);
		dt_writer_free(w);
		assert_string_equal(m.buf, "姓名\nx     v\n");
		mem_free(&m);
	}
}

/* The fixture as CSV: CRLF, NULL as an empty field, optional BOM. */
static void test_csv_fixture(void **state)
{
	memsink m;

	(void)state;
	assert_string_equal(render_fixture(&m, DT_FORMAT_CSV, DT_WRITE_UNMASK, 3, NULL),
			    "code,name,duties\r\n"
			    "RZ0001,张三丰,12\r\n"
			    "RZ0002,Bob,3\r\n"
			    "RZ0003,,100\r\n");
	mem_free(&m);
	assert_string_equal(render_fixture(&m, DT_FORMAT_CSV, DT_WRITE_BOM, 1, NULL),
			    "\xEF\xBB\xBF"
			    "code,name,duties\r\n"
			    "RZ0001,张**,12\r\n");
	mem_free(&m);
	/* No BOM unless asked, and an empty listing is the header alone. */
	assert_string_equal(render_fixture(&m, DT_FORMAT_CSV, 0, 0, NULL), "code,name,duties\r\n");
	mem_free(&m);
	/* A record changes nothing for CSV. */
	assert_string_equal(render_fixture(&m, DT_FORMAT_CSV, DT_WRITE_RECORD | DT_WRITE_UNMASK, 1,
					   NULL),
			    "code,name,duties\r\nRZ0001,张三丰,12\r\n");
	mem_free(&m);
}

/* Quoting only where needed, embedded quotes doubled. */
static void test_csv_quoting(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "plain", "plain\r\n" },
		{ "a,b", "\"a,b\"\r\n" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"\r\n" },
		{ "\"", "\"\"\"\"\r\n" },
		{ "line1\nline2", "\"line1\nline2\"\r\n" },
		{ "a\rb", "\"a\rb\"\r\n" },
		{ " lead", "\" lead\"\r\n" },
		{ "trail ", "\"trail \"\r\n" },
		{ "in side", "in side\r\n" },
		{ "", "\r\n" },
		{ "张,三", "\"张,三\"\r\n" },
	};
	static const dt_column col = { "t", DT_COL_TEXT, 0 };
	memsink m;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		dt_value v = { 0, cases[i].in, 0, 0 };
		const char *out = render_one(&m, DT_FORMAT_CSV, 0, &col, &v);

		assert_true(strncmp(out, "t\r\n", 3) == 0);
		assert_string_equal(out + 3, cases[i].out);
		mem_free(&m);
	}
}

/* Formula-looking text gets an apostrophe; numbers beside it never do. */
static void test_csv_formula(void **state)
{
	static const dt_column cols[] = {
		{ "t", DT_COL_TEXT, 0 },
		{ "i", DT_COL_INT, 0 },
		{ "r", DT_COL_REAL, 0 },
	};
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "=SUM(A1:A9)", "'=SUM(A1:A9)" },
		{ "+1", "'+1" },
		{ "-2", "'-2" },
		{ "@cmd", "'@cmd" },
		{ "\tx", "'\tx" },
		{ "\rx", "\"'\rx\"" },
		{ "=HYPERLINK(\"a\",\"b\")", "\"'=HYPERLINK(\"\"a\"\",\"\"b\"\")\"" },
		{ "a=b", "a=b" },
		{ "'quoted", "'quoted" },
	};
	memsink m;
	char want[128];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		dt_value v[3] = { { 0, cases[i].in, 0, 0 }, { 0, NULL, -5, 0 }, { 0, NULL, 0, -1.5 } };
		dt_writer *w;

		memset(&m, 0, sizeof(m));
		assert_int_equal(dt_writer_new(&w, DT_FORMAT_CSV, 0, mem_sink, &m), DT_OK);
		assert_int_equal(dt_writer_begin(w, cols, 3), DT_OK);
		assert_int_equal(dt_writer_row(w, v), DT_OK);
		assert_int_equal(dt_writer_end(w), DT_OK);
		dt_writer_free(w);
		snprintf(want, sizeof(want), "t,i,r\r\n%s,-5,-1.5\r\n", cases[i].out);
		assert_string_equal(m.buf, want);
		mem_free(&m);
	}
}

/* The fixture as a JSON array, empty array and record object. */
static void test_json_fixture(void **state)
{
	memsink m;
	int revealed = -1;

	(void)state;
	assert_string_equal(render_fixture(&m, DT_FORMAT_JSON, DT_WRITE_UNMASK, 3, &revealed),
			    "[\n"
			    "{\"code\":\"RZ0001\",\"name\":\"张三丰\",\"duties\":12},\n"
			    "{\"code\":\"RZ0002\",\"name\":\"Bob\",\"duties\":3},\n"
			    "{\"code\":\"RZ0003\",\"name\":null,\"duties\":100}\n"
			    "]\n");
	assert_true(json_valid(m.buf));
	assert_int_equal(revealed, 1);
	mem_free(&m);
	assert_string_equal(render_fixture(&m, DT_FORMAT_JSON, 0, 1, &revealed),
			    "[\n{\"code\":\"RZ0001\",\"name\":\"张**\",\"duties\":12}\n]\n");
	assert_int_equal(revealed, 0);
	mem_free(&m);
	assert_string_equal(render_fixture(&m, DT_FORMAT_JSON, 0, 0, NULL), "[]\n");
	assert_true(json_valid(m.buf));
	mem_free(&m);
	assert_string_equal(render_fixture(&m, DT_FORMAT_JSON, DT_WRITE_RECORD, 1, NULL),
			    "{\"code\":\"RZ0001\",\"name\":\"张**\",\"duties\":12}\n");
	assert_true(json_valid(m.buf));
	mem_free(&m);
}

/* The fixture as JSON lines; no rows is no output. */
static void test_jsonl_fixture(void **state)
{
	memsink m;

	(void)state;
	assert_string_equal(render_fixture(&m, DT_FORMAT_JSONL, 0, 3, NULL),
			    "{\"code\":\"RZ0001\",\"name\":\"张**\",\"duties\":12}\n"
			    "{\"code\":\"RZ0002\",\"name\":\"B**\",\"duties\":3}\n"
			    "{\"code\":\"RZ0003\",\"name\":null,\"duties\":100}\n");
	mem_free(&m);
	assert_string_equal(render_fixture(&m, DT_FORMAT_JSONL, 0, 0, NULL), "");
	mem_free(&m);
}

/* RFC 8259 escapes, U+2028/2029, and U+FFFD for every invalid byte. */
static void test_json_escaping(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "q\"b\\s/", "\"q\\\"b\\\\s/\"" },
		{ "\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"" },
		{ "\x01\x1f\x7f", "\"\\u0001\\u001f\x7f\"" },
		{ "张三 é 😀", "\"张三 é 😀\"" },
		{ "a\xe2\x80\xa8" "b\xe2\x80\xa9", "\"a\\u2028b\\u2029\"" },
		{ "\xff", "\"\xef\xbf\xbd\"" },
		{ "a\xc3", "\"a\xef\xbf\xbd\"" },                               /* cut short */
		{ "\xed\xa0\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"" }, /* surrogate */
		{ "\xc0\xaf", "\"\xef\xbf\xbd\xef\xbf\xbd\"" },                 /* overlong */
		{ "\xe5\xbc\xa0\xe4\xb8", "\"张\xef\xbf\xbd\xef\xbf\xbd\"" },
	};
	static const dt_column col = { "k\"\n", DT_COL_TEXT, 0 };
	memsink m;
	char want[128];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		dt_value v = { 0, cases[i].in, 0, 0 };
		const char *out = render_one(&m, DT_FORMAT_JSONL, 0, &col, &v);

		snprintf(want, sizeof(want), "{\"k\\\"\\n\":%s}\n", cases[i].out);
		assert_string_equal(out, want);
		assert_true(json_valid(out));
		mem_free(&m);
	}
}

/* Numbers, booleans and non-finite reals in each format. */
static void test_value_types(void **state)
{
	static const dt_column cols[] = {
		{ "i", DT_COL_INT, 0 },
		{ "r", DT_COL_REAL, 0 },
		{ "b", DT_COL_BOOL, 0 },
	};
	static const struct {
		dt_value v[3];
		const char *json, *csv;
	} cases[] = {
		{ { { 0, NULL, INT64_MIN, 0 }, { 0, NULL, 0, 0.1 }, { 0, NULL, 1, 0 } },
		  "{\"i\":-9223372036854775808,\"r\":0.1,\"b\":true}\n",
		  "-9223372036854775808,0.1,true\r\n" },
		{ { { 0, NULL, 0, 0 }, { 0, NULL, 0, 0.1 + 0.2 }, { 0, NULL, 0, 0 } },
		  "{\"i\":0,\"r\":0.30000000000000004,\"b\":false}\n",
		  "0,0.30000000000000004,false\r\n" },
		{ { { 0, NULL, 42, 0 }, { 0, NULL, 0, 1.0 / 3 }, { 1, NULL, 1, 0 } },
		  "{\"i\":42,\"r\":0.3333333333333333,\"b\":null}\n",
		  "42,0.3333333333333333,\r\n" },
		{ { { 1, NULL, 0, 0 }, { 0, NULL, 0, 2.0 }, { 0, NULL, 7, 0 } },
		  "{\"i\":null,\"r\":2,\"b\":true}\n",
		  ",2,true\r\n" },
		{ { { 0, NULL, 1, 0 }, { 0, NULL, 0, NAN }, { 0, NULL, 0, 0 } },
		  "{\"i\":1,\"r\":null,\"b\":false}\n",
		  "1,nan,false\r\n" },
		{ { { 0, NULL, 1, 0 }, { 0, NULL, 0, -INFINITY }, { 0, NULL, 0, 0 } },
		  "{\"i\":1,\"r\":null,\"b\":false}\n",
		  "1,-inf,false\r\n" },
		{ { { 0, NULL, 1, 0 }, { 0, NULL, 0, 1e300 }, { 0, NULL, 0, 0 } },
		  "{\"i\":1,\"r\":1e+300,\"b\":false}\n",
		  "1,1e+300,false\r\n" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (int f = 0; f < 2; f++) {
			memsink m = { 0 };
			dt_writer *w;
			const char *want = f ? cases[i].csv : cases[i].json;

			assert_int_equal(dt_writer_new(&w, f ? DT_FORMAT_CSV : DT_FORMAT_JSONL, 0,
						       mem_sink, &m), DT_OK);
			assert_int_equal(dt_writer_begin(w, cols, 3), DT_OK);
			assert_int_equal(dt_writer_row(w, cases[i].v), DT_OK);
			assert_int_equal(dt_writer_end(w), DT_OK);
			dt_writer_free(w);
			if (f) {
				assert_true(strncmp(m.buf, "i,r,b\r\n", 7) == 0);
				assert_string_equal(m.buf + 7, want);
			} else {
				assert_string_equal(m.buf, want);
				assert_true(json_valid(m.buf));
			}
			mem_free(&m);
		}
	}
}

/* Phone and name masking per format, and when revealed() reports. */
static void test_masking(void **state)
{
	static const dt_column cols[] = {
		{ "phone", DT_COL_TEXT, DT_COL_PHONE },
		{ "name", DT_COL_TEXT, DT_COL_PERSONAL },
	};
	static const dt_value row[] = { { 0, "+8613712340743", 0, 0 }, { 0, "Li Lei", 0, 0 } };
	static const dt_value blank[] = { { 0, "", 0, 0 }, { 1, NULL, 0, 0 } };
	memsink m = { 0 };
	dt_writer *w;

	(void)state;
	/* Masked: the phone's leading '+' is still neutralised in CSV. */
	assert_int_equal(dt_writer_new(&w, DT_FORMAT_CSV, 0, mem_sink, &m), DT_OK);
	assert_int_equal(dt_writer_begin(w, cols, 2), DT_OK);
	assert_int_equal(dt_writer_row(w, row), DT_OK);
	assert_int_equal(dt_writer_end(w), DT_OK);
	assert_int_equal(dt_writer_revealed(w), 0);
	dt_writer_free(w);
	assert_string_equal(m.buf, "phone,name\r\n'+86****0743,L*****\r\n");
	mem_free(&m);

	/* In clear: the caller must audit it. */
	assert_int_equal(dt_writer_new(&w, DT_FORMAT_JSONL, DT_WRITE_UNMASK, mem_sink, &m), DT_OK);
	assert_int_equal(dt_writer_begin(w, cols, 2), DT_OK);
	assert_int_equal(dt_writer_row(w, row), DT_OK);
	assert_int_equal(dt_writer_revealed(w), 1);
	assert_int_equal(dt_writer_end(w), DT_OK);
	dt_writer_free(w);
	assert_string_equal(m.buf, "{\"phone\":\"+8613712340743\",\"name\":\"Li Lei\"}\n");
	mem_free(&m);

	/* Unmasked but nothing personal was shown: nothing revealed (the row
	 * of empty cells is still a line). */
	assert_int_equal(dt_writer_new(&w, DT_FORMAT_TABLE, DT_WRITE_UNMASK, mem_sink, &m), DT_OK);
	assert_int_equal(dt_writer_begin(w, cols, 2), DT_OK);
	assert_int_equal(dt_writer_row(w, blank), DT_OK);
	assert_int_equal(dt_writer_end(w), DT_OK);
	assert_int_equal(dt_writer_revealed(w), 0);
	dt_writer_free(w);
	assert_string_equal(m.buf, "phone  name\n-----  ----\n\n");
	mem_free(&m);

	/* Masked table: short phone, single-character name. */
	{
		static const dt_value r2[] = { { 0, "8781234", 0, 0 }, { 0, "张", 0, 0 } };

		assert_int_equal(dt_writer_new(&w, DT_FORMAT_TABLE, 0, mem_sink, &m), DT_OK);
		assert_int_equal(dt_writer_begin(w, cols, 2), DT_OK);
		assert_int_equal(dt_writer_row(w, row), DT_OK);
		assert_int_equal(dt_writer_row(w, r2), DT_OK);
		assert_int_equal(dt_writer_end(w), DT_OK);
		assert_int_equal(dt_writer_revealed(w), 0);
		dt_writer_free(w);
		assert_string_equal(m.buf,
				    "phone        name\n"
				    "-----------  ------\n"
				    "+86****0743  L*****\n"
				    "*****34      张\n");
		mem_free(&m);
	}
}

/* A failing sink gives DT_EIO, and keeps giving it. */
static void test_sink_failure(void **state)
{
	static const dt_column col = { "t", DT_COL_TEXT, 0 };
	static const char big[] = "0123456789012345678901234567890123456789";
	dt_value v = { 0, big, 0, 0 };
	memsink m = { 0 };
	dt_writer *w;
	int rc = DT_OK, n;

	(void)state;
	/* A streaming format finds out when its buffer fills. */
	m.fail_at = 1;
	assert_int_equal(dt_writer_new(&w, DT_FORMAT_CSV, 0, mem_sink, &m), DT_OK);
	assert_int_equal(dt_writer_begin(w, &col, 1), DT_OK);
	for (n = 0; n < 100000 && rc == DT_OK; n++)
		rc = dt_writer_row(w, &v);
	assert_int_equal(rc, DT_EIO);
	assert_true(n > 1000); /* buffered, not one call per row */
	assert_int_equal(dt_writer_row(w, &v), DT_EIO); /* sticks */
	assert_int_equal(dt_writer_end(w), DT_EIO);
	assert_int_equal(m.calls, 1);
	dt_writer_free(w);
	mem_free(&m);

	/* A failure at the final flush. */
	m.fail_at = 1;
	assert_int_equal(dt_writer_new(&w, DT_FORMAT_JSON, 0, mem_sink, &m), DT_OK);
	assert_int_equal(dt_writer_begin(w, &col, 1), DT_OK);
	assert_int_equal(dt_writer_row(w, &v), DT_OK);
	assert_int_equal(dt_writer_end(w), DT_EIO);
	dt_writer_free(w);
	mem_free(&m);

	/* A table fails at its end, where it prints. */
	m.fail_at = 1;
	assert_int_equal(dt_writer_new(&w, DT_FORMAT_TABLE, 0, mem_sink, &m), DT_OK);
	assert_int_equal(dt_writer_begin(w, &col, 1), DT_OK);
	assert_int_equal(dt_writer_row(w, &v), DT_OK);
	assert_int_equal(dt_writer_end(w), DT_EIO);
	dt_writer_free(w);
	mem_free(&m);
}

/* Many rows reach the sink before the end, in calls no bigger than the
 * buffer, and a field larger than the buffer passes through whole. */
static void test_streaming(void **state)
{
	static const dt_column cols[] = { { "n", DT_COL_INT, 0 }, { "t", DT_COL_TEXT, 0 } };
	memsink m = { 0 };
	dt_writer *w;
	char *huge = malloc(200001);
	dt_value v[2] = { { 0, NULL, 0, 0 }, { 0, "abc", 0, 0 } };
	size_t want;
	int calls;

	(void)state;
	assert_non_null(huge);
	memset(huge, 'x', 200000);
	huge[200000] = '\0';
	assert_int_equal(dt_writer_new(&w, DT_FORMAT_CSV, 0, mem_sink, &m), DT_OK);
	assert_int_equal(dt_writer_begin(w, cols, 2), DT_OK);
	for (int i = 0; i < 50000; i++) {
		v[0].i = i % 10; /* 1 digit, ",abc\r\n": 7 bytes a row */
		assert_int_equal(dt_writer_row(w, v), DT_OK);
	}
	assert_true(m.calls >= 5);
	assert_true(m.max_call <= 65536);
	calls = m.calls;
	v[1].text = huge;
	assert_int_equal(dt_writer_row(w, v), DT_OK);
	assert_true(m.calls > calls);
	assert_int_equal(dt_writer_end(w), DT_OK);
	assert_int_equal(dt_writer_rows(w), 50001);
	dt_writer_free(w);
	want = strlen("n,t\r\n") + 50000 * 7 + 2 + 200000 + 2;
	assert_int_equal(m.len, want);
	assert_memory_equal(m.buf + m.len - 6, "xxxx\r\n", 6);
	assert_int_equal(m.buf[m.len - 200000 - 3], ',');
	free(huge);
	mem_free(&m);
}

/* Calls out of order or with bad arguments are DT_EUSAGE. */
static void test_usage(void **state)
{
	static const dt_column col = { "t", DT_COL_TEXT, 0 };
	static const dt_column bad = { NULL, DT_COL_TEXT, 0 };
	dt_value v = { 0, "x", 0, 0 };
	memsink m = { 0 };
	dt_writer *w = (dt_writer *)&m;

	(void)state;
	assert_int_equal(dt_writer_new(&w, DT_FORMAT_CSV, 0, NULL, NULL), DT_EUSAGE);
	assert_null(w);
	assert_int_equal(dt_writer_new(NULL, DT_FORMAT_CSV, 0, mem_sink, &m), DT_EUSAGE);
	assert_int_equal(dt_writer_new(&w, (dt_format)9, 0, mem_sink, &m), DT_EUSAGE);
	assert_int_equal(dt_writer_new(&w, DT_FORMAT_CSV, 0x100, mem_sink, &m), DT_EUSAGE);

	assert_int_equal(dt_writer_new(&w, DT_FORMAT_JSON, 0, mem_sink, &m), DT_OK);
	assert_int_equal(dt_writer_row(w, &v), DT_EUSAGE);   /* before begin */
	assert_int_equal(dt_writer_end(w), DT_EUSAGE);       /* before begin */
	assert_int_equal(dt_writer_begin(w, &col, 0), DT_EUSAGE);
	assert_int_equal(dt_writer_begin(w, &bad, 1), DT_EUSAGE);
	assert_int_equal(dt_writer_begin(w, &col, 1), DT_OK);
	assert_int_equal(dt_writer_begin(w, &col, 1), DT_EUSAGE); /* twice */
	assert_int_equal(dt_writer_row(w, NULL), DT_EUSAGE);
	assert_int_equal(dt_writer_row(w, &v), DT_OK);
	assert_int_equal(dt_writer_end(w), DT_OK);
	assert_int_equal(dt_writer_row(w, &v), DT_EUSAGE);   /* after end */
	assert_int_equal(dt_writer_end(w), DT_EUSAGE);       /* twice */
	assert_int_equal(dt_writer_rows(w), 1);
	dt_writer_free(w);
	assert_string_equal(m.buf, "[\n{\"t\":\"x\"}\n]\n");
	mem_free(&m);

	/* A record needs its one row. */
	assert_int_equal(dt_writer_new(&w, DT_FORMAT_JSON, DT_WRITE_RECORD, mem_sink, &m), DT_OK);
	assert_int_equal(dt_writer_begin(w, &col, 1), DT_OK);
	assert_int_equal(dt_writer_end(w), DT_EUSAGE);
	dt_writer_free(w);
	mem_free(&m);

	dt_writer_free(NULL);
	assert_int_equal(dt_writer_rows(NULL), 0);
	assert_int_equal(dt_writer_revealed(NULL), 0);
}

/* The stdio sink writes the bytes unchanged. */
static void test_sink_file(void **state)
{
	static const dt_column col = { "t", DT_COL_TEXT, 0 };
	dt_value v = { 0, "héllo", 0, 0 };
	char got[64] = "";
	FILE *fp = tmpfile();
	dt_writer *w;
	size_t n;

	(void)state;
	assert_non_null(fp);
	assert_int_equal(dt_writer_sink_file(NULL, "x", 1), -1);
	assert_int_equal(dt_writer_new(&w, DT_FORMAT_CSV, 0, dt_writer_sink_file, fp), DT_OK);
	assert_int_equal(dt_writer_begin(w, &col, 1), DT_OK);
	assert_int_equal(dt_writer_row(w, &v), DT_OK);
	assert_int_equal(dt_writer_end(w), DT_OK);
	dt_writer_free(w);
	rewind(fp);
	n = fread(got, 1, sizeof(got) - 1, fp);
	got[n] = '\0';
	assert_string_equal(got, "t\r\nhéllo\r\n");
	fclose(fp);
}

/* Flat columns show in table and CSV, nested ones (raw JSON) in JSON only. */
static void test_flat_and_nested_columns(void **state)
{
	static const dt_column cols[] = {
		{ "item", DT_COL_INT, 0 },
		{ "yes", DT_COL_INT, DT_COL_FLAT },
		{ "no", DT_COL_INT, DT_COL_FLAT },
		{ "counts", DT_COL_TEXT, DT_COL_NESTED },
		{ "valid", DT_COL_INT, 0 },
	};
	dt_value v[5] = { { 0 } };
	dt_format fmts[] = { DT_FORMAT_CSV, DT_FORMAT_JSONL, DT_FORMAT_TABLE };
	const char *want[] = { "item,yes,no,valid\r\n1,2,3,5\r\n",
		               "{\"item\":1,\"counts\":{\"yes\":2,\"no\":3},\"valid\":5}\n",
		               "item  yes  no  valid\n----  ---  --  -----\n   1    2   3      5\n" };

	(void)state;
	v[0].i = 1;
	v[1].i = 2;
	v[2].i = 3;
	v[3].text = "{\"yes\":2,\"no\":3}";
	v[4].i = 5;
	for (size_t i = 0; i < 3; i++) {
		memsink m = { 0 };
		dt_writer *w;

		assert_int_equal(dt_writer_new(&w, fmts[i], 0, mem_sink, &m), DT_OK);
		assert_int_equal(dt_writer_begin(w, cols, 5), DT_OK);
		assert_int_equal(dt_writer_row(w, v), DT_OK);
		assert_int_equal(dt_writer_end(w), DT_OK);
		dt_writer_free(w);
		assert_string_equal(m.buf, want[i]);
		mem_free(&m);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_validator_rejects),
		cmocka_unit_test(test_format_parse),
		cmocka_unit_test(test_display_width),
		cmocka_unit_test(test_mask_phone),
		cmocka_unit_test(test_table_fixture),
		cmocka_unit_test(test_table_empty),
		cmocka_unit_test(test_table_cjk_alignment),
		cmocka_unit_test(test_table_control_chars),
		cmocka_unit_test(test_table_record),
		cmocka_unit_test(test_csv_fixture),
		cmocka_unit_test(test_csv_quoting),
		cmocka_unit_test(test_csv_formula),
		cmocka_unit_test(test_json_fixture),
		cmocka_unit_test(test_jsonl_fixture),
		cmocka_unit_test(test_json_escaping),
		cmocka_unit_test(test_value_types),
		cmocka_unit_test(test_masking),
		cmocka_unit_test(test_sink_failure),
		cmocka_unit_test(test_streaming),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_sink_file),
		cmocka_unit_test(test_flat_and_nested_columns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
