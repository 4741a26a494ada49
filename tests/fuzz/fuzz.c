/*
 * The harnesses' database: made once per process in a private temporary
 * directory (on /dev/shm when there is one: a commit's fsync is then
 * nearly free), with a fixture built through the public API, then kept as
 * bytes. An input that committed anything is followed by writing those
 * bytes back and opening again; one that did not costs nothing more, and
 * most inputs do not (the importers are all or nothing).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fuzz.h"

/* The clock of every run: after the fixture's events, as the tests use. */
#define FZ_NOW "2026-11-28T09:00:00+08:00"

static char dir[256], path[300], journal[320], wal[320], shm[320];
static unsigned char *snapshot;
static size_t snapshot_size;
static dt_ctx *ctx;
static fz_fixture ids;

void fz_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "fuzz: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

/* Strict UTF-8: no overlongs, no surrogates, nothing past U+10FFFF. */
static int utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t len;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			len = 2, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			len = 3, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			len = 4, cp = c & 0x07;
		else
			return 0;
		if (n - i < len)
			return 0;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
			return 0;
		i += len;
	}
	return 1;
}

void fz_touch(const char *msg)
{
	size_t n = strlen(msg);

	/* FZ_STRICT_MESSAGES=1: messages must be UTF-8 too (a cut character
	 * shows as garbage on the terminal, it does not crash) */
	if (getenv("FZ_STRICT_MESSAGES") && !utf8_valid((const unsigned char *)msg, n))
		fz_fail("a message that is not UTF-8: '%s'", msg);
}

static void on_diag(void *ud, const char *msg)
{
	(void)ud;
	fz_touch(msg);
}

/*
 * Writers: the output of one listing is kept whole, so that what it
 * promises (UTF-8 text) is checked once it ends, and then dropped.
 */
typedef struct {
	dt_format format;
	unsigned char *buf;
	size_t len, cap;
} sink_state;

static sink_state sink_of[1];

static int sink(void *ud, const char *buf, size_t len)
{
	sink_state *s = ud;

	if (s->len + len > s->cap) {
		size_t cap = s->cap ? s->cap : 4096;
		unsigned char *b;

		while (cap < s->len + len)
			cap *= 2;
		b = realloc(s->buf, cap);
		if (!b)
			return 1;
		s->buf = b;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, buf, len);
	s->len += len;
	return 0;
}

dt_writer *fz_writer(dt_format format, unsigned int flags)
{
	dt_writer *w = NULL;

	sink_of->format = format;
	sink_of->len = 0;
	if (dt_writer_new(&w, format, flags, sink, sink_of) != DT_OK)
		fz_fail("dt_writer_new failed");
	return w;
}

/*
 * JSON, checked by a small recursive-descent reader: well-formed, and no
 * object with a key twice (a consumer would keep one of the two values).
 * Keys are compared as written; the writer escapes one way only.
 */
typedef struct {
	const unsigned char *p, *end;
	int depth;
} json_in;

/* c is one of set (strchr alone finds the terminator too) */
static int one_of(const char *set, unsigned char c)
{
	return c && strchr(set, c);
}

static void json_ws(json_in *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

/* A string at j->p; its body (between the quotes) into *s, *n. */
static int json_string(json_in *j, const unsigned char **s, size_t *n)
{
	if (j->p >= j->end || *j->p != '"')
		return 0;
	*s = ++j->p;
	while (j->p < j->end && *j->p != '"') {
		if (*j->p < 0x20)
			return 0;
		if (*j->p == '\\') {
			if (++j->p >= j->end || !one_of("\"\\/bfnrtu", *j->p))
				return 0;
			if (*j->p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (j->p + i >= j->end || !one_of("0123456789abcdefABCDEF", j->p[i]))
						return 0;
				j->p += 4;
			}
		}
		j->p++;
	}
	if (j->p >= j->end)
		return 0;
	*n = (size_t)(j->p++ - *s);
	return 1;
}

static int json_value(json_in *j);

static int json_object(json_in *j)
{
	const unsigned char *keys[256];
	size_t lens[256], nkeys = 0;

	j->p++;
	json_ws(j);
	if (j->p < j->end && *j->p == '}')
		return j->p++, 1;
	for (;;) {
		const unsigned char *k;
		size_t n;

		json_ws(j);
		if (!json_string(j, &k, &n))
			return 0;
		for (size_t i = 0; i < nkeys; i++)
			if (lens[i] == n && memcmp(keys[i], k, n) == 0)
				fz_fail("a JSON object with the key \"%.*s\" twice", (int)n, (const char *)k);
		if (nkeys < 256) {
			keys[nkeys] = k;
			lens[nkeys++] = n;
		}
		json_ws(j);
		if (j->p >= j->end || *j->p++ != ':' || !json_value(j))
			return 0;
		json_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		return j->p < j->end && *j->p++ == '}';
	}
}

static int json_array(json_in *j)
{
	j->p++;
	json_ws(j);
	if (j->p < j->end && *j->p == ']')
		return j->p++, 1;
	for (;;) {
		if (!json_value(j))
			return 0;
		json_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		return j->p < j->end && *j->p++ == ']';
	}
}

static int json_value(json_in *j)
{
	const unsigned char *s;
	size_t n;
	int ok;

	json_ws(j);
	if (j->p >= j->end || ++j->depth > 64)
		return 0;
	switch (*j->p) {
	case '{':
		ok = json_object(j);
		break;
	case '[':
		ok = json_array(j);
		break;
	case '"':
		ok = json_string(j, &s, &n);
		break;
	default:
		/* a literal, or a number: a digit first (after a sign), then
		 * what numbers are made of; nan and inf are not JSON */
		if (j->end - j->p >= 4 && (!memcmp(j->p, "true", 4) || !memcmp(j->p, "null", 4))) {
			j->p += 4;
			ok = 1;
		} else if (j->end - j->p >= 5 && !memcmp(j->p, "false", 5)) {
			j->p += 5;
			ok = 1;
		} else {
			const unsigned char *q = j->p;

			if (q < j->end && *q == '-')
				q++;
			ok = q < j->end && *q >= '0' && *q <= '9';
			while (q < j->end && one_of("0123456789.eE+-", *q))
				q++;
			j->p = q;
		}
	}
	j->depth--;
	return ok;
}

/* One JSON text, or (JSONL) one per line. */
static void json_check(const unsigned char *buf, size_t len, int lines)
{
	json_in j;

	if (!len)
		return; /* a listing that failed before it began (buf may be NULL) */
	j = (json_in){ buf, buf + len, 0 };
	json_ws(&j);
	while (j.p < j.end) {
		if (!json_value(&j))
			fz_fail("a listing that is not JSON, at byte %zu: '%.*s'", (size_t)(j.p - buf), (int)len,
			        (const char *)buf);
		json_ws(&j);
		if (!lines)
			break;
	}
	if (j.p != j.end)
		fz_fail("a listing with more than one JSON text: '%.*s'", (int)len, (const char *)buf);
}

void fz_writer_done(dt_writer *w)
{
	if (!utf8_valid(sink_of->buf, sink_of->len))
		fz_fail("a listing (format %s) that is not UTF-8: '%.*s'", dt_format_name(sink_of->format),
		        (int)sink_of->len, (const char *)sink_of->buf);
	if (sink_of->format == DT_FORMAT_JSON || sink_of->format == DT_FORMAT_JSONL)
		json_check(sink_of->buf, sink_of->len, sink_of->format == DT_FORMAT_JSONL);
	dt_writer_free(w);
	sink_of->len = 0;
}

const char *fz_writer_text(size_t *len)
{
	*len = sink_of->len;
	return (const char *)sink_of->buf;
}

char *fz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		fz_fail("out of memory");
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

FILE *fz_file(const uint8_t *data, size_t size)
{
	/* fmemopen refuses an empty buffer on some C libraries */
	FILE *f = size ? fmemopen((void *)data, size, "r") : fopen("/dev/null", "r");

	if (!f)
		fz_fail("cannot open the input as a file: %s", strerror(errno));
	return f;
}

static void check(int rc, const char *what)
{
	if (rc != DT_OK)
		fz_fail("fixture: %s: %s", what, ctx ? dt_errmsg(ctx) : dt_strerror(rc));
}

static int64_t at(const char *iso)
{
	int64_t t;

	check(dt_time_parse(ctx, iso, &t), iso);
	return t;
}

static void import(const char *what, const char *csv)
{
	dt_import_options o = DT_IMPORT_OPTIONS_INIT;
	FILE *in = fmemopen((void *)csv, strlen(csv), "r");

	o.name = what;
	check(dt_deputy_import(ctx, in, &o, NULL), what);
	fclose(in);
}

static int64_t event(const char *kind, const char *title, const char *starts, const char *ends)
{
	dt_event e = DT_EVENT_INIT;
	int64_t id;

	e.kind = kind;
	e.title = title;
	e.starts_at = at(starts);
	e.ends_at = ends ? at(ends) : DT_TIME_UNSET;
	e.stream_url = "https://live.example.gov.cn/s/88";
	if (!strcmp(kind, "hearing")) {
		e.court = "区人民法院";
		e.case_summary = "合同纠纷";
		e.announce_at = e.starts_at - 7 * 86400;
	}
	check(dt_event_create(ctx, &e, &id), title);
	return id;
}

static int64_t survey(const char *title, const char *subject, const char *const *items, size_t n, const char *scale,
                      int secret, const char *eligible)
{
	dt_survey s = DT_SURVEY_INIT;
	int64_t id;

	s.title = title;
	s.subject = subject;
	s.items = items;
	s.nitems = n;
	s.scale = scale;
	s.secret = secret;
	s.live_results = !secret;
	s.eligible = eligible;
	check(dt_survey_create(ctx, &s, &id), title);
	check(dt_survey_open(ctx, id), title);
	return id;
}

static void log_import(int64_t ev, const char *csv)
{
	FILE *in = fmemopen((void *)csv, strlen(csv), "r");

	check(dt_attendance_import(ctx, ev, in, "log.csv", NULL, NULL), "log");
	fclose(in);
}

/* What the harnesses find in the database: a bit of everything the
 * imports check their rows against. */
static void make_fixture(void)
{
	static const char *const items2[] = { "办理态度", "办理结果" };
	static const char *const items3[] = { "答复是否清楚", "措施是否具体", "总体评价" };
	static const char *const tags[] = { "法律" };
	dt_department d = DT_DEPARTMENT_INIT;
	dt_article a = DT_ARTICLE_INIT;
	char *kid = NULL, subject[32];

	/* deputies join at the start of the year, RZ0005 retires before the events */
	dt_ctx_set_now(ctx, at("2026-01-05T09:00:00+08:00"));
	import("roster.csv", "编号,姓名,性别,职务,工作单位,代表团,负责网格,联络站,联系电话,邮箱\n"
	                     "RZ0001,张三,男,主任,东港区住建局,甲,一网格,东港站,13712340743,zhang@example.cn\n"
	                     "RZ0002,李四,女,,日照港集团,乙,,,0633-8781234,\n"
	                     "RZ0003,王五,男,教师,实验中学,甲,二网格,岚山站,,wang@example.cn\n"
	                     "RZ0004,赵六,女,,,乙,,,,\n"
	                     "RZ0005,钱七,男,,,甲,,,,\n");
	dt_ctx_set_now(ctx, at("2026-11-01T09:00:00+08:00"));
	check(dt_deputy_retire(ctx, "RZ0005"), "retire");
	dt_ctx_set_now(ctx, at(FZ_NOW));
	d.code = "ZJJ";
	d.name = "住建局";
	d.email = "zjj@example.gov.cn";
	check(dt_department_add(ctx, &d), "department");
	ids.meeting = event("meeting", "常委会第十二次会议", "2026-11-20T09:00:00+08:00", "2026-11-20T11:30:00+08:00");
	ids.hearing = event("hearing", "合同纠纷案", "2026-11-25T14:00:00+08:00", "2026-11-25T16:00:00+08:00");
	ids.open_ended = event("activity", "代表进站", "2026-11-26T09:00:00+08:00", NULL);
	/* stored attendance, by log and by hand, for a log to be merged with */
	log_import(ids.meeting, "code,joined_at,left_at\nRZ0001,2026-11-20 09:00:00,2026-11-20 10:00:00\n"
	                        "RZ0003,2026-11-20 08:50:00,\n");
	check(dt_attendance_record(ctx, ids.meeting, "RZ0002", "excused"), "attendance");
	check(dt_comment_post(ctx, ids.meeting, "RZ0001", "建议增加养老床位", NULL), "comment");
	a.title = "代表法解读";
	a.url = "https://rd.example.gov.cn/a/1";
	a.tags = tags;
	a.ntags = 1;
	check(dt_article_add(ctx, &a, &ids.article), "article");
	ids.survey = survey("住建局办理情况满意度测评", "department:ZJJ", items2, 2, NULL, 0, NULL);
	snprintf(subject, sizeof(subject), "event:%lld", (long long)ids.meeting);
	ids.survey5 = survey("对询问答复的满意度", subject, items3, 3, "score5", 1, "delegation:甲");
	check(dt_config_set(ctx, "qr.base_url", "https://rd.example.gov.cn/rdlz"), "qr.base_url");
	check(dt_qr_rotate_key(ctx, 0, &kid), "qr key");
	free(kid);
}

static void remove_dir(void)
{
	unlink(journal);
	unlink(wal);
	unlink(shm);
	unlink(path);
	rmdir(dir);
}

static void open_db(int create)
{
	dt_open_options o = DT_OPEN_OPTIONS_INIT;

	o.path = path;
	o.create = create;
	if (dt_ctx_open(&ctx, &o) != DT_OK)
		fz_fail("cannot open %s: %s", path, ctx ? dt_errmsg(ctx) : "out of memory");
	dt_ctx_set_diag(ctx, on_diag, NULL);
}

static unsigned char *read_all(size_t *size)
{
	struct stat sb;
	unsigned char *b;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &sb) != 0)
		fz_fail("%s: %s", path, strerror(errno));
	b = malloc((size_t)sb.st_size + 1);
	if (!b || read(fd, b, (size_t)sb.st_size) != sb.st_size)
		fz_fail("%s: cannot read", path);
	close(fd);
	*size = (size_t)sb.st_size;
	return b;
}

static void setup(void)
{
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/rdlz-fuzz-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(dir))
		fz_fail("mkdtemp %s: %s", dir, strerror(errno));
	snprintf(path, sizeof(path), "%s/fuzz.db", dir);
	snprintf(journal, sizeof(journal), "%s-journal", path);
	snprintf(wal, sizeof(wal), "%s-wal", path);
	snprintf(shm, sizeof(shm), "%s-shm", path);
	atexit(remove_dir);
	setenv("RDLZ_NOW", FZ_NOW, 1);
	setenv("RDLZ_ACTOR", "fuzz", 1);
	unsetenv("RDLZ_DB");
	open_db(1);
	make_fixture();
	dt_ctx_free(ctx);
	ctx = NULL;
	snapshot = read_all(&snapshot_size);
}

dt_ctx *fz_ctx(void)
{
	if (!snapshot)
		setup();
	if (!ctx)
		open_db(0);
	return ctx;
}

const fz_fixture *fz_fixture_ids(void)
{
	fz_ctx();
	return &ids;
}

static off_t file_size(const char *p)
{
	struct stat sb;

	return stat(p, &sb) == 0 ? sb.st_size : -1;
}

/* Did anything commit since the snapshot? A commit in rollback-journal
 * mode changes the header's change counter (offset 24) or the size; in
 * WAL mode it leaves frames in the -wal file. */
static int changed(void)
{
	unsigned char hdr[28];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? pread(fd, hdr, sizeof(hdr), 0) : -1;

	if (fd >= 0)
		close(fd);
	return n != (ssize_t)sizeof(hdr) || memcmp(hdr + 24, snapshot + 24, 4) != 0 ||
	       file_size(path) != (off_t)snapshot_size || file_size(wal) > 0 || file_size(journal) >= 0;
}

void fz_reset(void)
{
	int fd;

	if (!snapshot || !changed())
		return;
	dt_ctx_free(ctx);
	ctx = NULL;
	unlink(journal);
	unlink(wal);
	unlink(shm);
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0 || write(fd, snapshot, snapshot_size) != (ssize_t)snapshot_size)
		fz_fail("%s: cannot restore: %s", path, strerror(errno));
	close(fd);
}
