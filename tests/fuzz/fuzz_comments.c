/*
 * The streaming service's comment export (rdlz import-comments EVENT):
 * dt_comment_import, then the promise that a comment already there is not
 * added again, and the listing with hidden ones.
 *
 * The first byte picks the event (bit 0: the meeting or the hearing, whose
 * comments are messages; bit 1: the event without an end), the encoding
 * (bits 2-3) and the listing's format (bits 4-5).
 */
#include "fuzz.h"

static const char *const encodings[] = { NULL, "utf-8", "gbk", "gb18030" };

static int import(dt_ctx *ctx, int64_t ev, const uint8_t *data, size_t size, const char *enc, uint64_t *added)
{
	FILE *in = fz_file(data, size);
	int rc = dt_comment_import(ctx, ev, in, "comments.csv", enc, added);

	fclose(in);
	fz_touch(dt_errmsg(ctx));
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const fz_fixture *fx;
	const char *enc;
	uint64_t added;
	dt_ctx *ctx;
	dt_writer *w;
	int64_t ev;
	uint8_t flags;

	if (size < 1)
		return 0;
	flags = data[0];
	ctx = fz_ctx();
	fx = fz_fixture_ids();
	ev = flags & 2 ? fx->open_ended : flags & 1 ? fx->hearing : fx->meeting;
	enc = encodings[flags >> 2 & 3];
	if (import(ctx, ev, data + 1, size - 1, enc, &added) == DT_OK) {
		if (import(ctx, ev, data + 1, size - 1, enc, &added) != DT_OK)
			fz_fail("comments imported once are refused the second time: %s", dt_errmsg(ctx));
		if (added)
			fz_fail("the same comments twice added %llu", (unsigned long long)added);
		w = fz_writer(FZ_FORMAT(flags >> 4), 0);
		if (dt_comment_list(ctx, ev, 1, w) != DT_OK)
			fz_fail("list-comments after an import: %s", dt_errmsg(ctx));
		fz_writer_done(w);
	}
	fz_reset();
	return 0;
}
