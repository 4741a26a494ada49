/*
 * The report as one printable page: key figures, three SVG charts
 * (attendance per month, the case funnel, the top ten) and every figure in
 * tables. Self-contained, as the leaderboard is: inline CSS, no scripts,
 * nothing fetched, so it can be mailed, archived or printed as it is.
 */
#include <stdlib.h>
#include <string.h>
#include "report_internal.h"
#include "dutytrack/report.h"

static const char style[] =
	"*{box-sizing:border-box}body{margin:0;font-family:system-ui,\"Noto Sans CJK SC\",\"Microsoft YaHei\",sans-serif;"
	"color:#1f2328;background:#f6f4ef}header{background:#b3261e;color:#fff;padding:20px 24px}"
	"header h1{margin:0;font-size:24px}header p{margin:4px 0 0;opacity:.85;font-size:14px}"
	"main{max-width:980px;margin:0 auto;padding:16px}section{background:#fff;border-radius:12px;padding:16px;"
	"margin-bottom:16px;box-shadow:0 1px 3px rgba(0,0,0,.12);break-inside:avoid}h2{font-size:17px;margin:0 0 12px}"
	".kpis{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:12px;background:none;"
	"box-shadow:none;padding:0}.kpi{background:#fff;border-radius:12px;padding:12px 14px;"
	"box-shadow:0 1px 3px rgba(0,0,0,.12)}.kpi b{display:block;font-size:26px;color:#b3261e;"
	"font-variant-numeric:tabular-nums}.kpi span{font-size:13px;color:#59636e}.kpi small{display:block;font-size:12px;"
	"color:#59636e}.two{display:grid;grid-template-columns:1fr 1fr;gap:16px}svg{width:100%;height:auto;display:block}"
	"svg text{font-size:12px;fill:#1f2328}svg .v{font-size:11px;fill:#59636e}table{width:100%;border-collapse:collapse;"
	"font-size:14px}th,td{padding:6px 8px;border-bottom:1px solid #eee;text-align:left}th{background:#f0ebe3}"
	"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}.tables{columns:2 420px;column-gap:16px}"
	".tables table{break-inside:avoid;margin-bottom:12px}caption{text-align:left;font-weight:600;padding:4px 0}"
	".legend{font-size:12px;color:#59636e}.legend i{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px}"
	"footer{color:#59636e;font-size:12px;padding:16px;text-align:center}"
	"@page{size:A4;margin:12mm}@media print{body{background:#fff}section,.kpi{box-shadow:none;border:1px solid #ddd}"
	"header{-webkit-print-color-adjust:exact;print-color-adjust:exact}}";

#define RED "#b3261e"
#define GOLD "#d9a441"

typedef struct {
	const char *name, *title;
} section_title;

static const section_title sections[] = {
	{ "deputies", "代表与二维码" },     { "requests", "群众诉求（码上提）" }, { "suggestions", "微建议" },
	{ "events", "会议、询问、庭审与学习活动" }, { "months", "按月出席人次" }, { "learning", "学习" },
	{ "surveys", "满意度测评" },        { "ranking", "履职排名" },           { "reminders", "提醒与通知" },
};

/* A figure as the page shows it: a share as a percentage, a count whole. */
static void value(FILE *f, const report_figure *fig)
{
	if (!fig || fig->is_null)
		fputs("—", f);
	else if (strstr(fig->metric, "_rate"))
		fprintf(f, "%.1f%%", fig->value * 100);
	else if (fig->value == (double)(long long)fig->value)
		fprintf(f, "%lld", (long long)fig->value);
	else
		fprintf(f, "%.2f", fig->value);
}

static void kpi(FILE *f, const report *r, const char *section, const char *metric, const char *what,
                const char *sub_section, const char *sub_metric, const char *sub_what)
{
	fputs("<div class=\"kpi\"><b>", f);
	value(f, dt__report_find(r, section, metric));
	fprintf(f, "</b><span>%s</span>", what);
	if (sub_metric) {
		fprintf(f, "<small>%s ", sub_what);
		value(f, dt__report_find(r, sub_section, sub_metric));
		fputs("</small>", f);
	}
	fputs("</div>\n", f);
}

static void kpis(FILE *f, const report *r)
{
	fputs("<section class=\"kpis\">\n", f);
	kpi(f, r, "deputies", "serving", "在任代表", "deputies", "with_qr", "已发二维码");
	kpi(f, r, "requests", "received", "群众诉求", "requests", "on_time_rate", "按时率");
	kpi(f, r, "suggestions", "received", "微建议", "suggestions", "satisfaction_rate", "满意率");
	kpi(f, r, "events", "all_online", "线上出席人次", "events", "all_person_times", "出席人次");
	kpi(f, r, "events", "all_comments", "评论与留言", "events", "all_sessions", "活动场次");
	kpi(f, r, "events", "hearing_person_times", "庭审旁听人次", "events", "hearing_sessions", "庭审场次");
	kpi(f, r, "learning", "person_times", "学习人次", "events", "training_person_times", "培训人次");
	kpi(f, r, "surveys", "turnout_rate", "测评参评率", "surveys", "satisfaction_rate", "满意率");
	fputs("</section>\n", f);
}

/* Bars per month: person-times, with the online share drawn inside. */
static void month_chart(FILE *f, const report *r)
{
	const double w = 720, h = 240, left = 40, bottom = 30, top = 20;
	size_t n = 0;
	double max = 1;

	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->figs[i].section, "months") && !strstr(r->figs[i].metric, "_online")) {
			n++;
			if (r->figs[i].value > max)
				max = r->figs[i].value;
		}
	fputs("<section><h2>出席人次（按月）</h2><div class=\"legend\"><i style=\"background:" GOLD "\"></i>现场与线上"
	      "<i style=\"background:" RED "\"></i>其中线上</div>\n",
	      f);
	fprintf(f, "<svg viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"出席人次按月\">\n", w, h);
	fprintf(f, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#999\"/>\n", left, h - bottom, w,
	        h - bottom);
	for (size_t i = 0, k = 0; i < r->n && n; i++) {
		const report_figure *fig = &r->figs[i], *online;
		char key[64];
		double slot = (w - left) / (double)n, bw = slot * 0.7, x, bh, oh;

		if (strcmp(fig->section, "months") || strstr(fig->metric, "_online"))
			continue;
		snprintf(key, sizeof(key), "%s_online", fig->metric);
		online = dt__report_find(r, "months", key);
		x = left + slot * (double)k + (slot - bw) / 2;
		bh = (h - bottom - top) * fig->value / max;
		oh = online ? (h - bottom - top) * online->value / max : 0;
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"" GOLD "\"/>", x,
		        h - bottom - bh, bw, bh);
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"" RED "\"/>", x + bw * 0.2,
		        h - bottom - oh, bw * 0.6, oh);
		fprintf(f, "<text class=\"v\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%.0f</text>", x + bw / 2,
		        h - bottom - bh - 4, fig->value);
		/* metric is YYYY-MM: the month's number under its bar */
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d月</text>\n", x + bw / 2, h - 10,
		        atoi(fig->metric + 5));
		k++;
	}
	fputs("</svg></section>\n", f);
}

/* One bar of a funnel. */
static void funnel_bar(FILE *f, double y, double bw, double row, double left, const char *label, size_t label_len,
                       double v, size_t k)
{
	fprintf(f, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">", left - 8, y + row / 2 + 4);
	dt__html_n(f, label, label_len);
	fprintf(f, "</text><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"3\" fill=\"" RED "\""
	           " fill-opacity=\"%.2f\"/>",
	        left, y + 3, bw, row - 8, 1.0 - 0.1 * (double)k);
	fprintf(f, "<text class=\"v\" x=\"%.1f\" y=\"%.1f\">%.0f</text>\n", left + bw + 6, y + row / 2 + 4, v);
}

/* One kind's funnel: the cases received, then how many ever reached each
 * state after the first (a routed suggestion skips "filed"). */
static void funnel(FILE *f, const report *r, const char *section, const char *title)
{
	const double w = 440, row = 30, left = 96, span = w - left - 50;
	const size_t open_len = strlen("「");
	size_t n = 0, k = 1;
	double max = dt__report_value(r, section, "received");
	int first = 1;

	for (size_t i = 0; i < r->n; i++)
		n += !strcmp(r->figs[i].section, section) && !strncmp(r->figs[i].metric, "reached_", 8);
	fprintf(f, "<div><h2>%s办理漏斗</h2><svg viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"%s办理漏斗\">\n", title,
	        w, row * (double)n + 8, title);
	funnel_bar(f, 4, max > 0 ? span : 0, row, left, "收到", strlen("收到"), max, 0);
	for (size_t i = 0; i < r->n; i++) {
		const report_figure *fig = &r->figs[i];
		const char *open, *close;

		if (strcmp(fig->section, section) || strncmp(fig->metric, "reached_", 8))
			continue;
		if (first) {
			first = 0;
			continue;
		}
		/* the label is 经过「state」: the state alone */
		open = strstr(fig->label, "「");
		close = strstr(fig->label, "」");
		if (open && close && close > open + open_len)
			funnel_bar(f, 4 + row * (double)k, max > 0 ? span * fig->value / max : 0, row, left, open + open_len,
			           (size_t)(close - open) - open_len, fig->value, k);
		else
			funnel_bar(f, 4 + row * (double)k, max > 0 ? span * fig->value / max : 0, row, left, fig->label,
			           strlen(fig->label), fig->value, k);
		k++;
	}
	fputs("</svg></div>\n", f);
}

static void top_chart(FILE *f, const report *r)
{
	const double w = 720, row = 28, left = 250;
	double max = r->ntop ? r->top[0].points : 0;

	fprintf(f, "<section><h2>履职积分前十名</h2><svg viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"前十名\">\n", w,
	        row * (double)(r->ntop ? r->ntop : 1) + 8);
	if (!r->ntop)
		fputs("<text x=\"0\" y=\"20\">本期没有排名。</text>\n", f);
	for (size_t i = 0; i < r->ntop; i++) {
		const report_top *t = &r->top[i];
		double y = 4 + row * (double)i, bw = max > 0 ? (w - left - 60) * t->points / max : 0;

		fprintf(f, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%zu. ", left - 8, y + row / 2 + 4, i + 1);
		dt__html(f, t->name);
		fputs(" · ", f);
		dt__html(f, t->delegation);
		fprintf(f, "</text><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"3\" fill=\"%s\"/>", left,
		        y + 3, bw < 0 ? 0 : bw, row - 8, i < 3 ? RED : GOLD);
		fprintf(f, "<text class=\"v\" x=\"%.1f\" y=\"%.1f\">%g 分</text>\n", left + (bw < 0 ? 0 : bw) + 6,
		        y + row / 2 + 4, t->points);
	}
	fputs("</svg></section>\n", f);
}

/* Every figure, one table per section. */
static void tables(FILE *f, const report *r)
{
	fputs("<section><h2>全部数据</h2><div class=\"tables\">\n", f);
	for (size_t s = 0; s < sizeof(sections) / sizeof(sections[0]); s++) {
		int any = 0;

		for (size_t i = 0; i < r->n; i++) {
			if (strcmp(r->figs[i].section, sections[s].name))
				continue;
			if (!any++)
				fprintf(f, "<table><caption>%s</caption><tbody>\n", sections[s].title);
			fputs("<tr><td>", f);
			dt__html(f, r->figs[i].label);
			fputs("</td><td class=\"n\">", f);
			value(f, &r->figs[i]);
			fputs("</td></tr>\n", f);
		}
		if (any)
			fputs("</tbody></table>\n", f);
	}
	fputs("</div></section>\n", f);
}

int dt_report_html(dt_ctx *ctx, const char *period, int64_t from, int64_t to, const char *path)
{
	report r;
	char first[40], last[40], generated[40];
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int rc = dt__report_build(ctx, from, to, &r);

	if (rc != DT_OK)
		return rc;
	if (!(f = open_memstream(&buf, &len))) {
		dt__report_free(&r);
		return dt__error(ctx, DT_ENOMEM, "out of memory");
	}
	dt_time_format(ctx, from, first, sizeof(first));
	dt_time_format(ctx, to - 1, last, sizeof(last));
	dt_time_format(ctx, dt_ctx_now(ctx), generated, sizeof(generated));
	first[10] = last[10] = '\0'; /* the days */
	fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>代表履职报告 ",
	      f);
	dt__html(f, period);
	fprintf(f, "</title><style>%s</style></head><body>\n<header><h1>代表履职报告 ", style);
	dt__html(f, period);
	fprintf(f, "</h1><p>%s 至 %s · 生成于 ", first, last);
	dt__html(f, generated);
	fputs("</p></header>\n<main>\n", f);
	kpis(f, &r);
	month_chart(f, &r);
	fputs("<section class=\"two\">\n", f);
	funnel(f, &r, "suggestions", "微建议");
	funnel(f, &r, "requests", "群众诉求");
	fputs("</section>\n", f);
	top_chart(f, &r);
	tables(f, &r);
	fputs("</main>\n<footer>比率为份额：按时率计入已逾期未答复的件；满意率为满意与基本满意之和。"
	      "已取消的活动和隐藏的评论不计。</footer>\n</body></html>\n",
	      f);
	dt__report_free(&r);
	if (fclose(f) != 0)
		rc = dt__error(ctx, DT_ENOMEM, "out of memory");
	if (rc == DT_OK)
		rc = dt__file_write(ctx, path, buf, len, 0644);
	free(buf);
	return rc;
}
