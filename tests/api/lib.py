"""tests/api/lib.py: start `anju serve` on a fresh database and speak HTTP to it.

The backend comes from the environment: ANJU_TEST_DB=sqlite (a file in a temp
directory) or ANJU_TEST_DB=pg with ANJU_TEST_PG=postgresql://... (a new database
per server on a PostgreSQL server that scripts/test.sh started).
"""
import http.client
import io
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time
import unittest
import urllib.parse
import uuid
import xml.etree.ElementTree as ET
import zipfile

BIN = os.environ.get("ANJU_BIN", "build/anju")
BACKEND = os.environ.get("ANJU_TEST_DB", "sqlite")
PG = os.environ.get("ANJU_TEST_PG", "")
ADMIN_PW = "admin-Pass-2026"
PW = "Passw0rd-2026"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def pg_exec(sql, db="postgres"):
    url = PG.rsplit("/", 1)[0] + "/" + db
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", sql], check=True,
                   stdout=subprocess.DEVNULL)


def db_exec(server, sql):
    """Runs sql on server's database from this process, as another client would."""
    if BACKEND == "pg":
        pg_exec(sql, server.dbname)
    else:
        con = sqlite3.connect(server.db[len("sqlite:"):])
        con.execute(sql)
        con.commit()
        con.close()


def db_query(server, sql):
    """Rows of sql on server's database, as text, read from outside the server."""
    if BACKEND == "pg":
        out = subprocess.run(["psql", "-qAt", "-F", "\t", server.db, "-c", sql],
                             capture_output=True, text=True, check=True).stdout
        return [tuple(line.split("\t")) for line in out.splitlines() if line]
    con = sqlite3.connect(server.db[len("sqlite:"):])
    try:
        return [tuple("" if v is None else str(v) for v in row) for row in con.execute(sql)]
    finally:
        con.close()


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.raw = body
        try:
            self.json = json.loads(body) if body else None
        except ValueError:
            self.json = None

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def headers_all(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    @property
    def code(self):
        return (self.json or {}).get("error", {}).get("code")

    @property
    def field(self):
        return (self.json or {}).get("error", {}).get("field")

    def __repr__(self):
        return "<%d %s>" % (self.status, self.raw[:300])


class Server:
    """One `anju serve` process on its own fresh database."""

    def __init__(self, env=None, threads=2):
        self.dir = tempfile.mkdtemp(prefix="anju-test-")
        self.port = free_port()
        if BACKEND == "pg":
            self.dbname = "t_" + uuid.uuid4().hex[:12]
            pg_exec('CREATE DATABASE "%s"' % self.dbname)
            self.db = PG.rsplit("/", 1)[0] + "/" + self.dbname
        else:
            self.db = "sqlite:" + os.path.join(self.dir, "anju.db")
        e = dict(os.environ)
        e["ANJU_ADMIN_PASSWORD"] = ADMIN_PW
        # the CLI commands then find the server's audit key and checkpoints (--data)
        e["ANJU_DATA"] = self.dir
        # one-time codes in the server log, where the tests read them (the log driver
        # is never a default: a production server without a gateway sends nothing)
        e["ANJU_SMS"] = "log"
        e.update(env or {})
        self.env = e
        self.threads = threads
        self.proc = None
        self.log_path = os.path.join(self.dir, "server.log")
        self.start()

    def cli(self, *args, stdin=None):
        return subprocess.run([BIN] + list(args) + ["--db", self.db], input=stdin,
                              capture_output=True, text=True, env=self.env, timeout=120)

    def start(self):
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [BIN, "serve", "--db", self.db, "--listen", "127.0.0.1:%d" % self.port,
             "--threads", str(self.threads), "--data", self.dir],
            stdout=self.log, stderr=self.log, env=self.env)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited: " + self.read_log()[-2000:])
            try:
                if self.request("GET", "/healthz").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("server did not start")

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        code = self.proc.returncode if self.proc else 0
        self.log.close()
        return code

    def read_log(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def close(self):
        code = self.stop()
        log = self.read_log()
        if BACKEND == "pg":
            try:
                pg_exec('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % self.dbname)
            except subprocess.CalledProcessError:
                pass
        shutil.rmtree(self.dir, ignore_errors=True)
        # A sanitizer report or a crash fails the suite even if every request passed.
        if code not in (0, None) or "ERROR: AddressSanitizer" in log or "runtime error:" in log:
            raise AssertionError("server exited with %s:\n%s" % (code, log[-4000:]))

    def request(self, method, path, body=None, token=None, headers=None, raw=None,
                source=None, cookie=None, csrf=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60,
                                          source_address=(source, 0) if source else None)
        h = dict(headers or {})
        data = raw
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        if data is not None and "Content-Type" not in h:
            h["Content-Type"] = "application/json"
        if token:
            h["Authorization"] = "Bearer " + token
        if cookie:
            h["Cookie"] = "anju_session=" + cookie
        if csrf:
            h["X-CSRF-Token"] = csrf
        conn.request(method, urllib.parse.quote(path, safe="/?&=%:+,;@"), body=data, headers=h)
        r = conn.getresponse()
        resp = Response(r.status, r.getheaders(), r.read())
        conn.close()
        return resp

    # API shortcuts ------------------------------------------------------------
    def api(self, method, path, body=None, token=None, **kw):
        return self.request(method, "/api/v1" + path, body=body, token=token, **kw)

    def login(self, username, password, **kw):
        r = self.api("POST", "/auth/login", {"username": username, "password": password}, **kw)
        assert r.status == 200, r
        return r.json["token"]


class ServerTest(unittest.TestCase):
    """A test class with its own server (and database) for all its tests."""
    server_env = None

    @classmethod
    def setUpClass(cls):
        cls.s = Server(env=cls.server_env)
        cls.admin = cls.s.login("admin", ADMIN_PW)

    @classmethod
    def tearDownClass(cls):
        cls.s.close()

    @classmethod
    def at(cls, when):
        """Restarts the server with its clock (ANJU_FAKE_NOW) at `when`; admin logs in again."""
        cls.s.env["ANJU_FAKE_NOW"] = str(when)
        cls.s.stop()
        cls.s.start()
        cls.admin = cls.s.login("admin", ADMIN_PW)

    def ok(self, r, status=200):
        self.assertEqual(r.status, status, r)
        return r.json

    def fail_with(self, r, status, code, field=None):
        self.assertEqual(r.status, status, r)
        self.assertEqual(r.code, code, r)
        if field is not None:
            self.assertEqual(r.field, field, r)


def _xlsx_col(ref):
    """'C12' -> 2"""
    n = 0
    for ch in re.match(r"[A-Z]+", ref).group(0):
        n = n * 26 + ord(ch) - 64
    return n - 1


def read_xlsx(raw, sheet=1):
    """An export's sheet (the first unless told) as a list of rows, each a dict column -> str
    or float, read with the standard library only (the file is a zip of XML parts)."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    z = zipfile.ZipFile(io.BytesIO(raw))
    assert z.testzip() is None
    names = z.namelist()
    part = "xl/worksheets/sheet%d.xml" % sheet
    assert part in names, names
    assert "[Content_Types].xml" in names and "xl/workbook.xml" in names, names
    root = ET.fromstring(z.read(part))  # well-formed XML
    rows = []
    for row in root.find("m:sheetData", ns).findall("m:row", ns):
        cells = {}
        for c in row.findall("m:c", ns):
            i = _xlsx_col(c.get("r"))
            if c.get("t") == "inlineStr":
                cells[i] = "".join(t.text or "" for t in c.iter("{%s}t" % ns["m"]))
            else:
                v = c.find("m:v", ns)
                cells[i] = float(v.text) if v is not None else None
        rows.append(cells)
    return rows


def make_org(s, admin):
    """Two projects with buildings, rooms, residents and a staff member of
    every role, each logged in. Returns a dict of ids and tokens."""
    o = {}

    def post(path, body):
        r = s.api("POST", path, body, admin)
        assert r.status == 201, (path, r)
        return r.json

    for p in ("p1", "p2"):
        proj = post("/projects", {"code": "T" + p.upper() + uuid.uuid4().hex[:4].upper(),
                                  "name": "测试项目" + p, "address": "上海市浦东新区", "service_level": 2})
        o[p] = proj["id"]
        b = post("/projects/%d/buildings" % proj["id"], {"name": "1栋", "floors": 18})
        o[p + "_building"] = b["id"]
        rooms = []
        for n in ("101", "102"):
            rm = post("/projects/%d/rooms" % proj["id"],
                      {"building_id": b["id"], "unit": "1单元", "floor": 1, "number": n, "area_m2": 89.5})
            rooms.append(rm["id"])
        o[p + "_rooms"] = rooms
    # r4 lives with r2; the matrix changes r4's password (which ends r4's sessions)
    phones = {"r1": "13800000001", "r2": "13800000002", "r3": "13800000003", "r4": "13800000004"}
    homes = {"r1": ("p1", 0), "r2": ("p1", 1), "r3": ("p2", 0), "r4": ("p1", 1)}
    for key, phone in phones.items():
        p, i = homes[key]
        res = post("/projects/%d/residents" % o[p],
                   {"name": "住户" + key, "phone": phone, "kind": "owner",
                    "room_ids": [o[p + "_rooms"][i]], "tags": ["elderly"] if key == "r1" else []})
        o[key] = res["id"]
        r = s.api("POST", "/residents/%d/password" % res["id"], {"password": PW}, admin)
        assert r.status == 204, r
        o[key + "_token"] = s.login(phone, PW)
    for role in ("manager", "quality", "desk", "technician", "guard", "cleaner"):
        for p in ("p1", "p2") if role == "manager" else ("p1",):
            u = role + "_" + p + uuid.uuid4().hex[:4]
            st = post("/staff", {"username": u, "password": PW, "name": "员工" + role, "role": role,
                                 "department": {"manager": "管理", "quality": "品质", "desk": "客服",
                                                "technician": "工程", "guard": "秩序",
                                                "cleaner": "保洁"}[role],
                                 "skills": ["水工"] if role == "technician" else [],
                                 "project_ids": [o[p]]})
            key = role if p == "p1" else role + "_" + p
            o[key] = st["id"]
            o[key + "_token"] = s.login(u, PW)
    o["admin_token"] = admin
    return o
