/*
 * The pages of the online liaison station (rdlz serve): a scanned code's
 * deputy card and request form, the answer to a submitted request, refusals,
 * the published leaderboard and the health check. Each page is rendered
 * whole into memory with open_memstream; every text from the database or the
 * visitor goes through dt__html. No page writes personal data anywhere but
 * into the database (the citizen's name and phone go to the case only).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "qr_internal.h"
#include "web_internal.h"

#define MAX_FILE (16u << 20)

static const char style[] =
	"*{box-sizing:border-box}"
	"body{margin:0;font-family:system-ui,-apple-system,\"PingFang SC\",\"Noto Sans CJK SC\",sans-serif;"
	"background:#f4f1ec;color:#222;line-height:1.6;font-size:16px}"
	"header{background:#b71c1c;color:#fff;padding:.8em 1em;font-weight:bold}"
	"main{max-width:40em;margin:0 auto;padding:1em}"
	".card{background:#fff;border-radius:8px;padding:1em;margin-bottom:1em;box-shadow:0 1px 3px rgba(0,0,0,.1)}"
	".who{display:flex;gap:1em;align-items:center}"
	".who img,.ph{width:84px;height:112px;object-fit:cover;border-radius:6px;background:#ddd;flex:none}"
	".ph{display:flex;align-items:center;justify-content:center;color:#777}"
	"h1{font-size:1.3em;margin:.2em 0}dl{margin:.5em 0}dt{color:#777;float:left;width:5em}dd{margin:0 0 .3em 5em}"
	"label{display:block;margin:.8em 0 .2em}"
	"input,textarea{width:100%;font:inherit;padding:.5em;border:1px solid #bbb;border-radius:6px;background:#fff}"
	"textarea{min-height:8em}"
	"button{margin-top:1em;width:100%;padding:.8em;font:inherit;font-weight:bold;color:#fff;background:#b71c1c;"
	"border:0;border-radius:6px}"
	".warn{border-left:6px solid #e65100}.ok{border-left:6px solid #2e7d32}"
	".num{font-family:ui-monospace,monospace;font-size:1.2em;word-break:break-all;background:#f4f1ec;padding:.2em .4em}"
	"ol{padding-left:1.2em}small{color:#777}";

void dt__web_head(FILE *f, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	      "<meta name=\"referrer\" content=\"no-referrer\"><title>",
	      f);
	dt__html(f, title);
	fprintf(f, "</title><style>%s</style></head><body><header>人大代表在线联络站</header><main>\n", style);
}

void dt__web_foot(FILE *f)
{
	fputs("</main></body></html>\n", f);
}

void dt_web_page_clear(dt_web_page *p)
{
	if (!p)
		return;
	free(p->body);
	p->body = NULL;
	p->len = 0;
	p->status = 0;
	p->type = NULL;
}

/* Start rendering into memory. */
static FILE *page_open(dt_web_page *out, char **buf, size_t *len)
{
	out->body = NULL;
	out->len = 0;
	*buf = NULL;
	*len = 0;
	return open_memstream(buf, len);
}

/* Finish rendering: the page is out's on DT_OK. */
static int page_close(FILE *f, char **buf, const size_t *len, int status, dt_web_page *out)
{
	int bad = ferror(f);

	if (fclose(f) != 0 || bad || !*buf) {
		free(*buf);
		*buf = NULL;
		return DT_ENOMEM;
	}
	out->body = *buf;
	out->len = *len;
	out->status = status;
	out->type = "text/html; charset=utf-8";
	return DT_OK;
}

int dt_web_message_page(int status, const char *title, const char *text, dt_web_page *out)
{
	char *buf;
	size_t len;
	FILE *f = page_open(out, &buf, &len);

	if (!f)
		return DT_ENOMEM;
	dt__web_head(f, title);
	fprintf(f, "<div class=\"card %s\"><h1>", status < 400 ? "ok" : "warn");
	dt__html(f, title);
	fputs("</h1><p>", f);
	dt__html(f, text);
	fputs("</p></div>\n", f);
	dt__web_foot(f);
	return page_close(f, &buf, &len, status, out);
}

/* A code or signature as it may appear in a URL. */
static int url_safe(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;

	return n > 0 && n <= max &&
	       strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") == n;
}

/* Whether the scanned code /d/<code>?s=<sig> is genuine, as an HTTP status:
 * 200 genuine and serving, 404 forged or unknown, 410 revoked or no longer
 * serving, 503 not set up or busy, 500 otherwise. */
static int check_code(dt_ctx *ctx, const char *code, const char *sig)
{
	char *base = NULL, *url, *who = NULL;
	size_t n, size;
	int rc, withdrawn;

	if (!url_safe(code, 39) || !url_safe(sig, 40))
		return 404;
	rc = dt__config_text(ctx, "qr.base_url", &base);
	if (rc != DT_OK)
		return rc == DT_EBUSY ? 503 : 500;
	n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		base[--n] = '\0';
	if (n == 0) {
		free(base);
		return 503;
	}
	size = n + strlen(code) + strlen(sig) + 8;
	url = malloc(size);
	if (!url) {
		free(base);
		return 500;
	}
	snprintf(url, size, "%s/d/%s?s=%s", base, code, sig);
	free(base);
	rc = dt__qr_deputy(ctx, url, &who, &withdrawn);
	free(url);
	free(who);
	if (rc == DT_OK)
		return 200;
	if (rc != DT_EVERIFY)
		return rc == DT_EBUSY ? 503 : 500;
	if (withdrawn)
		return 410;
	return 404;
}

/* The refusal page of a check_code status. */
static int code_refusal(int status, dt_web_page *out)
{
	switch (status) {
	case 404:
		return dt_web_message_page(404, "二维码无法验证",
		                           "这个二维码不是本联络站签发的，或已被篡改。请勿在此页面提交任何个人信息，"
		                           "可向当地人大常委会核实代表的联系方式。",
		                           out);
	case 410:
		return dt_web_message_page(410, "二维码已停用",
		                           "这个二维码已经停用（代表已不再履职，或二维码已更换）。"
		                           "请扫描联络站张贴的最新二维码。",
		                           out);
	case 503:
		return dt_web_message_page(503, "暂时无法服务", "联络站暂时无法处理，请稍后再试。", out);
	default:
		return dt_web_message_page(500, "出错了", "联络站出现内部错误，请稍后再试。", out);
	}
}

/* One line of the card, left out when empty. */
static void card_line(FILE *f, const char *label, const unsigned char *value)
{
	if (!value || !*value)
		return;
	fprintf(f, "<dt>%s</dt><dd>", label);
	dt__html(f, (const char *)value);
	fputs("</dd>", f);
}

/* A photo the page may show: an address, or an inline image. */
static int photo_shown(const char *p)
{
	return p && (strncmp(p, "https://", 8) == 0 || strncmp(p, "http://", 7) == 0 ||
	             strncmp(p, "data:image/jpeg;base64,", 23) == 0 || strncmp(p, "data:image/png;base64,", 22) == 0 ||
	             strncmp(p, "data:image/webp;base64,", 23) == 0);
}

int dt_web_deputy_page(dt_ctx *ctx, const char *code, const char *sig, const char *csrf, dt_web_page *out)
{
	sqlite3_stmt *st;
	char *buf;
	size_t len;
	FILE *f;
	int status = check_code(ctx, code, sig);

	if (status != 200)
		return code_refusal(status, out);
	if (dt__prepare(ctx, &st, "SELECT name, post, delegation, grid, station, phone, photo FROM deputy WHERE code = ?1") !=
	    DT_OK)
		return code_refusal(500, out);
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return code_refusal(404, out);
	}
	f = page_open(out, &buf, &len);
	if (!f) {
		sqlite3_finalize(st);
		return DT_ENOMEM;
	}
	dt__web_head(f, "联系人大代表");
	fputs("<div class=\"card\"><div class=\"who\">", f);
	if (photo_shown((const char *)sqlite3_column_text(st, 6))) {
		fputs("<img alt=\"代表照片\" src=\"", f);
		dt__html(f, (const char *)sqlite3_column_text(st, 6));
		fputs("\">", f);
	} else {
		fputs("<div class=\"ph\">代表</div>", f);
	}
	fputs("<div><h1>", f);
	dt__html(f, (const char *)sqlite3_column_text(st, 0));
	fputs("</h1><small>已验证的代表二维码</small></div></div><dl>", f);
	card_line(f, "职务", sqlite3_column_text(st, 1));
	card_line(f, "代表团", sqlite3_column_text(st, 2));
	card_line(f, "网格", sqlite3_column_text(st, 3));
	card_line(f, "联络站", sqlite3_column_text(st, 4));
	card_line(f, "电话", sqlite3_column_text(st, 5));
	fputs("</dl></div>\n", f);
	sqlite3_finalize(st);
	fputs("<form class=\"card\" method=\"post\" enctype=\"multipart/form-data\" action=\"", f);
	dt__html(f, code);
	fputs("\"><h1>向代表反映诉求</h1><input type=\"hidden\" name=\"s\" value=\"", f);
	dt__html(f, sig);
	fputs("\"><input type=\"hidden\" name=\"csrf\" value=\"", f);
	dt__html(f, csrf);
	fputs("\">"
	      "<label for=\"text\">诉求内容（必填）</label>"
	      "<textarea id=\"text\" name=\"text\" required maxlength=\"5000\"></textarea>"
	      "<label for=\"name\">您的称呼（选填）</label><input id=\"name\" name=\"name\" maxlength=\"50\">"
	      "<label for=\"phone\">手机号码（选填，便于代表回复）</label>"
	      "<input id=\"phone\" name=\"phone\" type=\"tel\" inputmode=\"tel\" maxlength=\"20\">"
	      "<label for=\"place\">地点（选填）</label><input id=\"place\" name=\"place\" maxlength=\"200\">"
	      "<label for=\"photo\">照片（选填，一张）</label>"
	      "<input id=\"photo\" name=\"photo\" type=\"file\" accept=\"image/jpeg,image/png,image/webp,image/heic\">"
	      "<button type=\"submit\">提交</button>"
	      "<p><small>您的称呼和电话只用于代表联系您，不会公开。</small></p></form>\n",
	      f);
	dt__web_foot(f);
	return page_close(f, &buf, &len, 200, out);
}

/* A form field, NULL when absent or empty. */
static const char *field(const dt_web_form *form, const char *name)
{
	const char *v = dt_web_form_get(form, name, NULL);

	return v && *v ? v : NULL;
}

/* Write the uploaded photo to a private temporary file; *path (free()). */
static int photo_file(dt_ctx *ctx, const unsigned char *data, size_t n, char **path)
{
	const char *dir = getenv("TMPDIR");
	size_t size;
	int fd;

	size = strlen(dir && *dir ? dir : "/tmp") + 32;
	*path = malloc(size);
	if (!*path)
		return dt__error(ctx, DT_ENOMEM, "out of memory");
	snprintf(*path, size, "%s/rdlz-photo-XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(*path);
	if (fd < 0) {
		free(*path);
		*path = NULL;
		return dt__error(ctx, DT_EIO, "a temporary file for a photo: %s", strerror(errno));
	}
	for (size_t off = 0; off < n;) {
		ssize_t w = write(fd, data + off, n - off);

		if (w <= 0) {
			close(fd);
			unlink(*path);
			free(*path);
			*path = NULL;
			return dt__error(ctx, DT_EIO, "writing a photo to a temporary file");
		}
		off += (size_t)w;
	}
	if (close(fd) != 0) {
		unlink(*path);
		free(*path);
		*path = NULL;
		return dt__error(ctx, DT_EIO, "writing a photo to a temporary file");
	}
	return DT_OK;
}

static int bad_input(const char *text, dt_web_page *out)
{
	return dt_web_message_page(400, "提交的内容有误", text, out);
}

int dt_web_submit(dt_ctx *ctx, const char *code, const dt_web_form *form, dt_web_page *out, char **tracking)
{
	dt_case_new c = DT_CASE_NEW_INIT;
	const unsigned char *photo;
	const char *photos[1];
	char *path = NULL, *trk = NULL, *buf;
	size_t plen = 0, len;
	FILE *f;
	int rc, status;

	if (tracking)
		*tracking = NULL;
	status = check_code(ctx, code, dt_web_form_get(form, "s", NULL));
	if (status != 200)
		return code_refusal(status, out);
	c.deputy = code;
	c.channel = "qr";
	c.text = field(form, "text");
	c.citizen = field(form, "name");
	c.phone = field(form, "phone");
	c.place = field(form, "place");
	if (!c.text)
		return bad_input("请填写诉求内容。", out);
	if (c.phone && !dt__phone_valid(c.phone))
		return bad_input("手机号码格式不正确，请填写 11 位手机号码或固定电话，也可以不填。", out);
	if ((c.citizen && strpbrk(c.citizen, "\r\n")) || (c.place && strpbrk(c.place, "\r\n")))
		return bad_input("称呼和地点只能填写一行。", out);
	photo = dt_web_form_file(form, "photo", &plen);
	if (photo) {
		rc = photo_file(ctx, photo, plen, &path);
		if (rc != DT_OK)
			return code_refusal(500, out);
		photos[0] = path;
		c.photos = photos;
		c.nphotos = 1;
	}
	rc = dt_case_submit_request(ctx, &c, NULL, &trk);
	if (path) {
		unlink(path);
		free(path);
	}
	if (rc == DT_EDATA && photo && strncmp(dt_errmsg(ctx), "photo '", 7) == 0)
		return bad_input("照片须是 JPEG、PNG、WebP 或 HEIC 图片，且不超过 20 MB。", out);
	if (rc == DT_EDATA)
		return bad_input("内容过长或格式不正确（诉求不超过 20000 字节，称呼不超过 100 字节，地点不超过 500 字节）。",
		                 out);
	if (rc == DT_ESTATE || rc == DT_ENOTFOUND)
		return code_refusal(410, out);
	if (rc != DT_OK)
		return code_refusal(rc == DT_EBUSY ? 503 : 500, out);
	f = page_open(out, &buf, &len);
	if (!f) {
		free(trk);
		return DT_ENOMEM;
	}
	dt__web_head(f, "诉求已提交");
	fputs("<div class=\"card ok\"><h1>诉求已提交</h1><p>代表会尽快处理您的诉求。请记下查询号：</p><p class=\"num\">", f);
	dt__html(f, trk);
	fputs("</p><p><a href=\"../t/", f);
	dt__html(f, trk);
	fputs("\">查看办理进度</a></p><p><small>凭查询号可随时查看办理进度；查询页面不显示您的称呼和电话。</small></p></div>\n", f);
	dt__web_foot(f);
	rc = page_close(f, &buf, &len, 201, out);
	if (rc == DT_OK && tracking)
		*tracking = trk;
	else
		free(trk);
	return rc;
}

int dt_web_tracking_page(dt_ctx *ctx, const char *tracking, dt_web_page *out)
{
	char *buf;
	size_t len;
	FILE *f;
	int found = 0, rc;

	if (!url_safe(tracking, 31))
		return dt_web_message_page(404, "查询号不存在", "没有找到这个查询号对应的诉求，请核对后再试。", out);
	f = page_open(out, &buf, &len);
	if (!f)
		return DT_ENOMEM;
	dt__web_head(f, "诉求办理进度");
	rc = dt__case_public_render(ctx, tracking, f, &found);
	dt__web_foot(f);
	if (rc != DT_OK || !found) {
		fclose(f);
		free(buf);
		out->body = NULL;
		if (rc != DT_OK)
			return code_refusal(rc == DT_EBUSY ? 503 : 500, out);
		return dt_web_message_page(404, "查询号不存在", "没有找到这个查询号对应的诉求，请核对后再试。", out);
	}
	return page_close(f, &buf, &len, 200, out);
}

/* Read a whole file of at most MAX_FILE bytes into out's body. */
static int read_whole(const char *path, dt_web_page *out)
{
	struct stat sb;
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return DT_ENOTFOUND;
	if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode) || (uint64_t)sb.st_size > MAX_FILE) {
		fclose(f);
		return DT_ENOTFOUND;
	}
	out->body = malloc((size_t)sb.st_size + 1);
	if (!out->body) {
		fclose(f);
		return DT_ENOMEM;
	}
	n = fread(out->body, 1, (size_t)sb.st_size, f);
	fclose(f);
	out->body[n] = '\0';
	out->len = n;
	return DT_OK;
}

int dt_web_leaderboard_page(dt_ctx *ctx, const char *name, dt_web_page *out)
{
	char *dir = NULL, path[4096];
	const char *ext = NULL, *type = "text/html; charset=utf-8";
	int rc;

	if (name) {
		size_t n = strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

		ext = name + n;
		if (n == 0 || n > 40)
			ext = NULL;
		else if (strcmp(ext, ".jpg") == 0)
			type = "image/jpeg";
		else if (strcmp(ext, ".png") == 0)
			type = "image/png";
		else if (strcmp(ext, ".webp") == 0)
			type = "image/webp";
		else
			ext = NULL;
		if (!ext)
			return dt_web_message_page(404, "没有这个页面", "您要找的页面不存在。", out);
	}
	rc = dt__config_text(ctx, "serve.leaderboard_dir", &dir);
	if (rc != DT_OK)
		return code_refusal(rc == DT_EBUSY ? 503 : 500, out);
	if (!*dir) {
		free(dir);
		return dt_web_message_page(404, "排行榜尚未发布", "本期履职排行榜尚未发布，请稍后再来。", out);
	}
	if (name)
		snprintf(path, sizeof(path), "%s/photos/%s", dir, name);
	else
		snprintf(path, sizeof(path), "%s/index.html", dir);
	free(dir);
	rc = read_whole(path, out);
	if (rc == DT_ENOMEM)
		return rc;
	if (rc != DT_OK)
		return dt_web_message_page(404, "排行榜尚未发布", "本期履职排行榜尚未发布，请稍后再来。", out);
	out->status = 200;
	out->type = type;
	return DT_OK;
}

int dt_web_health(dt_ctx *ctx)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st, "SELECT 1");

	if (rc != DT_OK)
		return rc;
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? DT_OK : dt__sqlerr(ctx, rc, "checking the database");
}

int dt_web_form_key(dt_ctx *ctx, unsigned char key[DT_WEB_KEY_BYTES])
{
	return dt__qr_derive_key(ctx, "rdlz serve: anti-forgery tokens", key);
}
