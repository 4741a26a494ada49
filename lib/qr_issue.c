/*
 * Issuing codes: choose the deputies, sign their URLs, write one file each
 * (replaced atomically: written beside, then renamed), record the issue.
 * The files are renamed into place only once the issue is committed: a run
 * that fails part way (a full disk) leaves no file behind, none of whose
 * codes would verify when the run made the signing key.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "qr_internal.h"

#define DEPUTY_CARD "SELECT id, code, name, post, delegation, grid, station, phone, status FROM deputy"

typedef struct {
	dt_ctx *ctx;
	const dt_qr_options *o;
	const char *dir;
	dt_writer *w;
	mode_t file_mode;
	dt_qr_signer sg;
	char **done;          /* written files: temporary name, final name, ... */
	size_t ndone, cap_done;
} issuer;

static const dt_column issue_columns[] = {
	{ "code", DT_COL_TEXT, 0 },
	{ "file", DT_COL_TEXT, 0 },
	{ "key_id", DT_COL_TEXT, 0 },
	{ "url", DT_COL_TEXT, 0 },
};

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* Write the image of one code to path through a temporary file. */
/* analyzer: the path copy is owned by is->done[], freed by finish_files */
DT__ANALYZER_NOT_A_LEAK_BEGIN
static int write_file(issuer *is, const QRcode *qr, sqlite3_stmt *st, const char *path)
{
	size_t n = strlen(path) + 16;
	char *tmp = malloc(n);
	FILE *f;
	int fd, rc, scale = 0;

	if (!tmp)
		return dt__error(is->ctx, DT_ENOMEM, "out of memory");
	snprintf(tmp, n, "%s.tmp-XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0 || !(f = fdopen(fd, "wb"))) {
		rc = dt__error(is->ctx, DT_EIO, "cannot write '%s': %s", path, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		return rc;
	}
	/* posters are public: the usual file mode, not mkstemp's 0600 */
	fchmod(fd, is->file_mode);
	rc = dt__qr_scale(is->ctx, qr, is->o->margin, is->o->size, &scale);
	if (rc == DT_OK) {
		if (is->o->type == DT_QR_PNG) {
			rc = dt__qr_write_png(qr, is->o->margin, scale, f);
		} else if (is->o->type == DT_QR_SVG) {
			rc = dt__qr_write_svg(qr, is->o->margin, scale, f);
		} else {
			dt_qr_poster p = { col(st, 1), col(st, 2), col(st, 3), col(st, 4),
			                   col(st, 5), col(st, 6), col(st, 7) };
			rc = dt__qr_write_poster(qr, &p, f);
		}
		if (rc != DT_OK && rc != DT_EUSAGE)
			rc = dt__error(is->ctx, rc, "cannot write '%s': %s", path, strerror(errno));
	}
	if (fclose(f) != 0 && rc == DT_OK)
		rc = dt__error(is->ctx, DT_EIO, "cannot write '%s': %s", path, strerror(errno));
	if (rc == DT_OK && is->ndone + 2 > is->cap_done) {
		size_t cap = is->cap_done ? 2 * is->cap_done : 64;
		char **d = realloc(is->done, cap * sizeof(*d));

		if (d) {
			is->done = d;
			is->cap_done = cap;
		} else {
			rc = dt__error(is->ctx, DT_ENOMEM, "out of memory");
		}
	}
	if (rc == DT_OK) {
		/* renamed into place by finish_files, once the issue is committed */
		is->done[is->ndone] = tmp;
		if (!(is->done[is->ndone + 1] = strdup(path)))
			rc = dt__error(is->ctx, DT_ENOMEM, "out of memory");
		else
			is->ndone += 2;
	}
	if (rc != DT_OK) {
		unlink(tmp);
		free(tmp);
	}
	return rc;
}
DT__ANALYZER_NOT_A_LEAK_END

/* Put the written files in place (rc DT_OK: the issue was committed), or
 * remove them. */
static int finish_files(issuer *is, int rc)
{
	for (size_t i = 0; i < is->ndone; i += 2) {
		if (rc == DT_OK && rename(is->done[i], is->done[i + 1]) != 0)
			rc = dt__error(is->ctx, DT_EIO, "cannot replace '%s': %s", is->done[i + 1], strerror(errno));
		if (rc != DT_OK)
			unlink(is->done[i]);
		free(is->done[i]);
		free(is->done[i + 1]);
	}
	free(is->done);
	is->done = NULL;
	is->ndone = is->cap_done = 0;
	return rc;
}

/* Sign, encode, write and record the deputy at st's current row. */
static int issue_one(issuer *is, sqlite3_stmt *st)
{
	const char *code = col(st, 1);
	char *url = NULL, *path;
	QRcode *qr = NULL;
	size_t n = strlen(is->dir) + strlen(code) + 8;
	int rc;

	path = malloc(n);
	if (!path)
		return dt__error(is->ctx, DT_ENOMEM, "out of memory");
	snprintf(path, n, "%s/%s.%s", is->dir, code, is->o->type == DT_QR_PNG ? "png" : "svg");
	rc = dt__qr_sign(is->ctx, &is->sg, code, &url);
	if (rc == DT_OK)
		rc = dt__qr_encode(is->ctx, url, is->o->level, &qr);
	if (rc == DT_OK)
		rc = write_file(is, qr, st, path);
	if (rc == DT_OK)
		rc = dt__qr_record(is->ctx, sqlite3_column_int64(st, 0), is->sg.kid, is->o->type);
	if (rc == DT_OK) {
		dt_value v[4] = { { 0 } };

		v[0].text = code;
		v[1].text = path;
		v[2].text = is->sg.kid;
		v[3].text = url;
		rc = dt__writer_status(is->ctx, dt_writer_row(is->w, v));
	}
	QRcode_free(qr);
	free(url);
	free(path);
	return rc;
}

/* Every named code must be a serving deputy before any file is written. */
static int check_named(dt_ctx *ctx, const dt_qr_selection *sel)
{
	for (size_t i = 0; i < sel->ncodes; i++) {
		int64_t id;
		int retired = 0;
		int rc = dt__deputy_lookup(ctx, sel->codes[i], &id, &retired);

		if (rc != DT_OK)
			return rc;
		if (retired)
			return dt__error(ctx, DT_EUSAGE, "deputy %s is retired: retired deputies get no code",
			                 sel->codes[i]);
	}
	return DT_OK;
}

static int check_dir(dt_ctx *ctx, const char *dir)
{
	struct stat sb;

	if (!dir || !*dir)
		return dt__error(ctx, DT_EUSAGE, "no directory to write the codes to (--out DIR)");
	if (stat(dir, &sb) != 0)
		return dt__error(ctx, DT_EUSAGE, "cannot write to '%s': %s", dir, strerror(errno));
	if (!S_ISDIR(sb.st_mode))
		return dt__error(ctx, DT_EUSAGE, "cannot write to '%s': not a directory", dir);
	if (access(dir, W_OK | X_OK) != 0)
		return dt__error(ctx, DT_EUSAGE, "cannot write to '%s': %s", dir, strerror(errno));
	return DT_OK;
}

static int check_options(dt_ctx *ctx, const dt_qr_options *o)
{
	if (o->size < 0 || o->size > 20000)
		return dt__error(ctx, DT_EUSAGE, "--size %d is not from 1 to 20000 pixels", o->size);
	if (o->margin < 0 || o->margin > 40)
		return dt__error(ctx, DT_EUSAGE, "--margin %d is not from 0 to 40 modules", o->margin);
	if (!strchr("LMQH", o->level) || !o->level)
		return dt__error(ctx, DT_EUSAGE, "error correction level '%c' is not L, M, Q or H", o->level);
	return DT_OK;
}

static int issue_selected(issuer *is, const dt_qr_selection *sel)
{
	sqlite3_stmt *st;
	int rc;

	if (sel->ncodes > 0) {
		rc = dt__prepare(is->ctx, &st, DEPUTY_CARD " WHERE code = ?1");
		for (size_t i = 0; rc == DT_OK && i < sel->ncodes; i++) {
			sqlite3_bind_text(st, 1, sel->codes[i], -1, SQLITE_STATIC);
			if (sqlite3_step(st) == SQLITE_ROW)
				rc = issue_one(is, st);
			sqlite3_reset(st);
		}
	} else {
		rc = dt__prepare(is->ctx, &st,
		                 DEPUTY_CARD " WHERE status = 'active' AND code IS NOT NULL"
		                 " AND (?1 IS NULL OR delegation = ?1) AND (?2 IS NULL OR station = ?2) ORDER BY id");
		if (rc != DT_OK)
			return rc;
		dt__bind_text_or_null(st, 1, sel->delegation);
		dt__bind_text_or_null(st, 2, sel->station);
		while (rc == DT_OK && dt__next(is->ctx, st, &rc))
			rc = issue_one(is, st);
	}
	sqlite3_finalize(st);
	return rc;
}

int dt_qr_issue(dt_ctx *ctx, const dt_qr_selection *sel, const dt_qr_options *opts, const char *dir,
                dt_writer *w)
{
	dt_qr_options o = DT_QR_OPTIONS_INIT;
	issuer is = { ctx, NULL, dir, w, 0644, { 0 }, NULL, 0, 0 };
	mode_t mask = umask(0);
	int rc;

	umask(mask);
	is.file_mode = 0666 & ~mask;
	if (opts)
		o = *opts;
	is.o = &o;
	if (o.type == DT_QR_UTF8)
		return dt__error(ctx, DT_EUSAGE, "utf8 codes are drawn on the terminal, not written to files");
	rc = check_options(ctx, &o);
	if (rc == DT_OK)
		rc = check_dir(ctx, dir);
	if (rc != DT_OK)
		return rc;
	rc = dt__begin(ctx);
	if (rc != DT_OK)
		return rc;
	rc = check_named(ctx, sel);
	if (rc == DT_OK)
		rc = dt__qr_signer_init(ctx, &is.sg);
	if (rc == DT_OK)
		rc = dt__writer_status(ctx, dt_writer_begin(w, issue_columns, 4));
	if (rc == DT_OK)
		rc = issue_selected(&is, sel);
	if (rc == DT_OK)
		rc = dt__audit(ctx, "issued %llu %s QR codes into %s", (unsigned long long)dt_writer_rows(w),
		               dt__qr_type_name(o.type), dir);
	if (rc == DT_OK)
		rc = dt__writer_status(ctx, dt_writer_end(w));
	dt__qr_signer_free(&is.sg);
	return finish_files(&is, dt__end(ctx, rc));
}

int dt_qr_draw(dt_ctx *ctx, const char *code, const dt_qr_options *opts, dt_sink_fn sink, void *userdata)
{
	dt_qr_options o = DT_QR_OPTIONS_INIT;
	dt_qr_selection sel = { &code, 1, NULL, NULL };
	dt_qr_signer sg = { 0 };
	char *url = NULL;
	QRcode *qr = NULL;
	int64_t id;
	int rc;

	if (opts)
		o = *opts;
	rc = check_options(ctx, &o);
	if (rc != DT_OK)
		return rc;
	rc = dt__begin(ctx);
	if (rc != DT_OK)
		return rc;
	rc = check_named(ctx, &sel);
	if (rc == DT_OK)
		rc = dt__deputy_lookup(ctx, code, &id, NULL);
	if (rc == DT_OK)
		rc = dt__qr_signer_init(ctx, &sg);
	if (rc == DT_OK)
		rc = dt__qr_sign(ctx, &sg, code, &url);
	if (rc == DT_OK)
		rc = dt__qr_encode(ctx, url, o.level, &qr);
	if (rc == DT_OK && (rc = dt__qr_draw_utf8(qr, o.margin, sink, userdata)) != DT_OK)
		rc = dt__writer_status(ctx, rc);
	if (rc == DT_OK)
		rc = dt__qr_record(ctx, id, sg.kid, DT_QR_UTF8);
	dt__qr_signer_free(&sg);
	QRcode_free(qr);
	free(url);
	return dt__end(ctx, rc);
}
