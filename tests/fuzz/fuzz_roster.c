/*
 * Roster CSV (rdlz import-deputies): dt_deputy_import in UTF-8 or GBK,
 * with --dry-run and --ignore-unknown, then what the CLI does next with a
 * roster that came in: list it, and import the same file again (which
 * must be as good the second time).
 *
 * The first byte picks the options: bits 0-1 the encoding, bit 2 dry run,
 * bit 3 ignore unknown columns, bits 4-5 the listing's format.
 */
#include <stdlib.h>
#include "fuzz.h"

static const char *const encodings[] = { NULL, "utf-8", "gbk", "gb18030" };

static int import(dt_ctx *ctx, const uint8_t *data, size_t size, const dt_import_options *o, dt_import_result *res)
{
	FILE *in = fz_file(data, size);
	int rc = dt_deputy_import(ctx, in, o, res);

	fclose(in);
	fz_touch(dt_errmsg(ctx));
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dt_import_options o = DT_IMPORT_OPTIONS_INIT;
	dt_import_result res;
	dt_ctx *ctx;
	dt_writer *w;
	uint8_t flags;

	if (size < 1)
		return 0;
	flags = data[0];
	o.name = "roster.csv";
	o.encoding = encodings[flags & 3];
	o.dry_run = flags >> 2 & 1;
	o.ignore_unknown = flags >> 3 & 1;
	ctx = fz_ctx();
	if (import(ctx, data + 1, size - 1, &o, &res) == DT_OK && !o.dry_run) {
		w = fz_writer(FZ_FORMAT(flags >> 4), DT_WRITE_UNMASK);
		if (dt_deputy_list(ctx, NULL, w) != DT_OK)
			fz_fail("list-deputies after an import: %s", dt_errmsg(ctx));
		fz_writer_done(w);
		if (import(ctx, data + 1, size - 1, &o, &res) != DT_OK)
			fz_fail("a roster imported once is refused the second time: %s", dt_errmsg(ctx));
		w = fz_writer(FZ_FORMAT(flags >> 4), 0);
		if (dt_deputy_stats(ctx, w) != DT_OK)
			fz_fail("deputy-stats after an import: %s", dt_errmsg(ctx));
		fz_writer_done(w);
	}
	fz_reset();
	return 0;
}
