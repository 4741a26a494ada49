/* Unit tests of personal QR codes (lib/qr.c, lib/qr_issue.c, lib/qr_render.c). */
#include <sys/stat.h>
#include "testutil.h"

static void roster(fixture *f)
{
	dt_import_result r;

	assert_int_equal(test_import(f,
	                             "code,name,post,delegation,station,phone\n"
	                             "RZ0001,张三,村党支部书记,东港区代表团,秦楼站,13712340743\n"
	                             "RZ0002,李四,教师,岚山区代表团,岚山站,13800001111\n"
	                             "RZ0003,王<五>&,医生,东港区代表团,秦楼站,\n",
	                             0, &r),
	                 DT_OK);
	assert_int_equal(dt_config_set(f->ctx, "qr.base_url", "https://rd.example.cn/"), DT_OK);
}

static int verify(fixture *f, const char *url)
{
	dt_writer *w = test_writer(f, DT_FORMAT_JSON, DT_WRITE_RECORD);
	int rc = dt_qr_verify(f->ctx, url, w);

	dt_writer_free(w);
	return rc;
}

static void test_url_shape_and_verify(void **state)
{
	fixture *f = *state;
	char *url = NULL;

	roster(f);
	assert_int_equal(dt_qr_url(f->ctx, "RZ0001", &url), DT_OK);
	assert_int_equal(strncmp(url, "https://rd.example.cn/d/RZ0001?s=k1.", 36), 0);
	assert_int_equal(strlen(url), 36 + 16);
	assert_int_equal(verify(f, url), DT_OK);
	assert_non_null(strstr(f->out, "\"name\":\"张三\""));
	assert_non_null(strstr(f->out, "\"phone\":\"137****0743\""));
	free(url);
	assert_int_equal(dt_qr_url(f->ctx, "RZ0404", &url), DT_ENOTFOUND);
}

static void test_forgeries_refused(void **state)
{
	fixture *f = *state;
	char *url = NULL, bad[256];

	roster(f);
	assert_int_equal(dt_qr_url(f->ctx, "RZ0001", &url), DT_OK);
	/* another deputy's code under this signature */
	snprintf(bad, sizeof(bad), "%s", url);
	memcpy(strstr(bad, "RZ0001"), "RZ0002", 6);
	assert_int_equal(verify(f, bad), DT_EVERIFY);
	assert_non_null(strstr(dt_errmsg(f->ctx), "does not match"));
	/* a changed signature */
	snprintf(bad, sizeof(bad), "%s", url);
	bad[strlen(bad) - 1] = bad[strlen(bad) - 1] == 'A' ? 'B' : 'A';
	assert_int_equal(verify(f, bad), DT_EVERIFY);
	/* truncated */
	snprintf(bad, sizeof(bad), "%.*s", (int)strlen(url) - 3, url);
	assert_int_equal(verify(f, bad), DT_EVERIFY);
	assert_non_null(strstr(dt_errmsg(f->ctx), "truncated"));
	/* unknown key id */
	snprintf(bad, sizeof(bad), "%s", url);
	strstr(bad, "?s=k1.")[4] = '7';
	assert_int_equal(verify(f, bad), DT_EVERIFY);
	assert_non_null(strstr(dt_errmsg(f->ctx), "unknown key"));
	/* a phishing host with the same path */
	snprintf(bad, sizeof(bad), "https://rd.example.cn.evil.test/d/RZ0001?s=%s", strstr(url, "?s=") + 3);
	assert_int_equal(verify(f, bad), DT_EVERIFY);
	assert_non_null(strstr(dt_errmsg(f->ctx), "foreign address"));
	assert_int_equal(verify(f, "not a url"), DT_EVERIFY);
	assert_int_equal(verify(f, ""), DT_EVERIFY);
	free(url);
}

static void test_scheme_and_host_case_insensitive(void **state)
{
	fixture *f = *state;
	char *url = NULL;

	roster(f);
	assert_int_equal(dt_qr_url(f->ctx, "RZ0002", &url), DT_OK);
	memcpy(url, "HTTPS://RD.EXAMPLE.CN", 21);
	assert_int_equal(verify(f, url), DT_OK);
	free(url);
}

static void test_retired_no_longer_serving(void **state)
{
	fixture *f = *state;
	char *url = NULL;

	roster(f);
	assert_int_equal(dt_qr_url(f->ctx, "RZ0002", &url), DT_OK);
	assert_int_equal(dt_deputy_retire(f->ctx, "RZ0002"), DT_OK);
	assert_int_equal(verify(f, url), DT_EVERIFY);
	assert_non_null(strstr(dt_errmsg(f->ctx), "no longer serving"));
	free(url);
}

static void test_rotation_and_revocation(void **state)
{
	fixture *f = *state;
	char *old = NULL, *fresh = NULL, *kid = NULL;

	roster(f);
	assert_int_equal(dt_qr_url(f->ctx, "RZ0001", &old), DT_OK);
	assert_int_equal(dt_qr_rotate_key(f->ctx, 0, &kid), DT_OK);
	assert_string_equal(kid, "k2");
	free(kid);
	assert_int_equal(dt_qr_url(f->ctx, "RZ0001", &fresh), DT_OK);
	assert_non_null(strstr(fresh, "?s=k2."));
	assert_int_equal(verify(f, old), DT_OK);
	assert_int_equal(dt_qr_rotate_key(f->ctx, 1, NULL), DT_OK);
	assert_int_equal(verify(f, old), DT_EVERIFY);
	assert_non_null(strstr(dt_errmsg(f->ctx), "revoked"));
	assert_int_equal(verify(f, fresh), DT_EVERIFY);
	free(old);
	free(fresh);
}

static void test_no_base_url_is_a_clear_error(void **state)
{
	fixture *f = *state;
	char *url = NULL;
	dt_deputy_fields a = { 0 };

	a.value[DT_DEPUTY_NAME] = "张三";
	assert_int_equal(dt_deputy_add(f->ctx, &a, NULL), DT_OK);
	assert_int_equal(dt_qr_url(f->ctx, "RZ0001", &url), DT_EUSAGE);
	assert_non_null(strstr(dt_errmsg(f->ctx), "set-config qr.base_url"));
	assert_int_equal(dt_config_set(f->ctx, "qr.base_url", "ftp://x"), DT_EUSAGE);
	assert_int_equal(dt_config_set(f->ctx, "qr.base_url", "https://x/?a=1"), DT_EUSAGE);
}

static void issue(fixture *f, dt_qr_type type, const char *const *codes, size_t n, int expect)
{
	dt_qr_options o = DT_QR_OPTIONS_INIT;
	dt_qr_selection sel = { codes, n, NULL, NULL };
	dt_writer *w = test_writer(f, DT_FORMAT_CSV, 0);

	o.type = type;
	assert_int_equal(dt_qr_issue(f->ctx, &sel, &o, f->dir, w), expect);
	dt_writer_free(w);
}

static char *slurp(fixture *f, const char *name)
{
	char path[160];
	static char buf[65536];
	FILE *fp;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	return buf;
}

static void test_issue_files(void **state)
{
	fixture *f = *state;
	char *s;

	roster(f);
	issue(f, DT_QR_PNG, NULL, 0, DT_OK);
	s = slurp(f, "RZ0001.png");
	assert_non_null(s);
	assert_memory_equal(s, "\x89PNG\r\n\x1a\n", 8);
	assert_non_null(slurp(f, "RZ0003.png"));
	issue(f, DT_QR_SVG, NULL, 0, DT_OK);
	s = slurp(f, "RZ0002.svg");
	assert_non_null(strstr(s, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	assert_non_null(strstr(s, "<path fill=\"#000\" d=\"M4 4h7"));
	issue(f, DT_QR_POSTER, NULL, 0, DT_OK);
	s = slurp(f, "RZ0001.svg");
	assert_non_null(strstr(s, ">张三</text>"));
	assert_non_null(strstr(s, "13712340743")); /* published: not masked */
	assert_non_null(strstr(s, "扫码见代表"));
	s = slurp(f, "RZ0003.svg");
	assert_non_null(strstr(s, ">王&lt;五&gt;&amp;</text>"));
}

static void test_issue_refusals_write_nothing(void **state)
{
	fixture *f = *state;
	const char *unknown[] = { "RZ0001", "RZ0404" };
	const char *retired[] = { "RZ0002" };
	dt_qr_options o = DT_QR_OPTIONS_INIT;
	dt_qr_selection sel = { NULL, 0, NULL, NULL };
	dt_writer *w;

	roster(f);
	issue(f, DT_QR_PNG, unknown, 2, DT_ENOTFOUND);
	assert_null(slurp(f, "RZ0001.png"));
	assert_int_equal(dt_deputy_retire(f->ctx, "RZ0002"), DT_OK);
	issue(f, DT_QR_PNG, retired, 1, DT_EUSAGE);
	assert_non_null(strstr(dt_errmsg(f->ctx), "retired"));
	/* retired deputies are skipped by --all */
	issue(f, DT_QR_PNG, NULL, 0, DT_OK);
	assert_null(slurp(f, "RZ0002.png"));
	w = test_writer(f, DT_FORMAT_CSV, 0);
	o.size = 10;
	assert_int_equal(dt_qr_issue(f->ctx, &sel, &o, f->dir, w), DT_EUSAGE);
	assert_non_null(strstr(dt_errmsg(f->ctx), "too small"));
	o.size = 0;
	assert_int_equal(dt_qr_issue(f->ctx, &sel, &o, "/nonexistent/dir", w), DT_EUSAGE);
	dt_writer_free(w);
}

static void test_draw_utf8_and_list(void **state)
{
	fixture *f = *state;
	dt_qr_options o = DT_QR_OPTIONS_INIT;
	dt_writer *w;
	size_t lines = 0;

	roster(f);
	f->out_len = 0;
	assert_int_equal(dt_qr_draw(f->ctx, "RZ0001", &o, test_sink, f), DT_OK);
	for (const char *p = f->out; *p; p++)
		lines += *p == '\n';
	/* version 4 (33 modules) + 2 x 4 quiet zone = 41 rows, two per line */
	assert_int_equal(lines, 21);
	assert_non_null(strstr(f->out, "\xe2\x96\x88"));
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_qr_list(f->ctx, w), DT_OK);
	dt_writer_free(w);
	assert_non_null(strstr(f->out, "RZ0001,张三,k1,utf8,"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_url_shape_and_verify),     TEST(test_forgeries_refused),
		TEST(test_scheme_and_host_case_insensitive), TEST(test_retired_no_longer_serving),
		TEST(test_rotation_and_revocation),  TEST(test_no_base_url_is_a_clear_error),
		TEST(test_issue_files),              TEST(test_issue_refusals_write_nothing),
		TEST(test_draw_utf8_and_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
