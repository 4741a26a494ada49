/*
 * What a QR scanner hands over (rdlz verify-qr TEXT, submit-request --qr):
 * dt_qr_verify and dt_qr_deputy against the fixture's qr.base_url and key.
 *
 * A forged signature is all a fuzzer can write, so the first byte also
 * picks a second mode: bit 0 set, the input starts with a deputy's code
 * (up to the first space or line break) which is signed with dt_qr_url,
 * and the rest of the input is appended to the genuine URL, as a scanner
 * or a forger might; the genuine URL alone must verify. Bit 1 unmasks the
 * card (which is audited), bits 2-3 pick its format.
 */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"

static int verify(dt_ctx *ctx, const char *text, uint8_t flags, char **code)
{
	dt_writer *w = fz_writer(FZ_FORMAT(flags >> 2), flags & 2 ? DT_WRITE_UNMASK | DT_WRITE_RECORD : DT_WRITE_RECORD);
	int rc = dt_qr_verify(ctx, text, w), rc2;

	fz_touch(dt_errmsg(ctx));
	fz_writer_done(w);
	rc2 = dt_qr_deputy(ctx, text, code);
	fz_touch(dt_errmsg(ctx));
	if ((rc == DT_OK) != (rc2 == DT_OK))
		fz_fail("verify-qr and the deputy of '%s' disagree: %d, %d", text, rc, rc2);
	return rc;
}

/* Sign the code the input starts with and verify that URL, then the URL
 * with the rest of the input after it. */
static void genuine(dt_ctx *ctx, const char *text, uint8_t flags)
{
	size_t n = strcspn(text, " \r\n");
	char *code = strndup(text, n), *url = NULL, *got = NULL, *tampered;
	int rc = dt_qr_url(ctx, code, &url);

	fz_touch(dt_errmsg(ctx));
	if (rc == DT_OK) {
		rc = verify(ctx, url, flags, &got);
		/* RZ0005 has retired: signed, but no longer serving */
		if (strcmp(code, "RZ0005") != 0 && (rc != DT_OK || !got || strcmp(got, code) != 0))
			fz_fail("a URL the library signed does not verify: '%s': %s", url, dt_errmsg(ctx));
		free(got);
		got = NULL;
		tampered = malloc(strlen(url) + strlen(text + n) + 1);
		if (!tampered)
			fz_fail("out of memory");
		strcpy(tampered, url);
		strcat(tampered, text + n);
		verify(ctx, tampered, flags, &got);
		free(tampered);
	}
	free(got);
	free(url);
	free(code);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dt_ctx *ctx;
	char *text, *code = NULL;

	if (size < 1)
		return 0;
	ctx = fz_ctx();
	text = fz_string(data + 1, size - 1);
	if (data[0] & 1)
		genuine(ctx, text, data[0]);
	else
		verify(ctx, text, data[0], &code);
	free(code);
	free(text);
	fz_reset();
	return 0;
}
