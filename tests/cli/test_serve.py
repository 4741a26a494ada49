"""End-to-end tests of rdlz serve: the server started on a free loopback
port, driven with curl (and a raw socket for a slow upload, headless Chromium
for the page as a browser reads it, ab for a bounded load): genuine, forged,
revoked and retired codes, a submission into the case loop, the public
status page, every refusal, escaping, the access log, a clean stop."""
import html
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import unittest
import urllib.parse

from browser import Browser
from rdlztest import RDLZ, RdlzTestCase

ROSTER = ("code,name,post,delegation,station,phone,email\n"
          "RZ0001,张三,村党支部书记,东港区代表团,秦楼站,13712340743,zhang@example.cn\n"
          "RZ0002,李四<script>alert(1)</script>,教师,岚山区代表团,岚山站,13800001111,li@example.cn\n"
          "RZ0003,王五,医生,东港区代表团,秦楼站,13800002222,wang@example.cn\n")
CITIZEN_PHONE = "13911112222"
CITIZEN_NAME = "赵小明"


class ServeTest(RdlzTestCase):

    def setUp(self):
        super().setUp()
        self.init()
        self.ok("import-deputies", "-", stdin=ROSTER)
        self.ok("set-config", "qr.base_url", "https://rd.example.cn")
        self.urls = {}
        out = os.path.join(self.dir, "q")
        os.mkdir(out)
        for row in self.ok("issue-qr", "--all", "--out", out, "--format", "json").json():
            self.urls[row["code"]] = row["url"]
        self.proc = None
        self.log = os.path.join(self.dir, "access.log")

    def tearDown(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        if self.proc:
            self.proc.stderr.close()
        super().tearDown()

    def start(self, *extra):
        self.proc = subprocess.Popen([RDLZ, "serve", "--listen", "127.0.0.1:0", "--threads", "2",
                                      "--access-log", self.log, *extra],
                                     env=self.env, cwd=self.dir, stderr=subprocess.PIPE)
        line = self.proc.stderr.readline().decode("utf-8")
        m = re.match(r"rdlz: serving on http://127\.0\.0\.1:(\d+)$", line.strip())
        self.assertIsNotNone(m, f"no address printed: {line!r}")
        self.port = int(m.group(1))
        self.assertNotEqual(self.port, 0)
        self.base = f"http://127.0.0.1:{self.port}"

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        rest = self.proc.stderr.read().decode("utf-8")
        self.proc.stderr.close()
        self.assertEqual(self.proc.wait(timeout=60), 0, rest)
        self.proc = None
        return rest

    def curl(self, path, *args):
        """(status, body) of one request."""
        p = subprocess.run(["curl", "-s", "-S", "--max-time", "30", "-o", "-", "-w", "\n%{http_code}", *args,
                            self.base + path], capture_output=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        body, _, code = p.stdout.rpartition(b"\n")
        return int(code), body.decode("utf-8")

    def path_of(self, code):
        return self.urls[code][len("https://rd.example.cn"):]

    def token(self, page):
        m = re.search(r'name="csrf" value="([^"]*)"', page)
        self.assertIsNotNone(m, "the form has its token")
        return html.unescape(m.group(1))

    def form(self, code):
        status, page = self.curl(self.path_of(code))
        self.assertEqual(status, 200)
        return self.urls[code].split("?s=")[1], self.token(page)

    def submit(self, code, text="小区路灯坏了", extra=()):
        sig, tok = self.form(code)
        return self.curl("/d/" + code, "-F", "s=" + sig, "-F", "csrf=" + tok, "-F", "text=" + text,
                         "-F", "name=" + CITIZEN_NAME, "-F", "phone=" + CITIZEN_PHONE, "-F", "place=秦楼街道", *extra)

    def requests(self):
        return [c for c in self.ok("list-cases", "--kind", "request", "--format", "json").json()]

    # ------------------------------------------------------------------

    def test_genuine_card_and_form(self):
        self.start()
        status, page = self.curl(self.path_of("RZ0001"))
        self.assertEqual(status, 200)
        for s in ("张三", "村党支部书记", "东港区代表团", "秦楼站", "13712340743", "<form", 'name="viewport"'):
            self.assertIn(s, page)
        self.assertNotIn("<script", page)
        status, health = self.curl("/healthz")
        self.assertEqual((status, health), (200, "ok\n"))
        self.stop()

    def test_ipv6_loopback_and_bad_listen_addresses(self):
        try:
            socket.socket(socket.AF_INET6).close()
        except OSError:
            self.skipTest("no IPv6 on this machine")
        proc = subprocess.Popen([RDLZ, "serve", "--listen", "[::1]:0", "--threads", "1"], env=self.env, cwd=self.dir,
                                stderr=subprocess.PIPE)
        try:
            line = proc.stderr.readline().decode("utf-8").strip()
            m = re.match(r"rdlz: serving on http://\[::1\]:(\d+)$", line)
            self.assertIsNotNone(m, line)
            p = subprocess.run(["curl", "-g", "-s", "--max-time", "30", f"http://[::1]:{m.group(1)}/healthz"],
                               capture_output=True, timeout=60)
            self.assertEqual(p.stdout, b"ok\n")
        finally:
            proc.send_signal(signal.SIGTERM)
            self.assertEqual(proc.wait(timeout=60), 0)
            proc.stderr.close()
        for bad in ("127.0.0.1", "localhost:8080", "127.0.0.1:65536", "[::1]8080", "1.2.3.4.5:80"):
            with self.subTest(listen=bad):
                r = self.run_rdlz("serve", "--listen", bad)
                self.assertEqual(r.code, 2, r.err)
                self.assertIn(f"--listen '{bad}'", r.err)

    def test_forged_404_revoked_and_retired_410(self):
        self.start()
        forged = self.path_of("RZ0001").replace("RZ0001", "RZ0003")
        status, page = self.curl(forged)
        self.assertEqual(status, 404)
        self.assertNotIn("<form", page)
        self.assertIn("二维码无法验证", page)
        status, _ = self.curl("/d/RZ0001?s=k1.AAAAAAAAAAAAAAAA")
        self.assertEqual(status, 404)
        self.ok("retire-deputy", "RZ0003")
        status, page = self.curl(self.path_of("RZ0003"))
        self.assertEqual(status, 410)
        self.assertNotIn("<form", page)
        self.ok("rotate-qr-key", "--revoke-old")
        status, page = self.curl(self.path_of("RZ0001"))
        self.assertEqual(status, 410)
        self.assertNotIn("<form", page)
        self.assertEqual(self.curl("/t/nosuchnumber")[0], 404)
        self.assertEqual(self.curl("/nowhere")[0], 404)
        self.stop()

    def test_submit_tracking_outbox_and_private_status(self):
        self.start()
        status, page = self.submit("RZ0001")
        self.assertEqual(status, 201, page)
        m = re.search(r'href="\.\./t/([A-Za-z0-9_-]+)"', page)
        self.assertIsNotNone(m)
        tracking = m.group(1)
        cases = self.requests()
        self.assertEqual(len(cases), 1)
        cid = cases[0]["id"]
        shown = self.ok("show-case", str(cid), "--format", "json").json()
        self.assertEqual((shown["tracking"], shown["channel"], shown["state"]), (tracking, "qr", "submitted"))
        keys = [m["key"] for m in self.ok("list-outbox", "--format", "json").json()]
        self.assertEqual(keys.count(f"case-submitted:{cid}"), 1)
        status, page = self.curl("/t/" + tracking)
        self.assertEqual(status, 200)
        self.assertIn("已提交", page)
        self.assertNotIn(CITIZEN_PHONE, page)
        self.assertNotIn(CITIZEN_NAME, page)
        # the deputy's feedback appears, still without personal data
        self.ok("take-request", str(cid), "--deputy", "RZ0001")
        self.ok("resolve-case", str(cid), "--text", "路灯已修好")
        status, page = self.curl("/t/" + tracking)
        self.assertIn("路灯已修好", page)
        self.assertNotIn(CITIZEN_PHONE, page)
        self.stop()
        log = self.read(self.log).decode("utf-8")
        self.assertIn('"POST /d/RZ0001 HTTP/1.1" 201', log)
        self.assertNotIn(CITIZEN_PHONE, log)
        self.assertNotIn(CITIZEN_NAME, log)
        self.assertNotIn("?s=", log)

    def test_photo_accepted_by_content(self):
        self.start()
        png = self.write("p.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
        status, page = self.submit("RZ0001", extra=("-F", "photo=@" + png + ";type=image/png"))
        self.assertEqual(status, 201, page)
        cid = self.requests()[0]["id"]
        self.assertEqual(self.ok("show-case", str(cid), "--format", "json").json()["photos"], 1)
        fake = self.write("p.jpg", b"not an image at all")
        status, page = self.submit("RZ0001", extra=("-F", "photo=@" + fake + ";type=image/jpeg"))
        self.assertEqual(status, 400)
        self.assertIn("照片", page)
        self.assertEqual(len(self.requests()), 1)
        self.stop()

    def test_refusals(self):
        self.ok("set-config", "serve.max_body_bytes", "8192")
        self.ok("set-config", "serve.submissions_per_hour", "2")
        self.start()
        sig, tok = self.form("RZ0001")
        # 413: too large, refused at its headers
        big = self.write("big.bin", b"\xff\xd8\xff" + b"x" * 20000)
        status, page = self.curl("/d/RZ0001", "-F", "s=" + sig, "-F", "csrf=" + tok, "-F", "text=x",
                                 "-F", "photo=@" + big)
        self.assertEqual(status, 413)
        self.assertIn("内容太大", page)
        # 413 too when the size is not announced: a chunked body over the limit
        status, page = self.curl("/d/RZ0001", "-H", "Transfer-Encoding: chunked", "-H",
                                 "Content-Type: application/x-www-form-urlencoded", "--data-binary",
                                 "s=" + sig + "&csrf=" + urllib.parse.quote(tok) + "&text=" + "x" * 20000)
        self.assertEqual(status, 413)
        self.assertIn("内容太大", page)
        # 400: malformed multipart, bad escapes, not UTF-8
        status, page = self.curl("/d/RZ0001", "-H", "Content-Type: multipart/form-data; boundary=QQ",
                                 "--data-binary", "--QQ\r\nbroken")
        self.assertEqual(status, 400)
        self.assertIn("表单", page)
        status, _ = self.curl("/d/RZ0001", "--data-binary", "text=%ZZ")
        self.assertEqual(status, 400)
        status, page = self.curl("/d/RZ0001", "--data-binary",
                                 f"s={sig}&csrf={urllib.parse.quote(tok)}&text=%C3%28bad")
        self.assertEqual(status, 400)
        self.assertIn("UTF-8", page)
        # 403: no token, a token of another deputy, an altered one
        status, page = self.curl("/d/RZ0001", "--data-binary", f"s={sig}&text=x")
        self.assertEqual(status, 403)
        _, tok3 = self.form("RZ0003")
        status, _ = self.curl("/d/RZ0001", "--data-binary", f"s={sig}&csrf={urllib.parse.quote(tok3)}&text=x")
        self.assertEqual(status, 403)
        self.assertEqual(self.requests(), [])
        # 429: the third submission within the hour
        self.assertEqual(self.submit("RZ0001")[0], 201)
        self.assertEqual(self.submit("RZ0001")[0], 201)
        status, page = self.submit("RZ0001")
        self.assertEqual(status, 429)
        self.assertIn("频繁", page)
        self.assertEqual(len(self.requests()), 2)
        self.stop()

    def test_form_token_survives_a_restart_not_a_key_rotation(self):
        self.start()
        sig, tok = self.form("RZ0002")
        self.stop()
        self.start()
        status, page = self.curl("/d/RZ0002", "-F", "s=" + sig, "-F", "csrf=" + tok, "-F", "text=路灯坏了")
        self.assertEqual(status, 201, page)
        self.stop()
        self.ok("rotate-qr-key")
        self.start()
        _, tok2 = self.form("RZ0002")
        status, _ = self.curl("/d/RZ0002", "-F", "s=" + sig, "-F", "csrf=" + tok, "-F", "text=路灯坏了")
        self.assertEqual(status, 403)
        self.assertNotEqual(tok, tok2)
        self.assertEqual(len(self.requests()), 1)
        self.stop()

    def test_trusted_proxy_address(self):
        self.ok("set-config", "serve.submissions_per_hour", "1")
        self.assertNotEqual(self.run_rdlz("set-config", "serve.trusted_proxy", "not-an-ip").code, 0)
        self.start()
        # not trusted: the header is ignored, so the limit is the peer's
        self.assertEqual(self.submit("RZ0001", extra=("-H", "X-Forwarded-For: 203.0.113.7"))[0], 201)
        self.assertEqual(self.submit("RZ0001", extra=("-H", "X-Forwarded-For: 203.0.113.8"))[0], 429)
        self.stop()
        self.ok("set-config", "serve.trusted_proxy", "127.0.0.1 ::1")
        self.start()
        self.assertEqual(self.submit("RZ0001", extra=("-H", "X-Forwarded-For: 198.51.100.1, 203.0.113.9"))[0], 201)
        self.assertEqual(self.submit("RZ0001", extra=("-H", "X-Real-IP: 203.0.113.10"))[0], 201)
        self.stop()
        log = self.read(self.log).decode("utf-8")
        self.assertRegex(log, r'(?m)^203\.0\.113\.9 - - \[.*"POST /d/RZ0001 HTTP/1\.1" 201')
        self.assertRegex(log, r'(?m)^203\.0\.113\.10 - - ')
        self.assertNotRegex(log, r"(?m)^203\.0\.113\.7 ")

    @unittest.skipUnless(shutil.which("nginx") and shutil.which("openssl"), "nginx-light (scripts/bootstrap)")
    def test_behind_the_contrib_nginx(self):
        """contrib/nginx/rdlz-serve.conf as shipped, with only its ports,
        certificate and log paths changed, in front of rdlz serve: TLS, the
        card and a submission through it, the address nginx adds believed and
        the one a client forges not, the plain-HTTP redirect."""
        self.ok("set-config", "serve.trusted_proxy", "127.0.0.1")
        self.start()
        d = self.dir
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                        "/CN=rd.example.cn", "-keyout", f"{d}/key.pem", "-out", f"{d}/cert.pem"],
                       check=True, capture_output=True, timeout=60)
        ports = []
        for _ in range(2):
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                ports.append(probe.getsockname()[1])
        tls, plain = ports
        with open(os.path.join(os.path.dirname(__file__), "..", "..", "contrib", "nginx", "rdlz-serve.conf"),
                  encoding="utf-8") as f:
            site = f.read()
        for old, new in ((r"server 127\.0\.0\.1:8080;", f"server 127.0.0.1:{self.port};"),
                         (r"listen 443 ssl http2;", f"listen 127.0.0.1:{tls} ssl http2;"),
                         (r"listen 80;", f"listen 127.0.0.1:{plain};"),
                         (r"(?m)^ *listen \[::\].*\n", ""),
                         (r"ssl_certificate +\S+;", f"ssl_certificate {d}/cert.pem;"),
                         (r"ssl_certificate_key +\S+;", f"ssl_certificate_key {d}/key.pem;"),
                         (r"access_log +\S+", f"access_log {d}/nginx-access.log")):
            site, n = re.subn(old, new, site)
            self.assertEqual(n, 1 if "::" not in old else 2, old)
        self.write("site.conf", site)
        self.write("nginx.conf", f"""daemon off; master_process off; pid {d}/nginx.pid;
error_log {d}/nginx-error.log;
events {{ worker_connections 64; }}
http {{
  client_body_temp_path {d}/nb; proxy_temp_path {d}/np; fastcgi_temp_path {d}/nf;
  uwsgi_temp_path {d}/nu; scgi_temp_path {d}/ns;
  include {d}/site.conf;
}}
""")
        test = subprocess.run(["nginx", "-t", "-p", d, "-c", f"{d}/nginx.conf"], capture_output=True, timeout=60)
        self.assertEqual(test.returncode, 0, test.stderr)
        nginx = subprocess.Popen(["nginx", "-p", d, "-c", f"{d}/nginx.conf"], stderr=subprocess.PIPE)
        try:
            for _ in range(100):
                with socket.socket() as probe:
                    if probe.connect_ex(("127.0.0.1", tls)) == 0:
                        break
                time.sleep(0.05)
            front = f"https://rd.example.cn:{tls}"
            resolve = ("-k", "--resolve", f"rd.example.cn:{tls}:127.0.0.1")

            def via(path, *args):
                p = subprocess.run(["curl", "-s", "-S", "--max-time", "30", "-o", "-", "-w", "\n%{http_code}",
                                    *resolve, *args, front + path], capture_output=True, timeout=60)
                self.assertEqual(p.returncode, 0, p.stderr)
                body, _, code = p.stdout.rpartition(b"\n")
                return int(code), body.decode("utf-8")

            status, page = via(self.path_of("RZ0001"))
            self.assertEqual(status, 200)
            self.assertIn("张三", page)
            sig = self.urls["RZ0001"].split("?s=")[1]
            status, page = via("/d/RZ0001", "-H", "X-Forwarded-For: 203.0.113.66", "-F", "s=" + sig,
                               "-F", "csrf=" + self.token(page), "-F", "text=路灯坏了")
            self.assertEqual(status, 201, page)
            self.assertEqual(via("/healthz")[0], 200)
            self.assertEqual(via("/")[0], 404)
            redirect = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}",
                                       "-H", "Host: rd.example.cn", f"http://127.0.0.1:{plain}/t/x"],
                                      capture_output=True, timeout=60).stdout.decode()
            self.assertEqual(redirect, "301 https://rd.example.cn/t/x")
        finally:
            nginx.terminate()
            nginx.wait(timeout=30)
            nginx.stderr.close()
        self.stop()
        self.assertEqual(len(self.requests()), 1)
        log = self.read(self.log).decode("utf-8")
        self.assertRegex(log, r'(?m)^127\.0\.0\.1 - - \[.*"POST /d/RZ0001 HTTP/1\.1" 201')
        self.assertNotIn("203.0.113.66", log, "a forged X-Forwarded-For was believed")

    def test_escaping_of_a_script_in_a_name(self):
        self.start()
        status, page = self.curl(self.path_of("RZ0002"))
        self.assertEqual(status, 200)
        self.assertNotIn("<script>", page)
        self.assertIn("李四&lt;script&gt;alert(1)&lt;/script&gt;", page)
        self.stop()

    def test_leaderboard(self):
        self.start()
        self.assertEqual(self.curl("/leaderboard")[0], 404)
        self.stop()
        pub = os.path.join(self.dir, "pub")
        self.ok("publish-leaderboard", "--period", "2026-11", "--out", pub)
        self.ok("set-config", "serve.leaderboard_dir", pub)
        self.start()
        status, page = self.curl("/leaderboard")
        self.assertEqual(status, 200)
        with open(os.path.join(pub, "index.html"), encoding="utf-8") as f:
            self.assertEqual(page, f.read())
        self.stop()

    def test_sigterm_finishes_a_slow_upload(self):
        self.start()
        sig, tok = self.form("RZ0001")
        body = urllib.parse.urlencode({"s": sig, "csrf": tok, "text": "慢慢上传的诉求"}).encode()
        s = socket.create_connection(("127.0.0.1", self.port), timeout=30)
        s.sendall(b"POST /d/RZ0001 HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                  b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body[:10])
        time.sleep(0.5)
        self.proc.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        self.assertIsNone(self.proc.poll(), "still running while a request is in flight")
        s.sendall(body[10:])
        answer = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            answer += chunk
            if b"</html>" in answer:
                break
        s.close()
        self.assertTrue(answer.startswith(b"HTTP/1.1 201"), answer[:200])
        rest = self.proc.stderr.read().decode("utf-8")
        self.assertEqual(self.proc.wait(timeout=60), 0, rest)
        self.proc.stderr.close()
        self.proc = None
        self.assertIn("finishing 1 request(s)", rest)
        self.assertEqual(len(self.requests()), 1)
        # no new connections after the stop
        with self.assertRaises(OSError):
            socket.create_connection(("127.0.0.1", self.port), timeout=5).recv(1)

    @unittest.skipUnless(shutil.which("chromium"), "chromium is installed by scripts/bootstrap")
    def test_a_citizen_submits_the_form_in_chromium(self):
        """Headless Chromium as the citizen's phone: open the scanned code,
        fill the form, choose a photo, press 提交, read the tracking number,
        follow the status link; rdlz list-cases then shows the request once."""
        self.start()
        png = self.write("lamp.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
        b = Browser(os.path.join(self.dir, "chromium"))
        try:
            tab = b.open(self.base + self.path_of("RZ0001"))
            card = b.js(tab, "document.body.innerText")
            self.assertIn("张三", card)
            self.assertIn("东港区代表团", card)
            b.js(tab, "document.getElementById('text').value = '秦楼街道路灯坏了，晚上很黑';"
                      f"document.getElementById('name').value = '{CITIZEN_NAME}';"
                      f"document.getElementById('phone').value = '{CITIZEN_PHONE}';"
                      "document.getElementById('place').value = '秦楼街道'")
            b.choose_file(tab, "#photo", png)
            b.click_and_load(tab, "button[type=submit]")
            answer = b.js(tab, "document.body.innerText")
            link = b.js(tab, "document.querySelector('a[href*=\"/t/\"]').href")
            tracking = link.rsplit("/", 1)[1]
            self.assertIn(tracking, answer)
            b.click_and_load(tab, "a[href*='/t/']")
            status = b.js(tab, "document.body.innerText")
            self.assertIn("已提交", status)
            self.assertNotIn(CITIZEN_NAME, status)
            self.assertNotIn(CITIZEN_PHONE, status)
        finally:
            b.close()
        rows = self.requests()
        self.assertEqual(len(rows), 1)
        case = self.ok("show-case", str(rows[0]["id"]), "--format", "json").json()
        self.assertEqual((case["tracking"], case["channel"], case["photos"]), (tracking, "qr", 1))
        self.assertIn("路灯坏了", case["text"])
        self.stop()

    @unittest.skipUnless(shutil.which("ab"), "ab is in apache2-utils (scripts/bootstrap)")
    def test_bounded_load(self):
        self.ok("set-config", "serve.submissions_per_hour", "1000000")
        self.start()
        gets = int(os.environ.get("RDLZ_LOAD_GETS", "2000"))
        posts = int(os.environ.get("RDLZ_LOAD_POSTS", "200"))
        p = subprocess.run(["ab", "-q", "-n", str(gets), "-c", "8", self.base + self.path_of("RZ0001")],
                           capture_output=True, timeout=300)
        out = p.stdout.decode()
        self.assertEqual(p.returncode, 0, out + p.stderr.decode())
        self.assertRegex(out, r"Failed requests:\s+0\b")
        self.assertRegex(out, r"Complete requests:\s+%d\b" % gets)
        self.assertNotIn("Non-2xx", out)
        print(f"\nGET  /d/RZ0001: {re.search(r'Requests per second:.*', out).group(0)}")
        sig, tok = self.form("RZ0001")
        data = self.write("post.txt", urllib.parse.urlencode({"s": sig, "csrf": tok, "text": "负载测试"}))
        p = subprocess.run(["ab", "-q", "-n", str(posts), "-c", "8", "-p", data, "-T",
                            "application/x-www-form-urlencoded", self.base + "/d/RZ0001"],
                           capture_output=True, timeout=300)
        out = p.stdout.decode()
        self.assertEqual(p.returncode, 0, out + p.stderr.decode())
        self.assertNotIn("Non-2xx", out)
        print(f"POST /d/RZ0001: {re.search(r'Requests per second:.*', out).group(0)}")
        self.stop()
        log = self.read(self.log).decode("utf-8")
        accepted = len(re.findall(r'"POST /d/RZ0001 HTTP/1\.0" 201 ', log))
        self.assertEqual(accepted, posts)
        cases = self.requests()
        self.assertEqual(len(cases), accepted)
        shown = [self.ok("show-case", str(c["id"]), "--format", "json").json()["tracking"] for c in cases[:20]]
        self.assertEqual(len(set(shown)), len(shown))
        keys = [m["key"] for m in self.ok("list-outbox", "--format", "json").json()]
        self.assertEqual(len([k for k in keys if k.startswith("case-submitted:")]), accepted)


if __name__ == "__main__":
    unittest.main()
