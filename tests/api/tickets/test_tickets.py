"""Work orders: create, read, the state machine action by action and state by
state, SLA milestones met by their actions, hold and resume, the complaint
closed loop, repeat complaints, dispatch, concurrency and scope."""
import datetime
import json
import os
import sqlite3
import subprocess
import threading
import time
import uuid

from lib import ADMIN_PW, BACKEND, PW, Server, ServerTest, make_org
from core.test_files import png_1x1, form, BOUNDARY

TZ = datetime.timezone(datetime.timedelta(hours=8))


def iso(dt):
    return dt.astimezone(TZ).isoformat(timespec="seconds")


def ts(s):
    return datetime.datetime.fromisoformat(s).timestamp()


def now():
    return datetime.datetime.now(TZ)


STATES = ["new", "accepted", "assigned", "in_progress", "on_hold", "resolved", "closed", "cancelled"]
OPEN = {"new", "accepted", "assigned", "in_progress", "on_hold"}


class TicketBase(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.o = make_org(cls.s, cls.admin)

    def create(self, token=None, status=201, **kw):
        body = {"project_id": self.o["p1"], "kind": "repair", "category": "水电/漏水",
                "title": "厨房水管漏水", "channel": "phone"}
        body.update(kw)
        body = {k: v for k, v in body.items() if v is not None}
        r = self.s.api("POST", "/tickets", body, token or self.o["desk_token"])
        self.assertEqual(r.status, status, r)
        return r.json

    def act(self, tid, action, body=None, token=None):
        return self.s.api("POST", "/tickets/%d/actions/%s" % (tid, action), body,
                          token or self.admin)

    def do(self, tid, action, body=None, token=None):
        r = self.act(tid, action, body, token)
        self.assertEqual(r.status, 200, (action, r))
        return r.json

    def get(self, tid, token=None):
        return self.s.api("GET", "/tickets/%d" % tid, token=token or self.admin)

    def sla(self, t, milestone):
        for row in t["sla"]:
            if row["milestone"] == milestone:
                return row
        self.fail("no %s milestone in %s" % (milestone, t["sla"]))

    def audit_rows(self, entity_id, action):
        """Audit rows of a ticket, read from the database itself."""
        sql = ("SELECT action, change FROM audit_log WHERE entity = 'ticket' AND entity_id = %d"
               " AND action = '%s'" % (entity_id, action))
        if BACKEND == "pg":
            out = subprocess.run(["psql", "-qAt", "-F", "\t", self.s.db, "-c", sql],
                                 capture_output=True, text=True, check=True).stdout
            return [line.split("\t") for line in out.splitlines() if line]
        con = sqlite3.connect(self.s.db[len("sqlite:"):])
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()


# The path from new to each state, as (action, body) steps taken by admin.
PATHS = {
    "new": [],
    "accepted": [("accept", None)],
    "assigned": [("accept", None), ("assign", "TECH")],
    "in_progress": [("accept", None), ("assign", "TECH"), ("arrive", None)],
    "on_hold": [("accept", None), ("assign", "TECH"), ("hold", {"reason": "等配件"})],
    "resolved": [("accept", None), ("assign", "TECH"), ("arrive", None),
                 ("resolve", {"resolution": "已修复"})],
    "closed": [("accept", None), ("assign", "TECH"), ("arrive", None),
               ("resolve", {"resolution": "已修复"}), ("close", None)],
    "cancelled": [("cancel", {"reason": "住户撤回"})],
}


class StateMachine(TicketBase):
    def to_state(self, state, kind="repair", **kw):
        t = self.create(kind=kind, room_id=self.o["p1_rooms"][0], resident_id=self.o["r1"], **kw)
        for action, body in PATHS[state]:
            if body == "TECH":
                body = {"assignee_id": self.o["technician"]}
            if action == "close" and kind == "complaint":
                self.do(t["id"], "visit", {"satisfied": True})
            t = self.do(t["id"], action, body)
        self.assertEqual(t["status"], state)
        return t

    # The API.md table: allowed (action, from) -> to, for a repair.
    ALLOWED = {
        "accept": {"new": "accepted"},
        "assign": {"accepted": "assigned", "assigned": "assigned"},
        "arrive": {"assigned": "in_progress"},
        "contact": {s: s for s in OPEN},
        "investigate": {},  # complaints only
        "hold": {"accepted": "on_hold", "assigned": "on_hold", "in_progress": "on_hold"},
        "resume": {"on_hold": "assigned"},
        "resolve": {"assigned": "resolved", "in_progress": "resolved"},
        "rate": {"resolved": "resolved", "closed": "closed"},
        "visit": {"resolved": "resolved", "closed": "closed"},
        "close": {"resolved": "closed"},
        "reopen": {"resolved": "assigned", "closed": "assigned"},
        "cancel": {s: "cancelled" for s in OPEN},
        "comment": {s: s for s in STATES},
    }
    BODIES = {
        "assign": {"assignee_id": "TECH"}, "contact": {"note": "已电话联系业主"},
        "investigate": {"findings": "现场核实", "valid": True}, "hold": {"reason": "等配件"},
        "resolve": {"resolution": "更换阀门"}, "rate": {"score": 4, "comment": "及时"},
        "visit": {"satisfied": True, "note": "业主满意"}, "reopen": {"reason": "又漏了"},
        "cancel": {"reason": "重复报事"}, "comment": {"text": "备注"},
    }

    def test_each_action_from_each_state(self):
        for action, allowed in self.ALLOWED.items():
            for state in STATES:
                with self.subTest(action=action, state=state):
                    t = self.to_state(state)
                    body = dict(self.BODIES.get(action) or {})
                    if body.get("assignee_id") == "TECH":
                        body["assignee_id"] = self.o["technician"]
                    token = self.o["r1_token"] if action == "rate" else self.admin
                    r = self.act(t["id"], action, body or None, token)
                    if state in allowed:
                        self.assertEqual(r.status, 200, r)
                        self.assertEqual(r.json["status"], allowed[state])
                        last = r.json["events"][-1]
                        self.assertEqual(last["action"], action)
                        self.assertEqual(r.json["version"], t["version"] + 1)
                    else:
                        self.fail_with(r, 409, "invalid_transition")
                        after = self.ok(self.get(t["id"]))
                        self.assertEqual(after["status"], state)
                        self.assertEqual(after["version"], t["version"])
                        self.assertEqual(len(after["events"]), len(t["events"]))

    def test_kind_rules(self):
        # investigate: complaints only, from assigned or in_progress
        for state in STATES:
            with self.subTest(state=state):
                t = self.to_state(state, kind="complaint", category="服务态度/维修人员")
                r = self.act(t["id"], "investigate", {"findings": "属实", "valid": True})
                if state in ("assigned", "in_progress"):
                    self.assertEqual(self.ok(r)["status"], "in_progress")
                    self.assertIs(r.json["valid_complaint"], True)
                else:
                    self.fail_with(r, 409, "invalid_transition")
        # an inquiry may be answered straight from accepted; a repair may not
        t = self.to_state("accepted", kind="inquiry", category="收费/物业费")
        self.assertEqual(self.do(t["id"], "resolve", {"resolution": "已答复"})["status"], "resolved")
        t = self.to_state("accepted")
        self.fail_with(self.act(t["id"], "resolve", {"resolution": "x"}), 409, "invalid_transition")

    def test_resume_returns_to_the_state_it_left(self):
        for before in ("accepted", "assigned", "in_progress"):
            t = self.to_state(before)
            t = self.do(t["id"], "hold", {"reason": "等住户在家", "until": iso(now() + datetime.timedelta(days=1))})
            self.assertEqual((t["status"], t["held_from"], t["hold_reason"]), ("on_hold", before, "等住户在家"))
            t = self.do(t["id"], "resume")
            self.assertEqual((t["status"], t["held_from"]), (before, None))

    def test_reopen_counts_and_needs_a_new_round(self):
        t = self.to_state("closed")
        t = self.do(t["id"], "reopen", {"reason": "仍然漏水"})
        self.assertEqual((t["status"], t["reopen_count"], t["closed_at"], t["resolved_at"]),
                         ("assigned", 1, None, None))
        t = self.do(t["id"], "resolve", {"resolution": "更换整段水管"})
        t = self.do(t["id"], "reopen", {"reason": "还是漏"}, self.o["r1_token"])  # the resident disputes
        self.assertEqual(t["reopen_count"], 2)
        self.assertEqual(t["events"][-1]["action"], "reopen")

    def test_rate(self):
        t = self.to_state("resolved")
        self.fail_with(self.act(t["id"], "rate", {"score": 5}, self.admin), 403, "forbidden")
        self.fail_with(self.act(t["id"], "rate", {"score": 5}, self.o["r2_token"]), 404, "not_found")
        for bad in ({"score": 0}, {"score": 6}, {"score": "5"}, {}, {"score": 5, "x": 1}):
            r = self.act(t["id"], "rate", bad, self.o["r1_token"])
            self.fail_with(r, 422, "validation_failed")
        t = self.do(t["id"], "rate", {"score": 5, "comment": "师傅很专业"}, self.o["r1_token"])
        self.assertEqual((t["rating"], t["rating_comment"]), (5, "师傅很专业"))
        self.fail_with(self.act(t["id"], "rate", {"score": 1}, self.o["r1_token"]), 409, "conflict")


class Milestones(TicketBase):
    def test_every_milestone_met_by_its_action(self):
        # complaint: respond, assign, contact, resolve; emergency repair: arrive
        t = self.create(kind="complaint", category="服务态度/维修人员", title="维修人员态度差",
                        room_id=self.o["p1_rooms"][0])
        self.assertEqual({r["milestone"] for r in t["sla"]}, {"respond", "assign", "contact", "resolve"})
        self.assertTrue(all(r["state"] == "pending" and r["met_at"] is None for r in t["sla"]))
        steps = [("accept", None, "respond"), ("assign", {"assignee_id": self.o["technician"]}, "assign"),
                 ("contact", {"note": "已与业主沟通"}, "contact"),
                 ("resolve", {"resolution": "已道歉并调整人员"}, "resolve")]
        met = set()
        for action, body, milestone in steps:
            t = self.do(t["id"], action, body)
            met.add(milestone)
            for row in t["sla"]:
                if row["milestone"] in met:
                    self.assertEqual(row["state"], "met", (action, row))
                    self.assertIsNotNone(row["met_at"])
                else:
                    self.assertIsNone(row["met_at"], (action, row))
        t = self.create(kind="repair", priority="emergency", category="水电/水管爆裂", title="水管爆裂")
        self.assertEqual([r["milestone"] for r in t["sla"]], ["respond", "arrive", "resolve"])
        r0 = self.sla(t, "arrive")
        self.assertEqual(ts(r0["due_at"]) - ts(t["reported_at"]), 30 * 60)
        self.assertEqual(ts(self.sla(t, "respond")["due_at"]) - ts(t["reported_at"]), 15 * 60)
        self.assertEqual(ts(self.sla(t, "resolve")["due_at"]) - ts(t["reported_at"]), 24 * 3600)
        for action, body in (("accept", None), ("assign", {"assignee_id": self.o["technician"]}), ("arrive", None)):
            t = self.do(t["id"], action, body)
        self.assertEqual(self.sla(t, "arrive")["state"], "met")
        self.assertEqual(self.sla(t, "resolve")["state"], "pending")
        # a second assignment does not move the assign milestone
        c = self.create(kind="complaint", category="噪音/邻里噪音", title="楼上噪音")
        c = self.do(c["id"], "accept")
        c = self.do(c["id"], "assign", {"assignee_id": self.o["technician"]})
        first = self.sla(c, "assign")["met_at"]
        time.sleep(1.1)
        c = self.do(c["id"], "assign", {"assignee_id": self.o["guard"]})
        self.assertEqual(self.sla(c, "assign")["met_at"], first)
        self.assertEqual(c["assignee_id"], self.o["guard"])
        # The desk sees who has it without reading staff records.
        guard = self.ok(self.s.api("GET", "/staff/%d" % self.o["guard"], token=self.admin))
        self.assertTrue(guard["name"])
        self.assertEqual(c["assignee_name"], guard["name"])
        listed = self.ok(self.s.api("GET", "/tickets?limit=50", token=self.o["desk_token"]))["items"]
        self.assertEqual([x["assignee_name"] for x in listed if x["id"] == c["id"]], [guard["name"]])

    def test_hold_pauses_and_resume_pushes_due_times(self):
        t = self.create(priority="emergency", category="水电/水管爆裂", title="水管爆裂")
        t = self.do(t["id"], "accept")
        t = self.do(t["id"], "assign", {"assignee_id": self.o["technician"]})
        before = {r["milestone"]: ts(r["due_at"]) for r in t["sla"]}
        t = self.do(t["id"], "hold", {"reason": "等待物业审批"}, self.o["technician_token"])
        self.assertEqual({r["milestone"]: r["state"] for r in t["sla"]},
                         {"respond": "met", "arrive": "paused", "resolve": "paused"})
        self.assertIsNone(t["next_due_at"])
        time.sleep(2.2)
        t = self.do(t["id"], "resume", None, self.o["technician_token"])
        held = ts(t["events"][-1]["at"]) - ts(t["events"][-2]["at"])
        self.assertGreaterEqual(held, 2)
        after = {r["milestone"]: ts(r["due_at"]) for r in t["sla"]}
        self.assertEqual(after["respond"], before["respond"])  # met: untouched
        self.assertEqual(after["arrive"] - before["arrive"], held)  # calendar clock: all of it
        self.assertEqual(after["resolve"] - before["resolve"], held)
        self.assertEqual({r["state"] for r in t["sla"] if r["milestone"] != "respond"}, {"pending"})

    def test_back_dated_ticket_starts_its_clocks_then(self):
        reported = now() - datetime.timedelta(hours=3)
        t = self.create(reported_at=iso(reported), channel="phone")
        self.assertEqual(t["reported_at"], iso(reported))
        self.assertEqual(ts(self.sla(t, "respond")["due_at"]), ts(iso(reported)) + 15 * 60)
        self.assertEqual(self.sla(t, "respond")["state"], "breached")
        self.assertTrue(t["overdue"])
        # late but met: the state says met; the due time stays as it was
        t = self.do(t["id"], "accept")
        self.assertEqual(self.sla(t, "respond")["state"], "met")
        self.assertFalse(t["overdue"])
        # the limits of back-dating
        r = self.s.api("POST", "/tickets", {"project_id": self.o["p1"], "kind": "repair", "category": "水电/漏水",
                                            "title": "x", "reported_at": iso(now() + datetime.timedelta(hours=1))},
                       self.o["desk_token"])
        self.fail_with(r, 422, "validation_failed", "reported_at")
        r = self.s.api("POST", "/tickets", {"project_id": self.o["p1"], "kind": "repair", "category": "水电/漏水",
                                            "title": "x", "reported_at": iso(now() - datetime.timedelta(days=31))},
                       self.o["desk_token"])
        self.fail_with(r, 422, "validation_failed", "reported_at")
        r = self.s.api("POST", "/tickets", {"kind": "repair", "category": "水电/漏水", "title": "x",
                                            "reported_at": iso(reported)}, self.o["r1_token"])
        self.fail_with(r, 422, "validation_failed", "reported_at")

    def test_resolve_and_cancel_stop_the_clocks(self):
        t = self.create(reported_at=iso(now() - datetime.timedelta(hours=1)))
        t = self.do(t["id"], "cancel", {"reason": "住户已自行修好"})
        self.assertEqual(self.sla(t, "respond")["state"], "breached")  # it was late when it stopped
        self.assertEqual(self.sla(t, "resolve")["state"], "paused")
        self.assertFalse(t["overdue"])
        self.assertEqual((t["cancel_reason"], t["events"][-1]["note"]), ("住户已自行修好", "住户已自行修好"))

    def test_scheduled_repair_runs_on_its_appointment(self):
        start = (now() + datetime.timedelta(days=2)).replace(microsecond=0)
        end = start + datetime.timedelta(hours=2)
        t = self.create(priority="scheduled", title="预约安装晾衣架", category="门窗/窗户",
                        appointment_start=iso(start), appointment_end=iso(end))
        self.assertEqual((t["appointment_start"], t["appointment_end"]), (iso(start), iso(end)))
        self.assertEqual(ts(self.sla(t, "arrive")["due_at"]), start.timestamp())
        self.assertEqual(ts(self.sla(t, "resolve")["due_at"]), end.timestamp() + 24 * 3600)
        for body, field in (({"appointment_end": iso(end)}, "appointment_start"),
                            ({"appointment_start": iso(start)}, "appointment_end"),
                            ({"appointment_start": iso(end), "appointment_end": iso(start)}, "appointment_end")):
            b = {"project_id": self.o["p1"], "kind": "repair", "category": "门窗/窗户", "title": "x",
                 "priority": "scheduled"}
            b.update(body)
            self.fail_with(self.s.api("POST", "/tickets", b, self.o["desk_token"]), 422, "validation_failed", field)
        b = {"project_id": self.o["p1"], "kind": "repair", "category": "门窗/窗户", "title": "x",
             "appointment_start": iso(start), "appointment_end": iso(end)}
        self.fail_with(self.s.api("POST", "/tickets", b, self.o["desk_token"]), 422, "validation_failed",
                       "appointment_start")


class Create(TicketBase):
    def test_numbers_fields_and_events(self):
        day = now().strftime("%Y%m%d")
        seen = {}
        for kind, prefix, cat in (("repair", "BX", "水电/漏水"), ("complaint", "TS", "噪音/装修噪音"),
                                  ("inquiry", "ZX", "收费/物业费"), ("suggestion", "JY", "绿化/修剪"),
                                  ("praise", "BY", "服务态度/保安人员")):
            for i in range(2):
                t = self.create(kind=kind, category=cat, title="标题%d" % i)
                self.assertTrue(t["no"].startswith("%s-%s-" % (prefix, day)), t["no"])
                seen.setdefault(prefix, []).append(int(t["no"].rsplit("-", 1)[1]))
        for prefix, ns in seen.items():
            self.assertEqual(ns[1], ns[0] + 1, prefix)
        t = self.create(title="卫生间漏水", description="楼上渗水到天花板", room_id=self.o["p1_rooms"][1],
                        resident_id=self.o["r2"], channel="walk_in")
        self.assertEqual((t["status"], t["kind"], t["priority"], t["category"], t["channel"]),
                         ("new", "repair", "normal", "水电/漏水", "walk_in"))
        self.assertEqual((t["room_id"], t["resident_id"], t["assignee_id"], t["rating"], t["repeat_of"]),
                         (self.o["p1_rooms"][1], self.o["r2"], None, None, None))
        self.assertEqual(t["events"], [{"id": 1, "at": t["created_at"], "actor_id": self.o["desk"],
                                        "action": "create", "from": None, "to": "new", "note": None,
                                        "data": None}])
        self.assertTrue(t["reported_at"].endswith("+08:00"))
        self.assertEqual(self.ok(self.get(t["id"])), t)
        self.assertEqual(len(self.audit_rows(t["id"], "create")), 1)
        # the company default for praise promises a response only
        t = self.create(kind="praise", category="服务态度/保安人员", title="保安帮忙搬东西")
        self.assertEqual([r["milestone"] for r in t["sla"]], ["respond"])

    def test_bad_input(self):
        p = self.o["p1"]
        base = {"project_id": p, "kind": "repair", "category": "水电/漏水", "title": "漏水"}
        cases = [
            ({"kind": None}, "kind"), ({"kind": "fix"}, "kind"), ({"title": None}, "title"),
            ({"title": ""}, "title"), ({"title": "长" * 100}, "title"), ({"category": None}, "category"),
            ({"category": "水电/不存在"}, "category"), ({"priority": "urgent"}, "priority"),
            ({"channel": "fax"}, "channel"), ({"project_id": None}, "project_id"),
            ({"project_id": "1"}, "project_id"), ({"room_id": self.o["p2_rooms"][0]}, "room_id"),
            ({"room_id": 999999}, "room_id"), ({"resident_id": self.o["r3"]}, "resident_id"),
            ({"reported_at": "yesterday"}, "reported_at"), ({"reported_at": "2026-09-30T16:00:00"}, "reported_at"),
            ({"photos": [0]}, "photos"), ({"photos": "1"}, "photos"), ({"photos": [999999]}, "photos"),
            ({"photos": list(range(1, 12))}, "photos"), ({"bogus": 1}, "bogus"),
            ({"description": "x" * 4001}, "description"),
        ]
        for change, field in cases:
            with self.subTest(change=change):
                body = dict(base)
                body.update(change)
                body = {k: v for k, v in body.items() if v is not None}
                self.fail_with(self.s.api("POST", "/tickets", body, self.o["desk_token"]), 422,
                               "validation_failed", field)
        for raw in (b"{", b"[]", b"", b'{"a":1}{'):
            r = self.s.api("POST", "/tickets", raw=raw, token=self.o["desk_token"])
            self.fail_with(r, 400, "bad_json")
        # a project outside the caller's scope is not found; unknown ids too
        b = dict(base, project_id=self.o["p2"])
        self.fail_with(self.s.api("POST", "/tickets", b, self.o["desk_token"]), 404, "not_found")
        self.fail_with(self.s.api("POST", "/tickets", dict(base, project_id=999999), self.admin), 404, "not_found")
        self.fail_with(self.s.api("POST", "/tickets", base), 401, "unauthenticated")
        for path in ("/tickets/999999", "/tickets/abc", "/tickets/0", "/tickets/-1"):
            self.fail_with(self.s.api("GET", path, token=self.admin), 404, "not_found")

    def test_photos(self):
        png = png_1x1()
        def upload(token):
            r = self.s.api("POST", "/files", token=token, raw=form([("file", "p.png", "image/png", png)]),
                           headers={"Content-Type": "multipart/form-data; boundary=" + BOUNDARY})
            self.assertEqual(r.status, 201, r)
            return r.json["id"]
        mine, theirs = upload(self.o["r1_token"]), upload(self.o["r2_token"])
        t = self.create(token=self.o["r1_token"], project_id=None, channel=None, photos=[mine])
        self.assertEqual(t["photos"], [mine])
        # staff of the project now see the resident's photo through the ticket
        self.assertEqual(self.s.api("GET", "/files/%d" % mine, token=self.o["technician_token"]).status, 200)
        # someone else's upload cannot be attached (it would be shown to whoever sees the ticket)
        r = self.s.api("POST", "/tickets", {"kind": "repair", "category": "水电/漏水", "title": "x",
                                            "photos": [theirs]}, self.o["r1_token"])
        self.fail_with(r, 422, "validation_failed", "photos")


class Scope(TicketBase):
    def test_resident_files_for_their_own_room_only(self):
        o = self.o
        t = self.create(token=o["r1_token"], project_id=None, channel=None, title="阳台漏水")
        self.assertEqual((t["project_id"], t["room_id"], t["resident_id"], t["channel"], t["created_by"]),
                         (o["p1"], o["p1_rooms"][0], o["r1"], "app", t["created_by"]))
        for body, field in (({"room_id": o["p1_rooms"][1]}, "room_id"), ({"room_id": o["p2_rooms"][0]}, "room_id"),
                            ({"resident_id": o["r2"]}, "resident_id"), ({"project_id": o["p2"]}, "project_id"),
                            ({"channel": "phone"}, "channel")):
            b = {"kind": "repair", "category": "水电/漏水", "title": "x"}
            b.update(body)
            self.fail_with(self.s.api("POST", "/tickets", b, o["r1_token"]), 422, "validation_failed", field)
        # a resident with two rooms must say which
        rs = self.ok(self.s.api("POST", "/projects/%d/residents" % o["p1"],
                                {"name": "两套房", "phone": "13900000009", "room_ids": o["p1_rooms"]}, self.admin), 201)
        self.assertEqual(self.s.api("POST", "/residents/%d/password" % rs["id"], {"password": PW}, self.admin).status, 204)
        tok = self.s.login("13900000009", PW)
        b = {"kind": "complaint", "category": "噪音/邻里噪音", "title": "楼上很吵"}
        self.fail_with(self.s.api("POST", "/tickets", b, tok), 422, "validation_failed", "room_id")
        t2 = self.ok(self.s.api("POST", "/tickets", dict(b, room_id=o["p1_rooms"][1]), tok), 201)
        self.assertEqual(t2["room_id"], o["p1_rooms"][1])

    def test_who_sees_and_acts(self):
        o = self.o
        t = self.create(token=o["r1_token"], project_id=None, channel=None, title="门禁坏了",
                        category="门窗/门禁")
        tid = t["id"]
        # r2 (another room) and r3 (another project) see nothing and can do nothing
        for tok in (o["r2_token"], o["r3_token"], o["manager_p2_token"]):
            self.fail_with(self.get(tid, tok), 404, "not_found")
            for action, body in (("comment", {"text": "x"}), ("cancel", {"reason": "x"}), ("accept", None)):
                self.fail_with(self.act(tid, action, body, tok), 404, "not_found")
            ids = [x["id"] for x in self.ok(self.s.api("GET", "/tickets?limit=200", token=tok))["items"]]
            self.assertNotIn(tid, ids)
        self.fail_with(self.s.api("GET", "/tickets/%d/candidates" % tid, token=o["r2_token"]), 404, "not_found")
        # staff of the project and company-wide roles see it
        for tok in (o["desk_token"], o["technician_token"], o["guard_token"], o["quality_token"], self.admin):
            self.ok(self.get(tid, tok))
            ids = [x["id"] for x in self.ok(self.s.api("GET", "/tickets?limit=200", token=tok))["items"]]
            self.assertIn(tid, ids)
        # r1's own list holds only tickets of r1's room or r1
        for x in self.ok(self.s.api("GET", "/tickets?limit=200", token=o["r1_token"]))["items"]:
            self.assertTrue(x["room_id"] == o["p1_rooms"][0] or x["resident_id"] == o["r1"], x)
        # a resident bound to the same room (r4 lives with r2) sees that room's tickets
        t2 = self.create(room_id=o["p1_rooms"][1], title="客厅灯不亮", category="水电/插座开关")
        self.ok(self.get(t2["id"], o["r2_token"]))
        # wrong roles: 403
        self.fail_with(self.act(tid, "accept", None, o["r1_token"]), 403, "forbidden")
        self.fail_with(self.act(tid, "accept", None, o["quality_token"]), 403, "forbidden")
        self.fail_with(self.act(tid, "accept", None, o["technician_token"]), 403, "forbidden")
        self.ok(self.act(tid, "comment", {"text": "品质部已关注"}, o["quality_token"]))
        self.do(tid, "accept", None, o["desk_token"])
        self.do(tid, "assign", {"assignee_id": o["technician"]}, o["desk_token"])
        self.fail_with(self.act(tid, "arrive", None, o["desk_token"]), 403, "forbidden")
        self.fail_with(self.act(tid, "arrive", None, o["guard_token"]), 403, "forbidden")
        self.fail_with(self.act(tid, "cancel", {"reason": "不修了"}, o["r1_token"]), 403, "forbidden")
        self.do(tid, "arrive", None, o["technician_token"])
        self.fail_with(self.act(tid, "resolve", {"resolution": "x"}, o["desk_token"]), 403, "forbidden")
        t = self.do(tid, "resolve", {"resolution": "更换读卡器"}, o["technician_token"])
        self.fail_with(self.act(tid, "close", None, o["technician_token"]), 403, "forbidden")
        # the resident comments and may dispute
        self.do(tid, "comment", {"text": "谢谢师傅"}, o["r1_token"])
        self.assertEqual(self.do(tid, "reopen", {"reason": "又坏了"}, o["r1_token"])["status"], "assigned")
        # the resident withdraws a new ticket of theirs
        t3 = self.create(token=o["r1_token"], project_id=None, channel=None, title="误报")
        self.assertEqual(self.do(t3["id"], "cancel", {"reason": "误报"}, o["r1_token"])["status"], "cancelled")


class ComplaintLoop(TicketBase):
    def complaint(self, **kw):
        t = self.create(kind="complaint", category=kw.pop("category", "环境卫生/垃圾清运"),
                        title=kw.pop("title", "垃圾两天没清运"), room_id=self.o["p1_rooms"][0],
                        resident_id=self.o["r1"], **kw)
        t = self.do(t["id"], "accept")
        return self.do(t["id"], "assign", {"assignee_id": self.o["cleaner"]})

    def test_closed_loop(self):
        t = self.complaint()
        t = self.do(t["id"], "contact", {"note": "已致电业主说明情况"}, self.o["desk_token"])
        self.assertEqual((t["status"], t["contact_note"]), ("assigned", "已致电业主说明情况"))
        self.assertIsNotNone(t["contacted_at"])
        t = self.do(t["id"], "investigate", {"findings": "保洁员请假未安排替班", "valid": True},
                    self.o["cleaner_token"])
        self.assertEqual((t["status"], t["findings"], t["valid_complaint"]), ("in_progress", "保洁员请假未安排替班", True))
        t = self.do(t["id"], "resolve", {"resolution": "已清运并安排替班制度"}, self.o["cleaner_token"])
        self.assertEqual((t["status"], t["resolution"]), ("resolved", "已清运并安排替班制度"))
        r = self.act(t["id"], "close", None, self.o["desk_token"])
        self.fail_with(r, 409, "invalid_transition")
        self.assertIn("回访", r.json["error"]["message"])
        for bad, field in (({}, "satisfied"), ({"satisfied": "yes"}, "satisfied"), ({"unreachable": True}, "note")):
            self.fail_with(self.act(t["id"], "visit", bad, self.o["desk_token"]), 422, "validation_failed", field)
        self.fail_with(self.act(t["id"], "visit", {"satisfied": True}, self.o["cleaner_token"]), 403, "forbidden")
        t = self.do(t["id"], "visit", {"satisfied": True, "note": "业主表示满意"}, self.o["desk_token"])
        self.assertEqual((t["visit"]["satisfied"], t["visit"]["unreachable"], t["visit"]["note"], t["visit"]["by"]),
                         (True, False, "业主表示满意", self.o["desk"]))
        t = self.do(t["id"], "close", None, self.o["desk_token"])
        self.assertEqual(t["status"], "closed")
        self.assertEqual([e["action"] for e in t["events"]],
                         ["create", "accept", "assign", "contact", "investigate", "resolve", "visit", "close"])

    def test_unreachable_visit_is_audited_and_lets_it_close(self):
        t = self.complaint(title="绿化带有垃圾", category="环境卫生/楼道清洁")
        t = self.do(t["id"], "investigate", {"findings": "不属实", "valid": False}, self.o["cleaner_token"])
        self.assertIs(t["valid_complaint"], False)
        t = self.do(t["id"], "resolve", {"resolution": "已说明情况"}, self.o["cleaner_token"])
        t = self.do(t["id"], "visit", {"unreachable": True, "note": "三次致电均未接通"}, self.o["desk_token"])
        self.assertEqual((t["visit"]["unreachable"], t["visit"]["satisfied"]), (True, None))
        rows = self.audit_rows(t["id"], "visit_unreachable")
        self.assertEqual(len(rows), 1)
        self.assertIn("三次致电均未接通", rows[0][1])
        self.assertEqual(self.do(t["id"], "close", None, self.o["desk_token"])["status"], "closed")
        # a reopened complaint needs a new visit before it closes again
        t = self.do(t["id"], "reopen", {"reason": "业主不认可"}, self.o["desk_token"])
        self.assertIsNone(t["visit"])
        t = self.do(t["id"], "resolve", {"resolution": "再次处理"}, self.o["cleaner_token"])
        self.fail_with(self.act(t["id"], "close", None, self.o["desk_token"]), 409, "invalid_transition")

    def test_repeat_complaints_are_linked(self):
        o = self.o
        room = o["p2_rooms"][1]
        base = {"project_id": o["p2"], "kind": "complaint", "category": "噪音/装修噪音", "room_id": room}
        first = self.ok(self.s.api("POST", "/tickets", dict(base, title="隔壁装修太吵",
                        reported_at=iso(now() - datetime.timedelta(days=10))), self.admin), 201)
        self.assertIsNone(first["repeat_of"])
        again = self.ok(self.s.api("POST", "/tickets", dict(base, title="又在装修"), self.admin), 201)
        self.assertEqual(again["repeat_of"], first["id"])
        ev = [e for e in again["events"] if e["action"] == "repeat"]
        self.assertEqual(len(ev), 1)
        self.assertIn(first["no"], ev[0]["note"])
        self.assertEqual(ev[0]["data"], {"repeat_of": first["id"]})
        third = self.ok(self.s.api("POST", "/tickets", dict(base, title="第三次"), self.admin), 201)
        self.assertEqual(third["repeat_of"], again["id"])  # the latest earlier one
        # another category, a repair, another room: not repeats
        for change in ({"category": "噪音/邻里噪音"}, {"kind": "repair", "category": "噪音/装修噪音"},
                       {"room_id": o["p2_rooms"][0]}):
            t = self.ok(self.s.api("POST", "/tickets", dict(base, title="另一件", **change), self.admin), 201)
            self.assertIsNone(t["repeat_of"], change)


class Dispatch(TicketBase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s, admin = cls.s, cls.admin
        p = s.api("POST", "/projects", {"code": "DSP" + uuid.uuid4().hex[:4].upper(), "name": "派单测试"}, admin).json
        cls.p = p["id"]
        cls.staff = {}
        for key, role, skills, duty in (("a", "technician", ["水工"], True), ("b", "technician", ["水工", "电工"], True),
                                        ("c", "technician", ["电工"], True), ("d", "technician", ["水工"], False),
                                        ("g", "guard", ["秩序"], True), ("m", "manager", ["水工"], True)):
            r = s.api("POST", "/staff", {"username": "dsp_%s_%s" % (key, uuid.uuid4().hex[:4]), "password": PW,
                                         "name": "员工" + key, "role": role, "skills": skills,
                                         "on_duty": duty, "project_ids": [cls.p]}, admin)
            assert r.status == 201, r
            cls.staff[key] = r.json["id"]

    def ticket(self, category, status="accepted"):
        t = self.ok(self.s.api("POST", "/tickets", {"project_id": self.p, "kind": "repair", "category": category,
                                                    "title": "派单" + category}, self.admin), 201)
        return self.do(t["id"], "accept") if status == "accepted" else t

    def test_dispatch_rules(self):
        st = self.staff
        # a's load: one open work order
        t0 = self.ticket("水电/漏水")
        self.do(t0["id"], "assign", {"assignee_id": st["a"]})
        t = self.ticket("水电/漏水")
        cands = self.ok(self.s.api("GET", "/tickets/%d/candidates" % t["id"], token=self.admin))["items"]
        # 水工 on duty, front-line: b (0 open) before a (1 open); not c (电工), d (off duty), m (manager)
        self.assertEqual([(c["id"], c["open"]) for c in cands], [(st["b"], 0), (st["a"], 1)])
        t = self.do(t["id"], "assign", {})
        self.assertEqual(t["assignee_id"], st["b"])
        self.assertEqual(t["events"][-1]["data"], {"assignee_id": st["b"], "auto": True})
        # now a and b have one each: the tie goes to the lower id
        t = self.do(self.ticket("水电/水龙头")["id"], "assign")
        self.assertEqual(t["assignee_id"], min(st["a"], st["b"]))
        # a child with no skills of its own uses its parent's (公共照明 -> 电工): b has 2 open, c none
        t = self.do(self.ticket("公共照明/楼道灯")["id"], "assign")
        self.assertEqual(t["assignee_id"], st["c"])
        # a category without skills goes to any technician on duty (least loaded)
        t = self.do(self.ticket("噪音/邻里噪音")["id"], "assign")
        self.assertIn(t["assignee_id"], (st["a"], st["b"], st["c"]))
        self.assertNotEqual(t["assignee_id"], st["g"])
        # skills of the guard: 秩序
        t = self.do(self.ticket("秩序安全/门岗")["id"], "assign")
        self.assertEqual(t["assignee_id"], st["g"])

    def test_no_one_eligible_is_409_and_stays_accepted(self):
        t = self.ticket("电梯/困人")
        r = self.act(t["id"], "assign", {})
        self.fail_with(r, 409, "conflict")
        self.assertIn("电梯", r.json["error"]["message"])
        after = self.ok(self.get(t["id"]))
        self.assertEqual((after["status"], after["assignee_id"], after["version"]), ("accepted", None, t["version"]))
        self.assertEqual(self.ok(self.s.api("GET", "/tickets/%d/candidates" % t["id"], token=self.admin))["items"], [])
        # putting d (水工) on duty makes them a candidate; manual assignment is checked
        self.fail_with(self.act(t["id"], "assign", {"assignee_id": self.o["technician"]}), 422,
                       "validation_failed", "assignee_id")
        self.fail_with(self.act(t["id"], "assign", {"assignee_id": "x"}), 422, "validation_failed", "assignee_id")
        self.fail_with(self.act(t["id"], "assign", {"assignee_id": self.o["r1"]}), 422, "validation_failed", "assignee_id")
        # the off-duty technician may still be assigned by hand
        self.assertEqual(self.do(t["id"], "assign", {"assignee_id": self.staff["d"]})["assignee_id"], self.staff["d"])

    def test_candidates_need_the_desk(self):
        t = self.ticket("水电/漏水")
        self.fail_with(self.s.api("GET", "/tickets/%d/candidates" % t["id"], token=self.o["technician_token"]),
                       404, "not_found")  # another project: not even seen
        self.fail_with(self.s.api("GET", "/tickets/999999/candidates", token=self.admin), 404, "not_found")


class Concurrency(TicketBase):
    @classmethod
    def setUpClass(cls):
        cls.s = Server(threads=8)
        cls.admin = cls.s.login("admin", ADMIN_PW)
        cls.o = make_org(cls.s, cls.admin)

    def race(self, tid, calls):
        results = [None] * len(calls)
        barrier = threading.Barrier(len(calls))

        def run(i, action, body):
            barrier.wait()
            results[i] = self.act(tid, action, body)
        threads = [threading.Thread(target=run, args=(i, a, b)) for i, (a, b) in enumerate(calls)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        return results

    def test_one_wins_the_others_get_409(self):
        for round_ in range(5):
            t = self.create(title="并发%d" % round_, priority="emergency", category="水电/水管爆裂")
            t = self.do(t["id"], "accept")
            t = self.do(t["id"], "assign", {"assignee_id": self.o["technician"]})
            # Each client acts on the version it saw: whatever the order, one wins.
            v = t["version"]
            calls = [("arrive", {"version": v}), ("hold", {"reason": "等配件", "version": v}),
                     ("cancel", {"reason": "撤回", "version": v}),
                     ("resolve", {"resolution": "修好", "version": v})] * 2
            res = self.race(t["id"], calls)
            won = [r for r in res if r.status == 200]
            self.assertEqual(len(won), 1, res)
            for r in res:
                if r.status != 200:
                    self.assertEqual(r.status, 409, r)
                    self.assertIn(r.code, ("conflict", "invalid_transition"))
            final = self.ok(self.get(t["id"]))
            self.assertEqual(final["status"], won[0].json["status"])
            self.assertEqual(final["version"], t["version"] + 1)
            self.assertEqual(len(final["events"]), 4)
            # the SLA rows agree with the winner: never half of one action and half of another
            states = {r["milestone"]: r["state"] for r in final["sla"]}
            if final["status"] == "in_progress":
                self.assertEqual(states["arrive"], "met")
                self.assertEqual(states["resolve"], "pending")
            elif final["status"] in ("on_hold", "cancelled"):
                self.assertEqual((states["arrive"], states["resolve"]), ("paused", "paused"))
            else:
                self.assertEqual(final["status"], "resolved")
                self.assertEqual((states["arrive"], states["resolve"]), ("paused", "met"))

    def test_same_action_at_once_applies_once(self):
        for round_ in range(5):
            t = self.create(title="并发受理%d" % round_)
            res = self.race(t["id"], [("accept", None)] * 8)
            self.assertEqual(len([r for r in res if r.status == 200]), 1, res)
            self.assertEqual({r.code for r in res if r.status != 200} - {"conflict", "invalid_transition"}, set())
            final = self.ok(self.get(t["id"]))
            self.assertEqual([e["action"] for e in final["events"]], ["create", "accept"])
            self.assertEqual(final["version"], 2)
        # a stale version is refused even when the action itself is allowed
        t = self.do(t["id"], "comment", {"text": "x"})
        self.fail_with(self.act(t["id"], "comment", {"text": "y", "version": t["version"] - 1}), 409, "conflict")
        self.do(t["id"], "comment", {"text": "y", "version": t["version"]})

    def test_concurrent_creates_get_distinct_numbers(self):
        nos, lock = [], threading.Lock()

        def run():
            for _ in range(5):
                r = self.s.api("POST", "/tickets", {"project_id": self.o["p1"], "kind": "inquiry",
                                                    "category": "收费/物业费", "title": "物业费怎么交"},
                               self.o["desk_token"])
                with lock:
                    nos.append((r.status, r.json.get("no")))
        threads = [threading.Thread(target=run) for _ in range(4)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        self.assertEqual({s for s, _ in nos}, {201})
        self.assertEqual(len({n for _, n in nos}), 20)


class ActionInput(TicketBase):
    def test_bad_action_input(self):
        t = self.create()
        tid = t["id"]
        self.fail_with(self.act(tid, "fly"), 404, "not_found")
        self.fail_with(self.act(999999, "accept"), 404, "not_found")
        self.fail_with(self.s.api("POST", "/tickets/abc/actions/accept", token=self.admin), 404, "not_found")
        self.fail_with(self.s.api("GET", "/tickets/%d/actions/accept" % tid, token=self.admin), 405,
                       "method_not_allowed")
        for raw in (b"{", b"[1]", b"null", b'"x"'):
            self.fail_with(self.s.api("POST", "/tickets/%d/actions/accept" % tid, raw=raw, token=self.admin),
                           400, "bad_json")
        self.fail_with(self.act(tid, "accept", {"note": "ok", "extra": 1}), 422, "validation_failed", "extra")
        self.fail_with(self.act(tid, "accept", {"note": 5}), 422, "validation_failed", "note")
        t = self.do(tid, "accept", {"note": "已受理"})
        self.assertEqual(t["events"][-1]["note"], "已受理")
        t = self.do(tid, "assign", {"assignee_id": self.o["technician"]})
        cases = [
            ("assign", {"assignee_id": 0}, "assignee_id"), ("assign", {"assignee": 1}, "assignee"),
            ("contact", {}, "note"), ("contact", {"note": ""}, "note"),
            ("investigate", {"valid": "yes"}, "valid"), ("accept", {"version": "1"}, "version"),
            ("hold", {}, "reason"), ("hold", {"reason": "x", "until": "tomorrow"}, "until"),
            ("hold", {"reason": "x", "until": iso(now() - datetime.timedelta(hours=1))}, "until"),
            ("resolve", {}, "resolution"), ("cancel", {}, "reason"), ("cancel", {"reason": ["x"]}, "reason"),
            ("reopen", {"note": "x"}, "note"), ("comment", {}, "text"), ("comment", {"text": "x" * 2001}, "text"),
            ("rate", {"score": 3, "stars": 3}, "stars"), ("visit", {"satisfied": True, "x": 1}, "x"),
        ]
        for action, body, field in cases:
            with self.subTest(action=action, body=body):
                self.fail_with(self.act(tid, action, body), 422, "validation_failed", field)
        # nothing above changed the ticket
        self.assertEqual(self.ok(self.get(tid))["version"], t["version"])
        # investigate is the complaint's; the body is right but the kind is not
        self.fail_with(self.act(tid, "investigate", {"findings": "x", "valid": True}), 409, "invalid_transition")
