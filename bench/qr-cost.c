/*
 * qr-cost: where the time of issuing a code goes, split into encoding the
 * URL (libqrencode) and writing the PNG file (libpng + the file system).
 * Reads URLs, one a line, on standard input; writes into DIR.
 * usage: qr-cost DIR < urls.txt
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "qr_internal.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	char line[1024], path[4096];
	double enc = 0, wr = 0, t;
	int n = 0;

	if (argc != 2) {
		fputs("usage: qr-cost DIR < urls.txt\n", stderr);
		return 2;
	}
	while (fgets(line, sizeof(line), stdin)) {
		QRcode *qr;
		FILE *f;

		line[strcspn(line, "\n")] = '\0';
		t = now();
		if (dt__qr_encode(NULL, line, 'M', &qr) != DT_OK)
			return 1;
		enc += now() - t;
		snprintf(path, sizeof(path), "%s/%d.png", argv[1], n);
		t = now();
		f = fopen(path, "wb");
		if (!f || dt__qr_write_png(qr, 4, 8, f) != DT_OK || fclose(f) != 0)
			return 1;
		wr += now() - t;
		QRcode_free(qr);
		n++;
	}
	printf("codes %d\nencode_ms_per_code %.3f\nwrite_ms_per_code %.3f\n", n, enc * 1000 / n, wr * 1000 / n);
	return 0;
}
