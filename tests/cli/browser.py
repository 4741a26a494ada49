"""Headless Chromium driven over the DevTools protocol, for tests that must
act as a citizen's browser does: open a page, fill its form, choose a file,
press the button, read the page that comes back. The protocol runs over
--remote-debugging-pipe (JSON messages ending in NUL on fds 3 and 4), so no
port is opened and nothing but the standard library is needed."""
import json
import os
import select
import subprocess
import time


class Browser:
    """Headless Chromium driven over --remote-debugging-pipe (DevTools
    protocol: JSON messages ending in NUL on fds 3 and 4)."""
    def __init__(self, profile):
        to_r, self.to_w = os.pipe()
        self.from_r, from_w = os.pipe()
        def fds():
            a, b = os.dup(to_r), os.dup(from_w)
            os.dup2(a, 3)
            os.dup2(b, 4)
        self.proc = subprocess.Popen(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                      "--disable-background-networking", "--disable-component-update",
                                      "--disable-sync", "--remote-debugging-pipe", "--user-data-dir=" + profile,
                                      "about:blank"], preexec_fn=fds, close_fds=False,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_r)
        os.close(from_w)
        self.buf, self.next_id, self.events = b"", 0, []

    def _read(self, deadline):
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.from_r], [], [], left)[0]:
                raise TimeoutError("chromium did not answer")
            chunk = os.read(self.from_r, 65536)
            if not chunk:
                raise EOFError("chromium went away")
            self.buf += chunk
        msg, _, self.buf = self.buf.partition(b"\0")
        return json.loads(msg)

    def call(self, method, session=None, timeout=30, **params):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        os.write(self.to_w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            m = self._read(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m["result"]
            self.events.append(m)

    def wait_event(self, method, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            for i, m in enumerate(self.events):
                if m.get("method") == method:
                    return self.events.pop(i)
            self.events.append(self._read(deadline))

    def forget(self, method):
        """Drop the events of method seen so far (an earlier page's load)."""
        self.events = [m for m in self.events if m.get("method") != method]

    def close(self):
        try:
            self.call("Browser.close", timeout=10)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.to_w)
        os.close(self.from_r)

    def open(self, url, timeout=60):
        """A new tab showing url, loaded; returns its session."""
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.call("Page.enable", session=session)
        self.forget("Page.loadEventFired")
        self.call("Page.navigate", session=session, url=url)
        self.wait_event("Page.loadEventFired", timeout)
        return session

    def js(self, session, expression):
        """The value of a JavaScript expression in the page (run by the
        browser, not the page: the page itself has no scripts)."""
        r = self.call("Runtime.evaluate", session=session, expression=expression, returnByValue=True)
        if "exceptionDetails" in r:
            raise RuntimeError(f"{expression}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def choose_file(self, session, selector, path):
        """Choose path in the file input at selector, as a user would."""
        root = self.call("DOM.getDocument", session=session)["root"]["nodeId"]
        node = self.call("DOM.querySelector", session=session, nodeId=root, selector=selector)["nodeId"]
        self.call("DOM.setFileInputFiles", session=session, nodeId=node, files=[path])

    def click_and_load(self, session, selector, timeout=60):
        """Click the element at selector and wait for the page it loads."""
        self.forget("Page.loadEventFired")
        self.js(session, f"document.querySelector({json.dumps(selector)}).click()")
        self.wait_event("Page.loadEventFired", timeout)
