"""Operations: the audit chain, backup, the user CLI, atomic writes, shutdown."""
import os
import signal
import sqlite3
import subprocess
import threading

from lib import BACKEND, PG, PW, Server, ServerTest, db_exec


def db_row(server, sql):
    """First row of a query, as strings (PostgreSQL) or values (SQLite)."""
    if BACKEND == "pg":
        url = PG.rsplit("/", 1)[0] + "/" + server.dbname
        out = subprocess.run(["psql", "-At", "-F", "\t", url, "-c", sql], capture_output=True,
                             text=True, check=True).stdout
        return out.splitlines()[0].split("\t") if out.strip() else None
    con = sqlite3.connect(server.db[len("sqlite:"):])
    row = con.execute(sql).fetchone()
    con.close()
    return [str(x) if x is not None else "" for x in row] if row else None


class Audit(ServerTest):
    def test_chain_records_and_detects_tampering(self):
        p = self.ok(self.s.api("POST", "/projects", {"code": "AUD1", "name": "审计"}, self.admin), 201)
        self.ok(self.s.api("PATCH", "/projects/%d" % p["id"], {"name": "审计二"}, self.admin))
        self.ok(self.s.api("POST", "/projects/%d/buildings" % p["id"], {"name": "A", "floors": 3},
                           self.admin), 201)
        out = self.s.cli("audit", "verify")
        self.assertEqual(out.returncode, 0, out.stderr + out.stdout)
        self.assertIn("intact", out.stdout)
        db_exec(self.s, "UPDATE audit_log SET change = '{\"name\":\"x\"}' WHERE seq = 3")
        out = self.s.cli("audit", "verify")
        self.assertEqual(out.returncode, 3, out.stdout)
        self.assertIn("row 3 was altered", out.stdout)

    def test_zz_removed_row_is_found(self):
        # runs after the test above broke row 3: remove row 5 and see row 3 first
        db_exec(self.s, "DELETE FROM audit_log WHERE seq = 2")
        out = self.s.cli("audit", "verify")
        self.assertEqual(out.returncode, 3)
        self.assertIn("row 2 was removed", out.stdout)


class AuditTail(ServerTest):
    def test_removed_last_row(self):
        self.ok(self.s.api("POST", "/projects", {"code": "TAIL1", "name": "尾"}, self.admin), 201)
        db_exec(self.s, "DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)")
        out = self.s.cli("audit", "verify")
        self.assertEqual(out.returncode, 3)
        self.assertIn("was removed", out.stdout)


class Ops(ServerTest):
    def test_mutations_are_audited(self):
        p = self.ok(self.s.api("POST", "/projects", {"code": "AUD2", "name": "记录"}, self.admin,
                               source="127.0.0.7"), 201)
        row = db_row(self.s, "SELECT action, entity, entity_id, ip, change, COALESCE(actor_id, 0)"
                             " FROM audit_log WHERE entity = 'project' AND entity_id = %d" % p["id"])
        self.assertEqual(row[:4], ["create", "project", str(p["id"]), "127.0.0.7"])
        self.assertIn("记录", row[4])
        self.assertNotEqual(row[5], "0")

    def test_backup(self):
        self.ok(self.s.api("POST", "/projects", {"code": "BAK1", "name": "备份"}, self.admin), 201)
        out_path = os.path.join(self.s.dir, "backup.db")
        out = self.s.cli("backup", "--out", out_path)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertTrue(os.path.getsize(out_path) > 0)
        if BACKEND == "pg":
            lst = subprocess.run(["pg_restore", "--list", out_path], capture_output=True, text=True)
            self.assertEqual(lst.returncode, 0, lst.stderr)
            self.assertIn("TABLE DATA public projects", lst.stdout)
        else:
            con = sqlite3.connect(out_path)
            names = [r[0] for r in con.execute("SELECT code FROM projects")]
            con.close()
            self.assertIn("BAK1", names)

    def test_user_add_cli(self):
        out = self.s.cli("user", "add", "--username", "cli_desk", "--role", "desk", "--name", "前台",
                         stdin=PW + "\n")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.s.login("cli_desk", PW)
        out = self.s.cli("user", "add", "--username", "cli_bad", "--role", "emperor", stdin=PW + "\n")
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("role", out.stderr)
        out = self.s.cli("user", "add", "--username", "cli_short", "--role", "desk", stdin="abc\n")
        self.assertNotEqual(out.returncode, 0)

    def test_write_is_all_or_nothing(self):
        p = self.ok(self.s.api("POST", "/projects", {"code": "ATOM1", "name": "原子"}, self.admin), 201)
        b = self.ok(self.s.api("POST", "/projects/%d/buildings" % p["id"], {"name": "1栋", "floors": 3},
                               self.admin), 201)
        rm = self.ok(self.s.api("POST", "/projects/%d/rooms" % p["id"],
                                {"building_id": b["id"], "floor": 1, "number": "101"}, self.admin), 201)
        # A rogue audit row takes the sequence number the next write will need:
        # the resident's user and resident rows go in, then its audit row fails,
        # and every row of that write must be gone.
        db_exec(self.s, "INSERT INTO audit_log (seq, at, action, entity, prev_hash, hash)"
                        " SELECT seq + 1, 0, 'rogue', 'x', '', '' FROM audit_head")
        r = self.s.api("POST", "/projects/%d/residents" % p["id"],
                       {"name": "冲突", "phone": "13511112222", "kind": "owner", "room_ids": [rm["id"]]},
                       self.admin)
        # the sequence number was taken by another writer: a conflict the client
        # may retry (409), never a 500, which the contract reserves for bugs
        self.fail_with(r, 409, "conflict")
        db_exec(self.s, "DELETE FROM audit_log WHERE action = 'rogue'")
        items = self.ok(self.s.api("GET", "/projects/%d/residents?phone=13511112222" % p["id"],
                                   token=self.admin))["items"]
        self.assertEqual(items, [])
        self.assertEqual(db_row(self.s, "SELECT COUNT(*) FROM users WHERE username = '13511112222'"), ["0"])
        out = self.s.cli("audit", "verify")
        self.assertEqual(out.returncode, 0, out.stdout)

    def test_demo_refuses_non_empty_database(self):
        out = self.s.cli("demo", "--scale", "small")
        self.assertEqual(out.returncode, 0)
        self.assertIn("already has data", out.stderr)


class Shutdown(ServerTest):
    def test_sigterm_finishes_in_flight(self):
        # Logins take real time (argon2id): fire several and stop the server
        # while they run; each one gets a complete answer.
        results = []

        def login():
            try:
                r = self.s.api("POST", "/auth/login", {"username": "admin", "password": "admin-Pass-2026"})
                results.append(r.status)
            except OSError as e:
                results.append(str(e))
        threads = [threading.Thread(target=login) for _ in range(4)]
        for t in threads:
            t.start()
        import time
        time.sleep(0.05)
        self.s.proc.send_signal(signal.SIGTERM)
        for t in threads:
            t.join()
        code = self.s.proc.wait(timeout=30)
        self.assertEqual(code, 0)
        # every request that was accepted got its full answer
        self.assertTrue(all(x == 200 or isinstance(x, str) for x in results), results)
        self.assertIn(200, results)
        self.s.start()  # so tearDownClass can stop it normally
