"""SLA policies and working-day calendars over HTTP: access (admin writes, staff
read, residents 403), validation, the due-time calculator against worked examples
(National Day, Spring Festival, New Year, the edges of the working day), admin
overrides changing the result, unpublished years, audit, and `anju calendar import`."""
import os
import sqlite3
import subprocess
import urllib.parse

from lib import BACKEND, ServerTest, make_org

ICS = "web/node_modules/chinese-days/dist/holidays.ics"

COMPLAINT = {"kind": "complaint", "priority": "high", "category": "环境/噪音",
             "milestones": [{"milestone": "respond", "amount": 10, "unit": "minute"},
                            {"milestone": "resolve", "amount": 2, "unit": "workday"}],
             "escalations": [{"at_percent": 100, "notify": "manager"}]}


def due_path(cal, frm, amount, unit, clock=None, quote=True):
    q = "from=%s&amount=%s&unit=%s" % (urllib.parse.quote(frm, safe="") if quote else frm,
                                       amount, unit)
    if clock:
        q += "&clock=" + clock
    return "/calendars/%d/due?%s" % (cal, q)


class SlaApi(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.o = make_org(cls.s, cls.admin)

    def tok(self, role):
        return self.o[role + "_token"]

    def due(self, frm, amount, unit, clock=None, cal=1, token=None, quote=True):
        return self.s.api("GET", due_path(cal, frm, amount, unit, clock, quote),
                          token=token or self.tok("desk"))

    def due_at(self, frm, amount, unit, clock=None, cal=1):
        return self.ok(self.due(frm, amount, unit, clock, cal))["due_at"]

    def count(self, sql):
        if BACKEND == "pg":
            out = subprocess.run(["psql", "-tA", self.s.db, "-c", sql], check=True,
                                 capture_output=True, text=True).stdout
            return int(out.strip())
        con = sqlite3.connect(self.s.db[len("sqlite:"):])
        try:
            return con.execute(sql).fetchone()[0]
        finally:
            con.close()

    # -- policies ------------------------------------------------------------
    def test_default_policies(self):
        items = self.ok(self.s.api("GET", "/sla-policies?project_id=1&kind=x", token=self.admin))["items"]
        self.assertEqual(items, [])
        page = self.ok(self.s.api("GET", "/sla-policies", token=self.tok("desk")))
        self.assertIsNone(page["next_cursor"])
        defaults = {(p["kind"], p["priority"]): p for p in page["items"] if p["project_id"] is None
                    and p["category"] is None}
        for key in [("repair", "emergency"), ("repair", "normal"), ("repair", "scheduled"),
                    ("complaint", "normal"), ("complaint", "high"), ("inquiry", "normal"),
                    ("inquiry", "high"), ("suggestion", "normal"), ("praise", "normal")]:
            p = defaults[key]
            self.assertEqual(p["milestones"][0], {"milestone": "respond", "amount": 15, "unit": "minute",
                                                  "clock": "calendar", "from": "reported"}, key)
            self.assertEqual(p["escalations"], [{"at_percent": 80, "notify": "assignee"},
                                                {"at_percent": 100, "notify": "manager"},
                                                {"at_percent": 200, "notify": "quality"}])
            self.assertTrue(p["active"])
            self.assertTrue(p["created_at"].endswith("+08:00"))
        c = {m["milestone"]: m for m in defaults[("complaint", "normal")]["milestones"]}
        self.assertEqual(c["resolve"], {"milestone": "resolve", "amount": 3, "unit": "workday",
                                        "clock": "business", "from": "reported"})
        self.assertEqual((c["assign"]["amount"], c["assign"]["unit"]), (2, "hour"))
        self.assertEqual((c["contact"]["amount"], c["contact"]["unit"]), (12, "hour"))
        s = {m["milestone"]: m for m in defaults[("repair", "scheduled")]["milestones"]}
        self.assertEqual((s["arrive"]["amount"], s["arrive"]["from"]), (0, "appointment_start"))
        self.assertEqual((s["resolve"]["amount"], s["resolve"]["from"]), (24, "appointment_end"))
        self.assertEqual(len(defaults[("praise", "normal")]["milestones"]), 1)
        self.assertEqual(defaults[("inquiry", "high")]["milestones"][1]["amount"], 48)

    def test_policy_access(self):
        o = self.o
        expected = {"anon": 401, "admin": 200, "manager": 200, "quality": 200, "desk": 200,
                    "technician": 200, "r1": 403}
        for role, status in expected.items():
            tok = None if role == "anon" else (self.admin if role == "admin" else self.tok(role))
            self.assertEqual(self.s.api("GET", "/sla-policies", token=tok).status, status, role)
        body = dict(COMPLAINT, project_id=o["p1"])
        for role in ("manager", "quality", "desk", "r1"):
            self.fail_with(self.s.api("POST", "/sla-policies", body, self.tok(role)), 403, "forbidden")
        p = self.ok(self.s.api("POST", "/sla-policies", body, self.admin), 201)
        self.assertEqual(p["project_id"], o["p1"])
        self.assertEqual(p["category"], "环境/噪音")
        self.assertEqual(p["milestones"][1], {"milestone": "resolve", "amount": 2, "unit": "workday",
                                              "clock": "business", "from": "reported"})
        path = "/sla-policies/%d" % p["id"]
        self.fail_with(self.s.api("POST", "/sla-policies", body, self.admin), 409, "conflict")
        for role, status in {"desk": 200, "manager": 200, "manager_p2": 404, "r1": 403}.items():
            self.assertEqual(self.s.api("GET", path, token=self.tok(role)).status, status, role)
        ids = [x["id"] for x in self.ok(self.s.api("GET", "/sla-policies", token=self.tok("manager_p2")))["items"]]
        self.assertNotIn(p["id"], ids)
        self.fail_with(self.s.api("PATCH", path, {"active": False}, self.tok("manager")), 403, "forbidden")
        self.fail_with(self.s.api("PATCH", path, {"active": False}, self.tok("r1")), 403, "forbidden")
        # a policy read with GET can be sent back whole
        p["milestones"][1]["amount"] = 3
        q = self.ok(self.s.api("PATCH", path, p, self.admin))
        self.assertEqual(q["milestones"][1]["amount"], 3)
        self.assertEqual(q["created_at"], p["created_at"])
        q = self.ok(self.s.api("PATCH", path, {"active": False}, self.admin))
        self.assertFalse(q["active"])
        # null is left out, as for every optional field (it was 422)
        q = self.ok(self.s.api("PATCH", path, {"active": None}, self.admin))
        self.assertFalse(q["active"])
        self.assertEqual(q["milestones"][1]["amount"], 3)
        self.assertIn(q["id"], [x["id"] for x in self.ok(self.s.api("GET", "/sla-policies?active=0", token=self.admin))["items"]])
        self.fail_with(self.s.api("GET", "/sla-policies/999999", token=self.admin), 404, "not_found")
        self.fail_with(self.s.api("PATCH", "/sla-policies/999999", {"active": True}, self.admin), 404, "not_found")
        self.assertGreaterEqual(self.count("SELECT COUNT(*) FROM audit_log WHERE entity = 'sla_policy'"), 3)

    def test_policy_validation(self):
        base = {"kind": "repair", "priority": "high",
                "milestones": [{"milestone": "resolve", "amount": 4, "unit": "hour"}]}
        cases = [
            ({"kind": None}, "kind"), ({"kind": "fire"}, "kind"), ({"priority": "asap"}, "priority"),
            ({"milestones": []}, "milestones"), ({"milestones": None}, "milestones"),
            ({"milestones": [{"milestone": "fix", "amount": 1, "unit": "hour"}]}, "milestones[0].milestone"),
            ({"milestones": [{"milestone": "resolve", "amount": 1, "unit": "week"}]}, "milestones[0].unit"),
            ({"milestones": [{"milestone": "resolve", "amount": 1, "unit": "workday", "clock": "calendar"}]},
             "milestones[0].clock"),
            ({"milestones": [{"milestone": "resolve", "amount": 1.5, "unit": "hour"}]}, "milestones[0].amount"),
            ({"milestones": [{"milestone": "resolve", "amount": 0, "unit": "hour"}]}, "milestones[0].amount"),
            ({"milestones": [{"milestone": "resolve", "amount": 1, "unit": "hour", "from": "now"}]},
             "milestones[0].from"),
            ({"escalations": [{"at_percent": 50, "notify": "boss"}]}, "escalations[0].notify"),
            ({"escalations": "80%"}, "escalations"),
            ({"category": 7}, "category"), ({"project_id": "p1"}, "project_id"),
            ({"project_id": 999999}, "project_id"), ({"colour": "red"}, "colour"),
            # strings are read by api/jv.c: blank is empty (a blank category was stored)
            ({"category": " \t"}, "category"), ({"kind": " "}, "kind"),
            ({"milestones": [{"milestone": "resolve", "amount": 1, "unit": "  "}]}, "milestones[0].unit"),
            ({"escalations": [{"at_percent": 80, "notify": ""}]}, "escalations[0].notify"),
        ]
        for change, field in cases:
            body = dict(base)
            for k, v in change.items():
                if v is None:
                    body.pop(k, None)
                else:
                    body[k] = v
            self.fail_with(self.s.api("POST", "/sla-policies", body, self.admin), 422,
                           "validation_failed", field)
        r = self.s.api("POST", "/sla-policies", raw=b"{nope", token=self.admin)
        self.fail_with(r, 400, "bad_json")
        # a NUL inside a string never reaches the policy reader
        raw = (b'{"kind":"repair","priority":"high","milestones":[{"milestone":"resolve\\u0000x",'
               b'"amount":4,"unit":"hour"}]}')
        self.fail_with(self.s.api("POST", "/sla-policies", raw=raw, token=self.admin), 400, "bad_json")
        # the message names the item as the field does
        body = dict(base, milestones=[{"milestone": "resolve", "amount": -1, "unit": "hour"}])
        r = self.s.api("POST", "/sla-policies", body, self.admin)
        self.fail_with(r, 422, "validation_failed", "milestones[0].amount")
        self.assertTrue(r.json["error"]["message"].startswith("milestones[0].amount "), r.json)

    # -- calendars -----------------------------------------------------------
    def test_calendar_get(self):
        cal = self.ok(self.s.api("GET", "/calendars/1", token=self.tok("desk")))
        self.assertEqual((cal["id"], cal["name"], cal["timezone"]), (1, "中国大陆法定节假日", "Asia/Shanghai"))
        self.assertEqual((cal["work_start"], cal["work_end"]), ("09:00", "18:00"))
        self.assertEqual(cal["first_year"], 2004)
        self.assertGreaterEqual(cal["last_year"], 2026)
        days = {d["date"]: d for d in cal["days"]}
        self.assertEqual(days["2026-10-10"], {"date": "2026-10-10", "kind": "workday", "name": "国庆节",
                                              "manual": False})
        self.assertEqual(days["2026-02-17"]["kind"], "holiday")
        self.assertEqual(days["2026-02-17"]["name"], "春节")
        self.assertEqual(sorted(days), [d["date"] for d in cal["days"]])
        y = self.ok(self.s.api("GET", "/calendars/1?year=2026", token=self.admin))["days"]
        self.assertTrue(y and all(d["date"].startswith("2026-") for d in y))
        self.assertIn({"date": "2026-09-20", "kind": "workday", "name": "国庆节", "manual": False}, y)
        self.fail_with(self.s.api("GET", "/calendars/1?year=abc", token=self.admin), 422,
                       "validation_failed", "year")
        self.fail_with(self.s.api("GET", "/calendars/99", token=self.admin), 404, "not_found")
        self.fail_with(self.s.api("GET", "/calendars/1", token=self.tok("r1")), 403, "forbidden")
        self.assertEqual(self.s.api("GET", "/calendars/1").status, 401)

    def test_due_examples(self):
        cases = [
            # complaint before National Day: 10-08, 10-09 and the makeup Saturday 10-10
            ("2026-09-30T16:00:00+08:00", 3, "workday", None, "2026-10-10T18:00:00+08:00"),
            ("2026-09-30T16:00:00+08:00", 1, "workday", "business", "2026-10-08T18:00:00+08:00"),
            ("2026-09-19T10:00:00+08:00", 1, "workday", None, "2026-09-20T18:00:00+08:00"),
            # Spring Festival: 02-14 worked, 02-15..23 off
            ("2026-02-13T10:00:00+08:00", 1, "workday", None, "2026-02-14T18:00:00+08:00"),
            ("2026-02-13T10:00:00+08:00", 3, "workday", None, "2026-02-25T18:00:00+08:00"),
            # New Year across years: 01-01..03 off, Sunday 01-04 worked
            ("2025-12-31T10:00:00+08:00", 1, "workday", None, "2026-01-04T18:00:00+08:00"),
            # the edges of the working day
            ("2026-09-16T17:59:00+08:00", 1, "workday", None, "2026-09-17T18:00:00+08:00"),
            ("2026-09-16T18:01:00+08:00", 1, "workday", None, "2026-09-17T18:00:00+08:00"),
            ("2026-09-16T17:59:00+08:00", 2, "hour", "business", "2026-09-17T10:59:00+08:00"),
            ("2026-09-16T18:01:00+08:00", 2, "hour", "business", "2026-09-17T11:00:00+08:00"),
            ("2026-03-14T10:00:00+08:00", 1, "workday", None, "2026-03-16T18:00:00+08:00"),
            # the 24 h desk clock
            ("2026-09-30T16:00:00+08:00", 24, "hour", None, "2026-10-01T16:00:00+08:00"),
            ("2026-09-30T16:00:00+08:00", 15, "minute", "calendar", "2026-09-30T16:15:00+08:00"),
            # any offset in, the calendar's out
            ("2026-09-30T08:00:00Z", 3, "workday", None, "2026-10-10T18:00:00+08:00"),
        ]
        for frm, amount, unit, clock, want in cases:
            self.assertEqual(self.due_at(frm, amount, unit, clock), want, (frm, amount, unit, clock))
        # a '+' sent unescaped arrives as a space and still reads as the offset
        r = self.due("2026-09-30T16:00:00+08:00", 3, "workday", quote=False)
        self.assertEqual(self.ok(r)["due_at"], "2026-10-10T18:00:00+08:00")

    def test_due_validation(self):
        ok = ("2026-09-30T16:00:00+08:00", 1, "workday")
        self.fail_with(self.s.api("GET", "/calendars/1/due?amount=1&unit=hour", token=self.admin),
                       422, "validation_failed", "from")
        for frm, amount, unit, clock, field in [
                ("yesterday", 1, "hour", None, "from"), ("2026-09-30", 1, "hour", None, "from"),
                (ok[0], "x", "hour", None, "amount"), (ok[0], -1, "hour", None, "amount"),
                (ok[0], 1, "day", None, "unit"), (ok[0], 1, "hour", "wall", "clock"),
                (ok[0], 1, "workday", "calendar", "clock"), (ok[0], 0, "workday", None, "amount"),
                (ok[0], 99999999, "minute", None, "amount")]:
            self.fail_with(self.due(frm, amount, unit, clock, token=self.admin), 422,
                           "validation_failed", field)
        self.fail_with(self.s.api("GET", "/calendars/1/due?from=%s&unit=hour" % urllib.parse.quote(ok[0]),
                                  token=self.admin), 422, "validation_failed", "amount")
        # unpublished years: an error naming the calendar, never a guess
        for frm, amount, unit, year in [("2026-12-31T10:00:00+08:00", 1, "workday", "2027"),
                                        ("2027-03-01T10:00:00+08:00", 2, "hour", "2027"),
                                        ("2003-12-01T10:00:00+08:00", 1, "workday", "2003")]:
            r = self.due(frm, amount, unit, "business")
            self.fail_with(r, 422, "validation_failed", "calendar")
            self.assertIn(year, r.json["error"]["message"])
        self.assertEqual(self.due_at("2027-03-01T10:00:00+08:00", 2, "hour"), "2027-03-01T12:00:00+08:00")
        self.fail_with(self.due(*ok, cal=99), 404, "not_found")
        self.fail_with(self.due(*ok, token=self.tok("r1")), 403, "forbidden")
        self.assertEqual(self.s.api("GET", due_path(1, *ok)).status, 401)


class CalendarOverrides(ServerTest):
    """Admin overrides change the due result; drop restores it; audited. Its own
    server, because it edits calendar 1."""

    def due_at(self, frm, amount, unit, cal=1):
        r = self.s.api("GET", due_path(cal, frm, amount, unit), token=self.admin)
        return self.ok(r)["due_at"]

    def test_override_changes_due(self):
        frm = "2026-09-30T16:00:00+08:00"
        self.assertEqual(self.due_at(frm, 1, "workday"), "2026-10-08T18:00:00+08:00")
        st = self.ok(self.s.api("POST", "/staff", {"username": "desk_cal", "password": "Passw0rd-2026",
                                                   "name": "客服", "role": "desk", "department": "客服"},
                                self.admin), 201)
        desk = self.s.login("desk_cal", "Passw0rd-2026")
        day = "/calendars/1/days/2026-10-08"
        body = {"kind": "holiday", "name": "停电检修"}
        self.fail_with(self.s.api("PUT", day, body, desk), 403, "forbidden")
        self.fail_with(self.s.api("PUT", "/calendars/1/days/2026-10-32", body, self.admin), 422,
                       "validation_failed", "date")
        self.fail_with(self.s.api("PUT", day, {"kind": "off"}, self.admin), 422, "validation_failed", "kind")
        self.fail_with(self.s.api("PUT", day, {"name": "x"}, self.admin), 422, "validation_failed", "kind")
        self.fail_with(self.s.api("PUT", day, {"kind": "holiday", "why": "x"}, self.admin), 422,
                       "validation_failed", "why")
        self.fail_with(self.s.api("PUT", "/calendars/99/days/2026-10-08", body, self.admin), 404, "not_found")
        d = self.ok(self.s.api("PUT", day, body, self.admin))
        self.assertEqual(d, {"date": "2026-10-08", "kind": "holiday", "name": "停电检修", "manual": True})
        self.assertEqual(self.due_at(frm, 1, "workday"), "2026-10-09T18:00:00+08:00")
        self.assertEqual(self.due_at(frm, 3, "workday"), "2026-10-12T18:00:00+08:00")
        days = self.ok(self.s.api("GET", "/calendars/1?year=2026", token=desk))["days"]
        self.assertIn(d, days)
        # an ordinary Sunday made a working day
        self.ok(self.s.api("PUT", "/calendars/1/days/2026-10-11", {"kind": "workday"}, self.admin))
        self.assertEqual(self.due_at(frm, 3, "workday"), "2026-10-11T18:00:00+08:00")
        self.fail_with(self.s.api("DELETE", day, token=desk), 403, "forbidden")
        self.assertEqual(self.s.api("DELETE", day, token=self.admin).status, 204)
        self.assertEqual(self.s.api("DELETE", "/calendars/1/days/2026-10-11", token=self.admin).status, 204)
        self.fail_with(self.s.api("DELETE", day, token=self.admin), 404, "not_found")
        self.assertEqual(self.due_at(frm, 1, "workday"), "2026-10-08T18:00:00+08:00")
        self.assertEqual(self.due_at(frm, 3, "workday"), "2026-10-10T18:00:00+08:00")
        # the official day is back after dropping an override of it
        self.ok(self.s.api("PUT", "/calendars/1/days/2026-10-10", {"kind": "holiday"}, self.admin))
        self.assertEqual(self.due_at(frm, 3, "workday"), "2026-10-12T18:00:00+08:00")
        self.assertEqual(self.s.api("DELETE", "/calendars/1/days/2026-10-10", token=self.admin).status, 204)
        days = {x["date"]: x for x in self.ok(self.s.api("GET", "/calendars/1?year=2026", token=self.admin))["days"]}
        self.assertEqual(days["2026-10-10"], {"date": "2026-10-10", "kind": "workday", "name": "国庆节",
                                              "manual": False})
        # a manual day reaches into an unpublished year, one day at a time
        self.ok(self.s.api("PUT", "/calendars/1/days/2027-01-01", {"kind": "workday"}, self.admin))
        self.assertEqual(self.due_at("2026-12-31T10:00:00+08:00", 1, "workday"), "2027-01-01T18:00:00+08:00")
        r = self.s.api("GET", due_path(1, "2026-12-31T10:00:00+08:00", 2, "workday"), token=self.admin)
        self.fail_with(r, 422, "validation_failed", "calendar")
        self.assertEqual(self.s.api("DELETE", "/calendars/1/days/2027-01-01", token=self.admin).status, 204)
        # audited and the chain holds
        cli = self.s.cli("audit", "verify")
        self.assertEqual(cli.returncode, 0, cli.stderr + cli.stdout)
        self.assertGreater(st["id"], 0)

    def test_cli_import(self):
        if not os.path.exists(ICS):
            self.skipTest("chinese-days is not installed")
        r = self.s.cli("calendar", "import", ICS, "--id", "2")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("imported", r.stdout)
        cal = self.ok(self.s.api("GET", "/calendars/2", token=self.admin))
        self.assertEqual((cal["first_year"], cal["last_year"]), (2024, 2026))
        self.assertEqual(cal["work_end"], "18:00")
        for frm, n in [("2026-09-30T16:00:00+08:00", 3), ("2025-12-31T10:00:00+08:00", 1),
                       ("2026-02-13T10:00:00+08:00", 3), ("2024-09-27T10:00:00+08:00", 5)]:
            self.assertEqual(self.due_at(frm, n, "workday", cal=2), self.due_at(frm, n, "workday", cal=1), frm)
        r = self.s.api("GET", due_path(2, "2023-12-29T10:00:00+08:00", 1, "workday"), token=self.admin)
        self.fail_with(r, 422, "validation_failed", "calendar")
        bad = os.path.join(self.s.dir, "bad.ics")
        with open(bad, "w") as f:
            f.write("not a calendar\n")
        r = self.s.cli("calendar", "import", bad)
        self.assertEqual(r.returncode, 1)
        self.assertIn("iCalendar", r.stderr)
        self.assertEqual(self.s.cli("calendar", "import").returncode, 2)
        self.assertEqual(self.s.cli("calendar", "import", ICS, "--id", "x").returncode, 2)
