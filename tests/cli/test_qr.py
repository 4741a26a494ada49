"""End-to-end tests of personal QR codes: every code issued for a 340-deputy
roster is read back by a real decoder (zbarimg; SVG rasterised by
rsvg-convert first) and the URL it holds verifies."""
import os
import shutil
import subprocess
import unittest

from rdlztest import RdlzTestCase

BASE = "https://rd.rizhao.example.cn/lz"


def decode(paths):
    """The text of each image, read by zbarimg, in order."""
    out = []
    for p in paths:
        r = subprocess.run(["zbarimg", "--quiet", "--raw", p], capture_output=True)
        out.append(r.stdout.decode().strip() if r.returncode == 0 else None)
    return out


@unittest.skipUnless(shutil.which("zbarimg") and shutil.which("rsvg-convert"),
                     "needs zbarimg (zbar-tools) and rsvg-convert (librsvg2-bin)")
class IssueTest(RdlzTestCase):
    def setUp(self):
        super().setUp()
        self.init()
        self.ok("import-deputies", self.roster(340))
        self.ok("set-config", "qr.base_url", BASE)
        self.out = os.path.join(self.dir, "codes")
        os.mkdir(self.out)

    def issued(self, *args):
        rows = self.ok("issue-qr", "--all", "--out", self.out, "--format", "json", *args).json()
        self.assertEqual(len(rows), 340)
        return rows

    def check_decodes_and_verifies(self, rows, paths):
        urls = decode(paths)
        self.assertEqual(urls, [r["url"] for r in rows])
        for u in urls:
            self.assertTrue(u.startswith(BASE + "/d/RZ"), u)
        # every decoded URL verifies, each as the deputy whose file it is
        for row, u in zip(rows, urls):
            card = self.ok("verify-qr", u, "--format", "json").json()
            self.assertEqual(card["code"], row["code"])

    def test_png_for_every_deputy_decodes_to_a_verifying_url(self):
        rows = self.issued()
        self.assertEqual(rows[0]["file"], os.path.join(self.out, "RZ0001.png"))
        self.check_decodes_and_verifies(rows, [r["file"] for r in rows])
        listed = self.ok("list-qr", "--format", "json").json()
        self.assertEqual(len(listed), 340)
        self.assertEqual({r["key_id"] for r in listed}, {"k1"})

    def test_svg_for_every_deputy_decodes_after_rasterising(self):
        rows = self.issued("--type", "svg", "--size", "330")
        pngs = []
        for r in rows:
            png = r["file"][:-4] + ".from-svg.png"
            subprocess.run(["rsvg-convert", "-o", png, r["file"]], check=True)
            pngs.append(png)
        self.check_decodes_and_verifies(rows, pngs)

    def test_poster_decodes_and_names_the_deputy(self):
        rows = self.ok("issue-qr", "RZ0007", "--type", "poster", "--out", self.out, "--format",
                       "json").json()
        png = os.path.join(self.dir, "poster.png")
        subprocess.run(["rsvg-convert", "--dpi-x", "150", "--dpi-y", "150", "-o", png, rows[0]["file"]],
                       check=True)
        self.assertEqual(decode([png]), [rows[0]["url"]])
        svg = self.read(rows[0]["file"]).decode("utf-8")
        d = self.ok("show-deputy", "RZ0007", "--unmask", "--format", "json").json()
        for field in ("name", "phone", "delegation", "station"):
            self.assertIn(d[field], svg)

    def test_files_are_replaced_whole(self):
        self.ok("issue-qr", "RZ0001", "--out", self.out)
        first = self.read(os.path.join(self.out, "RZ0001.png"))
        self.ok("rotate-qr-key")
        self.ok("issue-qr", "RZ0001", "--out", self.out)
        self.assertNotEqual(self.read(os.path.join(self.out, "RZ0001.png")), first)
        self.assertEqual(os.listdir(self.out), ["RZ0001.png"])


class VerifyTest(RdlzTestCase):
    def setUp(self):
        super().setUp()
        self.init()
        self.ok("import-deputies", self.roster(5))
        self.ok("set-config", "qr.base_url", BASE)
        out = os.path.join(self.dir, "c")
        os.mkdir(out)
        rows = self.ok("issue-qr", "--all", "--out", out, "--format", "json").json()
        self.url = rows[0]["url"]

    def refused(self, text, reason):
        r = self.run_rdlz("verify-qr", text, expect=1)
        self.assertIn(reason, r.err)

    def test_genuine_from_stdin(self):
        card = self.ok("verify-qr", "-", "--format", "json", stdin=self.url + "\n").json()
        self.assertEqual(card["code"], "RZ0001")
        self.assertIn("****", card["phone"])

    def test_tampered_code_signature_key_and_truncation(self):
        self.refused(self.url.replace("RZ0001", "RZ0002"), "does not match")
        sig = self.url.rsplit(".", 1)
        self.refused(sig[0] + "." + ("A" if sig[1][0] != "A" else "B") + sig[1][1:], "does not match")
        self.refused(self.url.replace("?s=k1.", "?s=k9."), "unknown key")
        for cut in (1, 5, 17, len(self.url) - len(BASE)):
            self.refused(self.url[:-cut], "not a genuine rdlz code")
        self.refused(self.url.replace("rd.rizhao.example.cn", "rd.rizhao.example.cn.phish.test"),
                     "foreign address")
        self.refused("https://evil.test/d/RZ0001?s=k1.AAAAAAAAAAAAAAAA", "foreign address")

    def test_revoked_and_retired(self):
        self.ok("rotate-qr-key", "--revoke-old")
        self.refused(self.url, "revoked")
        out = os.path.join(self.dir, "c")
        url = self.ok("issue-qr", "RZ0002", "--out", out, "--format", "json").json()[0]["url"]
        self.ok("verify-qr", url)
        self.ok("retire-deputy", "RZ0002")
        self.refused(url, "no longer serving")

    def test_bad_arguments_leave_no_file(self):
        out = os.path.join(self.dir, "empty")
        os.mkdir(out)
        r = self.run_rdlz("issue-qr", "RZ0404", "--out", out, expect=1)
        self.assertIn("no deputy with code 'RZ0404'", r.err)
        r = self.run_rdlz("issue-qr", "RZ0001", "RZ0404", "--out", out, expect=1)
        self.assertEqual(os.listdir(out), [])
        r = self.run_rdlz("issue-qr", "--all", "--out", os.path.join(self.dir, "nope"), expect=2)
        self.assertIn("cannot write to", r.err)
        r = self.run_rdlz("issue-qr", "--all", "--out", out, "--size", "0", expect=2)
        r = self.run_rdlz("issue-qr", "--all", "--out", out, "--size", "20", expect=2)
        self.assertIn("too small", r.err)
        self.run_rdlz("issue-qr", "--out", out, expect=2)
        self.assertEqual(os.listdir(out), [])
        if os.geteuid() != 0:
            os.chmod(out, 0o500)
            self.run_rdlz("issue-qr", "--all", "--out", out, expect=2)

    def test_utf8_draws_on_the_terminal(self):
        r = self.ok("issue-qr", "RZ0003", "--type", "utf8")
        self.assertIn("\u2588", r.out)
        self.assertGreater(len(r.out.splitlines()), 15)

    def test_no_base_url(self):
        self.ok("init", env={"RDLZ_DB": os.path.join(self.dir, "x.db")})
        self.ok("add-deputy", "--name", "甲", env={"RDLZ_DB": os.path.join(self.dir, "x.db")})
        r = self.run_rdlz("issue-qr", "--all", "--out", self.dir, env={"RDLZ_DB": os.path.join(self.dir, "x.db")},
                          expect=2)
        self.assertIn("qr.base_url", r.err)


if __name__ == "__main__":
    unittest.main()
