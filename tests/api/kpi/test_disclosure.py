"""The public disclosure board (GET /public/projects/{code}/disclosure): no
login; last month's figures computed right for a known set of tickets, made by
moving the server's clock (ANJU_FAKE_NOW) through October 2026 and reading the
board in November; promises in words from the policies (the project's own over
the default); no resident's name, phone or room number anywhere in it; 404 for
an unknown or deactivated project."""
import datetime
import re

from lib import ADMIN_PW, ServerTest, make_org

TZ = datetime.timezone(datetime.timedelta(hours=8))
T0 = int(datetime.datetime(2026, 10, 14, 10, 0, tzinfo=TZ).timestamp())  # a Wednesday
HOUR = 3600
NOVEMBER = int(datetime.datetime(2026, 11, 10, 12, 0, tzinfo=TZ).timestamp())


class DisclosureTest(ServerTest):
    server_env = {"ANJU_FAKE_NOW": str(T0)}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        o = cls.o = make_org(cls.s, cls.admin)
        s = cls.s
        # A third room with a number no figure could spell.
        r = s.api("POST", "/projects/%d/rooms" % o["p1"],
                  {"building_id": o["p1_building"], "unit": "2单元", "floor": 17, "number": "2718"},
                  cls.admin)
        assert r.status == 201, r
        r = s.api("POST", "/projects/%d/residents" % o["p1"],
                  {"name": "欧阳娜娜", "phone": "13912345678", "kind": "owner",
                   "room_ids": [r.json["id"]]}, cls.admin)
        assert r.status == 201, r

        def create(project="p1", **kw):
            body = {"project_id": o[project], "kind": "repair", "category": "水电/漏水",
                    "title": "厨房水管漏水", "channel": "phone"}
            body.update(kw)
            r = s.api("POST", "/tickets", body, cls.admin)
            assert r.status == 201, r
            return r.json["id"]

        def act(tid, action, body=None, token=None):
            r = s.api("POST", "/tickets/%d/actions/%s" % (tid, action), body or {},
                      token or cls.admin)
            assert r.status == 200, (action, r)

        def fix(tid):
            act(tid, "assign", {"assignee_id": o["technician"]})
            act(tid, "arrive")
            act(tid, "resolve", {"resolution": "已修复"})

        def complaint(category, valid, close):
            tid = create(kind="complaint", category=category, title="投诉",
                         resident_id=o["r1"], room_id=o["p1_rooms"][0])
            act(tid, "accept")
            act(tid, "assign", {"assignee_id": o["guard"]})
            act(tid, "contact", {"note": "已联系业主"})
            act(tid, "investigate", {"findings": "核实", "valid": valid})
            if close:
                act(tid, "resolve", {"resolution": "已处理"})
                act(tid, "visit", {"satisfied": True})
                act(tid, "close")
            return tid

        # October 14, 10:00.
        a = create(resident_id=o["r1"], room_id=o["p1_rooms"][0])  # on time, rated 5
        act(a, "accept")
        fix(a)
        act(a, "rate", {"score": 5}, token=o["r1_token"])
        b = create(title="水龙头滴水", category="水电/水龙头")  # accepted an hour late
        c = create(resident_id=o["r2"], room_id=o["p1_rooms"][1])  # fixed 30 hours late, rated 2
        act(c, "accept")
        act(c, "assign", {"assignee_id": o["technician"]})
        complaint("噪音/邻里噪音", True, True)   # valid, closed
        complaint("停车/车位占用", True, False)  # valid, still open: resolution overdue
        complaint("噪音/装修噪音", False, True)  # not valid, closed
        g = create(title="重复报修")
        act(g, "cancel", {"reason": "重复报事"})  # cancelled: left out
        create(project="p2", title="别的项目")    # another project's
        # 11:00: b accepted (respond breached), fixed in time.
        cls.at(T0 + HOUR)
        act(b, "accept")
        fix(b)
        # The next day, 16:00: c fixed, 30 hours after it came in; its resident rates 2.
        cls.at(T0 + 30 * HOUR)
        act(c, "arrive")
        act(c, "resolve", {"resolution": "已修复"})
        act(c, "rate", {"score": 2}, token=o["r2_token"])
        # November 10: a ticket of this month does not count for October.
        cls.at(NOVEMBER)
        create(title="本月报修")
        cls.code = {}
        for p in ("p1", "p2"):
            r = s.api("GET", "/projects/%d" % o[p], token=cls.admin)
            cls.code[p] = r.json["code"]

    def board(self, project="p1"):
        r = self.s.api("GET", "/public/projects/%s/disclosure" % self.code[project])
        self.assertEqual(r.status, 200, r)
        return r

    def test_no_login_and_cacheable(self):
        r = self.board()
        self.assertEqual(r.header("Cache-Control"), "public, max-age=300")
        d = r.json
        self.assertEqual(d["project"], {"code": self.code["p1"], "name": "测试项目p1"})
        self.assertEqual(d["rectifications"], [])
        names = [i["name"] for i in d["service_items"]]
        for want in ("客服接待", "维修服务", "投诉处理", "环境保洁", "秩序维护", "设施设备"):
            self.assertIn(want, names)
        self.assertTrue(all(i["standard"] for i in d["service_items"]))

    def test_last_month_figures(self):
        d = self.board().json
        self.assertEqual(d["month"], "2026-10")
        k = d["kpi"]
        # a, b, c and three complaints; the cancelled one, p2's and November's left out.
        self.assertEqual(k["tickets"], 6)
        # Responses: all but b on time.
        self.assertAlmostEqual(k["response_rate"], round(5 / 6, 4))
        # Resolutions: a, b and the two closed complaints on time; c late; the open
        # complaint's three working days ran out on October 19.
        self.assertAlmostEqual(k["on_time_resolution"], round(4 / 6, 4))
        # Valid complaints: one closed of two.
        self.assertEqual(k["valid_complaint_closure"], 0.5)
        # Ratings 5 and 2: one satisfied of two.
        self.assertEqual((k["satisfaction"], k["rated"]), (0.5, 2))
        self.assertEqual(d["complaints_by_category"],
                         [{"category": "噪音", "count": 2}, {"category": "停车", "count": 1}])

    def test_other_project(self):
        d = self.board("p2").json
        # One ticket nobody ever accepted: both its clocks ran out in October.
        self.assertEqual(d["kpi"], {"tickets": 1, "response_rate": 0, "on_time_resolution": 0,
                                    "valid_complaint_closure": None, "satisfaction": None,
                                    "rated": 0})
        self.assertEqual(d["complaints_by_category"], [])

    def test_promises(self):
        texts = {(p["kind"], p["priority"]): p["text"] for p in self.board().json["promises"]}
        self.assertEqual(texts[("repair", "emergency")], "紧急维修：15分钟内响应，30分钟内到场，24小时内修复")
        self.assertEqual(texts[("complaint", "normal")],
                         "一般投诉：15分钟内响应，2小时内分派至责任部门，12小时内与业主沟通，3个工作日内反馈处理结果")
        self.assertEqual(texts[("inquiry", "high")], "复杂咨询：15分钟内响应，48小时内答复")
        self.assertEqual(texts[("repair", "scheduled")],
                         "预约维修：15分钟内响应，按预约时间到场，预约结束后24小时内完成")
        # A project's own policy replaces the company default for that project only.
        body = {"project_id": self.o["p2"], "kind": "repair", "priority": "normal",
                "milestones": [{"milestone": "respond", "amount": 10, "unit": "minute"},
                               {"milestone": "resolve", "amount": 12, "unit": "hour"}]}
        r = self.s.api("POST", "/sla-policies", body, self.admin)
        self.assertEqual(r.status, 201, r)
        p2 = [p for p in self.board("p2").json["promises"] if p["kind"] == "repair"
              and p["priority"] == "normal"]
        self.assertEqual([p["text"] for p in p2], ["常规维修：10分钟内响应，12小时内修复"])
        p1 = [p for p in self.board("p1").json["promises"] if p["kind"] == "repair"
              and p["priority"] == "normal"]
        self.assertEqual([p["text"] for p in p1], ["常规维修：15分钟内响应，24小时内修复"])

    def test_no_personal_data(self):
        raw = self.board().raw.decode("utf-8") + self.board("p2").raw.decode("utf-8")
        for p in ("p1", "p2"):
            r = self.s.api("GET", "/projects/%d/residents?limit=200" % self.o[p], token=self.admin)
            self.assertEqual(r.status, 200, r)
            self.assertTrue(r.json["items"])
            for res in r.json["items"]:
                self.assertNotIn(res["name"], raw)
                self.assertNotIn(res["phone"], raw)
            r = self.s.api("GET", "/projects/%d/rooms?limit=200" % self.o[p], token=self.admin)
            for room in r.json["items"]:
                self.assertIsNone(re.search(r"(?<!\d)%s(?!\d)" % re.escape(room["number"]), raw),
                                  room["number"])
        self.assertNotIn("138000000", raw)

    def test_unknown_or_inactive(self):
        r = self.s.api("GET", "/public/projects/NO_SUCH_CODE/disclosure")
        self.fail_with(r, 404, "not_found")
        r = self.s.api("POST", "/projects", {"code": "GONE" + self.code["p1"][-4:], "name": "停用项目",
                                             "address": "上海市", "service_level": 1}, self.admin)
        self.assertEqual(r.status, 201, r)
        gone = r.json
        self.assertEqual(self.s.api("GET", "/public/projects/%s/disclosure" % gone["code"]).status, 200)
        r = self.s.api("PATCH", "/projects/%d" % gone["id"], {"active": False}, self.admin)
        self.assertEqual(r.status, 200, r)
        r = self.s.api("GET", "/public/projects/%s/disclosure" % gone["code"])
        self.fail_with(r, 404, "not_found")
