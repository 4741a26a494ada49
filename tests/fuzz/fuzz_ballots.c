/*
 * Ballots cast in a batch (rdlz run-survey vote --from FILE):
 * dt_survey_vote_import into an open survey, then its results.
 *
 * The first byte picks the survey (bit 0: two questions of 满意/基本满意/
 * 不满意, or a secret one of three scored 1-5 for delegation 甲), the
 * batch's channel (bits 1-2: none, online, onsite, a bad one), the encoding
 * (bits 3-4) and the format of the results (bits 5-6).
 */
#include "fuzz.h"

static const char *const channels[] = { NULL, "online", "onsite", "paper" };
static const char *const encodings[] = { NULL, "utf-8", "gbk", "gb18030" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const fz_fixture *fx;
	uint64_t count;
	int64_t survey;
	dt_ctx *ctx;
	dt_writer *w;
	uint8_t flags;
	FILE *in;
	int rc;

	if (size < 1)
		return 0;
	flags = data[0];
	ctx = fz_ctx();
	fx = fz_fixture_ids();
	survey = flags & 1 ? fx->survey5 : fx->survey;
	in = fz_file(data + 1, size - 1);
	rc = dt_survey_vote_import(ctx, survey, in, "ballots.csv", encodings[flags >> 3 & 3], channels[flags >> 1 & 3],
	                           &count);
	fclose(in);
	fz_touch(dt_errmsg(ctx));
	if (rc == DT_OK) {
		w = fz_writer(FZ_FORMAT(flags >> 5), 0);
		if (dt_survey_results(ctx, survey, w, NULL) != DT_OK)
			fz_fail("survey results after a batch: %s", dt_errmsg(ctx));
		fz_writer_done(w);
	}
	fz_reset();
	return 0;
}
