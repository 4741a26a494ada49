/* Unit tests of the online liaison station's pure parts and pages
 * (lib/web_form.c, lib/web.c, lib/case_public.c). */
#include "testutil.h"

static const unsigned char key[DT_WEB_KEY_BYTES] = "0123456789abcdef0123456789abcdef";

static void test_utf8(void **state)
{
	(void)state;
	assert_true(dt_web_utf8_valid("", 0));
	assert_true(dt_web_utf8_valid("路灯坏了 ok", strlen("路灯坏了 ok")));
	assert_true(dt_web_utf8_valid("\xf0\x9f\x98\x80", 4));       /* an emoji */
	assert_false(dt_web_utf8_valid("\xff", 1));
	assert_false(dt_web_utf8_valid("\xc0\xaf", 2));              /* overlong '/' */
	assert_false(dt_web_utf8_valid("\xed\xa0\x80", 3));          /* a surrogate */
	assert_false(dt_web_utf8_valid("\xe8\xb7", 2));              /* truncated */
	assert_false(dt_web_utf8_valid("a\0b", 3));                  /* NUL */
	assert_false(dt_web_utf8_valid("\xf4\x90\x80\x80", 4));      /* beyond U+10FFFF */
}

static void test_urlencoded(void **state)
{
	const char body[] = "text=%E8%B7%AF%E7%81%AF+%3Cb%3E&name=&phone=13900001111&text=second";
	dt_web_form *f = NULL;
	size_t n = 0;

	(void)state;
	assert_int_equal(dt_web_form_parse("application/x-www-form-urlencoded", body, strlen(body), &f), DT_OK);
	assert_string_equal(dt_web_form_get(f, "text", &n), "路灯 <b>");
	assert_int_equal(n, strlen("路灯 <b>"));
	assert_string_equal(dt_web_form_get(f, "name", NULL), "");
	assert_string_equal(dt_web_form_get(f, "phone", NULL), "13900001111");
	assert_null(dt_web_form_get(f, "place", NULL));
	assert_null(dt_web_form_file(f, "text", NULL));
	assert_true(dt_web_form_text_ok(f));
	dt_web_form_free(f);

	assert_int_equal(dt_web_form_parse("application/x-www-form-urlencoded; charset=UTF-8", "a=%FF", 5, &f), DT_OK);
	assert_false(dt_web_form_text_ok(f));
	dt_web_form_free(f);
	/* malformed: a bad escape, a truncated one, a field without '=' */
	assert_int_equal(dt_web_form_parse("application/x-www-form-urlencoded", "a=%G1", 5, &f), DT_EDATA);
	assert_null(f);
	assert_int_equal(dt_web_form_parse("application/x-www-form-urlencoded", "a=%4", 4, &f), DT_EDATA);
	assert_int_equal(dt_web_form_parse("application/x-www-form-urlencoded", "abc", 3, &f), DT_EDATA);
	assert_int_equal(dt_web_form_parse("text/plain", "a=b", 3, &f), DT_EUSAGE);
	assert_int_equal(dt_web_form_parse(NULL, "a=b", 3, &f), DT_EUSAGE);
}

static void test_too_many_fields(void **state)
{
	char body[512] = "";
	dt_web_form *f = NULL;

	(void)state;
	for (int i = 0; i < 40; i++)
		snprintf(body + strlen(body), sizeof(body) - strlen(body), "f%d=x&", i);
	assert_int_equal(dt_web_form_parse("application/x-www-form-urlencoded", body, strlen(body), &f), DT_EDATA);
}

static void test_multipart(void **state)
{
	const char body[] = "preamble\r\n"
	                    "--XyZ\r\n"
	                    "Content-Disposition: form-data; name=\"text\"\r\n\r\n"
	                    "第一行\r\n第二行\r\n"
	                    "--XyZ\r\n"
	                    "Content-Disposition: form-data; name=\"photo\"; filename=\"a.jpg\"\r\n"
	                    "Content-Type: image/jpeg\r\n\r\n"
	                    "\xff\xd8\xff\x00\x01--XyZ-not-a-delimiter\r\n"
	                    "--XyZ\r\n"
	                    "Content-Disposition: form-data; name=\"empty\"; filename=\"\"\r\n\r\n"
	                    "\r\n"
	                    "--XyZ--\r\n";
	dt_web_form *f = NULL;
	const unsigned char *photo;
	size_t n = 0;

	(void)state;
	assert_int_equal(dt_web_form_parse("multipart/form-data; boundary=XyZ", body, sizeof(body) - 1, &f), DT_OK);
	assert_string_equal(dt_web_form_get(f, "text", NULL), "第一行\r\n第二行");
	photo = dt_web_form_file(f, "photo", &n);
	assert_non_null(photo);
	assert_int_equal(n, 5 + strlen("--XyZ-not-a-delimiter"));
	assert_memory_equal(photo, "\xff\xd8\xff\x00\x01", 5);
	assert_null(dt_web_form_get(f, "photo", NULL)); /* a file is not text */
	assert_null(dt_web_form_file(f, "empty", NULL)); /* no file chosen */
	assert_true(dt_web_form_text_ok(f));             /* binary files are not checked as text */
	dt_web_form_free(f);

	/* quoted boundary */
	assert_int_equal(dt_web_form_parse("multipart/form-data; boundary=\"XyZ\"", body, sizeof(body) - 1, &f), DT_OK);
	dt_web_form_free(f);
	/* malformed: no boundary, no closing delimiter, no name */
	assert_int_equal(dt_web_form_parse("multipart/form-data; charset=utf-8", body, sizeof(body) - 1, &f), DT_EDATA);
	assert_int_equal(dt_web_form_parse("multipart/form-data; boundary=XyZ", body, 60, &f), DT_EDATA);
	assert_int_equal(dt_web_form_parse("multipart/form-data; boundary=QQ", body, sizeof(body) - 1, &f), DT_EDATA);
	{
		const char noname[] = "--B\r\nContent-Disposition: form-data\r\n\r\nx\r\n--B--\r\n";

		assert_int_equal(dt_web_form_parse("multipart/form-data; boundary=B", noname, sizeof(noname) - 1, &f),
		                 DT_EDATA);
	}
	{
		const char bad[] = "--B\r\nContent-Disposition: form-data; name=\"t\"\r\n\r\n\xc3\x28\r\n--B--\r\n";

		assert_int_equal(dt_web_form_parse("multipart/form-data; boundary=B", bad, sizeof(bad) - 1, &f), DT_OK);
		assert_false(dt_web_form_text_ok(f));
		dt_web_form_free(f);
	}
}

static void test_csrf(void **state)
{
	unsigned char other[DT_WEB_KEY_BYTES];
	char tok[DT_WEB_TOKEN_SIZE], bad[DT_WEB_TOKEN_SIZE + 8];
	const int64_t t = 1795000000;

	(void)state;
	memcpy(other, key, sizeof(other));
	other[0] ^= 1;
	assert_int_equal(dt_web_csrf_make(key, "RZ0001", t, tok, sizeof(tok)), DT_OK);
	assert_int_equal(dt_web_csrf_make(key, "RZ0001", t, tok, 10), DT_EUSAGE);
	assert_int_equal(dt_web_csrf_make(key, "RZ0001", t, tok, sizeof(tok)), DT_OK);
	assert_int_equal(dt_web_csrf_check(key, "RZ0001", tok, t, 3600), DT_OK);
	assert_int_equal(dt_web_csrf_check(key, "RZ0001", tok, t + 3600, 3600), DT_OK);
	assert_int_equal(dt_web_csrf_check(key, "RZ0001", tok, t + 3601, 3600), DT_EVERIFY); /* expired */
	assert_int_equal(dt_web_csrf_check(key, "RZ0001", tok, t - 3600, 3600), DT_EVERIFY); /* from the future */
	assert_int_equal(dt_web_csrf_check(key, "RZ0002", tok, t, 3600), DT_EVERIFY);        /* another deputy */
	assert_int_equal(dt_web_csrf_check(other, "RZ0001", tok, t, 3600), DT_EVERIFY);      /* another key */
	assert_int_equal(dt_web_csrf_check(key, "RZ0001", NULL, t, 3600), DT_EVERIFY);
	assert_int_equal(dt_web_csrf_check(key, "RZ0001", "", t, 3600), DT_EVERIFY);
	/* the time cannot be moved without the tag */
	snprintf(bad, sizeof(bad), "%s", tok);
	bad[9] = bad[9] == '1' ? '2' : '1';
	assert_int_equal(dt_web_csrf_check(key, "RZ0001", bad, t, 3600), DT_EVERIFY);
	snprintf(bad, sizeof(bad), "%s", tok);
	bad[strlen(bad) - 1] = bad[strlen(bad) - 1] == 'A' ? 'B' : 'A';
	assert_int_equal(dt_web_csrf_check(key, "RZ0001", bad, t, 3600), DT_EVERIFY);
	snprintf(bad, sizeof(bad), "%sA", tok);
	assert_int_equal(dt_web_csrf_check(key, "RZ0001", bad, t, 3600), DT_EVERIFY);
}

static void test_message_page_escapes(void **state)
{
	dt_web_page p = DT_WEB_PAGE_INIT;

	(void)state;
	assert_int_equal(dt_web_message_page(403, "<script>alert(1)</script>", "a & b \"c\" 'd'", &p), DT_OK);
	assert_int_equal(p.status, 403);
	assert_string_equal(p.type, "text/html; charset=utf-8");
	assert_null(strstr(p.body, "<script>"));
	assert_non_null(strstr(p.body, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(p.body, "a &amp; b &quot;c&quot; &#39;d&#39;"));
	assert_non_null(strstr(p.body, "name=\"viewport\""));
	assert_null(strstr(p.body, "<script"));
	assert_int_equal(p.len, strlen(p.body));
	dt_web_page_clear(&p);
	assert_null(p.body);
	dt_web_page_clear(NULL);
}

/* A roster with a name that needs escaping, and signed URLs. */
static void roster(fixture *f)
{
	dt_import_result r;

	assert_int_equal(test_import(f,
	                             "code,name,post,delegation,station,phone,photo\n"
	                             "RZ0001,张三<script>alert(1)</script>,村党支部书记,东港区代表团,秦楼站,13712340743,"
	                             "\"https://img.example.cn/a.jpg\"\"onerror=\"\"x\"\n"
	                             "RZ0002,李四,教师,岚山区代表团,岚山站,13800001111,\n",
	                             0, &r),
	                 DT_OK);
	assert_int_equal(dt_config_set(f->ctx, "qr.base_url", "https://rd.example.cn/"), DT_OK);
}

static const char *sig_of(const char *url)
{
	return strstr(url, "?s=") + 3;
}

static void test_deputy_page_and_submit(void **state)
{
	fixture *f = *state;
	dt_web_page p = DT_WEB_PAGE_INIT;
	dt_web_form *form = NULL;
	char *url = NULL, *tracking = NULL, body[512];

	roster(f);
	assert_int_equal(dt_qr_url(f->ctx, "RZ0001", &url), DT_OK);
	assert_int_equal(dt_web_deputy_page(f->ctx, "RZ0001", sig_of(url), "TOKEN<x>", &p), DT_OK);
	assert_int_equal(p.status, 200);
	assert_null(strstr(p.body, "<script>"));
	assert_non_null(strstr(p.body, "张三&lt;script&gt;"));
	assert_non_null(strstr(p.body, "a.jpg&quot;onerror=&quot;x"));
	assert_non_null(strstr(p.body, "value=\"TOKEN&lt;x&gt;\""));
	assert_non_null(strstr(p.body, "<form"));
	assert_non_null(strstr(p.body, "秦楼站"));
	dt_web_page_clear(&p);
	/* forged: another deputy under this signature */
	assert_int_equal(dt_web_deputy_page(f->ctx, "RZ0002", sig_of(url), "T", &p), DT_OK);
	assert_int_equal(p.status, 404);
	assert_null(strstr(p.body, "<form"));
	dt_web_page_clear(&p);
	assert_int_equal(dt_web_deputy_page(f->ctx, "RZ0001", "k1.<bad>", "T", &p), DT_OK);
	assert_int_equal(p.status, 404);
	dt_web_page_clear(&p);

	snprintf(body, sizeof(body), "s=%s&csrf=x&text=%%E8%%B7%%AF%%E7%%81%%AF&name=%%E7%%8E%%8B&phone=13900001111",
	         sig_of(url));
	assert_int_equal(dt_web_form_parse("application/x-www-form-urlencoded", body, strlen(body), &form), DT_OK);
	assert_int_equal(dt_web_submit(f->ctx, "RZ0001", form, &p, &tracking), DT_OK);
	assert_int_equal(p.status, 201);
	assert_non_null(tracking);
	assert_non_null(strstr(p.body, tracking));
	dt_web_page_clear(&p);
	dt_web_form_free(form);
	/* the public status shows no name or phone */
	assert_int_equal(dt_web_tracking_page(f->ctx, tracking, &p), DT_OK);
	assert_int_equal(p.status, 200);
	assert_null(strstr(p.body, "13900001111"));
	assert_null(strstr(p.body, "王"));
	assert_non_null(strstr(p.body, "已提交"));
	dt_web_page_clear(&p);
	assert_int_equal(dt_web_tracking_page(f->ctx, "nosuchnumber", &p), DT_OK);
	assert_int_equal(p.status, 404);
	dt_web_page_clear(&p);
	/* a bad phone and an empty text are refused */
	snprintf(body, sizeof(body), "s=%s&text=x&phone=12x45", sig_of(url));
	assert_int_equal(dt_web_form_parse("application/x-www-form-urlencoded", body, strlen(body), &form), DT_OK);
	assert_int_equal(dt_web_submit(f->ctx, "RZ0001", form, &p, NULL), DT_OK);
	assert_int_equal(p.status, 400);
	dt_web_page_clear(&p);
	dt_web_form_free(form);
	snprintf(body, sizeof(body), "s=%s&text=", sig_of(url));
	assert_int_equal(dt_web_form_parse("application/x-www-form-urlencoded", body, strlen(body), &form), DT_OK);
	assert_int_equal(dt_web_submit(f->ctx, "RZ0001", form, &p, NULL), DT_OK);
	assert_int_equal(p.status, 400);
	dt_web_page_clear(&p);
	dt_web_form_free(form);
	free(tracking);
	/* retired: 410 */
	assert_int_equal(dt_deputy_retire(f->ctx, "RZ0001"), DT_OK);
	assert_int_equal(dt_web_deputy_page(f->ctx, "RZ0001", sig_of(url), "T", &p), DT_OK);
	assert_int_equal(p.status, 410);
	assert_null(strstr(p.body, "<form"));
	dt_web_page_clear(&p);
	free(url);
}

static void test_revoked_key_410_and_health(void **state)
{
	fixture *f = *state;
	dt_web_page p = DT_WEB_PAGE_INIT;
	char *url = NULL;

	roster(f);
	assert_int_equal(dt_web_health(f->ctx), DT_OK);
	assert_int_equal(dt_qr_url(f->ctx, "RZ0002", &url), DT_OK);
	assert_int_equal(dt_qr_rotate_key(f->ctx, 1, NULL), DT_OK);
	assert_int_equal(dt_web_deputy_page(f->ctx, "RZ0002", sig_of(url), "T", &p), DT_OK);
	assert_int_equal(p.status, 410);
	dt_web_page_clear(&p);
	/* no leaderboard published */
	assert_int_equal(dt_web_leaderboard_page(f->ctx, NULL, &p), DT_OK);
	assert_int_equal(p.status, 404);
	dt_web_page_clear(&p);
	assert_int_equal(dt_web_leaderboard_page(f->ctx, "../x.jpg", &p), DT_OK);
	assert_int_equal(p.status, 404);
	dt_web_page_clear(&p);
	free(url);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_urlencoded),
		cmocka_unit_test(test_too_many_fields),
		cmocka_unit_test(test_multipart),
		cmocka_unit_test(test_csrf),
		cmocka_unit_test(test_message_page_escapes),
		TEST(test_deputy_page_and_submit),
		TEST(test_revoked_key_410_and_health),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
