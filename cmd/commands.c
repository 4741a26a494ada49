/*
 * The command table: the single source for dispatch, `rdlz help`, each
 * command's --help, the completions (`rdlz completion`) and the check of the
 * man pages (tests/cli/docs.py). Keep rows grouped by module, in help order.
 */
#include <stddef.h>
#include "rdlz.h"

const rdlz_group rdlz_groups[] = {
	{ "registry", "deputy registry" },
	{ "contact", "cloud contact: personal QR codes" },
	{ "cases", "cloud supervision: citizens' requests and micro-suggestions" },
	{ "events", "cloud attendance and learning: meetings, inquiries, hearings, comments, articles" },
	{ "surveys", "cloud evaluation: satisfaction surveys" },
	{ "ranking", "cloud ranking: points rules, the performance index, the leaderboard" },
	{ "notify", "notifications: the outbox, reminders, notices" },
	{ "reports", "reports and exchange: the period's report, Excel, open data" },
	{ "records", "duty records and audit" },
	{ "setup", "database and settings" },
	{ "shell", "help and shell" },
	{ NULL, NULL },
};

const rdlz_option rdlz_common_options[] = {
	{ "help", 'h', ARG_NONE, NULL, NULL, "show this help and exit" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

const rdlz_option rdlz_db_options[] = {
	{ "db", 0, ARG_FILE, "PATH", NULL, "the database file (default: $RDLZ_DB, else ./rdlz.db)" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

const rdlz_option rdlz_output_options[] = {
	{ "format", 0, ARG_CHOICE, "FORMAT", "table csv json jsonl xlsx", "output format (default: table)" },
	{ "bom", 0, ARG_NONE, NULL, NULL, "start CSV output with a UTF-8 byte-order mark (Excel, WPS)" },
	{ "unmask", 0, ARG_NONE, NULL, NULL, "show phones and citizens' names in clear (audited)" },
	/* a command with an --out of its own (issue-qr --out DIR) keeps it: see rdlz_each_option */
	{ "out", 'o', ARG_FILE, "FILE", NULL, "write the output to FILE, replaced whole" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option no_options[] = {
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option check_options[] = {
	{ "expect-head", 0, ARG_TEXT, "HASH", NULL,
	  "also fail unless the audit chain still holds this hash (a head kept elsewhere)" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option list_audit_options[] = {
	{ "limit", 0, ARG_NUMBER, "N", NULL, "only the newest N entries" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option import_options[] = {
	{ "encoding", 0, ARG_CHOICE, "ENC", "utf-8 gbk", "the file's encoding (default: utf-8, BOM or not)" },
	{ "ignore-unknown", 0, ARG_NONE, NULL, NULL, "skip columns of unknown name instead of failing" },
	{ "dry-run", 'n', ARG_NONE, NULL, NULL, "check every row and report, write nothing" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option assign_options[] = {
	{ "prefix", 0, ARG_TEXT, "LETTERS", NULL, "code prefix (default: setting deputy.code_prefix, RZ)" },
	{ "width", 0, ARG_NUMBER, "N", NULL, "digits of the number (default: setting deputy.code_width, 4)" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option list_deputies_options[] = {
	{ "delegation", 0, ARG_TEXT, "NAME", NULL, "only this delegation (代表团)" },
	{ "grid", 0, ARG_TEXT, "NAME", NULL, "only this grid (负责网格)" },
	{ "station", 0, ARG_TEXT, "NAME", NULL, "only this liaison station (联络站)" },
	{ "status", 0, ARG_CHOICE, "STATUS", "active retired", "only active or only retired deputies" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

/* The deputy fields, in roster order; tests check they match the library's. */
#define DEPUTY_FIELD_OPTIONS                                                              \
	{ "name", 0, ARG_TEXT, "NAME", NULL, "name (姓名)" },                                   \
	{ "gender", 0, ARG_CHOICE, "GENDER", "male female 男 女", "gender (性别)" },            \
	{ "post", 0, ARG_TEXT, "TEXT", NULL, "post or title (职务)" },                          \
	{ "unit", 0, ARG_TEXT, "TEXT", NULL, "work unit (工作单位)" },                          \
	{ "delegation", 0, ARG_TEXT, "NAME", NULL, "delegation (代表团)" },                     \
	{ "grid", 0, ARG_TEXT, "TEXT", NULL, "grid the deputy answers for (负责网格)" },       \
	{ "station", 0, ARG_TEXT, "TEXT", NULL, "liaison station (联络站)" },                   \
	{ "phone", 0, ARG_TEXT, "PHONE", NULL, "phone (联系电话): a mobile or a landline" },   \
	{ "email", 0, ARG_TEXT, "ADDRESS", NULL, "e-mail (邮箱)" },                             \
	{ "photo", 0, ARG_FILE, "FILE", NULL, "photo file or address (照片)" }

static const rdlz_option add_deputy_options[] = {
	{ "code", 0, ARG_TEXT, "CODE", NULL, "code (编号); default: the next free one" },
	DEPUTY_FIELD_OPTIONS,
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option set_deputy_options[] = {
	DEPUTY_FIELD_OPTIONS,
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option archive_options[] = {
	{ "from", 0, ARG_DATE, "DATE", NULL, "records on or after this day (YYYY-MM-DD)" },
	{ "to", 0, ARG_DATE, "DATE", NULL, "records on or before this day (YYYY-MM-DD)" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option issue_qr_options[] = {
	{ "all", 0, ARG_NONE, NULL, NULL, "every active deputy" },
	{ "delegation", 0, ARG_TEXT, "NAME", NULL, "the active deputies of this delegation" },
	{ "station", 0, ARG_TEXT, "NAME", NULL, "the active deputies of this liaison station" },
	{ "out", 'o', ARG_DIR, "DIR", NULL, "write DIR/<CODE>.png or .svg (replacing old files whole)" },
	{ "type", 't', ARG_CHOICE, "TYPE", "png svg utf8 poster",
	  "image, terminal drawing, or A5 poster SVG (default: png)" },
	{ "size", 0, ARG_NUMBER, "PX", NULL, "image width in pixels (default: 8 pixels a module)" },
	{ "margin", 0, ARG_NUMBER, "N", NULL, "quiet zone in modules (default: 4)" },
	{ "level", 0, ARG_CHOICE, "LEVEL", "L M Q H", "error correction (default: M)" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option rotate_options[] = {
	{ "revoke-old", 0, ARG_NONE, NULL, NULL, "stop codes signed with earlier keys from verifying" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option list_outbox_options[] = {
	{ "state", 0, ARG_CHOICE, "STATE", "pending sending sent failed cancelled", "only messages in this state" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option send_options[] = {
	{ "limit", 0, ARG_NUMBER, "N", NULL, "send at most N messages" },
	{ "channel", 0, ARG_CHOICE, "CHANNEL", "email webhook", "send only by e-mail, or only by webhook" },
	{ "dry-run", 'n', ARG_NONE, NULL, NULL, "list what is due, send nothing" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option notify_options[] = {
	{ "to", 0, ARG_TEXT, "WHO", NULL, "all, delegation:NAME, station:NAME or a code (repeatable)" },
	{ "subject", 0, ARG_TEXT, "TEXT", NULL, "the subject line" },
	{ "body-file", 0, ARG_FILE, "FILE", NULL, "the text, from FILE or - for standard input" },
	{ "key", 0, ARG_TEXT, "KEY", NULL, "message key prefix (default: a digest of subject, body and recipient)" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option add_department_options[] = {
	{ "code", 0, ARG_TEXT, "CODE", NULL, "short code, e.g. ZJJ" },
	{ "name", 0, ARG_TEXT, "NAME", NULL, "the department's name" },
	{ "email", 0, ARG_TEXT, "ADDRESS", NULL, "where its reminders go" },
	{ "webhook", 0, ARG_TEXT, "NAME", NULL, "who is meant on the office's webhook" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

#define TEXT_OPTIONS                                                                             \
	{ "text", 0, ARG_TEXT, "TEXT", NULL, "the text" },                                        \
	{ "text-file", 0, ARG_FILE, "FILE", NULL, "the text from FILE, or - for standard input" }

static const rdlz_option submit_options[] = {
	{ "qr", 0, ARG_TEXT, "URL", NULL, "the deputy, by the URL of their scanned code (verified first)" },
	{ "deputy", 0, ARG_DEPUTY, "CODE", NULL, "the deputy, by code" },
	TEXT_OPTIONS,
	{ "citizen", 0, ARG_TEXT, "NAME", NULL, "the citizen's name (personal: masked)" },
	{ "phone", 0, ARG_TEXT, "PHONE", NULL, "the citizen's phone (personal: masked)" },
	{ "place", 0, ARG_TEXT, "TEXT", NULL, "where" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option suggestion_options[] = {
	{ "deputy", 0, ARG_DEPUTY, "CODE", NULL, "the deputy who files it" },
	{ "title", 0, ARG_TEXT, "TEXT", NULL, "a one-line title" },
	TEXT_OPTIONS,
	{ "photo", 0, ARG_FILE, "FILE", NULL, "a JPEG, PNG, WebP or HEIC photo, at most 20 MB (repeatable)" },
	{ "place", 0, ARG_TEXT, "TEXT", NULL, "where" },
	{ "geo", 0, ARG_TEXT, "LAT,LNG", NULL, "where, as latitude and longitude" },
	{ "channel", 0, ARG_CHOICE, "CHANNEL", "snap direct", "snap-and-send or the direct channel" },
	{ "category", 0, ARG_TEXT, "CATEGORY", NULL, "routes it to its department (set-route)" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option deputy_act_options[] = {
	{ "deputy", 0, ARG_DEPUTY, "CODE", NULL, "the deputy who acts (the case's own)" },
	{ "note", 0, ARG_TEXT, "TEXT", NULL, "a remark for the timeline" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option assign_case_options[] = {
	{ "department", 0, ARG_TEXT, "CODE", NULL, "the department (default: the case's, else its category's route)" },
	{ "note", 0, ARG_TEXT, "TEXT", NULL, "a remark for the timeline" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option note_options[] = {
	{ "note", 0, ARG_TEXT, "TEXT", NULL, "a remark for the timeline" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option answer_options[] = {
	TEXT_OPTIONS,
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option list_cases_options[] = {
	{ "kind", 0, ARG_CHOICE, "KIND", "request suggestion", "only requests or only suggestions" },
	{ "state", 0, ARG_TEXT, "STATE", NULL, "only cases in this state" },
	{ "deputy", 0, ARG_DEPUTY, "CODE", NULL, "only this deputy's cases" },
	{ "department", 0, ARG_TEXT, "CODE", NULL, "only this department's cases" },
	{ "category", 0, ARG_TEXT, "CATEGORY", NULL, "only this category" },
	{ "overdue", 0, ARG_NONE, NULL, NULL, "only cases past their state's due time" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option period_options[] = {
	{ "from", 0, ARG_DATE, "DATE", NULL, "cases created on or after this day (YYYY-MM-DD)" },
	{ "to", 0, ARG_DATE, "DATE", NULL, "cases created on or before this day (YYYY-MM-DD)" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

#define EVENT_FIELD_OPTIONS                                                                                  \
	{ "kind", 0, ARG_CHOICE, "KIND", "meeting inquiry hearing forum training activity",                    \
	  "meeting, special inquiry (专题询问), court hearing, forum, training or activity" },                    \
	{ "title", 0, ARG_TEXT, "TITLE", NULL, "the title, one line" },                                          \
	{ "starts", 0, ARG_TEXT, "TIME", NULL, "start: YYYY-MM-DD HH:MM local, or ISO 8601 with offset" },     \
	{ "ends", 0, ARG_TEXT, "TIME", NULL, "end (a join/leave log needs it)" },                               \
	{ "place", 0, ARG_TEXT, "PLACE", NULL, "where it is held" },                                             \
	{ "stream-url", 0, ARG_TEXT, "URL", NULL, "the live stream's https:// address" },                       \
	{ "announce-at", 0, ARG_TEXT, "TIME", NULL, "when deputies are told (hearings: required, before the start)" }, \
	{ "court", 0, ARG_TEXT, "NAME", NULL, "hearings: the court" },                                           \
	{ "case-summary", 0, ARG_TEXT, "TEXT", NULL, "hearings: what the case is about" }

static const rdlz_option event_options[] = {
	EVENT_FIELD_OPTIONS,
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option cancel_event_options[] = {
	{ "reason", 0, ARG_TEXT, "TEXT", NULL, "why, for the deputies' notice" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option list_events_options[] = {
	{ "kind", 0, ARG_CHOICE, "KIND", "meeting inquiry hearing forum training activity", "only this kind" },
	{ "upcoming", 0, ARG_NONE, NULL, NULL, "only scheduled events that have not ended" },
	{ "from", 0, ARG_DATE, "DATE", NULL, "events starting on or after this day" },
	{ "to", 0, ARG_DATE, "DATE", NULL, "events starting on or before this day" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option record_attendance_options[] = {
	{ "deputy", 0, ARG_DEPUTY, "CODE", NULL, "the deputy, with --mode" },
	{ "mode", 0, ARG_CHOICE, "MODE", "onsite online excused absent", "how the deputy attended" },
	{ "from-log", 0, ARG_FILE, "FILE", NULL, "the stream service's join/leave log (code,joined_at,left_at; - for stdin)" },
	{ "encoding", 0, ARG_CHOICE, "ENC", "utf-8 gbk", "the log's encoding (default: utf-8)" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option post_comment_options[] = {
	{ "deputy", 0, ARG_DEPUTY, "CODE", NULL, "who comments" },
	{ "text", 0, ARG_TEXT, "TEXT", NULL, "the comment; - reads it from standard input" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option encoding_options[] = {
	{ "encoding", 0, ARG_CHOICE, "ENC", "utf-8 gbk", "the file's encoding (default: utf-8)" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option list_comments_options[] = {
	{ "all", 0, ARG_NONE, NULL, NULL, "include hidden comments" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option hide_comment_options[] = {
	{ "reason", 0, ARG_TEXT, "TEXT", NULL, "why it is hidden (required)" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option add_article_options[] = {
	{ "title", 0, ARG_TEXT, "TITLE", NULL, "the title" },
	{ "url", 0, ARG_TEXT, "URL", NULL, "where the article is" },
	{ "body-file", 0, ARG_FILE, "FILE", NULL, "or its text, from a file (- for stdin)" },
	{ "tag", 0, ARG_TEXT, "TAG", NULL, "a tag; repeat for more" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option list_articles_options[] = {
	{ "tag", 0, ARG_TEXT, "TAG", NULL, "only articles with this tag" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option record_learning_options[] = {
	{ "deputy", 0, ARG_DEPUTY, "CODE", NULL, "who learned" },
	{ "article", 0, ARG_NUMBER, "ID", NULL, "the article read" },
	{ "event", 0, ARG_NUMBER, "ID", NULL, "or the event watched again" },
	{ "minutes", 0, ARG_NUMBER, "N", NULL, "how long, 1 to 1440" },
	{ "at", 0, ARG_TEXT, "TIME", NULL, "when (default: now)" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option export_ical_options[] = {
	{ "kind", 0, ARG_CHOICE, "KIND", "meeting inquiry hearing forum training activity", "only this kind" },
	{ "from", 0, ARG_DATE, "DATE", NULL, "only events starting on or after this day" },
	{ "out", 'o', ARG_FILE, "FILE", NULL, "write FILE (replaced whole) instead of standard output" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option event_stats_options[] = {
	{ "year", 0, ARG_NUMBER, "YEAR", NULL, "per kind of event over a calendar year" },
	{ "from", 0, ARG_DATE, "DATE", NULL, "per kind of event from this day" },
	{ "to", 0, ARG_DATE, "DATE", NULL, "to this day, included" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option run_survey_options[] = {
	{ "title", 0, ARG_TEXT, "TITLE", NULL, "create: the survey's title" },
	{ "subject", 0, ARG_TEXT, "SUBJECT", NULL, "create: case:ID, department:CODE, event:ID or text:T" },
	{ "item", 0, ARG_TEXT, "QUESTION", NULL, "create: a question; repeat for more" },
	{ "scale", 0, ARG_CHOICE, "SCALE", "satisfied3 score5", "create: 满意/基本满意/不满意 (default) or 1-5" },
	{ "secret", 0, ARG_NONE, NULL, NULL, "create: keep who voted apart from what was voted" },
	{ "live-results", 0, ARG_NONE, NULL, NULL, "create: show the counts while the survey is open" },
	{ "eligible", 0, ARG_TEXT, "WHO", NULL, "create: all (default), event:ID or delegation:NAME" },
	{ "from", 0, ARG_FILE, "FILE", NULL, "create: a definition file; vote: a batch of ballots (CSV; - for stdin)" },
	{ "deputy", 0, ARG_DEPUTY, "CODE", NULL, "vote: the deputy casting an online ballot" },
	{ "answer", 0, ARG_TEXT, "ITEM=CHOICE", NULL, "vote: an answer; repeat for each question" },
	{ "channel", 0, ARG_CHOICE, "CHANNEL", "online onsite", "vote: online (default for one) or onsite (for a batch)" },
	{ "encoding", 0, ARG_CHOICE, "ENC", "utf-8 gbk", "vote --from: the file's encoding (default: utf-8)" },
	{ "watch", 0, ARG_NUMBER, "SECONDS", NULL, "results: redraw every SECONDS until the survey closes" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option show_rules_options[] = {
	{ "version", 0, ARG_NUMBER, "N", NULL, "this version (default: the newest)" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option queue_reminders_options[] = {
	{ "dry-run", 'n', ARG_NONE, NULL, NULL, "list the messages that would be queued, and queue nothing" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option report_options[] = {
	{ "period", 0, ARG_TEXT, "PERIOD", NULL, "a month (2026-11), a quarter (2026-Q4) or a year (2026)" },
	{ "year", 0, ARG_NUMBER, "YEAR", NULL, "the year YEAR (the same as --period YEAR)" },
	{ "from", 0, ARG_DATE, "DATE", NULL, "or from this day" },
	{ "to", 0, ARG_DATE, "DATE", NULL, "to this day, included" },
	{ "html", 0, ARG_FILE, "FILE", NULL, "write the printable page with its charts to FILE instead" },
	{ "pdf", 0, ARG_FILE, "FILE", NULL, "print the page to FILE as PDF through headless Chromium" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option export_popolo_options[] = {
	{ "out", 'o', ARG_FILE, "FILE", NULL, "write FILE (replaced whole) instead of standard output" },
	{ "unmask", 0, ARG_NONE, NULL, NULL, "deputies' phones and e-mails in clear (audited)" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option export_open311_options[] = {
	{ "out", 'o', ARG_FILE, "FILE", NULL, "write FILE (replaced whole) instead of standard output" },
	{ "kind", 0, ARG_CHOICE, "KIND", "request suggestion", "only requests or only suggestions" },
	{ "from", 0, ARG_DATE, "DATE", NULL, "cases created on or after this day (YYYY-MM-DD)" },
	{ "to", 0, ARG_DATE, "DATE", NULL, "cases created on or before this day (YYYY-MM-DD)" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option rank_options[] = {
	{ "period", 0, ARG_TEXT, "PERIOD", NULL, "a month (2026-11), a quarter (2026-Q4) or a year (2026)" },
	{ "from", 0, ARG_DATE, "DATE", NULL, "or from this day" },
	{ "to", 0, ARG_DATE, "DATE", NULL, "to this day, included" },
	{ "top", 0, ARG_NUMBER, "N", NULL, "only ranks 1 to N" },
	{ "bottom", 0, ARG_NUMBER, "N", NULL, "only the last N rows" },
	{ "delegation", 0, ARG_TEXT, "NAME", NULL, "only this delegation's rows (ranks stay congress-wide)" },
	{ "rules-version", 0, ARG_NUMBER, "N", NULL, "rank under this rules version (default: the newest)" },
	{ "explain", 0, ARG_DEPUTY, "CODE", NULL, "every record of this deputy with its points, and the sums" },
	{ "save", 0, ARG_NONE, NULL, NULL, "save the ranking as published; prints its id" },
	{ "verify", 0, ARG_NUMBER, "ID", NULL, "has anything a saved ranking was computed from changed?" },
	{ "saved", 0, ARG_NUMBER, "ID", NULL, "a saved ranking's rows as they were published" },
	{ "remind-bottom", 0, ARG_NUMBER, "N", NULL, "queue a reminder to each of the last N deputies" },
	{ "remind-below", 0, ARG_NUMBER, "INDEX", NULL, "queue a reminder to each deputy whose index is below INDEX" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option leaderboard_options[] = {
	{ "period", 0, ARG_TEXT, "PERIOD", NULL, "a month (2026-11), a quarter (2026-Q4) or a year (2026)" },
	{ "from", 0, ARG_DATE, "DATE", NULL, "or from this day" },
	{ "to", 0, ARG_DATE, "DATE", NULL, "to this day, included" },
	{ "rules-version", 0, ARG_NUMBER, "N", NULL, "rank under this rules version (default: the newest)" },
	{ "out", 'o', ARG_DIR, "DIR", NULL, "write index.html, leaderboard.json and photos/ into DIR" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option export_photos_options[] = {
	{ "public", 0, ARG_NONE, NULL, NULL, "strip EXIF (GPS, device, owner), XMP and comments" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option purge_options[] = {
	{ "before", 0, ARG_DATE, "DATE", NULL, "from cases closed before this day" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const rdlz_option serve_options[] = {
	{ "listen", 0, ARG_TEXT, "ADDRESS", NULL,
	  "listen on ADDRESS:PORT (default: 127.0.0.1:8080; port 0 picks a free one, printed at start)" },
	{ "threads", 0, ARG_NUMBER, "N", NULL, "worker threads, each with its own database connection (default: 4)" },
	{ "access-log", 0, ARG_FILE, "FILE", NULL, "append the access log (Combined Log Format) to FILE, not standard error" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

const rdlz_command rdlz_commands[] = {
	/* registry */
	{ "import-deputies", "registry", "FILE|-", "import a roster CSV, upserting deputies by code",
	  CMD_DB | CMD_OUTPUT, 1, 1, ARG_FILE, import_options, cmd_import_deputies },
	{ "assign-codes", "registry", "", "number the deputies that have no code, in roster order",
	  CMD_DB | CMD_OUTPUT, 0, 0, ARG_NONE, assign_options, cmd_assign_codes },
	{ "list-deputies", "registry", "", "list deputies in roster order",
	  CMD_DB | CMD_OUTPUT, 0, 0, ARG_NONE, list_deputies_options, cmd_list_deputies },
	{ "deputy-stats", "registry", "", "count deputies by delegation: active, retired, with phone, e-mail",
	  CMD_DB | CMD_OUTPUT, 0, 0, ARG_NONE, no_options, cmd_deputy_stats },
	{ "show-deputy", "registry", "CODE", "show one deputy",
	  CMD_DB | CMD_OUTPUT, 1, 1, ARG_DEPUTY, no_options, cmd_show_deputy },
	{ "add-deputy", "registry", "", "add one deputy and print their code",
	  CMD_DB | CMD_OUTPUT, 0, 0, ARG_NONE, add_deputy_options, cmd_add_deputy },
	{ "set-deputy", "registry", "CODE", "change fields of a deputy",
	  CMD_DB, 1, 1, ARG_DEPUTY, set_deputy_options, cmd_set_deputy },
	{ "retire-deputy", "registry", "CODE", "retire a deputy (kept with their history)",
	  CMD_DB, 1, 1, ARG_DEPUTY, no_options, cmd_retire_deputy },
	/* contact */
	{ "issue-qr", "contact", "[CODE...]", "make signed personal QR codes: images, posters, or on the terminal",
	  CMD_DB | CMD_OUTPUT, 0, -1, ARG_DEPUTY, issue_qr_options, cmd_issue_qr },
	{ "verify-qr", "contact", "URL|-", "say whether a scanned code is genuine, and whose it is",
	  CMD_DB | CMD_OUTPUT, 1, 1, ARG_NONE, no_options, cmd_verify_qr },
	{ "list-qr", "contact", "", "list the codes issued",
	  CMD_DB | CMD_OUTPUT, 0, 0, ARG_NONE, no_options, cmd_list_qr },
	{ "rotate-qr-key", "contact", "", "make a new signing key for codes issued from now on",
	  CMD_DB, 0, 0, ARG_NONE, rotate_options, cmd_rotate_qr_key },
	{ "serve", "contact", "", "the online liaison station the codes point at: deputy cards, requests, tracking",
	  CMD_DB, 0, 0, ARG_NONE, serve_options, cmd_serve },
	/* cases */
	{ "submit-request", "cases", "", "a citizen's request to a deputy, by their code (码上提); prints its id",
	  CMD_DB | CMD_OUTPUT, 0, 0, ARG_NONE, submit_options, cmd_submit_request },
	{ "file-suggestion", "cases", "", "a deputy's micro-suggestion to a department; prints its id",
	  CMD_DB | CMD_OUTPUT, 0, 0, ARG_NONE, suggestion_options, cmd_file_suggestion },
	{ "take-request", "cases", "ID", "the deputy takes a citizen's request (码上交)",
	  CMD_DB, 1, 1, ARG_NONE, deputy_act_options, cmd_take_request },
	{ "assign-case", "cases", "ID", "send a case to a department",
	  CMD_DB, 1, 1, ARG_NONE, assign_case_options, cmd_assign_case },
	{ "accept-case", "cases", "ID", "the department accepts a suggestion",
	  CMD_DB, 1, 1, ARG_NONE, note_options, cmd_accept_case },
	{ "resolve-case", "cases", "ID", "a request is handled (码上办), with the result",
	  CMD_DB, 1, 1, ARG_NONE, answer_options, cmd_resolve_case },
	{ "answer-case", "cases", "ID", "the department's answer, or a request's feedback",
	  CMD_DB, 1, 1, ARG_NONE, answer_options, cmd_answer_case },
	{ "rate-case", "cases", "ID RATING", "the deputy rates the answer: satisfied, basic, dissatisfied",
	  CMD_DB, 2, 2, ARG_NONE, deputy_act_options, cmd_rate_case },
	{ "close-case", "cases", "ID", "close a rated suggestion or a fed-back request",
	  CMD_DB, 1, 1, ARG_NONE, note_options, cmd_close_case },
	{ "show-case", "cases", "ID", "one case and its timeline",
	  CMD_DB | CMD_OUTPUT, 1, 1, ARG_NONE, no_options, cmd_show_case },
	{ "list-cases", "cases", "", "list cases, by kind, state, deputy, department, category, overdue",
	  CMD_DB | CMD_OUTPUT, 0, 0, ARG_NONE, list_cases_options, cmd_list_cases },
	{ "case-stats", "cases", "", "counts, median time to answer, on-time and satisfaction rates",
	  CMD_DB | CMD_OUTPUT, 0, 0, ARG_NONE, period_options, cmd_case_stats },
	{ "export-photos", "cases", "ID DIR", "write a case's photos into DIR",
	  CMD_DB | CMD_OUTPUT, 2, 2, ARG_NONE, export_photos_options, cmd_export_photos },
	{ "add-department", "cases", "", "add or change a department",
	  CMD_DB, 0, 0, ARG_NONE, add_department_options, cmd_add_department },
	{ "import-departments", "cases", "FILE|-", "import departments from CSV (code,name,email,webhook)",
	  CMD_DB, 1, 1, ARG_FILE, no_options, cmd_import_departments },
	{ "list-departments", "cases", "", "list departments and their routes",
	  CMD_DB | CMD_OUTPUT, 0, 0, ARG_NONE, no_options, cmd_list_departments },
	{ "set-route", "cases", "CATEGORY DEPARTMENT", "send suggestions of a category to a department",
	  CMD_DB, 2, 2, ARG_NONE, no_options, cmd_set_route },
	{ "set-calendar", "cases", "FILE|-", "load holidays and swapped working days (date,type)",
	  CMD_DB, 1, 1, ARG_FILE, no_options, cmd_set_calendar },
	{ "purge-citizen-data", "cases", "", "erase citizens' names and phones from old closed cases",
	  CMD_DB, 0, 0, ARG_NONE, purge_options, cmd_purge_citizen_data },
	{ "create-event", "events", "", "schedule a meeting, inquiry, hearing, forum, training or activity; prints its id",
	  CMD_DB, 0, 0, ARG_NONE, event_options, cmd_create_event },
	{ "set-event", "events", "ID", "change an event (deputies already told get a correction)",
	  CMD_DB, 1, 1, ARG_NONE, event_options, cmd_set_event },
	{ "cancel-event", "events", "ID", "cancel an event (deputies already told are told)",
	  CMD_DB, 1, 1, ARG_NONE, cancel_event_options, cmd_cancel_event },
	{ "list-events", "events", "", "list events by start, by kind, period, upcoming",
	  CMD_DB | CMD_OUTPUT, 0, 0, ARG_NONE, list_events_options, cmd_list_events },
	{ "show-event", "events", "ID", "one event with its counts",
	  CMD_DB | CMD_OUTPUT, 1, 1, ARG_NONE, no_options, cmd_show_event },
	{ "record-attendance", "events", "EVENT", "record a deputy's attendance, or merge a stream's join/leave log",
	  CMD_DB | CMD_OUTPUT, 1, 1, ARG_NONE, record_attendance_options, cmd_record_attendance },
	{ "list-attendance", "events", "EVENT", "each deputy's mode and online minutes",
	  CMD_DB | CMD_OUTPUT, 1, 1, ARG_NONE, no_options, cmd_list_attendance },
	{ "post-comment", "events", "EVENT", "a deputy's comment or message at an event; prints its id",
	  CMD_DB, 1, 1, ARG_NONE, post_comment_options, cmd_post_comment },
	{ "import-comments", "events", "EVENT FILE|-", "import the stream's comments (code,time,text); prints how many are new",
	  CMD_DB, 2, 2, ARG_FILE, encoding_options, cmd_import_comments },
	{ "list-comments", "events", "EVENT", "an event's comments by time",
	  CMD_DB | CMD_OUTPUT, 1, 1, ARG_NONE, list_comments_options, cmd_list_comments },
	{ "hide-comment", "events", "ID", "hide a comment (kept, not listed or counted)",
	  CMD_DB, 1, 1, ARG_NONE, hide_comment_options, cmd_hide_comment },
	{ "add-article", "events", "", "publish an article in the knowledge window; prints its id",
	  CMD_DB, 0, 0, ARG_NONE, add_article_options, cmd_add_article },
	{ "list-articles", "events", "", "articles, newest first, with readers and minutes",
	  CMD_DB | CMD_OUTPUT, 0, 0, ARG_NONE, list_articles_options, cmd_list_articles },
	{ "record-learning", "events", "", "a deputy read an article or watched an event again",
	  CMD_DB, 0, 0, ARG_NONE, record_learning_options, cmd_record_learning },
	{ "import-learning", "events", "FILE|-", "import the e-learning log (code,minutes,time[,article]); prints how many are new",
	  CMD_DB, 1, 1, ARG_FILE, encoding_options, cmd_import_learning },
	{ "export-ical", "events", "", "the schedule as an iCalendar file to subscribe to",
	  CMD_DB, 0, 0, ARG_NONE, export_ical_options, cmd_export_ical },
	{ "event-stats", "events", "[EVENT]", "one event's figures, or per kind of event over a period",
	  CMD_DB | CMD_OUTPUT, 0, 1, ARG_NONE, event_stats_options, cmd_event_stats },
	{ "run-survey", "surveys", "ACTION [ID]", "a satisfaction survey: create, open, vote, close, results, list",
	  CMD_DB | CMD_OUTPUT, 1, 2, ARG_NONE, run_survey_options, cmd_run_survey },
	{ "set-rules", "ranking", "FILE|-", "store a points rules file (kind,category,points,per,cap) as a new version",
	  CMD_DB, 1, 1, ARG_FILE, no_options, cmd_set_rules },
	{ "show-rules", "ranking", "", "the points rules of a version",
	  CMD_DB | CMD_OUTPUT, 0, 0, ARG_NONE, show_rules_options, cmd_show_rules },
	{ "rank", "ranking", "", "rank the deputies of a period by points; explain, save, verify, remind",
	  CMD_DB | CMD_OUTPUT, 0, 0, ARG_NONE, rank_options, cmd_rank },
	{ "publish-leaderboard", "ranking", "", "write the leaderboard page and its JSON for the home page",
	  CMD_DB, 0, 0, ARG_NONE, leaderboard_options, cmd_publish_leaderboard },
	{ "report", "reports", "", "one period's figures across every module: table, CSV, JSON, HTML page, PDF",
	  CMD_DB | CMD_OUTPUT, 0, 0, ARG_NONE, report_options, cmd_report },
	{ "export-popolo", "reports", "", "the roster, delegations, departments and events as Popolo JSON",
	  CMD_DB, 0, 0, ARG_NONE, export_popolo_options, cmd_export_popolo },
	{ "export-open311", "reports", "", "requests and micro-suggestions as Open311 service requests, nothing personal",
	  CMD_DB, 0, 0, ARG_NONE, export_open311_options, cmd_export_open311 },
	/* notify */
	{ "send-reminders", "notify", "", "deliver the messages that are due (exit 0 all sent, 75 retry, 1 failed)",
	  CMD_DB | CMD_OUTPUT, 0, 0, ARG_NONE, send_options, cmd_send_reminders },
	{ "queue-reminders", "notify", "", "queue every module's reminders that are due now",
	  CMD_DB | CMD_OUTPUT, 0, 0, ARG_NONE, queue_reminders_options, cmd_queue_reminders },
	{ "notify", "notify", "[CODE...]", "queue the office's notice to deputies, one message each",
	  CMD_DB | CMD_OUTPUT, 0, -1, ARG_DEPUTY, notify_options, cmd_notify },
	{ "list-outbox", "notify", "", "list the messages of the outbox",
	  CMD_DB | CMD_OUTPUT, 0, 0, ARG_NONE, list_outbox_options, cmd_list_outbox },
	{ "show-message", "notify", "KEY", "show one message with its body",
	  CMD_DB | CMD_OUTPUT, 1, 1, ARG_NONE, no_options, cmd_show_message },
	{ "retry-message", "notify", "KEY", "send a failed or cancelled message again",
	  CMD_DB, 1, 1, ARG_NONE, no_options, cmd_retry_message },
	{ "cancel-message", "notify", "KEY", "cancel a message that was not sent",
	  CMD_DB, 1, 1, ARG_NONE, no_options, cmd_cancel_message },
	/* records */
	{ "archive", "records", "CODE", "list a deputy's duty records, oldest first",
	  CMD_DB | CMD_OUTPUT, 1, 1, ARG_DEPUTY, archive_options, cmd_archive },
	{ "list-audit", "records", "", "list the audit log",
	  CMD_DB | CMD_OUTPUT, 0, 0, ARG_NONE, list_audit_options, cmd_list_audit },
	/* setup */
	{ "init", "setup", "", "create the database, or migrate it to this version's schema",
	  CMD_CREATE, 0, 0, ARG_NONE, no_options, cmd_init },
	{ "check", "setup", "", "check integrity, foreign keys and the audit chain",
	  CMD_DB | CMD_OUTPUT, 0, 0, ARG_NONE, check_options, cmd_check },
	{ "backup", "setup", "FILE", "copy the live database to FILE",
	  CMD_DB, 1, 1, ARG_FILE, no_options, cmd_backup },
	{ "set-config", "setup", "KEY VALUE", "change a setting",
	  CMD_DB, 2, 2, ARG_CONFIG_KEY, no_options, cmd_set_config },
	{ "show-config", "setup", "[KEY]", "show settings with their defaults",
	  CMD_DB | CMD_OUTPUT, 0, 1, ARG_CONFIG_KEY, no_options, cmd_show_config },
	/* shell */
	{ "help", "shell", "[COMMAND|exit-codes]", "list the commands, show one command's help, or the exit codes",
	  0, 0, 1, ARG_NONE, no_options, cmd_help },
	{ "completion", "shell", "bash|zsh|fish", "print the shell completion script",
	  0, 1, 1, ARG_NONE, no_options, cmd_completion },
};

const size_t rdlz_ncommands = sizeof(rdlz_commands) / sizeof(rdlz_commands[0]);
