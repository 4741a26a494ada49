/*
 * The e-learning platform's log (rdlz import-learning): dt_learning_import,
 * then the promise that a session already there is not counted again, and
 * the statistics the sessions feed.
 *
 * The first byte picks the encoding (bits 0-1) and the format (bits 4-5).
 */
#include "fuzz.h"

static const char *const encodings[] = { NULL, "utf-8", "gbk", "gb18030" };

static int import(dt_ctx *ctx, const uint8_t *data, size_t size, const char *enc, uint64_t *added)
{
	FILE *in = fz_file(data, size);
	int rc = dt_learning_import(ctx, in, "learning.csv", enc, added);

	fclose(in);
	fz_touch(dt_errmsg(ctx));
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *enc;
	uint64_t added;
	int64_t from, to;
	dt_ctx *ctx;
	dt_writer *w;
	uint8_t flags;

	if (size < 1)
		return 0;
	flags = data[0];
	ctx = fz_ctx();
	enc = encodings[flags & 3];
	if (import(ctx, data + 1, size - 1, enc, &added) == DT_OK) {
		if (import(ctx, data + 1, size - 1, enc, &added) != DT_OK)
			fz_fail("a learning log imported once is refused the second time: %s", dt_errmsg(ctx));
		if (added)
			fz_fail("the same learning log twice added %llu sessions", (unsigned long long)added);
		w = fz_writer(FZ_FORMAT(flags >> 4), 0);
		if (dt_article_list(ctx, NULL, w) != DT_OK)
			fz_fail("list-articles after an import: %s", dt_errmsg(ctx));
		fz_writer_done(w);
		if (dt_period_parse(ctx, "2026", &from, &to) != DT_OK)
			fz_fail("period 2026: %s", dt_errmsg(ctx));
		w = fz_writer(FZ_FORMAT(flags >> 4), 0);
		if (dt_event_period_stats(ctx, from, to, w) != DT_OK)
			fz_fail("event-stats after an import: %s", dt_errmsg(ctx));
		fz_writer_done(w);
	}
	fz_reset();
	return 0;
}
