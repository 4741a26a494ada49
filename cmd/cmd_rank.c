/*
 * The performance index: points rules, the ranking, its explanation,
 * saved rankings and reminders to the lowest ranked.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "rdlz.h"

int cmd_set_rules(rdlz_run *run)
{
	int64_t version = 0;
	FILE *in;
	int rc, code = rdlz_open_input(run->argv[0], &in);

	if (code != EXIT_OK)
		return code;
	rc = dt_rules_load(run->ctx, in, run->argv[0], &version);
	rdlz_close_input(in);
	return rdlz_print_number(run, rc, version);
}

int cmd_show_rules(rdlz_run *run)
{
	long version = 0;
	dt_writer *w;
	int code = EXIT_OK;

	if (rdlz_opt(run, "version"))
		code = rdlz_opt_int(run, "version", 1, INT32_MAX, &version);
	if (code == EXIT_OK)
		code = rdlz_writer(run, 0, &w);
	if (code != EXIT_OK)
		return code;
	return rdlz_finish(run, w, dt_rules_show(run->ctx, version, w));
}

static int rank_record(rdlz_run *run, int (*fn)(dt_ctx *, int64_t, dt_writer *), int64_t id)
{
	dt_writer *w;
	int code = rdlz_writer(run, 0, &w);

	return code != EXIT_OK ? code : rdlz_finish(run, w, fn(run->ctx, id, w));
}

int cmd_rank(rdlz_run *run)
{
	dt_rank_options o = DT_RANK_OPTIONS_INIT;
	const char *explain = rdlz_opt(run, "explain");
	long n = 0;
	dt_writer *w;
	int code = EXIT_OK;

	if (rdlz_opt(run, "verify") || rdlz_opt(run, "saved")) {
		const char *which = rdlz_opt(run, "verify") ? "verify" : "saved";

		code = rdlz_opt_int(run, which, 1, INT32_MAX, &n);
		if (code != EXIT_OK)
			return code;
		return rank_record(run, !strcmp(which, "verify") ? dt_rank_verify : dt_rank_saved, n);
	}
	code = rdlz_period(run, &o.period, &o.from, &o.to);
	if (code == EXIT_OK && rdlz_opt(run, "rules-version"))
		code = rdlz_opt_int(run, "rules-version", 1, INT32_MAX, &n), o.rules_version = n;
	if (code == EXIT_OK && rdlz_opt(run, "top"))
		code = rdlz_opt_int(run, "top", 1, INT32_MAX, &n), o.top = n;
	if (code == EXIT_OK && rdlz_opt(run, "bottom"))
		code = rdlz_opt_int(run, "bottom", 1, INT32_MAX, &n), o.bottom = n;
	if (code != EXIT_OK)
		return code;
	o.delegation = rdlz_opt(run, "delegation");
	if (rdlz_opt(run, "remind-bottom") || rdlz_opt(run, "remind-below")) {
		uint64_t queued = 0;
		double below = 0;
		int rc;

		if (rdlz_opt(run, "remind-bottom")) {
			code = rdlz_opt_int(run, "remind-bottom", 1, INT32_MAX, &n);
		} else {
			char *end;

			n = 0;
			below = strtod(rdlz_opt(run, "remind-below"), &end);
			if (*end || below <= 0 || below > 100)
				return rdlz_usage_error(run->cmd, "--remind-below takes an index above 0, at most 100");
		}
		if (code != EXIT_OK)
			return code;
		rc = dt_rank_remind(run->ctx, &o, n, below, &queued);
		return rdlz_print_number(run, rc, (int64_t)queued);
	}
	if (rdlz_has(run, "save")) {
		int64_t id = 0;
		int rc = dt_rank_save(run->ctx, &o, &id);

		return rdlz_print_number(run, rc, id);
	}
	code = rdlz_writer(run, 0, &w);
	if (code != EXIT_OK)
		return code;
	if (explain)
		return rdlz_finish(run, w, dt_rank_explain(run->ctx, &o, explain, w));
	return rdlz_finish(run, w, dt_rank(run->ctx, &o, w));
}

int cmd_publish_leaderboard(rdlz_run *run)
{
	dt_rank_options o = DT_RANK_OPTIONS_INIT;
	const char *dir = rdlz_opt(run, "out");
	long n = 0;
	int rc, code = rdlz_period(run, &o.period, &o.from, &o.to);

	if (code == EXIT_OK && rdlz_opt(run, "rules-version"))
		code = rdlz_opt_int(run, "rules-version", 1, INT32_MAX, &n), o.rules_version = n;
	if (code != EXIT_OK)
		return code;
	if (!dir)
		return rdlz_usage_error(run->cmd, "'publish-leaderboard' needs --out DIR");
	rc = dt_leaderboard_publish(run->ctx, &o, dir);
	if (rc != DT_OK)
		return rdlz_fail(run, rc);
	fprintf(run->out, "%s/index.html\n%s/leaderboard.json\n", dir, dir);
	return EXIT_OK;
}
