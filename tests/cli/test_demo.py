#!/usr/bin/env python3
"""The demo year (scripts/demo with the built binaries): it runs through,
and `rdlz report` on it gives back the original platform's figures."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

from rdlztest import RDLZ, GEN_ROSTER, SOURCE


class DemoYearTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="rdlz-demo-")
        env = dict(os.environ, RDLZ_BIN=os.path.abspath(shutil.which(RDLZ) or RDLZ),
                   GEN_ROSTER_BIN=os.path.abspath(shutil.which(GEN_ROSTER) or GEN_ROSTER), DEMO_DIR=cls.dir)
        env.pop("RDLZ_DB", None)
        cls.demo = subprocess.run([os.path.join(SOURCE, "scripts", "demo")], cwd=SOURCE, env=env,
                                 capture_output=True, text=True, timeout=1500)
        cls.env = dict(env, RDLZ_DB=os.path.join(cls.dir, "rdlz.db"), RDLZ_NOW="2026-11-28T09:00:00+08:00")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def rdlz(self, *args):
        r = subprocess.run([self.env["RDLZ_BIN"], *args], env=self.env, capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    def test_runs_through(self):
        self.assertEqual(self.demo.returncode, 0, self.demo.stdout[-3000:] + self.demo.stderr[-3000:])
        self.assertIn("audit_chain   ok", self.demo.stdout)
        for name in ("leaderboard/index.html", "leaderboard/leaderboard.json", "report-2026.html",
                     "report-2026.xlsx", "popolo.json", "open311.json", "posters/RZ0340.svg"):
            self.assertTrue(os.path.getsize(os.path.join(self.dir, name)) > 0, name)
        self.assertIn("queue-reminders --dry-run", self.demo.stdout)

    def test_report_gives_the_figures_back(self):
        f = {(r["section"], r["metric"]): r["value"]
             for r in json.loads(self.rdlz("report", "--year", "2026", "--format", "json"))}
        self.assertEqual(f[("deputies", "serving")], 340)
        self.assertEqual(f[("deputies", "with_qr")], 340)
        self.assertGreaterEqual(f[("events", "meeting_online")] + f[("events", "inquiry_online")], 1200)
        self.assertGreaterEqual(f[("events", "meeting_comments")] + f[("events", "inquiry_comments")], 3800)
        self.assertEqual(f[("events", "hearing_sessions")], 20)
        self.assertGreaterEqual(f[("events", "hearing_person_times")], 2200)
        self.assertGreaterEqual(f[("events", "hearing_comments")], 4900)
        self.assertEqual(f[("events", "forum_person_times")] + f[("events", "training_person_times")], 1517)
        self.assertTrue(120 <= f[("suggestions", "received")] <= 140, f[("suggestions", "received")])
        for state in ("filed", "assigned", "accepted", "answered", "rated", "closed"):
            self.assertGreater(f[("suggestions", "now_" + state)], 0, state)
        for state in ("submitted", "taken", "forwarded", "resolved", "fed_back", "closed"):
            self.assertGreater(f[("requests", "now_" + state)], 0, state)
        self.assertGreaterEqual(f[("surveys", "closed")], 1)
        events = json.loads(self.rdlz("list-events", "--kind", "inquiry", "--format", "json"))
        rural = [e for e in events if "乡村振兴" in e["title"]]
        self.assertEqual(len(rural), 1)
        stats = json.loads(self.rdlz("event-stats", str(rural[0]["id"]), "--format", "json"))
        self.assertEqual((stats["online"], stats["comments"]), (107, 358))


if __name__ == "__main__":
    unittest.main()
