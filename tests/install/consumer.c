/* A program built against the installed library, as a front end would be. */
#include <stdio.h>
#include <dutytrack/dutytrack.h>

int main(int argc, char **argv)
{
	dt_open_options o = DT_OPEN_OPTIONS_INIT;
	dt_writer *w = NULL;
	dt_ctx *ctx = NULL;
	int rc;

	if (argc != 2)
		return 2;
	o.path = argv[1];
	o.create = 1;
	rc = dt_ctx_open(&ctx, &o);
	if (rc == DT_OK)
		rc = dt_writer_new(&w, DT_FORMAT_JSON, 0, dt_writer_sink_file, stdout);
	if (rc == DT_OK)
		rc = dt_deputy_list(ctx, NULL, w);
	if (rc != DT_OK)
		fprintf(stderr, "consumer: %s\n", dt_errmsg(ctx));
	printf("libdutytrack %s\n", dt_version());
	dt_writer_free(w);
	dt_ctx_free(ctx);
	return rc == DT_OK ? 0 : 1;
}
