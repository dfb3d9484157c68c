"""Crash safety: clients create and accept tickets while `anju serve` is killed
with SIGKILL; after a restart on the same database every ticket that was
acknowledged (201) is there with its event and SLA rows, every acknowledged
accept too, numbers stay unique, and the database is intact (SQLite's
integrity check, the audit chain)."""
import signal
import sqlite3
import subprocess
import threading
import time

from lib import BACKEND, ServerTest, make_org

CLIENTS = 4
# Kill once this many tickets are acknowledged, with the clients still going.
KILL_AFTER = 60


class CrashTest(ServerTest):
    def test_sigkill_while_creating(self):
        s = self.s
        o = make_org(s, self.admin)
        created, accepted, errors = {}, set(), []
        lock = threading.Lock()
        enough = threading.Event()
        stop = threading.Event()

        def client(n):
            i = 0
            while not stop.is_set():
                i += 1
                body = {"project_id": o["p1"], "kind": "repair" if i % 3 else "complaint",
                        "category": "水电/漏水", "title": "崩溃测试 %d-%d" % (n, i),
                        "description": "客户端 %d 第 %d 张" % (n, i), "channel": "phone",
                        "room_id": o["p1_rooms"][i % 2]}
                try:
                    r = s.api("POST", "/tickets", body, o["desk_token"])
                except OSError:
                    continue  # the server is gone (or not yet back): nothing was acknowledged
                if r.status != 201:
                    if r.status not in (503,):
                        errors.append(r)
                    continue
                with lock:
                    created[r.json["id"]] = r.json
                    if len(created) >= KILL_AFTER:
                        enough.set()
                if i % 2:
                    try:
                        a = s.api("POST", "/tickets/%d/actions/accept" % r.json["id"], None,
                                  o["desk_token"])
                    except OSError:
                        continue
                    if a.status == 200:
                        with lock:
                            accepted.add(r.json["id"])

        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        for t in threads:
            t.start()
        try:
            self.assertTrue(enough.wait(120), "the clients made no progress: %r" % errors[:3])
            s.proc.send_signal(signal.SIGKILL)
            s.proc.wait()
        finally:
            stop.set()
            for t in threads:
                t.join()
        s.stop()
        self.assertEqual(errors, [])
        self.assertGreaterEqual(len(created), KILL_AFTER)

        if BACKEND == "sqlite":
            con = sqlite3.connect(s.db[len("sqlite:"):])
            try:
                self.assertEqual(con.execute("PRAGMA integrity_check").fetchall(), [("ok",)])
                self.assertEqual(con.execute("PRAGMA foreign_key_check").fetchall(), [])
            finally:
                con.close()
        verify = s.cli("audit", "verify")
        self.assertEqual(verify.returncode, 0, verify.stdout + verify.stderr)

        s.start()
        admin = s.login("admin", "admin-Pass-2026")
        for tid, t in created.items():
            r = s.api("GET", "/tickets/%d" % tid, token=admin)
            self.assertEqual(r.status, 200, (tid, r))
            got = r.json
            self.assertEqual((got["no"], got["title"]), (t["no"], t["title"]))
            actions = [e["action"] for e in got["events"]]
            self.assertEqual(actions[0], "create", got["events"])
            self.assertEqual({x["milestone"] for x in got["sla"]},
                             {x["milestone"] for x in t["sla"]})
            self.assertTrue(got["sla"])
            if tid in accepted:
                self.assertEqual(got["status"], "accepted")
                self.assertIn("accept", actions)
                respond = [x for x in got["sla"] if x["milestone"] == "respond"]
                self.assertTrue(respond and respond[0]["met_at"], got["sla"])
            # Whatever the state, it is a fold of the events: the last move is the status.
            moves = [e["to"] for e in got["events"] if e["to"]]
            self.assertEqual(moves[-1], got["status"], got["events"])
        # Human numbers stay unique, and the server goes on numbering after the crash.
        r = s.api("GET", "/tickets?project_id=%d&limit=200&with_total=1" % o["p1"], token=admin)
        self.assertEqual(r.status, 200, r)
        nos = [t["no"] for t in r.json["items"]]
        self.assertEqual(len(nos), len(set(nos)))
        self.assertGreaterEqual(r.json["total"], len(created))
        r = s.api("POST", "/tickets", {"project_id": o["p1"], "kind": "repair",
                                       "category": "水电/漏水", "title": "重启后第一张",
                                       "channel": "phone"}, o["desk_token"])
        self.assertEqual(r.status, 201, r)
        self.assertNotIn(r.json["no"], nos)
