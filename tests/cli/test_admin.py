"""End-to-end tests of the database, settings, audit log, check and backup,
and of the command line itself (help, usage errors, exit codes)."""
import os
import sqlite3
import stat
import subprocess
import unittest

from rdlztest import RDLZ, RdlzTestCase


class DatabaseTest(RdlzTestCase):
    def test_init_creates_0600_whatever_the_umask(self):
        old = os.umask(0)
        try:
            self.init()
        finally:
            os.umask(old)
        self.assertEqual(stat.S_IMODE(os.stat(self.db).st_mode), 0o600)

    def test_journal_file_is_0600_too(self):
        old = os.umask(0)
        try:
            self.init()
            con = sqlite3.connect(self.db, isolation_level=None)
            con.execute("BEGIN IMMEDIATE")
            con.execute("INSERT INTO setting VALUES ('x', 'y', 0)")
            journals = [p for p in os.listdir(self.dir) if p.startswith("rdlz.db-")]
            self.assertTrue(journals)
            for j in journals:
                self.assertEqual(stat.S_IMODE(os.stat(os.path.join(self.dir, j)).st_mode), 0o600, j)
            con.execute("ROLLBACK")
            con.close()
        finally:
            os.umask(old)

    def test_commands_refuse_a_missing_database(self):
        r = self.run_rdlz("list-deputies", expect=1)
        self.assertIn("run 'rdlz init'", r.err)
        self.assertFalse(os.path.exists(self.db))

    def test_old_schema_refused_until_init(self):
        self.init()
        con = sqlite3.connect(self.db)
        con.execute("PRAGMA user_version = 0")
        con.commit()
        con.close()
        r = self.run_rdlz("list-deputies", expect=1)
        self.assertIn("older than this rdlz's", r.err)

    def test_not_a_database(self):
        self.write("rdlz.db", "name,phone\n张三,13712340743\n" * 100)
        r = self.run_rdlz("list-deputies", expect=1)
        self.assertIn("is not an rdlz database", r.err)

    def test_db_option_and_env(self):
        other = os.path.join(self.dir, "other.db")
        self.ok("--db", other, "init")
        self.ok("add-deputy", "--db", other, "--name", "张三")
        self.assertEqual(len(self.ok("list-deputies", "--db", other, "--format", "json").json()), 1)
        self.assertFalse(os.path.exists(self.db))

    def test_busy_database_exits_75(self):
        self.init()
        self.ok("set-config", "db.busy_timeout_ms", "300")
        con = sqlite3.connect(self.db, isolation_level=None)
        con.execute("BEGIN IMMEDIATE")
        try:
            r = self.run_rdlz("add-deputy", "--name", "张三", expect=75)
            self.assertIn("database is locked", r.err)
        finally:
            con.execute("ROLLBACK")
            con.close()
        self.ok("add-deputy", "--name", "张三")

    def test_waits_for_a_short_lock(self):
        self.init()
        con = sqlite3.connect(self.db, isolation_level=None)
        con.execute("BEGIN IMMEDIATE")
        p = subprocess.Popen([RDLZ, "add-deputy", "--name", "张三"], env=self.env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        import time
        time.sleep(0.5)
        con.execute("ROLLBACK")
        con.close()
        out, err = p.communicate(timeout=30)
        self.assertEqual(p.returncode, 0, err)
        self.assertEqual(out.decode().strip(), "RZ0001")

    def test_rdlz_now_sets_the_clock_and_bad_values_are_refused(self):
        self.init()
        self.ok("add-deputy", "--name", "张三")
        d = self.ok("show-deputy", "RZ0001", "--format", "json").json()
        self.assertEqual(d["joined_at"], "2026-11-28T09:00:00+08:00")
        r = self.run_rdlz("list-deputies", env={"RDLZ_NOW": "2026-02-30T00:00:00+08:00"}, expect=2)
        self.assertIn("RDLZ_NOW", r.err)


class ConfigTest(RdlzTestCase):
    def test_set_show_and_refuse(self):
        self.init()
        self.ok("set-config", "time.zone", "UTC")
        rows = self.ok("show-config", "time.zone", "--format", "json").json()
        self.assertEqual(rows, [{"key": "time.zone", "value": "UTC", "default": "Asia/Shanghai",
                                 "description": rows[0]["description"]}])
        r = self.run_rdlz("set-config", "time.zone", "Nowhere/Land", expect=2)
        self.assertIn("not a known time zone", r.err)
        r = self.run_rdlz("set-config", "colour", "blue", expect=2)
        self.assertIn("known: attendance.grace_minutes", r.err)
        self.assertIn("time.zone", r.err)
        self.ok("add-deputy", "--name", "张三")
        d = self.ok("show-deputy", "RZ0001", "--format", "json").json()
        self.assertEqual(d["joined_at"], "2026-11-28T01:00:00Z")


class AuditTest(RdlzTestCase):
    def setUp(self):
        super().setUp()
        self.init()
        self.ok("add-deputy", "--name", "张三", "--phone", "13712340743")
        self.ok("set-deputy", "RZ0001", "--post", "主任")

    def test_entries_name_actor_and_command_but_no_personal_data(self):
        rows = self.ok("list-audit", "--format", "json").json()
        self.assertEqual([r["command"] for r in rows], ["init", "add-deputy", "set-deputy"])
        self.assertEqual({r["actor"] for r in rows}, {"tester"})
        self.assertNotIn("13712340743", self.ok("list-audit", "--format", "csv").out)

    def test_check_passes_and_prints_head(self):
        r = self.ok("check", "--format", "json").json()
        head = [c for c in r if c["check"] == "audit_chain"][0]["detail"]
        self.assertIn("3 entries, head ", head)
        h = head.split("head ")[1]
        self.ok("check", "--expect-head", h)

    def tamper(self, sql):
        con = sqlite3.connect(self.db)
        con.execute(sql)
        con.commit()
        con.close()

    def test_edited_entry_fails_check(self):
        self.tamper("UPDATE audit SET actor = 'nobody' WHERE id = 2")
        r = self.run_rdlz("check", expect=1)
        self.assertIn("entry 2 was edited", r.err)

    def test_deleted_entry_fails_check(self):
        self.tamper("DELETE FROM audit WHERE id = 2")
        r = self.run_rdlz("check", expect=1)
        self.assertIn("entry 3 does not follow entry 1", r.err)

    def test_cut_tail_fails_expect_head(self):
        r = self.ok("check", "--format", "json").json()
        h = [c for c in r if c["check"] == "audit_chain"][0]["detail"].split("head ")[1]
        self.tamper("DELETE FROM audit WHERE id = 3")
        self.ok("check")
        r = self.run_rdlz("check", "--expect-head", h, expect=1)
        self.assertIn("no longer reaches", r.err)


class BackupTest(RdlzTestCase):
    def test_backup_copies_everything_0600(self):
        self.init()
        self.ok("add-deputy", "--name", "张三")
        dest = os.path.join(self.dir, "copy.db")
        self.ok("backup", dest)
        self.assertEqual(stat.S_IMODE(os.stat(dest).st_mode), 0o600)
        rows = self.ok("list-deputies", "--db", dest, "--format", "json").json()
        self.assertEqual(rows[0]["name"], "张三")
        self.ok("check", "--db", dest)

    def test_backup_to_missing_dir_fails_cleanly(self):
        self.init()
        r = self.run_rdlz("backup", os.path.join(self.dir, "no", "such.db"), expect=1)
        self.assertIn("cannot create", r.err)


class CommandLineTest(RdlzTestCase):
    def test_version(self):
        r = self.ok("--version")
        self.assertRegex(r.out, r"rdlz \d+\.\d+\.\d+")
        self.assertIn("SQLite 3.", r.out)
        self.assertRegex(r.out, r"journal mode (wal|delete)")

    def test_unknown_command_suggests(self):
        r = self.run_rdlz("lst-deputies", expect=2)
        self.assertIn("did you mean 'list-deputies'", r.err)

    def test_unknown_option_suggests(self):
        r = self.run_rdlz("list-deputies", "--delegaton", "x", expect=2)
        self.assertIn("did you mean '--delegation'", r.err)

    def test_bad_choice_and_missing_operand(self):
        r = self.run_rdlz("list-deputies", "--format", "xml", expect=2)
        self.assertIn("not one of: table csv json jsonl", r.err)
        self.run_rdlz("show-deputy", expect=2)
        self.run_rdlz("show-deputy", "A", "B", expect=2)
        self.run_rdlz("list-audit", "--limit", "x", expect=2)
        self.run_rdlz(expect=2)

    def test_help_and_command_help_agree(self):
        self.assertEqual(self.ok("help", "import-deputies").out, self.ok("import-deputies", "--help").out)
        out = self.ok("help").out
        for group in ("deputy registry:", "database and settings:"):
            self.assertIn(group, out)
        self.run_rdlz("help", "nosuch", expect=2)

    def test_exit_codes_table(self):
        codes = [l.split("\t")[0] for l in self.ok("help", "exit-codes").out.splitlines()]
        self.assertEqual(codes, ["0", "1", "2", "65", "75"])

    def test_full_disk_is_not_success(self):
        if not os.path.exists("/dev/full"):
            self.skipTest("no /dev/full")
        with open("/dev/full", "w") as full:
            p = subprocess.run([RDLZ, "help"], stdout=full, stderr=subprocess.PIPE, env=self.env)
        self.assertEqual(p.returncode, 1)
        self.assertIn("writing the output failed", p.stderr.decode())


class CompletionTest(RdlzTestCase):
    def complete(self, *words):
        script = (f"source <({RDLZ} completion bash); COMP_WORDS=({' '.join(repr(w) for w in words)});"
                  f" COMP_CWORD={len(words) - 1}; _rdlz; printf '%s\\n' \"${{COMPREPLY[@]}}\"")
        env = dict(self.env)
        env["PATH"] = os.path.dirname(os.path.abspath(RDLZ)) + ":" + env.get("PATH", "")
        return subprocess.run(["bash", "-c", script], capture_output=True, env=env, cwd=self.dir,
                              check=True).stdout.decode().split()

    def test_commands_options_and_codes(self):
        self.init()
        self.ok("import-deputies", "-", stdin="name\n甲\n乙\n")
        self.assertEqual(self.complete("rdlz", "list-depu"), ["list-deputies"])
        self.assertIn("--delegation", self.complete("rdlz", "list-deputies", "--"))
        self.assertEqual(self.complete("rdlz", "list-deputies", "--format", "j"), ["json", "jsonl"])
        self.assertEqual(self.complete("rdlz", "show-deputy", "RZ"), ["RZ0001", "RZ0002"])


if __name__ == "__main__":
    unittest.main()
