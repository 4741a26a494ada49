"""Concurrency: 8 processes write to one database at once, each a fixed
number of rounds of attendance, comments, ballots and a request's whole
life (submitted, taken, resolved, fed back, closed), and all of them try the
same transitions of shared cases (one wins, the others are refused with
exit 1 naming the state the case is in). Afterwards every write is there
exactly once (rows and audit entries), nobody saw "database is locked" or
exit 75, and `rdlz check` passes. Then the busy timeout: with
db.busy_timeout_ms 1 and another process holding the write lock, a writer
gives up at once with exit 75 and a clear message and changes nothing;
with the default timeout it waits for the lock and succeeds.

RDLZ_CONC_ROUNDS (3) rounds per process and RDLZ_CONC_PROCS (8) processes,
for longer local runs."""
import collections
import hashlib
import os
import sqlite3
import subprocess
import sys
import threading
import time
import unittest

from rdlztest import RDLZ, RdlzTestCase

ROUNDS = int(os.environ.get("RDLZ_CONC_ROUNDS") or 3)
PROCS = int(os.environ.get("RDLZ_CONC_PROCS") or 8)
EVENTS = 4
MODES = ("onsite", "online", "excused", "absent")
CHOICES = ("满意", "基本满意", "不满意")


def rows(path, query, *params):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute(query, params).fetchall()
    finally:
        con.close()


class Outcome:
    def __init__(self, worker, args, proc, seconds):
        self.worker, self.args, self.seconds = worker, args, seconds
        self.code = proc.returncode
        self.out = proc.stdout.decode("utf-8", "replace")
        self.err = proc.stderr.decode("utf-8", "replace")

    def __repr__(self):
        return f"worker {self.worker}: rdlz {' '.join(self.args)}: exit {self.code}: {self.err.strip()}"


class ConcurrencyTest(RdlzTestCase):
    def setUp(self):
        super().setUp()
        self.init()
        n = PROCS * ROUNDS
        self.codes = [f"V{i:04d}" for i in range(1, n + 2)]
        self.owner = self.codes[-1]  # the deputy of the shared cases
        self.ok("import-deputies", "-", stdin="code,name,delegation\n" + "".join(
            f"{c},代表{c},{'甲乙丙'[i % 3]}\n" for i, c in enumerate(self.codes)))
        for e in range(EVENTS):
            self.ok("create-event", "--kind", "meeting", "--title", f"第{e + 1}次会议",
                    "--starts", f"2026-11-2{e} 09:00", "--ends", f"2026-11-2{e} 11:00")
        self.ok("add-department", "--code", "ZJJ", "--name", "住建局")
        self.ok("run-survey", "create", "--title", "住建局办理情况测评", "--subject", "department:ZJJ",
                "--item", "办理态度", "--item", "办理结果")
        self.ok("run-survey", "open", "1")
        self.shared = [int(self.ok("submit-request", "--deputy", self.owner, "--text", f"共同的诉求 {k}").out)
                       for k in range(ROUNDS)]
        self.lock = threading.Lock()
        self.outcomes = []

    def rdlz(self, worker, *args):
        start = time.monotonic()
        proc = subprocess.run([RDLZ, *args], capture_output=True, env=self.env, cwd=self.dir, timeout=300)
        o = Outcome(worker, args, proc, time.monotonic() - start)
        with self.lock:
            self.outcomes.append(o)
        return o

    def worker(self, w, go):
        go.wait()
        for r in range(ROUNDS):
            code = self.codes[w * ROUNDS + r]
            event = str(1 + (w + r) % EVENTS)
            self.rdlz(w, "record-attendance", event, "--deputy", code, "--mode", MODES[(w + r) % 4])
            self.rdlz(w, "post-comment", event, "--deputy", code, "--text", f"意见 {w}-{r}")
            self.rdlz(w, "run-survey", "vote", "1", "--deputy", code, "--answer", f"1={CHOICES[w % 3]}",
                      "--answer", f"2={CHOICES[r % 3]}")
            # every process takes the same shared case of this round: one wins
            self.rdlz(w, "take-request", str(self.shared[r]), "--deputy", self.owner)
            case = self.rdlz(w, "submit-request", "--deputy", code, "--text", f"诉求 {w}-{r}")
            if case.code == 0:
                cid = case.out.strip()
                self.rdlz(w, "take-request", cid, "--deputy", code)
                self.rdlz(w, "resolve-case", cid, "--text", f"已办理 {w}-{r}")
                if r == 0:  # the whole life once
                    self.rdlz(w, "answer-case", cid, "--text", "群众满意")
                    self.rdlz(w, "close-case", cid)

    def test_eight_writers_at_once(self):
        audit_before = rows(self.db, "SELECT count(*) FROM audit")[0][0]
        go = threading.Event()
        threads = [threading.Thread(target=self.worker, args=(w, go)) for w in range(PROCS)]
        for t in threads:
            t.start()
        go.set()
        for t in threads:
            t.join()
        # the same transition of a shared case by all at the same moment: one wins
        barrier = threading.Barrier(PROCS)
        racers = [threading.Thread(target=lambda w=w: (barrier.wait(), self.rdlz(
            w, "resolve-case", str(self.shared[0]), "--text", f"办结 {w}"))) for w in range(PROCS)]
        for t in racers:
            t.start()
        for t in racers:
            t.join()

        outcomes = self.outcomes
        for o in outcomes:
            self.assertNotIn("locked", o.err, o)
            self.assertNotEqual(o.code, 75, o)
        self.assertEqual(len(outcomes), PROCS * (ROUNDS * 7 + 2) + PROCS)
        contested = collections.defaultdict(list)
        for o in outcomes:
            if o.args[0] in ("take-request", "resolve-case") and int(o.args[1]) in self.shared:
                contested[(o.args[0], int(o.args[1]))].append(o)
            else:
                self.assertEqual(o.code, 0, o)
        self.assertEqual(len(contested), ROUNDS + 1)
        for (action, case), tries in contested.items():
            self.assertEqual(len(tries), PROCS)
            winners = [o for o in tries if o.code == 0]
            self.assertEqual(len(winners), 1, f"{action} {case}: {tries}")
            state = "taken" if action == "take-request" else "resolved"
            for o in tries:
                if o.code != 0:
                    self.assertEqual(o.code, 1, o)
                    self.assertIn(f"case {case} is {state}", o.err, o)

        # every write exactly once
        expected_att, expected_comments, expected_votes = set(), [], set()
        for w in range(PROCS):
            for r in range(ROUNDS):
                code = self.codes[w * ROUNDS + r]
                expected_att.add((1 + (w + r) % EVENTS, code, MODES[(w + r) % 4]))
                expected_comments.append((1 + (w + r) % EVENTS, code, f"意见 {w}-{r}"))
                expected_votes.add((code, 1, CHOICES[w % 3]))
                expected_votes.add((code, 2, CHOICES[r % 3]))
        att = rows(self.db, "SELECT a.event_id, d.code, a.mode FROM attendance a JOIN deputy d ON d.id = a.deputy_id")
        self.assertEqual(len(att), len(expected_att))
        self.assertEqual(set(att), expected_att)
        comments = rows(self.db, "SELECT c.event_id, d.code, c.text FROM comment c JOIN deputy d ON d.id = c.deputy_id")
        self.assertEqual(sorted(comments), sorted(expected_comments))
        ids = [o.out.strip() for o in outcomes if o.args[0] == "post-comment"]
        self.assertEqual(len(set(ids)), len(ids), "two comments were given one id")
        votes = rows(self.db, "SELECT d.code, a.item, a.choice FROM ballot_answer a JOIN ballot b"
                              " ON b.survey_id = a.survey_id AND b.ballot = a.ballot JOIN deputy d ON d.id = b.deputy_id")
        self.assertEqual(len(votes), len(expected_votes))
        self.assertEqual(set(votes), expected_votes)
        voted = rows(self.db, "SELECT count(*) FROM survey_voter WHERE survey_id = 1 AND voted = 1")[0][0]
        self.assertEqual(voted, PROCS * ROUNDS)
        own = rows(self.db, "SELECT id, state FROM cases WHERE deputy_id <> (SELECT id FROM deputy WHERE code = ?)",
                   self.owner)
        self.assertEqual(len(own), PROCS * ROUNDS)
        self.assertEqual(collections.Counter(s for _, s in own),
                         collections.Counter(closed=PROCS, resolved=PROCS * (ROUNDS - 1)))
        steps = rows(self.db, "SELECT case_id, action FROM case_event ORDER BY case_id, id")
        timeline = collections.defaultdict(list)
        for case, action in steps:
            timeline[case].append(action)
        for case, state in own:
            want = ["take", "resolve", "answer", "close"] if state == "closed" else ["take", "resolve"]
            self.assertEqual([a for a in timeline[case] if a in ("take", "resolve", "answer", "close")], want,
                             f"case {case}: {timeline[case]}")
        for k, case in enumerate(self.shared):
            self.assertEqual(timeline[case].count("take"), 1, f"shared case {case}: {timeline[case]}")
        self.assertEqual(timeline[self.shared[0]].count("resolve"), 1)
        # one audit entry per write that succeeded, and the chain holds
        successes = sum(1 for o in outcomes if o.code == 0)
        self.assertEqual(rows(self.db, "SELECT count(*) FROM audit")[0][0], audit_before + successes)
        self.ok("check")
        slowest = max(outcomes, key=lambda o: o.seconds)
        print(f"\ntest_concurrency: {len(outcomes)} commands by {PROCS} processes, the slowest "
              f"{slowest.seconds:.2f}s ({' '.join(slowest.args[:2])})", file=sys.stderr)


class BusyTimeoutTest(RdlzTestCase):
    WRITES = [
        ("post-comment", "1", "--deputy", "V0001", "--text", "锁住时的意见"),
        ("record-attendance", "1", "--deputy", "V0002", "--mode", "onsite"),
        ("run-survey", "vote", "1", "--deputy", "V0003", "--answer", "1=满意"),
        ("take-request", "1", "--deputy", "V0004"),
        ("import-deputies", "-"),
    ]
    ROSTER = "code,name\nV0009,新代表\n"

    def setUp(self):
        super().setUp()
        self.init()
        self.ok("import-deputies", "-", stdin="code,name\n" + "".join(f"V{i:04d},代表{i}\n" for i in range(1, 6)))
        self.ok("create-event", "--kind", "meeting", "--title", "会议", "--starts", "2026-11-20 09:00",
                "--ends", "2026-11-20 11:00")
        self.ok("add-department", "--code", "ZJJ", "--name", "住建局")
        self.ok("run-survey", "create", "--title", "测评", "--subject", "department:ZJJ", "--item", "态度")
        self.ok("run-survey", "open", "1")
        self.ok("submit-request", "--deputy", "V0004", "--text", "路灯坏了")

    def digest(self):
        with open(self.db, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()

    def hold(self, how, seconds):
        """Another process (here: this one, through Python's sqlite3) holds
        the lock; returns a thread that releases it after `seconds`."""
        con = sqlite3.connect(self.db, isolation_level=None, timeout=0, check_same_thread=False)
        con.execute(f"BEGIN {how}")
        con.execute("UPDATE setting SET updated_at = updated_at")

        def release():
            time.sleep(seconds)
            con.execute("ROLLBACK")
            con.close()
        t = threading.Thread(target=release)
        t.start()
        return t

    def timed(self, args):
        start = time.monotonic()
        r = self.run_rdlz(*args, stdin=self.ROSTER if args[-1] == "-" else None)
        return r, time.monotonic() - start

    def test_a_held_write_lock_and_a_tiny_timeout_give_exit_75(self):
        self.ok("set-config", "db.busy_timeout_ms", "1")
        shown = {r["key"]: r["value"] for r in self.ok("show-config", "--format", "json").json()}
        self.assertEqual(shown["db.busy_timeout_ms"], "1")
        before = self.digest()
        holder = self.hold("IMMEDIATE", 2.0)
        try:
            for args in self.WRITES:
                with self.subTest(args=args):
                    r, seconds = self.timed(args)
                    self.assertEqual(r.code, 75, f"{args}: {r.err}")
                    self.assertLess(seconds, 1.0, "it waited instead of giving up")
                    self.assertIn(f"{self.db}: database is locked (still busy after 1 ms; try again later)", r.err)
        finally:
            holder.join()
        self.assertEqual(self.digest(), before)
        for args in self.WRITES:
            r, _ = self.timed(args)
            self.assertEqual(r.code, 0, f"{args}: {r.err}")
        self.ok("check")

    def test_the_default_timeout_waits_for_the_lock(self):
        holder = self.hold("IMMEDIATE", 1.0)
        try:
            r, seconds = self.timed(self.WRITES[0])
        finally:
            holder.join()
        self.assertEqual(r.code, 0, r.err)
        self.assertGreater(seconds, 0.8, "the writer did not wait for the lock")
        self.ok("check")

    def test_an_exclusive_lock_is_waited_for_before_the_setting_can_be_read(self):
        """The setting lives in the database: under an EXCLUSIVE lock (which
        keeps readers out in the rollback journal) rdlz cannot read it and
        waits up to the default 5000 ms, as rdlz(1) says."""
        self.ok("set-config", "db.busy_timeout_ms", "1")
        holder = self.hold("EXCLUSIVE", 1.0)
        try:
            r, seconds = self.timed(self.WRITES[0])
        finally:
            holder.join()
        self.assertEqual(r.code, 0, r.err)
        self.assertGreater(seconds, 0.8, "it did not wait for the lock")
        self.ok("check")

    def test_rdlz_busy_timeout_ms_governs_the_wait_from_the_first_read(self):
        before = self.digest()
        holder = self.hold("EXCLUSIVE", 1.5)
        try:
            for args in self.WRITES:
                with self.subTest(args=args):
                    start = time.monotonic()
                    r = self.run_rdlz(*args, stdin=self.ROSTER if args[-1] == "-" else None,
                                      env={"RDLZ_BUSY_TIMEOUT_MS": "1"})
                    self.assertEqual(r.code, 75, f"{args}: {r.err}")
                    self.assertLess(time.monotonic() - start, 1.0, "it waited instead of giving up")
                    self.assertIn("database is locked (still busy after 1 ms; try again later)", r.err)
        finally:
            holder.join()
        self.assertEqual(self.digest(), before)

    def test_a_bad_rdlz_busy_timeout_ms_is_refused(self):
        for bad in ("-1", "600001", "5s", "1e3"):
            with self.subTest(bad=bad):
                r = self.run_rdlz("list-deputies", env={"RDLZ_BUSY_TIMEOUT_MS": bad})
                self.assertEqual(r.code, 2, r.err)
                self.assertIn(f"RDLZ_BUSY_TIMEOUT_MS: '{bad}'", r.err)

if __name__ == "__main__":
    unittest.main()
