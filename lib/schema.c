/*
 * The schema and its migrations, keyed on PRAGMA user_version: migration i
 * takes a database from version i to i + 1. Only ever append to the list;
 * a released migration never changes. All tables are STRICT.
 */
#include "internal.h"

static const char *const migrations[] = {
	/* 1: settings, the deputy registry, the duty archive, the audit log */
	"CREATE TABLE setting ("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL,"
	"  updated_at INTEGER NOT NULL"
	") STRICT, WITHOUT ROWID;"

	/* One row per roster import, so a deputy row says where it last came from. */
	"CREATE TABLE roster_import ("
	"  id INTEGER PRIMARY KEY,"
	"  source TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  rows INTEGER NOT NULL DEFAULT 0"
	") STRICT;"

	/* Roster order is id order: rows are added in the order of the roster. */
	"CREATE TABLE deputy ("
	"  id INTEGER PRIMARY KEY,"
	"  code TEXT UNIQUE,"
	"  name TEXT NOT NULL CHECK (length(name) > 0),"
	"  gender TEXT CHECK (gender IN ('male', 'female')),"
	"  post TEXT, unit TEXT, delegation TEXT, grid TEXT, station TEXT,"
	"  phone TEXT, email TEXT, photo TEXT,"
	"  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),"
	"  joined_at INTEGER NOT NULL,"
	"  retired_at INTEGER,"
	"  import_id INTEGER REFERENCES roster_import(id),"
	"  updated_at INTEGER NOT NULL"
	") STRICT;"

	/* The highest number ever given per prefix: codes are never reused. */
	"CREATE TABLE code_counter ("
	"  prefix TEXT PRIMARY KEY,"
	"  last INTEGER NOT NULL"
	") STRICT, WITHOUT ROWID;"

	"CREATE TABLE duty_record ("
	"  id INTEGER PRIMARY KEY,"
	"  deputy_id INTEGER NOT NULL REFERENCES deputy(id),"
	"  kind TEXT NOT NULL,"
	"  occurred_at INTEGER NOT NULL,"
	"  quantity REAL NOT NULL DEFAULT 1,"
	"  unit TEXT NOT NULL,"
	"  ref TEXT NOT NULL,"
	"  UNIQUE (kind, ref, deputy_id)"
	") STRICT;"
	"CREATE INDEX duty_record_deputy ON duty_record(deputy_id, occurred_at);"
	"CREATE INDEX duty_record_time ON duty_record(occurred_at);"

	"CREATE TABLE audit ("
	"  id INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  command TEXT NOT NULL,"
	"  change TEXT NOT NULL,"
	"  prev TEXT NOT NULL,"
	"  hash TEXT NOT NULL UNIQUE"
	") STRICT;",

	/* 2: QR signing keys and the codes issued with them */
	"CREATE TABLE qr_key ("
	"  id TEXT PRIMARY KEY,"          /* k1, k2, ...: printed in every code */
	"  secret BLOB NOT NULL CHECK (length(secret) = 32),"
	"  created_at INTEGER NOT NULL,"
	"  revoked_at INTEGER"
	") STRICT;"
	"CREATE TABLE qr_issue ("
	"  id INTEGER PRIMARY KEY,"
	"  deputy_id INTEGER NOT NULL REFERENCES deputy(id),"
	"  key_id TEXT NOT NULL REFERENCES qr_key(id),"
	"  type TEXT NOT NULL,"
	"  issued_at INTEGER NOT NULL"
	") STRICT;"
	"CREATE INDEX qr_issue_deputy ON qr_issue(deputy_id);",

	/* 3: the outbox */
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  key TEXT NOT NULL UNIQUE,"
	"  channel TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),"
	"  address TEXT NOT NULL,"
	"  name TEXT,"
	"  subject TEXT NOT NULL,"
	"  body TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'pending'"
	"    CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt_at INTEGER NOT NULL,"
	"  lease_until INTEGER,"
	"  claim TEXT,"                /* who holds the lease: a random token per claim */
	"  last_error TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  sent_at INTEGER"
	") STRICT;"
	"CREATE INDEX outbox_due ON outbox(state, next_attempt_at);",

	/* 4: departments, cases, their history and photos, the working calendar */
	"CREATE TABLE department ("
	"  id INTEGER PRIMARY KEY,"
	"  code TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL,"
	"  email TEXT,"
	"  webhook TEXT,"
	"  active INTEGER NOT NULL DEFAULT 1,"
	"  created_at INTEGER NOT NULL"
	") STRICT;"
	"CREATE TABLE route ("
	"  category TEXT PRIMARY KEY,"
	"  department_id INTEGER NOT NULL REFERENCES department(id)"
	") STRICT, WITHOUT ROWID;"
	"CREATE TABLE cases ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK (kind IN ('request', 'suggestion')),"
	"  tracking TEXT UNIQUE,"              /* requests: what the citizen is given */
	"  deputy_id INTEGER NOT NULL REFERENCES deputy(id),"
	"  department_id INTEGER REFERENCES department(id),"
	"  category TEXT,"
	"  channel TEXT NOT NULL,"
	"  title TEXT,"
	"  text TEXT NOT NULL,"
	"  place TEXT,"
	"  lat REAL,"
	"  lng REAL,"
	"  citizen_name TEXT,"                 /* personal: masked, purged */
	"  citizen_phone TEXT,"
	"  state TEXT NOT NULL,"
	"  round INTEGER NOT NULL DEFAULT 1,"
	"  rating TEXT,"
	"  answer TEXT,"
	"  due_at INTEGER,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  answered_at INTEGER,"
	"  answered_on_time INTEGER,"          /* answered before the due time of its state */
	"  closed_at INTEGER"
	") STRICT;"
	"CREATE INDEX cases_state ON cases(state, due_at);"
	"CREATE INDEX cases_deputy ON cases(deputy_id);"
	"CREATE TABLE case_event ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  action TEXT NOT NULL,"
	"  from_state TEXT,"
	"  to_state TEXT NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  note TEXT"
	") STRICT;"
	"CREATE INDEX case_event_case ON case_event(case_id, id);"
	"CREATE TABLE photo ("
	"  sha256 TEXT PRIMARY KEY,"
	"  mime TEXT NOT NULL,"
	"  size INTEGER NOT NULL,"
	"  bytes BLOB NOT NULL,"
	"  created_at INTEGER NOT NULL"
	") STRICT;"
	"CREATE TABLE case_photo ("
	"  case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  sha256 TEXT NOT NULL REFERENCES photo(sha256),"
	"  PRIMARY KEY (case_id, sha256)"
	") STRICT, WITHOUT ROWID;"
	"CREATE TABLE calendar_day ("
	"  day TEXT PRIMARY KEY,"              /* YYYY-MM-DD */
	"  working INTEGER NOT NULL CHECK (working IN (0, 1))"
	") STRICT, WITHOUT ROWID;",

	/* 5: events, attendance, comments, articles and learning */
	"CREATE TABLE event ("
	"  id INTEGER PRIMARY KEY,"
	"  uid TEXT NOT NULL UNIQUE,"          /* the iCalendar UID: stable across exports */
	"  kind TEXT NOT NULL CHECK (kind IN ('meeting', 'inquiry', 'hearing', 'forum', 'training', 'activity')),"
	"  title TEXT NOT NULL CHECK (length(title) > 0),"
	"  starts_at INTEGER NOT NULL,"
	"  ends_at INTEGER CHECK (ends_at IS NULL OR ends_at > starts_at),"
	"  place TEXT, stream_url TEXT,"
	"  announce_at INTEGER CHECK (announce_at IS NULL OR announce_at <= starts_at),"
	"  court TEXT, case_summary TEXT,"
	"  status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),"
	"  cancel_reason TEXT,"
	"  revision INTEGER NOT NULL DEFAULT 1," /* bumped by a change deputies must hear of */
	"  announced INTEGER NOT NULL DEFAULT 0," /* the revision last announced; -1: the cancellation */
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  CHECK (kind <> 'hearing' OR (announce_at IS NOT NULL AND announce_at < starts_at))"
	") STRICT;"
	"CREATE INDEX event_start ON event(starts_at);"
	/* One row per deputy and event. spans holds the merged online
	 * intervals as big-endian 64-bit (join, leave) pairs: merging a log
	 * again with them is a no-op, and one row per deputy keeps a
	 * million-row log to one write per deputy. */
	"CREATE TABLE attendance ("
	"  event_id INTEGER NOT NULL REFERENCES event(id),"
	"  deputy_id INTEGER NOT NULL REFERENCES deputy(id),"
	"  mode TEXT NOT NULL CHECK (mode IN ('onsite', 'online', 'partial', 'excused', 'absent')),"
	"  minutes INTEGER NOT NULL DEFAULT 0 CHECK (minutes >= 0),"
	"  manual INTEGER NOT NULL DEFAULT 0 CHECK (manual IN (0, 1)),"
	"  spans BLOB CHECK (spans IS NULL OR length(spans) % 16 = 0),"
	"  recorded_at INTEGER NOT NULL,"
	"  PRIMARY KEY (event_id, deputy_id)"
	") STRICT, WITHOUT ROWID;"
	"CREATE TABLE comment ("
	"  id INTEGER PRIMARY KEY,"
	"  event_id INTEGER NOT NULL REFERENCES event(id),"
	"  deputy_id INTEGER NOT NULL REFERENCES deputy(id),"
	"  at INTEGER NOT NULL,"
	"  text TEXT NOT NULL CHECK (length(text) > 0),"
	"  hidden_at INTEGER, hidden_reason TEXT,"
	"  UNIQUE (event_id, deputy_id, at, text)"
	") STRICT;"
	"CREATE TABLE article ("
	"  id INTEGER PRIMARY KEY,"
	"  title TEXT NOT NULL CHECK (length(title) > 0),"
	"  url TEXT, body TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  CHECK ((url IS NULL) <> (body IS NULL))"
	") STRICT;"
	"CREATE TABLE article_tag ("
	"  article_id INTEGER NOT NULL REFERENCES article(id),"
	"  tag TEXT NOT NULL,"
	"  PRIMARY KEY (tag, article_id)"
	") STRICT, WITHOUT ROWID;"
	"CREATE TABLE learning ("
	"  id INTEGER PRIMARY KEY,"
	"  deputy_id INTEGER NOT NULL REFERENCES deputy(id),"
	"  article_id INTEGER REFERENCES article(id),"
	"  event_id INTEGER REFERENCES event(id),"
	"  minutes INTEGER NOT NULL CHECK (minutes > 0),"
	"  at INTEGER NOT NULL,"
	"  CHECK (article_id IS NULL OR event_id IS NULL)"
	") STRICT;"
	/* the same session twice (a log imported again) is one session */
	"CREATE UNIQUE INDEX learning_once ON learning(deputy_id, at, coalesce(article_id, 0), coalesce(event_id, 0));",

	/* 6: satisfaction surveys. Who voted (survey_voter) is kept apart from
	 * what was voted (ballot, ballot_answer): in a secret survey a ballot
	 * has a random key, no deputy, no time, and no rowid to give its order. */
	"CREATE TABLE survey ("
	"  id INTEGER PRIMARY KEY,"
	"  title TEXT NOT NULL CHECK (length(title) > 0),"
	"  subject TEXT NOT NULL,"             /* case:ID, department:CODE, event:ID or text:T */
	"  department_id INTEGER REFERENCES department(id),"
	"  case_id INTEGER REFERENCES cases(id),"
	"  event_id INTEGER REFERENCES event(id),"
	"  scale TEXT NOT NULL CHECK (scale IN ('satisfied3', 'score5')),"
	"  secret INTEGER NOT NULL CHECK (secret IN (0, 1)),"
	"  live INTEGER NOT NULL CHECK (live IN (0, 1)),"
	"  eligible TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'open', 'closed')),"
	"  created_at INTEGER NOT NULL,"
	"  opened_at INTEGER, closed_at INTEGER"
	") STRICT;"
	"CREATE TABLE survey_item ("
	"  survey_id INTEGER NOT NULL REFERENCES survey(id),"
	"  item INTEGER NOT NULL CHECK (item > 0),"
	"  question TEXT NOT NULL CHECK (length(question) > 0),"
	"  PRIMARY KEY (survey_id, item)"
	") STRICT, WITHOUT ROWID;"
	/* fixed when the survey opens; channel and time stay NULL in a secret one */
	"CREATE TABLE survey_voter ("
	"  survey_id INTEGER NOT NULL REFERENCES survey(id),"
	"  deputy_id INTEGER NOT NULL REFERENCES deputy(id),"
	"  voted INTEGER NOT NULL DEFAULT 0 CHECK (voted IN (0, 1)),"
	"  channel TEXT, voted_at INTEGER,"
	"  PRIMARY KEY (survey_id, deputy_id)"
	") STRICT, WITHOUT ROWID;"
	"CREATE TABLE ballot ("
	"  survey_id INTEGER NOT NULL REFERENCES survey(id),"
	"  ballot TEXT NOT NULL,"              /* 32 random hex digits */
	"  channel TEXT NOT NULL CHECK (channel IN ('online', 'onsite')),"
	"  deputy_id INTEGER REFERENCES deputy(id)," /* NULL in a secret survey */
	"  PRIMARY KEY (survey_id, ballot)"
	") STRICT, WITHOUT ROWID;"
	"CREATE TABLE ballot_answer ("
	"  survey_id INTEGER NOT NULL,"
	"  ballot TEXT NOT NULL,"
	"  item INTEGER NOT NULL,"
	"  choice TEXT NOT NULL,"
	"  satisfied INTEGER NOT NULL CHECK (satisfied IN (0, 1)),"
	"  PRIMARY KEY (survey_id, ballot, item),"
	"  FOREIGN KEY (survey_id, ballot) REFERENCES ballot(survey_id, ballot),"
	"  FOREIGN KEY (survey_id, item) REFERENCES survey_item(survey_id, item)"
	") STRICT, WITHOUT ROWID;",
	/* 7: points rules, versioned and never edited, and saved rankings. The
	 * default rules (version 1) cover every kind of duty record; see
	 * rdlz-set-rules(1). */
	"CREATE TABLE rules_version ("
	"  version INTEGER PRIMARY KEY,"
	"  source TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL"
	") STRICT;"
	"CREATE TABLE rule ("
	"  version INTEGER NOT NULL REFERENCES rules_version(version),"
	"  kind TEXT NOT NULL,"
	"  category TEXT NOT NULL CHECK (length(category) > 0),"
	"  points REAL NOT NULL,"
	"  per TEXT NOT NULL CHECK (per IN ('item', 'event', 'hour', 'minute')),"
	"  cap REAL CHECK (cap IS NULL OR cap >= 0),"
	"  position INTEGER NOT NULL,"           /* the order of the file: categories list in it */
	"  PRIMARY KEY (version, kind)"
	") STRICT, WITHOUT ROWID;"
	"INSERT INTO rules_version(version, source, created_at) VALUES (1, 'default', 0);"
	"INSERT INTO rule(version, kind, category, points, per, cap, position) VALUES "
	"(1, 'meeting_onsite', 'meetings', 10, 'event', NULL, 1),"
	"(1, 'meeting_online', 'meetings', 8, 'event', NULL, 2),"
	"(1, 'meeting_partial', 'meetings', 3, 'event', NULL, 3),"
	"(1, 'meeting_excused', 'meetings', 0, 'event', NULL, 4),"
	"(1, 'meeting_absent', 'meetings', -5, 'event', NULL, 5),"
	"(1, 'hearing_onsite', 'hearings', 6, 'event', NULL, 6),"
	"(1, 'hearing_online', 'hearings', 5, 'event', NULL, 7),"
	"(1, 'hearing_partial', 'hearings', 2, 'event', NULL, 8),"
	"(1, 'hearing_excused', 'hearings', 0, 'event', NULL, 9),"
	"(1, 'hearing_absent', 'hearings', 0, 'event', NULL, 10),"
	"(1, 'training_onsite', 'learning', 4, 'event', NULL, 11),"
	"(1, 'training_online', 'learning', 3, 'event', NULL, 12),"
	"(1, 'training_partial', 'learning', 1, 'event', NULL, 13),"
	"(1, 'training_excused', 'learning', 0, 'event', NULL, 14),"
	"(1, 'training_absent', 'learning', -2, 'event', NULL, 15),"
	"(1, 'activity_onsite', 'activities', 5, 'event', NULL, 16),"
	"(1, 'activity_online', 'activities', 4, 'event', NULL, 17),"
	"(1, 'activity_partial', 'activities', 2, 'event', NULL, 18),"
	"(1, 'activity_excused', 'activities', 0, 'event', NULL, 19),"
	"(1, 'activity_absent', 'activities', 0, 'event', NULL, 20),"
	"(1, 'comment_posted', 'meetings', 1, 'item', 10, 21),"
	"(1, 'learning', 'learning', 1, 'hour', 20, 22),"
	"(1, 'suggestion_filed', 'suggestions', 5, 'item', 30, 23),"
	"(1, 'request_taken', 'suggestions', 2, 'item', NULL, 24),"
	"(1, 'request_resolved', 'suggestions', 3, 'item', NULL, 25),"
	"(1, 'case_rated', 'suggestions', 1, 'item', NULL, 26),"
	"(1, 'ballot_cast', 'surveys', 1, 'item', NULL, 27);"
	"CREATE TABLE ranking ("
	"  id INTEGER PRIMARY KEY,"
	"  period TEXT NOT NULL,"
	"  from_at INTEGER NOT NULL, to_at INTEGER NOT NULL,"
	"  rules_version INTEGER NOT NULL REFERENCES rules_version(version),"
	"  digest TEXT NOT NULL,"                /* SHA-256 of the rules and records it was computed from */
	"  created_at INTEGER NOT NULL,"
	"  actor TEXT NOT NULL"
	") STRICT;"
	"CREATE TABLE ranking_row ("              /* the published rows, as they were */
	"  ranking_id INTEGER NOT NULL REFERENCES ranking(id),"
	"  position INTEGER NOT NULL,"
	"  rank INTEGER NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL, delegation TEXT NOT NULL,"
	"  categories TEXT NOT NULL,"            /* {"category": points, ...} */
	"  total REAL NOT NULL, idx REAL NOT NULL, served_days REAL NOT NULL, partial INTEGER NOT NULL,"
	"  percentile REAL NOT NULL,"
	"  PRIMARY KEY (ranking_id, position)"
	") STRICT, WITHOUT ROWID;",
};

#define N_MIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

int dt_schema_version(void)
{
	return N_MIGRATIONS;
}

int dt__schema_current(dt_ctx *ctx, int *version)
{
	sqlite3_stmt *st;
	int rc = dt__prepare(ctx, &st, "PRAGMA user_version");

	if (rc != DT_OK)
		return rc;
	rc = sqlite3_step(st);
	*version = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? DT_OK : dt__sqlerr(ctx, rc, ctx->path);
}

int dt__schema_migrate(dt_ctx *ctx)
{
	int version, rc, from;
	char sql[64];

	rc = dt__begin(ctx);
	if (rc != DT_OK)
		return rc;
	rc = dt__schema_current(ctx, &version);
	from = version;
	while (rc == DT_OK && version < N_MIGRATIONS) {
		rc = dt__exec(ctx, migrations[version]);
		version++;
	}
	if (rc == DT_OK && version != from) {
		snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", version);
		rc = dt__exec(ctx, sql);
		if (rc == DT_OK)
			rc = dt__audit(ctx, "schema migrated from version %d to %d", from, version);
	}
	return dt__end(ctx, rc);
}
