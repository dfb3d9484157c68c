"""The equipment book (设施设备台账): records and every bad input, scope (another project's
technician and residents see nothing), downtime and restore, the intact rate of a month
to the hour, tickets on equipment, the history, the QR labels PDF read back with poppler
and zbar, and what a label's /q/e/{token} answers to anyone and to staff.

The server's clock is frozen (ANJU_FAKE_NOW) at 2026-11-20 12:00 +08:00, so October 2026
is a whole past month and the figures are exact."""
import datetime
import os
import subprocess
import tempfile
import uuid

from lib import PW, Server, ServerTest, make_org, ADMIN_PW

TZ = datetime.timezone(datetime.timedelta(hours=8))
T0 = int(datetime.datetime(2026, 11, 20, 12, 0, tzinfo=TZ).timestamp())
OCTOBER_HOURS = 31 * 24
KEYS_PUBLIC = {"project_id", "equipment_id", "name", "location", "class", "needs_phone"}


def at(y, m, d, h=0):
    return datetime.datetime(y, m, d, h, tzinfo=TZ)


def iso(dt):
    return dt.isoformat(timespec="seconds")


def hours(a, b):
    return (b - a).total_seconds() / 3600


def clip(periods, lo, hi):
    """Hours of the periods inside [lo, hi)."""
    total = 0.0
    for s, e in periods:
        s, e = max(s, lo), min(e, hi)
        if e > s:
            total += hours(s, e)
    return total


def run(*args):
    return subprocess.run(list(args), capture_output=True, timeout=120)


def qr_urls(pdf_bytes):
    """pdfinfo's pages and page size, and every QR code zbarimg reads on the pages
    pdftoppm renders at 150 dpi."""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "labels.pdf")
        with open(path, "wb") as f:
            f.write(pdf_bytes)
        info = run("pdfinfo", path)
        assert info.returncode == 0, info.stderr
        fields = dict(line.split(":", 1) for line in info.stdout.decode().splitlines() if ":" in line)
        pages = int(fields["Pages"].strip())
        render = run("pdftoppm", "-r", "150", "-png", path, os.path.join(d, "page"))
        assert render.returncode == 0, render.stderr
        urls = []
        for name in sorted(os.listdir(d)):
            if name.endswith(".png"):
                z = run("zbarimg", "-q", "--raw", os.path.join(d, name))
                urls += [u for u in z.stdout.decode().splitlines() if u]
        return pages, fields["Page size"].strip(), urls


class EquipmentBase(ServerTest):
    server_env = {"ANJU_FAKE_NOW": str(T0)}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.o = make_org(cls.s, cls.admin)
        u = "tech_p2" + uuid.uuid4().hex[:4]
        r = cls.s.api("POST", "/staff", {"username": u, "password": PW, "name": "乙方技工",
                                         "role": "technician", "department": "工程",
                                         "project_ids": [cls.o["p2"]]}, cls.admin)
        assert r.status == 201, r
        cls.tech2 = cls.s.login(u, PW)

    def new_project(self):
        r = self.s.api("POST", "/projects", {"code": "E" + uuid.uuid4().hex[:6].upper(),
                                             "name": "设备项目", "address": "上海市",
                                             "service_level": 2}, self.admin)
        self.assertEqual(r.status, 201, r)
        return r.json["id"]

    def add(self, token=None, status=201, **kw):
        body = {"project_id": self.o["p1"], "code": "EQ-" + uuid.uuid4().hex[:8], "name": "1号客梯",
                "class": "elevator", "location": "1栋大堂"}
        body.update(kw)
        body = {k: v for k, v in body.items() if v is not ...}
        r = self.s.api("POST", "/equipment", body, token or self.o["technician_token"])
        self.assertEqual(r.status, status, r)
        return r.json

    def down(self, eid, token=None, **kw):
        body = {"cause": "故障停梯"}
        body.update(kw)
        return self.s.api("POST", "/equipment/%d/downtime" % eid, body, token or self.admin)

    def restore(self, eid, token=None, **kw):
        return self.s.api("POST", "/equipment/%d/actions/restore" % eid, kw or None,
                          token or self.admin)


class EquipmentRecordTest(EquipmentBase):
    def test_create_read_update_list(self):
        o = self.o
        e = self.add(code="DT-A-01", name="1号楼客梯A", criticality="major", model="GeN2",
                     maker="奥的斯", serial="SN-778", installed_on="2019-06-01",
                     warranty_until="2024-05-31", vendor="上海某电梯维保公司",
                     building_id=o["p1_building"])
        self.assertEqual(e["project_id"], o["p1"])
        self.assertEqual((e["class"], e["status"], e["criticality"]), ("elevator", "in_service", "major"))
        self.assertEqual((e["installed_on"], e["warranty_until"]), ("2019-06-01", "2024-05-31"))
        self.assertEqual(e["building_id"], o["p1_building"])
        self.assertRegex(e["qr_token"], r"^[A-Za-z0-9_-]{22}$")
        plain = self.add(name="消防主机", **{"class": "fire"})
        self.assertEqual((plain["criticality"], plain["model"], plain["building_id"]), ("normal", None, None))
        self.assertNotEqual(plain["qr_token"], e["qr_token"])
        got = self.ok(self.s.api("GET", "/equipment/%d" % e["id"], token=o["desk_token"]))
        self.assertEqual(got, e)
        # a change, and null clears what may be cleared
        ch = self.ok(self.s.api("PATCH", "/equipment/%d" % e["id"],
                                {"name": "1号楼客梯A（改）", "model": None, "building_id": None,
                                 "location": "1栋东侧"}, o["manager_token"]))
        self.assertEqual((ch["name"], ch["model"], ch["building_id"], ch["location"]),
                         ("1号楼客梯A（改）", None, None, "1栋东侧"))
        self.assertEqual((ch["code"], ch["maker"], ch["qr_token"]), (e["code"], "奥的斯", e["qr_token"]))
        # retire and back
        ret = self.ok(self.s.api("PATCH", "/equipment/%d" % plain["id"], {"status": "retired"}, self.admin))
        self.assertEqual(ret["status"], "retired")
        self.assertIsNotNone(ret["retired_at"])
        back = self.ok(self.s.api("PATCH", "/equipment/%d" % plain["id"], {"status": "in_service"}, self.admin))
        self.assertEqual((back["status"], back["retired_at"]), ("in_service", None))
        # filters
        other = self.add(project_id=o["p2"], token=self.admin, **{"class": "fire"})
        lst = self.ok(self.s.api("GET", "/equipment?project_id=%d&class=elevator&with_total=1" % o["p1"],
                                 token=o["desk_token"]))
        ids = [x["id"] for x in lst["items"]]
        self.assertIn(e["id"], ids)
        self.assertNotIn(plain["id"], ids)
        self.assertTrue(all(x["class"] == "elevator" and x["project_id"] == o["p1"] for x in lst["items"]))
        self.assertEqual(lst["total"], len(ids))
        fires = self.ok(self.s.api("GET", "/equipment?class=fire", token=o["technician_token"]))["items"]
        self.assertIn(plain["id"], [x["id"] for x in fires])
        self.assertNotIn(other["id"], [x["id"] for x in fires])  # p2's: not the technician's
        by_q = self.ok(self.s.api("GET", "/equipment?q=%E6%B6%88%E9%98%B2", token=self.admin))["items"]
        self.assertIn(plain["id"], [x["id"] for x in by_q])
        self.assertNotIn(e["id"], [x["id"] for x in by_q])
        self.ok(self.s.api("PATCH", "/equipment/%d" % e["id"], {"building_id": o["p1_building"]}, self.admin))
        in_b = self.ok(self.s.api("GET", "/equipment?building_id=%d" % o["p1_building"], token=self.admin))["items"]
        self.assertEqual([x["id"] for x in in_b], [e["id"]])
        self.assertEqual(self.ok(self.s.api("GET", "/equipment?status=retired&project_id=%d" % o["p1"],
                                            token=self.admin))["items"], [])

    def test_bad_input(self):
        o = self.o
        taken = self.add(code="DUP-1")
        cases = [
            ({"class": "boiler"}, 422, "validation_failed", "class"),
            ({"class": None}, 422, "validation_failed", "class"),
            ({"code": None}, 422, "validation_failed", "code"),
            ({"name": None}, 422, "validation_failed", "name"),
            ({"project_id": None}, 422, "validation_failed", "project_id"),
            ({"code": "DUP-1"}, 409, "conflict", "code"),
            ({"installed_on": "2026-13-01"}, 422, "validation_failed", "installed_on"),
            ({"installed_on": "20260101"}, 422, "validation_failed", "installed_on"),
            ({"warranty_until": "2026-02-30"}, 422, "validation_failed", "warranty_until"),
            ({"installed_on": "2026-05-01", "warranty_until": "2026-04-30"}, 422,
             "validation_failed", "warranty_until"),
            ({"criticality": "high"}, 422, "validation_failed", "criticality"),
            ({"status": "down"}, 422, "validation_failed", "status"),
            ({"status": "broken"}, 422, "validation_failed", "status"),
            ({"building_id": o["p2_building"]}, 422, "validation_failed", "building_id"),
            ({"building_id": 999999}, 422, "validation_failed", "building_id"),
            ({"code": "x" * 41}, 422, "validation_failed", "code"),
            ({"colour": "red"}, 422, "validation_failed", None),
        ]
        for extra, status, code, field in cases:
            with self.subTest(extra=extra):
                body = {"project_id": o["p1"], "code": "BAD-" + uuid.uuid4().hex[:6], "name": "水泵",
                        "class": "water"}
                body.update(extra)
                body = {k: v for k, v in body.items() if v is not None}
                self.fail_with(self.s.api("POST", "/equipment", body, o["technician_token"]),
                               status, code, field)
        # the same code in another project is another piece
        self.add(project_id=o["p2"], code="DUP-1", token=self.admin)
        e = self.add()
        for body, status, code, field in [
            ({"code": "DUP-1"}, 409, "conflict", "code"),
            ({"project_id": o["p2"]}, 422, "validation_failed", "project_id"),
            ({"class": "boiler"}, 422, "validation_failed", "class"),
            ({"installed_on": "yesterday"}, 422, "validation_failed", "installed_on"),
            ({"status": "down"}, 422, "validation_failed", "status"),
            ({"name": ""}, 422, "validation_failed", "name"),
        ]:
            with self.subTest(patch=body):
                self.fail_with(self.s.api("PATCH", "/equipment/%d" % e["id"], body, self.admin),
                               status, code, field)
        self.assertEqual(self.ok(self.s.api("GET", "/equipment/%d" % e["id"], token=self.admin)), e)
        self.assertEqual(taken["code"], "DUP-1")
        for q, field in (("class=boiler", "class"), ("status=x", "status"), ("project_id=0", "project_id")):
            with self.subTest(q=q):
                self.fail_with(self.s.api("GET", "/equipment?" + q, token=self.admin), 422,
                               "validation_failed", field)

    def test_scope(self):
        o = self.o
        e = self.add()
        eid = e["id"]
        for path in ("/equipment/%d" % eid, "/equipment/%d/history" % eid):
            with self.subTest(path=path):
                self.fail_with(self.s.api("GET", path, token=self.tech2), 404, "not_found")
                self.fail_with(self.s.api("GET", path, token=o["r1_token"]), 404, "not_found")
        self.fail_with(self.s.api("PATCH", "/equipment/%d" % eid, {"name": "x"}, self.tech2), 404, "not_found")
        self.fail_with(self.down(eid, self.tech2), 404, "not_found")
        self.fail_with(self.restore(eid, self.tech2), 404, "not_found")
        self.fail_with(self.down(eid, o["r1_token"]), 404, "not_found")
        self.fail_with(self.s.api("GET", "/equipment?project_id=%d" % o["p1"], token=self.tech2),
                       404, "not_found")
        mine = self.ok(self.s.api("GET", "/equipment", token=self.tech2))["items"]
        self.assertTrue(all(x["project_id"] == o["p2"] for x in mine))
        self.add(token=self.tech2, status=404)  # into p1: not theirs
        for path in ("/equipment", "/stats/equipment?project_id=%d" % o["p1"],
                     "/equipment/labels.pdf?project_id=%d" % o["p1"]):
            with self.subTest(resident=path):
                self.fail_with(self.s.api("GET", path, token=o["r1_token"]), 403, "forbidden")
        self.add(token=o["r1_token"], status=403)
        # staff of the project who do not keep the book read it only
        self.add(token=o["desk_token"], status=403)
        self.fail_with(self.s.api("PATCH", "/equipment/%d" % eid, {"name": "x"}, o["guard_token"]),
                       403, "forbidden")
        self.fail_with(self.down(eid, o["desk_token"]), 403, "forbidden")
        self.ok(self.s.api("GET", "/equipment/%d" % eid, token=o["guard_token"]))
        self.fail_with(self.s.api("GET", "/stats/equipment?project_id=%d" % o["p1"], token=self.tech2),
                       404, "not_found")
        self.fail_with(self.s.api("GET", "/equipment/labels.pdf?project_id=%d" % o["p1"], token=self.tech2),
                       404, "not_found")
        self.fail_with(self.s.api("GET", "/equipment/%d" % eid), 401, "unauthenticated")


class DowntimeTest(EquipmentBase):
    def test_open_restore_and_bad_input(self):
        o = self.o
        e = self.add(criticality="major")
        eid = e["id"]
        t1 = at(2026, 11, 19, 8)
        r = self.down(eid, o["technician_token"], started_at=iso(t1), cause="曳引机异响")
        self.assertEqual(r.status, 201, r)
        d = r.json
        self.assertEqual((d["equipment_id"], d["cause"], d["ended_at"], d["ticket_id"]), (eid, "曳引机异响", None, None))
        self.assertEqual(d["started_at"], iso(t1))
        self.assertEqual(d["hours"], 28.0)  # to the frozen now
        self.assertEqual(d["equipment"]["status"], "down")
        self.fail_with(self.down(eid), 409, "conflict")
        self.fail_with(self.s.api("PATCH", "/equipment/%d" % eid, {"status": "retired"}, self.admin),
                       422, "validation_failed", "status")
        self.fail_with(self.s.api("PATCH", "/equipment/%d" % eid, {"status": "in_service"}, self.admin),
                       422, "validation_failed", "status")
        self.fail_with(self.restore(eid, ended_at=iso(at(2026, 11, 19, 7))), 422, "validation_failed", "ended_at")
        self.fail_with(self.restore(eid, ended_at=iso(at(2026, 11, 21))), 422, "validation_failed", "ended_at")
        self.fail_with(self.restore(eid, ended_at="soon"), 422, "validation_failed", "ended_at")
        r = self.restore(eid, o["technician_token"], ended_at=iso(at(2026, 11, 19, 18)))
        d = self.ok(r)
        self.assertEqual((d["ended_at"], d["hours"], d["equipment"]["status"]),
                         (iso(at(2026, 11, 19, 18)), 10.0, "in_service"))
        self.fail_with(self.restore(eid), 409, "conflict")
        # no overlap with a period already recorded, no future start
        self.fail_with(self.down(eid, started_at=iso(at(2026, 11, 19, 12))), 422, "validation_failed", "started_at")
        self.fail_with(self.down(eid, started_at=iso(at(2026, 11, 21))), 422, "validation_failed", "started_at")
        self.fail_with(self.down(eid, started_at="2026-11-19"), 422, "validation_failed", "started_at")
        self.fail_with(self.s.api("POST", "/equipment/%d/downtime" % eid, {}, self.admin),
                       422, "validation_failed", "cause")
        self.fail_with(self.down(eid, reason="x"), 422, "validation_failed")
        # a ticket of another project, or none
        other = self.s.api("POST", "/tickets", {"project_id": o["p2"], "kind": "repair", "category": "水电/漏水",
                                                "title": "p2 的工单", "channel": "phone"}, self.admin).json
        self.fail_with(self.down(eid, ticket_id=other["id"]), 422, "validation_failed", "ticket_id")
        self.fail_with(self.down(eid, ticket_id=999999), 422, "validation_failed", "ticket_id")
        self.assertEqual(self.ok(self.s.api("GET", "/equipment/%d" % eid, token=self.admin))["status"], "in_service")
        # down now (no started_at), restored without a body
        d = self.down(eid).json
        self.assertEqual((d["started_at"], d["hours"]), (iso(datetime.datetime.fromtimestamp(T0, TZ)), 0.0))
        self.assertEqual(self.restore(eid).status, 200)
        ret = self.add()
        self.ok(self.s.api("PATCH", "/equipment/%d" % ret["id"], {"status": "retired"}, self.admin))
        self.fail_with(self.down(ret["id"]), 409, "conflict")
        hist = self.ok(self.s.api("GET", "/equipment/%d/history" % eid, token=o["desk_token"]))
        self.assertEqual([(x["type"], x["started_at"]) for x in hist["items"]],
                         [("downtime", iso(datetime.datetime.fromtimestamp(T0, TZ))), ("downtime", iso(t1))])
        self.assertIsNone(hist["next_before"])


class IntactRateTest(EquipmentBase):
    def period(self, eid, start, end):
        r = self.down(eid, started_at=iso(start), cause="停机")
        self.assertEqual(r.status, 201, r)
        if end:
            self.ok(self.restore(eid, ended_at=iso(end)))

    def test_month_arithmetic(self):
        pid = self.new_project()
        mk = lambda **kw: self.add(project_id=pid, token=self.admin, **kw)
        a = mk(criticality="major", installed_on="2020-01-01")
        b = mk(criticality="major", installed_on="2020-01-01")
        c = mk(criticality="major", installed_on="2020-01-01")
        mk(criticality="major", installed_on="2020-01-01")               # d: never down
        e = mk(installed_on="2020-01-01")                                  # retired now: it was there in October
        mk(installed_on="2026-11-05")                                      # installed after October
        mk(installed_on=...)                                               # entered now, no date: not in October
        w = mk(installed_on="2018-03-01", **{"class": "water"})
        self.ok(self.s.api("PATCH", "/equipment/%d" % e["id"], {"status": "retired"}, self.admin))
        periods = {
            a["id"]: [(at(2026, 9, 21), at(2026, 10, 3, 10))],           # 58 h in October
            b["id"]: [(at(2025, 10, 10, 8), at(2025, 10, 10, 20)),       # last year: 12 h
                      (at(2026, 10, 10, 8), at(2026, 10, 10, 20))],      # 12 h
            c["id"]: [(at(2026, 10, 31, 22), at(2026, 11, 1, 4))],       # 2 h in October
            w["id"]: [(at(2026, 10, 15), at(2026, 10, 15, 6))],          # 6 h
        }
        for eid, ps in periods.items():
            for s, t in ps:
                self.period(eid, s, t)
        st = self.ok(self.s.api("GET", "/stats/equipment?project_id=%d&month=2026-10" % pid, token=self.admin))
        self.assertEqual((st["month"], st["from"], st["to"]),
                         ("2026-10", iso(at(2026, 10, 1)), iso(at(2026, 11, 1))))
        cls = {k["class"]: k for k in st["classes"]}
        self.assertEqual(list(cls), ["elevator", "fire", "water", "power", "hvac", "lighting", "access",
                                     "cctv", "other"])
        lo, hi = at(2026, 10, 1), at(2026, 11, 1)
        elev_h = sum(clip(periods[x["id"]], lo, hi) for x in (a, b, c))
        self.assertEqual(elev_h, 72.0)
        self.assertEqual((cls["elevator"]["units"], cls["elevator"]["downtime_hours"]), (5, 72.0))
        self.assertEqual(cls["elevator"]["intact_rate"], round(1 - 72 / (5 * OCTOBER_HOURS), 6))
        self.assertEqual(cls["elevator"]["intact_rate"], 0.980645)
        self.assertEqual((cls["water"]["units"], cls["water"]["downtime_hours"]), (1, 6.0))
        self.assertEqual(cls["water"]["intact_rate"], round(1 - 6 / OCTOBER_HOURS, 6))
        self.assertEqual((cls["fire"]["units"], cls["fire"]["intact_rate"]), (0, None))
        self.assertEqual((st["total"]["class"], st["total"]["units"], st["total"]["downtime_hours"]),
                         ("all", 6, 78.0))
        self.assertEqual(st["total"]["intact_rate"], round(1 - 78 / (6 * OCTOBER_HOURS), 6))
        # no PM was planned for October in this project: the counts are zero, not made up
        self.assertTrue(all((k["pm_due"], k["pm_on_time"], k["pm_missed"]) == (0, 0, 0)
                            for k in st["classes"] + [st["total"]]), st)
        # major equipment, 1 January to the end of October, against the same dates of 2025
        majors = periods[a["id"]] + periods[b["id"]] + periods[c["id"]]
        this = clip(majors, at(2026, 1, 1), hi)
        last = clip(majors, at(2025, 1, 1), at(2025, 11, 1))
        self.assertEqual((this, last), (312.0, 12.0))
        y = st["yoy"]
        self.assertEqual((y["this_year_hours"], y["last_year_hours"], y["change"], y["target"]),
                         (this, last, round((this - last) / last, 4), -0.3))
        self.assertEqual((y["from"], y["to"], y["last_from"], y["last_to"]),
                         (iso(at(2026, 1, 1)), iso(hi), iso(at(2025, 1, 1)), iso(at(2025, 11, 1))))
        # this month so far: an open period counts up to now
        self.period(a["id"], at(2026, 11, 20), None)
        now = datetime.datetime.fromtimestamp(T0, TZ)
        nov = self.ok(self.s.api("GET", "/stats/equipment?project_id=%d" % pid, token=self.admin))
        self.assertEqual((nov["month"], nov["from"], nov["to"]), ("2026-11", iso(at(2026, 11, 1)), iso(now)))
        ev = {k["class"]: k for k in nov["classes"]}["elevator"]
        self.assertEqual(ev["downtime_hours"], 4.0 + 12.0)  # c's first 4 h, a's open 12 h
        self.assertEqual(ev["units"], 6)                     # the one installed on 5 November too
        self.assertEqual(ev["intact_rate"], round(1 - 16 / (6 * hours(at(2026, 11, 1), now)), 6))
        for month in ("2026-13", "2026-1", "2026/10", "oct"):
            with self.subTest(month=month):
                self.fail_with(self.s.api("GET", "/stats/equipment?project_id=%d&month=%s" % (pid, month),
                                          token=self.admin), 422, "validation_failed", "month")
        self.fail_with(self.s.api("GET", "/stats/equipment", token=self.admin), 422,
                       "validation_failed", "project_id")


class TicketEquipmentTest(EquipmentBase):
    def ticket(self, token=None, status=201, **kw):
        body = {"project_id": self.o["p1"], "kind": "repair", "category": "水电/漏水",
                "title": "电梯困人", "channel": "phone"}
        body.update(kw)
        body = {k: v for k, v in body.items() if v is not None}
        r = self.s.api("POST", "/tickets", body, token or self.o["desk_token"])
        self.assertEqual(r.status, status, r)
        return r

    def test_tickets_on_equipment(self):
        o = self.o
        e = self.add()
        plain = self.ticket().json
        self.assertIsNone(plain["equipment_id"])
        t = self.ticket(equipment_id=e["id"]).json
        self.assertEqual(t["equipment_id"], e["id"])
        self.assertEqual(self.ok(self.s.api("GET", "/tickets/%d" % t["id"], token=self.admin))["equipment_id"], e["id"])
        # a resident reporting from the label: their own project's equipment
        mine = self.ticket(o["r1_token"], project_id=None, channel="app", equipment_id=e["id"]).json
        self.assertEqual(mine["equipment_id"], e["id"])
        lst = self.ok(self.s.api("GET", "/tickets?equipment_id=%d&with_total=1" % e["id"], token=self.admin))
        self.assertEqual([x["id"] for x in lst["items"]], [mine["id"], t["id"]])
        self.assertEqual(lst["total"], 2)
        self.assertTrue(all(x["equipment_id"] == e["id"] for x in lst["items"]))
        other = self.add(project_id=o["p2"], token=self.admin)
        self.fail_with(self.ticket(status=422, equipment_id=other["id"]), 422, "validation_failed", "equipment_id")
        self.fail_with(self.ticket(status=422, equipment_id=999999), 422, "validation_failed", "equipment_id")
        self.fail_with(self.ticket(status=422, equipment_id="x"), 422, "validation_failed", "equipment_id")
        gone = self.add()
        self.ok(self.s.api("PATCH", "/equipment/%d" % gone["id"], {"status": "retired"}, self.admin))
        self.fail_with(self.ticket(status=422, equipment_id=gone["id"]), 422, "validation_failed", "equipment_id")
        self.fail_with(self.s.api("GET", "/tickets?equipment_id=x", token=self.admin), 422,
                       "validation_failed", "equipment_id")
        # the history: downtime from the ticket and the tickets, newest first
        d = self.down(e["id"], started_at=iso(at(2026, 11, 20, 11)), ticket_id=t["id"])
        self.assertEqual(d.status, 201, d)
        self.assertEqual(d.json["ticket_id"], t["id"])
        hist = self.ok(self.s.api("GET", "/equipment/%d/history" % e["id"], token=o["technician_token"]))
        got = [(x["type"], x["id"]) for x in hist["items"]]
        self.assertEqual(got, [("ticket", mine["id"]), ("ticket", t["id"]), ("downtime", d.json["id"])])
        self.assertEqual(hist["items"][1]["no"], t["no"])
        self.assertEqual(hist["items"][2]["ticket_id"], t["id"])
        page = self.ok(self.s.api("GET", "/equipment/%d/history?limit=2" % e["id"], token=self.admin))
        self.assertEqual([(x["type"], x["id"]) for x in page["items"]], got[:2])
        self.assertEqual(page["next_before"], hist["items"][1]["at"])
        rest = self.ok(self.s.api("GET", "/equipment/%d/history?before=%s" % (e["id"], d.json["started_at"].replace("+", "%2B")),
                                  token=self.admin))
        self.assertEqual(rest["items"], [])


class LabelsTest(EquipmentBase):
    def test_labels_pdf(self):
        pid = self.new_project()
        made = [self.add(project_id=pid, token=self.admin, code="L-%02d" % i,
                         name="%d号楼二次供水泵房水泵" % i, location="地下一层泵房", **{"class": "water"})
                for i in range(30)]
        self.ok(self.s.api("PATCH", "/equipment/%d" % made[7]["id"], {"status": "retired"}, self.admin))
        base = "http://127.0.0.1:%d/q/e/" % self.s.port
        self.fail_with(self.s.api("GET", "/equipment/labels.pdf?project_id=%d" % pid,
                                  token=self.o["manager_token"]), 404, "not_found")  # not p1's
        r = self.s.api("GET", "/equipment/labels.pdf?project_id=%d" % pid, token=self.admin)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("Content-Type"), "application/pdf")
        self.assertEqual(r.header("X-Label-Count"), "29")
        self.assertTrue(r.raw.startswith(b"%PDF-"))
        pages, size, urls = qr_urls(r.raw)
        self.assertEqual(pages, 2)  # 24 a page
        self.assertIn("(A4)", size)
        want = {base + m["qr_token"] for i, m in enumerate(made) if i != 7}
        self.assertEqual(len(urls), 29, urls)
        self.assertEqual(set(urls), want)
        # the pieces asked for, in that order, retired ones too
        pick = [made[7]["id"], made[2]["id"], made[29]["id"]]
        r = self.s.api("GET", "/equipment/labels.pdf?project_id=%d&ids=%s" % (pid, ",".join(map(str, pick))),
                       token=self.admin)
        self.assertEqual(r.status, 200, r)
        pages, _, urls = qr_urls(r.raw)
        self.assertEqual(pages, 1)
        self.assertEqual(sorted(urls), sorted(base + made[i]["qr_token"] for i in (7, 2, 29)))
        for url in urls:  # each opens its equipment (staff: retired ones too)
            q = self.ok(self.s.api("GET", "/q/e/" + url.rsplit("/", 1)[1], token=self.admin))
            self.assertIn(q["equipment"]["id"], pick)
        other = self.add(project_id=self.o["p2"], token=self.admin)
        for q, field in (("ids=1,,2", "ids"), ("ids=abc", "ids"), ("ids=", "ids"), ("ids=0", "ids"),
                         ("ids=%d" % other["id"], "ids"), ("ids=" + ",".join(["1"] * 1001), "ids")):
            with self.subTest(q=q):
                self.fail_with(self.s.api("GET", "/equipment/labels.pdf?project_id=%d&%s" % (pid, q),
                                          token=self.admin), 422, "validation_failed", field)
        self.fail_with(self.s.api("GET", "/equipment/labels.pdf", token=self.admin), 422,
                       "validation_failed", "project_id")
        empty = self.new_project()
        self.fail_with(self.s.api("GET", "/equipment/labels.pdf?project_id=%d" % empty, token=self.admin),
                       422, "validation_failed", "ids")


class QrTest(EquipmentBase):
    def test_label_lookup(self):
        o = self.o
        e = self.add(name="2号楼消防泵", location="2栋地下室", **{"class": "fire"})
        path = "/q/e/" + e["qr_token"]
        anon = self.ok(self.s.api("GET", path))
        self.assertEqual(anon, {"project_id": o["p1"], "equipment_id": e["id"], "name": "2号楼消防泵",
                                "location": "2栋地下室", "class": "fire", "needs_phone": True})
        self.assertIn("no-store", self.s.api("GET", path).header("Cache-Control"))
        for who in (o["r1_token"], self.tech2, "not-a-session-token"):
            with self.subTest(who=who[:8]):
                self.assertEqual(set(self.ok(self.s.api("GET", path, token=who))), KEYS_PUBLIC)
        staff = self.ok(self.s.api("GET", path, token=o["technician_token"]))
        self.assertEqual(set(staff), KEYS_PUBLIC | {"equipment", "open_task"})
        self.assertIsNone(staff["open_task"])  # no plan covers it
        self.assertEqual(staff["equipment"], self.ok(self.s.api("GET", "/equipment/%d" % e["id"], token=self.admin)))
        self.assertEqual(self.ok(self.s.api("GET", path, token=self.admin))["equipment"]["id"], e["id"])
        for bad in ("nope", "A" * 22, "a%2Fb", "x" * 80):
            with self.subTest(token=bad):
                self.fail_with(self.s.api("GET", "/q/e/" + bad), 404, "not_found")
        self.ok(self.s.api("PATCH", "/equipment/%d" % e["id"], {"status": "retired"}, self.admin))
        self.fail_with(self.s.api("GET", path), 404, "not_found")
        self.assertEqual(self.ok(self.s.api("GET", path, token=o["technician_token"]))["equipment"]["status"],
                         "retired")
        self.assertEqual(self.s.api("POST", path, {}).status, 405)


class PublicUrlTest(ServerTest):
    """Behind --public-url the labels' QR codes carry it, not the Host asked for."""
    server_env = {"ANJU_PUBLIC_URL": "https://wy.example.com/"}

    def test_labels_use_public_url(self):
        o = make_org(self.s, self.admin)
        r = self.s.api("POST", "/equipment", {"project_id": o["p1"], "code": "P-1", "name": "配电柜",
                                              "class": "power"}, self.admin)
        self.assertEqual(r.status, 201, r)
        pdf = self.s.api("GET", "/equipment/labels.pdf?project_id=%d" % o["p1"], token=self.admin,
                         headers={"Host": "evil.example.net"})
        self.assertEqual(pdf.status, 200, pdf)
        _, _, urls = qr_urls(pdf.raw)
        self.assertEqual(urls, ["https://wy.example.com/q/e/" + r.json["qr_token"]])
