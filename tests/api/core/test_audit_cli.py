"""`anju audit verify` against someone who can write the database but not the data
directory (issue 11): a row edited and the chain recomputed with plain SHA-256, the tail cut
off with the head rewritten to match, the last row deleted; a database from before the key;
the key files' modes."""
import hashlib
import http.server
import json
import os
import sqlite3
import stat
import subprocess
import threading

from lib import BACKEND, PG, ServerTest, db_exec, free_port

SEP = "\x1f"


def rows(server, sql):
    """Every row of a query as a list of strings."""
    if BACKEND == "pg":
        url = PG.rsplit("/", 1)[0] + "/" + server.dbname
        out = subprocess.run(["psql", "-At", "-F", SEP, url, "-c", sql], capture_output=True,
                             text=True, check=True).stdout
        return [line.split(SEP) for line in out.splitlines()]
    con = sqlite3.connect(server.db[len("sqlite:"):])
    got = [[str(x) if x is not None else "" for x in r] for r in con.execute(sql).fetchall()]
    con.close()
    return got


def script(server, statements):
    """Runs several statements in one transaction, as another client would."""
    if BACKEND == "pg":
        db_exec(server, "BEGIN; " + "; ".join(statements) + "; COMMIT")
    else:
        con = sqlite3.connect(server.db[len("sqlite:"):])
        con.executescript("BEGIN; " + "; ".join(statements) + "; COMMIT;")
        con.close()


def q(s):
    return "'" + s.replace("'", "''") + "'"


def plain_hash(prev, seq, at, actor, action, entity, entity_id, ip, rid, change):
    """A row's SHA-256 as the code before the key computed it: all an attacker needs."""
    h = hashlib.sha256(("%d|%d|%d|%d|" % (seq, at, actor, entity_id)).encode())
    for part in (prev, action, entity, ip, rid, change):
        b = part.encode("utf-8")
        h.update(b"%d:" % len(b))
        h.update(b)
    return h.hexdigest()


def rechain_plain(server, start=1):
    """Recomputes every hash from row `start` on with plain SHA-256, relinks the chain and
    rewrites the head to match."""
    log = rows(server, "SELECT seq, at, COALESCE(actor_id, 0), action, entity,"
                       " COALESCE(entity_id, 0), ip, request_id, change, hash"
                       " FROM audit_log ORDER BY seq")
    prev, stmts = "", []
    for r in log:
        seq = int(r[0])
        if seq < start:
            prev = r[9]
            continue
        h = plain_hash(prev, seq, int(r[1]), int(r[2]), r[3], r[4], int(r[5]), r[6], r[7], r[8])
        stmts.append("UPDATE audit_log SET prev_hash = %s, hash = %s WHERE seq = %d"
                     % (q(prev), q(h), seq))
        prev = h
    stmts.append("UPDATE audit_head SET seq = (SELECT MAX(seq) FROM audit_log), last_hash = %s"
                 " WHERE id = 1" % q(prev))
    script(server, stmts)


def truncate_to(server, keep):
    """Deletes the rows after keep and points the head at row keep."""
    script(server, ["DELETE FROM audit_log WHERE seq > %d" % keep,
                    "UPDATE audit_head SET seq = %d, last_hash ="
                    " (SELECT hash FROM audit_log WHERE seq = %d) WHERE id = 1" % (keep, keep)])


class AuditTest(ServerTest):
    def some_rows(self, n, tag):
        for i in range(n):
            self.ok(self.s.api("POST", "/projects", {"code": "%s%d" % (tag, i), "name": "审计"},
                               self.admin), 201)

    def last_seq(self):
        return int(rows(self.s, "SELECT MAX(seq) FROM audit_log")[0][0])

    def verify(self):
        return self.s.cli("audit", "verify")

    def assert_intact(self):
        out = self.verify()
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("intact", out.stdout)

    def assert_broken(self, text):
        out = self.verify()
        self.assertEqual(out.returncode, 3, out.stdout + out.stderr)
        self.assertIn(text, out.stdout)


class Rechained(AuditTest):
    def test_edited_row_rechained_with_sha256_is_found(self):
        self.some_rows(4, "RC")
        self.assert_intact()
        n = self.last_seq() - 2
        db_exec(self.s, "UPDATE audit_log SET change = '{\"name\":\"改过\"}' WHERE seq = %d" % n)
        rechain_plain(self.s, n)
        self.assert_broken("row %d was altered" % n)


class Truncated(AuditTest):
    def test_cut_tail_with_the_head_rewritten_is_found(self):
        self.some_rows(5, "TR")
        self.s.stop()  # a clean stop signs the head it leaves
        last = self.last_seq()
        truncate_to(self.s, last - 3)
        try:
            self.assert_broken("rows after %d were removed: the last checkpoint says %d"
                               % (last - 3, last))
        finally:
            self.s.start()


class DeletedHead(AuditTest):
    def test_deleted_last_row_is_found(self):
        self.some_rows(2, "DH")
        out = self.s.cli("audit", "checkpoint")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        last = self.last_seq()
        # Stopped first: a running server would sign the tampered head at its next
        # minute checkpoint, and verify would then (rightly) report that checkpoint
        # going back instead of the removal this test names.
        self.s.stop()
        try:
            db_exec(self.s, "DELETE FROM audit_log WHERE seq = %d" % last)
            self.assert_broken("row %d was removed" % last)  # the head still says last
            truncate_to(self.s, last - 1)
            self.assert_broken("rows after %d were removed: the last checkpoint says %d"
                               % (last - 1, last))
        finally:
            self.s.start()


class Upgrade(AuditTest):
    """A database written before the key: its plain rows stay as they are and verify the
    old way; the first start makes the key and signs the head found."""

    def test_old_rows_verify_and_new_rows_chain_on_them(self):
        self.some_rows(3, "UP")
        self.s.stop()
        for name in ("audit.key", "audit.sign", "audit.sign.pub", "audit.checkpoints"):
            os.unlink(os.path.join(self.s.dir, name))
        rechain_plain(self.s)  # now it is the log the old binary wrote
        old = self.last_seq()
        self.assert_intact()
        self.s.start()
        self.__class__.admin = self.s.login("admin", "admin-Pass-2026")
        self.some_rows(2, "UQ")
        self.assert_intact()
        hashes = [r[0] for r in rows(self.s, "SELECT hash FROM audit_log ORDER BY seq")]
        self.assertFalse(any(h.startswith("h1:") for h in hashes[:old]), hashes)
        self.assertTrue(all(h.startswith("h1:") for h in hashes[old:]), hashes)
        # an old row edited and the old part rechained: the first checkpoint pinned it
        db_exec(self.s, "UPDATE audit_log SET ip = '10.6.6.6' WHERE seq = 2")
        rechain_plain(self.s, 2)
        self.assert_broken("was altered")


class KeyFiles(AuditTest):
    def test_keys_are_private_and_a_readable_one_stops_the_start(self):
        for name in ("audit.key", "audit.sign", "audit.checkpoints"):
            mode = stat.S_IMODE(os.stat(os.path.join(self.s.dir, name)).st_mode)
            self.assertEqual(mode, 0o600, name)
        key = os.path.join(self.s.dir, "audit.key")
        self.s.stop()
        os.chmod(key, 0o644)
        try:
            with self.assertRaises(RuntimeError) as e:
                self.s.start()
            self.assertIn("chmod 600", str(e.exception))
        finally:
            os.chmod(key, 0o600)
            self.s.start()
        self.__class__.admin = self.s.login("admin", "admin-Pass-2026")
        self.some_rows(1, "KF")
        self.assert_intact()


class Webhook(ServerTest):
    """Each checkpoint line also goes to a receiver outside the data directory, as the
    file has it: what rewrites the database and the file together does not reach it."""

    @classmethod
    def setUpClass(cls):
        cls.got = []
        got = cls.got

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                n = int(self.headers.get("Content-Length", "0"))
                got.append((self.headers.get("Content-Type"), json.loads(self.rfile.read(n))))
                self.send_response(204)
                self.end_headers()

        cls.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        threading.Thread(target=cls.httpd.serve_forever, daemon=True).start()
        cls.server_env = {"ANJU_AUDIT_WEBHOOK": "http://127.0.0.1:%d/audit" % cls.httpd.server_port}
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.httpd.shutdown()
        cls.httpd.server_close()

    def test_checkpoints_are_posted_as_written(self):
        r = self.s.api("POST", "/projects", {"code": "WH1", "name": "回调"}, self.admin)
        self.assertEqual(r.status, 201, r)
        self.s.stop()  # the head as the server leaves it: one more checkpoint
        with open(os.path.join(self.s.dir, "audit.checkpoints")) as f:
            lines = f.read().splitlines()
        with open(os.path.join(self.s.dir, "audit.sign.pub")) as f:
            pub = f.read().strip()
        self.assertGreaterEqual(len(lines), 2)
        self.assertEqual([g[1]["line"] for g in self.got], lines)
        for ctype, doc in self.got:
            self.assertEqual(ctype, "application/json")
            self.assertEqual((doc["kind"], doc["public_key"]), ("anju.audit.checkpoint", pub))
        # the last copy names the head the rows end at
        head = rows(self.s, "SELECT seq FROM audit_head WHERE id = 1")[0][0]
        self.assertEqual(self.got[-1][1]["line"].split()[1], head)
        self.s.start()
