/*
 * rdlz serve: the 24-hour online liaison station the QR codes point at, on
 * libmicrohttpd. This file only moves bytes: the pages, the forms and the
 * tokens are the library's (dutytrack/web.h). It adds what belongs to a
 * server: the listening socket, one database connection per worker thread
 * (never shared), the body size limit, the per-address submission rate, the
 * client address behind a trusted reverse proxy, the access log (Combined
 * Log Format, path only: no query string, nothing a citizen typed), and a
 * clean stop on SIGTERM/SIGINT that finishes the requests in flight.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "mhd_loader.h"
#include "rdlz.h"

#define TOKEN_MAX_AGE (6 * 3600) /* a form stays good for six hours */
#define MAX_PROXIES 8
#define RATE_SLOTS 4096
#define DRAIN_SECONDS 60

static const rdlz_mhd *mhd; /* loaded when serve starts */

typedef struct {
	char addr[INET6_ADDRSTRLEN];
	int64_t window; /* the hour counted (unix time / 3600) */
	long count;
} rate_slot;

typedef struct {
	const char *db;                 /* the database path */
	unsigned char key[DT_WEB_KEY_BYTES]; /* anti-forgery tokens (dt_web_form_key) */
	size_t max_body;
	long per_hour;
	struct {
		int family;
		unsigned char bin[16];
	} proxies[MAX_PROXIES];
	int nproxies;
	FILE *log;
	pthread_mutex_t log_lock;
	pthread_mutex_t rate_lock;
	rate_slot *rates;               /* RATE_SLOTS, by hash of the address */
	pthread_mutex_t open_lock;      /* opening a context may set TZ: one at a time */
	pthread_key_t ctx_key;          /* each worker thread's own dt_ctx */
	atomic_int inflight;            /* requests begun and not completed */
} server;

/* One request, from its headers to its completion. */
typedef struct {
	char *body;
	size_t len, cap;
	int too_big;
	int status;
	size_t bytes;
	char client[INET6_ADDRSTRLEN];
	char method[8];
	char version[16];
	char *path;
	char *referer;
	char *agent;
} request;

static void free_ctx(void *p)
{
	dt_ctx_free(p);
}

/* This thread's context, opened on its first request; NULL when the
 * database cannot be opened (the caller answers 503). */
static dt_ctx *thread_ctx(server *s)
{
	dt_open_options o = DT_OPEN_OPTIONS_INIT;
	dt_ctx *ctx = pthread_getspecific(s->ctx_key);
	int rc;

	if (ctx)
		return ctx;
	o.path = s->db;
	pthread_mutex_lock(&s->open_lock);
	rc = dt_ctx_open(&ctx, &o);
	pthread_mutex_unlock(&s->open_lock);
	if (rc != DT_OK) {
		dt_ctx_free(ctx);
		return NULL;
	}
	dt_ctx_set_actor(ctx, "web");
	dt_ctx_set_command(ctx, "serve");
	if (pthread_setspecific(s->ctx_key, ctx) != 0) {
		dt_ctx_free(ctx);
		return NULL;
	}
	return ctx;
}

static int is_trusted(const server *s, const struct sockaddr *sa)
{
	for (int i = 0; sa && i < s->nproxies; i++) {
		if (sa->sa_family == AF_INET && s->proxies[i].family == AF_INET &&
		    memcmp(&((const struct sockaddr_in *)(const void *)sa)->sin_addr, s->proxies[i].bin, 4) == 0)
			return 1;
		if (sa->sa_family == AF_INET6 && s->proxies[i].family == AF_INET6 &&
		    memcmp(&((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, s->proxies[i].bin, 16) == 0)
			return 1;
	}
	return 0;
}

/* Copy text into out when it is one IPv4 or IPv6 address (spaces around cut). */
static int take_address(const char *text, size_t n, char *out, size_t size)
{
	unsigned char bin[16];
	char one[INET6_ADDRSTRLEN];

	while (n > 0 && (*text == ' ' || *text == '\t')) {
		text++;
		n--;
	}
	while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t'))
		n--;
	if (n == 0 || n >= sizeof(one))
		return 0;
	memcpy(one, text, n);
	one[n] = '\0';
	if (inet_pton(AF_INET, one, bin) != 1 && inet_pton(AF_INET6, one, bin) != 1)
		return 0;
	snprintf(out, size, "%s", one);
	return 1;
}

/* The client's address: the peer, or behind a trusted proxy the address it
 * reports (the last of X-Forwarded-For, the one the proxy itself added; else
 * X-Real-IP). */
static void client_address(const server *s, struct MHD_Connection *conn, char *out, size_t size)
{
	const union MHD_ConnectionInfo *ci = mhd->get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	const char *h;

	snprintf(out, size, "-");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, (socklen_t)size);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out, (socklen_t)size);
	if (!is_trusted(s, sa))
		return;
	h = mhd->lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For");
	if (h) {
		const char *last = strrchr(h, ',');

		last = last ? last + 1 : h;
		if (take_address(last, strlen(last), out, size))
			return;
	}
	h = mhd->lookup_connection_value(conn, MHD_HEADER_KIND, "X-Real-IP");
	if (h)
		take_address(h, strlen(h), out, size);
}

/* Count one submission of addr in this hour; 0 when over the limit. */
static int rate_ok(server *s, const char *addr)
{
	int64_t hour = (int64_t)time(NULL) / 3600;
	uint32_t hash = 2166136261u;
	rate_slot *slot;
	int ok;

	for (const char *p = addr; *p; p++)
		hash = (hash ^ (unsigned char)*p) * 16777619u;
	pthread_mutex_lock(&s->rate_lock);
	/* open addressing over a few slots; an old window is free to take */
	slot = NULL;
	for (uint32_t i = 0; i < 16 && !slot; i++) {
		rate_slot *r = &s->rates[(hash + i) % RATE_SLOTS];

		if (strcmp(r->addr, addr) == 0 || r->window != hour || !r->addr[0])
			slot = r;
	}
	if (!slot)
		slot = &s->rates[hash % RATE_SLOTS]; /* crowded: share a slot, stricter not looser */
	if (strcmp(slot->addr, addr) != 0 || slot->window != hour) {
		snprintf(slot->addr, sizeof(slot->addr), "%s", addr);
		slot->window = hour;
		slot->count = 0;
	}
	ok = slot->count < s->per_hour;
	if (ok)
		slot->count++;
	pthread_mutex_unlock(&s->rate_lock);
	return ok;
}

/* A field of the access log: printable ASCII, quotes and backslashes escaped. */
static void log_field(FILE *f, const char *v)
{
	if (!v || !*v) {
		fputc('-', f);
		return;
	}
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if (*p < 0x20 || *p >= 0x7f || *p == '"' || *p == '\\')
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
}

static void access_log(server *s, const request *r)
{
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
		                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	pthread_mutex_lock(&s->log_lock);
	fprintf(s->log, "%s - - [%02d/%s/%04d:%02d:%02d:%02d +0000] \"%s ", r->client, tm.tm_mday, months[tm.tm_mon % 12],
	        tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec, r->method);
	log_field(s->log, r->path);
	fprintf(s->log, " %s\" %d %zu \"", r->version, r->status, r->bytes);
	log_field(s->log, r->referer);
	fputs("\" \"", s->log);
	log_field(s->log, r->agent);
	fputs("\"\n", s->log);
	fflush(s->log);
	pthread_mutex_unlock(&s->log_lock);
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	server *s = cls;
	request *r = *con_cls;

	(void)conn;
	if (!r)
		return;
	if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK && r->status == 0)
		r->status = 499; /* the client went away first */
	access_log(s, r);
	free(r->body);
	free(r->path);
	free(r->referer);
	free(r->agent);
	free(r);
	*con_cls = NULL;
	atomic_fetch_sub(&s->inflight, 1);
}

/* Send page (taking its body) as the answer. */
static enum MHD_Result send_page(struct MHD_Connection *conn, request *r, dt_web_page *page, int close)
{
	struct MHD_Response *resp;
	enum MHD_Result ok;

	resp = mhd->create_response_from_buffer(page->len, page->body, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		dt_web_page_clear(page);
		return MHD_NO;
	}
	page->body = NULL;
	mhd->add_response_header(resp, "Content-Type", page->type ? page->type : "text/plain; charset=utf-8");
	mhd->add_response_header(resp, "Cache-Control", "no-store");
	mhd->add_response_header(resp, "X-Content-Type-Options", "nosniff");
	mhd->add_response_header(resp, "X-Frame-Options", "DENY");
	mhd->add_response_header(resp, "Referrer-Policy", "no-referrer");
	mhd->add_response_header(resp, "Content-Security-Policy",
	                        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data: https: http:;"
	                        " form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
	if (close)
		mhd->add_response_header(resp, "Connection", "close");
	r->status = page->status;
	r->bytes = page->len;
	ok = mhd->queue_response(conn, (unsigned int)page->status, resp);
	mhd->destroy_response(resp);
	dt_web_page_clear(page);
	return ok;
}

static enum MHD_Result send_message(struct MHD_Connection *conn, request *r, int status, const char *title,
                                    const char *text)
{
	dt_web_page page = DT_WEB_PAGE_INIT;

	if (dt_web_message_page(status, title, text, &page) != DT_OK)
		return MHD_NO;
	return send_page(conn, r, &page, status == 413);
}

static enum MHD_Result send_text(struct MHD_Connection *conn, request *r, int status, const char *text)
{
	dt_web_page page = DT_WEB_PAGE_INIT;

	page.body = strdup(text);
	if (!page.body)
		return MHD_NO;
	page.len = strlen(text);
	page.status = status;
	page.type = "text/plain; charset=utf-8";
	return send_page(conn, r, &page, 0);
}

static enum MHD_Result busy(struct MHD_Connection *conn, request *r)
{
	return send_message(conn, r, 503, "暂时无法服务", "联络站暂时无法处理，请稍后再试。");
}

/* POST /d/<code>: the citizen's request. */
static enum MHD_Result submit(server *s, struct MHD_Connection *conn, request *r, const char *code)
{
	dt_web_page page = DT_WEB_PAGE_INIT;
	dt_web_form *form = NULL;
	const char *type = mhd->lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	dt_ctx *ctx;
	int rc;

	if (r->too_big)
		return send_message(conn, r, 413, "内容太大", "提交的内容（含照片）超过了允许的大小，请压缩照片后再试。");
	rc = dt_web_form_parse(type, r->body, r->len, &form);
	if (rc == DT_ENOMEM)
		return MHD_NO;
	if (rc != DT_OK)
		return send_message(conn, r, 400, "表单无法识别", "提交的表单格式不正确，请返回后重新填写。");
	if (!dt_web_form_text_ok(form)) {
		dt_web_form_free(form);
		return send_message(conn, r, 400, "文字编码有误", "提交的文字不是有效的 UTF-8 编码，请返回后重新填写。");
	}
	if (dt_web_csrf_check(s->key, code, dt_web_form_get(form, "csrf", NULL), (int64_t)time(NULL), TOKEN_MAX_AGE) !=
	    DT_OK) {
		dt_web_form_free(form);
		return send_message(conn, r, 403, "页面已过期",
		                    "表单已过期或不是从本站页面提交的。请重新扫描代表的二维码，再填写提交。");
	}
	if (!rate_ok(s, r->client)) {
		dt_web_form_free(form);
		return send_message(conn, r, 429, "提交过于频繁", "同一网络在一小时内提交的诉求太多，请稍后再试。");
	}
	ctx = thread_ctx(s);
	if (!ctx) {
		dt_web_form_free(form);
		return busy(conn, r);
	}
	rc = dt_web_submit(ctx, code, form, &page, NULL);
	dt_web_form_free(form);
	if (rc != DT_OK)
		return MHD_NO;
	return send_page(conn, r, &page, 0);
}

/* Answer a request whose body, if any, has arrived whole. */
static enum MHD_Result route(server *s, struct MHD_Connection *conn, request *r, const char *url)
{
	int get = strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0;
	int post = strcmp(r->method, "POST") == 0;
	dt_web_page page = DT_WEB_PAGE_INIT;
	dt_ctx *ctx;
	int rc;

	if (get && strcmp(url, "/healthz") == 0) {
		ctx = thread_ctx(s);
		if (!ctx || dt_web_health(ctx) != DT_OK)
			return send_text(conn, r, 503, "unavailable\n");
		return send_text(conn, r, 200, "ok\n");
	}
	if (post && strncmp(url, "/d/", 3) == 0)
		return submit(s, conn, r, url + 3);
	if (!get)
		return send_message(conn, r, 405, "不支持的请求", "这个地址只能用浏览器打开。");
	ctx = thread_ctx(s);
	if (!ctx)
		return busy(conn, r);
	if (strncmp(url, "/d/", 3) == 0) {
		char token[DT_WEB_TOKEN_SIZE];
		const char *sig = mhd->lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "s");

		if (dt_web_csrf_make(s->key, url + 3, (int64_t)time(NULL), token, sizeof(token)) != DT_OK)
			snprintf(token, sizeof(token), "-");
		rc = dt_web_deputy_page(ctx, url + 3, sig ? sig : "", token, &page);
	} else if (strncmp(url, "/t/", 3) == 0) {
		rc = dt_web_tracking_page(ctx, url + 3, &page);
	} else if (strcmp(url, "/leaderboard") == 0 || strcmp(url, "/leaderboard/") == 0) {
		rc = dt_web_leaderboard_page(ctx, NULL, &page);
	} else if (strncmp(url, "/leaderboard/photos/", 20) == 0 || strncmp(url, "/photos/", 8) == 0) {
		rc = dt_web_leaderboard_page(ctx, strrchr(url, '/') + 1, &page);
	} else {
		return send_message(conn, r, 404, "没有这个页面", "您要找的页面不存在。请扫描代表的二维码进入。");
	}
	if (rc != DT_OK)
		return MHD_NO;
	return send_page(conn, r, &page, 0);
}

static char *copy_header(struct MHD_Connection *conn, const char *name, int cut_query)
{
	const char *v = mhd->lookup_connection_value(conn, MHD_HEADER_KIND, name);

	if (!v)
		return NULL;
	return strndup(v, cut_query ? strcspn(v, "?#") : strlen(v) > 300 ? 300 : strlen(v));
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                              const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	server *s = cls;
	request *r = *con_cls;

	if (!r) {
		const char *length;

		r = calloc(1, sizeof(*r));
		if (!r)
			return MHD_NO;
		*con_cls = r;
		atomic_fetch_add(&s->inflight, 1);
		snprintf(r->method, sizeof(r->method), "%s", method);
		snprintf(r->version, sizeof(r->version), "%s", version);
		/* MHD hands the path without its query string: the log never holds one */
		r->path = strndup(url, 512);
		r->referer = copy_header(conn, MHD_HTTP_HEADER_REFERER, 1);
		r->agent = copy_header(conn, MHD_HTTP_HEADER_USER_AGENT, 0);
		client_address(s, conn, r->client, sizeof(r->client));
		length = mhd->lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (length && strtoull(length, NULL, 10) > s->max_body) {
			/* refused before the body is read: no 100 Continue, the connection closes */
			r->too_big = 1;
			return send_message(conn, r, 413, "内容太大", "提交的内容（含照片）超过了允许的大小，请压缩照片后再试。");
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (!r->too_big && r->len + *upload_size > s->max_body) {
			r->too_big = 1;
			free(r->body);
			r->body = NULL;
			r->len = r->cap = 0;
		}
		if (!r->too_big) {
			if (r->len + *upload_size + 1 > r->cap) {
				size_t cap = r->cap ? r->cap : 16384;
				char *b;

				while (cap < r->len + *upload_size + 1)
					cap *= 2;
				b = realloc(r->body, cap);
				if (!b)
					return MHD_NO;
				r->body = b;
				r->cap = cap;
			}
			memcpy(r->body + r->len, upload, *upload_size);
			r->len += *upload_size;
			r->body[r->len] = '\0';
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->status)
		return MHD_YES; /* answered already (413 at the headers) */
	return route(s, conn, r, url);
}

/* --listen HOST:PORT, [IPv6]:PORT. */
static int parse_listen(const char *text, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon;
	char *end;
	long port;

	memset(ss, 0, sizeof(*ss));
	if (text[0] == '[') {
		const char *close = strchr(text, ']');

		if (!close || close[1] != ':' || (size_t)(close - text - 1) >= sizeof(host))
			return -1;
		memcpy(host, text + 1, (size_t)(close - text - 1));
		host[close - text - 1] = '\0';
		colon = close + 1;
	} else {
		colon = strrchr(text, ':');
		if (!colon || (size_t)(colon - text) >= sizeof(host))
			return -1;
		memcpy(host, text, (size_t)(colon - text));
		host[colon - text] = '\0';
	}
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (errno || end == colon + 1 || *end || port < 0 || port > 65535)
		return -1;
	if (inet_pton(AF_INET, host, &((struct sockaddr_in *)ss)->sin_addr) == 1) {
		((struct sockaddr_in *)ss)->sin_family = AF_INET;
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
		*len = sizeof(struct sockaddr_in);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &((struct sockaddr_in6 *)ss)->sin6_addr) == 1) {
		((struct sockaddr_in6 *)ss)->sin6_family = AF_INET6;
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
		*len = sizeof(struct sockaddr_in6);
		return 0;
	}
	return -1;
}

/* The serve.* settings into s; prints why not. */
static int read_settings(rdlz_run *run, server *s)
{
	char *v = NULL;
	int rc = dt_config_get(run->ctx, "serve.max_body_bytes", &v);

	if (rc == DT_OK) {
		s->max_body = (size_t)strtoull(v, NULL, 10);
		free(v);
		rc = dt_config_get(run->ctx, "serve.submissions_per_hour", &v);
	}
	if (rc == DT_OK) {
		s->per_hour = strtol(v, NULL, 10);
		free(v);
		rc = dt_config_get(run->ctx, "serve.trusted_proxy", &v);
	}
	if (rc != DT_OK)
		return rdlz_fail(run, rc);
	for (char *save = NULL, *w = strtok_r(v, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (s->nproxies >= MAX_PROXIES)
			break;
		if (inet_pton(AF_INET, w, s->proxies[s->nproxies].bin) == 1)
			s->proxies[s->nproxies++].family = AF_INET;
		else if (inet_pton(AF_INET6, w, s->proxies[s->nproxies].bin) == 1)
			s->proxies[s->nproxies++].family = AF_INET6;
	}
	free(v);
	return EXIT_OK;
}

int cmd_serve(rdlz_run *run)
{
	const char *listen = rdlz_opt(run, "listen"), *log_path = rdlz_opt(run, "access-log");
	struct sockaddr_storage ss;
	struct sockaddr_storage bound;
	socklen_t sslen = 0, blen = sizeof(bound);
	const union MHD_DaemonInfo *info;
	struct MHD_Daemon *d;
	sigset_t sigs;
	char shown[INET6_ADDRSTRLEN];
	long threads = 4;
	MHD_socket quiet = MHD_INVALID_SOCKET;
	int code, rc, sig = 0;
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_EPOLL;
	server s;

	memset(&s, 0, sizeof(s));
	mhd = rdlz_mhd_load();
	if (!mhd)
		return EXIT_FAILED;
	if (parse_listen(listen ? listen : "127.0.0.1:8080", &ss, &sslen) != 0)
		return rdlz_usage_error(run->cmd, "--listen '%s' is not ADDRESS:PORT (127.0.0.1:8080, [::1]:8080)", listen);
	if (rdlz_has(run, "threads") && (code = rdlz_opt_int(run, "threads", 1, 64, &threads)) != EXIT_OK)
		return code;
	code = read_settings(run, &s);
	if (code != EXIT_OK)
		return code;
	s.db = dt_ctx_path(run->ctx);
	/* the same key in every server on this database, and after a restart */
	rc = dt_web_form_key(run->ctx, s.key);
	if (rc != DT_OK)
		return rdlz_fail(run, rc);
	s.log = stderr;
	if (log_path) {
		s.log = fopen(log_path, "a");
		if (!s.log) {
			fprintf(stderr, "rdlz: serve: cannot open the access log '%s': %s\n", log_path, strerror(errno));
			return EXIT_FAILED;
		}
	}
	s.rates = calloc(RATE_SLOTS, sizeof(*s.rates));
	if (!s.rates || pthread_key_create(&s.ctx_key, free_ctx) != 0) {
		fprintf(stderr, "rdlz: serve: out of memory\n");
		free(s.rates);
		if (log_path)
			fclose(s.log);
		return EXIT_FAILED;
	}
	pthread_mutex_init(&s.log_lock, NULL);
	pthread_mutex_init(&s.rate_lock, NULL);
	pthread_mutex_init(&s.open_lock, NULL);
	atomic_init(&s.inflight, 0);
	/* the workers inherit a mask without these: only this thread waits for them */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	d = mhd->start_daemon(flags, 0, NULL, NULL, handle, &s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	                     MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)threads, MHD_OPTION_CONNECTION_LIMIT,
	                     (unsigned int)(64 * threads), MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)60,
	                     MHD_OPTION_NOTIFY_COMPLETED, completed, &s, MHD_OPTION_END);
	info = d ? mhd->get_daemon_info(d, MHD_DAEMON_INFO_LISTEN_FD) : NULL;
	if (!d || !info || getsockname(info->listen_fd, (struct sockaddr *)&bound, &blen) != 0) {
		fprintf(stderr, "rdlz: serve: cannot listen on %s: %s\n", listen ? listen : "127.0.0.1:8080",
		        strerror(errno));
		code = EXIT_FAILED;
		goto out;
	}
	(void)sslen;
	if (bound.ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&bound)->sin6_addr, shown, sizeof(shown));
		fprintf(stderr, "rdlz: serving on http://[%s]:%u\n", shown,
		        (unsigned)ntohs(((struct sockaddr_in6 *)&bound)->sin6_port));
	} else {
		inet_ntop(AF_INET, &((struct sockaddr_in *)&bound)->sin_addr, shown, sizeof(shown));
		fprintf(stderr, "rdlz: serving on http://%s:%u\n", shown,
		        (unsigned)ntohs(((struct sockaddr_in *)&bound)->sin_port));
	}
	fflush(stderr);
	while (sigwait(&sigs, &sig) != 0)
		;
	/* stop taking connections, let those in flight finish, then stop */
	fprintf(stderr, "rdlz: serve: %s: finishing %d request(s) in flight\n", sig == SIGINT ? "SIGINT" : "SIGTERM",
	        atomic_load(&s.inflight));
	fflush(stderr);
	quiet = mhd->quiesce_daemon(d);
	for (int i = 0; i < DRAIN_SECONDS * 50 && atomic_load(&s.inflight) > 0; i++)
		usleep(20000);
	code = EXIT_OK;
out:
	if (d)
		mhd->stop_daemon(d);
	if (quiet != MHD_INVALID_SOCKET)
		close(quiet); /* quiescing handed the listening socket to us */
	pthread_key_delete(s.ctx_key);
	free(s.rates);
	if (log_path && s.log && fclose(s.log) != 0)
		code = EXIT_FAILED;
	explicit_bzero(s.key, sizeof(s.key));
	return code;
}
