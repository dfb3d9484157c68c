"""GET /equipment.xlsx: the equipment book as an Excel sheet with the columns and words
the console's import reads (编号, 名称, 类别 in Chinese, 楼栋 by name, dates as dates), the
list's filters and scope, the row cap, and who may export."""
import datetime
import uuid

from lib import ServerTest, make_org, read_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = ["编号", "名称", "类别", "重要程度", "状态", "楼栋", "位置", "型号", "厂家", "出厂编号",
           "安装日期", "保修截止", "维保单位", "项目"]


def excel_day(serial):
    return (datetime.date(1899, 12, 30) + datetime.timedelta(days=int(serial))).isoformat()


class EquipmentExportTest(ServerTest):
    # The cap is the test's: p1's three pieces fit, the four of the tag do not.
    server_env = {"ANJU_EXPORT_MAX_ROWS": "3"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.o = make_org(cls.s, cls.admin)
        o = cls.o
        cls.tag = uuid.uuid4().hex[:6].upper()

        def add(**kw):
            body = {"project_id": o["p1"], "criticality": "normal"}
            body.update(kw)
            r = cls.s.api("POST", "/equipment", body, cls.admin)
            assert r.status == 201, r
            return r.json

        cls.lift = add(code="DT-%s-1" % cls.tag, name="1号客梯", **{"class": "elevator"},
                       building_id=o["p1_building"], location="1栋大堂", model="GeN2",
                       maker="奥的斯", serial="SN-001", installed_on="2019-05-01",
                       warranty_until="2024-04-30", vendor="上海奥的斯维保",
                       criticality="major")
        cls.pump = add(code="SB-%s-1" % cls.tag, name="生活水泵", **{"class": "water"})
        cls.old = add(code="XF-%s-1" % cls.tag, name="旧消防泵", **{"class": "fire"})
        r = cls.s.api("PATCH", "/equipment/%d" % cls.old["id"], {"status": "retired"}, cls.admin)
        assert r.status == 200, r
        add(project_id=o["p2"], code="DT-%s-9" % cls.tag, name="另一项目电梯", **{"class": "elevator"})

    def export(self, query="", token=None, status=200):
        r = self.s.api("GET", "/equipment.xlsx" + query, token=token or self.admin)
        self.assertEqual(r.status, status, r)
        return r

    def rows(self, query, token=None):
        sheet = read_xlsx(self.export(query, token).raw)
        self.assertEqual([sheet[0].get(i) for i in range(len(HEADERS))], HEADERS)
        return {row[0]: row for row in sheet[1:]}

    def test_file_and_headers(self):
        r = self.export("?project_id=%d" % self.o["p1"])
        self.assertEqual(r.header("Content-Type"), XLSX)
        self.assertRegex(r.header("Content-Disposition"),
                         r'^attachment; filename="equipment-\d{8}-\d{4}\.xlsx"$')
        self.assertEqual(r.header("X-Export-Rows"), "3")
        self.assertEqual(len(self.rows("?project_id=%d" % self.o["p1"])), 3)

    def test_cells_in_the_import_words(self):
        rows = self.rows("?project_id=%d" % self.o["p1"])
        lift = rows[self.lift["code"]]
        self.assertEqual(lift[1], "1号客梯")
        self.assertEqual(lift[2], "电梯")
        self.assertEqual(lift[3], "重要设备")
        self.assertEqual(lift[4], "在用")
        self.assertEqual(lift[5], "1栋")
        self.assertEqual([lift[i] for i in (6, 7, 8, 9)], ["1栋大堂", "GeN2", "奥的斯", "SN-001"])
        self.assertEqual(excel_day(lift[10]), "2019-05-01")
        self.assertEqual(excel_day(lift[11]), "2024-04-30")
        self.assertEqual(lift[12], "上海奥的斯维保")
        self.assertEqual(lift[13], "测试项目p1")
        pump = rows[self.pump["code"]]
        self.assertEqual([pump[2], pump[3], pump[4]], ["给排水", "一般", "在用"])
        for blank in (5, 7, 8, 9, 10, 11, 12):
            self.assertNotIn(blank, pump)
        self.assertEqual(rows[self.old["code"]][4], "报废")

    def test_rows_match_the_list_for_each_filter(self):
        p1 = self.o["p1"]
        for q in ("?project_id=%d" % p1, "?project_id=%d&class=elevator" % p1,
                  "?status=retired", "?project_id=%d&q=%s" % (p1, self.tag), "?building_id=%d" % self.o["p1_building"],
                  "?class=fire&status=in_service"):
            sep = "&" if "?" in q else "?"
            r = self.s.api("GET", "/equipment" + q + sep + "with_total=1&limit=200", token=self.admin)
            self.assertEqual(r.status, 200, r)
            self.assertEqual(sorted(self.rows(q)), sorted(e["code"] for e in r.json["items"]), q)

    def test_scope(self):
        # p1's technician sees p1 only; another project's records are not in the sheet.
        rows = self.rows("?q=" + self.tag, self.o["technician_token"])
        self.assertEqual(sorted(rows), sorted([self.lift["code"], self.pump["code"], self.old["code"]]))
        self.export("?project_id=%d" % self.o["p2"], self.o["technician_token"], 404)
        # residents and anonymous callers get no sheet
        self.fail_with(self.export("", self.o["r1_token"], 403), 403, "forbidden")
        r = self.s.api("GET", "/equipment.xlsx")
        self.assertEqual(r.status, 401, r)

    def test_bad_filters(self):
        self.assertEqual(self.export("?class=boiler", status=422).field, "class")
        self.assertEqual(self.export("?project_id=abc", status=422).field, "project_id")

    def test_row_cap(self):
        r = self.s.api("GET", "/equipment.xlsx?q=" + self.tag, token=self.admin)
        self.fail_with(r, 422, "validation_failed")
        self.assertIn("超过导出上限 3 台", r.json["error"]["message"])
