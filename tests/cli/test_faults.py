"""End-to-end tests of disk and I/O faults: a full disk under the database
and under an export (a small tmpfs, filled), a read-only database (a
read-only remount, an immutable file), and damaged databases (random pages,
a damaged table, truncated files, files that are not SQLite at all, an empty
file, a directory). Each fault gives a clear message naming the file and a
non-zero exit, never a crash or a sanitizer report, and leaves the database
as it was: `rdlz check` passes and the rows are the ones before. A damaged
database is reported by `rdlz check` with exit status 1.

The tmpfs and remount tests need root (as CI runs them); without it they are
skipped, saying why."""
import errno
import hashlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import unittest
from concurrent.futures import ThreadPoolExecutor

from rdlztest import GEN_ROSTER, RDLZ, RdlzTestCase

SANITIZER_MARKS = ("AddressSanitizer", "LeakSanitizer", "UndefinedBehaviorSanitizer", "runtime error:")


class Run:
    """A finished rdlz run; output decoded leniently (a damaged database may
    hold anything)."""

    def __init__(self, args, proc):
        self.args = args
        self.code = proc.returncode
        self.out = proc.stdout.decode("utf-8", "replace")
        self.err = proc.stderr.decode("utf-8", "replace")

    def __str__(self):
        return f"rdlz {' '.join(self.args)}: exit {self.code}\nstderr: {self.err[-2000:]}"


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def count_rows(path, table):
    """Rows of a table, read by SQLite itself, read-only."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


class FaultCase(RdlzTestCase):
    def setUp(self):
        super().setUp()
        self.mounts = []
        self.immutable = []

    def tearDown(self):
        for path in self.immutable:
            subprocess.run(["chattr", "-i", path], capture_output=True)
        for mnt in reversed(self.mounts):
            if subprocess.run(["umount", mnt], capture_output=True).returncode != 0:
                subprocess.run(["umount", "-l", mnt], capture_output=True)
        super().tearDown()

    def raw(self, *args, db=None, stdin=None):
        env = dict(self.env)
        if db is not None:
            env["RDLZ_DB"] = db
        proc = subprocess.run([RDLZ, *args], input=stdin, capture_output=True, env=env, cwd=self.dir, timeout=300)
        return Run(args, proc)

    def assert_no_crash(self, r):
        self.assertGreaterEqual(r.code, 0, f"killed by signal {-r.code}: {r}")
        for mark in SANITIZER_MARKS:
            self.assertNotIn(mark, r.err, str(r))

    def refused(self, r, code, *words):
        """Refused cleanly: the exit status, one 'rdlz:' message with the words."""
        self.assert_no_crash(r)
        self.assertEqual(r.code, code, str(r))
        self.assertTrue(r.err.startswith("rdlz: "), str(r))
        self.assertNotIn("internal error", r.err, str(r))
        for w in words:
            self.assertIn(w, r.err, str(r))

    def mount_tmpfs(self, size="1m"):
        mnt = os.path.join(self.dir, f"mnt{len(self.mounts)}")
        os.mkdir(mnt)
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", mnt],
                           capture_output=True, text=True)
        if r.returncode != 0:
            self.skipTest(f"cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN): {r.stderr.strip()}")
        self.mounts.append(mnt)
        return mnt

    def fill(self, mnt, leave=0):
        """Fill the file system at mnt, then free `leave` bytes again."""
        path = os.path.join(mnt, "fill")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            for chunk in (65536, 4096, 512, 1):
                while True:
                    try:
                        if os.write(fd, b"\0" * chunk) < chunk:
                            break
                    except OSError as e:
                        self.assertEqual(e.errno, errno.ENOSPC)
                        break
        finally:
            os.close(fd)
        st = os.statvfs(mnt)
        self.assertEqual(st.f_bavail, 0, "the disk is full before the test goes on")
        if leave:
            os.truncate(path, max(0, os.path.getsize(path) - leave))
        return path

    def roster_file(self, count, seed, name):
        out = subprocess.run([GEN_ROSTER, "--count", str(count), "--with-codes", "--seed", str(seed)],
                             capture_output=True, check=True).stdout
        return self.write(name, out)

    def no_leftovers(self, directory, allowed):
        self.assertEqual(sorted(set(os.listdir(directory)) - set(allowed)), [],
                         f"files left in {directory}")


class FullDiskTest(FaultCase):
    def test_import_on_a_full_disk_changes_nothing(self):
        """The database on a 1 MB tmpfs: an import of 3000 deputies fails
        cleanly with the disk full, with nothing left or a little left (so
        the journal or the file runs out part way), and the database is
        byte for byte what it was."""
        mnt = self.mount_tmpfs()
        db = os.path.join(mnt, "rdlz.db")
        self.env["RDLZ_DB"] = db
        self.init()
        self.ok("import-deputies", self.roster_file(100, 1, "first.csv"))
        big = self.roster_file(3000, 2, "big.csv")
        fill = None
        for leave in (0, 48 * 1024, 300 * 1024):
            with self.subTest(free=leave):
                if fill:
                    os.unlink(fill)
                fill = self.fill(mnt, leave)
                before = digest(db)
                r = self.raw("import-deputies", big)
                self.refused(r, 1, "disk is full", db)
                self.assertEqual(digest(db), before)
                self.assertFalse(os.path.exists(db + "-journal"), "a journal was left behind")
                self.assertEqual(self.raw("check").code, 0)
                self.assertEqual(count_rows(db, "deputy"), 100)
                self.assertEqual(count_rows(db, "roster_import"), 1)
        # a small write fails on the full disk the same way, and works once there is room
        os.unlink(fill)
        fill = self.fill(mnt)
        before = digest(db)
        self.refused(self.raw("add-department", "--code", "ZJJ", "--name", "住建局"), 1, "disk is full", db)
        self.assertEqual(digest(db), before)
        os.unlink(fill)
        self.ok("add-department", "--code", "ZJJ", "--name", "住建局")
        self.ok("check")
        self.assertEqual(count_rows(db, "department"), 1)

    def test_calendar_export_onto_a_full_disk(self):
        """export-ical --out on a full disk: exit 1 naming the file and the
        reason, no temporary file left, an older calendar kept whole."""
        mnt = self.mount_tmpfs()
        self.init()
        for i in range(24):
            self.ok("create-event", "--kind", "meeting", "--title", f"第{i}次常委会会议：" + "审议报告" * 20,
                    "--starts", f"2026-12-{1 + i % 28:02d} 09:00", "--ends", f"2026-12-{1 + i % 28:02d} 11:00")
        cal = os.path.join(mnt, "rdlz.ics")
        self.write("old.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
        shutil.copy(os.path.join(self.dir, "old.ics"), cal)
        old = digest(cal)
        fill = None
        for leave in (0, 4096):
            with self.subTest(free=leave):
                if fill:
                    os.unlink(fill)
                fill = self.fill(mnt, leave)
                db = self.db_digest()
                r = self.raw("export-ical", "--out", cal)
                self.refused(r, 1, cal, "No space left on device")
                self.assertEqual(digest(cal), old)
                self.no_leftovers(mnt, ["rdlz.ics", "fill"])
                self.assertEqual(self.db_digest(), db)
        os.unlink(fill)
        self.ok("export-ical", "--out", cal)
        self.assertIn(b"END:VCALENDAR", self.read(cal))
        self.assertEqual(self.read(cal).count(b"BEGIN:VEVENT"), 24)
        self.assertGreater(len(self.read(cal)), 3 * 4096)

    def test_qr_codes_onto_a_full_disk(self):
        """issue-qr --out on a disk that fills part way: exit 1 naming the
        file, no file of the failed run left (its codes were never recorded
        and, the first time, their key was never kept: they would not
        verify), the database as it was; then, with room, every code."""
        mnt = self.mount_tmpfs()
        self.init()
        self.ok("import-deputies", self.roster_file(30, 1, "r.csv"))
        self.ok("set-config", "qr.base_url", "https://rd.example.cn")
        out = os.path.join(mnt, "qr")
        os.mkdir(out)
        fill = None
        for leave in (0, 20 * 1024):
            with self.subTest(free=leave):
                if fill:
                    os.unlink(fill)
                fill = self.fill(mnt, leave)
                db = self.db_digest()
                r = self.raw("issue-qr", "--all", "--out", out)
                self.refused(r, 1, out, "No space left on device")
                self.no_leftovers(out, [])
                self.assertEqual(self.db_digest(), db)
                self.assertEqual(count_rows(self.db, "qr_issue"), 0)
        os.unlink(fill)
        rows = self.ok("issue-qr", "--all", "--out", out, "--format", "json").json()
        self.assertEqual(sorted(os.listdir(out)), sorted(f"{r['code']}.png" for r in rows))
        self.assertEqual(len(rows), 30)
        for r in rows[:3]:
            self.ok("verify-qr", r["url"])
        # codes issued before stay whole when a later run fails
        kept = {n: digest(os.path.join(out, n)) for n in os.listdir(out)}
        self.ok("rotate-qr-key")
        fill = self.fill(mnt)
        self.refused(self.raw("issue-qr", "--all", "--out", out), 1, "No space left on device")
        self.assertEqual({n: digest(os.path.join(out, n)) for n in os.listdir(out)}, kept)
        for r in rows[:3]:
            self.ok("verify-qr", r["url"])


class ReadOnlyTest(FaultCase):
    WRITES = [
        ("add-department", "--code", "ZJJ", "--name", "住建局"),
        ("set-config", "deputy.code_width", "5"),
        ("retire-deputy", "RZ0001"),
        ("submit-request", "--deputy", "RZ0002", "--text", "路灯坏了"),
        ("notify", "--to", "RZ0003", "--subject", "提醒", "--body-file", "body.txt"),
    ]

    def prepare(self, db):
        self.env["RDLZ_DB"] = db
        self.write("body.txt", "请按时参加会议")
        self.init()
        self.ok("set-config", "webhook.url", "http://127.0.0.1:9/robot")
        self.ok("import-deputies", self.roster_file(50, 1, "r.csv"))
        self.big = self.roster_file(500, 2, "big.csv")

    def refuses_writes(self, db, *words):
        before = digest(db)
        for args in self.WRITES + [("import-deputies", self.big)]:
            with self.subTest(args=args):
                self.refused(self.raw(*args), 1, db, *words)
        self.assertEqual(digest(db), before)
        self.assertFalse(os.path.exists(db + "-journal"))
        # reading still works, and the data is what it was
        self.assertEqual(len(self.ok("list-deputies", "--format", "json").json()), 50)
        self.ok("check")
        self.assertEqual(count_rows(db, "deputy"), 50)

    def test_read_only_file_system(self):
        mnt = self.mount_tmpfs()
        db = os.path.join(mnt, "rdlz.db")
        self.prepare(db)
        r = subprocess.run(["mount", "-o", "remount,ro", mnt], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.refuses_writes(db, "readonly")
        subprocess.run(["mount", "-o", "remount,rw", mnt], check=True)
        self.ok("add-department", "--code", "ZJJ", "--name", "住建局")

    def test_immutable_file(self):
        mnt = self.mount_tmpfs()  # a file system that takes chattr +i
        db = os.path.join(mnt, "rdlz.db")
        self.prepare(db)
        r = subprocess.run(["chattr", "+i", db], capture_output=True, text=True)
        if r.returncode != 0:
            self.skipTest(f"chattr +i is not available here: {r.stderr.strip()}")
        self.immutable.append(db)
        self.refuses_writes(db, "readonly")
        subprocess.run(["chattr", "-i", db], check=True)
        self.ok("add-department", "--code", "ZJJ", "--name", "住建局")

    @unittest.skipIf(os.geteuid() == 0, "root ignores permission bits: the remount and chattr tests cover it")
    def test_mode_0400_file(self):
        self.prepare(self.db)
        os.chmod(self.db, 0o400)
        self.refuses_writes(self.db, "readonly")


class DamagedDatabaseTest(FaultCase):
    """Damaged databases: every command is refused with a message that names
    the file, never a crash; `rdlz check` exits 1."""

    built = None  # the good database, made once for the class

    def setUp(self):
        super().setUp()
        self.roster_file(400, 1, "r.csv")
        if DamagedDatabaseTest.built is None:
            self.init()
            self.ok("import-deputies", os.path.join(self.dir, "r.csv"))
            self.ok("set-config", "qr.base_url", "https://rd.example.cn")
            self.ok("set-config", "webhook.url", "http://127.0.0.1:9/robot")
            ev = self.ok("create-event", "--kind", "meeting", "--title", "常委会会议", "--starts",
                         "2026-11-20 09:00", "--ends", "2026-11-20 11:00").out.strip()
            for i in range(1, 4):
                self.ok("record-attendance", ev, "--deputy", f"RZ{i:04d}", "--mode", "onsite")
                self.ok("post-comment", ev, "--deputy", f"RZ{i:04d}", "--text", f"意见 {i}")
            self.ok("add-department", "--code", "ZJJ", "--name", "住建局", "--email", "zjj@example.cn")
            self.ok("submit-request", "--deputy", "RZ0001", "--text", "路灯坏了", "--phone", "13900001111")
            sid = self.ok("run-survey", "create", "--title", "测评", "--subject", "department:ZJJ",
                          "--item", "态度").out.strip()
            self.ok("run-survey", "open", sid)
            self.ok("run-survey", "vote", sid, "--deputy", "RZ0002", "--answer", "1=满意")
            self.ok("notify", "--to", "RZ0001", "--subject", "提醒", "--body-file", "-", stdin="正文")
            self.ok("check")
            DamagedDatabaseTest.built = self.read(self.db)
        self.good = DamagedDatabaseTest.built
        self.write("rdlz.db", self.good)
        self.log = self.write("log.csv", "code,joined_at,left_at\nRZ0030,2026-11-20 09:00:00,2026-11-20 10:30:00\n")
        self.out = os.path.join(self.dir, "out")
        os.mkdir(self.out)

    def commands(self):
        """Reads and writes of every module, with good arguments."""
        return [
            ("check",), ("list-deputies",), ("show-deputy", "RZ0003"), ("deputy-stats",), ("list-events",),
            ("show-event", "1"), ("list-attendance", "1"), ("list-comments", "1"), ("event-stats", "1"),
            ("list-cases",), ("show-case", "1"), ("case-stats",), ("run-survey", "results", "1"),
            ("list-outbox",), ("send-reminders", "--dry-run"), ("archive", "RZ0001"), ("list-audit",),
            ("rank", "--period", "2026"), ("report", "--period", "2026"), ("show-config",), ("list-qr",), ("export-ical",),
            ("import-deputies", os.path.join(self.dir, "r.csv")),
            ("record-attendance", "1", "--from-log", self.log),
            ("record-attendance", "1", "--deputy", "RZ0031", "--mode", "online"),
            ("post-comment", "1", "--deputy", "RZ0032", "--text", "新的意见"),
            ("run-survey", "vote", "1", "--deputy", "RZ0033", "--answer", "1=满意"),
            ("take-request", "1", "--deputy", "RZ0001"),
            ("add-department", "--code", "SWJ", "--name", "水务局"), ("set-config", "deputy.code_width", "5"),
            ("retire-deputy", "RZ0004"), ("issue-qr", "RZ0005", "--out", self.out),
            ("backup", os.path.join(self.dir, "copy.db")), ("queue-reminders",), ("init",),
        ]

    def damaged(self, name, data):
        path = os.path.join(self.dir, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    # every module's open goes through one path: most files get these, some every command
    SOME = {"check", "list-deputies", "list-outbox", "import-deputies", "post-comment", "take-request", "set-config",
            "backup", "issue-qr", "init", "report"}

    def all_refused(self, db, code=1, words=(), skip=(), every=True):
        todo = [a for a in self.commands() if a[0] not in skip and (every or a[0] in self.SOME)]
        # refused at the open, so they can run side by side
        with ThreadPoolExecutor(max_workers=4) as pool:
            runs = list(pool.map(lambda args: self.raw(*args, db=db), todo))
        for args, r in zip(todo, runs):
            with self.subTest(db=os.path.basename(db), args=args):
                self.refused(r, code, db, *words)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "copy.db")), "a backup of a damaged file")
        self.assertEqual(os.listdir(self.out), [])

    def test_files_that_cannot_be_opened_as_rdlz_databases(self):
        rng = random.Random(20261128)
        page = 4096
        good = self.good
        self.assertEqual(len(good) % page, 0)
        random_pages = good[:page] + bytes(rng.randrange(256) for _ in range(len(good) - page))
        png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rng.randrange(256) for _ in range(3000))
        cases = [
            ("random-pages.db", random_pages, "malformed", True),
            ("truncated.db", good[:len(good) // 3], "malformed", False),
            ("header-only.db", good[:100], None, False),
            ("picture.db", png, "not a database", False),
            ("notes.db", "代表名单\n张三,李四\n".encode() * 50, "not a database", False),
            ("empty.db", b"", "run 'rdlz init'", False),
        ]
        for name, data, words, every in cases:
            db = self.damaged(name, data)
            before = digest(db)
            # an empty file is an empty database, which init makes an rdlz one
            self.all_refused(db, 1, (words,) if words else (), skip=("init",) if name == "empty.db" else (),
                             every=every)
            with self.subTest(db=name, what="check"):
                r = self.raw("check", db=db)
                self.refused(r, 1, db)
                self.assertEqual(digest(db), before, "a refused command changed the file")
        self.assertEqual(self.raw("init", db=os.path.join(self.dir, "empty.db")).code, 0)
        # another application's SQLite file is not taken for ours
        other = os.path.join(self.dir, "other.db")
        con = sqlite3.connect(other)
        con.execute("CREATE TABLE t(x)")
        con.commit()
        con.close()
        self.all_refused(other, 1, ("not an rdlz one",), every=False)

    def test_a_directory_as_the_database(self):
        d = os.path.join(self.dir, "dir.db")
        os.mkdir(d)
        self.all_refused(d, 2, ("not a regular file",))
        r = self.raw("--db", d, "check")
        self.refused(r, 2, d)

    def damaged_table(self, table):
        """A copy of the good database with the table's pages overwritten by
        random bytes, the schema intact."""
        con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)
        try:
            pages = [p for (p,) in con.execute("SELECT pageno FROM dbstat WHERE name = ?", (table,))]
        except sqlite3.OperationalError:  # an SQLite without the dbstat table
            self.skipTest("this SQLite has no dbstat table")
        finally:
            con.close()
        self.assertGreater(len(pages), 0)
        rng = random.Random(1128)
        data = bytearray(self.good)
        for p in pages:
            data[(p - 1) * 4096:p * 4096] = bytes(rng.randrange(256) for _ in range(4096))
        return self.damaged(f"damaged-{table}.db", bytes(data)), len(pages)

    def test_a_damaged_table_is_never_read_as_its_last_row(self):
        """A read error in the middle of a listing used to end it as if the
        rows had run out: an empty outbox, an empty audit log, exit 0."""
        for table, commands in (("outbox", [("list-outbox",), ("send-reminders", "--dry-run")]),
                                ("audit", [("list-audit",)])):
            db, _ = self.damaged_table(table)
            before = digest(db)
            for args in commands:
                with self.subTest(table=table, args=args):
                    r = self.raw(*args, db=db)
                    self.assert_no_crash(r)
                    self.refused(r, 1, db)
            self.assertEqual(digest(db), before)

    def test_a_damaged_table(self):
        """The deputy table's pages overwritten, the schema intact: the
        database opens, every command that reads deputies is refused naming
        the file, no command crashes, and check finds the damage."""
        db, pages = self.damaged_table("deputy")
        self.assertGreater(pages, 3)
        # the commands that read the deputies' rows themselves (not only the index of their codes)
        readers = {"list-deputies", "show-deputy", "deputy-stats", "import-deputies", "rank", "report",
                   "post-comment", "run-survey vote", "retire-deputy", "issue-qr", "take-request", "list-attendance",
                   "record-attendance", "list-comments", "show-case", "list-cases"}
        for args in self.commands():
            with self.subTest(args=args):
                r = self.raw(*args, db=db)
                self.assert_no_crash(r)
                if args[0] in readers or " ".join(args[:2]) in readers:
                    self.refused(r, 1, db)
                elif r.code != 0:
                    self.assertIn(db, r.err, str(r))
        r = self.raw("check", "--format", "json", db=db)
        self.refused(r, 1, "check failed: ", "integrity: ", db)
        rows = {row["check"]: row["status"] for row in json.loads(r.out)}
        self.assertEqual(rows["integrity"], "FAILED")


if __name__ == "__main__":
    unittest.main()
