/*
 * Departments CSV (rdlz import-departments FILE): dt_department_import,
 * then the list, and the same file again (it updates by code, so it must
 * be as good the second time).
 *
 * The first byte picks the format of the listing (bits 0-1).
 */
#include "fuzz.h"

static int import(dt_ctx *ctx, const uint8_t *data, size_t size, uint64_t *count)
{
	FILE *in = fz_file(data, size);
	int rc = dt_department_import(ctx, in, "departments.csv", count);

	fclose(in);
	fz_touch(dt_errmsg(ctx));
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t count;
	dt_ctx *ctx;
	dt_writer *w;

	if (size < 1)
		return 0;
	ctx = fz_ctx();
	if (import(ctx, data + 1, size - 1, &count) == DT_OK) {
		if (import(ctx, data + 1, size - 1, &count) != DT_OK)
			fz_fail("departments imported once are refused the second time: %s", dt_errmsg(ctx));
		w = fz_writer(FZ_FORMAT(data[0]), 0);
		if (dt_department_list(ctx, w) != DT_OK)
			fz_fail("list-departments after an import: %s", dt_errmsg(ctx));
		fz_writer_done(w);
	}
	fz_reset();
	return 0;
}
