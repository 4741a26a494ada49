/*
 * Setup commands: init, check, backup, settings, the audit log.
 */
#include <stdlib.h>
#include "rdlz.h"

int cmd_init(rdlz_run *run)
{
	/* the database was created or migrated when it was opened */
	fprintf(run->out, "%s: schema version %d, journal mode %s\n", dt_ctx_path(run->ctx), dt_schema_version(),
	        dt_journal_mode());
	return EXIT_OK;
}

int cmd_check(rdlz_run *run)
{
	dt_writer *w;
	int code = rdlz_writer(run, 0, &w);

	if (code != EXIT_OK)
		return code;
	return rdlz_finish(run, w, dt_check(run->ctx, rdlz_opt(run, "expect-head"), w));
}

int cmd_backup(rdlz_run *run)
{
	int rc = dt_backup(run->ctx, run->argv[0]);

	if (rc != DT_OK)
		return rdlz_fail(run, rc);
	fprintf(run->out, "%s\n", run->argv[0]);
	return EXIT_OK;
}

int cmd_set_config(rdlz_run *run)
{
	return rdlz_finish(run, NULL, dt_config_set(run->ctx, run->argv[0], run->argv[1]));
}

int cmd_show_config(rdlz_run *run)
{
	dt_writer *w;
	int code = rdlz_writer(run, 0, &w);

	if (code != EXIT_OK)
		return code;
	return rdlz_finish(run, w, dt_config_list(run->ctx, run->argc ? run->argv[0] : NULL, w));
}

int cmd_list_audit(rdlz_run *run)
{
	long limit = 0;
	dt_writer *w;
	int code = rdlz_opt_int(run, "limit", 1, 1000000000L, &limit);

	if (code == EXIT_OK)
		code = rdlz_writer(run, 0, &w);
	if (code != EXIT_OK)
		return code;
	return rdlz_finish(run, w, dt_audit_list(run->ctx, (uint64_t)limit, w));
}
