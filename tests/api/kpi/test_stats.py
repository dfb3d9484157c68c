"""Dashboard figures (GET /stats/tickets): the counts follow the tickets the
test creates and acts on; staff of another project see none of them; residents
are refused; bad arguments are 422."""
import datetime

from lib import ServerTest, make_org

TZ = datetime.timezone(datetime.timedelta(hours=8))


def local(s):
    """An RFC 3339 time from the server as a datetime in the projects' zone (+08:00)."""
    return datetime.datetime.fromisoformat(s).astimezone(TZ)


class StatsTest(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        o = cls.o = make_org(cls.s, cls.admin)
        cls.tickets = []

        def create(**kw):
            body = {"project_id": o["p1"], "kind": "repair", "category": "水电/漏水",
                    "title": "厨房水管漏水", "channel": "phone"}
            body.update(kw)
            r = cls.s.api("POST", "/tickets", body, o["desk_token"])
            assert r.status == 201, r
            cls.tickets.append(r.json)
            return r.json["id"]

        def act(tid, action, body=None, token=None):
            r = cls.s.api("POST", "/tickets/%d/actions/%s" % (tid, action), body or {},
                          token or o["desk_token"])
            assert r.status == 200, (action, r)
            return r.json

        tech = {"assignee_id": o["technician"]}
        # A resident's repair, fixed and rated 4.
        a = create(resident_id=o["r1"], room_id=o["p1_rooms"][0])
        act(a, "accept")
        act(a, "assign", tech)
        act(a, "arrive", token=o["technician_token"])
        act(a, "resolve", {"resolution": "更换角阀"}, token=o["technician_token"])
        act(a, "rate", {"score": 4}, token=o["r1_token"])
        # A repair waiting for parts.
        b = create(title="卫生间水龙头坏了", category="水电/水龙头")
        act(b, "accept")
        act(b, "assign", tech)
        act(b, "arrive", token=o["technician_token"])
        act(b, "hold", {"reason": "等待配件"}, token=o["technician_token"])
        # Phoned in 20 minutes ago and not yet accepted: its 15-minute response is overdue.
        ago = (datetime.datetime.now(TZ) - datetime.timedelta(minutes=20)).isoformat(timespec="seconds")
        create(title="楼道灯不亮", category="公共照明/楼道灯", reported_at=ago)
        # Just in: nothing due yet.
        create(title="电梯异响", category="电梯/异响")
        # A valid complaint through the whole closed loop, and one found invalid.
        c = create(kind="complaint", category="噪音/邻里噪音", title="楼上夜间噪音",
                   resident_id=o["r2"], room_id=o["p1_rooms"][1])
        act(c, "accept")
        act(c, "assign", {"assignee_id": o["guard"]})
        act(c, "contact", {"note": "已电话联系业主"})
        act(c, "investigate", {"findings": "情况属实", "valid": True})
        act(c, "resolve", {"resolution": "已上门协调"})
        act(c, "visit", {"satisfied": True})
        act(c, "close")
        d = create(kind="complaint", category="停车/车位占用", title="车位被占")
        act(d, "accept")
        act(d, "assign", {"assignee_id": o["guard"]})
        act(d, "investigate", {"findings": "车位非业主所有", "valid": False})
        # An inquiry answered at the desk.
        e = create(kind="inquiry", category="收费/物业费", title="咨询物业费缴费方式")
        act(e, "accept")
        act(e, "resolve", {"resolution": "已告知缴费方式"})
        # Cancelled: still reported today.
        f = create(title="重复报修", category="水电/漏水")
        act(f, "cancel", {"reason": "重复报事"})
        cls.ids = [t["id"] for t in cls.tickets]

    def stats(self, token, query="", status=200):
        r = self.s.api("GET", "/stats/tickets" + query, token=token)
        self.assertEqual(r.status, status, r)
        return r.json

    def mine(self):
        """The test's tickets as the server has them now."""
        out = []
        for tid in self.ids:
            r = self.s.api("GET", "/tickets/%d" % tid, token=self.admin)
            self.assertEqual(r.status, 200, r)
            out.append(r.json)
        return out

    def check_figures(self, st):
        tickets = self.mine()
        today = local(st["generated_at"]).date()
        self.assertEqual(st["days"], 30)
        reported_today = [t for t in tickets if local(t["reported_at"]).date() == today]
        resolved_today = [t for t in tickets
                          if t["resolved_at"] and local(t["resolved_at"]).date() == today]
        open_ = [t for t in tickets if t["status"] in
                 ("new", "accepted", "assigned", "in_progress", "on_hold")]
        self.assertEqual(st["today"]["created"], len(reported_today))
        self.assertEqual(st["today"]["resolved"], len(resolved_today))
        self.assertEqual(st["today"]["open"], len(open_))
        self.assertEqual(st["today"]["on_hold"], 1)
        self.assertEqual(st["today"]["overdue"], 1)
        self.assertEqual(len(st["daily"]), 30)
        self.assertEqual(st["daily"][-1]["date"], today.isoformat())
        self.assertEqual(st["daily"][-1]["created"], len(reported_today))
        self.assertEqual(st["daily"][-1]["resolved"], len(resolved_today))
        self.assertEqual(sum(d["created"] for d in st["daily"]), len(tickets))
        self.assertEqual(sum(d["resolved"] for d in st["daily"]), 3)
        hours = [0] * 24
        for t in tickets:
            hours[local(t["reported_at"]).hour] += 1
        self.assertEqual(st["by_hour"], hours)
        cats = {c["category"]: c["count"] for c in st["by_category"]}
        self.assertEqual(cats, {"水电": 3, "公共照明": 1, "电梯": 1, "噪音": 1, "停车": 1, "收费": 1})
        counts = [c["count"] for c in st["by_category"]]
        self.assertEqual(counts, sorted(counts, reverse=True))
        sla = {m["milestone"]: m for m in st["sla"]}
        self.assertEqual([m["milestone"] for m in st["sla"]],
                         ["respond", "assign", "arrive", "contact", "resolve"])
        # Respond: five accepted at once, and the one 20 minutes old past due; the
        # newest is not due yet and the cancelled one was stopped before its due time.
        self.assertEqual((sla["respond"]["total"], sla["respond"]["met_on_time"]), (6, 5))
        self.assertAlmostEqual(sla["respond"]["rate"], round(5 / 6, 4))
        # Assign and contact: the complaints'; resolve: met ahead of its due time.
        self.assertEqual((sla["assign"]["total"], sla["assign"]["met_on_time"]), (2, 2))
        self.assertEqual((sla["contact"]["total"], sla["contact"]["met_on_time"]), (1, 1))
        self.assertEqual((sla["resolve"]["total"], sla["resolve"]["met_on_time"]), (3, 3))
        self.assertEqual(sla["resolve"]["rate"], 1)
        self.assertEqual((sla["arrive"]["total"], sla["arrive"]["rate"]), (0, None))
        self.assertEqual(st["satisfaction"], {"rated": 1, "average": 4})
        self.assertEqual(st["complaints"], {"total": 2, "valid": 1, "closed": 1})

    def test_project_figures(self):
        st = self.stats(self.o["manager_token"], "?project_id=%d" % self.o["p1"])
        self.check_figures(st)
        self.assertTrue(st["generated_at"].endswith("+08:00"), st["generated_at"])

    def test_all_my_projects(self):
        # A manager of p1 only: without project_id the same figures.
        self.check_figures(self.stats(self.o["manager_token"]))
        # Company-wide roles see every project: p1's tickets are in.
        self.check_figures(self.stats(self.admin))

    def test_window(self):
        st = self.stats(self.o["manager_token"], "?days=1")
        self.assertEqual(len(st["daily"]), 1)
        self.assertEqual(st["days"], 1)
        st = self.stats(self.o["manager_token"], "?days=366")
        self.assertEqual(len(st["daily"]), 366)
        self.assertEqual(sum(d["created"] for d in st["daily"]), len(self.ids))

    def test_other_project_sees_none(self):
        st = self.stats(self.o["manager_p2_token"])
        self.assertEqual(st["today"], {"created": 0, "open": 0, "overdue": 0, "on_hold": 0,
                                       "resolved": 0})
        self.assertEqual(st["by_category"], [])
        self.assertEqual(st["by_hour"], [0] * 24)
        self.assertEqual(sum(d["created"] + d["resolved"] for d in st["daily"]), 0)
        self.assertTrue(all(m["total"] == 0 and m["rate"] is None for m in st["sla"]))
        self.assertEqual(st["satisfaction"], {"rated": 0, "average": None})
        self.assertEqual(st["complaints"], {"total": 0, "valid": 0, "closed": 0})
        # Naming the other project is not found, as any record outside one's scope.
        r = self.s.api("GET", "/stats/tickets?project_id=%d" % self.o["p1"],
                       token=self.o["manager_p2_token"])
        self.fail_with(r, 404, "not_found")
        # p2 named by its own manager: empty.
        st = self.stats(self.o["manager_p2_token"], "?project_id=%d" % self.o["p2"])
        self.assertEqual(st["today"]["open"], 0)

    def test_residents_refused(self):
        r = self.s.api("GET", "/stats/tickets", token=self.o["r1_token"])
        self.fail_with(r, 403, "forbidden")
        r = self.s.api("GET", "/stats/tickets?project_id=%d" % self.o["p1"], token=self.o["r1_token"])
        self.fail_with(r, 403, "forbidden")
        r = self.s.api("GET", "/stats/tickets")
        self.assertEqual(r.status, 401, r)

    def test_bad_arguments(self):
        for q, field in (("?days=0", "days"), ("?days=367", "days"), ("?days=abc", "days"),
                         ("?project_id=0", "project_id"), ("?project_id=x", "project_id")):
            r = self.s.api("GET", "/stats/tickets" + q, token=self.admin)
            self.fail_with(r, 422, "validation_failed", field)
        r = self.s.api("GET", "/stats/tickets?project_id=999999", token=self.admin)
        self.fail_with(r, 404, "not_found")
