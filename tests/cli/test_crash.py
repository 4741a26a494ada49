"""Crash safety: rdlz killed with SIGKILL at a random moment, again and
again, while it imports a roster of thousands of deputies, merges a
join/leave log of tens of thousands of rows, counts a batch of ballots, and
sends the outbox's messages to a real SMTP server (aiosmtpd, Debian's
python3-aiosmtpd, on 127.0.0.1) that takes its time to accept each one.

After every kill `rdlz check` passes and no journal is left; a batch is
wholly there or wholly absent (the rows, read by SQLite read-only, are
exactly those before the run or exactly those of an unkilled run, and the
audit log has the run's entry only with its rows); running the command
again then ends in exactly the state of an unkilled run. For the outbox:
no message is delivered more often than it was attempted, a message marked
sent was delivered, and a later send-reminders delivers every message that
was not sent yet once more, so none is lost and only the one in flight at
the kill can arrive twice (with the same Message-ID).

The kills land at random delays drawn from the measured duration of an
unkilled run (a seeded random.Random; the seed is printed and can be given
as RDLZ_CRASH_SEED). When a killed run left the database byte for byte as
it was before, running the command again is the unkilled run itself, which
was already checked: that rerun is done once per worker and then skipped,
which keeps the test fast enough for the sanitizer build. Knobs, for longer
local runs: RDLZ_CRASH_RUNS (kills per command, 50), RDLZ_CRASH_JOBS
(parallel workers, 2), RDLZ_CRASH_ROSTER (2000), RDLZ_CRASH_LOG_ROWS
(20000), RDLZ_CRASH_BALLOTS (200), RDLZ_CRASH_MESSAGES (5)."""
import asyncio
import collections
import email
import email.policy
import hashlib
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import unittest
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from rdlztest import GEN_ROSTER, RDLZ, RdlzTestCase

try:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import SMTP
except ImportError:  # pragma: no cover
    Controller = None


def knob(name, default):
    return int(os.environ.get(name) or default)


RUNS = knob("RDLZ_CRASH_RUNS", 50)
JOBS = max(1, knob("RDLZ_CRASH_JOBS", 2))
ROSTER = knob("RDLZ_CRASH_ROSTER", 2000)
LOG_ROWS = knob("RDLZ_CRASH_LOG_ROWS", 20000)
BALLOTS = knob("RDLZ_CRASH_BALLOTS", 200)
MESSAGES = knob("RDLZ_CRASH_MESSAGES", 5)
SEED = knob("RDLZ_CRASH_SEED", 0) or random.SystemRandom().randrange(1, 2 ** 31)
print(f"test_crash: seed {SEED} (RDLZ_CRASH_SEED={SEED} repeats it), {RUNS} kills per command", file=sys.stderr)

LEASE = 60  # outbox.lease_seconds in the send test
SPAN = 1.5  # kills fall in [0, SPAN x an unkilled run's duration]: some after the commit, as runs
# in parallel lanes take longer than the unkilled run timed alone
JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")  # the first bytes of a rollback journal's valid header


def rows(path, *queries):
    """The rows of the queries, read by SQLite read-only."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [con.execute(q).fetchall() for q in queries]
    finally:
        con.close()


def summary(counts, data):
    """A state: a few counts to read in a failure, and a digest of all rows."""
    return tuple(counts) + (hashlib.sha256(repr(data).encode()).hexdigest()[:16],)


def file_digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class CrashCase(RdlzTestCase):
    def setUp(self):
        super().setUp()
        self.template = os.path.join(self.dir, "template.db")
        self.env["RDLZ_DB"] = self.template

    def check(self, db, context):
        r = subprocess.run([RDLZ, "check"], env=dict(self.env, RDLZ_DB=db), capture_output=True, timeout=300)
        self.assertEqual(r.returncode, 0, f"{context}: rdlz check failed after the kill:\n"
                                          f"{r.stdout.decode(errors='replace')}{r.stderr.decode(errors='replace')}")
        # A journal may stay when the kill came before its header was written
        # (SQLite reuses it); one with a valid header is a hot journal, which
        # check, like any reader, must have rolled back and removed.
        if os.path.exists(db + "-journal"):
            with open(db + "-journal", "rb") as f:
                self.assertNotEqual(f.read(8), JOURNAL_MAGIC, f"{context}: a hot journal left after check")
        self.assertFalse(os.path.exists(db + "-wal"), f"{context}: a WAL file left after check")

    def roster_file(self, name, count, seed):
        out = subprocess.run([GEN_ROSTER, "--count", str(count), "--with-codes", "--seed", str(seed)],
                             capture_output=True, check=True).stdout
        return self.write(name, out)

    def lanes(self, work, jobs=JOBS):
        """Run work(i, lane) for i in range(RUNS), lane = i % jobs, the
        iterations of one lane in order, the lanes in parallel."""
        def lane_loop(lane):
            return [work(i, lane) for i in range(lane, RUNS, jobs)]
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(lane_loop, lane) for lane in range(jobs)]
            results = []
            for f in futures:
                results += f.result()  # re-raises a failed assertion of the lane
        return collections.Counter(results)

    def killed_run(self, args, env, delay):
        """Start rdlz, SIGKILL it after delay seconds unless it ended;
        (exit status, whether it was killed, stderr)."""
        err = open(os.path.join(env["LANE_DIR"], "stderr"), "w+b")
        p = subprocess.Popen([RDLZ, *args], env=env, stdout=subprocess.DEVNULL, stderr=err, cwd=env["LANE_DIR"])
        try:
            p.wait(timeout=delay)
            killed = False
        except subprocess.TimeoutExpired:
            p.send_signal(signal.SIGKILL)
            killed = True
        p.wait()
        err.seek(0)
        text = err.read().decode(errors="replace")
        err.close()
        return p.returncode, killed, text

    def lane_env(self, lane, name):
        d = os.path.join(self.dir, f"{name}-lane{lane}")
        os.makedirs(d, exist_ok=True)
        return dict(self.env, RDLZ_DB=os.path.join(d, "rdlz.db"), LANE_DIR=d)

    def batch_crash(self, name, args, state, rerun_code, rerun_words=None):
        """Kill `rdlz args` RUNS times on copies of the template; after each
        kill the state is the one before or the one after; a rerun ends in
        the unkilled run's state. state(db, audit) is a comparable summary."""
        before = state(self.template, True)
        template_digest = file_digest(self.template)
        ref = os.path.join(self.dir, "reference.db")
        shutil.copy(self.template, ref)
        start = time.monotonic()
        r = subprocess.run([RDLZ, *args], env=dict(self.env, RDLZ_DB=ref), capture_output=True, timeout=300)
        duration = time.monotonic() - start
        self.assertEqual(r.returncode, 0, r.stderr.decode(errors="replace"))
        self.check(ref, f"{name}: the unkilled run")
        after, final = state(ref, True), state(ref, False)
        self.assertNotEqual(before, after, "the run changes nothing: nothing to test")
        rng = random.Random(f"{SEED}:{name}")
        delays = [rng.uniform(0, SPAN * duration) for _ in range(RUNS)]
        reran_from_before = set()

        def work(i, lane):
            env = self.lane_env(lane, name)
            db = env["RDLZ_DB"]
            shutil.copy(self.template, db)
            context = (f"{name}, kill {i + 1}/{RUNS} at {delays[i]:.3f}s of an unkilled {duration:.3f}s "
                       f"(RDLZ_CRASH_SEED={SEED})")
            code, killed, err = self.killed_run(args, env, delays[i])
            if killed:
                self.assertIn(code, (-signal.SIGKILL, 0), f"{context}: {err}")
            else:
                self.assertEqual(code, 0, f"{context}: the run failed: {err}")
            self.check(db, context)
            got = state(db, True)
            self.assertIn(got, (before, after), f"{context}: neither the state before nor the state after")
            if code == 0:
                self.assertEqual(got, after, f"{context}: exit 0 but the batch is not there")
            outcome = "before" if got == before else "after"
            if got == before and file_digest(db) == template_digest and lane in reran_from_before:
                return outcome + " (byte for byte: the rerun is the unkilled run)"
            if got == before:
                reran_from_before.add(lane)
            r = subprocess.run([RDLZ, *args], env=env, capture_output=True, timeout=300)
            want = 0 if got == before else rerun_code
            self.assertEqual(r.returncode, want, f"{context}: the rerun: {r.stderr.decode(errors='replace')}")
            if got == after and rerun_words:
                self.assertIn(rerun_words, r.stderr.decode(errors="replace"), context)
            self.check(db, context + ", after the rerun")
            self.assertEqual(state(db, False), final, f"{context}: the rerun did not end as the unkilled run")
            return outcome + ", rerun"

        outcomes = self.lanes(work)
        print(f"\ntest_crash {name}: unkilled run {duration:.3f}s; {dict(outcomes)}", file=sys.stderr)
        self.assertEqual(sum(outcomes.values()), RUNS)


class BatchCrashTest(CrashCase):
    def test_import_deputies(self):
        """A roster of ROSTER deputies over 500 known ones (updating 500,
        adding the rest), in one transaction."""
        self.init()
        self.ok("import-deputies", self.roster_file("known.csv", 500, 1))
        roster = self.roster_file("roster.csv", ROSTER, 2)

        def state(db, audit):
            deputies, counter, audits, imports = rows(
                db, "SELECT code, name, gender, post, unit, delegation, grid, station, phone, email, photo, status,"
                    " joined_at, retired_at, updated_at FROM deputy ORDER BY id",
                "SELECT prefix, last FROM code_counter ORDER BY prefix",
                "SELECT count(*) FROM audit", "SELECT count(*) FROM roster_import")
            counts = [len(deputies)] + ([audits[0][0], imports[0][0]] if audit else [])
            return summary(counts, (deputies, counter))

        self.batch_crash("import-deputies", ["import-deputies", roster], state, 0)

    def test_record_attendance_from_log(self):
        """A join/leave log of LOG_ROWS rows merged into an event that has
        manual records already."""
        self.init()
        self.ok("import-deputies", self.roster_file("r.csv", 400, 1))
        self.ok("create-event", "--kind", "meeting", "--title", "常委会会议", "--starts", "2026-11-20 09:00",
                "--ends", "2026-11-20 11:30")
        for i, mode in enumerate(("onsite", "excused", "online", "absent", "onsite"), 1):
            self.ok("record-attendance", "1", "--deputy", f"RZ{i:04d}", "--mode", mode)
        rng = random.Random(1128)
        start = datetime(2026, 11, 20, 8, 40)
        lines = ["code,joined_at,left_at"]
        for _ in range(LOG_ROWS):
            a = start + timedelta(seconds=rng.randint(0, 10000))
            b = a + timedelta(seconds=rng.randint(0, 3000))
            b = min(b, datetime(2026, 11, 20, 11, 55))
            lines.append(f"RZ{rng.randint(1, 400):04d},{a:%Y-%m-%d %H:%M:%S},{max(a, b):%Y-%m-%d %H:%M:%S}")
        log = self.write("log.csv", "\n".join(lines) + "\n")

        def state(db, audit):
            att, records, audits = rows(
                db, "SELECT deputy_id, mode, minutes, manual, spans, recorded_at FROM attendance"
                    " WHERE event_id = 1 ORDER BY deputy_id",
                "SELECT deputy_id, kind, occurred_at, quantity, unit, ref FROM duty_record ORDER BY deputy_id, kind, ref",
                "SELECT count(*) FROM audit")
            counts = [len(att), len(records)] + ([audits[0][0]] if audit else [])
            return summary(counts, (att, records))

        self.batch_crash("record-attendance", ["record-attendance", "1", "--from-log", log], state, 0)

    def test_vote_batch(self):
        """A batch of BALLOTS ballots into a survey that has online ballots
        already; a rerun after the batch went in is refused as second
        ballots and counts nothing."""
        self.init()
        self.ok("import-deputies", self.roster_file("r.csv", max(400, BALLOTS + 10), 1))
        self.ok("add-department", "--code", "ZJJ", "--name", "住建局")
        self.ok("run-survey", "create", "--title", "住建局办理情况测评", "--subject", "department:ZJJ",
                "--item", "办理态度", "--item", "办理结果")
        self.ok("run-survey", "open", "1")
        for i in range(1, 6):
            self.ok("run-survey", "vote", "1", "--deputy", f"RZ{i:04d}", "--answer", "1=满意", "--answer", "2=不满意")
        choices = ("满意", "基本满意", "不满意")
        batch = self.write("ballots.csv", "代表编号,1,2\n" + "".join(
            f"RZ{i:04d},{choices[i % 3]},{choices[(i // 3) % 3]}\n" for i in range(6, 6 + BALLOTS)))

        def state(db, audit):
            voters, ballots, answers, audits = rows(
                db, "SELECT deputy_id, voted, channel, voted_at FROM survey_voter WHERE survey_id = 1"
                    " ORDER BY deputy_id",
                "SELECT deputy_id, channel FROM ballot WHERE survey_id = 1 ORDER BY deputy_id",
                "SELECT b.deputy_id, a.item, a.choice, a.satisfied FROM ballot_answer a"
                " JOIN ballot b ON b.survey_id = a.survey_id AND b.ballot = a.ballot WHERE a.survey_id = 1"
                " ORDER BY 1, 2",
                "SELECT count(*) FROM audit")
            counts = [len(ballots), len(answers)] + ([audits[0][0]] if audit else [])
            return summary(counts, (voters, ballots, answers))

        self.batch_crash("run-survey vote --from", ["run-survey", "vote", "1", "--from", batch], state, 65,
                         "has voted")


class SlowSmtp:
    """aiosmtpd on 127.0.0.1 that takes `delay` seconds to answer each
    message, having recorded its Message-ID when it had the whole message
    (so a sender killed while waiting has delivered it without knowing)."""

    def __init__(self, delay):
        self.delay = delay
        self.lock = threading.Lock()
        self.ids = []
        self.open = 0
        outer = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
                with outer.lock:
                    outer.ids.append(str(msg["Message-ID"]))
                await asyncio.sleep(outer.delay)
                return "250 OK"

        class Counting(SMTP):
            def connection_made(self, transport):
                with outer.lock:
                    outer.open += 1
                super().connection_made(transport)

            def connection_lost(self, error):
                super().connection_lost(error)
                with outer.lock:
                    outer.open -= 1

        class Ctl(Controller):
            def factory(self):
                return Counting(self.handler, **self.SMTP_kwargs)

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.controller = Ctl(Handler(), hostname="127.0.0.1", port=self.port)

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()

    def settle(self):
        """Wait until no connection is open: every message the server got is recorded."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with self.lock:
                if self.open <= 0:
                    break
            time.sleep(0.005)
        time.sleep(0.01)

    def take(self):
        self.settle()
        with self.lock:
            ids, self.ids = self.ids, []
        return collections.Counter(ids)


@unittest.skipUnless(Controller, "needs aiosmtpd (Debian: python3-aiosmtpd)")
class SendCrashTest(CrashCase):
    def test_send_reminders(self):
        self.init()
        codes = [f"RZ{i:04d}" for i in range(1, MESSAGES + 1)]
        self.ok("import-deputies", "-", stdin="code,name,email\n" + "".join(
            f"{c},代表{c},{c.lower()}@example.cn\n" for c in codes))
        for key, value in (("smtp.from", "人大常委会办公室 <rd@rizhao.example.cn>"), ("smtp.tls", "none"),
                           ("net.timeout_s", "10"), ("net.connect_timeout_s", "5"),
                           ("outbox.lease_seconds", str(LEASE))):
            self.ok("set-config", key, value)
        self.ok("notify", "--to", "all", "--subject", "关于十二月履职活动的提醒", "--body-file", "-", stdin="请按时参加。")
        keys = sorted(r["key"] for r in self.ok("list-outbox", "--format", "json").json())
        self.assertEqual(len(keys), MESSAGES)
        mid = {k: f"<{hashlib.sha256(k.encode()).hexdigest()[:32]}@rizhao.example.cn>" for k in keys}
        now = int(datetime.fromisoformat(self.NOW).timestamp())
        later = (datetime.fromisoformat(self.NOW) + timedelta(seconds=LEASE + 1)).isoformat()
        jobs = JOBS + 1  # a lane spends much of its time waiting for the server
        servers = [SlowSmtp(0.01).start() for _ in range(jobs)]
        for s in servers:
            self.addCleanup(s.stop)
        lane_templates = []
        for lane, s in enumerate(servers):
            path = os.path.join(self.dir, f"template{lane}.db")
            shutil.copy(self.template, path)
            self.ok("set-config", "smtp.url", f"smtp://127.0.0.1:{s.port}", env={"RDLZ_DB": path})
            lane_templates.append(path)

        def outbox(db):
            (got,) = rows(db, "SELECT key, state, attempts, lease_until FROM outbox ORDER BY id")
            return got

        # the unkilled run: each message once
        ref = os.path.join(self.dir, "reference.db")
        shutil.copy(lane_templates[0], ref)
        start = time.monotonic()
        r = subprocess.run([RDLZ, "send-reminders"], env=dict(self.env, RDLZ_DB=ref), capture_output=True,
                           timeout=300)
        duration = time.monotonic() - start
        self.assertEqual(r.returncode, 0, r.stderr.decode(errors="replace"))
        self.check(ref, "send-reminders: the unkilled run")
        self.assertEqual(servers[0].take(), collections.Counter(mid.values()))
        final = [(k, s) for k, s, _, _ in outbox(ref)]
        self.assertEqual(sorted(final), [(k, "sent") for k in keys])
        rng = random.Random(f"{SEED}:send-reminders")
        delays = [rng.uniform(0, SPAN * duration) for _ in range(RUNS)]

        def work(i, lane):
            env = self.lane_env(lane, "send")
            db = env["RDLZ_DB"]
            server = servers[lane]
            shutil.copy(lane_templates[lane], db)
            server.take()
            context = (f"send-reminders, kill {i + 1}/{RUNS} at {delays[i]:.3f}s of an unkilled {duration:.3f}s "
                       f"(RDLZ_CRASH_SEED={SEED})")
            code, killed, err = self.killed_run(["send-reminders"], env, delays[i])
            self.assertIn(code, (-signal.SIGKILL, 0) if killed else (0,), f"{context}: {err}")
            first = server.take()
            self.check(db, context)
            msgs = outbox(db)
            states = [s for _, s, _, _ in msgs]
            # claimed one at a time in id order: sent ones, at most one in flight, then pending ones
            letters = "".join({"sent": "S", "sending": "F", "pending": "P"}.get(s, "?") for s in states)
            self.assertRegex(letters, r"^S*F?P*$", f"{context}: states {states}")
            for key, st, attempts, lease in msgs:
                n = first[mid[key]]
                self.assertLessEqual(n, attempts, f"{context}: {key} delivered {n} times in {attempts} attempts")
                if st == "sent":
                    self.assertEqual((n, attempts), (1, 1), f"{context}: {key} is sent")
                elif st == "sending":
                    self.assertEqual((attempts, lease), (1, now + LEASE), f"{context}: {key} in flight")
                else:
                    self.assertEqual((st, attempts, n), ("pending", 0, 0), f"{context}: {key}")
            if code == 0:
                self.assertEqual(set(states), {"sent"}, context)
            # a later run, past the lease, completes them
            r = subprocess.run([RDLZ, "send-reminders"], env=dict(env, RDLZ_NOW=later), capture_output=True,
                               timeout=300)
            self.assertEqual(r.returncode, 0, f"{context}: the later run: {r.stderr.decode(errors='replace')}")
            second = server.take()
            if second:  # it wrote (a run with nothing due writes nothing: the outbox rows below show that)
                self.check(db, context + ", after the later run")
            done = outbox(db)
            self.assertEqual([(k, s) for k, s, _, _ in done], final, f"{context}: not all sent after the later run")
            for (key, st, attempts, _), (_, _, attempts2, _) in zip(msgs, done):
                n1, n2 = first[mid[key]], second[mid[key]]
                self.assertEqual(n2, 0 if st == "sent" else 1, f"{context}: {key} ({st}) in the later run")
                self.assertEqual(attempts2, attempts + n2, f"{context}: {key}")
                self.assertLessEqual(n1 + n2, attempts2, f"{context}: {key} delivered more often than attempted")
                self.assertGreaterEqual(n1 + n2, 1, f"{context}: {key} lost")
            self.assertEqual(set(first) | set(second), set(mid.values()))
            return "in flight" if "sending" in states else states[0] if len(set(states)) == 1 else "part sent"

        outcomes = self.lanes(work, jobs)
        print(f"\ntest_crash send-reminders: unkilled run {duration:.3f}s; {dict(outcomes)}", file=sys.stderr)


if __name__ == "__main__":
    unittest.main()
