/*
 * Shared by the unit tests: a fresh database in a temporary directory per
 * test, and a diagnostic sink that keeps what the library reported.
 */
#ifndef DT_TESTUTIL_H
#define DT_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "dutytrack/dutytrack.h"

typedef struct {
	char dir[64];
	char path[96];
	dt_ctx *ctx;
	char diag[8192]; /* every diagnostic line, '\n'-separated */
	char out[65536]; /* what the last writer wrote */
	size_t out_len;
} fixture;

static inline void test_keep_diag(void *ud, const char *msg)
{
	fixture *f = ud;
	size_t n = strlen(f->diag);

	snprintf(f->diag + n, sizeof(f->diag) - n, "%s\n", msg);
}

static inline int test_sink(void *ud, const char *buf, size_t len)
{
	fixture *f = ud;

	if (f->out_len + len >= sizeof(f->out))
		return 1;
	memcpy(f->out + f->out_len, buf, len);
	f->out_len += len;
	f->out[f->out_len] = '\0';
	return 0;
}

/* A writer into f->out; the test frees it. */
static inline dt_writer *test_writer(fixture *f, dt_format fmt, unsigned int flags)
{
	dt_writer *w = NULL;

	f->out_len = 0;
	f->out[0] = '\0';
	assert_int_equal(dt_writer_new(&w, fmt, flags, test_sink, f), DT_OK);
	return w;
}

static inline int test_open(fixture *f, int create)
{
	dt_open_options o = DT_OPEN_OPTIONS_INIT;
	int rc;

	o.path = f->path;
	o.create = create;
	rc = dt_ctx_open(&f->ctx, &o);
	if (f->ctx)
		dt_ctx_set_diag(f->ctx, test_keep_diag, f);
	return rc;
}

static inline int test_setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/dt-unit-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/test.db", f->dir);
	setenv("RDLZ_NOW", "2026-11-28T09:00:00+08:00", 1);
	setenv("RDLZ_ACTOR", "unit", 1);
	unsetenv("RDLZ_DB");
	if (test_open(f, 1) != DT_OK) {
		fprintf(stderr, "setup: %s\n", dt_errmsg(f->ctx));
		return -1;
	}
	*state = f;
	return 0;
}

static inline int test_teardown(void **state)
{
	fixture *f = *state;
	char cmd[128];

	dt_ctx_free(f->ctx);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* Import CSV text given in memory. */
static inline int test_import(fixture *f, const char *csv, int dry_run, dt_import_result *res)
{
	dt_import_options o = DT_IMPORT_OPTIONS_INIT;
	FILE *in = fmemopen((void *)csv, strlen(csv), "r");
	int rc;

	o.name = "roster.csv";
	o.dry_run = dry_run;
	f->diag[0] = '\0';
	rc = dt_deputy_import(f->ctx, in, &o, res);
	fclose(in);
	return rc;
}

#define TEST(fn) cmocka_unit_test_setup_teardown(fn, test_setup, test_teardown)

#endif
