/*
 * Unit tests of the writer's Excel format (lib/writer_xlsx.c): the workbook
 * is captured by a memory sink and opened here with a small reader of the
 * zip container (central directory, then zlib's raw inflate), so the tests
 * look at the sheet's XML the way a spreadsheet would: Chinese headers,
 * typed cells, dates, masking, the frozen header, widths and the cleaning
 * of text. They also check that every column name the sources declare has
 * a Chinese header, and that the temporary file never outlives the writer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "dutytrack/dutytrack.h"
#include "writer_xlsx.h"

/* A sink that collects bytes in memory, and can be told to fail. */
typedef struct {
	unsigned char *buf;
	size_t len;
	int fail;
} memsink;

static int mem_sink(void *userdata, const char *buf, size_t len)
{
	memsink *m = userdata;
	unsigned char *p;

	if (m->fail)
		return -1;
	p = realloc(m->buf, m->len + len + 1);
	if (!p)
		return -1;
	memcpy(p + m->len, buf, len);
	m->buf = p;
	m->len += len;
	return 0;
}

static unsigned rd16(const unsigned char *p)
{
	return p[0] | (unsigned)p[1] << 8;
}

static unsigned long rd32(const unsigned char *p)
{
	return rd16(p) | (unsigned long)rd16(p + 2) << 16;
}

/* Member name of the zip archive z (n bytes), inflated and NUL-terminated;
 * NULL when the archive has no such member. The caller frees it. */
static char *zip_member(const unsigned char *z, size_t n, const char *name)
{
	size_t e = n - 22, p, count;

	assert_true(n > 22);
	while (e > 0 && memcmp(z + e, "PK\5\6", 4) != 0)
		e--;
	assert_memory_equal(z + e, "PK\5\6", 4);
	count = rd16(z + e + 10);
	p = rd32(z + e + 16);
	for (size_t i = 0; i < count; i++) {
		size_t nlen = rd16(z + p + 28), method = rd16(z + p + 10);
		size_t csize = rd32(z + p + 20), usize = rd32(z + p + 24), off = rd32(z + p + 42);

		assert_memory_equal(z + p, "PK\1\2", 4);
		if (nlen == strlen(name) && memcmp(z + p + 46, name, nlen) == 0) {
			const unsigned char *data = z + off + 30 + rd16(z + off + 26) + rd16(z + off + 28);
			char *out = malloc(usize + 1);
			z_stream zs = { 0 };

			assert_non_null(out);
			if (method == 0) {
				memcpy(out, data, usize);
			} else {
				assert_int_equal(method, 8);
				assert_int_equal(inflateInit2(&zs, -MAX_WBITS), Z_OK);
				zs.next_in = (unsigned char *)data;
				zs.avail_in = (uInt)csize;
				zs.next_out = (unsigned char *)out;
				zs.avail_out = (uInt)usize;
				assert_int_equal(inflate(&zs, Z_FINISH), Z_STREAM_END);
				assert_int_equal(zs.total_out, usize);
				inflateEnd(&zs);
			}
			out[usize] = '\0';
			return out;
		}
		p += 46 + nlen + rd16(z + p + 30) + rd16(z + p + 32);
	}
	return NULL;
}

/* The XML of cell ref ("C2") in sheet, owned by the caller; NULL when the
 * sheet has no such cell (an empty one). */
static char *cell_xml(const char *sheet, const char *ref)
{
	char key[32];
	const char *s, *end;
	char *out;

	snprintf(key, sizeof(key), "<c r=\"%s\"", ref);
	s = strstr(sheet, key);
	if (!s)
		return NULL;
	end = strstr(s, "</c>");
	assert_non_null(end);
	out = strndup(s, (size_t)(end - s) + 4);
	assert_non_null(out);
	return out;
}

/* Assert that cell ref of sheet holds needle. */
static void assert_cell(const char *sheet, const char *ref, const char *needle)
{
	char *c = cell_xml(sheet, ref);

	if (!c || !strstr(c, needle))
		fail_msg("cell %s: expected %s in %s", ref, needle, c ? c : "(no cell)");
	free(c);
}

/* The value of attribute attr in the XML of cell ref ("" when absent). */
static void cell_attr(const char *sheet, const char *ref, const char *attr, char *out, size_t size)
{
	char *c = cell_xml(sheet, ref), key[16];
	const char *a;

	assert_non_null(c);
	snprintf(key, sizeof(key), " %s=\"", attr);
	a = strstr(c, key);
	out[0] = '\0';
	if (a)
		snprintf(out, size, "%.*s", (int)strcspn(a + strlen(key), "\""), a + strlen(key));
	free(c);
}

/* A scratch TMPDIR, so a test can see the writer's temporary files. */
static void scratch_tmpdir(char *dir)
{
	strcpy(dir, "/tmp/dt-xlsx-XXXXXX");
	assert_non_null(mkdtemp(dir));
	setenv("TMPDIR", dir, 1);
}

/* Files left in dir. */
static int files_in(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

static const dt_column cols[] = {
	{ "code", DT_COL_TEXT, 0 },
	{ "name", DT_COL_TEXT, 0 },
	{ "minutes", DT_COL_INT, 0 },
	{ "satisfaction_rate", DT_COL_REAL, 0 },
	{ "overdue", DT_COL_BOOL, 0 },
	{ "due_at", DT_COL_TEXT, 0 },
	{ "created_at", DT_COL_TEXT, 0 },
	{ "at", DT_COL_TEXT, 0 },
	{ "phone", DT_COL_TEXT, DT_COL_PHONE },
	{ "citizen", DT_COL_TEXT, DT_COL_PERSONAL },
	{ "note", DT_COL_TEXT, 0 },
	{ "counts", DT_COL_TEXT, DT_COL_NESTED },
	{ "no_such_column", DT_COL_TEXT, DT_COL_FLAT },
};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

static const dt_value rows[][NCOLS] = {
	{ { 0, "RZ0001", 0, 0 }, { 0, "张三丰", 0, 0 }, { 0, NULL, 12, 0 }, { 0, NULL, 0, 0.75 },
	  { 0, NULL, 1, 0 }, { 0, "2026-11-28", 0, 0 }, { 0, "2026-11-28T09:30:00+08:00", 0, 0 },
	  { 0, "2026-11-28 09:30", 0, 0 }, { 0, "13712340743", 0, 0 }, { 0, "王小明", 0, 0 },
	  { 1, NULL, 0, 0 }, { 0, "{\"满意\":1}", 0, 0 }, { 0, "x", 0, 0 } },
	/* not dates: a day that does not exist, an ISO time without seconds,
	 * a date with a suffix; a local time with seconds is one */
	{ { 0, "=1+2", 0, 0 }, { 0, "李四", 0, 0 }, { 0, NULL, -3, 0 }, { 0, NULL, 0, 1e300 },
	  { 0, NULL, 0, 0 }, { 0, "2026-02-30", 0, 0 }, { 0, "2026-11-28T09:30", 0, 0 },
	  { 0, "2026-11-28 09:30:15", 0, 0 }, { 0, NULL, 0, 0 }, { 1, NULL, 0, 0 },
	  { 0, "2026-11-28x", 0, 0 }, { 1, NULL, 0, 0 }, { 0, "y", 0, 0 } },
};

/* Write the rows above as a workbook; returns sheet1.xml, and the styles
 * into *styles when given (both freed by the caller). */
static char *write_sheet(unsigned int flags, int *revealed, char **styles)
{
	memsink m = { 0 };
	dt_writer *w;
	char *sheet;

	assert_int_equal(dt_writer_new(&w, DT_FORMAT_XLSX, flags, mem_sink, &m), DT_OK);
	assert_int_equal(dt_writer_begin(w, cols, NCOLS), DT_OK);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		assert_int_equal(dt_writer_row(w, rows[i]), DT_OK);
	assert_int_equal(dt_writer_end(w), DT_OK);
	assert_string_equal(dt_writer_errmsg(w), "");
	if (revealed)
		*revealed = dt_writer_revealed(w);
	dt_writer_free(w);
	assert_memory_equal(m.buf, "PK\3\4", 4);
	sheet = zip_member(m.buf, m.len, "xl/worksheets/sheet1.xml");
	assert_non_null(sheet);
	if (styles) {
		*styles = zip_member(m.buf, m.len, "xl/styles.xml");
		assert_non_null(*styles);
	}
	free(m.buf);
	return sheet;
}

static void test_format_name(void **state)
{
	dt_format f;

	(void)state;
	assert_int_equal(dt_format_parse("xlsx", &f), DT_OK);
	assert_int_equal(f, DT_FORMAT_XLSX);
	assert_string_equal(dt_format_name(DT_FORMAT_XLSX), "xlsx");
	assert_int_equal(dt_format_parse("XLSX", &f), DT_EUSAGE);
}

/* Chinese headers, CSV's columns (the nested one left out, the flat one
 * kept under its own name), typed cells, empty cells for NULL. */
static void test_cells(void **state)
{
	char *styles, *sheet = write_sheet(0, NULL, &styles);
	char day[8], minute[8], second[8];

	(void)state;
	assert_cell(sheet, "A1", "<t>编号</t>");
	assert_cell(sheet, "B1", "<t>姓名</t>");
	assert_cell(sheet, "C1", "<t>分钟数</t>");
	assert_cell(sheet, "D1", "<t>满意率</t>");
	assert_cell(sheet, "I1", "<t>联系电话</t>");
	assert_cell(sheet, "L1", "<t>no_such_column</t>");
	assert_null(strstr(sheet, "各选项票数"));
	assert_null(cell_xml(sheet, "M1"));
	assert_cell(sheet, "A2", "<t>RZ0001</t>");
	assert_cell(sheet, "B2", "<t>张三丰</t>");
	assert_cell(sheet, "C2", "<c r=\"C2\"><v>12</v></c>");
	assert_cell(sheet, "D2", "<c r=\"D2\"><v>0.75</v></c>");
	assert_cell(sheet, "E2", "t=\"b\"><v>1</v>");
	assert_cell(sheet, "E3", "t=\"b\"><v>0</v>");
	assert_cell(sheet, "C3", "<v>-3</v>");
	assert_cell(sheet, "D3", "<v>1E+300</v>");
	/* a formula-like text is text: a sheet's cell of text is never run */
	assert_cell(sheet, "A3", "<t>=1+2</t>");
	assert_null(strstr(sheet, "<f>"));
	/* NULL is an empty cell */
	assert_null(cell_xml(sheet, "K2"));
	assert_null(cell_xml(sheet, "I3"));
	assert_cell(sheet, "K3", "<t>2026-11-28x</t>");
	assert_cell(sheet, "L2", "<t>x</t>");

	/* dates: numbers (days since 1899-12-30) with a date format, the
	 * wall-clock time as written whatever the offset */
	assert_cell(sheet, "F2", "<v>46354</v>");
	assert_cell(sheet, "G2", "<v>46354.3958333333");
	assert_cell(sheet, "H2", "<v>46354.3958333333");
	assert_cell(sheet, "H3", "<v>46354.39600694");
	cell_attr(sheet, "F2", "s", day, sizeof(day));
	cell_attr(sheet, "H2", "s", minute, sizeof(minute));
	cell_attr(sheet, "G2", "s", second, sizeof(second));
	assert_true(*day && *minute && *second);
	assert_string_not_equal(day, minute);
	assert_string_not_equal(minute, second);
	cell_attr(sheet, "H3", "s", minute, sizeof(minute));
	assert_string_equal(minute, second);
	cell_attr(sheet, "F2", "t", day, sizeof(day));
	assert_string_equal(day, "");
	assert_non_null(strstr(styles, "formatCode=\"yyyy-mm-dd\""));
	assert_non_null(strstr(styles, "formatCode=\"yyyy-mm-dd hh:mm\""));
	assert_non_null(strstr(styles, "formatCode=\"yyyy-mm-dd hh:mm:ss\""));
	/* the ones that are not dates stay text */
	assert_cell(sheet, "F3", "<t>2026-02-30</t>");
	assert_cell(sheet, "G3", "<t>2026-11-28T09:30</t>");

	/* the header: bold, frozen, filtered */
	cell_attr(sheet, "A1", "s", day, sizeof(day));
	assert_true(*day);
	assert_non_null(strstr(styles, "<b/>"));
	assert_non_null(strstr(sheet, "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"));
	assert_non_null(strstr(sheet, "<autoFilter ref=\"A1:L3\"/>"));
	free(sheet);
	free(styles);
}

/* Only the three shapes listings write, of days that exist, are dates. */
static void test_dates(void **state)
{
	static const dt_column c = { "at", DT_COL_TEXT, 0 };
	static const struct {
		const char *text;
		const char *value; /* the start of the cell's number; NULL: text */
	} cases[] = {
		{ "2026-11-28T09:30:00Z", "46354.3958333" },
		{ "2026-11-28T23:59:59-05:00", "46354.99998842" },
		{ "2024-02-29", "45351" },
		{ "1900-03-01", "61" },
		{ "2023-02-29", NULL },
		{ "1899-12-31", NULL },
		{ "2026-11-28 09:30Z", NULL },
		{ "2026-11-28T09:30:00+0800", NULL },
		{ "2026-11-28T09:30:00+08:00 ", NULL },
		{ "2026-11-28T24:00:00+08:00", NULL },
		{ "2026-11-28 9:30", NULL },
		{ "2026/11/28", NULL },
		{ " 2026-11-28", NULL },
	};
	size_t n = sizeof(cases) / sizeof(cases[0]);
	memsink m = { 0 };
	dt_writer *w;
	char *sheet, ref[16];

	(void)state;
	assert_int_equal(dt_writer_new(&w, DT_FORMAT_XLSX, 0, mem_sink, &m), DT_OK);
	assert_int_equal(dt_writer_begin(w, &c, 1), DT_OK);
	for (size_t i = 0; i < n; i++) {
		dt_value v = { 0, cases[i].text, 0, 0 };

		assert_int_equal(dt_writer_row(w, &v), DT_OK);
	}
	assert_int_equal(dt_writer_end(w), DT_OK);
	dt_writer_free(w);
	sheet = zip_member(m.buf, m.len, "xl/worksheets/sheet1.xml");
	assert_non_null(sheet);
	for (size_t i = 0; i < n; i++) {
		char want[64];

		snprintf(ref, sizeof(ref), "A%zu", i + 2);
		if (cases[i].value) {
			snprintf(want, sizeof(want), "<v>%s", cases[i].value);
		} else {
			char *t = cell_xml(sheet, ref);

			assert_non_null(t);
			assert_null(strstr(t, "<v>")); /* not a number */
			free(t);
			snprintf(want, sizeof(want), "%s</t>", cases[i].text);
		}
		assert_cell(sheet, ref, want);
	}
	free(sheet);
	free(m.buf);
}

/* Personal columns are masked unless DT_WRITE_UNMASK, as in CSV. */
static void test_masking(void **state)
{
	int revealed = -1;
	char *sheet = write_sheet(0, &revealed, NULL);

	(void)state;
	assert_cell(sheet, "I2", "<t>137****0743</t>");
	assert_cell(sheet, "J2", "<t>王**</t>");
	assert_null(strstr(sheet, "13712340743"));
	assert_null(strstr(sheet, "王小明"));
	assert_int_equal(revealed, 0);
	free(sheet);

	sheet = write_sheet(DT_WRITE_UNMASK, &revealed, NULL);
	assert_cell(sheet, "I2", "<t>13712340743</t>");
	assert_cell(sheet, "J2", "<t>王小明</t>");
	assert_int_equal(revealed, 1);
	free(sheet);
}

/* Widths follow the widest cell, a Chinese character counting two, a
 * header with room for the filter's arrow, and stop at 60. */
static void test_widths(void **state)
{
	static const dt_column c[] = {
		{ "code", DT_COL_TEXT, 0 }, { "text", DT_COL_TEXT, 0 }, { "minutes", DT_COL_INT, 0 },
	};
	dt_value v[3] = { { 0, "RZ0001", 0, 0 }, { 0, NULL, 0, 0 }, { 0, NULL, 5, 0 } };
	char *long_text = malloc(301), *sheet;
	memsink m = { 0 };
	dt_writer *w;

	(void)state;
	assert_non_null(long_text);
	memset(long_text, 'a', 300);
	long_text[300] = '\0';
	assert_int_equal(dt_writer_new(&w, DT_FORMAT_XLSX, 0, mem_sink, &m), DT_OK);
	assert_int_equal(dt_writer_begin(w, c, 3), DT_OK);
	v[1].text = "人大代表联络站的留言"; /* 10 characters, 20 columns */
	assert_int_equal(dt_writer_row(w, v), DT_OK);
	v[1].text = long_text;
	v[0].text = "RZ1";
	assert_int_equal(dt_writer_row(w, v), DT_OK);
	assert_int_equal(dt_writer_end(w), DT_OK);
	dt_writer_free(w);
	sheet = zip_member(m.buf, m.len, "xl/worksheets/sheet1.xml");
	assert_non_null(sheet);
	/* code: "RZ0001" and the header 编号 (4) + 2 both 6, plus one */
	assert_non_null(strstr(sheet, "<col min=\"1\" max=\"1\" width=\"7."));
	assert_non_null(strstr(sheet, "<col min=\"2\" max=\"2\" width=\"60."));
	/* minutes: the header 分钟数 (6) + 2, plus one */
	assert_non_null(strstr(sheet, "<col min=\"3\" max=\"3\" width=\"9."));
	free(sheet);
	free(m.buf);

	/* without the long text the column fits the Chinese one */
	memset(&m, 0, sizeof(m));
	assert_int_equal(dt_writer_new(&w, DT_FORMAT_XLSX, 0, mem_sink, &m), DT_OK);
	assert_int_equal(dt_writer_begin(w, c, 3), DT_OK);
	v[1].text = "人大代表联络站的留言";
	assert_int_equal(dt_writer_row(w, v), DT_OK);
	assert_int_equal(dt_writer_end(w), DT_OK);
	dt_writer_free(w);
	sheet = zip_member(m.buf, m.len, "xl/worksheets/sheet1.xml");
	assert_non_null(sheet);
	assert_non_null(strstr(sheet, "<col min=\"2\" max=\"2\" width=\"21."));
	free(sheet);
	free(m.buf);
	free(long_text);
}

/* Text XML cannot carry is cleaned, and text over a cell's 32767
 * characters is cut; the workbook stays one a reader opens. */
static void test_text_cleaning(void **state)
{
	static const dt_column c = { "text", DT_COL_TEXT, 0 };
	size_t n = 40000;
	char *big = malloc(n + 1), *sheet, *t;
	dt_value v = { 0, "a\001b\377c\td", 0, 0 };
	memsink m = { 0 };
	dt_writer *w;

	(void)state;
	assert_non_null(big);
	assert_int_equal(dt_writer_new(&w, DT_FORMAT_XLSX, 0, mem_sink, &m), DT_OK);
	assert_int_equal(dt_writer_begin(w, &c, 1), DT_OK);
	assert_int_equal(dt_writer_row(w, &v), DT_OK);
	memset(big, 'z', n);
	big[n] = '\0';
	v.text = big;
	assert_int_equal(dt_writer_row(w, &v), DT_OK);
	assert_int_equal(dt_writer_end(w), DT_OK);
	dt_writer_free(w);
	sheet = zip_member(m.buf, m.len, "xl/worksheets/sheet1.xml");
	assert_non_null(sheet);
	assert_cell(sheet, "A2", "<t>a b\xEF\xBF\xBD" "c\td</t>");
	t = cell_xml(sheet, "A3");
	assert_non_null(t);
	assert_non_null(strstr(t, "z\xE2\x80\xA6</t>"));
	assert_int_equal(strspn(strstr(t, "<t>") + 3, "z"), 32766);
	free(t);
	free(sheet);
	free(m.buf);
	free(big);
}

/* The temporary file is private while the workbook is built and gone when
 * the writer is, whether the listing ended or not. */
static void test_temporary_file(void **state)
{
	static const dt_column c = { "code", DT_COL_TEXT, 0 };
	dt_value v = { 0, "RZ0001", 0, 0 };
	char dir[32], path[300];
	memsink m = { 0 };
	struct dirent *e;
	struct stat st;
	dt_writer *w;
	DIR *d;

	(void)state;
	scratch_tmpdir(dir);
	assert_int_equal(dt_writer_new(&w, DT_FORMAT_XLSX, 0, mem_sink, &m), DT_OK);
	assert_int_equal(dt_writer_begin(w, &c, 1), DT_OK);
	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d)))
		if (strncmp(e->d_name, "rdlz-xlsx-", 10) == 0)
			break;
	assert_non_null(e);
	snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
	closedir(d);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(dt_writer_row(w, &v), DT_OK);
	assert_int_equal(dt_writer_end(w), DT_OK);
	assert_int_equal(files_in(dir), 0);
	dt_writer_free(w);
	free(m.buf);

	/* dropped half-way */
	assert_int_equal(dt_writer_new(&w, DT_FORMAT_XLSX, 0, mem_sink, &m), DT_OK);
	assert_int_equal(dt_writer_begin(w, &c, 1), DT_OK);
	assert_int_equal(dt_writer_row(w, &v), DT_OK);
	assert_true(files_in(dir) > 0);
	dt_writer_free(w);
	assert_int_equal(files_in(dir), 0);
	assert_int_equal(rmdir(dir), 0);
	unsetenv("TMPDIR");
}

/* Failures: no place for the temporary file, a sink that fails. */
static void test_failures(void **state)
{
	static const dt_column c = { "code", DT_COL_TEXT, 0 };
	dt_value v = { 0, "RZ0001", 0, 0 };
	memsink m = { 0 };
	char dir[32];
	dt_writer *w;

	(void)state;
	setenv("TMPDIR", "/nonexistent/rdlz-test", 1);
	assert_int_equal(dt_writer_new(&w, DT_FORMAT_XLSX, 0, mem_sink, &m), DT_OK);
	assert_int_equal(dt_writer_begin(w, &c, 1), DT_EIO);
	assert_non_null(strstr(dt_writer_errmsg(w), "cannot make a temporary file in '/nonexistent/rdlz-test'"));
	assert_int_equal(dt_writer_row(w, &v), DT_EIO); /* sticky */
	assert_int_equal(dt_writer_end(w), DT_EIO);
	dt_writer_free(w);
	assert_null(m.buf);

	scratch_tmpdir(dir);
	m.fail = 1;
	assert_int_equal(dt_writer_new(&w, DT_FORMAT_XLSX, 0, mem_sink, &m), DT_OK);
	assert_int_equal(dt_writer_begin(w, &c, 1), DT_OK);
	assert_int_equal(dt_writer_row(w, &v), DT_OK);
	assert_int_equal(dt_writer_end(w), DT_EIO);
	assert_string_equal(dt_writer_errmsg(w), ""); /* the sink's own failure */
	dt_writer_free(w);
	assert_int_equal(files_in(dir), 0);
	assert_int_equal(rmdir(dir), 0);
	unsetenv("TMPDIR");
	assert_string_equal(dt_writer_errmsg(NULL), "");
}

/* A record is a sheet of one row. */
static void test_record(void **state)
{
	static const dt_column c[] = { { "id", DT_COL_INT, 0 }, { "tracking", DT_COL_TEXT, 0 } };
	dt_value v[2] = { { 0, NULL, 7, 0 }, { 0, "abc", 0, 0 } };
	memsink m = { 0 };
	dt_writer *w;
	char *sheet;

	(void)state;
	assert_int_equal(dt_writer_new(&w, DT_FORMAT_XLSX, DT_WRITE_RECORD, mem_sink, &m), DT_OK);
	assert_int_equal(dt_writer_begin(w, c, 2), DT_OK);
	assert_int_equal(dt_writer_row(w, v), DT_OK);
	assert_int_equal(dt_writer_row(w, v), DT_EUSAGE);
	assert_int_equal(dt_writer_end(w), DT_OK);
	dt_writer_free(w);
	sheet = zip_member(m.buf, m.len, "xl/worksheets/sheet1.xml");
	assert_non_null(sheet);
	assert_cell(sheet, "A1", "<t>ID</t>");
	assert_cell(sheet, "B1", "<t>查询码</t>");
	assert_cell(sheet, "A2", "<v>7</v>");
	assert_null(cell_xml(sheet, "A3"));
	free(sheet);
	free(m.buf);
}

/* Every column name declared in lib/ and cmd/ (a "name", DT_COL_... pair,
 * as the column arrays and compound literals spell them) has a Chinese
 * header; names made at run time (a survey's choices, a rules file's
 * categories) are data and show as they are. */
static void test_every_column_has_a_header(void **state)
{
	static const char *const dirs[] = { DT_SOURCE_DIR "/lib", DT_SOURCE_DIR "/cmd" };
	regex_t re;
	regmatch_t mt[2];
	size_t found = 0;

	(void)state;
	assert_int_equal(regcomp(&re, "\\{[[:space:]]*\"([^\"]+)\"[[:space:]]*,[[:space:]]*DT_COL_(TEXT|INT|REAL|BOOL)",
	                         REG_EXTENDED),
	                 0);
	for (size_t k = 0; k < 2; k++) {
		DIR *d = opendir(dirs[k]);
		struct dirent *e;

		assert_non_null(d);
		while ((e = readdir(d))) {
			size_t len = strlen(e->d_name);
			char path[512], *text, *p;
			FILE *f;
			long size;

			if (len < 3 || strcmp(e->d_name + len - 2, ".c") != 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", dirs[k], e->d_name);
			f = fopen(path, "rb");
			assert_non_null(f);
			fseek(f, 0, SEEK_END);
			size = ftell(f);
			rewind(f);
			text = malloc((size_t)size + 1);
			assert_non_null(text);
			assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
			text[size] = '\0';
			fclose(f);
			for (p = text; regexec(&re, p, 2, mt, 0) == 0; p += mt[0].rm_eo) {
				char name[128];

				snprintf(name, sizeof(name), "%.*s", (int)(mt[1].rm_eo - mt[1].rm_so), p + mt[1].rm_so);
				if (!dt__xlsx_header(name))
					fail_msg("%s: column '%s' has no Chinese header in lib/writer_xlsx.c", path, name);
				found++;
			}
			free(text);
		}
		closedir(d);
	}
	regfree(&re);
	/* the scan itself works: the listings declare well over a hundred */
	assert_true(found > 100);
	/* the deputy fields are named as the roster's headers, which import again */
	for (int f = 0; f < DT_DEPUTY_NFIELDS; f++)
		assert_int_equal(dt_deputy_field_lookup(dt__xlsx_header(dt_deputy_field_name((dt_deputy_field)f))), f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_name),
		cmocka_unit_test(test_cells),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_masking),
		cmocka_unit_test(test_widths),
		cmocka_unit_test(test_text_cleaning),
		cmocka_unit_test(test_temporary_file),
		cmocka_unit_test(test_failures),
		cmocka_unit_test(test_record),
		cmocka_unit_test(test_every_column_has_a_header),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
