/*
 * The pure parts of the online liaison station: UTF-8 checking, the two
 * form encodings a browser posts (application/x-www-form-urlencoded and
 * multipart/form-data, RFC 7578), and the anti-forgery token. Nothing here
 * touches the database or the network, so all of it is unit-tested alone.
 */
#define _GNU_SOURCE /* memmem */
#include <inttypes.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "web_internal.h"

#define MAX_FIELDS 32
#define TAG_BYTES 16

typedef struct {
	char *name;
	char *value;  /* NUL-terminated (files too, for safety) */
	size_t len;
	int is_file;
} field;

struct dt_web_form {
	field f[MAX_FIELDS];
	size_t n;
};

int dt_web_utf8_valid(const char *str, size_t len)
{
	/* the shared check, and no NUL: a form field is text, never a C string's end */
	return dt__utf8_valid(str, len) && !memchr(str, '\0', len);
}

void dt_web_form_free(dt_web_form *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++) {
		free(f->f[i].name);
		free(f->f[i].value);
	}
	free(f);
}

/* Append a field, copying name (nlen bytes) and value (vlen bytes). */
static int add_field(dt_web_form *f, const char *name, size_t nlen, const char *value, size_t vlen, int is_file)
{
	field *x;

	if (f->n >= MAX_FIELDS)
		return DT_EDATA;
	x = &f->f[f->n];
	x->name = malloc(nlen + 1);
	x->value = malloc(vlen + 1);
	if (!x->name || !x->value) {
		free(x->name);
		free(x->value);
		x->name = x->value = NULL;
		return DT_ENOMEM;
	}
	if (nlen)
		memcpy(x->name, name, nlen);
	x->name[nlen] = '\0';
	if (vlen)
		memcpy(x->value, value, vlen);
	x->value[vlen] = '\0';
	x->len = vlen;
	x->is_file = is_file;
	f->n++;
	return DT_OK;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode s[0..n) of a urlencoded form in place into out (at most n bytes);
 * -1 for a bad escape. */
static long url_decode(const char *s, size_t n, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+') {
			out[o++] = ' ';
		} else if (s[i] == '%') {
			int hi, lo;

			if (i + 2 >= n)
				return -1;
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			out[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	return (long)o;
}

static int parse_urlencoded(dt_web_form *f, const char *body, size_t len)
{
	char *buf = malloc(len + 1);
	size_t i = 0;
	int rc = DT_OK;

	if (!buf)
		return DT_ENOMEM;
	while (rc == DT_OK && i < len) {
		const char *part = body + i, *amp = memchr(part, '&', len - i), *eq;
		size_t plen = amp ? (size_t)(amp - part) : len - i;
		long nlen, vlen;

		i += plen + 1;
		/* "a=1&&b=2": an empty part (cppcheck misreads amp - part as > 0) */
		/* cppcheck-suppress knownConditionTrueFalse */
		if (plen == 0)
			continue;
		eq = memchr(part, '=', plen);
		if (!eq) {
			rc = DT_EDATA;
			break;
		}
		nlen = url_decode(part, (size_t)(eq - part), buf);
		if (nlen <= 0) {
			rc = DT_EDATA;
			break;
		}
		{
			char *name = malloc((size_t)nlen + 1);

			if (!name) {
				rc = DT_ENOMEM;
				break;
			}
			memcpy(name, buf, (size_t)nlen);
			vlen = url_decode(eq + 1, plen - (size_t)(eq - part) - 1, buf);
			rc = vlen < 0 ? DT_EDATA : add_field(f, name, (size_t)nlen, buf, (size_t)vlen, 0);
			free(name);
		}
	}
	free(buf);
	return rc;
}

/* The value of parameter key in a header value "a; key=v; ..." (quoted or
 * not) into out; 0 when absent or too long. */
static int header_param(const char *h, size_t hlen, const char *key, char *out, size_t size)
{
	size_t klen = strlen(key), i = 0;

	while (i < hlen) {
		size_t end = i, vlen;
		const char *v;

		while (end < hlen && h[end] != ';')
			end++;
		while (i < end && (h[i] == ' ' || h[i] == '\t'))
			i++;
		/* cppcheck wrongly takes the loop above to reach end */
		/* cppcheck-suppress knownConditionTrueFalse */
		if (end - i > klen && strncasecmp(h + i, key, klen) == 0 && h[i + klen] == '=') {
			v = h + i + klen + 1;
			vlen = end - (i + klen + 1);
			while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
				vlen--;
			if (vlen >= 2 && v[0] == '"') {
				const char *q = memchr(v + 1, '"', vlen - 1);

				if (!q)
					return 0;
				vlen = (size_t)(q - v - 1);
				v++;
			}
			if (vlen + 1 > size)
				return 0;
			memcpy(out, v, vlen);
			out[vlen] = '\0';
			return 1;
		}
		i = end + 1;
	}
	return 0;
}

/* Find needle in hay (binary). */
static const char *find(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
	return nlen <= hlen ? memmem(hay, hlen, needle, nlen) : NULL;
}

static int parse_multipart(dt_web_form *f, const char *ctype, const char *body, size_t len)
{
	char boundary[80], delim[84], name[128], filename[256];
	size_t dlen;
	const char *p, *end = body + len;

	if (!header_param(ctype, strlen(ctype), "boundary", boundary, sizeof(boundary)) || !*boundary)
		return DT_EDATA;
	dlen = (size_t)snprintf(delim, sizeof(delim), "--%s", boundary);
	/* a preamble before the first delimiter is allowed (and ignored) */
	p = find(body, len, delim, dlen);
	if (!p)
		return DT_EDATA;
	for (;;) {
		const char *hdr, *hend, *content, *next, *cd = NULL;
		size_t cdlen = 0;
		int rc;

		p += dlen;
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return DT_OK; /* the closing delimiter; an epilogue is ignored */
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		/* cppcheck wrongly takes the loop above to reach end */
		/* cppcheck-suppress knownConditionTrueFalse */
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return DT_EDATA;
		hdr = p + 2;
		hend = find(hdr, (size_t)(end - hdr), "\r\n\r\n", 4);
		if (!hend && end - hdr >= 2 && hdr[0] == '\r' && hdr[1] == '\n')
			hend = hdr - 2; /* no headers at all */
		if (!hend)
			return DT_EDATA;
		/* the part's Content-Disposition */
		for (const char *line = hdr; line < hend;) {
			const char *eol = find(line, (size_t)(hend - line), "\r\n", 2);
			size_t llen = eol ? (size_t)(eol - line) : (size_t)(hend - line);

			if (llen > 20 && strncasecmp(line, "Content-Disposition:", 20) == 0) {
				cd = line + 20;
				cdlen = llen - 20;
			}
			line += llen + 2;
		}
		content = hend + 4;
		if (content > end)
			return DT_EDATA;
		/* the content ends at CRLF + delimiter */
		next = NULL;
		for (const char *s = content; s < end;) {
			const char *q = find(s, (size_t)(end - s), delim, dlen);

			if (!q)
				break;
			if (q - content >= 2 && q[-2] == '\r' && q[-1] == '\n') {
				next = q;
				break;
			}
			s = q + 1;
		}
		if (!next)
			return DT_EDATA;
		if (!cd)
			return DT_EDATA;
		while (cdlen > 0 && (*cd == ' ' || *cd == '\t')) {
			cd++;
			cdlen--;
		}
		if (cdlen < 9 || strncasecmp(cd, "form-data", 9) != 0 ||
		    !header_param(cd + 9, cdlen - 9, "name", name, sizeof(name)) || !*name)
			return DT_EDATA;
		rc = add_field(f, name, strlen(name), content, (size_t)(next - 2 - content),
		               header_param(cd + 9, cdlen - 9, "filename", filename, sizeof(filename)));
		if (rc != DT_OK)
			return rc;
		p = next;
	}
}

int dt_web_form_parse(const char *content_type, const char *body, size_t len, dt_web_form **out)
{
	dt_web_form *f;
	int rc;

	*out = NULL;
	if (!content_type)
		return DT_EUSAGE;
	f = calloc(1, sizeof(*f));
	if (!f)
		return DT_ENOMEM;
	if (strncasecmp(content_type, "application/x-www-form-urlencoded", 33) == 0 &&
	    (content_type[33] == '\0' || content_type[33] == ';'))
		rc = parse_urlencoded(f, body ? body : "", body ? len : 0);
	else if (strncasecmp(content_type, "multipart/form-data", 19) == 0 && content_type[19] == ';')
		rc = body ? parse_multipart(f, content_type + 20, body, len) : DT_EDATA;
	else
		rc = DT_EUSAGE;
	if (rc != DT_OK) {
		dt_web_form_free(f);
		return rc;
	}
	*out = f;
	return DT_OK;
}

static const field *lookup(const dt_web_form *f, const char *name)
{
	for (size_t i = 0; f && i < f->n; i++)
		if (strcmp(f->f[i].name, name) == 0)
			return &f->f[i];
	return NULL;
}

const char *dt_web_form_get(const dt_web_form *f, const char *name, size_t *len)
{
	const field *x = lookup(f, name);

	if (!x || x->is_file)
		return NULL;
	if (len)
		*len = x->len;
	return x->value;
}

const unsigned char *dt_web_form_file(const dt_web_form *f, const char *name, size_t *len)
{
	const field *x = lookup(f, name);

	if (!x || !x->is_file || x->len == 0)
		return NULL;
	if (len)
		*len = x->len;
	return (const unsigned char *)x->value;
}

int dt_web_form_text_ok(const dt_web_form *f)
{
	for (size_t i = 0; f && i < f->n; i++) {
		if (!dt_web_utf8_valid(f->f[i].name, strlen(f->f[i].name)))
			return 0;
		if (!f->f[i].is_file && !dt_web_utf8_valid(f->f[i].value, f->f[i].len))
			return 0;
	}
	return 1;
}

/* The tag of code at time t, base64url. */
static void csrf_tag(const unsigned char key[DT_WEB_KEY_BYTES], const char *code, const char *t, char *out,
                     size_t size)
{
	crypto_auth_hmacsha256_state h;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];

	crypto_auth_hmacsha256_init(&h, key, DT_WEB_KEY_BYTES);
	crypto_auth_hmacsha256_update(&h, (const unsigned char *)"csrf:", 5);
	crypto_auth_hmacsha256_update(&h, (const unsigned char *)code, strlen(code));
	crypto_auth_hmacsha256_update(&h, (const unsigned char *)":", 1);
	crypto_auth_hmacsha256_update(&h, (const unsigned char *)t, strlen(t));
	crypto_auth_hmacsha256_final(&h, mac);
	sodium_bin2base64(out, size, mac, TAG_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(mac, sizeof(mac));
}

int dt_web_csrf_make(const unsigned char key[DT_WEB_KEY_BYTES], const char *code, int64_t now, char *out,
                     size_t size)
{
	char t[24], tag[32];

	if (!out || size < DT_WEB_TOKEN_SIZE || !code || strlen(code) > 64 || now < 0)
		return DT_EUSAGE;
	snprintf(t, sizeof(t), "%" PRId64, now);
	csrf_tag(key, code, t, tag, sizeof(tag));
	snprintf(out, size, "%s.%s", t, tag);
	return DT_OK;
}

int dt_web_csrf_check(const unsigned char key[DT_WEB_KEY_BYTES], const char *code, const char *token,
                      int64_t now, int64_t max_age)
{
	char t[24], expect[32];
	size_t n;
	int64_t made;

	if (!token || !code || strlen(code) > 64)
		return DT_EVERIFY;
	n = strspn(token, "0123456789");
	if (n == 0 || n > 18 || token[n] != '.')
		return DT_EVERIFY;
	memcpy(t, token, n);
	t[n] = '\0';
	made = strtoll(t, NULL, 10);
	if (made > now + 300 || now - made > max_age)
		return DT_EVERIFY;
	csrf_tag(key, code, t, expect, sizeof(expect));
	if (strlen(token + n + 1) != strlen(expect) || sodium_memcmp(token + n + 1, expect, strlen(expect)) != 0)
		return DT_EVERIFY;
	return DT_OK;
}
