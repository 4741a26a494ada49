/*
 * Settings values (rdlz set-config KEY VALUE): dt_config_set over every
 * declared key, the first byte picking it (one past the last: the key is
 * the input up to '=', for the refusal of unknown keys). A value accepted
 * must read back the same, list, and work where the library uses it:
 * qr.base_url signs URLs that verify, time.zone places dates, the code
 * format numbers a new deputy, the field limit reads a roster.
 */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"

static void use_base_url(dt_ctx *ctx, const char *value)
{
	char *url = NULL, *code = NULL;

	if (dt_qr_url(ctx, "RZ0001", &url) != DT_OK)
		fz_fail("qr.base_url '%s' accepted, but no URL is made from it: %s", value, dt_errmsg(ctx));
	if (dt_qr_deputy(ctx, url, &code) != DT_OK || strcmp(code, "RZ0001") != 0)
		fz_fail("qr.base_url '%s' accepted, but its URL '%s' does not verify: %s", value, url, dt_errmsg(ctx));
	free(code);
	free(url);
}

static void use_zone(dt_ctx *ctx, const char *value)
{
	int64_t t, from, to;
	char buf[64];

	if (dt_date_parse(ctx, "2026-11-28", &t) != DT_OK)
		fz_fail("time.zone '%s' accepted, but a date cannot be placed: %s", value, dt_errmsg(ctx));
	dt_time_format(ctx, t, buf, sizeof(buf));
	fz_touch(buf);
	if (dt_period_parse(ctx, "2026-Q4", &from, &to) != DT_OK || from >= to)
		fz_fail("time.zone '%s' accepted, but a period cannot be placed: %s", value, dt_errmsg(ctx));
}

static void use_code_format(dt_ctx *ctx, const char *key, const char *value)
{
	dt_deputy_fields f = { { 0 } };
	char *code = NULL;
	uint64_t n;

	f.value[DT_DEPUTY_NAME] = "孙八";
	if (dt_deputy_add(ctx, &f, &code) != DT_OK)
		fz_fail("%s '%s' accepted, but a deputy cannot be added: %s", key, value, dt_errmsg(ctx));
	fz_touch(code);
	free(code);
	if (dt_deputy_assign_codes(ctx, NULL, 0, &n) != DT_OK)
		fz_fail("%s '%s' accepted, but codes cannot be assigned: %s", key, value, dt_errmsg(ctx));
}

static void use_field_limit(dt_ctx *ctx, const char *value)
{
	static const char csv[] = "code,name\nRZ0009,周九\n";
	dt_import_options o = DT_IMPORT_OPTIONS_INIT;
	FILE *in = fz_file((const uint8_t *)csv, sizeof(csv) - 1);

	if (dt_deputy_import(ctx, in, &o, NULL) != DT_OK)
		fz_fail("import.max_field_bytes '%s' accepted, but a small roster is refused: %s", value, dt_errmsg(ctx));
	fclose(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t nkeys = dt_config_count(), k;
	char *text, *key, *value, *back = NULL;
	dt_ctx *ctx;
	dt_writer *w;

	if (size < 1)
		return 0;
	ctx = fz_ctx();
	k = data[0] % (nkeys + 1);
	text = fz_string(data + 1, size - 1);
	if (k < nkeys) {
		key = (char *)dt_config_key(k);
		value = text;
	} else {
		key = text;
		value = strchr(text, '=');
		value = value ? (*value++ = '\0', value) : text + strlen(text);
	}
	if (dt_config_set(ctx, key, value) == DT_OK) {
		if (dt_config_get(ctx, key, &back) != DT_OK || strcmp(back, value) != 0)
			fz_fail("%s = '%s' reads back as '%s'", key, value, back ? back : "(error)");
		free(back);
		w = fz_writer(FZ_FORMAT(data[0] >> 6), 0);
		if (dt_config_list(ctx, key, w) != DT_OK)
			fz_fail("list-config %s: %s", key, dt_errmsg(ctx));
		fz_writer_done(w);
		if (!strcmp(key, "qr.base_url"))
			use_base_url(ctx, value);
		else if (!strcmp(key, "time.zone"))
			use_zone(ctx, value);
		else if (!strcmp(key, "deputy.code_prefix") || !strcmp(key, "deputy.code_width"))
			use_code_format(ctx, key, value);
		else if (!strcmp(key, "import.max_field_bytes"))
			use_field_limit(ctx, value);
	}
	fz_touch(dt_errmsg(ctx));
	free(text);
	fz_reset();
	return 0;
}
