"""End-to-end tests of the ranking: rules files and their refusals, a month
ranked from real module records (attendance, comments, learning, ballots),
the explanation against the leaderboard, save and verify across a rules
change and a later edit, and reminders once per period."""
import json
import os
import struct
import unittest
import zlib

from rdlztest import RdlzTestCase, png_pixels


ROSTER = ("code,name,delegation,email\n"
          "RZ0001,张三,甲,a@example.cn\n"
          "RZ0002,李四,乙,b@example.cn\n"
          "RZ0003,王五,甲,c@example.cn\n"
          "RZ0004,赵六,乙,d@example.cn\n")


class RankTest(RdlzTestCase):
    def setUp(self):
        super().setUp()
        self.init()
        self.ok("import-deputies", self.write("roster.csv", ROSTER))
        ev = self.ok("create-event", "--kind", "meeting", "--title", "常委会会议", "--starts", "2026-11-10 09:00",
                     "--ends", "2026-11-10 11:00").out.strip()
        for code, mode in (("RZ0001", "onsite"), ("RZ0002", "online"), ("RZ0003", "absent")):
            self.ok("record-attendance", ev, "--deputy", code, "--mode", mode)
        for i in range(12):
            self.ok("post-comment", ev, "--deputy", "RZ0001", "--text", f"意见{i}")
        self.ok("add-article", "--title", "代表法", "--url", "https://example.cn/law")
        self.ok("record-learning", "--deputy", "RZ0002", "--article", "1", "--minutes", "90", "--at", "2026-11-20 20:00")

    def rank(self, *args):
        return self.ok("rank", "--period", "2026-11", "--format", "json", *args).json()

    def test_default_rules_month(self):
        rows = self.rank()
        # default rules: onsite 10 + 12 comments capped at 10; online 8 + 1.5 h learning; absent -5
        self.assertEqual([(r["rank"], r["code"], r["meetings"], r["learning"], r["total"]) for r in rows],
                         [(1, "RZ0001", 20, 0, 20), (2, "RZ0002", 8, 1.5, 9.5), (3, "RZ0004", 0, 0, 0),
                          (4, "RZ0003", -5, 0, -5)])
        self.assertEqual([r["index"] for r in rows], [100, 47.5, 0, 0])
        self.assertEqual({r["code"]: r["delegation_percentile"] for r in rows},
                         {"RZ0001": 100, "RZ0003": 0, "RZ0002": 100, "RZ0004": 0})
        self.assertEqual([r["code"] for r in self.rank("--top", "2")], ["RZ0001", "RZ0002"])
        self.assertEqual([r["code"] for r in self.rank("--bottom", "1")], ["RZ0003"])
        self.assertEqual([r["code"] for r in self.rank("--delegation", "乙")], ["RZ0002", "RZ0004"])
        q4 = self.ok("rank", "--from", "2026-10-01", "--to", "2026-12-31", "--format", "json").json()
        self.assertEqual(q4[0]["total"], 20)

    def test_explain_equals_the_leaderboard(self):
        rows = {r["code"]: r for r in self.rank()}
        for code in ("RZ0001", "RZ0002", "RZ0003"):
            lines = self.ok("rank", "--period", "2026-11", "--explain", code, "--format", "json").json()
            sums = {l["category"]: l["points"] for l in lines if l["note"] in ("category sum", "total")}
            self.assertEqual(sums["total"], rows[code]["total"], code)
            for cat in ("meetings", "hearings", "learning", "activities", "suggestions", "surveys"):
                self.assertEqual(sums[cat], rows[code][cat], (code, cat))
            records = [l for l in lines if l["kind"]]
            self.assertAlmostEqual(sum(l["points"] for l in records), rows[code]["total"], places=6)
        cut = [l for l in self.ok("rank", "--period", "2026-11", "--explain", "RZ0001", "--format", "json").json()
               if l["note"] and l["note"].startswith("cap")]
        self.assertEqual(len(cut), 2)

    def test_rules_files(self):
        v = self.ok("set-rules", self.write("r.csv", "类型,类别,分值,计分单位,上限\nmeeting_onsite,会议,3,event,\n"
                                                     "learning,学习,1,minute,60\n")).out.strip()
        self.assertEqual(v, "2")
        rows = self.rank()
        self.assertEqual([(r["code"], r["会议"], r["学习"]) for r in rows][:2], [("RZ0002", 0, 60), ("RZ0001", 3, 0)])
        self.assertEqual(self.rank("--rules-version", "1")[0]["code"], "RZ0001")
        digest = self.db_digest()
        r = self.run_rdlz("set-rules", self.write("bad.csv", "kind,category,points,per,cap\nmeeting_onsite,a,1,event,\n"
                                                            "teleporting,a,1,item,\nmeeting_onsite,a,2,event,\n"),
                          expect=65)
        self.assertIn("bad.csv:3: column 'kind'", r.err)
        self.assertIn("bad.csv:4: column 'kind': meeting_onsite has a rule already", r.err)
        self.assertEqual(self.db_digest(), digest)
        self.assertEqual(self.ok("show-rules", "--format", "json").json()[0]["version"], 2)

    def test_save_verify_and_reminders(self):
        sid = self.ok("rank", "--period", "2026-11", "--save").out.strip()
        saved = self.ok("rank", "--saved", sid, "--format", "json").json()
        self.assertEqual(saved[0]["categories"]["meetings"], 20)
        self.assertTrue(self.ok("rank", "--verify", sid, "--format", "json").json()[0]["unchanged"])
        self.ok("set-rules", self.write("r.csv", "kind,category,points,per,cap\nmeeting_onsite,m,1,event,\n"))
        self.assertTrue(self.ok("rank", "--verify", sid, "--format", "json").json()[0]["unchanged"])
        self.assertEqual(self.ok("rank", "--saved", sid, "--format", "json").json(), saved)
        self.ok("post-comment", "1", "--deputy", "RZ0004", "--text", "后来补的意见")
        r = self.run_rdlz("rank", "--verify", sid, "--format", "json", expect=1)
        self.assertFalse(r.json()[0]["unchanged"])
        self.assertIn("changed since", r.err)
        self.assertEqual(self.ok("rank", "--period", "2026-11", "--remind-bottom", "2").out, "2\n")
        self.assertEqual(self.ok("rank", "--period", "2026-11", "--remind-bottom", "2").out, "0\n")
        keys = sorted(m["key"] for m in self.ok("list-outbox", "--format", "json").json())
        self.assertEqual(len([k for k in keys if k.startswith("rank-2026-11:")]), 2)
        self.run_rdlz("rank", "--period", "2026-13", expect=2)
        self.run_rdlz("rank", expect=2)

    def test_leaderboard_page_in_a_real_browser(self):
        face = self.write("face.png", b"")
        w = h = 16
        raw = b"".join(b"\x00" + bytes([20, 90, 200] * w) for _ in range(h))
        chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
        self.write("face.png", b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
                   chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
        self.ok("set-deputy", "RZ0001", "--photo", face)
        self.ok("set-deputy", "RZ0002", "--name", "<b>李四</b>")
        out = os.path.join(self.dir, "site")
        self.ok("publish-leaderboard", "--period", "2026-11", "--out", out)
        board = json.loads(self.read(os.path.join(out, "leaderboard.json")))
        self.assertEqual((board["period"], board["rows"][0]["code"], len(board["rows"])), ("2026-11", "RZ0001", 4))
        self.assertEqual(board["rows"], self.rank())
        page = self.read(os.path.join(out, "index.html")).decode()
        self.assertIn('<img src="photos/RZ0001.png"', page)
        self.assertEqual(self.read(os.path.join(out, "photos", "RZ0001.png")), self.read(face))
        self.assertIn("&lt;b&gt;李四&lt;/b&gt;", page)
        self.assertNotIn("<b>李四", page)
        self.assertNotIn("http", page)  # nothing fetched from elsewhere
        self.assertEqual(page.count("<svg"), 2)  # placeholders for the two without photos
        shot = self.screenshot(os.path.join(out, "index.html"), 800, 900)
        width, height, rows = png_pixels(self.read(shot))
        self.assertEqual((width, height), (800, 900))
        header = rows[20][400]
        self.assertTrue(abs(header[0] - 0xb3) < 8 and header[1] < 60, f"the header is not red: {header}")
        # the first card shows the copied photo (blue) where its image stands
        blue = sum(1 for y in range(120, 230) for x in range(60, 220) if rows[y][x][2] > 150 and rows[y][x][0] < 80)
        self.assertGreater(blue, 2000, "the top deputy's photo is not on the page")
        colours = {px for row in rows[::10] for px in row[::10]}
        self.assertGreater(len(colours), 20, "the page rendered blank")


if __name__ == "__main__":
    unittest.main()
