"""Live updates (GET /stream, server-sent events): a change reaches staff of
the ticket's project and not staff of another project, residents follow their
own tickets, auth is required, streams per user are limited, a reconnect with
Last-Event-ID catches up, many open streams leave the server answering, and
SIGTERM ends a server with open streams cleanly."""
import json
import signal
import socket
import time

from lib import ADMIN_PW, PW, Server, ServerTest, make_org

# Generous: how long a test waits for something that should come at once.
WAIT = 20


class Stream:
    """A raw HTTP/1.1 client for one event stream (chunked transfer)."""

    def __init__(self, port, token=None, last_event_id=None, path="/api/v1/stream"):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
        head = "GET %s HTTP/1.1\r\nHost: anju\r\nAccept: text/event-stream\r\n" % path
        if token:
            head += "Authorization: Bearer %s\r\n" % token
        if last_event_id:
            head += "Last-Event-ID: %s\r\n" % last_event_id
        self.sock.sendall((head + "\r\n").encode())
        self.raw = b""
        while b"\r\n\r\n" not in self.raw:
            self._fill()
        head, self.raw = self.raw.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        self.status = int(lines[0].split()[1])
        self.headers = {k.lower(): v.strip() for k, v in
                        (ln.split(":", 1) for ln in lines[1:] if ":" in ln)}
        self.text = ""
        self.events = []  # (id, event, data) in order; comments as (None, ":", text)

    def _fill(self):
        b = self.sock.recv(65536)
        if not b:
            raise EOFError("stream closed")
        self.raw += b

    def _decode_chunks(self):
        while True:
            if b"\r\n" not in self.raw:
                return
            size_line, rest = self.raw.split(b"\r\n", 1)
            size = int(size_line.split(b";")[0], 16)
            if size == 0:
                raise EOFError("stream ended")
            if len(rest) < size + 2:
                return
            self.text += rest[:size].decode("utf-8")
            self.raw = rest[size + 2:]

    def _parse(self):
        while "\n\n" in self.text:
            block, self.text = self.text.split("\n\n", 1)
            ev = {"id": None, "event": "message", "data": []}
            for line in block.split("\n"):
                if line.startswith(":"):
                    self.events.append((None, ":", line[1:].strip()))
                elif ":" in line:
                    k, v = line.split(":", 1)
                    v = v[1:] if v.startswith(" ") else v
                    if k == "data":
                        ev["data"].append(v)
                    elif k in ("id", "event"):
                        ev[k] = v
            if ev["data"]:
                self.events.append((ev["id"], ev["event"], json.loads("\n".join(ev["data"]))))

    def next(self, kind="ticket"):
        """The next event of this kind (others before it are skipped); kind
        None: the next event of any kind (comments skipped)."""
        deadline = time.time() + WAIT
        while True:
            while self.events:
                e = self.events.pop(0)
                if e[1] == kind or (kind is None and e[1] != ":"):
                    return e
            if time.time() > deadline:
                raise AssertionError("no %s event within %ds" % (kind, WAIT))
            self._decode_chunks()
            self._parse()
            if not self.events:
                self._fill()

    def body(self):
        """The whole body of a non-stream answer (an error)."""
        n = int(self.headers.get("content-length", "0"))
        while len(self.raw) < n:
            self._fill()
        return json.loads(self.raw[:n]) if n else None

    def close(self):
        self.sock.close()


class StreamTest(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.o = make_org(cls.s, cls.admin)
        # Opened first, checked last (test_zz_ping): the 15 s ping comes while
        # the other tests run.
        cls.pinged = Stream(cls.s.port, cls.o["cleaner_token"])

    @classmethod
    def tearDownClass(cls):
        cls.pinged.close()
        super().tearDownClass()

    def setUp(self):
        self.streams = []

    def tearDown(self):
        for st in self.streams:
            st.close()

    def open(self, token, **kw):
        st = Stream(self.s.port, token, **kw)
        self.streams.append(st)
        return st

    def ticket(self, project="p1", token=None, **kw):
        body = {"project_id": self.o[project], "kind": "repair", "category": "水电/漏水",
                "title": "卫生间漏水", "channel": "phone"}
        body.update(kw)
        r = self.s.api("POST", "/tickets", body, token or self.admin)
        self.assertEqual(r.status, 201, r)
        return r.json

    def test_auth_required(self):
        st = self.open(None)
        self.assertEqual(st.status, 401)
        self.assertEqual(st.body()["error"]["code"], "unauthenticated")
        st = self.open("not-a-token")
        self.assertEqual(st.status, 401)
        r = self.s.api("POST", "/stream", {}, self.admin)
        self.fail_with(r, 405, "method_not_allowed")

    def test_headers(self):
        st = self.open(self.o["desk_token"])
        self.assertEqual(st.status, 200)
        self.assertTrue(st.headers["content-type"].startswith("text/event-stream"))
        self.assertEqual(st.headers.get("cache-control"), "no-store")

    def test_staff_of_the_project_get_the_change(self):
        desk1 = self.open(self.o["desk_token"])           # staff of p1
        tech1 = self.open(self.o["technician_token"])     # staff of p1
        mgr2 = self.open(self.o["manager_p2_token"])      # staff of p2 only
        t = self.ticket("p1", self.o["desk_token"])
        for st in (desk1, tech1):
            eid, kind, d = st.next()
            self.assertTrue(eid)
            self.assertEqual(d, {"id": t["id"], "no": t["no"], "project_id": self.o["p1"],
                                 "status": "new", "action": "create", "assignee_id": None,
                                 "at": t["updated_at"]})
        # p2's manager sees p2's next ticket first: p1's never reached them.
        t2 = self.ticket("p2")
        self.assertEqual(mgr2.next()[2]["id"], t2["id"])
        # ... and p1's staff never see p2's.
        t3 = self.ticket("p1")
        self.assertEqual(desk1.next()[2]["id"], t3["id"])

    def test_actions_are_published(self):
        desk1 = self.open(self.o["desk_token"])
        t = self.ticket("p1")
        self.assertEqual(desk1.next()[2]["action"], "create")
        r = self.s.api("POST", "/tickets/%d/actions/accept" % t["id"], None, self.o["desk_token"])
        self.assertEqual(r.status, 200, r)
        d = desk1.next()[2]
        self.assertEqual((d["id"], d["action"], d["status"]), (t["id"], "accept", "accepted"))
        r = self.s.api("POST", "/tickets/%d/actions/assign" % t["id"],
                       {"assignee_id": self.o["technician"]}, self.o["desk_token"])
        self.assertEqual(r.status, 200, r)
        d = desk1.next()[2]
        self.assertEqual((d["action"], d["status"], d["assignee_id"]),
                         ("assign", "assigned", self.o["technician"]))
        # A refused action publishes nothing: the next event is the next change.
        r = self.s.api("POST", "/tickets/%d/actions/accept" % t["id"], None, self.o["desk_token"])
        self.assertEqual(r.status, 409, r)
        r = self.s.api("POST", "/tickets/%d/actions/comment" % t["id"], {"text": "已联系"},
                       self.o["desk_token"])
        self.assertEqual(r.status, 200, r)
        d = desk1.next()[2]
        self.assertEqual((d["action"], d["status"]), ("comment", "assigned"))

    def test_notifications_reach_their_recipient_only(self):
        tech = self.open(self.o["technician_token"])
        desk = self.open(self.o["desk_token"])
        t = self.ticket("p1")
        for a, b in (("accept", None), ("assign", {"assignee_id": self.o["technician"]})):
            r = self.s.api("POST", "/tickets/%d/actions/%s" % (t["id"], a), b, self.o["desk_token"])
            self.assertEqual(r.status, 200, r)
        _, _, n = tech.next("notification")
        self.assertEqual((n["kind"], n["ticket_id"]), ("assignment", t["id"]))
        self.assertIn(t["no"], n["title"])
        r = self.s.api("GET", "/notifications", token=self.o["technician_token"])
        self.assertEqual(r.status, 200, r)
        self.assertIn(n["id"], [x["id"] for x in r.json["items"]])
        # The desk saw the ticket move, and no notification of the technician's.
        for action in ("create", "accept", "assign"):
            _, kind, d = desk.next(None)
            self.assertEqual((kind, d["action"]), ("ticket", action))
        t2 = self.ticket("p1")
        _, kind, d = desk.next(None)
        self.assertEqual((kind, d["id"]), ("ticket", t2["id"]))

    def test_company_wide_roles_see_every_project(self):
        adm = self.open(self.admin)
        qual = self.open(self.o["quality_token"])
        t1 = self.ticket("p1")
        t2 = self.ticket("p2")
        for st in (adm, qual):
            self.assertEqual(st.next()[2]["id"], t1["id"])
            self.assertEqual(st.next()[2]["id"], t2["id"])

    def test_residents_follow_their_own_tickets_only(self):
        r1 = self.open(self.o["r1_token"])
        r2 = self.open(self.o["r2_token"])
        mine = self.ticket("p1", self.o["r1_token"], title="门锁坏了", channel="app")
        other = self.ticket("p1", self.o["r2_token"], title="灯不亮", channel="app")
        self.assertEqual(r1.next()[2]["id"], mine["id"])
        self.assertEqual(r2.next()[2]["id"], other["id"])
        # Filed by the desk for r1: r1's ticket all the same.
        for_r1 = self.ticket("p1", self.o["desk_token"], resident_id=self.o["r1"],
                             room_id=self.o["p1_rooms"][0])
        self.assertEqual(r1.next()[2]["id"], for_r1["id"])
        # r2 got nothing of r1's: r2's next event is r2's next ticket.
        again = self.ticket("p1", self.o["r2_token"], title="又不亮了", channel="app")
        self.assertEqual(r2.next()[2]["id"], again["id"])

    def test_reconnect_replays_what_was_missed(self):
        st = self.open(self.o["desk_token"])
        t1 = self.ticket("p1")
        eid, _, d = st.next()
        self.assertEqual(d["id"], t1["id"])
        st.close()
        t2 = self.ticket("p1")
        t3 = self.ticket("p1")
        again = self.open(self.o["desk_token"], last_event_id=eid)
        self.assertEqual(again.next()[2]["id"], t2["id"])
        self.assertEqual(again.next()[2]["id"], t3["id"])
        # Ids from another server run (or junk) replay nothing and still connect.
        junk = self.open(self.o["desk_token"], last_event_id="zz-1")
        self.assertEqual(junk.status, 200)
        t4 = self.ticket("p1")
        self.assertEqual(junk.next()[2]["id"], t4["id"])

    def test_streams_per_user_are_limited(self):
        token = self.s.login(self.fresh_staff(), PW)
        open_ = [self.open(token) for _ in range(8)]
        self.assertTrue(all(st.status == 200 for st in open_))
        extra = self.open(token)
        self.assertEqual(extra.status, 429)
        self.assertEqual(extra.body()["error"]["code"], "rate_limited")
        self.assertTrue(extra.headers.get("retry-after"))
        # A stream whose client went away stops counting (noticed on the next try).
        open_[0].close()
        deadline = time.time() + WAIT
        while True:
            st = self.open(token)
            if st.status == 200 or time.time() > deadline:
                break
            time.sleep(0.5)
        self.assertEqual(st.status, 200)

    def fresh_staff(self):
        """A fresh staff member, so the limit is not shared with other tests."""
        u = "guard_lim%d" % int(time.time() * 1000 % 100000)
        r = self.s.api("POST", "/staff", {"username": u, "password": PW, "name": "限流保安",
                                          "role": "guard", "department": "秩序",
                                          "project_ids": [self.o["p1"]]}, self.admin)
        self.assertEqual(r.status, 201, r)
        return u

    def test_zz_ping(self):
        """A comment line comes every 15 s on an idle stream."""
        self.assertEqual(self.pinged.status, 200)
        deadline = time.time() + 40
        while True:
            self.pinged._decode_chunks()
            self.pinged._parse()
            if any(e[1] == ":" and e[2] == "ping" for e in self.pinged.events):
                break
            self.assertLess(time.time(), deadline, "no ping")
            self.pinged._fill()


class ManyStreamsTest(ServerTest):
    """Open streams hold no worker thread: with 64 of them on a 2-thread server
    other requests are still answered, every stream gets the change, and
    SIGTERM still ends the server cleanly."""
    # all 64 streams come from one address: above the default per-address limit
    server_env = {"ANJU_PER_IP_CONNECTIONS": "128"}

    def test_many_streams_and_shutdown(self):
        o = make_org(self.s, self.admin)
        tokens = []
        for i in range(8):
            u = "desk_many%d" % i
            r = self.s.api("POST", "/staff", {"username": u, "password": PW, "name": "客服%d" % i,
                                              "role": "desk", "department": "客服",
                                              "project_ids": [o["p1"]]}, self.admin)
            self.assertEqual(r.status, 201, r)
            tokens.append(self.s.login(u, PW))
        streams = [Stream(self.s.port, tokens[i % 8]) for i in range(64)]
        try:
            self.assertTrue(all(st.status == 200 for st in streams))
            for _ in range(20):
                r = self.s.api("GET", "/tickets?limit=5", token=self.admin)
                self.assertEqual(r.status, 200, r)
            r = self.s.api("POST", "/tickets", {"project_id": o["p1"], "kind": "repair",
                                                "category": "水电/漏水", "title": "停水",
                                                "channel": "phone"}, self.admin)
            self.assertEqual(r.status, 201, r)
            for st in streams:
                self.assertEqual(st.next()[2]["id"], r.json["id"])
            code = self.s.stop(signal.SIGTERM)
            self.assertEqual(code, 0)
            # Each stream was ended properly (the last chunk), not cut off.
            for st in streams[:4]:
                with self.assertRaisesRegex(EOFError, "stream ended"):
                    while True:
                        st._decode_chunks()
                        st._fill()
        finally:
            for st in streams:
                st.close()
            self.s.start()
