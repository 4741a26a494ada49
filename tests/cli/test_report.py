#!/usr/bin/env python3
"""rdlz report: a small year built through the real commands, its figures
against hand counts and against event-stats and list-cases, the four
formats agreeing, the page in a real browser, the PDF, and the refusals."""
import json
import os
import random
import unittest

from rdlztest import RdlzTestCase, png_pixels


class ReportTest(RdlzTestCase):
    def setUp(self):
        super().setUp()
        self.init()
        self.ok("import-deputies", self.roster(30, "--seed", "7"))
        self.ok("add-department", "--code", "ZJJ", "--name", "市住房和城乡建设局")
        self.ok("set-route", "道路", "ZJJ")
        rng = random.Random(2026)
        # March: a meeting, 12 online for the whole of it, 3 on site, and 40 comments
        self.meeting = self.event("meeting", "常委会会议", "2026-03-10 09:00", "2026-03-10 11:00")
        log = "code,joined_at,left_at\n" + "".join(
            f"RZ{i:04d},2026-03-10 09:00,2026-03-10 11:00\n" for i in range(1, 13))
        self.ok("record-attendance", self.meeting, "--from-log", self.write("m.csv", log))
        for i in range(13, 16):
            self.ok("record-attendance", self.meeting, "--deputy", f"RZ{i:04d}", "--mode", "onsite")
        self.comments(self.meeting, "2026-03-10 09:", 40, rng)
        # November: an inquiry, 20 online, 1 for too short a time (partial), 25 comments
        self.inquiry = self.event("inquiry", "乡村振兴专题询问", "2026-11-10 09:00", "2026-11-10 11:00")
        log = "code,joined_at,left_at\n" + "".join(
            f"RZ{i:04d},2026-11-10 09:00,2026-11-10 11:00\n" for i in range(1, 21)) + \
            "RZ0021,2026-11-10 09:00,2026-11-10 09:10\n"
        self.ok("record-attendance", self.inquiry, "--from-log", self.write("i.csv", log))
        self.comments(self.inquiry, "2026-11-10 10:", 25, rng)
        # a hearing, 8 online, 11 messages
        self.hearing = self.event("hearing", "合同纠纷案", "2026-11-12 09:00", "2026-11-12 11:00",
                                  "--announce-at", "2026-11-05 09:00", "--court", "东港区人民法院")
        log = "code,joined_at,left_at\n" + "".join(
            f"RZ{i:04d},2026-11-12 09:00,2026-11-12 11:00\n" for i in range(1, 9))
        self.ok("record-attendance", self.hearing, "--from-log", self.write("h.csv", log))
        self.comments(self.hearing, "2026-11-12 09:", 11, rng)
        # suggestions: three filed in April, two answered on time and rated, one closed
        ids = [self.file_suggestion(i) for i in range(3)]
        for i in ids[:2]:
            self.ok("accept-case", i, env={"RDLZ_NOW": "2026-04-02T09:00:00+08:00"})
            self.ok("answer-case", i, "--text", "已答复", env={"RDLZ_NOW": "2026-04-03T09:00:00+08:00"})
        self.ok("rate-case", ids[0], "满意", "--deputy", "RZ0001", env={"RDLZ_NOW": "2026-04-04T09:00:00+08:00"})
        self.ok("rate-case", ids[1], "不满意", "--deputy", "RZ0002", env={"RDLZ_NOW": "2026-04-04T09:00:00+08:00"})
        self.ok("close-case", ids[0], env={"RDLZ_NOW": "2026-04-05T09:00:00+08:00"})
        # two requests, one taken and resolved
        r1 = self.ok("submit-request", "--deputy", "RZ0003", "--text", "路灯不亮", "--citizen", "王小明",
                     "--phone", "13800001234").out.strip()
        self.ok("submit-request", "--deputy", "RZ0004", "--text", "噪音扰民")
        self.ok("take-request", r1, "--deputy", "RZ0003")
        self.ok("resolve-case", r1, "--text", "已修好")

    def event(self, kind, title, starts, ends, *extra):
        return self.ok("create-event", "--kind", kind, "--title", title, "--starts", starts, "--ends", ends,
                       *extra).out.strip()

    def comments(self, event, hour, n, rng):
        rows = "".join(f"RZ{rng.randint(1, 30):04d},{hour}{i:02d},意见{i}\n" for i in range(n))
        self.ok("import-comments", event, self.write(f"c{event}.csv", "code,time,text\n" + rows))

    def file_suggestion(self, i):
        return self.ok("file-suggestion", "--deputy", f"RZ{i + 1:04d}", "--title", f"建议{i}", "--text", "修路",
                       "--category", "道路", env={"RDLZ_NOW": "2026-04-01T09:00:00+08:00"}).out.strip()

    def report(self, *args):
        rows = self.ok("report", *args, "--format", "json").json()
        return {(r["section"], r["metric"]): r["value"] for r in rows}

    def test_figures_by_hand_and_against_the_other_commands(self):
        f = self.report("--year", "2026")
        expect = {
            ("deputies", "serving"): 30, ("deputies", "with_code"): 30,
            ("events", "meeting_sessions"): 1, ("events", "meeting_person_times"): 15,
            ("events", "meeting_online"): 12, ("events", "meeting_comments"): 40,
            ("events", "inquiry_online"): 20, ("events", "inquiry_person_times"): 20,
            ("events", "inquiry_comments"): 25,
            ("events", "hearing_sessions"): 1, ("events", "hearing_person_times"): 8,
            ("events", "hearing_comments"): 11,
            ("events", "all_online"): 40, ("events", "all_comments"): 76,
            ("months", "2026-03"): 15, ("months", "2026-03_online"): 12, ("months", "2026-11"): 28,
            ("suggestions", "received"): 3, ("suggestions", "answered"): 2, ("suggestions", "answered_on_time"): 2,
            ("suggestions", "rated"): 2, ("suggestions", "satisfaction_rate"): 0.5,
            ("suggestions", "reached_closed"): 1, ("suggestions", "now_assigned"): 2,
            ("requests", "received"): 2, ("requests", "answered"): 1, ("requests", "now_submitted"): 1,
            ("requests", "reached_taken"): 1, ("requests", "now_resolved"): 1,
            ("ranking", "ranked"): 30,
        }
        self.assertEqual({k: f.get(k) for k in expect}, expect)
        # a dissatisfied rating sent one back to assigned: it is counted there once
        self.assertEqual(f[("suggestions", "reached_assigned")], 3)
        # event-stats agrees kind by kind
        stats = {r["kind"]: r for r in self.ok("event-stats", "--year", "2026", "--format", "json").json()}
        for kind in ("meeting", "inquiry", "hearing", "forum", "training", "activity"):
            self.assertEqual(f[("events", kind + "_person_times")], stats[kind]["person_times"], kind)
            self.assertEqual(f[("events", kind + "_comments")], stats[kind]["comments"], kind)
            self.assertEqual(f[("events", kind + "_sessions")], stats[kind]["sessions"], kind)
        # list-cases agrees state by state
        cases = self.ok("list-cases", "--format", "json").json()
        for kind, section in (("request", "requests"), ("suggestion", "suggestions")):
            for state in {c["state"] for c in cases if c["kind"] == kind}:
                n = sum(1 for c in cases if c["kind"] == kind and c["state"] == state)
                self.assertEqual(f[(section, "now_" + state)], n, (kind, state))
        # the top three are the ranking's
        rank = self.ok("rank", "--period", "2026", "--format", "json").json()
        self.assertEqual(f[("ranking", "top_1")], rank[0]["total"])
        rows = self.ok("report", "--year", "2026", "--format", "json").json()
        self.assertIn(rank[0]["code"], next(r["label"] for r in rows if r["metric"] == "top_1"))

    def test_formats_agree_and_periods(self):
        js = self.ok("report", "--period", "2026-11", "--format", "json").json()
        csv_rows = self.ok("report", "--period", "2026-11", "--format", "csv").csv()
        table = self.ok("report", "--period", "2026-11").out
        self.assertEqual(len(js), len(csv_rows))
        for j, c in zip(js, csv_rows):
            self.assertEqual((j["section"], j["metric"], j["label"]), (c["section"], c["metric"], c["label"]))
            self.assertEqual("" if j["value"] is None else j["value"], "" if c["value"] == "" else float(c["value"]))
            self.assertIn(j["label"], table)
        nov = {(r["section"], r["metric"]): r["value"] for r in js}
        self.assertEqual(nov[("events", "meeting_sessions")], 0)  # the meeting was in March
        self.assertEqual(nov[("events", "all_online")], 28)
        self.assertEqual([k[1] for k in nov if k[0] == "months"], ["2026-11", "2026-11_online"])
        self.assertIsNone(nov[("suggestions", "on_time_rate")])  # none filed in November: nothing to rate
        days = self.report("--from", "2026-03-01", "--to", "2026-04-30")
        self.assertEqual((days[("events", "all_person_times")], days[("suggestions", "received")]), (15, 3))
        self.assertEqual(self.report("--period", "2026-Q4")[("events", "all_comments")], 36)

    def test_refusals(self):
        before = self.db_digest()
        for args, code, words in (
                ((), 2, "--period"),
                (("--period", "2026-13"), 2, "2026-13"),
                (("--period", "2026", "--year", "2026"), 2, "not both"),
                (("--year", "26"), 2, "26"),
                (("--year", "2026", "--from", "2026-01-01"), 2, "not both"),
                (("--from", "2026-02-30", "--to", "2026-03-01"), 2, "2026-02-30"),
                (("--from", "2026-05-01", "--to", "2026-04-01"), 2, "ends before"),
                (("--year", "2026", "--html", "x.html", "--format", "csv"), 2, "--format"),
                (("--year", "2026", "--html", os.path.join(self.dir, "no", "x.html")), 1, "x.html"),
        ):
            r = self.run_rdlz("report", *args, expect=code)
            self.assertIn(words, r.err, args)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "no")))
        self.assertEqual(self.db_digest(), before)
        r = self.run_rdlz("report", "--year", "2026", "--pdf", "x.pdf", env={"PATH": "/nonexistent"}, expect=1)
        self.assertIn("Chromium", r.err)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "x.pdf")))

    def test_page_in_a_real_browser_and_pdf(self):
        self.ok("set-deputy", "RZ0001", "--name", "<b>张</b>")
        page = os.path.join(self.dir, "report.html")
        pdf = os.path.join(self.dir, "report.pdf")
        self.assertEqual(self.ok("report", "--year", "2026", "--html", "report.html", "--pdf", "report.pdf").out, "")
        text = self.read(page).decode()
        self.assertNotIn("<b>张", text)
        self.assertNotIn("<script", text)
        self.assertNotIn("http", text)  # nothing fetched
        self.assertEqual(text.count("<svg"), 4)  # per month, two funnels, the top ten
        for label in ("出席人次按月", "微建议办理漏斗", "群众诉求办理漏斗", "前十名"):
            self.assertIn(f'aria-label="{label}"', text)
        # every figure of the listing is on the page
        rows = self.ok("report", "--year", "2026", "--format", "json").json()
        for r in rows:
            self.assertIn(r["label"].replace("<", "&lt;").replace(">", "&gt;"), text)
        self.assertEqual(self.read(pdf)[:5], b"%PDF-")
        self.assertGreater(os.path.getsize(pdf), 10000)
        width, height, px = png_pixels(self.read(self.screenshot(page, 1000, 1400)))
        self.assertEqual((width, height), (1000, 1400))
        header = px[20][500]
        self.assertTrue(abs(header[0] - 0xb3) < 8 and header[1] < 60, f"the header is not red: {header}")
        # the month chart: gold bars (all person-times) with red inside (online)
        gold = sum(1 for row in px[250:700] for p in row if abs(p[0] - 0xd9) < 6 and abs(p[1] - 0xa4) < 6
                   and abs(p[2] - 0x41) < 6)
        red = sum(1 for row in px[250:700] for p in row if abs(p[0] - 0xb3) < 6 and p[1] < 0x40 and p[2] < 0x40)
        self.assertGreater(gold, 500, "no bars drawn for the months")
        self.assertGreater(red, 300, "no online part drawn in the bars")
        colours = {p for row in px[::10] for p in row[::10]}
        self.assertGreater(len(colours), 20, "the page rendered blank")
        json.dumps(rows)  # the listing is plain JSON


if __name__ == "__main__":
    unittest.main()
