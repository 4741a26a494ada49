/*
 * report: every module's figures for a period, as rows, as a printable
 * HTML page, or as a PDF printed from that page by headless Chromium.
 */
/* nftw() and mkstemps() */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "rdlz.h"

extern char **environ;

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Chromium as Debian names it, or as other systems do; NULL when none. */
static const char *find_browser(void)
{
	static const char *const names[] = { "chromium", "chromium-browser", "google-chrome" };
	const char *path = getenv("PATH");

	for (size_t i = 0; path && i < sizeof(names) / sizeof(names[0]); i++) {
		const char *p = path;

		while (*p) {
			size_t n = strcspn(p, ":");
			char file[4096];

			snprintf(file, sizeof(file), "%.*s/%s", (int)n, p, names[i]);
			if (n && access(file, X_OK) == 0)
				return names[i];
			p += n + (p[n] == ':');
		}
	}
	return NULL;
}

/* Print html (a file) to pdf through headless Chromium, in a profile of
 * its own that is removed afterwards; the PDF replaces pdf whole. */
static int print_pdf(const char *html, const char *pdf)
{
	const char *browser = find_browser();
	char profile[] = "/tmp/rdlz-chromium-XXXXXX", arg_profile[64], arg_pdf[4200], url[4200], tmp[4160];
	char *argv[16];
	int argc = 0, status = 0, code = EXIT_OK;
	pid_t pid;

	if (!browser) {
		fprintf(stderr, "rdlz: --pdf prints through Chromium, which is not installed (apt-get install chromium)\n");
		return EXIT_FAILED;
	}
	if (!mkdtemp(profile)) {
		fprintf(stderr, "rdlz: cannot make a directory in /tmp: %s\n", strerror(errno));
		return EXIT_FAILED;
	}
	snprintf(arg_profile, sizeof(arg_profile), "--user-data-dir=%s", profile);
	snprintf(tmp, sizeof(tmp), "%s.tmp%ld", pdf, (long)getpid());
	snprintf(arg_pdf, sizeof(arg_pdf), "--print-to-pdf=%s", tmp);
	snprintf(url, sizeof(url), "file://%s", html);
	argv[argc++] = (char *)browser;
	argv[argc++] = "--headless";
	argv[argc++] = "--no-sandbox";
	argv[argc++] = "--disable-gpu";
	argv[argc++] = "--no-first-run";
	argv[argc++] = "--disable-background-networking";
	argv[argc++] = "--disable-component-update";
	argv[argc++] = "--no-pdf-header-footer";
	argv[argc++] = arg_profile;
	argv[argc++] = arg_pdf;
	argv[argc++] = url;
	argv[argc] = NULL;
	{
		posix_spawn_file_actions_t fa;

		posix_spawn_file_actions_init(&fa);
		/* Chromium talks on both; the user wants only the PDF */
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
		posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
		errno = posix_spawnp(&pid, browser, &fa, NULL, argv, environ);
		posix_spawn_file_actions_destroy(&fa);
	}
	if (errno != 0) {
		fprintf(stderr, "rdlz: cannot run %s: %s\n", browser, strerror(errno));
		code = EXIT_FAILED;
	} else if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
	           access(tmp, F_OK) != 0) {
		fprintf(stderr, "rdlz: %s did not print '%s'\n", browser, pdf);
		code = EXIT_FAILED;
	} else if (rename(tmp, pdf) != 0) {
		fprintf(stderr, "rdlz: cannot write '%s': %s\n", pdf, strerror(errno));
		code = EXIT_FAILED;
	}
	if (code != EXIT_OK)
		unlink(tmp);
	nftw(profile, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	return code;
}

/* The page into a private temporary file, printed to pdf. */
static int report_pdf(rdlz_run *run, const char *title, int64_t from, int64_t to, const char *pdf)
{
	char html[] = "/tmp/rdlz-report-XXXXXX.html", *abs = NULL;
	int fd = mkstemps(html, 5), code, rc;

	if (fd < 0) {
		fprintf(stderr, "rdlz: cannot make a file in /tmp: %s\n", strerror(errno));
		return EXIT_FAILED;
	}
	close(fd);
	rc = dt_report_html(run->ctx, title, from, to, html);
	code = rc == DT_OK ? EXIT_OK : rdlz_fail(run, rc);
	if (code == EXIT_OK) {
		/* Chromium resolves a relative file name against its own directory */
		abs = pdf[0] == '/' ? NULL : realpath(".", NULL);
		if ((pdf[0] != '/' && !abs) || (abs ? strlen(abs) + 1 : 0) + strlen(pdf) >= 4096) {
			fprintf(stderr, "rdlz: cannot resolve '%s': %s\n", pdf, strerror(errno));
			code = EXIT_FAILED;
		} else {
			char path[4096];

			snprintf(path, sizeof(path), "%s%s%s", abs ? abs : "", abs ? "/" : "", pdf);
			code = print_pdf(html, path);
		}
	}
	free(abs);
	unlink(html);
	return code;
}

int cmd_report(rdlz_run *run)
{
	const char *name, *html = rdlz_opt(run, "html"), *pdf = rdlz_opt(run, "pdf");
	char title[96];
	int64_t from, to;
	dt_writer *w;
	int code = rdlz_period(run, &name, &from, &to);

	if (code != EXIT_OK)
		return code;
	if (!name) {
		snprintf(title, sizeof(title), "%s 至 %s", rdlz_opt(run, "from"), rdlz_opt(run, "to"));
		name = title;
	}
	if (html || pdf) {
		if (rdlz_opt(run, "format") || rdlz_opt(run, "out"))
			return rdlz_usage_error(run->cmd, "--%s applies to the listing, not to --html or --pdf",
			                        rdlz_opt(run, "format") ? "format" : "out");
		int rc = html ? dt_report_html(run->ctx, name, from, to, html) : DT_OK;

		if (rc != DT_OK)
			return rdlz_fail(run, rc);
		return pdf ? report_pdf(run, name, from, to, pdf) : EXIT_OK;
	}
	code = rdlz_writer(run, 0, &w);
	return code != EXIT_OK ? code : rdlz_finish(run, w, dt_report(run->ctx, from, to, w));
}
