/* Unit tests of the CSV reader every importer uses (lib/csvread.c). */
#include "testutil.h"
#include "csvread.h"

typedef struct {
	char rows[4096];
	int n;
} collected;

/* Render each row as "LINE:field|field;" */
static int collect(void *ud, uint64_t line, char **fields, size_t n)
{
	collected *c = ud;
	size_t len = strlen(c->rows);

	len += (size_t)snprintf(c->rows + len, sizeof(c->rows) - len, "%llu:", (unsigned long long)line);
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(c->rows + len, sizeof(c->rows) - len, "%s%s", i ? "|" : "", fields[i]);
	snprintf(c->rows + len, sizeof(c->rows) - len, ";");
	c->n++;
	return DT_OK;
}

static int read_text(fixture *f, const char *text, size_t len, const char *enc, collected *c)
{
	dt_csv_options o = { "t.csv", enc, 16, 8 };
	FILE *in = fmemopen((void *)text, len, "r");
	int rc;

	memset(c, 0, sizeof(*c));
	f->diag[0] = '\0';
	rc = dt__csv_read(f->ctx, in, &o, collect, c);
	fclose(in);
	return rc;
}

#define READ(f, s, c) read_text(f, s, sizeof(s) - 1, NULL, c)

static void test_lines_and_quotes(void **state)
{
	fixture *f = *state;
	collected c;

	assert_int_equal(READ(f, "a,b\r\n\"x,1\",\"y\"\"\"\n\n\"p\nq\",r\ns,t", &c), DT_OK);
	assert_string_equal(c.rows, "1:a|b;2:x,1|y\";4:p\nq|r;6:s|t;");
}

static void test_bom_stripped(void **state)
{
	fixture *f = *state;
	collected c;

	assert_int_equal(READ(f, "\xef\xbb\xbf" "a\n", &c), DT_OK);
	assert_string_equal(c.rows, "1:a;");
	assert_int_equal(READ(f, "\"\xef\xbb\xbf" "a\"\n", &c), DT_OK);
	assert_string_equal(c.rows, "1:a;");
}

static void test_unterminated_quote(void **state)
{
	fixture *f = *state;
	collected c;

	assert_int_equal(READ(f, "a\n\"bc\n", &c), DT_EDATA);
	assert_non_null(strstr(f->diag, "t.csv:2: a quoted field starts here and is never closed"));
}

static void test_oversize_field(void **state)
{
	fixture *f = *state;
	collected c;

	assert_int_equal(READ(f, "a\n\"0123456789\n0123456789\n", &c), DT_EDATA);
	assert_non_null(strstr(f->diag, "t.csv:2: a field longer than 16 bytes"));
}

static void test_nul_and_malformed(void **state)
{
	fixture *f = *state;
	collected c;

	assert_int_equal(read_text(f, "a\nb\0c\n", 6, NULL, &c), DT_EDATA);
	assert_non_null(strstr(f->diag, "t.csv:2: holds a NUL byte"));
	assert_int_equal(READ(f, "a\n\"b\"c\n", &c), DT_EDATA);
	assert_non_null(strstr(f->diag, "t.csv:2: malformed CSV"));
}

static void test_too_many_fields(void **state)
{
	fixture *f = *state;
	collected c;

	assert_int_equal(READ(f, "a,b,c,d,e,f,g,h,i\n", &c), DT_EDATA);
	assert_non_null(strstr(f->diag, "t.csv:1: more than 8 fields"));
}

static void test_gbk_and_bad_gbk(void **state)
{
	fixture *f = *state;
	collected c;

	assert_int_equal(read_text(f, "\xd5\xc5\xc8\xfd,x\n", 7, "gbk", &c), DT_OK);
	assert_string_equal(c.rows, "1:张三|x;");
	assert_int_equal(read_text(f, "a\n\xff\xff\n", 5, "gbk", &c), DT_EDATA);
	assert_non_null(strstr(f->diag, "t.csv:2: is not valid GBK"));
	assert_int_equal(read_text(f, "a\n", 2, "latin-9", &c), DT_EUSAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_lines_and_quotes), TEST(test_bom_stripped), TEST(test_unterminated_quote),
		TEST(test_oversize_field),   TEST(test_nul_and_malformed), TEST(test_too_many_fields),
		TEST(test_gbk_and_bad_gbk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
