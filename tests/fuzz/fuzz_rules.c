/*
 * Points rules files (rdlz set-rules FILE): dt_rules_load, then the new
 * version shown and a ranking of the fixture's month computed with it, and
 * the explanations of three deputies, whose records must add up to their
 * totals: fuzzed points and caps meet real records.
 *
 * The first byte picks the format of the listings (bits 0-1).
 */
#define _GNU_SOURCE /* memmem */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"

/* The explanation as JSON lines: the points of its records (the lines with
 * a kind) add up to its total (the line noted "total"), but for the
 * rounding of each line, category and the total to hundredths. */
static void check_explanation(const char *text, size_t len)
{
	double sum = 0, total = NAN;
	size_t lines = 0;

	for (const char *line = text, *end; line < text + len; line = end + 1) {
		const char *points;

		end = memchr(line, '\n', (size_t)(text + len - line));
		if (!end)
			end = text + len;
		/* inside a JSON string a quote is escaped: these are the keys */
		points = memmem(line, (size_t)(end - line), ",\"points\":", 10);
		if (!points)
			continue;
		lines++;
		if (memmem(line, (size_t)(end - line), ",\"note\":\"total\"}", 16))
			total = strtod(points + 10, NULL);
		else if (!memmem(line, (size_t)(end - line), ",\"kind\":null,", 12))
			sum += strtod(points + 10, NULL);
	}
	if (isnan(total))
		fz_fail("an explanation without its total: '%.*s'", (int)len, text);
	if (fabs(sum - total) > 0.005 * (double)(lines + 1) + 1e-9 * fabs(total))
		fz_fail("an explanation whose records add up to %.17g, not its total %.17g: '%.*s'", sum, total,
		        (int)len, text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const codes[] = { "RZ0001", "RZ0002", "RZ0003", NULL };
	dt_rank_options o = DT_RANK_OPTIONS_INIT;
	int64_t version;
	dt_ctx *ctx;
	dt_writer *w;
	uint8_t flags;
	FILE *in;
	int rc;

	if (size < 1)
		return 0;
	flags = data[0];
	ctx = fz_ctx();
	in = fz_file(data + 1, size - 1);
	rc = dt_rules_load(ctx, in, "rules.csv", &version);
	fclose(in);
	fz_touch(dt_errmsg(ctx));
	if (rc == DT_OK) {
		w = fz_writer(FZ_FORMAT(flags), 0);
		if (dt_rules_show(ctx, version, w) != DT_OK)
			fz_fail("show-rules of a new version: %s", dt_errmsg(ctx));
		fz_writer_done(w);
		o.period = "2026-11";
		o.rules_version = version;
		if (dt_period_parse(ctx, o.period, &o.from, &o.to) != DT_OK)
			fz_fail("period 2026-11: %s", dt_errmsg(ctx));
		w = fz_writer(FZ_FORMAT(flags), 0);
		if (dt_rank(ctx, &o, w) != DT_OK)
			fz_fail("rank with a new rules version: %s", dt_errmsg(ctx));
		fz_writer_done(w);
		for (const char *const *code = codes; *code; code++) {
			const char *text;
			size_t len;

			w = fz_writer(DT_FORMAT_JSONL, 0);
			if (dt_rank_explain(ctx, &o, *code, w) != DT_OK)
				fz_fail("rank --explain %s with a new rules version: %s", *code, dt_errmsg(ctx));
			text = fz_writer_text(&len);
			check_explanation(text, len);
			fz_writer_done(w);
		}
	}
	fz_reset();
	return 0;
}
