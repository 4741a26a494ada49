/*
 * Join/leave logs (rdlz record-attendance EVENT --from-log): 
 * dt_attendance_import merged with the attendance already stored, then
 * the promise that the same log twice changes nothing, and the listing.
 *
 * The first byte picks the event (bits 0-1: the meeting, the hearing, the
 * event without an end time), the encoding (bits 2-3) and the listing's
 * format (bits 4-5).
 */
#include "fuzz.h"

static const char *const encodings[] = { NULL, "utf-8", "gbk", "gb18030" };

static int import(dt_ctx *ctx, int64_t ev, const uint8_t *data, size_t size, const char *enc,
                  dt_attendance_summary *sum)
{
	FILE *in = fz_file(data, size);
	int rc = dt_attendance_import(ctx, ev, in, "log.csv", enc, sum);

	fclose(in);
	fz_touch(dt_errmsg(ctx));
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const fz_fixture *fx;
	dt_attendance_summary sum;
	const char *enc;
	dt_ctx *ctx;
	dt_writer *w;
	int64_t ev;
	uint8_t flags;

	if (size < 1)
		return 0;
	flags = data[0];
	ctx = fz_ctx();
	fx = fz_fixture_ids();
	ev = (flags & 3) == 1 ? fx->hearing : (flags & 3) == 2 ? fx->open_ended : fx->meeting;
	enc = encodings[flags >> 2 & 3];
	if (import(ctx, ev, data + 1, size - 1, enc, &sum) == DT_OK) {
		if (import(ctx, ev, data + 1, size - 1, enc, &sum) != DT_OK)
			fz_fail("a log imported once is refused the second time: %s", dt_errmsg(ctx));
		if (sum.changed)
			fz_fail("the same log twice changed %llu deputies", (unsigned long long)sum.changed);
		w = fz_writer(FZ_FORMAT(flags >> 4), 0);
		if (dt_attendance_list(ctx, ev, w) != DT_OK)
			fz_fail("list-attendance after an import: %s", dt_errmsg(ctx));
		fz_writer_done(w);
	}
	fz_reset();
	return 0;
}
