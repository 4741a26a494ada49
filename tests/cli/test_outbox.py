"""End-to-end tests of the outbox and send-reminders against real servers on
127.0.0.1, started and stopped here: an SMTP server (aiosmtpd, from Debian's
python3-aiosmtpd) whose messages are parsed with Python's email package, and
an HTTP server that records webhook posts and checks DingTalk signatures."""
import base64
import email
import email.policy
import hashlib
import hmac
import http.server
import json
import os
import random
import signal
import socket
import subprocess
import threading
import time
import unittest
import urllib.parse

from rdlztest import RDLZ, RdlzTestCase

try:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult
except ImportError:  # pragma: no cover
    Controller = None

SUBJECT = "关于十一月履职情况的提醒"
NOW = 1795827600  # RdlzTestCase.NOW


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(t))


class SmtpServer:
    """aiosmtpd on 127.0.0.1; `reply` decides each answer to DATA."""

    def __init__(self, port, reply="250 OK", password=None):
        self.messages = []
        self.reply = reply
        outer = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                if outer.reply.startswith("250"):
                    outer.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
                return outer.reply

        def auth(server, session, envelope, mechanism, data):
            ok = data.login == b"office" and data.password == password.encode()
            return AuthResult(success=ok)

        kw = {}
        if password:
            kw = dict(authenticator=auth, auth_require_tls=False)
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=port, **kw)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


class HookServer:
    """Records webhook posts; `answer` gives (status, body) per post."""

    def __init__(self, port, answer=None, secret=None):
        self.posts = []
        outer = self
        self.answer = answer or (lambda post: (200, {"errcode": 0, "errmsg": "ok"}))

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                n = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(n).decode("utf-8"))
                query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
                post = {"body": body, "query": query, "headers": dict(self.headers)}
                if secret:
                    ts = query["timestamp"][0]
                    mac = hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256).digest()
                    post["signed"] = query["sign"][0] == base64.b64encode(mac).decode()
                outer.posts.append(post)
                status, reply = outer.answer(post)
                data = json.dumps(reply).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


ROSTER = ("code,name,email\n"
          "RZ0001,张三,zhang@example.cn\n"
          "RZ0002,李四,li@example.cn\n"
          "RZ0003,王五,\n")


@unittest.skipUnless(Controller, "needs aiosmtpd (Debian: python3-aiosmtpd)")
class EmailTest(RdlzTestCase):
    def setUp(self):
        super().setUp()
        self.port = free_port()
        self.init()
        self.ok("import-deputies", "-", stdin=ROSTER)
        self.ok("set-config", "smtp.url", f"smtp://127.0.0.1:{self.port}")
        self.ok("set-config", "smtp.from", "日照市人大常委会办公室 <rd@rizhao.example.cn>")
        self.ok("set-config", "smtp.tls", "none")
        self.ok("set-config", "net.timeout_s", "3")
        self.ok("set-config", "net.connect_timeout_s", "2")

    def notify(self, *to, body=".第一行以点开头\n第二行\n", **kw):
        args = []
        for t in to:
            args += ["--to", t]
        return self.run_rdlz("notify", *args, "--subject", SUBJECT, "--body-file", "-", stdin=body, **kw)

    def send(self, expect, at=None):
        env = {"RDLZ_NOW": iso(at)} if at else None
        return self.run_rdlz("send-reminders", "--format", "json", env=env, expect=expect)

    def test_chinese_subject_dot_line_one_message_per_key(self):
        self.assertEqual(self.notify("delegation:none", expect=2).code, 2)
        self.notify("all", expect=0)
        self.notify("all", expect=0)  # the same keys again: nothing new
        self.assertEqual(len(self.ok("list-outbox", "--format", "json").json()), 2)
        with SmtpServer(self.port) as smtp:
            rows = self.send(0).json()
        self.assertEqual([r["outcome"] for r in rows], ["sent", "sent"])
        self.assertEqual(len(smtp.messages), 2)
        m = smtp.messages[0]
        self.assertEqual(m["Subject"], SUBJECT)
        self.assertEqual(m["To"].addresses[0].display_name, "张三")
        self.assertEqual(m["From"].addresses[0].display_name, "日照市人大常委会办公室")
        self.assertEqual(m.get_content().replace("\r\n", "\n"), ".第一行以点开头\n第二行\n")
        key = rows[0]["key"]
        self.assertEqual(m["Message-ID"],
                         f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@rizhao.example.cn>")
        self.assertTrue(m["Date"])
        # sent messages are not sent again
        with SmtpServer(self.port) as smtp:
            self.assertEqual(self.send(0).json(), [])
            self.assertEqual(smtp.messages, [])

    def test_server_down_then_back(self):
        self.notify("RZ0001", expect=0)
        rows = self.send(75).json()
        self.assertEqual(rows[0]["outcome"], "retry")
        msg = self.ok("list-outbox", "--format", "json").json()[0]
        self.assertEqual((msg["state"], msg["attempts"]), ("pending", 1))
        with SmtpServer(self.port) as smtp:
            self.assertEqual(self.send(0).json(), [])  # not due yet: backoff
            self.send(0, at=NOW + 3600)
        self.assertEqual(len(smtp.messages), 1)

    def test_permanent_and_temporary_refusals(self):
        self.notify("RZ0001", expect=0)
        with SmtpServer(self.port, reply="451 try later") as smtp:
            self.assertEqual(self.send(75).json()[0]["outcome"], "retry")
            # a permanent refusal fails once outbox.permanent_attempts (2) attempts were made
            smtp.reply = "550 no such mailbox"
            self.assertEqual(self.send(1, at=NOW + 3600).json()[0]["outcome"], "failed")
        failed = self.ok("list-outbox", "--state", "failed", "--format", "json").json()
        self.assertEqual(len(failed), 1)
        self.assertIn("550", failed[0]["last_error"])
        self.ok("retry-message", failed[0]["key"])
        with SmtpServer(self.port) as smtp:
            self.send(0, at=NOW + 7200)
        self.assertEqual(len(smtp.messages), 1)

    def test_tls_required_never_sends_in_clear(self):
        self.ok("set-config", "smtp.tls", "required")
        self.notify("RZ0001", expect=0)
        with SmtpServer(self.port) as smtp:  # offers no STARTTLS
            rows = self.run_rdlz("send-reminders", "--format", "json").json()
        self.assertIn(rows[0]["outcome"], ("retry", "failed"))
        self.assertEqual(smtp.messages, [])

    def test_hanging_server_times_out(self):
        self.notify("RZ0001", expect=0)
        listener = socket.socket()
        listener.bind(("127.0.0.1", self.port))
        listener.listen(5)
        try:
            t = time.time()
            self.assertEqual(self.send(75).json()[0]["outcome"], "retry")
            self.assertLess(time.time() - t, 15)
        finally:
            listener.close()

    def test_header_injection_refused(self):
        r = self.run_rdlz("notify", "--to", "RZ0001", "--subject", "hi\r\nBcc: x@evil.test", "--body-file", "-",
                          stdin="x", expect=65)
        self.assertIn("line break", r.err)
        self.assertEqual(self.ok("list-outbox", "--format", "json").json(), [])

    def test_cancel(self):
        self.notify("RZ0001", expect=0)
        key = self.ok("list-outbox", "--format", "json").json()[0]["key"]
        self.ok("cancel-message", key)
        with SmtpServer(self.port) as smtp:
            self.send(0)
        self.assertEqual(smtp.messages, [])
        self.assertEqual(self.ok("show-message", key, "--format", "json").json()["state"], "cancelled")
        self.run_rdlz("show-message", "nope", expect=1)

    def test_password_from_environment_or_private_file_never_shown(self):
        secret = "s3cret-密码"
        self.ok("set-config", "smtp.user", "office")
        self.notify("RZ0001", expect=0)
        path = os.path.join(self.dir, "secrets")
        self.write("secrets", f"# mail\nsmtp.password = {secret}\n")
        os.chmod(path, 0o644)
        with SmtpServer(self.port, password=secret) as smtp:
            r = self.run_rdlz("send-reminders", env={"RDLZ_SECRETS": path})
            self.assertNotEqual(r.code, 0)
            self.assertIn("chmod 600", r.err)
            os.chmod(path, 0o600)
            r = self.run_rdlz("send-reminders", env={"RDLZ_SECRETS": path}, expect=0)
        self.assertEqual(len(smtp.messages), 1)
        self.notify("RZ0002", expect=0)
        with SmtpServer(self.port, password=secret) as smtp:
            self.run_rdlz("send-reminders", env={"RDLZ_SMTP_PASSWORD": secret}, expect=0)
        self.assertEqual(len(smtp.messages), 1)
        everything = "".join(self.ok(*c).out for c in (["list-audit"], ["list-outbox"], ["show-config"]))
        self.assertNotIn(secret, everything + r.out + r.err)

    def test_killed_twenty_times_loses_nothing_sends_once(self):
        """SIGKILL mid-batch 20 times, then finish: every message arrives; a
        message arrives twice only when it was in flight at a kill, and then
        with the same Message-ID."""
        codes = [f"RZ{n:04d}" for n in range(4, 64)]
        self.ok("import-deputies", "-", stdin="code,name,email\n" + "".join(
            f"{c},代表{c},{c.lower()}@example.cn\n" for c in codes))
        for batch in range(3):
            self.run_rdlz("notify", "--to", "all", "--subject", f"{SUBJECT} {batch}", "--body-file", "-",
                          stdin="正文", expect=0)
        keys = {r["key"] for r in self.ok("list-outbox", "--format", "json").json()}
        self.assertEqual(len(keys), 3 * 62)
        seed = int(os.environ.get("RDLZ_TEST_SEED", "20261128"))
        rnd = random.Random(seed)
        kills = 0
        with SmtpServer(self.port) as smtp:
            for k in range(20):
                env = dict(self.env, RDLZ_NOW=iso(NOW + 600 * k))  # each run past the last one's leases
                p = subprocess.Popen([RDLZ, "send-reminders"], env=env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, cwd=self.dir)
                time.sleep(rnd.uniform(0.01, 0.12))
                if p.poll() is None:
                    p.send_signal(signal.SIGKILL)
                    kills += 1
                p.wait()
            self.send(0, at=NOW + 600 * 21)
            time.sleep(0.2)
        ids = [m["Message-ID"] for m in smtp.messages]
        expected = {f"<{hashlib.sha256(k.encode()).hexdigest()[:32]}@rizhao.example.cn>" for k in keys}
        self.assertEqual(set(ids), expected, f"seed {seed}")
        self.assertLessEqual(len(ids) - len(set(ids)), kills, f"seed {seed}")
        self.ok("check")
        states = {r["state"] for r in self.ok("list-outbox", "--format", "json").json()}
        self.assertEqual(states, {"sent"})

    def test_two_senders_at_once_never_send_twice(self):
        codes = [f"RZ{n:04d}" for n in range(4, 84)]
        self.ok("import-deputies", "-", stdin="code,name,email\n" + "".join(
            f"{c},代表{c},{c.lower()}@example.cn\n" for c in codes))
        self.run_rdlz("notify", "--to", "all", "--subject", SUBJECT, "--body-file", "-", stdin="x", expect=0)
        with SmtpServer(self.port) as smtp:
            ps = [subprocess.Popen([RDLZ, "send-reminders"], env=self.env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, cwd=self.dir) for _ in range(4)]
            for p in ps:
                _, err = p.communicate(timeout=120)
                self.assertEqual(p.returncode, 0, err)
            time.sleep(0.2)
        ids = [m["Message-ID"] for m in smtp.messages]
        self.assertEqual(len(ids), 82)
        self.assertEqual(len(set(ids)), 82)


class WebhookTest(RdlzTestCase):
    def setUp(self):
        super().setUp()
        self.port = free_port()
        self.init()
        self.ok("import-deputies", "-", stdin=ROSTER.replace("zhang@example.cn", "").replace("li@example.cn", ""))
        self.ok("set-config", "webhook.url", f"http://127.0.0.1:{self.port}/robot/send")
        self.ok("set-config", "net.timeout_s", "3")

    def queue(self, *to):
        args = []
        for t in to:
            args += ["--to", t]
        self.run_rdlz("notify", *args, "--subject", SUBJECT, "--body-file", "-", stdin="请按时参加会议", expect=0)

    def send(self, expect, at=None):
        env = {"RDLZ_NOW": iso(at)} if at else None
        return self.run_rdlz("send-reminders", "--format", "json", env=env, expect=expect).json()

    def test_generic_json(self):
        self.queue("RZ0001")
        with HookServer(self.port) as hook:
            self.send(0)
        body = hook.posts[0]["body"]
        self.assertEqual((body["to"], body["name"], body["subject"], body["body"]),
                         ("RZ0001", "张三", SUBJECT, "请按时参加会议"))

    def test_citizen_sms_looked_up_when_sent_and_gone_after_purge(self):
        self.ok("set-config", "case.notify_citizens", "on")
        ids = []
        for _ in range(2):
            cid = self.ok("submit-request", "--deputy", "RZ0001", "--text", "y", "--phone", "13900001111").out.strip()
            self.ok("take-request", cid, "--deputy", "RZ0001")
            self.ok("resolve-case", cid, "--text", "done")
            ids.append(cid)
        for step in (["answer-case", ids[1], "--text", "f"], ["close-case", ids[1]],
                     ["purge-citizen-data", "--before", "2026-12-01"]):
            self.ok(*step)
        with HookServer(self.port) as hook:
            rows = self.send(1)
        to = {p["body"]["key"]: p["body"]["to"] for p in hook.posts if p["body"]["key"].startswith("case-citizen")}
        self.assertEqual(to, {f"case-citizen-resolved:{ids[0]}": "13900001111"})
        failed = [r for r in rows if r["outcome"] == "failed"]
        self.assertEqual([r["key"] for r in failed], [f"case-citizen-resolved:{ids[1]}"])

    def test_wecom_form_and_key_from_environment(self):
        self.ok("set-config", "webhook.kind", "wecom")
        self.queue("RZ0001")
        with HookServer(self.port) as hook:
            self.run_rdlz("send-reminders", env={"RDLZ_WEBHOOK_KEY": "k-123"}, expect=0)
        post = hook.posts[0]
        self.assertEqual(post["body"]["msgtype"], "text")
        self.assertIn(SUBJECT, post["body"]["text"]["content"])
        self.assertEqual(post["query"]["key"], ["k-123"])

    def test_dingtalk_signed(self):
        self.ok("set-config", "webhook.kind", "dingtalk")
        self.queue("RZ0001", "RZ0002")
        env = {"RDLZ_WEBHOOK_KEY": "tok", "RDLZ_WEBHOOK_SECRET": "SEC-secret"}
        with HookServer(self.port, secret="SEC-secret") as hook:
            self.run_rdlz("send-reminders", env=env, expect=0)
        self.assertEqual([p["signed"] for p in hook.posts], [True, True])
        self.assertEqual(hook.posts[0]["query"]["access_token"], ["tok"])

    def test_robot_refusal_in_a_200_is_not_a_delivery(self):
        self.ok("set-config", "webhook.kind", "dingtalk")
        self.queue("RZ0001")
        with HookServer(self.port, answer=lambda p: (200, {"errcode": 130101, "errmsg": "send too fast"})):
            self.assertEqual(self.send(75)[0]["outcome"], "retry")
        with HookServer(self.port, answer=lambda p: (200, {"errcode": 310000, "errmsg": "keywords not in content"})):
            self.assertEqual(self.send(1, at=NOW + 3600)[0]["outcome"], "failed")

    def test_http_errors(self):
        self.queue("RZ0001")
        with HookServer(self.port, answer=lambda p: (503, {})):
            self.assertEqual(self.send(75)[0]["outcome"], "retry")
        with HookServer(self.port, answer=lambda p: (429, {})):
            self.assertEqual(self.send(75, at=NOW + 3600)[0]["outcome"], "retry")
        with HookServer(self.port, answer=lambda p: (400, {})):
            self.assertEqual(self.send(1, at=NOW + 7200)[0]["outcome"], "failed")
        self.queue("RZ0002")
        with HookServer(self.port, answer=lambda p: (404, {})):
            self.assertEqual(self.send(75, at=NOW + 7200)[0]["outcome"], "retry")

    def test_rate_limit_respected(self):
        self.ok("set-config", "webhook.per_minute", "2")
        self.queue("all")
        with HookServer(self.port) as hook:
            rows = self.send(75)
            self.assertEqual([r["outcome"] for r in rows], ["sent", "sent", "deferred"])
            self.assertEqual(len(hook.posts), 2)
            self.send(0, at=NOW + 120)
            self.assertEqual(len(hook.posts), 3)

    def test_dry_run_sends_nothing(self):
        self.queue("RZ0002")
        with HookServer(self.port) as hook:
            rows = self.run_rdlz("send-reminders", "--dry-run", "--format", "json", expect=0).json()
        self.assertEqual(hook.posts, [])
        self.assertEqual(rows[0]["outcome"], "due")


class NoCurlNeededTest(RdlzTestCase):
    def test_queue_reminders_twice_queues_nothing_new(self):
        self.init()
        first = self.ok("queue-reminders", "--format", "json").json()
        second = self.ok("queue-reminders", "--format", "json").json()
        self.assertEqual(sum(r["queued"] for r in second), 0)
        self.assertEqual([r["producer"] for r in first], [r["producer"] for r in second])

    def test_rdlz_does_not_link_libcurl(self):
        ldd = subprocess.run(["ldd", RDLZ], capture_output=True).stdout.decode()
        self.assertNotIn("libcurl", ldd)
        # nor what only serve (libmicrohttpd, with GnuTLS) and xlsx output need
        self.assertNotIn("libmicrohttpd", ldd)
        self.assertNotIn("libgnutls", ldd)
        self.assertNotIn("libxlsxwriter", ldd)


if __name__ == "__main__":
    unittest.main()
