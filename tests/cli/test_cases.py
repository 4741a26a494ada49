"""End-to-end tests of closed-loop cases: both flows whole, every refused
transition, deadlines with an injected clock and a holiday calendar, photos,
masking, a forged QR URL, and two processes acting on one case at once."""
import hashlib
import os
import struct
import subprocess
import zlib

from rdlztest import RDLZ, RdlzTestCase
import unittest

ROSTER = ("code,name,email\n"
          "RZ0001,张三,zhang@example.cn\n"
          "RZ0002,李四,li@example.cn\n")
MONDAY = "2026-11-02T09:00:00+08:00"


def jpeg_with_exif():
    """A JPEG whose APP1 holds EXIF with a GPS position, and a comment."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    exif = b"Exif\x00\x00" + b"GPSLatitude=35.41N;Make=PhoneCo;Owner=Zhang"
    app1 = b"\xff\xe1" + struct.pack(">H", len(exif) + 2) + exif
    com = b"\xff\xfe" + struct.pack(">H", 9) + b"comment"
    sos = b"\xff\xda" + struct.pack(">H", 8) + b"\x01\x01\x00\x00\x3f\x00" + b"\x12\x34\x56" + b"\xff\xd9"
    return b"\xff\xd8" + app0 + app1 + com + sos


def png_with_text():
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"tEXt", b"Author\x00Zhang San") +
            chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))


class CasesTest(RdlzTestCase):
    NOW = MONDAY

    def setUp(self):
        super().setUp()
        self.init()
        self.ok("import-deputies", "-", stdin=ROSTER)
        self.ok("add-department", "--code", "ZJJ", "--name", "住建局", "--email", "zjj@example.cn")
        self.ok("add-department", "--code", "SWJ", "--name", "水务局", "--webhook", "水务局值班")
        self.ok("set-route", "道路", "ZJJ")

    def case(self, cid):
        return self.ok("show-case", str(cid), "--format", "json").json()

    def test_request_loop_through_a_genuine_code(self):
        self.ok("set-config", "qr.base_url", "https://rd.example.cn")
        out = os.path.join(self.dir, "q")
        os.mkdir(out)
        url = self.ok("issue-qr", "RZ0001", "--out", out, "--format", "json").json()[0]["url"]
        r = self.ok("submit-request", "--qr", url, "--text", "小区路灯坏了", "--citizen", "王小明", "--phone",
                    "13900001111", "--place", "秦楼街道", "--format", "json").json()
        cid = r["id"]
        self.assertGreaterEqual(len(r["tracking"]), 16)
        self.assertEqual(self.case(cid)["state"], "submitted")
        # the deputy was told
        keys = [m["key"] for m in self.ok("list-outbox", "--format", "json").json()]
        self.assertIn(f"case-submitted:{cid}", keys)
        self.ok("take-request", str(cid), "--deputy", "RZ0001")
        self.ok("assign-case", str(cid), "--department", "SWJ")
        self.ok("resolve-case", str(cid), "--text", "已修复")
        self.ok("answer-case", str(cid), "--text", "已电话告知群众")
        self.ok("close-case", str(cid))
        c = self.case(cid)
        self.assertEqual((c["state"], c["department"]), ("closed", "SWJ"))
        timeline = self.ok("show-case", str(cid)).out
        for step in ("submitted", "taken", "forwarded", "resolved", "fed_back", "closed"):
            self.assertIn(step, timeline)
        kinds = [r["kind"] for r in self.ok("archive", "RZ0001", "--format", "json").json()]
        self.assertEqual(kinds, ["request_taken", "request_resolved"])

    def test_resolved_request_tells_the_citizen_when_configured(self):
        self.ok("set-config", "webhook.url", "http://127.0.0.1:9/sms")
        self.ok("set-config", "case.notify_citizens", "on")
        cid = self.ok("submit-request", "--deputy", "RZ0001", "--text", "y", "--phone", "13900001111").out.strip()
        self.ok("take-request", cid, "--deputy", "RZ0001")
        self.ok("resolve-case", cid, "--text", "done")
        msgs = {m["key"]: m for m in self.ok("list-outbox", "--format", "json").json()}
        m = msgs[f"case-citizen-resolved:{cid}"]
        # the outbox keeps no copy of the phone: it is looked up when sent
        self.assertEqual((m["channel"], m["address"]), ("webhook", f"citizen:{cid}"))
        self.assertNotIn("13900001111", self.ok("list-outbox", "--unmask", "--format", "csv").out)

    def test_forged_code_is_refused(self):
        self.ok("set-config", "qr.base_url", "https://rd.example.cn")
        r = self.run_rdlz("submit-request", "--qr", "https://rd.example.cn/d/RZ0001?s=k1.AAAAAAAAAAAAAAAA",
                          "--text", "x", expect=1)
        self.assertIn("not a genuine", r.err)
        self.assertEqual(self.ok("list-cases", "--format", "json").json(), [])

    def test_suggestion_loop_with_a_dissatisfied_round(self):
        cid = self.ok("file-suggestion", "--deputy", "RZ0002", "--title", "人行道破损", "--text", "某路段人行道破损",
                      "--category", "道路").out.strip()
        c = self.case(cid)
        self.assertEqual((c["state"], c["department"], c["channel"]), ("assigned", "ZJJ", "direct"))
        self.ok("accept-case", cid)
        self.ok("answer-case", cid, "--text", "已安排维修")
        self.ok("rate-case", cid, "不满意", "--deputy", "RZ0002")
        c = self.case(cid)
        self.assertEqual((c["state"], c["round"]), ("assigned", 2))
        self.ok("accept-case", cid)
        self.ok("answer-case", cid, "--text", "已修复完毕")
        self.ok("rate-case", cid, "satisfied", "--deputy", "RZ0002")
        self.ok("close-case", cid)
        self.assertEqual(self.case(cid)["state"], "closed")
        kinds = [r["kind"] for r in self.ok("archive", "RZ0002", "--format", "json").json()]
        self.assertEqual(kinds, ["suggestion_filed", "case_rated", "case_rated"])

    def test_rounds_run_out(self):
        self.ok("set-config", "case.max_rounds", "1")
        cid = self.ok("file-suggestion", "--deputy", "RZ0002", "--title", "t", "--text", "x",
                      "--category", "道路").out.strip()
        self.ok("accept-case", cid)
        self.ok("answer-case", cid, "--text", "a")
        self.ok("rate-case", cid, "dissatisfied", "--deputy", "RZ0002")
        self.assertEqual(self.case(cid)["state"], "rated")

    def test_refused_transitions_name_the_state(self):
        sid = self.ok("file-suggestion", "--deputy", "RZ0002", "--title", "t", "--text", "x").out.strip()
        rid = self.ok("submit-request", "--deputy", "RZ0001", "--text", "y").out.strip()
        cases = [
            (["rate-case", sid, "satisfied", "--deputy", "RZ0002"], "is filed"),
            (["accept-case", sid], "is filed"),
            (["take-request", sid, "--deputy", "RZ0002"], "cannot be taken"),
            (["take-request", rid, "--deputy", "RZ0002"], "addressed to deputy RZ0001"),
            (["resolve-case", rid, "--text", "x"], "is submitted"),
            (["close-case", rid], "is submitted"),
            (["accept-case", rid], "cannot"),
            (["assign-case", sid], "department"),
            (["show-case", "999"], "no case 999"),
        ]
        for args, msg in cases:
            r = self.run_rdlz(*args)
            self.assertNotEqual(r.code, 0, args)
            self.assertIn(msg, r.err, args)
        r = self.run_rdlz("rate-case", sid, "great", "--deputy", "RZ0002", expect=2)
        self.run_rdlz("assign-case", sid, "--department", "NOPE", expect=1)
        self.run_rdlz("show-case", "abc", expect=2)
        self.run_rdlz("submit-request", "--deputy", "RZ0404", "--text", "x", expect=1)
        self.run_rdlz("file-suggestion", "--deputy", "RZ0002", "--text", "no title", expect=65)
        self.ok("retire-deputy", "RZ0001")
        self.run_rdlz("submit-request", "--deputy", "RZ0001", "--text", "x", expect=1)

    def test_two_processes_on_one_case(self):
        cid = self.ok("file-suggestion", "--deputy", "RZ0002", "--title", "t", "--text", "x",
                      "--category", "道路").out.strip()
        ps = [subprocess.Popen([RDLZ, "accept-case", cid], env=self.env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, cwd=self.dir) for _ in range(2)]
        results = [(p.wait(timeout=60), p.stderr.read().decode()) for p in ps]
        codes = sorted(c for c, _ in results)
        self.assertEqual(codes, [0, 1], results)
        self.assertIn("is accepted", [e for c, e in results if c][0])
        events = self.ok("show-case", cid).out.count("accept ")
        self.assertEqual(events, 1)

    def test_deadlines_calendar_overdue_and_reminders(self):
        # 2026-11-04 (Wednesday) a holiday, 2026-11-07 (Saturday) a working day
        self.write("cal.csv", "date,type\n2026-11-04,holiday\n2026-11-07,workday\n")
        self.ok("set-calendar", os.path.join(self.dir, "cal.csv"))
        rid = self.ok("submit-request", "--deputy", "RZ0001", "--text", "y").out.strip()
        sid = self.ok("file-suggestion", "--deputy", "RZ0002", "--title", "t", "--text", "x",
                      "--category", "道路").out.strip()
        # accept within 2 working days: Tue 3rd, (Wed 4th off), Thu 5th
        self.assertEqual(self.case(sid)["due_at"], "2026-11-05T09:00:00+08:00")
        self.assertEqual(self.case(rid)["due_at"], "2026-11-03T09:00:00+08:00")
        later = {"RDLZ_NOW": "2026-11-05T10:00:00+08:00"}
        over = self.run_rdlz("list-cases", "--overdue", "--format", "json", env=later, expect=0).json()
        self.assertEqual(sorted(c["id"] for c in over), sorted([int(rid), int(sid)]))
        on_time = self.run_rdlz("list-cases", "--overdue", "--format", "json",
                                env={"RDLZ_NOW": "2026-11-03T08:00:00+08:00"}, expect=0).json()
        self.assertEqual(on_time, [])
        # --dry-run lists exactly what a real run then queues, and changes nothing
        before = self.db_digest()
        dry = self.run_rdlz("queue-reminders", "--dry-run", "--format", "json", env=later, expect=0).json()
        self.assertEqual(self.db_digest(), before)
        self.assertEqual(sorted(m["key"] for m in dry),
                         sorted([f"case-overdue-submitted:{rid}", f"case-overdue-assigned:{sid}"]))
        q = self.run_rdlz("queue-reminders", "--format", "json", env=later, expect=0).json()
        self.assertEqual([p for p in q if p["producer"] == "cases"], [{"producer": "cases", "queued": 2}])
        queued = {m["key"]: m for m in self.ok("list-outbox", "--format", "json").json()}
        for m in dry:
            self.assertEqual((m["channel"], m["address"], m["subject"]),
                             tuple(queued[m["key"]][k] for k in ("channel", "address", "subject")))
        self.assertEqual(self.run_rdlz("queue-reminders", "-n", "--format", "json", env=later, expect=0).json(), [])
        q = self.run_rdlz("queue-reminders", "--format", "json", env=later, expect=0).json()
        self.assertEqual([p for p in q if p["producer"] == "cases"], [{"producer": "cases", "queued": 0}])
        keys = {m["key"] for m in self.ok("list-outbox", "--format", "json").json()}
        self.assertIn(f"case-overdue-submitted:{rid}", keys)
        self.assertIn(f"case-overdue-assigned:{sid}", keys)
        # a department without e-mail is reminded by its name on the webhook
        self.ok("set-route", "供水", "SWJ")
        wid = self.ok("file-suggestion", "--deputy", "RZ0002", "--title", "t", "--text", "x",
                      "--category", "供水").out.strip()
        self.run_rdlz("queue-reminders", env={"RDLZ_NOW": "2026-11-20T10:00:00+08:00"}, expect=0)
        msgs = {m["key"]: m for m in self.ok("list-outbox", "--format", "json").json()}
        m = msgs[f"case-overdue-assigned:{wid}"]
        self.assertEqual((m["channel"], m["address"]), ("webhook", "水务局值班"))
        self.write("bad.csv", "date,type\n2026-02-30,holiday\n")
        r = self.run_rdlz("set-calendar", os.path.join(self.dir, "bad.csv"), expect=65)
        self.assertIn("bad.csv:2: column 'date'", r.err)

    def test_photos_by_content_stored_once_exported_and_stripped(self):
        jpg = self.write("p.jpg", jpeg_with_exif())
        png = self.write("p.png", png_with_text())
        fake = self.write("fake.jpg", "this is text, not a photo")
        r = self.run_rdlz("file-suggestion", "--deputy", "RZ0002", "--title", "t", "--text", "x", "--photo", fake,
                          expect=65)
        self.assertIn("not a JPEG, PNG, WebP or HEIC", r.err)
        self.assertEqual(self.ok("list-cases", "--format", "json").json(), [])
        big = os.path.join(self.dir, "big.jpg")
        with open(big, "wb") as f:
            f.write(b"\xff\xd8\xff" + b"\0" * (20 * 1024 * 1024 + 1))
        r = self.run_rdlz("file-suggestion", "--deputy", "RZ0002", "--title", "t", "--text", "x", "--photo", big,
                          expect=65)
        self.assertIn("at most 20 MB", r.err)
        cid = self.ok("file-suggestion", "--deputy", "RZ0002", "--title", "t", "--text", "x", "--photo", jpg,
                      "--photo", png, "--photo", jpg).out.strip()
        self.assertEqual(self.case(cid)["channel"], "snap")
        gid = self.ok("file-suggestion", "--deputy", "RZ0002", "--title", "t", "--text", "x", "--geo",
                      "35.4164,119.5269").out.strip()
        self.assertEqual((self.case(gid)["lat"], self.case(gid)["lng"]), (35.4164, 119.5269))
        self.assertEqual(self.case(cid)["photos"], 2)
        staff = os.path.join(self.dir, "staff")
        public = os.path.join(self.dir, "public")
        os.mkdir(staff)
        os.mkdir(public)
        rows = self.ok("export-photos", cid, staff, "--format", "json").json()
        by_type = {r["type"]: self.read(r["file"]) for r in rows}
        self.assertEqual(by_type["image/jpeg"], jpeg_with_exif())
        self.assertEqual(by_type["image/png"], png_with_text())
        self.assertTrue(rows[0]["file"].startswith(staff + "/"))
        self.assertIn(hashlib.sha256(jpeg_with_exif()).hexdigest(), " ".join(r["file"] for r in rows))
        rows = self.ok("export-photos", cid, public, "--public", "--format", "json").json()
        by_type = {r["type"]: self.read(r["file"]) for r in rows}
        j = by_type["image/jpeg"]
        self.assertTrue(j.startswith(b"\xff\xd8\xff\xe0"))
        self.assertNotIn(b"GPS", j)
        self.assertNotIn(b"comment", j)
        self.assertTrue(j.endswith(b"\x12\x34\x56\xff\xd9"))
        p = by_type["image/png"]
        self.assertNotIn(b"Zhang", p)
        self.assertIn(b"IDAT", p)

    def test_masking_unmask_audited_and_purge(self):
        cid = self.ok("submit-request", "--deputy", "RZ0001", "--text", "y", "--citizen", "王小明",
                      "--phone", "13900001111").out.strip()
        listed = self.ok("list-cases", "--format", "csv").out
        self.assertNotIn("王小明", listed)
        self.assertNotIn("13900001111", listed)
        self.assertIn("139****1111", listed)
        rows = self.ok("list-cases", "--unmask", "--format", "json").json()
        self.assertEqual((rows[0]["citizen"], rows[0]["phone"]), ("王小明", "13900001111"))
        self.assertIn("unmasked", self.ok("list-audit", "--format", "json").json()[-1]["change"])
        for step in (["take-request", cid, "--deputy", "RZ0001"], ["resolve-case", cid, "--text", "r"],
                     ["answer-case", cid, "--text", "f"], ["close-case", cid]):
            self.ok(*step)
        self.assertEqual(self.ok("purge-citizen-data", "--before", "2026-11-01").out.strip(), "0")
        self.assertEqual(self.ok("purge-citizen-data", "--before", "2026-11-03").out.strip(), "1")
        c = self.ok("show-case", cid, "--unmask", "--format", "json").json()
        self.assertEqual((c["citizen"], c["phone"], c["state"]), (None, None, "closed"))
        self.assertEqual(len(self.ok("case-stats", "--format", "json").json()), 3)

    def test_case_stats_hand_counted(self):
        for i in range(3):
            cid = self.ok("file-suggestion", "--deputy", "RZ0002", "--title", f"t{i}", "--text", "x",
                          "--category", "道路").out.strip()
            self.ok("accept-case", cid)
            self.run_rdlz("answer-case", cid, "--text", "a", env={"RDLZ_NOW": f"2026-11-0{3 + i}T09:00:00+08:00"},
                          expect=0)
            self.ok("rate-case", cid, ["satisfied", "basic", "dissatisfied"][i], "--deputy", "RZ0002")
        rows = self.ok("case-stats", "--format", "json").json()
        dept = [r for r in rows if r["by"] == "department" and r["value"] == "ZJJ"][0]
        self.assertEqual((dept["cases"], dept["answered"]), (3, 3))
        self.assertEqual(dept["median_hours"], 48.0)  # answered after 24, 48 and 72 hours
        self.assertAlmostEqual(dept["satisfaction_rate"], 2 / 3)
        self.assertEqual(dept["on_time_rate"], 1.0)

    def test_departments_import(self):
        path = self.write("d.csv", "代码,名称,邮箱\nGAJ,公安局,gaj@example.cn\nJTJ,交通局,\n")
        self.assertEqual(self.ok("import-departments", path).out.strip(), "2")
        codes = [d["code"] for d in self.ok("list-departments", "--format", "json").json()]
        self.assertEqual(codes, ["GAJ", "JTJ", "SWJ", "ZJJ"])
        bad = self.write("bad.csv", "code,name,email\nX1,名,not-mail\n")
        r = self.run_rdlz("import-departments", bad, expect=65)
        self.assertIn("bad.csv:2: 'not-mail' is not an e-mail address", r.err)


if __name__ == "__main__":
    unittest.main()
