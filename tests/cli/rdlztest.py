"""Shared helpers for the end-to-end tests: run the built rdlz in a scratch
directory and read its output with independent parsers (csv, json)."""
import csv
import hashlib
import io
import json
import os
import shutil
import struct
import subprocess
import tempfile
import unittest
import zlib

RDLZ = os.environ.get("RDLZ_BIN", "rdlz")
GEN_ROSTER = os.environ.get("GEN_ROSTER_BIN", "gen-roster")
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")
SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def png_pixels(data):
    """(width, height, rows of RGB tuples) of an 8-bit RGB or RGBA PNG, as Chromium writes them."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (2, 6)
            bpp = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(width)])
        prev = line
    return width, height, rows


class Result:
    def __init__(self, proc):
        self.code = proc.returncode
        self.out = proc.stdout.decode("utf-8")
        self.err = proc.stderr.decode("utf-8")

    def json(self):
        return json.loads(self.out)

    def csv(self):
        return list(csv.DictReader(io.StringIO(self.out.lstrip("\ufeff"), newline="")))


class RdlzTestCase(unittest.TestCase):
    """Each test gets its own directory and database (RDLZ_DB)."""

    NOW = "2026-11-28T09:00:00+08:00"

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="rdlz-test-")
        self.db = os.path.join(self.dir, "rdlz.db")
        self.env = dict(os.environ)
        self.env.update(RDLZ_DB=self.db, RDLZ_NOW=self.NOW, RDLZ_ACTOR="tester")
        self.env.pop("TZ", None)

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def run_rdlz(self, *args, stdin=None, env=None, expect=None):
        e = dict(self.env)
        if env:
            e.update(env)
        data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
        proc = subprocess.run([RDLZ, *args], input=data, capture_output=True, env=e,
                              cwd=self.dir, timeout=300)
        r = Result(proc)
        if expect is not None:
            self.assertEqual(r.code, expect,
                             f"rdlz {' '.join(args)}: exit {r.code}\nstdout: {r.out}\nstderr: {r.err}")
        return r

    def ok(self, *args, **kw):
        return self.run_rdlz(*args, expect=0, **kw)

    def write(self, name, content, mode="w", encoding="utf-8"):
        path = os.path.join(self.dir, name)
        if isinstance(content, bytes):
            with open(path, "wb") as f:
                f.write(content)
        else:
            with open(path, mode, encoding=encoding, newline="") as f:
                f.write(content)
        return path

    @staticmethod
    def read(path):
        with open(path, "rb") as f:
            return f.read()

    def db_digest(self):
        """The database file's bytes, to prove a refused command changed nothing."""
        with open(self.db, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()

    def init(self):
        self.ok("init")

    def roster(self, count=340, *extra):
        out = subprocess.run([GEN_ROSTER, "--count", str(count), *extra], capture_output=True,
                             check=True).stdout
        return self.write("roster.csv", out)

    def screenshot(self, page, width, height):
        """A screenshot (PNG path) of the file page in headless Chromium, as a reader's browser shows it."""
        chromium = shutil.which("chromium")
        self.assertIsNotNone(chromium, "chromium is installed by scripts/bootstrap")
        shot = os.path.join(self.dir, "shot.png")
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--user-data-dir=" + os.path.join(self.dir, "chromium"), "--hide-scrollbars",
                        f"--window-size={width},{height}", "--screenshot=" + shot, "file://" + page],
                       capture_output=True, timeout=120, check=True)
        return shot
