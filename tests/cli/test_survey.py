"""End-to-end tests of run-survey: a survey's whole life, each refusal with
the database unchanged, a definition file and a batch from standard input,
many processes voting at once (every ballot counted exactly once), results
against hand counts, --watch until the close, and case-stats fed."""
import json
import os
import subprocess
import time
import unittest

from rdlztest import RDLZ, RdlzTestCase

DEPUTIES = 80


class SurveyTest(RdlzTestCase):
    def setUp(self):
        super().setUp()
        self.init()
        rows = "".join(f"V{i:03d},代表{i},{'甲' if i % 2 else '乙'}\n" for i in range(1, DEPUTIES + 1))
        self.ok("import-deputies", self.write("roster.csv", "code,name,delegation\n" + rows))
        self.ok("add-department", "--code", "ZJJ", "--name", "住建局")

    def create(self, *extra):
        return self.ok("run-survey", "create", "--title", "住建局办理情况测评", "--subject", "department:ZJJ",
                       "--item", "办理态度", "--item", "办理结果", *extra).out.strip()

    def results(self, sid):
        return {r["item"]: r for r in self.ok("run-survey", "results", sid, "--format", "json").json()}

    def test_life_and_hand_counts(self):
        sid = self.create()
        self.ok("run-survey", "open", sid)
        self.ok("run-survey", "vote", sid, "--deputy", "V001", "--answer", "1=满意", "--answer", "2=满意")
        self.ok("run-survey", "vote", sid, "--deputy", "V002", "--answer", "1=basic", "--answer", "2=dissatisfied")
        batch = "代表编号,1,2\nV003,不满意,基本满意\nV004,满意,\n"
        self.assertEqual(self.ok("run-survey", "vote", sid, "--from", "-", stdin=batch).out, "2\n")
        # open: turnout only
        r = self.results(sid)
        self.assertEqual((r[1]["ballots"], r[1]["eligible"], r[1]["turnout"]), (4, DEPUTIES, 4 / DEPUTIES))
        self.assertIsNone(r[1]["counts"])
        self.assertIsNone(r[1]["satisfaction_rate"])
        self.ok("run-survey", "close", sid)
        r = self.results(sid)
        self.assertEqual(r[1]["counts"], {"满意": 2, "基本满意": 1, "不满意": 1})
        self.assertEqual(r[2]["counts"], {"满意": 1, "基本满意": 1, "不满意": 1})
        self.assertEqual((r[1]["valid"], r[2]["valid"]), (4, 3))
        self.assertEqual((r[1]["online"], r[1]["onsite"]), (2, 2))
        self.assertAlmostEqual(r[1]["satisfaction_rate"], 3 / 4)
        self.assertAlmostEqual(r[2]["satisfaction_rate"], 2 / 3)
        flat = self.ok("run-survey", "results", sid, "--format", "csv").csv()
        self.assertEqual((flat[0]["满意"], flat[0]["基本满意"], flat[0]["不满意"]), ("2", "1", "1"))
        listed = self.ok("run-survey", "list", "--format", "json").json()
        self.assertEqual([(s["id"], s["state"], s["ballots"]) for s in listed], [(1, "closed", 4)])
        stats = self.ok("case-stats", "--format", "json").json()
        zjj = [s for s in stats if s["by"] == "department" and s["value"] == "ZJJ"]
        self.assertAlmostEqual(zjj[0]["satisfaction_rate"], 5 / 7)
        rec = self.ok("archive", "V001", "--format", "json").json()
        self.assertEqual([r["kind"] for r in rec], ["ballot_cast"])

    def test_refusals_change_nothing(self):
        sid = self.create("--eligible", "delegation:甲")
        r = self.run_rdlz("run-survey", "vote", sid, "--deputy", "V001", "--answer", "1=满意", expect=1)
        self.assertIn("is draft", r.err)
        self.ok("run-survey", "open", sid)
        self.ok("run-survey", "vote", sid, "--deputy", "V001", "--answer", "1=满意")
        digest = self.db_digest()
        cases = [
            (("run-survey", "vote", sid, "--deputy", "V001", "--answer", "1=满意"), 1, "one ballot each"),
            (("run-survey", "vote", sid, "--deputy", "V002", "--answer", "1=满意"), 2, "not eligible"),
            (("run-survey", "vote", sid, "--deputy", "V003", "--answer", "9=满意"), 65, "no question 9"),
            (("run-survey", "vote", sid, "--deputy", "V003", "--answer", "1=非常好"), 65, "not a choice"),
            (("run-survey", "vote", sid, "--deputy", "V003"), 2, "--answer"),
            (("run-survey", "vote", "9", "--deputy", "V003", "--answer", "1=满意"), 1, "no survey 9"),
            (("run-survey", "open", sid), 1, "is open, not draft"),
            (("run-survey", "tally", sid), 2, "not create, open"),
            (("run-survey", "results"), 2, "needs the survey's id"),
            (("run-survey", "create", "--title", "x", "--subject", "department:NOPE", "--item", "q"), 1, "NOPE"),
            (("run-survey", "create", "--title", "x", "--subject", "text:y", "--item", "q", "--scale", "ten"), 2,
             "ten"),
        ]
        for args, code, words in cases:
            with self.subTest(args=args):
                r = self.run_rdlz(*args, expect=code)
                self.assertIn(words, r.err)
        bad = self.write("b.csv", "code,1,2\nV003,满意,满意\nV005,满意,很好\nV007,满意,满意\nV003,不满意,\n")
        r = self.run_rdlz("run-survey", "vote", sid, "--from", bad, expect=65)
        self.assertIn("b.csv:3: column 'answer'", r.err)
        self.assertIn("b.csv:5: column 'code': deputy V003 has voted", r.err)
        self.assertEqual(self.db_digest(), digest)
        self.ok("run-survey", "close", sid)
        r = self.run_rdlz("run-survey", "vote", sid, "--deputy", "V003", "--answer", "1=满意", expect=1)
        self.assertIn("is closed", r.err)

    def test_definition_file_secret_and_score5(self):
        definition = self.write("s.txt", "# 专题询问测评\ntitle: 对询问答复的满意度\nsubject: text:养老服务专题询问\n"
                                         "scale: score5\nsecret: yes\nlive-results: yes\nitem: 答复是否清楚\n")
        sid = self.ok("run-survey", "create", "--from", definition).out.strip()
        self.ok("run-survey", "open", sid)
        for code, score in (("V001", "5"), ("V002", "4"), ("V003", "2")):
            self.ok("run-survey", "vote", sid, "--deputy", code, "--answer", f"1={score}", "--channel", "onsite")
        r = self.results(sid)[1]  # live: counts while open
        self.assertEqual(r["counts"], {"5": 1, "4": 1, "3": 0, "2": 1, "1": 0})
        self.assertAlmostEqual(r["satisfaction_rate"], 2 / 3)
        self.assertEqual(r["onsite"], 3)
        bad = self.write("bad.txt", "title: x\nsubject: text:y\nitem: q\nsecret: perhaps\n")
        r = self.run_rdlz("run-survey", "create", "--from", bad, expect=65)
        self.assertIn("bad.txt:4: secret is yes or no", r.err)
        r = self.run_rdlz("run-survey", "create", "--from", "-", stdin="title: x\nsubject: text:y\nitem: q\nscale: s7\n",
                          expect=65)
        self.assertEqual(r.err, "rdlz: -: scale 's7' is not satisfied3 or score5\n")
        r = self.run_rdlz("run-survey", "vote", sid, "--from", "-", stdin="", expect=65)
        self.assertIn("-: no header row (the file is empty); nothing was counted", r.err)

    def test_many_processes_vote_at_once(self):
        """8 processes cast the ballots of all deputies, every deputy twice
        (by two processes): each ballot is counted exactly once, the other
        attempt is refused as a second ballot, nobody sees a lock error."""
        sid = self.create()
        self.ok("run-survey", "open", sid)
        script = os.path.join(self.dir, "voter.sh")
        with open(script, "w") as f:
            f.write('for c in "$@"; do\n'
                    f'  "{RDLZ}" run-survey vote {sid} --deputy "$c" --answer 1=满意 --answer 2=不满意 2>>"$ERR"\n'
                    '  echo "$c $?"\ndone\n')
        codes = [f"V{i:03d}" for i in range(1, DEPUTIES + 1)]
        procs = []
        for p in range(8):
            mine = [c for i, c in enumerate(codes) if i % 4 == p % 4]  # each deputy in two processes
            env = dict(self.env, ERR=os.path.join(self.dir, f"err{p}"))
            procs.append(subprocess.Popen(["sh", script, *(mine if p < 4 else mine[::-1])], env=env,
                                          stdout=subprocess.PIPE, text=True))
        outcomes = {}
        for p in procs:
            out, _ = p.communicate(timeout=300)
            for line in out.split("\n"):
                if line:
                    code, status = line.split()
                    outcomes.setdefault(code, []).append(int(status))
        self.assertEqual(sorted(outcomes), codes)
        for code, statuses in outcomes.items():
            self.assertEqual(sorted(statuses), [0, 1], code)
        errors = "".join(self.read(os.path.join(self.dir, f"err{p}")).decode() for p in range(8))
        self.assertNotIn("locked", errors)
        self.assertEqual(errors.count("one ballot each"), DEPUTIES)
        self.ok("run-survey", "close", sid)
        r = self.results(sid)
        self.assertEqual((r[1]["ballots"], r[1]["counts"]["满意"], r[2]["counts"]["不满意"]),
                         (DEPUTIES, DEPUTIES, DEPUTIES))
        self.assertEqual(len(self.ok("list-audit", "--format", "json").json()) > DEPUTIES, True)
        self.ok("check")

    def test_watch_until_close(self):
        sid = self.create()
        self.ok("run-survey", "open", sid)
        self.ok("run-survey", "vote", sid, "--deputy", "V001", "--answer", "1=满意")
        watcher = subprocess.Popen([RDLZ, "run-survey", "results", sid, "--watch", "1", "--format", "json"],
                                   env=self.env, cwd=self.dir, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True)
        time.sleep(1.5)
        self.assertIsNone(watcher.poll(), "--watch ended while the survey was open")
        self.ok("run-survey", "close", sid)
        out, err = watcher.communicate(timeout=30)
        self.assertEqual(watcher.returncode, 0, err)
        rows = json.loads(out)  # one listing: the final result
        self.assertEqual((rows[0]["state"], rows[0]["counts"]["满意"]), ("closed", 1))


if __name__ == "__main__":
    unittest.main()
