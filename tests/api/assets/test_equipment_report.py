"""A fault reported from a QR label (/q/e/{token}): anyone may report; an anonymous
reporter proves a phone by an SMS code (a code that cannot log anyone in), residents of
the project and its staff report as themselves; the ticket lands on the equipment, in the
class's category, an emergency when someone is trapped in a lift; every refusal is a 422
with its field and writes nothing."""
import re
import uuid

from lib import PW, ServerTest, make_org


class ReportTest(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.o = make_org(cls.s, cls.admin)
        cls.phone_n = 0

    def phone(self):
        ReportTest.phone_n += 1
        return "1390000%04d" % ReportTest.phone_n

    def equipment(self, **kw):
        body = {"project_id": self.o["p1"], "code": "EQ-" + uuid.uuid4().hex[:8], "name": "3号客梯",
                "class": "elevator", "location": "3栋大堂", "criticality": "normal"}
        body.update(kw)
        r = self.s.api("POST", "/equipment", body, self.admin)
        self.assertEqual(r.status, 201, r)
        return r.json

    def code_for(self, path, phone, source="127.0.0.30"):
        r = self.s.api("POST", path + "/code", {"phone": phone}, source=source)
        self.assertEqual(r.status, 204, r)
        codes = re.findall(r"sms to %s: .*?(\d{6})" % phone, self.s.read_log())
        self.assertTrue(codes)
        return codes[-1]

    def tickets_on(self, eid):
        return self.ok(self.s.api("GET", "/tickets?equipment_id=%d&limit=100" % eid, token=self.admin))["items"]

    def test_anonymous_report_with_a_proved_phone(self):
        e = self.equipment()
        path = "/q/e/" + e["qr_token"]
        self.assertTrue(self.ok(self.s.api("GET", path))["needs_phone"])
        phone = self.phone()
        body = {"description": "电梯门关不上，一直报警"}
        # refused before any code is used: no phone, no code, bad phone, photos, empty text
        self.fail_with(self.s.api("POST", path + "/report", body), 422, "validation_failed", "phone")
        self.fail_with(self.s.api("POST", path + "/report", dict(body, phone=phone)), 422, "validation_failed", "code")
        self.fail_with(self.s.api("POST", path + "/code", {"phone": "12345"}), 422, "validation_failed", "phone")
        self.fail_with(self.s.api("POST", path + "/code", {"phone": phone, "x": 1}), 422, "validation_failed", "x")
        code = self.code_for(path, phone)
        self.fail_with(self.s.api("POST", path + "/code", {"phone": phone}), 429, "rate_limited")
        self.fail_with(self.s.api("POST", path + "/report", dict(body, phone=phone, code=code, description="")),
                       422, "validation_failed", "description")
        self.fail_with(self.s.api("POST", path + "/report", dict(body, phone=phone, code=code, photos=[1])),
                       422, "validation_failed", "photos")
        self.fail_with(self.s.api("POST", path + "/report", dict(body, phone=phone, code=code, trapped="yes")),
                       422, "validation_failed", "trapped")
        self.assertEqual(self.tickets_on(e["id"]), [])
        wrong = "000000" if code != "000000" else "111111"
        self.fail_with(self.s.api("POST", path + "/report", dict(body, phone=phone, code=wrong)),
                       401, "unauthenticated", "code")
        self.assertEqual(self.tickets_on(e["id"]), [])
        r = self.s.api("POST", path + "/report", dict(body, phone=phone, code=code))
        got = self.ok(r, 201)
        self.assertTrue(got["anonymous"])
        self.assertEqual((got["category"], got["priority"], got["status"], got["equipment_id"]),
                         ("电梯/故障停运", "normal", "new", e["id"]))
        t = self.ok(self.s.api("GET", "/tickets/%d" % got["id"], token=self.admin))
        self.assertEqual((t["equipment_id"], t["kind"], t["channel"], t["no"]),
                         (e["id"], "repair", "app", got["no"]))
        self.assertIn(phone, t["description"])
        self.assertIn("电梯门关不上", t["description"])
        self.assertIsNone(t.get("resident_id"))
        # the code is used up, and a report's code never logs anyone in
        self.fail_with(self.s.api("POST", path + "/report", dict(body, phone=phone, code=code)),
                       401, "unauthenticated", "code")
        self.assertEqual([x["id"] for x in self.tickets_on(e["id"])], [got["id"]])
        history = self.ok(self.s.api("GET", "/equipment/%d/history" % e["id"], token=self.admin))
        self.assertEqual([(x["type"], x["id"]) for x in history["items"]], [("ticket", got["id"])])

    def test_a_code_for_a_report_does_not_log_in(self):
        # r1's own phone: a report code is kept apart from the login code
        e = self.equipment()
        phone = "13800000001"
        code = self.code_for("/q/e/" + e["qr_token"], phone, source="127.0.0.31")
        self.fail_with(self.s.api("POST", "/auth/resident/login", {"phone": phone, "code": code},
                                  source="127.0.0.31"), 401, "unauthenticated")

    def test_trapped_is_an_emergency_on_lifts_only(self):
        lift = self.equipment(criticality="major")
        path = "/q/e/" + lift["qr_token"]
        phone = self.phone()
        code = self.code_for(path, phone)
        got = self.ok(self.s.api("POST", path + "/report", {"description": "有人被困在轿厢里", "trapped": True,
                                                            "phone": phone, "code": code}), 201)
        self.assertEqual((got["category"], got["priority"]), ("电梯/困人", "emergency"))
        self.assertIn("有人被困", got["title"])
        pump = self.equipment(**{"class": "fire", "name": "消防泵", "criticality": "major"})
        path = "/q/e/" + pump["qr_token"]
        self.fail_with(self.s.api("POST", path + "/report", {"description": "漏水", "trapped": True}),
                       422, "validation_failed", "trapped")
        phone = self.phone()
        code = self.code_for(path, phone)
        got = self.ok(self.s.api("POST", path + "/report", {"description": "泵房漏水", "phone": phone,
                                                            "code": code}), 201)
        self.assertEqual((got["category"], got["priority"]), ("消防", "high"))  # major equipment

    def test_residents_and_staff_report_as_themselves(self):
        o = self.o
        e = self.equipment()
        path = "/q/e/" + e["qr_token"]
        self.assertFalse(self.ok(self.s.api("GET", path, token=o["r1_token"]))["needs_phone"])
        self.assertTrue(self.ok(self.s.api("GET", path, token=o["r3_token"]))["needs_phone"])  # of p2
        got = self.ok(self.s.api("POST", path + "/report", {"description": "按钮不亮"}, token=o["r1_token"]), 201)
        self.assertFalse(got["anonymous"])
        mine = self.ok(self.s.api("GET", "/tickets?limit=50", token=o["r1_token"]))["items"]
        self.assertIn(got["id"], [x["id"] for x in mine])
        t = self.ok(self.s.api("GET", "/tickets/%d" % got["id"], token=self.admin))
        self.assertEqual((t["resident_id"], t["room_id"], t["equipment_id"]), (o["r1"], o["p1_rooms"][0], e["id"]))
        # a resident of another project is anyone here: a phone is needed
        self.fail_with(self.s.api("POST", path + "/report", {"description": "按钮不亮"}, token=o["r3_token"]),
                       422, "validation_failed", "phone")
        got = self.ok(self.s.api("POST", path + "/report", {"description": "轿厢灯闪"},
                                 token=o["technician_token"]), 201)
        self.assertFalse(got["anonymous"])
        t = self.ok(self.s.api("GET", "/tickets/%d" % got["id"], token=self.admin))
        self.assertEqual(t["created_by"], o["technician"])
        # a cookie without the tab's CSRF token is nobody: the report would be anonymous
        login = self.ok(self.s.api("POST", "/auth/login", {"username": "13800000001", "password": PW}))
        self.fail_with(self.s.api("POST", path + "/report", {"description": "按钮不亮"}, cookie=login["token"]),
                       422, "validation_failed", "phone")
        got = self.ok(self.s.api("POST", path + "/report", {"description": "按钮又不亮了"}, cookie=login["token"],
                                 csrf=login["csrf_token"]), 201)
        self.assertFalse(got["anonymous"])
        # a retired piece takes no reports
        self.ok(self.s.api("PATCH", "/equipment/%d" % e["id"], {"status": "retired"}, self.admin))
        self.fail_with(self.s.api("POST", path + "/report", {"description": "x"}, token=o["r1_token"]),
                       404, "not_found")
        self.fail_with(self.s.api("POST", "/q/e/nope/report", {"description": "x"}), 404, "not_found")
