"""End-to-end tests of events: scheduling and its refusals, attendance by
hand and from join/leave logs (checked against an independent merge of
random reconnects), comments, learning, the iCalendar feed read back by an
independent parser, statistics against hand counts, and announcements."""
import json
import os
import random
import stat
import unittest
from datetime import datetime, timedelta, timezone

from rdlztest import RdlzTestCase

CST = timezone(timedelta(hours=8))
ROSTER = ("code,name,delegation,email\n"
          "RZ0001,张三,甲,zhang@example.cn\n"
          "RZ0002,李四,乙,\n"
          "RZ0003,王五,甲,wang@example.cn\n")


def local(text):
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=CST)


class EventsTest(RdlzTestCase):
    def setUp(self):
        super().setUp()
        self.init()
        self.ok("import-deputies", self.write("roster.csv", ROSTER))

    def inquiry(self, starts="2026-11-20 09:00", ends="2026-11-20 11:00", kind="inquiry"):
        return int(self.ok("create-event", "--kind", kind, "--title", "专题询问：养老服务",
                           "--starts", starts, "--ends", ends,
                           "--stream-url", "https://live.example.cn/s/1").out)

    def attendance(self, event):
        return {r["code"]: r for r in self.ok("list-attendance", str(event), "--format", "json").json()}

    def test_create_list_show_set_cancel(self):
        a = self.inquiry()
        h = int(self.ok("create-event", "--kind", "hearing", "--title", "合同纠纷案", "--starts", "2026-12-05 09:00",
                        "--ends", "2026-12-05 11:00", "--announce-at", "2026-11-28 08:00",
                        "--court", "区人民法院", "--case-summary", "买卖合同纠纷").out)
        self.assertEqual((a, h), (1, 2))
        listed = self.ok("list-events", "--format", "json").json()
        self.assertEqual([e["id"] for e in listed], [1, 2])
        self.assertEqual(listed[0]["starts_at"], "2026-11-20T09:00:00+08:00")
        self.assertEqual([e["id"] for e in self.ok("list-events", "--upcoming", "--format", "json").json()], [2])
        self.assertEqual([e["id"] for e in self.ok("list-events", "--kind", "inquiry", "--format", "json").json()], [1])
        self.assertEqual([e["id"] for e in self.ok("list-events", "--from", "2026-12-01", "--format", "json").json()], [2])
        self.assertEqual([e["id"] for e in self.ok("list-events", "--to", "2026-11-20", "--format", "json").json()], [1])
        shown = self.ok("show-event", "2", "--format", "json").json()
        self.assertEqual((shown["court"], shown["revision"], shown["status"]), ("区人民法院", 1, "scheduled"))
        self.ok("set-event", "2", "--place", "第三法庭")
        self.assertEqual(self.ok("show-event", "2", "--format", "json").json()["revision"], 2)
        self.ok("cancel-event", "2", "--reason", "延期审理")
        shown = self.ok("show-event", "2", "--format", "json").json()
        self.assertEqual((shown["status"], shown["cancel_reason"]), ("cancelled", "延期审理"))
        self.assertEqual(self.ok("list-events", "--upcoming", "--format", "json").json(), [])

    def test_refusals_change_nothing(self):
        self.inquiry()
        digest = self.db_digest()
        cases = [
            # a hearing needs an announce time before its start
            (("create-event", "--kind", "hearing", "--title", "庭审", "--starts", "2026-12-05 09:00"), 2,
             "must be announced before it starts"),
            (("create-event", "--kind", "hearing", "--title", "庭审", "--starts", "2026-12-05 09:00",
              "--announce-at", "2026-12-05 09:00"), 2, "must be announced before it starts"),
            (("create-event", "--kind", "party", "--title", "x", "--starts", "2026-12-05 09:00"), 2, "party"),
            (("create-event", "--kind", "meeting", "--title", "x", "--starts", "2026-02-30 09:00"), 2, "2026-02-30"),
            (("create-event", "--kind", "meeting", "--title", "x", "--starts", "2026-12-05 09:00",
              "--ends", "2026-12-05 08:00"), 2, "not after the start"),
            (("create-event", "--kind", "meeting", "--title", "x"), 2, "--starts"),
            (("set-event", "1"), 2, "at least one field"),
            (("set-event", "9", "--title", "x"), 1, "no event 9"),
            (("cancel-event", "x"), 2, "not an event id"),
            (("record-attendance", "1", "--deputy", "RZ0001"), 2, "--mode"),
            (("record-attendance", "1", "--deputy", "RZ0001", "--mode", "asleep"), 2, "asleep"),
            (("record-attendance", "1", "--deputy", "RZ0404", "--mode", "onsite"), 1, "RZ0404"),
            (("record-attendance", "1"), 2, "--from-log"),
            (("hide-comment", "1"), 2, "--reason"),
            (("post-comment", "1", "--deputy", "RZ0001"), 2, "--text"),
            (("record-learning", "--deputy", "RZ0001", "--minutes", "5"), 2, "--article"),
            (("add-article", "--title", "x"), 2, "--url"),
            (("event-stats", "1", "--year", "2026"), 2, "not both"),
        ]
        for args, code, words in cases:
            with self.subTest(args=args):
                r = self.run_rdlz(*args, expect=code)
                self.assertIn(words, r.err)
        self.assertEqual(self.db_digest(), digest)

    def test_attendance_refused_for_future_and_cancelled_events(self):
        future = self.inquiry("2026-12-01 09:00", "2026-12-01 11:00")
        gone = self.inquiry()
        self.ok("cancel-event", str(gone))
        log = self.write("log.csv", "code,joined_at,left_at\nRZ0001,2026-11-20 09:00:00,2026-11-20 10:00:00\n")
        digest = self.db_digest()
        r = self.run_rdlz("record-attendance", str(future), "--deputy", "RZ0001", "--mode", "onsite", expect=1)
        self.assertIn("in the future", r.err)
        r = self.run_rdlz("record-attendance", str(gone), "--from-log", log, expect=1)
        self.assertIn("cancelled", r.err)
        r = self.run_rdlz("post-comment", str(gone), "--deputy", "RZ0001", "--text", "x", expect=1)
        self.assertIn("cancelled", r.err)
        self.assertEqual(self.db_digest(), digest)

    def test_log_with_reconnects_matches_an_independent_merge(self):
        """340 deputies reconnecting at random: minutes and modes as a
        straightforward Python merge computes them."""
        self.ok("import-deputies", self.roster(340), "--ignore-unknown")
        codes = [r["code"] for r in self.ok("list-deputies", "--format", "json").json()]
        ev = self.inquiry("2026-11-20 09:00:00", "2026-11-20 11:00:00")
        start, end = local("2026-11-20 09:00:00"), local("2026-11-20 11:00:00")
        rng = random.Random(20261128)
        rows, spans = [], {}
        for code in codes:
            for _ in range(rng.randint(0, 6)):
                a = start + timedelta(seconds=rng.randint(-1800, 7000))
                b = min(a + timedelta(seconds=rng.randint(0, 4000)), end + timedelta(minutes=30))
                rows.append((code, a, b))
                spans.setdefault(code, []).append((a, b))
        rng.shuffle(rows)
        text = "代表编号,进入时间,离开时间,昵称\n" + "".join(
            f"{c},{a:%Y-%m-%d %H:%M:%S},{b:%Y-%m-%d %H:%M:%S},x\n" for c, a, b in rows)
        log = self.write("log.csv", text)
        summary = self.ok("record-attendance", str(ev), "--from-log", log, "--format", "json").json()
        self.assertEqual(summary["rows"], len(rows))
        expected = {}
        for code, ss in spans.items():
            ss.sort()
            merged = []
            for a, b in ss:
                if merged and a <= merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], b)
                else:
                    merged.append([a, b])
            secs = sum(max(0, (min(b, end) - max(a, start)).total_seconds()) for a, b in merged)
            expected[code] = ("online" if secs * 100 >= 50 * 7200 else "partial", int(secs // 60))
        got = {c: (r["mode"], r["minutes"]) for c, r in self.attendance(ev).items()}
        self.assertEqual(got, expected)
        self.assertEqual(summary["online"], sum(1 for m, _ in expected.values() if m == "online"))
        # the same log again, and from standard input: nothing changes, byte for byte
        digest = self.db_digest()
        again = self.ok("record-attendance", str(ev), "--from-log", "-", "--format", "json", stdin=text).json()
        self.assertEqual(again["changed"], 0)
        self.assertEqual(self.db_digest(), digest)

    def test_bad_log_rows_by_line_and_nothing_written(self):
        ev = self.inquiry()
        self.ok("record-attendance", str(ev), "--deputy", "RZ0003", "--mode", "excused")
        digest = self.db_digest()
        log = self.write("bad.csv", "code,joined_at,left_at\n"
                                    "RZ0001,2026-11-20 09:00:00,2026-11-20 10:00:00\n"
                                    "RZ9999,2026-11-20 09:00:00,2026-11-20 10:00:00\n"
                                    "RZ0002,2026-11-20 13:00:00,2026-11-20 13:30:00\n"
                                    "RZ0002,2026-11-20 10:00:00,2026-11-20 09:00:00\n"
                                    "RZ0002,2026-11-20 25:00:00,2026-11-20 10:00:00\n")
        r = self.run_rdlz("record-attendance", str(ev), "--from-log", log, expect=65)
        for line, col in ((3, "code"), (4, "joined_at"), (5, "left_at"), (6, "joined_at")):
            self.assertIn(f"bad.csv:{line}: column '{col}'", r.err)
        self.assertNotIn("bad.csv:2:", r.err)
        self.assertIn("nothing was recorded", r.err)
        self.assertEqual(self.db_digest(), digest)
        r = self.run_rdlz("record-attendance", str(ev), "--from-log", self.write("nohdr.csv", "a,b\n1,2\n"), expect=65)
        self.assertIn("nohdr.csv:1: the header needs", r.err)
        gbk = "代表编号,进入时间,离开时间\nRZ0001,2026-11-20 09:00:00,2026-11-20 11:00:00\n".encode("gbk")
        r = self.run_rdlz("record-attendance", str(ev), "--from-log", self.write("gbk.csv", gbk), expect=65)
        self.assertIn("gbk.csv", r.err)
        self.assertEqual(self.db_digest(), digest)
        self.ok("record-attendance", str(ev), "--from-log", self.write("gbk.csv", gbk), "--encoding", "gbk")
        self.assertEqual(self.attendance(ev)["RZ0001"]["minutes"], 120)

    def test_manual_modes_and_duty_records(self):
        ev = self.inquiry()
        for code, mode in (("RZ0001", "onsite"), ("RZ0002", "online"), ("RZ0003", "absent")):
            self.ok("record-attendance", str(ev), "--deputy", code, "--mode", mode)
        got = self.attendance(ev)
        self.assertEqual({c: (r["mode"], r["source"]) for c, r in got.items()},
                         {"RZ0001": ("onsite", "manual"), "RZ0002": ("online", "manual"),
                          "RZ0003": ("absent", "manual")})
        rec = self.ok("archive", "RZ0001", "--format", "json").json()
        self.assertEqual([(r["kind"], r["quantity"]) for r in rec], [("meeting_onsite", 120)])
        self.ok("record-attendance", str(ev), "--deputy", "RZ0001", "--mode", "excused")
        rec = self.ok("archive", "RZ0001", "--format", "json").json()
        self.assertEqual([(r["kind"], r["quantity"]) for r in rec], [("meeting_excused", 0)])

    def test_comments_post_import_hide(self):
        ev = self.inquiry()
        self.assertEqual(self.ok("post-comment", str(ev), "--deputy", "RZ0001", "--text", "建议增加养老床位").out, "1\n")
        self.assertEqual(self.ok("post-comment", str(ev), "--deputy", "RZ0002", "--text", "-",
                                 stdin="来自标准输入，含逗号,\n").out, "2\n")
        export = self.write("c.csv", "code,time,text\nRZ0003,2026-11-20 09:30:00,\"两行\n留言\"\n"
                                     "RZ0001,2026-11-20 09:31:00,=1+1\n")
        self.assertEqual(self.ok("import-comments", str(ev), export).out, "2\n")
        self.assertEqual(self.ok("import-comments", str(ev), export).out, "0\n")
        listed = self.ok("list-comments", str(ev), "--format", "json").json()
        self.assertEqual([c["text"] for c in listed], ["两行\n留言", "=1+1", "建议增加养老床位", "来自标准输入，含逗号,"])
        csv_out = self.ok("list-comments", str(ev), "--format", "csv").out
        self.assertNotIn("\n=1+1", csv_out.replace(",", "\n"))  # a formula cell is neutralised
        self.ok("hide-comment", "1", "--reason", "与议题无关")
        self.assertEqual(len(self.ok("list-comments", str(ev), "--format", "json").json()), 3)
        hidden = [c for c in self.ok("list-comments", str(ev), "--all", "--format", "json").json() if c["hidden"]]
        self.assertEqual([(c["id"], c["hidden_reason"]) for c in hidden], [(1, "与议题无关")])
        self.run_rdlz("hide-comment", "1", "--reason", "again", expect=1)
        stats = self.ok("event-stats", str(ev), "--format", "json").json()
        self.assertEqual((stats["comments"], stats["hidden_comments"], stats["commenters"]), (3, 1, 3))
        bad = self.write("bad.csv", "code,time,text\nRZ0001,2026-11-30 09:00:00,将来\n")
        digest = self.db_digest()
        r = self.run_rdlz("import-comments", str(ev), bad, expect=65)
        self.assertIn("bad.csv:2: column 'time'", r.err)
        self.assertEqual(self.db_digest(), digest)

    def test_articles_and_learning(self):
        ev = self.inquiry()
        self.assertEqual(self.ok("add-article", "--title", "代表法解读", "--url", "https://example.cn/law",
                                 "--tag", "法律", "--tag", "入门").out, "1\n")
        body = self.write("body.md", "# 履职指南\n正文\n")
        self.assertEqual(self.ok("add-article", "--title", "履职指南", "--body-file", body).out, "2\n")
        self.ok("record-learning", "--deputy", "RZ0001", "--article", "1", "--minutes", "20", "--at", "2026-11-27 20:00")
        self.ok("record-learning", "--deputy", "RZ0002", "--event", str(ev), "--minutes", "45")
        self.run_rdlz("record-learning", "--deputy", "RZ0001", "--article", "1", "--minutes", "20",
                      "--at", "2026-11-27 20:00", expect=1)
        self.run_rdlz("record-learning", "--deputy", "RZ0001", "--article", "1", "--minutes", "2000", expect=2)
        log = self.write("l.csv", "代表编号,学习时长,学习时间,文章\nRZ0003,15,2026-11-26 10:00,2\nRZ0003,5,2026-11-26 11:00,\n")
        self.assertEqual(self.ok("import-learning", log).out, "2\n")
        self.assertEqual(self.ok("import-learning", log).out, "0\n")
        arts = self.ok("list-articles", "--format", "json").json()
        self.assertEqual([(a["id"], a["readers"], a["minutes"], a["tags"]) for a in arts],
                         [(2, 1, 15, ""), (1, 1, 20, "入门,法律")])
        self.assertEqual([a["id"] for a in self.ok("list-articles", "--tag", "法律", "--format", "json").json()], [1])
        rec = self.ok("archive", "RZ0003", "--format", "json").json()
        self.assertEqual(sorted(r["quantity"] for r in rec if r["kind"] == "learning"), [5, 15])

    def test_statistics_against_hand_counts(self):
        a = self.inquiry("2026-03-10 09:00", "2026-03-10 11:00")
        b = self.inquiry("2026-06-10 09:00", "2026-06-10 11:00", kind="meeting")
        c = int(self.ok("create-event", "--kind", "hearing", "--title", "庭审", "--starts", "2026-07-01 09:00",
                        "--ends", "2026-07-01 10:00", "--announce-at", "2026-06-25 09:00").out)
        self.inquiry("2026-08-10 09:00", "2026-08-10 11:00", kind="forum")
        old = self.inquiry("2025-12-10 09:00", "2025-12-10 11:00", kind="training")
        self.ok("cancel-event", "4")
        for ev, code, mode in ((a, "RZ0001", "onsite"), (a, "RZ0002", "online"), (b, "RZ0001", "online"),
                               (b, "RZ0003", "absent"), (c, "RZ0001", "online"), (c, "RZ0002", "online"),
                               (c, "RZ0003", "online"), (old, "RZ0002", "onsite")):
            self.ok("record-attendance", str(ev), "--deputy", code, "--mode", mode)
        for ev, code in ((a, "RZ0001"), (a, "RZ0001"), (c, "RZ0003")):
            self.ok("post-comment", str(ev), "--deputy", code, "--text", f"意见 {ev} {code} {random.random()}")
        self.ok("record-learning", "--deputy", "RZ0003", "--event", str(c), "--minutes", "30", "--at", "2026-07-02 20:00")
        rows = {r["kind"]: r for r in self.ok("event-stats", "--year", "2026", "--format", "json").json()}
        self.assertEqual(list(rows), ["meeting", "inquiry", "hearing", "forum", "training", "activity", "learning",
                                      "total"])
        want = {"meeting": (1, 1, 1, 0, 0), "inquiry": (1, 2, 2, 2, 0), "hearing": (1, 3, 3, 1, 1),
                "forum": (0, 0, 0, 0, 0), "training": (0, 0, 0, 0, 0), "total": (3, 6, 3, 3, 1)}
        for kind, (s, pt, d, cm, ln) in want.items():
            r = rows[kind]
            self.assertEqual((r["sessions"], r["person_times"], r["deputies"], r["comments"], r["learning"]),
                             (s, pt, d, cm, ln), kind)
        dec = {r["kind"]: r for r in self.ok("event-stats", "--from", "2025-12-01", "--to", "2025-12-31",
                                             "--format", "json").json()}
        self.assertEqual((dec["training"]["sessions"], dec["training"]["person_times"]), (1, 1))
        one = self.ok("event-stats", str(c), "--format", "json").json()
        self.assertEqual((one["online"], one["person_times"], one["comments"], one["learning"]), (3, 3, 1, 1))

    def test_ical_read_back_by_an_independent_parser(self):
        import icalendar
        self.inquiry()
        h = self.ok("create-event", "--kind", "hearing", "--title", "合同纠纷案, 公开审理; 第一次", "--starts",
                    "2026-12-05 09:00", "--ends", "2026-12-05 11:30", "--announce-at", "2026-11-28 08:00",
                    "--place", "第三法庭", "--stream-url", "https://live.example.cn/h/2",
                    "--case-summary", "原告诉称：" + "被告未按约定交付货物。" * 20).out.strip()
        out = os.path.join(self.dir, "feed", "rdlz.ics")
        os.mkdir(os.path.dirname(out))
        self.ok("export-ical", "--out", out)
        self.assertEqual(stat.S_IMODE(os.stat(out).st_mode), 0o644)
        raw = self.read(out)
        self.assertTrue(all(len(line) <= 75 for line in raw.split(b"\r\n")))
        cal = icalendar.Calendar.from_ical(raw)
        events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
        e = events["合同纠纷案, 公开审理; 第一次"]
        self.assertEqual(e.decoded("DTSTART"), datetime(2026, 12, 5, 9, 0, tzinfo=CST).astimezone(e.decoded("DTSTART").tzinfo))
        self.assertEqual(e.decoded("DTSTART").utcoffset(), timedelta(hours=8))
        self.assertEqual(e.decoded("DTEND") - e.decoded("DTSTART"), timedelta(hours=2, minutes=30))
        self.assertEqual(str(e["URL"]), "https://live.example.cn/h/2")
        self.assertEqual(str(e["LOCATION"]), "第三法庭")
        self.assertIn("被告未按约定交付货物。" * 20, str(e["DESCRIPTION"]))
        self.assertEqual(str(e["STATUS"]), "CONFIRMED")
        uid = str(e["UID"])
        # the UID is stable across exports; a cancellation keeps it and raises SEQUENCE
        self.ok("cancel-event", h)
        cal = icalendar.Calendar.from_ical(self.ok("export-ical", "--kind", "hearing").out.encode())
        (e,) = cal.walk("VEVENT")
        self.assertEqual((str(e["UID"]), str(e["STATUS"]), int(e["SEQUENCE"])), (uid, "CANCELLED", 1))
        cal = icalendar.Calendar.from_ical(self.ok("export-ical", "--from", "2026-12-01").out.encode())
        self.assertEqual(len(cal.walk("VEVENT")), 1)

    def test_announcements_through_the_outbox(self):
        h = self.ok("create-event", "--kind", "hearing", "--title", "合同纠纷案", "--starts", "2026-12-05 09:00",
                    "--ends", "2026-12-05 11:00", "--announce-at", "2026-11-29 09:00",
                    "--stream-url", "https://live.example.cn/h/3").out.strip()
        q = self.ok("queue-reminders", "--format", "json").json()
        self.assertIn({"producer": "events", "queued": 0}, q)
        later = {"RDLZ_NOW": "2026-11-29T09:00:00+08:00"}
        q = self.ok("queue-reminders", "--format", "json", env=later).json()
        self.assertIn({"producer": "events", "queued": 2}, q)  # RZ0002 has no e-mail and no webhook
        q = self.ok("queue-reminders", "--format", "json", env=later).json()
        self.assertIn({"producer": "events", "queued": 0}, q)
        self.ok("set-event", h, "--starts", "2026-12-06 09:00", "--ends", "2026-12-06 11:00", env=later)
        self.ok("queue-reminders", env=later)
        self.ok("cancel-event", h, "--reason", "延期", env=later)
        self.ok("queue-reminders", env=later)
        keys = sorted(m["key"] for m in self.ok("list-outbox", "--format", "json").json())
        self.assertEqual(keys, ["event-1-cancelled:RZ0001", "event-1-cancelled:RZ0003", "event-1-r1:RZ0001",
                                "event-1-r1:RZ0003", "event-1-r2:RZ0001", "event-1-r2:RZ0003"])
        body = self.ok("show-message", "event-1-r2:RZ0001", "--format", "json").json()
        text = json.dumps(body, ensure_ascii=False)
        self.assertIn("【更正】", text)
        self.assertIn("2026-12-06T09:00:00+08:00", text)
        self.assertIn("https://live.example.cn/h/3", text)


if __name__ == "__main__":
    unittest.main()
