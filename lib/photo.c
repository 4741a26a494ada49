/*
 * Photos of snap-and-send suggestions: accepted by content (the bytes must
 * be a JPEG, PNG, WebP or HEIC image, whatever the file is called), at most
 * 20 MB, stored once per SHA-256 in the database so the one file is the
 * whole state. A public copy drops what phones write into photos (EXIF with
 * the GPS position, device and owner; XMP; comments).
 */
#include <errno.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cases_internal.h"

#define PHOTO_MAX (20u * 1024 * 1024)

/* The image type of the bytes, by their signature, or NULL. */
static const char *sniff(const unsigned char *b, size_t n)
{
	static const char *const heif_brands[] = { "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1" };

	if (n >= 3 && b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff)
		return "image/jpeg";
	if (n >= 8 && !memcmp(b, "\x89PNG\r\n\x1a\n", 8))
		return "image/png";
	if (n >= 12 && !memcmp(b, "RIFF", 4) && !memcmp(b + 8, "WEBP", 4))
		return "image/webp";
	if (n >= 12 && !memcmp(b + 4, "ftyp", 4))
		for (size_t i = 0; i < sizeof(heif_brands) / sizeof(heif_brands[0]); i++)
			if (!memcmp(b + 8, heif_brands[i], 4))
				return "image/heic";
	return NULL;
}

static int read_file(dt_ctx *ctx, const char *path, unsigned char **data, size_t *len)
{
	struct stat sb;
	FILE *f = fopen(path, "rb");

	*data = NULL;
	if (!f)
		return dt__error(ctx, DT_EUSAGE, "photo '%s': %s", path, strerror(errno));
	if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
		fclose(f);
		return dt__error(ctx, DT_EDATA, "photo '%s' is not a file", path);
	}
	if ((uint64_t)sb.st_size > PHOTO_MAX) {
		fclose(f);
		return dt__error(ctx, DT_EDATA, "photo '%s' is %.1f MB; at most 20 MB is accepted", path,
		                 (double)sb.st_size / (1024 * 1024));
	}
	*data = malloc((size_t)sb.st_size + 1);
	*len = *data ? fread(*data, 1, (size_t)sb.st_size, f) : 0;
	fclose(f);
	if (!*data)
		return dt__error(ctx, DT_ENOMEM, "out of memory");
	return DT_OK;
}

int dt__photo_attach(dt_ctx *ctx, int64_t id, const char *path)
{
	unsigned char *data, d[crypto_hash_sha256_BYTES];
	char hex[65];
	const char *mime;
	sqlite3_stmt *st;
	size_t len;
	int rc = read_file(ctx, path, &data, &len);

	if (rc != DT_OK)
		return rc;
	mime = sniff(data, len);
	if (!mime) {
		free(data);
		return dt__error(ctx, DT_EDATA, "photo '%s' is not a JPEG, PNG, WebP or HEIC image (by its content)", path);
	}
	crypto_hash_sha256(d, data, len);
	sodium_bin2hex(hex, sizeof(hex), d, sizeof(d));
	rc = dt__prepare(ctx, &st,
	                 "INSERT INTO photo(sha256, mime, size, bytes, created_at) VALUES (?1, ?2, ?3, ?4, ?5)"
	                 " ON CONFLICT(sha256) DO NOTHING");
	if (rc == DT_OK) {
		sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, mime, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, (int64_t)len);
		sqlite3_bind_blob(st, 4, data, (int)len, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, dt_ctx_now(ctx));
		rc = sqlite3_step(st) == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, sqlite3_errcode(ctx->db), "saving a photo");
		sqlite3_finalize(st);
	}
	free(data);
	if (rc == DT_OK)
		rc = dt__prepare(ctx, &st, "INSERT OR IGNORE INTO case_photo(case_id, sha256) VALUES (?1, ?2)");
	if (rc == DT_OK) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, hex, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? DT_OK : dt__sqlerr(ctx, sqlite3_errcode(ctx->db), "attaching a photo");
		sqlite3_finalize(st);
	}
	return rc;
}

/* JPEG without APPn segments other than JFIF (APP0) and without comments:
 * EXIF and XMP live in APP1, Photoshop's IPTC in APP13. */
static size_t strip_jpeg(const unsigned char *in, size_t n, unsigned char *out)
{
	size_t i = 2, o = 2;

	memcpy(out, in, 2);
	while (i + 4 <= n && in[i] == 0xff) {
		unsigned char m = in[i + 1];
		size_t seg = ((size_t)in[i + 2] << 8) | in[i + 3];

		if (m == 0xda || i + 2 + seg > n) /* start of scan: the rest is image data */
			break;
		if (!((m >= 0xe1 && m <= 0xef) || m == 0xfe)) {
			memcpy(out + o, in + i, seg + 2);
			o += seg + 2;
		}
		i += seg + 2;
	}
	memcpy(out + o, in + i, n - i);
	return o + n - i;
}

/* PNG without the text, time and EXIF chunks. */
static size_t strip_png(const unsigned char *in, size_t n, unsigned char *out)
{
	static const char *const drop[] = { "tEXt", "zTXt", "iTXt", "eXIf", "tIME" };
	size_t i = 8, o = 8;

	memcpy(out, in, 8);
	while (i + 12 <= n) {
		size_t len = ((size_t)in[i] << 24) | ((size_t)in[i + 1] << 16) | ((size_t)in[i + 2] << 8) | in[i + 3];
		int keep = 1;

		if (i + 12 + len > n)
			break;
		for (size_t k = 0; k < sizeof(drop) / sizeof(drop[0]); k++)
			if (!memcmp(in + i + 4, drop[k], 4))
				keep = 0;
		if (keep) {
			memcpy(out + o, in + i, len + 12);
			o += len + 12;
		}
		i += len + 12;
	}
	return o;
}

/* WebP without its EXIF and XMP chunks, the VP8X flags and RIFF size mended. */
static size_t strip_webp(const unsigned char *in, size_t n, unsigned char *out)
{
	size_t i = 12, o = 12, vp8x = 0;

	memcpy(out, in, 12);
	while (i + 8 <= n) {
		size_t len = in[i + 4] | ((size_t)in[i + 5] << 8) | ((size_t)in[i + 6] << 16) | ((size_t)in[i + 7] << 24);
		size_t whole = 8 + len + (len & 1);

		if (i + whole > n)
			whole = n - i;
		if (memcmp(in + i, "EXIF", 4) && memcmp(in + i, "XMP ", 4)) {
			if (!memcmp(in + i, "VP8X", 4))
				vp8x = o;
			memcpy(out + o, in + i, whole);
			o += whole;
		}
		i += whole;
	}
	if (vp8x && o > vp8x + 8)
		out[vp8x + 8] &= (unsigned char)~(0x08 | 0x04); /* EXIF and XMP flags */
	out[4] = (unsigned char)((o - 8) & 0xff);
	out[5] = (unsigned char)(((o - 8) >> 8) & 0xff);
	out[6] = (unsigned char)(((o - 8) >> 16) & 0xff);
	out[7] = (unsigned char)(((o - 8) >> 24) & 0xff);
	return o;
}

static const dt_column export_columns[] = {
	{ "file", DT_COL_TEXT, 0 },
	{ "type", DT_COL_TEXT, 0 },
	{ "bytes", DT_COL_INT, 0 },
};

int dt__file_write(dt_ctx *ctx, const char *path, const void *data, size_t n, int mode)
{
	size_t tn = strlen(path) + 16;
	char *tmp = malloc(tn);
	FILE *f;
	int fd, e = 0;

	if (!tmp)
		return dt__error(ctx, DT_ENOMEM, "out of memory");
	snprintf(tmp, tn, "%s.tmp-XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0 || (mode && fchmod(fd, (mode_t)mode) != 0) || !(f = fdopen(fd, "wb"))) {
		e = errno;
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		return dt__error(ctx, DT_EIO, "cannot write '%s': %s", path, strerror(e));
	}
	/* the stream is closed whether or not the write went through */
	errno = 0;
	if (fwrite(data, 1, n, f) != n)
		e = errno ? errno : EIO;
	if (fclose(f) != 0 && !e)
		e = errno;
	if (!e && rename(tmp, path) != 0)
		e = errno;
	if (e) {
		unlink(tmp);
		free(tmp);
		return dt__error(ctx, DT_EIO, "cannot write '%s': %s", path, strerror(e));
	}
	free(tmp);
	return DT_OK;
}

int dt_case_export_photos(dt_ctx *ctx, int64_t id, const char *dir, int public_copy, dt_writer *w)
{
	sqlite3_stmt *st;
	struct stat sb;
	int rc;

	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return dt__error(ctx, DT_EUSAGE, "cannot write to '%s': not a directory", dir);
	rc = dt__prepare(ctx, &st, "SELECT (SELECT count(*) FROM cases WHERE id = ?1),"
	                           " (SELECT count(*) FROM case_photo cp JOIN photo p ON p.sha256 = cp.sha256"
	                           "  WHERE cp.case_id = ?1 AND p.mime = 'image/heic')");
	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_step(st);
	if (sqlite3_column_int(st, 0) == 0) {
		sqlite3_finalize(st);
		return dt__error(ctx, DT_ENOTFOUND, "no case %" PRId64, id);
	}
	/* refuse before writing anything, not half-way */
	if (public_copy && sqlite3_column_int(st, 1) > 0) {
		sqlite3_finalize(st);
		return dt__error(ctx, DT_EUSAGE, "case %" PRId64 " has HEIC photos, whose metadata rdlz cannot strip:"
		                 " export them for staff only", id);
	}
	sqlite3_finalize(st);
	rc = dt__prepare(ctx, &st,
	                 "SELECT p.sha256, p.mime, p.bytes FROM case_photo cp JOIN photo p ON p.sha256 = cp.sha256"
	                 " WHERE cp.case_id = ?1 ORDER BY p.sha256");
	if (rc != DT_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = dt__writer_status(ctx, dt_writer_begin(w, export_columns, 3));
	while (rc == DT_OK && dt__next(ctx, st, &rc)) {
		const char *mime = (const char *)sqlite3_column_text(st, 1);
		const unsigned char *data = sqlite3_column_blob(st, 2);
		size_t n = (size_t)sqlite3_column_bytes(st, 2);
		const char *ext = strchr(mime, '/') + 1;
		unsigned char *clean = NULL;
		char path[4096];
		dt_value v[3] = { { 0 } };

		if (public_copy) {
			clean = malloc(n + 16);
			if (!clean) {
				rc = dt__error(ctx, DT_ENOMEM, "out of memory");
				break;
			}
			n = !strcmp(mime, "image/jpeg") ? strip_jpeg(data, n, clean)
			    : !strcmp(mime, "image/png") ? strip_png(data, n, clean)
			                                 : strip_webp(data, n, clean);
			data = clean;
		}
		snprintf(path, sizeof(path), "%s/%s.%s", dir, (const char *)sqlite3_column_text(st, 0),
		         !strcmp(ext, "jpeg") ? "jpg" : ext);
		rc = dt__file_write(ctx, path, data, n, 0);
		free(clean);
		v[0].text = path;
		v[1].text = mime;
		v[2].i = (int64_t)n;
		if (rc == DT_OK)
			rc = dt__writer_status(ctx, dt_writer_row(w, v));
	}
	sqlite3_finalize(st);
	if (rc == DT_OK)
		rc = dt__writer_status(ctx, dt_writer_end(w));
	return rc;
}
