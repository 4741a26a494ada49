"""End-to-end tests of --format xlsx and --out: real listings written as
workbooks and read back with an independent reader (zipfile and
xml.etree, no spreadsheet library): the Chinese header row, numbers and
booleans as typed cells, dates as numbers with a date format, the frozen
header, the fitted widths, masking unless --unmask, and every value equal
to the CSV output of the same command. Then where the bytes go: a file
given by --out (replaced only when the command succeeded), standard output
redirected to a file, never a terminal, and the commands that have an
--out of their own."""
import csv
import datetime
import io
import os
import pty
import re
import stat
import subprocess
import unittest
import xml.etree.ElementTree as ET
import zipfile

from rdlztest import RDLZ, RdlzTestCase

M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
EPOCH = datetime.datetime(1899, 12, 30)

# What the sheet calls the columns of the listings below.
HEADERS = {
    # list-deputies, show-deputy: the roster's own headers
    "code": "编号", "name": "姓名", "gender": "性别", "post": "职务", "unit": "单位", "delegation": "代表团",
    "grid": "负责网格", "station": "联络站", "phone": "联系电话", "email": "邮箱", "status": "状态",
    "id": "ID", "photo": "照片", "joined_at": "加入时间", "retired_at": "离任时间",
    # deputy-stats
    "deputies": "代表人数", "active": "有效", "retired": "离任", "female": "女性", "with_code": "有编号",
    "with_phone": "有电话", "with_email": "有邮箱",
    # list-events, show-event, event-stats
    "kind": "类型", "title": "标题", "starts_at": "开始时间", "ends_at": "结束时间", "place": "地点",
    "stream_url": "直播地址", "attendees": "出席人数", "comments": "评论数", "announce_at": "通知时间",
    "court": "法院", "case_summary": "案情摘要", "cancel_reason": "取消原因", "revision": "修订次数",
    "uid": "日历标识", "sessions": "场次", "person_times": "人次", "learning": "学习", "onsite": "现场",
    "online": "线上", "partial": "部分时段", "excused": "请假", "absent": "缺席", "online_minutes": "线上分钟数",
    "commenters": "评论人数", "hidden_comments": "隐藏评论数",
    # list-cases, case-stats
    "state": "状态", "deputy": "代表", "department": "承办部门", "category": "类别", "citizen": "群众姓名",
    "created_at": "创建时间", "due_at": "截止时间", "overdue": "逾期", "by": "统计维度", "value": "值",
    "cases": "案件数", "answered": "已答复", "median_hours": "答复用时中位数（小时）", "on_time_rate": "按时率",
    "satisfaction_rate": "满意率",
    # rank, with the categories of the default rules
    "rank": "名次", "meetings": "会议", "hearings": "庭审", "activities": "活动", "suggestions": "建议与办件",
    "surveys": "测评", "total": "总分", "index": "履职指数", "served_days": "在任天数",
    "delegation_percentile": "团内百分位",
    # list-audit, issue-qr
    "at": "时间", "actor": "操作人", "command": "命令", "change": "变更内容", "hash": "哈希值",
    "file": "文件", "key_id": "密钥编号", "url": "链接",
}


def display_width(text):
    """Terminal columns, a wide (CJK) character counting two, as dt_display_width does."""
    return sum(2 if 0x2E80 <= ord(ch) <= 0xA4CF or 0xAC00 <= ord(ch) <= 0xD7A3 or 0xFF00 <= ord(ch) <= 0xFF60
               else 0 if ord(ch) < 0x20 else 1 for ch in text)


def column_index(ref):
    """0-based column of a cell reference such as "AB12"."""
    n = 0
    for ch in re.match(r"[A-Z]+", ref).group(0):
        n = n * 26 + ord(ch) - 64
    return n - 1


class Cell:
    def __init__(self, kind, value, fmt, bold):
        self.kind = kind    # "s" text, "n" number, "b" boolean
        self.value = value  # str, float or bool
        self.fmt = fmt      # the number format's code ("General" when none)
        self.bold = bold

    def is_date(self):
        return self.kind == "n" and "yy" in self.fmt and "dd" in self.fmt

    def when(self):
        return EPOCH + datetime.timedelta(days=self.value)


class Workbook:
    """The first sheet of an .xlsx file, read with the standard library only."""

    BUILTIN_FORMATS = {0: "General", 14: "mm-dd-yy", 22: "m/d/yy h:mm"}

    def __init__(self, path):
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            shared = []
            if "xl/sharedStrings.xml" in names:
                for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(M + "si"):
                    shared.append("".join(t.text or "" for t in si.iter(M + "t")))
            sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
            styles = ET.fromstring(z.read("xl/styles.xml"))
            self.raw_sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
        codes = {int(n.get("numFmtId")): n.get("formatCode") for n in styles.iter(M + "numFmt")}
        fonts = [f.find(M + "b") is not None for f in styles.find(M + "fonts")]
        xfs = [(codes.get(int(x.get("numFmtId", "0")), self.BUILTIN_FORMATS.get(int(x.get("numFmtId", "0")), "?")),
                fonts[int(x.get("fontId", "0"))]) for x in styles.find(M + "cellXfs")]
        self.cells = {}
        self.types = {}
        for row in sheet.iter(M + "row"):
            for c in row.iter(M + "c"):
                ref, t = c.get("r"), c.get("t", "n")
                r, col = int(re.search(r"\d+", ref).group(0)) - 1, column_index(ref)
                fmt, bold = xfs[int(c.get("s", "0"))]
                if t == "s":
                    cell = Cell("s", shared[int(c.find(M + "v").text)], fmt, bold)
                elif t == "inlineStr":
                    cell = Cell("s", "".join(x.text or "" for x in c.iter(M + "t")), fmt, bold)
                elif t == "b":
                    cell = Cell("b", c.find(M + "v").text == "1", fmt, bold)
                elif t == "n":
                    cell = Cell("n", float(c.find(M + "v").text), fmt, bold)
                else:
                    raise AssertionError(f"cell {ref}: unexpected type {t!r}")
                self.cells[r, col] = cell
                self.types[r, col] = t
        self.nrows = max(r for r, _ in self.cells) + 1
        self.ncols = max(c for _, c in self.cells) + 1
        self.pane = sheet.find(f"{M}sheetViews/{M}sheetView/{M}pane")
        self.widths = {}
        for col in sheet.iter(M + "col"):
            for i in range(int(col.get("min")), int(col.get("max")) + 1):
                self.widths[i - 1] = float(col.get("width"))
        f = sheet.find(M + "autoFilter")
        self.autofilter = f.get("ref") if f is not None else None

    def header(self):
        return [self.cells[0, c].value for c in range(self.ncols)]

    def row(self, r):
        return [self.cells.get((r, c)) for c in range(self.ncols)]


def same_value(cell, text):
    """Whether a cell shows what the CSV field text does."""
    if text == "":
        return cell is None
    if cell is None:
        return False
    if cell.kind == "b":
        return text == ("true" if cell.value else "false")
    if cell.is_date():
        # the wall-clock time as written, the offset left out
        m = re.fullmatch(r"(\d{4}-\d\d-\d\d)(?:[T ](\d\d:\d\d)(?::(\d\d))?(Z|[+-]\d\d:\d\d)?)?", text)
        if not m:
            return False
        written = datetime.datetime.fromisoformat(m.group(1) + (" " + m.group(2) + ":" + (m.group(3) or "00")
                                                                if m.group(2) else ""))
        return abs((cell.when() - written).total_seconds()) < 0.5
    if cell.kind == "n":
        return float(text) == cell.value
    # CSV neutralises a formula-like text with an apostrophe; a sheet's text never runs
    return cell.value == text or ("'" + cell.value == text and cell.value[:1] in "=+-@\t\r")


class XlsxTest(RdlzTestCase):
    def setUp(self):
        super().setUp()
        self.init()
        self.ok("import-deputies", self.roster(40))

    def xlsx(self, *args, unmask=False):
        """Run a listing with --format xlsx --out and read the workbook."""
        path = os.path.join(self.dir, "out.xlsx")
        self.ok(*args, "--format", "xlsx", "--out", path, *(("--unmask",) if unmask else ()))
        return Workbook(path), path

    def assert_same_as_csv(self, *args, unmask=False):
        """The workbook of a listing holds the CSV's rows, under Chinese headers; returns both."""
        book, _ = self.xlsx(*args, unmask=unmask)
        rows = list(csv.reader(io.StringIO(self.ok(*args, "--format", "csv", *(("--unmask",) if unmask else ())).out,
                                           newline="")))
        names = rows[0]
        self.assertEqual(book.ncols, len(names), args)
        self.assertEqual(book.nrows, len(rows), args)
        for c, name in enumerate(names):
            self.assertEqual(book.header()[c], HEADERS[name], (args, name))
            self.assertTrue(book.cells[0, c].bold, (args, name))
        for r in range(1, len(rows)):
            for c, cell in enumerate(book.row(r)):
                self.assertTrue(same_value(cell, rows[r][c]),
                                f"{args} row {r} column {names[c]}: CSV {rows[r][c]!r}, sheet "
                                f"{None if cell is None else (cell.kind, cell.value, cell.fmt)}")
        # the header stays in view, and can filter
        self.assertIsNotNone(book.pane, args)
        self.assertEqual((book.pane.get("ySplit"), book.pane.get("state"), book.pane.get("topLeftCell")),
                         ("1", "frozen", "A2"), args)
        last = chr(ord("A") + len(names) - 1) if len(names) <= 26 else None
        if last:
            self.assertEqual(book.autofilter, f"A1:{last}{len(rows)}", args)
        return book, rows

    def test_roster_headers_values_widths(self):
        book, rows = self.assert_same_as_csv("list-deputies")
        self.assertEqual(book.header(), ["编号", "姓名", "性别", "职务", "单位", "代表团", "负责网格", "联络站",
                                         "联系电话", "邮箱", "状态"])
        self.assertEqual(book.nrows, 41)
        # text stays text: no cell of the roster is a number, a code or a phone least of all
        self.assertEqual({c.kind for c in book.cells.values()}, {"s"})
        phones = [book.cells[r, 8].value for r in range(1, 41) if (r, 8) in book.cells]
        self.assertTrue(phones)
        for p in phones:
            self.assertRegex(p, r"^\d{3}\*{4}\d{4}$")
        # every column is at least as wide as what it holds (a CJK character is two), at most 60
        for c in range(book.ncols):
            widest = max(display_width(str(book.cells[r, c].value)) + (2 if r == 0 else 0)
                         for r in range(book.nrows) if (r, c) in book.cells)
            self.assertGreaterEqual(book.widths[c], min(widest, 60), c)
            self.assertLessEqual(book.widths[c], 61, c)
        self.assertGreater(book.widths[4], book.widths[2])  # work units are long, genders short
        # and grows with its content
        unit = "日照市东港区石臼街道办事处社区居民委员会综合服务中心"
        self.ok("add-deputy", "--name", "周八", "--unit", unit)
        wider, _ = self.xlsx("list-deputies")
        self.assertEqual(wider.cells[41, 4].value, unit)
        self.assertAlmostEqual(wider.widths[4], display_width(unit) + 1, delta=1)
        self.assertGreater(wider.widths[4], book.widths[4])
        self.assertEqual(wider.widths[2], book.widths[2])
        self.assertEqual(stat.S_IMODE(os.stat(os.path.join(self.dir, "out.xlsx")).st_mode), 0o644)

    def test_unmask(self):
        book, rows = self.assert_same_as_csv("list-deputies", unmask=True)
        phones = [book.cells[r, 8].value for r in range(1, 41) if (r, 8) in book.cells]
        self.assertTrue(phones)
        for p in phones:
            self.assertRegex(p, r"^1\d{10}$")
        # personal data in clear: a private file, and the audit log says so
        self.assertEqual(stat.S_IMODE(os.stat(os.path.join(self.dir, "out.xlsx")).st_mode), 0o600)
        changes = [a["change"] for a in self.ok("list-audit", "--format", "json").json()]
        self.assertTrue(any("deputy list" in c for c in changes), changes)

    def test_numbers_booleans_and_dates(self):
        ev = self.ok("create-event", "--kind", "meeting", "--title", "常委会会议", "--starts", "2026-11-10 09:00",
                     "--ends", "2026-11-10 11:00").out.strip()
        for code, mode in (("RZ0001", "onsite"), ("RZ0002", "online"), ("RZ0003", "absent")):
            self.ok("record-attendance", ev, "--deputy", code, "--mode", mode)
        for i in range(3):
            self.ok("post-comment", ev, "--deputy", "RZ0001", "--text", f"意见{i}")
        self.ok("add-department", "--code", "ZJJ", "--name", "住建局", "--email", "zjj@example.cn")
        self.ok("set-route", "道路", "ZJJ")
        self.ok("file-suggestion", "--deputy", "RZ0002", "--title", "人行道破损", "--text", "某路段人行道破损",
                "--category", "道路")
        self.ok("submit-request", "--deputy", "RZ0001", "--text", "路灯坏了", "--citizen", "王小明",
                "--phone", "13900001111")

        stats, _ = self.assert_same_as_csv("deputy-stats")
        self.assertEqual(stats.header()[:2], ["代表团", "代表人数"])
        for r in range(1, stats.nrows):
            self.assertEqual(stats.cells[r, 1].kind, "n")
            self.assertEqual(stats.types[r, 1], "n")  # a number cell, not text (t="s" or inlineStr)

        events, _ = self.assert_same_as_csv("list-events")
        starts = events.header().index("开始时间")
        cell = events.cells[1, starts]
        self.assertTrue(cell.is_date(), cell.fmt)
        self.assertEqual(cell.fmt, "yyyy-mm-dd hh:mm:ss")
        self.assertEqual(cell.when(), datetime.datetime(2026, 11, 10, 9, 0))
        self.assertEqual(events.cells[1, events.header().index("ID")].value, 1.0)

        self.assert_same_as_csv("event-stats", "--year", "2026")
        self.assert_same_as_csv("event-stats", ev)

        cases, rows = self.assert_same_as_csv("list-cases")
        h = cases.header()
        self.assertEqual(h[:3], ["ID", "类型", "状态"])
        created = [cases.cells[r, h.index("创建时间")] for r in range(1, cases.nrows)]
        self.assertTrue(all(c.is_date() for c in created))
        overdue = [cases.cells[r, h.index("逾期")] for r in range(1, cases.nrows)]
        self.assertEqual({c.kind for c in overdue}, {"b"})
        request = [r for r in range(1, cases.nrows) if cases.cells[r, h.index("类型")].value == "request"][0]
        self.assertEqual(cases.cells[request, h.index("群众姓名")].value, "王**")
        self.assertEqual(cases.cells[request, h.index("联系电话")].value, "139****1111")
        self.assertNotIn("13900001111", cases.raw_sheet)
        clear, _ = self.assert_same_as_csv("list-cases", unmask=True)
        self.assertEqual(clear.cells[request, h.index("联系电话")].value, "13900001111")
        self.assertEqual(clear.cells[request, h.index("群众姓名")].value, "王小明")

        self.assert_same_as_csv("case-stats")
        rank, _ = self.assert_same_as_csv("rank", "--period", "2026-11")
        h = rank.header()
        self.assertEqual(h[:4], ["名次", "编号", "姓名", "代表团"])
        self.assertEqual(rank.cells[1, 0].value, 1.0)
        self.assertEqual({rank.types[r, c] for r in range(1, rank.nrows) for c in (0, h.index("总分"))}, {"n"})
        self.assertEqual(rank.cells[1, h.index("履职指数")].value, 100.0)
        self.assertEqual({rank.cells[r, h.index("部分时段")].kind for r in range(1, rank.nrows)}, {"b"})
        # a record is a sheet of one row
        self.assert_same_as_csv("show-event", ev)
        self.assert_same_as_csv("show-deputy", "RZ0001")

    def test_redirected_standard_output(self):
        path = os.path.join(self.dir, "redirected.xlsx")
        with open(path, "wb") as f:
            r = subprocess.run([RDLZ, "list-deputies", "--format", "xlsx"], stdout=f, stderr=subprocess.PIPE,
                               env=self.env, cwd=self.dir, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        book, _ = self.xlsx("list-deputies")
        redirected = Workbook(path)
        self.assertEqual({k: (c.kind, c.value) for k, c in redirected.cells.items()},
                         {k: (c.kind, c.value) for k, c in book.cells.items()})

    def on_terminal(self, *args):
        """Run rdlz with standard output on a pseudo-terminal; (exit code, stderr, what reached the terminal)."""
        master, slave = pty.openpty()
        try:
            r = subprocess.run([RDLZ, *args], stdout=slave, stderr=subprocess.PIPE, env=self.env, cwd=self.dir,
                               timeout=60)
            os.close(slave)
            slave = -1
            shown = b""
            try:
                while True:
                    chunk = os.read(master, 4096)
                    if not chunk:
                        break
                    shown += chunk
            except OSError:
                pass
        finally:
            if slave >= 0:
                os.close(slave)
            os.close(master)
        return r.returncode, r.stderr.decode("utf-8"), shown

    def test_terminal_is_refused(self):
        before = self.db_digest()
        code, err, shown = self.on_terminal("list-deputies", "--format", "xlsx")
        self.assertEqual(code, 2, err)
        self.assertIn("--out FILE", err)
        self.assertEqual(shown, b"")
        self.assertEqual(self.db_digest(), before)
        # another format on a terminal is fine
        code, err, shown = self.on_terminal("deputy-stats", "--format", "csv")
        self.assertEqual(code, 0, err)
        self.assertIn("delegation".encode(), shown)

    def test_out_replaces_only_on_success(self):
        path = os.path.join(self.dir, "roster.xlsx")
        # any format goes to --out
        self.ok("list-deputies", "--format", "csv", "--out", path)
        with open(path, encoding="utf-8", newline="") as f:
            self.assertEqual(f.read(), self.ok("list-deputies", "--format", "csv").out)
        self.assertEqual(self.ok("list-deputies", "--out", path).out, "")
        kept = self.read(path)
        files = sorted(os.listdir(self.dir))
        # a command that fails leaves the old file as it was and nothing beside it
        r = self.run_rdlz("show-deputy", "RZ9999", "--format", "xlsx", "--out", path)
        self.assertNotEqual(r.code, 0)
        self.assertEqual(self.read(path), kept)
        self.assertEqual(sorted(os.listdir(self.dir)), files)
        # and a new file is not made at all
        fresh = os.path.join(self.dir, "fresh.xlsx")
        r = self.run_rdlz("rank", "--period", "2026-13", "--format", "xlsx", "--out", fresh)
        self.assertEqual(r.code, 2, r.err)
        self.assertFalse(os.path.exists(fresh))
        self.assertEqual(sorted(os.listdir(self.dir)), files)
        r = self.run_rdlz("report", "--period", "2026-11", "--html", os.path.join(self.dir, "r.html"),
                          "--out", fresh)
        self.assertEqual(r.code, 2)
        self.assertIn("--out applies to the listing", r.err)
        self.assertFalse(os.path.exists(fresh))

    def test_bad_out(self):
        before = self.db_digest()
        r = self.run_rdlz("list-deputies", "--format", "xlsx", "--out", "/nonexistent/dir/roster.xlsx")
        self.assertEqual(r.code, 1)
        self.assertIn("cannot write '/nonexistent/dir/roster.xlsx': No such file or directory", r.err)
        r = self.run_rdlz("list-deputies", "--format", "xlsx", "--out", self.dir)
        self.assertEqual(r.code, 1)
        self.assertIn("is a directory", r.err)
        # the output is set up before anything is changed or audited
        self.run_rdlz("list-deputies", "--unmask", "--out", "/nonexistent/dir/roster.xlsx", expect=1)
        self.assertEqual(self.db_digest(), before)

    def test_no_room_for_the_workbook(self):
        path = os.path.join(self.dir, "roster.xlsx")
        r = self.run_rdlz("list-deputies", "--format", "xlsx", "--out", path, env={"TMPDIR": "/nonexistent/tmp"})
        self.assertEqual(r.code, 1)
        self.assertIn("xlsx: cannot make a temporary file in '/nonexistent/tmp'", r.err)
        self.assertFalse(os.path.exists(path))

    def test_command_with_its_own_out(self):
        """issue-qr keeps --out DIR: the shared --out FILE is not offered, and
        its listing goes to standard output (a workbook only off a terminal)."""
        help_text = self.ok("issue-qr", "--help").out
        self.assertEqual(len(re.findall(r"--out\b", help_text)), 1)
        self.assertIn("-o, --out DIR", help_text)
        self.assertIn("--out FILE", self.ok("list-deputies", "--help").out)
        self.ok("set-config", "qr.base_url", "https://rd.example.cn")
        codes = os.path.join(self.dir, "codes")
        os.mkdir(codes)
        listing = os.path.join(self.dir, "issued.xlsx")
        with open(listing, "wb") as f:
            r = subprocess.run([RDLZ, "issue-qr", "RZ0001", "RZ0002", "--out", codes, "--format", "xlsx"],
                               stdout=f, stderr=subprocess.PIPE, env=self.env, cwd=self.dir, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(sorted(os.listdir(codes)), ["RZ0001.png", "RZ0002.png"])
        book = Workbook(listing)
        self.assertEqual(book.header()[:2], ["编号", "文件"])
        self.assertEqual([book.cells[r, 0].value for r in (1, 2)], ["RZ0001", "RZ0002"])
        code, err, _ = self.on_terminal("issue-qr", "RZ0003", "--out", codes, "--format", "xlsx")
        self.assertEqual(code, 2)
        self.assertIn("redirect", err)
        self.assertNotIn("RZ0003.png", os.listdir(codes))

    def test_a_reader_opens_it(self):
        try:
            import openpyxl  # the Debian python has it; the checks above need nothing but the standard library
        except ImportError:
            self.skipTest("openpyxl is not installed")
        _, path = self.xlsx("list-audit")
        ws = openpyxl.load_workbook(path).active
        rows = list(ws.iter_rows(values_only=True))
        self.assertEqual(rows[0][:3], ("ID", "时间", "操作人"))
        self.assertIsInstance(rows[1][0], int)
        self.assertIsInstance(rows[1][1], datetime.datetime)
        self.assertEqual(ws.freeze_panes, "A2")


if __name__ == "__main__":
    unittest.main()
