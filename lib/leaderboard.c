/*
 * The published leaderboard: leaderboard.json for other systems and a
 * self-contained index.html for the home page (inline CSS, no scripts, no
 * fonts or images from elsewhere): the top three with their photos, copied
 * beside it from the roster's photo field, then the whole table.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "rank_internal.h"
#include "writer_xlsx.h"

#define MAX_PHOTO (5u << 20)

/* The extension of an image by its first bytes, or NULL. */
static const char *image_type(const unsigned char *d, size_t n)
{
	if (n > 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
		return "jpg";
	if (n > 8 && !memcmp(d, "\x89PNG\r\n\x1a\n", 8))
		return "png";
	if (n > 12 && !memcmp(d, "RIFF", 4) && !memcmp(d + 8, "WEBP", 4))
		return "webp";
	return NULL;
}

/* Copy the deputy's photo (a JPEG, PNG or WebP file; a relative path is
 * taken from the working directory, then beside the database) into
 * dir/photos; *name gets "photos/CODE.ext", or "" when there is none to copy. */
static int copy_photo(dt_ctx *ctx, const char *dir, const char *code, const char *photo, char *name, size_t size)
{
	const char *db = dt_ctx_path(ctx), *slash = db ? strrchr(db, '/') : NULL;
	char path[4096], dest[4096];
	unsigned char *data = NULL;
	const char *ext;
	size_t n = 0;
	FILE *f = NULL;
	int rc;

	*name = '\0';
	if (!photo || !*photo || strstr(photo, "://"))
		return DT_OK; /* none, or an address: the placeholder (the page fetches nothing) */
	f = fopen(photo, "rb");
	if (!f && photo[0] != '/' && slash) {
		snprintf(path, sizeof(path), "%.*s/%s", (int)(slash - db), db, photo);
		f = fopen(path, "rb");
	}
	if (!f) {
		dt__diag(ctx, "warning: %s: photo '%.200s' cannot be read (%s); the placeholder is shown", code, photo,
		         strerror(errno));
		return DT_OK;
	}
	data = malloc(MAX_PHOTO + 1);
	if (data)
		n = fread(data, 1, MAX_PHOTO + 1, f);
	fclose(f);
	ext = data && n <= MAX_PHOTO ? image_type(data, n) : NULL;
	if (!ext) {
		dt__diag(ctx, "warning: %s: photo '%.200s' is not a JPEG, PNG or WebP of at most 5 MB; the placeholder is shown",
		         code, photo);
		free(data);
		return DT_OK;
	}
	snprintf(name, size, "photos/%s.%s", code, ext);
	snprintf(dest, sizeof(dest), "%s/%s", dir, name);
	rc = dt__file_write(ctx, dest, data, n, 0644);
	free(data);
	return rc;
}

static const char style[] =
	"*{box-sizing:border-box}body{margin:0;font-family:system-ui,\"Noto Sans CJK SC\",\"Microsoft YaHei\",sans-serif;"
	"color:#1f2328;background:#f6f4ef}header{background:#b3261e;color:#fff;padding:20px 16px}"
	"header h1{margin:0;font-size:22px}header p{margin:4px 0 0;opacity:.85;font-size:14px}"
	"main{max-width:960px;margin:0 auto;padding:16px}.podium{display:flex;gap:12px;flex-wrap:wrap;margin-bottom:20px}"
	".card{flex:1 1 200px;background:#fff;border-radius:12px;padding:16px;text-align:center;"
	"box-shadow:0 1px 3px rgba(0,0,0,.12)}.card img,.card svg{width:96px;height:96px;border-radius:50%;"
	"object-fit:cover;display:block;margin:0 auto 8px}.card .medal{font-size:28px;font-weight:700;color:#b3261e}"
	".card .name{font-size:20px;font-weight:600}.card .meta{color:#59636e;font-size:13px}"
	".card .score{font-size:18px;margin-top:6px}table{width:100%;border-collapse:collapse;background:#fff;"
	"font-size:14px}.scroll{overflow-x:auto;border-radius:12px}th,td{padding:8px 10px;border-bottom:1px solid #eee;"
	"text-align:left;white-space:nowrap}th{background:#f0ebe3}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
	"footer{color:#59636e;font-size:12px;padding:16px;text-align:center}"
	"@media print{body{background:#fff}.card{box-shadow:none;border:1px solid #ccc}}";

static const char placeholder[] =
	"<svg viewBox=\"0 0 96 96\" role=\"img\" aria-label=\"无照片\"><rect width=\"96\" height=\"96\" fill=\"#e7e1d8\"/>"
	"<circle cx=\"48\" cy=\"38\" r=\"18\" fill=\"#b8ad9e\"/><path d=\"M16 90c4-20 18-30 32-30s28 10 32 30z\" "
	"fill=\"#b8ad9e\"/></svg>";

static void html_page(FILE *f, const rank_table *t, const char *period, char photos[3][64], const char *generated)
{
	static const char *const medals[] = { "1", "2", "3" };

	fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>代表履职排行榜 ", f);
	dt__html(f, period);
	fprintf(f, "</title><style>%s</style></head><body>\n<header><h1>代表履职排行榜</h1><p>", style);
	dt__html(f, period);
	fprintf(f, " · %zu 位代表 · 积分规则第 %lld 版 · 生成于 ", t->nrows, (long long)t->version);
	dt__html(f, generated);
	fputs("</p></header>\n<main>\n<section class=\"podium\">\n", f);
	for (size_t i = 0; i < t->nrows && i < 3; i++) {
		const rank_row *r = &t->rows[i];

		fputs("<div class=\"card\">", f);
		if (*photos[i]) {
			fputs("<img src=\"", f);
			dt__html(f, photos[i]);
			fputs("\" alt=\"", f);
			dt__html(f, r->name);
			fputs("\">", f);
		} else {
			fputs(placeholder, f);
		}
		fprintf(f, "<div class=\"medal\">第 %s 名</div><div class=\"name\">", r->rank <= 3 ? medals[r->rank - 1] : "?");
		dt__html(f, r->name);
		fputs("</div><div class=\"meta\">", f);
		dt__html(f, r->delegation);
		fputs(" · ", f);
		dt__html(f, r->code);
		fprintf(f, "</div><div class=\"score\">%g 分 · 指数 %g</div></div>\n", r->total, r->index);
	}
	fputs("</section>\n<div class=\"scroll\"><table><thead><tr><th class=\"n\">名次</th><th>代表</th><th>代表团</th>", f);
	for (size_t c = 0; c < t->ncat; c++) {
		fputs("<th class=\"n\">", f);
		dt__html(f, dt__xlsx_header(t->categories[c])); /* the Chinese name of a default category */
		fputs("</th>", f);
	}
	fputs("<th class=\"n\">总分</th><th class=\"n\">指数</th></tr></thead><tbody>\n", f);
	for (size_t i = 0; i < t->nrows; i++) {
		const rank_row *r = &t->rows[i];

		fprintf(f, "<tr><td class=\"n\">%lld</td><td>", (long long)r->rank);
		dt__html(f, r->name);
		fputs(r->partial ? "<sup title=\"本期部分时间在任\">*</sup>" : "", f);
		fputs("</td><td>", f);
		dt__html(f, r->delegation);
		fputs("</td>", f);
		for (size_t c = 0; c < t->ncat; c++)
			fprintf(f, "<td class=\"n\">%g</td>", r->cat[c]);
		fprintf(f, "<td class=\"n\">%g</td><td class=\"n\">%g</td></tr>\n", r->total, r->index);
	}
	fputs("</tbody></table></div>\n</main>\n<footer>* 本期部分时间在任，指数按在任天数折算。</footer>\n</body></html>\n", f);
}

int dt_leaderboard_publish(dt_ctx *ctx, const dt_rank_options *o, const char *dir)
{
	rank_table t;
	char photos[3][64] = { "", "", "" }, path[4096], generated[40], period[64];
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	dt_writer *w = NULL;
	int rc;

	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return dt__error(ctx, DT_EIO, "cannot create '%s': %s", dir, strerror(errno));
	snprintf(path, sizeof(path), "%s/photos", dir);
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		return dt__error(ctx, DT_EIO, "cannot create '%s': %s", path, strerror(errno));
	if (o->period)
		snprintf(period, sizeof(period), "%s", o->period);
	else
		snprintf(period, sizeof(period), "%lld-%lld", (long long)o->from, (long long)o->to);
	dt_time_format(ctx, dt_ctx_now(ctx), generated, sizeof(generated));
	rc = dt__rank_compute(ctx, o->from, o->to, o->rules_version, &t);
	for (size_t i = 0; rc == DT_OK && i < t.nrows && i < 3; i++) {
		sqlite3_stmt *st;

		rc = dt__prepare(ctx, &st, "SELECT photo FROM deputy WHERE id = ?1");
		if (rc != DT_OK)
			break;
		sqlite3_bind_int64(st, 1, t.rows[i].deputy_id);
		if (sqlite3_step(st) == SQLITE_ROW)
			rc = copy_photo(ctx, dir, t.rows[i].code, (const char *)sqlite3_column_text(st, 0), photos[i],
			                sizeof(photos[i]));
		sqlite3_finalize(st);
	}
	/* leaderboard.json: the period, then the rows as rdlz rank --format json writes them */
	if (rc == DT_OK && !(f = open_memstream(&buf, &len)))
		rc = dt__error(ctx, DT_ENOMEM, "out of memory");
	if (rc == DT_OK) {
		dt_column *cols = malloc((t.ncat + 9) * sizeof(*cols));
		dt_value *v = malloc((t.ncat + 9) * sizeof(*v));

		fprintf(f, "{\"period\":\"%s\",\"rules_version\":%lld,\"generated_at\":\"%s\",\"rows\":", period,
		        (long long)t.version, generated);
		rc = cols && v ? dt_writer_new(&w, DT_FORMAT_JSON, 0, dt_writer_sink_file, f) : DT_ENOMEM;
		if (rc == DT_OK)
			rc = dt_writer_begin(w, cols, dt__rank_columns(&t, cols));
		for (size_t i = 0; rc == DT_OK && i < t.nrows; i++) {
			dt__rank_values(&t, i, v);
			rc = dt_writer_row(w, v);
		}
		if (rc == DT_OK)
			rc = dt_writer_end(w);
		rc = dt__writer_status(ctx, rc);
		dt_writer_free(w);
		free(cols);
		free(v);
		fputs("}\n", f);
		fclose(f);
		snprintf(path, sizeof(path), "%s/leaderboard.json", dir);
		if (rc == DT_OK)
			rc = dt__file_write(ctx, path, buf, len, 0644);
		free(buf);
		buf = NULL;
	}
	if (rc == DT_OK && !(f = open_memstream(&buf, &len)))
		rc = dt__error(ctx, DT_ENOMEM, "out of memory");
	if (rc == DT_OK) {
		html_page(f, &t, period, photos, generated);
		fclose(f);
		snprintf(path, sizeof(path), "%s/index.html", dir);
		rc = dt__file_write(ctx, path, buf, len, 0644);
		free(buf);
	}
	dt__rank_free(&t);
	return rc;
}
