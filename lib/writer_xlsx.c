/*
 * The Excel format of the listing writer: one sheet through libxlsxwriter.
 *
 * The sheet is written in libxlsxwriter's constant-memory mode, row after
 * row into its temporary files, so a long listing costs no more memory than
 * a short one (text cells are then inline strings rather than shared ones,
 * which every reader accepts). Only each column's widest cell is kept, to
 * fit the widths once the last row is in.
 *
 * libxlsxwriter is not linked: dt__xlsx_begin loads it (xlsx_loader.c) and
 * every call goes through that table, so runs that write no workbook do not
 * pay for loading it and its libraries.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"
#include "writer_xlsx.h"
#include "xlsx_loader.h"

/* Widths are in characters of the sheet's font, about one display column;
 * past this a cell is better read wrapped or in its own window. */
#define MAX_WIDTH 60
/* Excel shows at most 11 characters of a number in the General format. */
#define NUMBER_SHOWN 11
/* The arrow of the autofilter covers the end of a header. */
#define FILTER_BUTTON 2
/* The most characters a cell holds (libxlsxwriter refuses a longer text). */
#define CELL_CHARS_MAX 32767

struct dt__xlsx {
	const dt_xlsx *lx; /* libxlsxwriter, loaded by dt__xlsx_begin */
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold, *day, *minute, *second; /* header, and the date formats */
	const dt_column *cols;
	size_t ncols;
	size_t *widths; /* each column's widest cell, in display columns */
	char *err;      /* the caller's message buffer */
	size_t err_size;
	char *dir;  /* where the temporary files go */
	char *path; /* the workbook's temporary file; NULL once removed */
	int fd;     /* open on it, to read the workbook back; -1 when none */
	char *clean; /* a text made fit for a cell */
	size_t clean_cap;
};

/* Chinese headers for every column name the listings declare, so an office
 * opening the sheet reads its own words. The deputy fields use the roster's
 * own headers (dt_deputy_field_header_zh), so a sheet saved as CSV imports
 * again. A test (tests/unit/test_writer_xlsx.c) reads lib/ and cmd/ and
 * fails when a declared column is missing here. Names a listing makes at
 * run time (a survey's choices, a rules file's own categories) show as
 * they are. */
static const struct {
	const char *name;
	const char *zh;
} headers[] = {
	{ "absent", "缺席" },
	{ "action", "操作" },
	{ "active", "有效" },
	{ "actor", "操作人" },
	{ "address", "收件地址" },
	{ "announce_at", "通知时间" },
	{ "answer", "答复" },
	{ "answered", "已答复" },
	{ "assigned", "已编号" },
	{ "at", "时间" },
	{ "attempts", "尝试次数" },
	{ "attendees", "出席人数" },
	{ "ballots", "参评人次" },
	{ "body", "正文" },
	{ "by", "统计维度" },
	{ "bytes", "字节数" },
	{ "cancel_reason", "取消原因" },
	{ "cap", "上限" },
	{ "case_summary", "案情摘要" },
	{ "cases", "案件数" },
	{ "categories", "各类得分" },
	{ "category", "类别" },
	{ "change", "变更内容" },
	{ "changed", "变动数" },
	{ "channel", "渠道" },
	{ "check", "检查项" },
	{ "citizen", "群众姓名" },
	{ "code", "编号" },
	{ "coded", "新编号" },
	{ "command", "命令" },
	{ "commenters", "评论人数" },
	{ "comments", "评论数" },
	{ "content", "消息内容" },
	{ "counts", "各选项票数" },
	{ "court", "法院" },
	{ "created_at", "创建时间" },
	{ "current_digest", "当前摘要" },
	{ "default", "默认值" },
	{ "delegation", "代表团" },
	{ "delegation_percentile", "团内百分位" },
	{ "department", "承办部门" },
	{ "deputies", "代表人数" },
	{ "deputy", "代表" },
	{ "description", "说明" },
	{ "detail", "详情" },
	{ "dry_run", "仅检查" },
	{ "due_at", "截止时间" },
	{ "eligible", "应参评人次" },
	{ "email", "邮箱" },
	{ "ends_at", "结束时间" },
	{ "excused", "请假" },
	{ "female", "女性" },
	{ "file", "文件" },
	{ "from", "原状态" },
	{ "gender", "性别" },
	{ "grid", "负责网格" },
	{ "hash", "哈希值" },
	{ "hidden", "已隐藏" },
	{ "hidden_comments", "隐藏评论数" },
	{ "hidden_reason", "隐藏原因" },
	{ "id", "ID" },
	{ "index", "履职指数" },
	{ "inserted", "新增" },
	{ "issued_at", "签发时间" },
	{ "item", "题号" },
	{ "joined_at", "加入时间" },
	{ "key", "标识" },
	{ "key_id", "密钥编号" },
	{ "kind", "类型" },
	{ "label", "项目" },
	{ "last_error", "最近错误" },
	{ "lat", "纬度" },
	{ "learning", "学习" }, /* also a category of the default rules */
	{ "lng", "经度" },
	{ "median_hours", "答复用时中位数（小时）" },
	{ "metric", "指标" },
	{ "minutes", "分钟数" },
	{ "mode", "出席方式" },
	{ "name", "姓名" },
	{ "next_attempt_at", "下次尝试时间" },
	{ "note", "备注" },
	{ "occurred_at", "发生时间" },
	{ "on_time_rate", "按时率" },
	{ "online", "线上" },
	{ "online_minutes", "线上分钟数" },
	{ "onsite", "现场" },
	{ "outcome", "结果" },
	{ "overdue", "逾期" },
	{ "partial", "部分时段" },
	{ "per", "计分单位" },
	{ "period", "期间" },
	{ "person_times", "人次" },
	{ "phone", "联系电话" },
	{ "photo", "照片" },
	{ "photos", "照片数" },
	{ "place", "地点" },
	{ "points", "分值" },
	{ "post", "职务" },
	{ "producer", "提醒来源" },
	{ "quantity", "数量" },
	{ "question", "问题" },
	{ "queued", "已排队" },
	{ "rank", "名次" },
	{ "rating", "评价" },
	{ "readers", "阅读人数" },
	{ "ref", "关联记录" },
	{ "retired", "离任" },
	{ "retired_at", "离任时间" },
	{ "revision", "修订次数" },
	{ "round", "轮次" },
	{ "routes", "承办类别" },
	{ "rows", "行数" },
	{ "rules_version", "规则版本" },
	{ "satisfaction_rate", "满意率" },
	{ "saved_digest", "保存时摘要" },
	{ "scale", "评价尺度" },
	{ "secret", "无记名" },
	{ "section", "板块" },
	{ "sent_at", "发送时间" },
	{ "served_days", "在任天数" },
	{ "sessions", "场次" },
	{ "source", "数据来源" },
	{ "starts_at", "开始时间" },
	{ "state", "状态" },
	{ "station", "联络站" },
	{ "status", "状态" },
	{ "stream_url", "直播地址" },
	{ "subject", "主题" },
	{ "tags", "标签" },
	{ "text", "内容" },
	{ "title", "标题" },
	{ "to", "新状态" },
	{ "total", "总分" },
	{ "tracking", "查询码" },
	{ "turnout", "参评率" },
	{ "type", "格式" },
	{ "uid", "日历标识" },
	{ "unchanged", "未变化" },
	{ "unit", "单位" },
	{ "updated", "更新" },
	{ "url", "链接" },
	{ "valid", "有效票数" },
	{ "value", "值" },
	{ "version", "版本" },
	{ "webhook", "机器人提醒对象" },
	{ "with_code", "有编号" },
	{ "with_email", "有邮箱" },
	{ "with_phone", "有电话" },
	/* the other categories of the default points rules (schema.c), which
	 * rank shows as columns of their own */
	{ "activities", "活动" },
	{ "hearings", "庭审" },
	{ "meetings", "会议" },
	{ "suggestions", "建议与办件" },
	{ "surveys", "测评" },
};

const char *dt__xlsx_header(const char *name)
{
	for (size_t i = 0; i < sizeof(headers) / sizeof(headers[0]); i++)
		if (strcmp(headers[i].name, name) == 0)
			return headers[i].zh;
	return NULL;
}

static int fail(dt__xlsx *x, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Put the reason into the caller's buffer and return rc. */
static int fail(dt__xlsx *x, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(x->err, x->err_size, fmt, ap);
	va_end(ap);
	return rc;
}

/* A cell libxlsxwriter refused. Rows and columns are checked before, so
 * this is its own trouble (memory, most likely); say which cell. */
static int cell_error(dt__xlsx *x, lxw_error e, uint64_t row, size_t col)
{
	return fail(x, e == LXW_ERROR_MEMORY_MALLOC_FAILED ? DT_ENOMEM : DT_EIO,
	            "xlsx: row %llu, column '%s': %s", (unsigned long long)row, x->cols[col].name, x->lx->lxw_strerror(e));
}

static void widen(dt__xlsx *x, size_t col, size_t width)
{
	if (width > x->widths[col])
		x->widths[col] = width;
}

/* The sheet's last row is LXW_ROW_MAX - 1; row 0 is the header. */
static int row_fits(dt__xlsx *x, uint64_t row)
{
	if (row < LXW_ROW_MAX)
		return DT_OK;
	return fail(x, DT_EIO, "xlsx: more than %d rows, the most an Excel sheet holds", LXW_ROW_MAX - 1);
}

/* n digits at s as a number, or -1. */
static int number_at(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int days_in_month(int y, int m)
{
	static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 ? 28 + leap : dim[m - 1];
}

/* Whether the n bytes at z are what an ISO time may end with: nothing,
 * "Z" or an offset "+hh:mm". */
static int is_zone(const char *z, size_t n)
{
	int h, m;

	if (n == 0 || (n == 1 && *z == 'Z'))
		return 1;
	if (n != 6 || (*z != '+' && *z != '-') || z[3] != ':')
		return 0;
	h = number_at(z + 1, 2);
	m = number_at(z + 4, 2);
	return h >= 0 && h <= 14 && m >= 0 && m <= 59;
}

/* Whether s (len bytes) is a date "YYYY-MM-DD", a time "YYYY-MM-DDTHH:MM:SS"
 * with an optional "Z" or "+hh:mm", or a local time "YYYY-MM-DD HH:MM[:SS]"
 * that exists, from 1900 (Excel's first year) on. *when gets its
 * wall-clock reading as written: the offset is left out, not applied, so
 * the sheet shows the time the other formats show. Returns the cell's
 * format and sets *width, or NULL for any other text. */
static lxw_format *parse_when(dt__xlsx *x, const char *s, size_t len, lxw_datetime *when, size_t *width)
{
	lxw_format *f = x->day;

	if (len < 10 || s[4] != '-' || s[7] != '-')
		return NULL;
	when->year = number_at(s, 4);
	when->month = number_at(s + 5, 2);
	when->day = number_at(s + 8, 2);
	when->hour = when->min = 0;
	when->sec = 0;
	*width = 10;
	if (len > 10) {
		int iso = s[10] == 'T';

		if ((!iso && s[10] != ' ') || len < 16 || s[13] != ':')
			return NULL;
		when->hour = number_at(s + 11, 2);
		when->min = number_at(s + 14, 2);
		f = x->minute;
		*width = 16;
		if (len >= 19 && s[16] == ':') {
			when->sec = number_at(s + 17, 2);
			f = x->second;
			*width = 19;
		}
		/* an ISO time has its seconds and may name its zone; a local one ends there */
		if (iso ? *width != 19 || !is_zone(s + 19, len - 19) : len != *width)
			return NULL;
	}
	if (when->year < 1900 || when->month < 1 || when->month > 12 || when->day < 1 ||
	    when->day > days_in_month(when->year, when->month) || when->hour < 0 || when->hour > 23 ||
	    when->min < 0 || when->min > 59 || when->sec < 0 || when->sec > 59)
		return NULL;
	return f;
}

/* Keep room for n bytes in x->clean. */
static char *clean_room(dt__xlsx *x, size_t n)
{
	char *p;

	if (n <= x->clean_cap)
		return x->clean;
	p = realloc(x->clean, n);
	if (!p)
		return NULL;
	x->clean = p;
	x->clean_cap = n;
	return p;
}

/* Whether code point cp (or an invalid byte, len 0) must be replaced: XML
 * 1.0 holds no control characters but tab and line breaks, nor U+FFFE and
 * U+FFFF; libxlsxwriter escapes none of them in an inline string. */
static int unfit(uint32_t cp, size_t len)
{
	return len == 0 || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE || cp == 0xFFFF;
}

/* s (len bytes) as a cell can hold it: invalid UTF-8 becomes U+FFFD and
 * the control characters XML cannot carry become spaces (as in the table),
 * and a text over Excel's CELL_CHARS_MAX characters is cut to end in "…".
 * Returns s itself when it needs none of that, else a copy in x->clean;
 * NULL when out of memory. */
static const char *cell_text(dt__xlsx *x, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t chars = 0, i, o = 0, n;
	int fix = 0, cut;
	uint32_t cp = 0;
	char *d;

	for (i = 0; i < len; i += n ? n : 1, chars++) {
		n = dt__utf8_decode(u + i, len - i, &cp);
		fix |= unfit(cp, n);
	}
	cut = chars > CELL_CHARS_MAX;
	if (!fix && !cut)
		return s;
	/* a bad byte grows to three bytes, and "…" is three */
	if (len > (SIZE_MAX - 4) / 3 || !(d = clean_room(x, 3 * len + 4)))
		return NULL;
	for (i = 0, chars = 0; i < len; i += n ? n : 1, chars++) {
		if (cut && chars == CELL_CHARS_MAX - 1) {
			memcpy(d + o, "\xE2\x80\xA6", 3);
			o += 3;
			break;
		}
		n = dt__utf8_decode(u + i, len - i, &cp);
		if (n == 0) {
			memcpy(d + o, "\xEF\xBF\xBD", 3);
			o += 3;
		} else if (unfit(cp, n)) {
			d[o++] = ' ';
		} else {
			memcpy(d + o, s + i, n);
			o += n;
		}
	}
	d[o] = '\0';
	return d;
}

int dt__xlsx_begin(dt__xlsx **out, const dt_column *cols, size_t ncols, char *err, size_t size)
{
	lxw_workbook_options o = { 0 };
	const char *dir = getenv("TMPDIR");
	const char *why = NULL;
	dt__xlsx *x;
	size_t n;

	*out = NULL;
	x = calloc(1, sizeof(*x));
	if (!x)
		return DT_ENOMEM;
	*out = x;
	x->fd = -1;
	x->err = err;
	x->err_size = size;
	x->cols = cols;
	x->ncols = ncols;
	x->lx = dt__xlsx_load(&why);
	if (!x->lx)
		return fail(x, DT_EIO, "%s", why);
	if (ncols > LXW_COL_MAX)
		return fail(x, DT_EIO, "xlsx: %zu columns, more than the %d an Excel sheet holds", ncols, LXW_COL_MAX);
	if (!dir || !*dir)
		dir = "/tmp";
	n = strlen(dir);
	x->widths = calloc(ncols, sizeof(*x->widths));
	x->dir = strdup(dir);
	x->path = malloc(n + sizeof("/rdlz-xlsx-XXXXXX"));
	if (!x->widths || !x->dir || !x->path)
		return DT_ENOMEM;
	memcpy(x->path, dir, n);
	memcpy(x->path + n, "/rdlz-xlsx-XXXXXX", sizeof("/rdlz-xlsx-XXXXXX"));
	/* mkstemp makes the file 0600: the sheet may hold personal data */
	x->fd = mkstemp(x->path);
	if (x->fd < 0)
		return fail(x, DT_EIO, "xlsx: cannot make a temporary file in '%s': %s", dir, strerror(errno));
	o.constant_memory = LXW_TRUE;
	o.tmpdir = x->dir;
	x->wb = x->lx->workbook_new_opt(x->path, &o);
	if (!x->wb)
		return DT_ENOMEM;
	/* in constant-memory mode the sheet opens its own temporary file */
	x->ws = x->lx->workbook_add_worksheet(x->wb, NULL);
	if (!x->ws)
		return fail(x, DT_EIO, "xlsx: cannot start a sheet in '%s': %s", dir, strerror(errno));
	x->bold = x->lx->workbook_add_format(x->wb);
	x->day = x->lx->workbook_add_format(x->wb);
	x->minute = x->lx->workbook_add_format(x->wb);
	x->second = x->lx->workbook_add_format(x->wb);
	if (!x->bold || !x->day || !x->minute || !x->second)
		return DT_ENOMEM;
	x->lx->format_set_bold(x->bold);
	x->lx->format_set_num_format(x->day, "yyyy-mm-dd");
	x->lx->format_set_num_format(x->minute, "yyyy-mm-dd hh:mm");
	x->lx->format_set_num_format(x->second, "yyyy-mm-dd hh:mm:ss");
	x->lx->worksheet_freeze_panes(x->ws, 1, 0);
	for (size_t i = 0; i < ncols; i++) {
		const char *zh = dt__xlsx_header(cols[i].name);
		const char *h = cell_text(x, zh ? zh : cols[i].name, strlen(zh ? zh : cols[i].name));
		lxw_error e;

		if (!h)
			return DT_ENOMEM;
		e = x->lx->worksheet_write_string(x->ws, 0, (lxw_col_t)i, h, x->bold);
		if (e != LXW_NO_ERROR)
			return cell_error(x, e, 0, i);
		widen(x, i, dt_display_width(h) + FILTER_BUTTON);
	}
	return DT_OK;
}

int dt__xlsx_text(dt__xlsx *x, uint64_t row, size_t col, const char *s, size_t len)
{
	lxw_datetime when;
	lxw_format *f;
	lxw_error e;
	size_t width;
	int rc = row_fits(x, row);

	if (rc != DT_OK)
		return rc;
	f = parse_when(x, s, len, &when, &width);
	if (f) {
		e = x->lx->worksheet_write_datetime(x->ws, (lxw_row_t)row, (lxw_col_t)col, &when, f);
	} else {
		s = cell_text(x, s, len);
		if (!s)
			return DT_ENOMEM;
		e = x->lx->worksheet_write_string(x->ws, (lxw_row_t)row, (lxw_col_t)col, s, NULL);
		width = dt_display_width(s);
	}
	if (e != LXW_NO_ERROR)
		return cell_error(x, e, row, col);
	widen(x, col, width);
	return DT_OK;
}

int dt__xlsx_number(dt__xlsx *x, uint64_t row, size_t col, double d, size_t shown)
{
	lxw_error e;
	int rc = row_fits(x, row);

	if (rc != DT_OK)
		return rc;
	e = x->lx->worksheet_write_number(x->ws, (lxw_row_t)row, (lxw_col_t)col, d, NULL);
	if (e != LXW_NO_ERROR)
		return cell_error(x, e, row, col);
	widen(x, col, shown < NUMBER_SHOWN ? shown : NUMBER_SHOWN);
	return DT_OK;
}

int dt__xlsx_bool(dt__xlsx *x, uint64_t row, size_t col, int b)
{
	lxw_error e;
	int rc = row_fits(x, row);

	if (rc != DT_OK)
		return rc;
	e = x->lx->worksheet_write_boolean(x->ws, (lxw_row_t)row, (lxw_col_t)col, b, NULL);
	if (e != LXW_NO_ERROR)
		return cell_error(x, e, row, col);
	widen(x, col, 5); /* FALSE */
	return DT_OK;
}

/* The temporary file's name is dropped as soon as the workbook is written:
 * from then on only the open descriptor reaches it. */
static void remove_file(dt__xlsx *x)
{
	if (x->path && x->fd >= 0)
		unlink(x->path);
	free(x->path);
	x->path = NULL;
}

int dt__xlsx_end(dt__xlsx *x, uint64_t rows, dt_sink_fn sink, void *userdata)
{
	size_t cap = 64u * 1024u;
	char *buf;
	ssize_t n;
	lxw_error e;
	int rc = DT_OK;

	for (size_t i = 0; i < x->ncols; i++) {
		size_t width = x->widths[i] + 1;

		x->lx->worksheet_set_column(x->ws, (lxw_col_t)i, (lxw_col_t)i, width < MAX_WIDTH ? width : MAX_WIDTH, NULL);
	}
	x->lx->worksheet_autofilter(x->ws, 0, 0, (lxw_row_t)rows, (lxw_col_t)(x->ncols - 1));
	/* workbook_close frees the workbook whatever it returns */
	e = x->lx->workbook_close(x->wb);
	x->wb = NULL;
	remove_file(x);
	if (e != LXW_NO_ERROR)
		return fail(x, e == LXW_ERROR_MEMORY_MALLOC_FAILED ? DT_ENOMEM : DT_EIO,
		            "xlsx: writing the workbook in '%s' failed: %s", x->dir, x->lx->lxw_strerror(e));
	buf = malloc(cap);
	if (!buf)
		return DT_ENOMEM;
	if (lseek(x->fd, 0, SEEK_SET) < 0)
		rc = fail(x, DT_EIO, "xlsx: cannot read the workbook back: %s", strerror(errno));
	while (rc == DT_OK && (n = read(x->fd, buf, cap)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			rc = fail(x, DT_EIO, "xlsx: cannot read the workbook back: %s", strerror(errno));
		else if (sink(userdata, buf, (size_t)n))
			rc = DT_EIO; /* the sink's own failure, as in the other formats */
	}
	free(buf);
	return rc;
}

void dt__xlsx_free(dt__xlsx *x)
{
	if (!x)
		return;
	if (x->wb)
		x->lx->lxw_workbook_free(x->wb);
	remove_file(x);
	if (x->fd >= 0)
		close(x->fd);
	free(x->dir);
	free(x->widths);
	free(x->clean);
	free(x);
}
