/*
 * Survey definition files (rdlz run-survey create --from FILE):
 * dt_survey_create_from, then what follows for a good one: open it, list
 * the surveys and show its (empty) results.
 *
 * The first byte picks the format of the listings (bits 0-1).
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dt_ctx *ctx;
	dt_writer *w;
	int64_t id;
	uint8_t flags;
	FILE *in;
	int rc;

	if (size < 1)
		return 0;
	flags = data[0];
	ctx = fz_ctx();
	in = fz_file(data + 1, size - 1);
	rc = dt_survey_create_from(ctx, in, "survey.txt", &id);
	fclose(in);
	fz_touch(dt_errmsg(ctx));
	if (rc == DT_OK) {
		rc = dt_survey_open(ctx, id);
		fz_touch(dt_errmsg(ctx));
		w = fz_writer(FZ_FORMAT(flags), 0);
		if (dt_survey_list(ctx, w) != DT_OK)
			fz_fail("list-surveys after a definition: %s", dt_errmsg(ctx));
		fz_writer_done(w);
		w = fz_writer(FZ_FORMAT(flags), 0);
		if (dt_survey_results(ctx, id, w, NULL) != DT_OK)
			fz_fail("survey results of a new survey: %s", dt_errmsg(ctx));
		fz_writer_done(w);
	}
	fz_reset();
	return 0;
}
