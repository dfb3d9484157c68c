"""GET /tickets.xlsx: the ticket list's filters and scope as an Excel file.
Read with the standard library only: the file is a zip holding
xl/worksheets/sheet1.xml, whose cells must carry the Chinese headers, one row
per ticket the list has for the same filter, and the SLA outcome per milestone."""
import datetime

from lib import ServerTest, make_org, read_xlsx as read_sheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = ["工单号", "项目", "类型", "优先级", "类别", "状态", "标题", "房号", "渠道", "报告时间",
           "解决时间", "关闭时间", "负责人", "响应时限", "派单时限", "到场时限", "联系时限", "解决时限",
           "评分"]
TZ = datetime.timezone(datetime.timedelta(hours=8))


class ExportTest(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.o = make_org(cls.s, cls.admin)
        o = cls.o
        cls.made = []
        past = (datetime.datetime.now(TZ) - datetime.timedelta(days=2)).isoformat(timespec="seconds")
        # p1: three repairs (one accepted at once, one reported two days ago and
        # never accepted, one rated), two complaints; p2: one repair.
        for kind, extra in (("repair", {"title": "厨房水管漏水 <急> & 快"}),
                            ("repair", {"reported_at": past, "title": "电梯异响"}),
                            ("repair", {"title": "楼道灯不亮"}),
                            ("complaint", {"title": "夜间噪音", "category": "噪音"}),
                            ("complaint", {"title": "垃圾未清运", "category": "环境卫生"})):
            body = {"project_id": o["p1"], "kind": kind, "category": "水电/漏水",
                    "channel": "phone", "room_id": o["p1_rooms"][0], "resident_id": o["r1"]}
            body.update(extra)
            r = cls.s.api("POST", "/tickets", body, o["desk_token"])
            assert r.status == 201, r
            cls.made.append(r.json)
        r = cls.s.api("POST", "/tickets", {"project_id": o["p2"], "kind": "repair",
                                           "category": "水电/漏水", "title": "p2 的工单",
                                           "channel": "phone"}, cls.admin)
        assert r.status == 201, r
        cls.p2_ticket = r.json
        act = lambda t, a, b=None: cls.s.api("POST", "/tickets/%d/actions/%s" % (t["id"], a), b,
                                            cls.admin)
        assert act(cls.made[0], "accept").status == 200
        t = cls.made[2]
        for a, b in (("accept", None), ("assign", {"assignee_id": o["technician"]}),
                     ("arrive", None), ("resolve", {"resolution": "已更换灯泡"})):
            r = act(t, a, b)
            assert r.status == 200, (a, r)
        r = cls.s.api("POST", "/tickets/%d/actions/rate" % t["id"], {"score": 4, "comment": "好"},
                      o["r1_token"])
        assert r.status == 200, r

    def export(self, query="", token=None, status=200):
        r = self.s.api("GET", "/tickets.xlsx" + query, token=token or self.admin)
        self.assertEqual(r.status, status, r)
        return r

    def total(self, query, token=None):
        sep = "&" if query else "?"
        r = self.s.api("GET", "/tickets" + query + sep + "with_total=1&limit=1",
                       token=token or self.admin)
        self.assertEqual(r.status, 200, r)
        return r.json["total"]

    def by_no(self, rows):
        return {row[0]: row for row in rows[1:]}

    def test_valid_xlsx_with_chinese_headers(self):
        r = self.export("?project_id=%d" % self.o["p1"])
        self.assertEqual(r.header("Content-Type"), XLSX)
        self.assertRegex(r.header("Content-Disposition"),
                         r'^attachment; filename="tickets-\d{8}-\d{4}\.xlsx"$')
        self.assertTrue(r.raw.startswith(b"PK"))
        rows = read_sheet(r.raw)
        self.assertEqual([rows[0].get(i) for i in range(len(HEADERS))], HEADERS)
        self.assertEqual(len(rows) - 1, 5)
        self.assertEqual(r.header("X-Export-Rows"), "5")

    def test_rows_match_the_list_for_each_filter(self):
        p1 = self.o["p1"]
        for q in ("?project_id=%d" % p1, "?project_id=%d&kind=complaint" % p1,
                  "?kind=repair", "?status=new", "?status=accepted,resolved",
                  "?q=%E6%BC%8F%E6%B0%B4", "?overdue=1", "?category=%E5%99%AA%E9%9F%B3",
                  "?room_id=%d" % self.o["p1_rooms"][0], "?assignee_id=%d" % self.o["technician"],
                  "?priority=emergency"):
            rows = read_sheet(self.export(q).raw)
            self.assertEqual(len(rows) - 1, self.total(q), q)
        # The sheet is newest first, like the list.
        rows = read_sheet(self.export("?project_id=%d" % p1).raw)
        self.assertEqual([row[0] for row in rows[1:]], [t["no"] for t in reversed(self.made)])

    def test_cells(self):
        rows = self.by_no(read_sheet(self.export("?project_id=%d" % self.o["p1"]).raw))
        first = rows[self.made[0]["no"]]
        self.assertEqual(first[2], "报修")
        self.assertEqual(first[3], "常规")
        self.assertEqual(first[4], "水电/漏水")
        self.assertEqual(first[5], "已受理")
        self.assertEqual(first[6], "厨房水管漏水 <急> & 快")
        self.assertEqual(first[7], "1栋 1单元 101")
        self.assertEqual(first[8], "电话")
        self.assertEqual(first[1], "测试项目p1")
        # reported_at as an Excel date in the project's zone (UTC+8).
        rep = datetime.datetime.fromisoformat(self.made[0]["reported_at"]).timestamp()
        self.assertAlmostEqual(first[9], (rep + 8 * 3600) / 86400 + 25569, places=4)
        # SLA: responded in time, resolution still running.
        self.assertEqual(first[13], "按时")
        self.assertEqual(first[17], "进行中")
        self.assertNotIn(14, first)  # repairs have no assign milestone
        late = rows[self.made[1]["no"]]
        self.assertEqual(late[5], "待受理")
        self.assertEqual(late[13], "超时")   # reported two days ago, never accepted
        self.assertEqual(late[17], "超时")   # nor resolved within 24 h
        done = rows[self.made[2]["no"]]
        self.assertEqual(done[5], "已解决")
        self.assertEqual(done[12], "员工technician")
        self.assertEqual(done[13], "按时")
        self.assertEqual(done[17], "按时")
        self.assertIsInstance(done[10], float)  # resolved at
        self.assertEqual(done[18], 4.0)
        complaint = rows[self.made[3]["no"]]
        self.assertEqual(complaint[2], "投诉")
        self.assertEqual(complaint[4], "噪音")
        self.assertEqual(complaint[14], "进行中")  # complaints must be assigned in time

    def test_scope(self):
        # p1's desk exports p1's tickets only, whatever the filter asks.
        rows = self.by_no(read_sheet(self.export("", self.o["desk_token"]).raw))
        self.assertEqual(set(rows), {t["no"] for t in self.made})
        rows = read_sheet(self.export("?project_id=%d" % self.o["p2"], self.o["desk_token"]).raw)
        self.assertEqual(len(rows), 1)  # the headers only
        rows = self.by_no(read_sheet(self.export("?project_id=%d" % self.o["p2"]).raw))
        self.assertEqual(set(rows), {self.p2_ticket["no"]})

    def test_empty(self):
        rows = read_sheet(self.export("?kind=praise").raw)
        self.assertEqual(rows[0].get(0), "工单号")
        self.assertEqual(len(rows), 1)

    def test_who_may_export(self):
        r = self.s.api("GET", "/tickets.xlsx")
        self.fail_with(r, 401, "unauthenticated")
        r = self.s.api("GET", "/tickets.xlsx", token=self.o["r1_token"])
        self.fail_with(r, 403, "forbidden")
        r = self.s.api("POST", "/tickets.xlsx", {}, self.admin)
        self.fail_with(r, 405, "method_not_allowed")

    def test_bad_input(self):
        for q, field in (("?status=bogus", "status"), ("?status=", "status"),
                         ("?status=" + ",".join(["new"] * 9), "status"),
                         ("?kind=robbery", "kind"), ("?priority=asap", "priority"),
                         ("?project_id=abc", "project_id"), ("?project_id=0", "project_id"),
                         ("?assignee_id=-1", "assignee_id"), ("?room_id=1.5", "room_id"),
                         ("?overdue=2", "overdue"), ("?from=yesterday", "from"),
                         ("?to=2026-13-01T00:00:00Z", "to"),
                         ("?from=2026-10-02T00:00:00Z&to=2026-10-01T00:00:00Z", "from"),
                         ("?q=" + "漏" * 40, "q"), ("?q=%20", "q"),
                         ("?category=%E4%B8%8D%E5%AD%98%E5%9C%A8", "category"),
                         # the query string is not checked by a JSON parser: junk bytes
                         ("?q=%E6%Bx", "q"), ("?q=%FF%FE", "q"), ("?category=%C3", "category"),
                         ("?status=%E6%96", "status")):
            for path in ("/tickets.xlsx", "/tickets"):  # one parser for both
                r = self.s.api("GET", path + q, token=self.admin)
                self.fail_with(r, 422, "validation_failed", field)

    def test_route_is_not_a_ticket_id(self):
        # /tickets.xlsx is its own route, never /tickets/{id}; and the list is untouched.
        r = self.s.api("GET", "/tickets/xlsx", token=self.admin)
        self.fail_with(r, 404, "not_found")
        r = self.s.api("GET", "/tickets.xlsx/1", token=self.admin)
        self.fail_with(r, 404, "not_found")
        r = self.s.api("GET", "/tickets.json", token=self.admin)
        self.fail_with(r, 404, "not_found")


class ExportCapTest(ServerTest):
    """Past the row cap the export is refused with a clear 422, before writing."""
    server_env = {"ANJU_EXPORT_MAX_ROWS": "3"}

    def test_cap(self):
        o = make_org(self.s, self.admin)
        for i in range(4):
            r = self.s.api("POST", "/tickets", {"project_id": o["p1"], "kind": "inquiry",
                                                "category": "其他", "title": "咨询%d" % i,
                                                "channel": "phone"}, self.admin)
            self.assertEqual(r.status, 201, r)
        r = self.s.api("GET", "/tickets.xlsx", token=self.admin)
        self.fail_with(r, 422, "validation_failed")
        self.assertIn("超过导出上限 3", r.json["error"]["message"])
        r = self.s.api("GET", "/tickets.xlsx?status=new&limit=2", token=self.admin)
        self.fail_with(r, 422, "validation_failed")
        rows = read_sheet(self.export_ok("?q=%E5%92%A8%E8%AF%A20"))  # 咨询0
        self.assertEqual(len(rows) - 1, 1)

    def export_ok(self, q):
        r = self.s.api("GET", "/tickets.xlsx" + q, token=self.admin)
        self.assertEqual(r.status, 200, r)
        return r.raw
