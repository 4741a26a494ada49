/*
 * The exchange exports (lib/export_popolo.c, lib/export_open311.c,
 * lib/json.c): a small congress whose every person, organization,
 * membership and event is counted here; masking and its audit; every case
 * state's Open311 status; no citizen's name or phone anywhere; escaping of
 * quotes, line breaks, control characters and invalid UTF-8; a failed write.
 */
#include <sqlite3.h>
#include "testutil.h"

/* Change the database behind the library's back: rows the API refuses. */
static void raw_sql(fixture *f, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static int64_t at(fixture *f, const char *local)
{
	int64_t t;

	assert_int_equal(dt_time_parse_local(f->ctx, local, &t), DT_OK);
	return t;
}

static size_t count(const char *s, const char *needle)
{
	size_t n = 0;

	for (const char *p = s; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

/* The line of f->out holding needle (records are one a line), in buf. */
static const char *line_of(fixture *f, const char *needle, char *buf, size_t size)
{
	const char *p = strstr(f->out, needle), *start, *end;

	if (!p)
		fail_msg("no '%s' in:\n%s", needle, f->out);
	for (start = p; start > f->out && start[-1] != '\n'; start--)
		;
	end = strchr(p, '\n');
	snprintf(buf, size, "%.*s", (int)(end ? end - start : (ptrdiff_t)strlen(start)), start);
	return buf;
}

/* Run an export into f->out; its status. */
static int run_export(fixture *f, int open311, const void *opts)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	int rc;

	assert_non_null(out);
	rc = open311 ? dt_export_open311(f->ctx, opts, out) : dt_export_popolo(f->ctx, opts, out);
	fclose(out);
	assert_true(len < sizeof(f->out));
	memcpy(f->out, buf, len + 1);
	f->out_len = len;
	free(buf);
	return rc;
}

/* Three deputies of the first roster, one added later (a quote and a
 * backslash in the name, a photo address), one retired, one without a
 * code; two departments; a meeting and a cancelled hearing. */
static void congress(fixture *f)
{
	dt_deputy_fields d = { 0 };
	dt_department dept = DT_DEPARTMENT_INIT;
	dt_event e = DT_EVENT_INIT;
	dt_import_result r;
	int64_t id;

	assert_int_equal(test_import(f,
	                             "code,name,gender,post,unit,delegation,phone,email\n"
	                             "RZ0001,张三,男,主任,日照市某局,东港区代表团,13712340743,zhang@example.cn\n"
	                             "RZ0002,李四,女,,,岚山区代表团,0633-8888888,\n"
	                             "RZ0003,王五,,,,东港区代表团,,\n",
	                             0, &r),
	                 DT_OK);
	dt_ctx_set_now(f->ctx, at(f, "2026-12-01 10:00"));
	d.value[DT_DEPUTY_NAME] = "赵\"六\\";
	d.value[DT_DEPUTY_PHONE] = "13900002222";
	d.value[DT_DEPUTY_EMAIL] = "zhao6@example.cn";
	d.value[DT_DEPUTY_PHOTO] = "https://example.cn/p/6.jpg";
	assert_int_equal(dt_deputy_add(f->ctx, &d, NULL), DT_OK);
	dt_ctx_set_now(f->ctx, at(f, "2026-12-15 10:00"));
	assert_int_equal(dt_deputy_retire(f->ctx, "RZ0002"), DT_OK);
	raw_sql(f, "INSERT INTO deputy(name, joined_at, updated_at) VALUES ('无码', 0, 0)");
	dept.code = "ZJJ";
	dept.name = "住建局";
	assert_int_equal(dt_department_add(f->ctx, &dept), DT_OK);
	dept.code = "SWJ";
	dept.name = "水务局";
	assert_int_equal(dt_department_add(f->ctx, &dept), DT_OK);
	assert_int_equal(dt_route_set(f->ctx, "道路", "ZJJ"), DT_OK);
	e.kind = "meeting";
	e.title = "常委会第三次会议";
	e.starts_at = at(f, "2026-12-20 09:00");
	e.ends_at = at(f, "2026-12-20 11:30");
	e.place = "第一会议室";
	assert_int_equal(dt_event_create(f->ctx, &e, NULL), DT_OK);
	e = (dt_event)DT_EVENT_INIT;
	e.kind = "hearing";
	e.title = "合同纠纷案庭审";
	e.starts_at = at(f, "2026-12-22 09:00");
	e.announce_at = at(f, "2026-12-16 09:00");
	e.court = "区人民法院";
	assert_int_equal(dt_event_create(f->ctx, &e, &id), DT_OK);
	assert_int_equal(dt_event_cancel(f->ctx, id, "延期"), DT_OK);
}

static void test_popolo_counts_and_ids(void **state)
{
	fixture *f = *state;
	char line[2048];

	congress(f);
	f->diag[0] = '\0';
	assert_int_equal(run_export(f, 0, NULL), DT_OK);
	/* the deputy without a code has no stable id: left out, and said so */
	assert_int_equal(count(f->out, "\"id\":\"person/"), 4);
	assert_null(strstr(f->out, "无码"));
	assert_non_null(strstr(f->diag, "1 deputies without a code are left out"));
	assert_non_null(strstr(line_of(f, "\"person/RZ0001\"", line, sizeof(line)),
	                       "\"identifiers\":[{\"scheme\":\"rdlz\",\"identifier\":\"RZ0001\"}],\"gender\":\"male\","
	                       "\"summary\":\"日照市某局 主任\""));
	assert_non_null(strstr(line_of(f, "\"person/RZ0004\"", line, sizeof(line)),
	                       "\"image\":\"https://example.cn/p/6.jpg\""));
	/* organizations: the congress, two delegations, two departments */
	assert_int_equal(count(f->out, "\"classification\":\"legislature\""), 1);
	assert_non_null(strstr(f->out, "{\"id\":\"organization/congress\",\"name\":\"人民代表大会\""));
	assert_int_equal(count(f->out, "\"classification\":\"delegation\",\"parent_id\":\"organization/congress\""), 2);
	assert_int_equal(count(f->out, "\"classification\":\"executive\""), 2);
	assert_non_null(strstr(f->out, "{\"id\":\"organization/department/SWJ\",\"name\":\"水务局\""));
	/* memberships: four in the congress, three in a delegation */
	assert_int_equal(count(f->out, "\"id\":\"membership/"), 7);
	assert_int_equal(count(f->out, "/delegation\",\"person_id\""), 3);
	line_of(f, "\"id\":\"membership/RZ0001\"", line, sizeof(line));
	assert_null(strstr(line, "start_date")); /* the first roster serves from before any record */
	assert_null(strstr(line, "end_date"));
	line_of(f, "\"id\":\"membership/RZ0002/delegation\"", line, sizeof(line));
	assert_non_null(strstr(line, "\"organization_id\":\"organization/delegation/岚山区代表团\""));
	assert_non_null(strstr(line, "\"end_date\":\"2026-12-15\""));
	assert_non_null(strstr(line_of(f, "\"id\":\"membership/RZ0004\"", line, sizeof(line)),
	                       "\"start_date\":\"2026-12-01\""));
	/* events: both, the cancelled one says so and why */
	assert_int_equal(count(f->out, "\"id\":\"event/"), 2);
	line_of(f, "\"name\":\"常委会第三次会议\"", line, sizeof(line));
	assert_non_null(strstr(line, "\"classification\":\"meeting\",\"start_date\":\"2026-12-20T09:00:00+08:00\","
	                             "\"end_date\":\"2026-12-20T11:30:00+08:00\",\"location\":\"第一会议室\","
	                             "\"status\":\"scheduled\",\"organization_id\":\"organization/congress\""));
	line_of(f, "\"name\":\"合同纠纷案庭审\"", line, sizeof(line));
	assert_non_null(strstr(line, "\"status\":\"cancelled\""));
	assert_non_null(strstr(line, "\"description\":\"法院：区人民法院\\n取消原因：延期\""));
	/* the setting names the congress */
	assert_int_equal(dt_config_set(f->ctx, "congress.name", "日照市人民代表大会"), DT_OK);
	assert_int_equal(run_export(f, 0, NULL), DT_OK);
	assert_non_null(strstr(f->out, "{\"id\":\"organization/congress\",\"name\":\"日照市人民代表大会\""));
}

static void test_popolo_escapes_and_masks(void **state)
{
	fixture *f = *state;
	dt_popolo_options o = DT_POPOLO_OPTIONS_INIT;
	dt_writer *w;
	char line[2048];

	congress(f);
	assert_int_equal(run_export(f, 0, &o), DT_OK);
	assert_non_null(strstr(f->out, "\"name\":\"赵\\\"六\\\\\""));
	assert_non_null(strstr(f->out, "\"contact_details\":\"masked\""));
	line_of(f, "\"person/RZ0001\"", line, sizeof(line));
	assert_non_null(strstr(line, "{\"type\":\"cell\",\"label\":\"联系电话\",\"value\":\"137****0743\"}"));
	assert_non_null(strstr(line, "{\"type\":\"email\",\"label\":\"邮箱\",\"value\":\"z***@example.cn\"}"));
	assert_non_null(strstr(line_of(f, "\"person/RZ0002\"", line, sizeof(line)),
	                       "{\"type\":\"voice\",\"label\":\"联系电话\",\"value\":\"063****8888\"}"));
	assert_null(strstr(line_of(f, "\"person/RZ0003\"", line, sizeof(line)), "contact_details"));
	assert_null(strstr(f->out, "13712340743"));
	assert_null(strstr(f->out, "zhang@"));
	assert_null(strstr(f->out, "8888888"));
	/* a masked export is not audited; an unmasked one is, with its count */
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_audit_list(f->ctx, 0, w), DT_OK);
	dt_writer_free(w);
	assert_null(strstr(f->out, "unmasked export"));
	o.unmask = 1;
	assert_int_equal(run_export(f, 0, &o), DT_OK);
	assert_non_null(strstr(f->out, "\"value\":\"13712340743\""));
	assert_non_null(strstr(f->out, "\"value\":\"zhang@example.cn\""));
	assert_non_null(strstr(f->out, "\"value\":\"0633-8888888\""));
	assert_non_null(strstr(f->out, "\"contact_details\":\"clear\""));
	w = test_writer(f, DT_FORMAT_CSV, 0);
	assert_int_equal(dt_audit_list(f->ctx, 1, w), DT_OK);
	dt_writer_free(w);
	assert_non_null(strstr(f->out, "unmasked export of personal data: Popolo persons, 3 rows"));
}

/* Requests and suggestions in several states; returns the tracking
 * number of the first request (freed by the caller). */
static char *cases(fixture *f)
{
	dt_case_new c = DT_CASE_NEW_INIT;
	dt_case_act a = DT_CASE_ACT_INIT;
	char *tracking = NULL;
	int64_t id;

	/* 1: a request fed back, its citizen named in every text */
	c.deputy = "RZ0001";
	c.text = "王小明反映：电话 139 0000 1111，邮箱 wxm@example.cn，路灯坏了（2026-11-28 报修）";
	c.citizen = "王小明";
	c.phone = "13900001111";
	c.place = "秦楼街道\"阳光\"小区，王小明家门口";
	assert_int_equal(dt_case_submit_request(f->ctx, &c, &id, &tracking), DT_OK);
	a.deputy = "RZ0001";
	assert_int_equal(dt_case_apply(f->ctx, id, DT_CASE_TAKE, &a), DT_OK);
	a.note = "已修复，已电话13900001111告知王小明";
	assert_int_equal(dt_case_apply(f->ctx, id, DT_CASE_RESOLVE, &a), DT_OK);
	a.note = "已反馈群众";
	assert_int_equal(dt_case_apply(f->ctx, id, DT_CASE_ANSWER, &a), DT_OK);
	/* 2: a request just submitted */
	c = (dt_case_new)DT_CASE_NEW_INIT;
	c.deputy = "RZ0003";
	c.text = "噪音扰民";
	c.citizen = "陈某某";
	assert_int_equal(dt_case_submit_request(f->ctx, &c, NULL, NULL), DT_OK);
	/* 3: a suggestion routed to its department, with a position */
	c = (dt_case_new)DT_CASE_NEW_INIT;
	c.deputy = "RZ0001";
	c.title = "人行道\"破损\"";
	c.text = "某路段\n\t人行道破损\\";
	c.category = "道路";
	c.lat = 35.416;
	c.lng = 119.527;
	c.has_geo = 1;
	assert_int_equal(dt_case_file_suggestion(f->ctx, &c, NULL), DT_OK);
	/* 4: a suggestion answered */
	c.title = "路灯";
	c.text = "路灯不亮";
	c.has_geo = 0;
	assert_int_equal(dt_case_file_suggestion(f->ctx, &c, &id), DT_OK);
	a = (dt_case_act)DT_CASE_ACT_INIT;
	assert_int_equal(dt_case_apply(f->ctx, id, DT_CASE_ACCEPT, &a), DT_OK);
	a.note = "已安排维修";
	assert_int_equal(dt_case_apply(f->ctx, id, DT_CASE_ANSWER, &a), DT_OK);
	return tracking;
}

static void test_open311_fields_and_nothing_personal(void **state)
{
	fixture *f = *state;
	char line[4096], *tracking;

	congress(f);
	tracking = cases(f);
	assert_int_equal(run_export(f, 1, NULL), DT_OK);
	assert_int_equal(f->out[0], '[');
	assert_int_equal(count(f->out, "\"service_request_id\":"), 4);
	/* nothing personal, anywhere */
	assert_null(strstr(f->out, "王小明"));
	assert_null(strstr(f->out, "陈某某"));
	assert_null(strstr(f->out, "13900001111"));
	assert_null(strstr(f->out, "139 0000 1111"));
	assert_null(strstr(f->out, "wxm@"));
	assert_null(strstr(f->out, tracking));
	assert_null(strstr(f->out, "13712340743")); /* the deputy's phone */
	free(tracking);
	line_of(f, "\"service_request_id\":\"1\"", line, sizeof(line));
	assert_non_null(strstr(line, "\"status\":\"closed\",\"status_notes\":\"已反馈群众\","
	                             "\"service_name\":\"群众诉求\",\"service_code\":\"request\","
	                             "\"description\":\"***反映：电话 ***，邮箱 ***，路灯坏了（2026-11-28 报修）\""));
	assert_non_null(strstr(line, "\"service_notice\":\"已办结并反馈\""));
	assert_non_null(strstr(line, "\"expected_datetime\":null,\"address\":\"秦楼街道\\\"阳光\\\"小区，***家门口\""));
	assert_non_null(strstr(line, "\"address_id\":null,\"zipcode\":null,\"lat\":null,\"long\":null,\"media_url\":null}"));
	line_of(f, "\"service_request_id\":\"2\"", line, sizeof(line));
	assert_non_null(strstr(line, "\"status\":\"open\",\"status_notes\":null"));
	assert_non_null(strstr(line, "\"service_notice\":\"等待代表接收\""));
	assert_non_null(strstr(line, "\"requested_datetime\":\"2026-12-15T10:00:00+08:00\""));
	assert_non_null(strstr(line, "\"expected_datetime\":\"2026-12-16T10:00:00+08:00\"")); /* 24 hours to take it */
	line_of(f, "\"service_request_id\":\"3\"", line, sizeof(line));
	assert_non_null(strstr(line, "\"status\":\"open\""));
	assert_non_null(strstr(line, "\"service_name\":\"道路\",\"service_code\":\"道路\","
	                             "\"description\":\"人行道\\\"破损\\\"\\n某路段\\n\\t人行道破损\\\\\","
	                             "\"agency_responsible\":\"住建局\""));
	assert_non_null(strstr(line, "\"lat\":35.416,\"long\":119.527"));
	line_of(f, "\"service_request_id\":\"4\"", line, sizeof(line));
	assert_non_null(strstr(line, "\"status\":\"closed\",\"status_notes\":\"已安排维修\""));
}

static void test_open311_every_state_has_a_status(void **state)
{
	static const struct {
		int64_t id;
		const char *state, *status;
	} states[] = {
		{ 2, "submitted", "open" },   { 2, "taken", "open" },      { 2, "forwarded", "open" },
		{ 2, "resolved", "closed" },  { 2, "fed_back", "closed" }, { 2, "closed", "closed" },
		{ 3, "filed", "open" },       { 3, "assigned", "open" },   { 3, "accepted", "open" },
		{ 3, "answered", "closed" },  { 3, "rated", "closed" },    { 3, "closed", "closed" },
	};
	fixture *f = *state;
	char sql[128], want[128], line[4096];

	congress(f);
	free(cases(f));
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		snprintf(sql, sizeof(sql), "UPDATE cases SET state = '%s' WHERE id = %d", states[i].state,
		         (int)states[i].id);
		raw_sql(f, sql);
		assert_int_equal(run_export(f, 1, NULL), DT_OK);
		snprintf(want, sizeof(want), "\"service_request_id\":\"%d\"", (int)states[i].id);
		line_of(f, want, line, sizeof(line));
		snprintf(want, sizeof(want), "\"status\":\"%s\"", states[i].status);
		if (!strstr(line, want) || strstr(line, "\"service_notice\":null"))
			fail_msg("state %s: %s", states[i].state, line);
	}
}

static void test_open311_filters(void **state)
{
	fixture *f = *state;
	dt_open311_filter o = DT_OPEN311_FILTER_INIT;

	congress(f);
	free(cases(f));
	o.kind = "suggestion";
	assert_int_equal(run_export(f, 1, &o), DT_OK);
	assert_int_equal(count(f->out, "\"service_request_id\":"), 2);
	assert_null(strstr(f->out, "\"service_code\":\"request\""));
	o.kind = NULL;
	o.from = at(f, "2026-12-16 00:00");
	assert_int_equal(run_export(f, 1, &o), DT_OK);
	assert_string_equal(f->out, "[]\n");
	o.from = at(f, "2026-12-15 00:00");
	o.to = at(f, "2026-12-16 00:00");
	assert_int_equal(run_export(f, 1, &o), DT_OK);
	assert_int_equal(count(f->out, "\"service_request_id\":"), 4);
	o.to = o.from;
	assert_int_equal(run_export(f, 1, &o), DT_EUSAGE);
	o = (dt_open311_filter)DT_OPEN311_FILTER_INIT;
	o.kind = "complaint";
	assert_int_equal(run_export(f, 1, &o), DT_EUSAGE);
	assert_non_null(strstr(dt_errmsg(f->ctx), "kind 'complaint' is not request or suggestion"));
}

/* Whatever bytes the database holds, the output is valid UTF-8 JSON:
 * control characters escaped, invalid sequences as U+FFFD. */
static void test_bad_bytes_do_not_pass_through(void **state)
{
	fixture *f = *state;

	congress(f);
	free(cases(f));
	raw_sql(f, "UPDATE cases SET place = CAST(X'E4BD01C0AF7F41' AS TEXT) WHERE id = 2;"
	           "UPDATE event SET place = CAST(X'FF0A' AS TEXT) WHERE id = 1");
	assert_int_equal(run_export(f, 1, NULL), DT_OK);
	assert_non_null(strstr(f->out, "\"address\":\"\xEF\xBF\xBD\xEF\xBF\xBD\\u0001\xEF\xBF\xBD\xEF\xBF\xBD\x7F" "A\""));
	assert_int_equal(run_export(f, 0, NULL), DT_OK);
	assert_non_null(strstr(f->out, "\"location\":\"\xEF\xBF\xBD\\n\""));
	for (size_t i = 0; i < f->out_len; i++)
		if ((unsigned char)f->out[i] < 0x20 && f->out[i] != '\n')
			fail_msg("a raw control character at %zu", i);
}

static void test_write_failure_is_eio(void **state)
{
	fixture *f = *state;
	FILE *full;

	congress(f);
	free(cases(f));
	full = fopen("/dev/full", "w");
	assert_non_null(full);
	assert_int_equal(dt_export_popolo(f->ctx, NULL, full), DT_EIO);
	assert_non_null(strstr(dt_errmsg(f->ctx), "writing the export failed"));
	fclose(full);
	full = fopen("/dev/full", "w");
	assert_non_null(full);
	assert_int_equal(dt_export_open311(f->ctx, NULL, full), DT_EIO);
	fclose(full);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_popolo_counts_and_ids),
		TEST(test_popolo_escapes_and_masks),
		TEST(test_open311_fields_and_nothing_personal),
		TEST(test_open311_every_state_has_a_status),
		TEST(test_open311_filters),
		TEST(test_bad_bytes_do_not_pass_through),
		TEST(test_write_failure_is_eio),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
