"""End-to-end tests of the deputy registry: import, codes, listings, changes."""
import json
import os
import stat
import unittest

from rdlztest import RdlzTestCase

HEADER = "code,name,gender,post,unit,delegation,grid,station,phone,email\n"


class ImportTest(RdlzTestCase):
    def test_import_generated_roster_assigns_codes_in_order(self):
        self.init()
        path = self.roster(340)
        r = self.ok("import-deputies", path, "--format", "json")
        self.assertEqual(r.json(), {"rows": 340, "inserted": 340, "updated": 0, "coded": 340,
                                    "dry_run": False})
        rows = self.ok("list-deputies", "--format", "json").json()
        self.assertEqual(len(rows), 340)
        self.assertEqual([d["code"] for d in rows[:3]], ["RZ0001", "RZ0002", "RZ0003"])
        self.assertEqual(rows[-1]["code"], "RZ0340")
        self.assertEqual(set(rows[0]), {"code", "name", "gender", "post", "unit", "delegation",
                                        "grid", "station", "phone", "email", "status"})

    def test_reimport_with_codes_updates_not_duplicates(self):
        self.init()
        path = self.roster(50, "--with-codes")
        self.ok("import-deputies", path)
        r = self.ok("import-deputies", path, "--format", "json").json()
        self.assertEqual((r["inserted"], r["updated"]), (0, 50))
        self.assertEqual(len(self.ok("list-deputies", "--format", "json").json()), 50)

    def test_chinese_headers_bom_crlf(self):
        self.init()
        path = self.roster(20, "--chinese-headers", "--bom", "--crlf")
        r = self.ok("import-deputies", path, "--format", "json").json()
        self.assertEqual(r["inserted"], 20)

    def test_quoted_fields_with_commas_quotes_newlines(self):
        self.init()
        path = self.write("r.csv", HEADER +
                          'RZ0001,张三,男,"主任,兼书记","某""红星""公司\n第二车间",东港区代表团,,,13712340743,\n')
        self.ok("import-deputies", path)
        d = self.ok("show-deputy", "RZ0001", "--format", "json").json()
        self.assertEqual(d["post"], "主任,兼书记")
        self.assertEqual(d["unit"], '某"红星"公司\n第二车间')

    def test_gbk_file(self):
        self.init()
        path = self.write("gbk.csv", "编号,姓名,性别,代表团\nRZ0007,李四,女,岚山区代表团\n",
                          encoding="gbk")
        self.ok("import-deputies", path, "--encoding", "gbk")
        d = self.ok("show-deputy", "RZ0007", "--format", "json").json()
        self.assertEqual((d["name"], d["gender"], d["delegation"]), ("李四", "female", "岚山区代表团"))

    def test_stdin(self):
        self.init()
        self.ok("import-deputies", "-", stdin="name\n王五\n")
        self.assertEqual(self.ok("list-deputies", "--format", "json").json()[0]["name"], "王五")

    def test_upsert_keeps_columns_the_file_lacks(self):
        self.init()
        self.ok("import-deputies", "-", stdin="code,name,email\nRZ0001,张三,z@example.cn\n")
        self.ok("import-deputies", "-", stdin="code,name,post\nRZ0001,张三,主任\n")
        d = self.ok("show-deputy", "RZ0001", "--format", "json").json()
        self.assertEqual((d["email"], d["post"]), ("z@example.cn", "主任"))

    def test_dry_run_writes_nothing(self):
        self.init()
        before = self.db_digest()
        r = self.ok("import-deputies", self.roster(30), "--dry-run", "--format", "json").json()
        self.assertEqual((r["rows"], r["inserted"], r["dry_run"]), (30, 30, True))
        self.assertEqual(self.db_digest(), before)

    def test_unknown_column_and_ignore_unknown(self):
        self.init()
        path = self.write("u.csv", "name,shoe_size\n张三,42\n")
        r = self.run_rdlz("import-deputies", path, expect=65)
        self.assertIn("u.csv:1: unknown column 'shoe_size'", r.err)
        self.ok("import-deputies", path, "--ignore-unknown")


class BadInputTest(RdlzTestCase):
    """Every kind of bad roster: a clear line-numbered error, exit 65, and
    the database byte-for-byte as it was."""

    def setUp(self):
        super().setUp()
        self.init()
        self.ok("import-deputies", self.roster(5, "--with-codes"))
        self.before = self.db_digest()

    def refused(self, content, *expected, args=()):
        path = self.write("bad.csv", content)
        r = self.run_rdlz("import-deputies", path, *args)
        self.assertEqual(r.code, 65, r.err)
        for e in expected:
            self.assertIn(e, r.err)
        self.assertIn("nothing was imported", r.err)
        self.assertEqual(self.db_digest(), self.before, "a refused import changed the database")
        return r

    def test_every_bad_row_is_reported(self):
        r = self.refused(HEADER +
                         "RZ0100,张三,男,,,,,,12x45,\n"
                         "RZ0101,,女,,,,,,,\n"
                         "RZ0102,李四,未知,,,,,,,\n"
                         "RZ0103,王五,男,,,,,,,not-an-email\n"
                         "RZ0104,赵六,男,,,,,,13712340743,\n",
                         "bad.csv:2: column 'phone': '12x45' is not a mobile number",
                         "bad.csv:3: column 'name': a name is required",
                         "bad.csv:4: column 'gender': '未知' is not a gender",
                         "bad.csv:5: column 'email': 'not-an-email' is not an e-mail address")
        self.assertIn("4 errors", r.err)

    def test_duplicate_code_in_file(self):
        self.refused(HEADER + "RZ0200,张三,男,,,,,,,\nRZ0201,李四,男,,,,,,,\nRZ0200,王五,男,,,,,,,\n",
                     "bad.csv:4: column 'code': 'RZ0200' occurs twice in the file")

    def test_invalid_utf8(self):
        self.refused(HEADER.encode() + "RZ0300,".encode() + "张三".encode("gbk") + b",,,,,,,,\n",
                     "bad.csv:2: column 'name': is not valid UTF-8")

    def test_unterminated_quote_at_end(self):
        self.refused(HEADER + 'RZ0400,"张三,男,,,,,,,\n',
                     "bad.csv:2: a quoted field starts here and is never closed")

    def test_stray_quote_cannot_swallow_the_file(self):
        rows = "".join(f"RZ{n:04d},名{n},男,,,,,,,\n" for n in range(500, 1500))
        self.refused(HEADER + 'RZ0499,"张三,男,,,,,,,\n' + rows,
                     "bad.csv:2: a field longer than 4096 bytes starts here")

    def test_huge_field(self):
        self.refused(HEADER + "RZ0600," + "长" * 3000 + ",男,,,,,,,\n", "bad.csv:2:")

    def test_nul_byte(self):
        self.refused(HEADER.encode() + b"RZ0700,\x00abc,,,,,,,,\n", "bad.csv:2: holds a NUL byte")

    def test_quote_inside_unquoted_field(self):
        self.refused(HEADER + 'RZ0800,张"三,男,,,,,,,\n', "bad.csv:2: malformed CSV")

    def test_wrong_field_count(self):
        self.refused(HEADER + "RZ0900,张三\n", "bad.csv:2: 2 fields, but the header has 10")

    def test_missing_name_column(self):
        self.refused("code,phone\nRZ1000,13712340743\n", "bad.csv:1: the header has no name/姓名 column")

    def test_empty_file(self):
        self.refused("", "the file is empty")

    def test_line_numbers_count_embedded_newlines(self):
        self.refused(HEADER + 'RZ1100,张三,男,"第一行\n第二行",,,,,,\nRZ1101,李四,男,,,,,,bad,\n',
                     "bad.csv:4: column 'phone'")

    def test_bom_glued_inside_quoted_header(self):
        path = self.write("bom.csv", '\ufeff"code",name\nRZ1200,张三\n')
        self.ok("import-deputies", path)


class CodesTest(RdlzTestCase):
    def test_codes_never_reused_after_retirement(self):
        self.init()
        self.ok("import-deputies", "-", stdin="name\n甲\n乙\n")
        self.ok("retire-deputy", "RZ0002")
        self.assertEqual(self.ok("add-deputy", "--name", "丙").out.strip(), "RZ0003")

    def test_assign_codes_with_prefix_and_width(self):
        self.init()
        self.ok("add-deputy", "--name", "甲", "--code", "X1")
        r = self.ok("assign-codes", "--prefix", "LS", "--width", "3", "--format", "json").json()
        self.assertEqual(r, {"assigned": 0})
        self.ok("set-config", "deputy.code_prefix", "LS")
        self.assertEqual(self.ok("add-deputy", "--name", "乙").out.strip(), "LS0001")


class ListTest(RdlzTestCase):
    def setUp(self):
        super().setUp()
        self.init()
        self.ok("import-deputies", "-", stdin=HEADER +
                "RZ0001,张三,男,书记,,东港区代表团,秦楼第1网格,秦楼站,13712340743,a@example.cn\n"
                "RZ0002,李四,女,主任,,岚山区代表团,,,0633-8781234,\n"
                "RZ0003,=cmd|' /C calc'!A0,男,,,东港区代表团,,,,\n")

    def test_phone_masked_unless_unmask_and_unmask_audited(self):
        rows = self.ok("list-deputies", "--format", "json").json()
        self.assertEqual(rows[0]["phone"], "137****0743")
        self.assertNotIn("13712340743", self.ok("list-deputies").out)
        before = len(self.ok("list-audit", "--format", "json").json())
        rows = self.ok("list-deputies", "--format", "json", "--unmask").json()
        self.assertEqual(rows[0]["phone"], "13712340743")
        audit = self.ok("list-audit", "--format", "json").json()
        self.assertEqual(len(audit), before + 1)
        self.assertIn("unmasked", audit[-1]["change"])

    def test_filters(self):
        rows = self.ok("list-deputies", "--delegation", "东港区代表团", "--format", "json").json()
        self.assertEqual([r["code"] for r in rows], ["RZ0001", "RZ0003"])
        self.ok("retire-deputy", "RZ0001")
        rows = self.ok("list-deputies", "--status", "active", "--format", "json").json()
        self.assertEqual([r["code"] for r in rows], ["RZ0002", "RZ0003"])

    def test_csv_is_rfc4180_with_bom_and_formula_neutralised(self):
        r = self.run_rdlz("list-deputies", "--format", "csv", "--bom", expect=0)
        self.assertTrue(r.out.startswith("\ufeff"))
        rows = r.csv()
        self.assertEqual(rows[2]["name"], "'=cmd|' /C calc'!A0")
        self.assertEqual(list(rows[0].keys()), ["code", "name", "gender", "post", "unit", "delegation",
                                                "grid", "station", "phone", "email", "status"])

    def test_jsonl(self):
        lines = self.ok("list-deputies", "--format", "jsonl").out.splitlines()
        self.assertEqual([json.loads(l)["code"] for l in lines], ["RZ0001", "RZ0002", "RZ0003"])

    def test_table_aligns_chinese_by_display_width(self):
        lines = self.ok("list-deputies").out.splitlines()
        # the delegation column starts at the same display column on every row
        import unicodedata

        def width(s):
            return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
        starts = set()
        for line in lines[2:]:
            i = line.index("区代表团")
            starts.add(width(line[:i]))
        self.assertEqual(len(starts), 1, lines)

    def test_set_deputy_and_show(self):
        self.ok("set-deputy", "RZ0002", "--phone", "13800001111", "--email", "li@example.cn")
        d = self.ok("show-deputy", "RZ0002", "--format", "json", "--unmask").json()
        self.assertEqual((d["phone"], d["email"]), ("13800001111", "li@example.cn"))
        r = self.run_rdlz("set-deputy", "RZ0002", "--phone", "12x45", expect=65)
        self.assertIn("'12x45' is not a mobile number", r.err)
        self.run_rdlz("set-deputy", "RZ9999", "--post", "x", expect=1)

    def test_add_deputy_json_has_id(self):
        d = self.ok("add-deputy", "--name", "钱七", "--gender", "女", "--format", "json").json()
        self.assertEqual((d["id"], d["code"], d["gender"]), ("RZ0004", "RZ0004", "female"))

    def test_retire_twice(self):
        self.ok("retire-deputy", "RZ0003")
        self.run_rdlz("retire-deputy", "RZ0003", expect=1)
        self.assertEqual(self.ok("show-deputy", "RZ0003", "--format", "json").json()["status"], "retired")

    def test_deputy_stats(self):
        rows = self.ok("deputy-stats", "--format", "json").json()
        self.assertEqual(rows[-1]["delegation"], "total")
        self.assertEqual(rows[-1]["deputies"], 3)
        self.assertEqual({r["delegation"]: r["deputies"] for r in rows[:-1]},
                         {"东港区代表团": 2, "岚山区代表团": 1})


class MessageTest(RdlzTestCase):
    def test_messages_stay_utf8_whatever_the_arguments(self):
        """A GBK or binary argument is quoted back as \\xNN, never as raw
        bytes (stderr must decode as UTF-8: Result decodes it strictly), nor
        as a control character that drives the terminal."""
        self.init()
        r = self.run_rdlz("show-deputy", "张三".encode("gbk"))
        self.assertEqual(r.code, 1, r.err)
        self.assertIn("'\\xd5\\xc5\\xc8\\xfd'", r.err)
        r = self.run_rdlz("show-deputy", b"RZ\x1b[31m\xff")
        self.assertIn("'RZ\\x1b[31m\\xff'", r.err)
        r = self.run_rdlz("show-deputy", "张三")
        self.assertIn("'张三'", r.err)


if __name__ == "__main__":
    unittest.main()
