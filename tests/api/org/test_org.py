"""Organisation: create, read, list with paging and filters, update, deactivate."""
from lib import PW, ServerTest


class Org(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        r = cls.s.api("POST", "/projects", {"code": "ORG1", "name": "锦绣华庭", "address": "杭州市",
                                             "service_level": 1}, cls.admin)
        cls.p = r.json["id"]
        r = cls.s.api("POST", "/projects/%d/buildings" % cls.p, {"name": "3栋", "floors": 11}, cls.admin)
        cls.b = r.json["id"]

    def post(self, path, body, status=201):
        return self.ok(self.s.api("POST", path, body, self.admin), status)

    def test_project_crud(self):
        p = self.post("/projects", {"code": "CRUD1", "name": "翠湖天地"})
        self.assertEqual(p["service_level"], 1)
        self.assertEqual(p["timezone"], "Asia/Shanghai")
        self.assertTrue(p["created_at"].endswith("+08:00"))
        self.assertTrue(p["active"])
        r = self.s.api("POST", "/projects", {"code": "CRUD1", "name": "重复"}, self.admin)
        self.fail_with(r, 409, "conflict", "code")
        p2 = self.ok(self.s.api("PATCH", "/projects/%d" % p["id"], {"name": "翠湖天地二期",
                                                                    "service_level": 3}, self.admin))
        self.assertEqual((p2["name"], p2["service_level"], p2["code"]), ("翠湖天地二期", 3, "CRUD1"))
        r = self.s.api("PATCH", "/projects/%d" % p["id"], {"code": "NEW"}, self.admin)
        self.fail_with(r, 422, "validation_failed", "code")
        # an edit form sends back the code it read: that is no change
        p2 = self.ok(self.s.api("PATCH", "/projects/%d" % p["id"], {"code": "CRUD1", "name": "翠湖天地"},
                                self.admin))
        self.assertEqual((p2["code"], p2["name"]), ("CRUD1", "翠湖天地"))
        p3 = self.ok(self.s.api("PATCH", "/projects/%d" % p["id"], {"active": False}, self.admin))
        self.assertFalse(p3["active"])
        # deactivated, not deleted: still readable, filtered by active
        self.ok(self.s.api("GET", "/projects/%d" % p["id"], token=self.admin))
        ids = [x["id"] for x in self.s.api("GET", "/projects?active=0&limit=200", token=self.admin).json["items"]]
        self.assertIn(p["id"], ids)
        ids = [x["id"] for x in self.s.api("GET", "/projects?active=1&limit=200", token=self.admin).json["items"]]
        self.assertNotIn(p["id"], ids)
        self.fail_with(self.s.api("GET", "/projects/999999", token=self.admin), 404, "not_found")
        self.fail_with(self.s.api("GET", "/projects/abc", token=self.admin), 404, "not_found")

    def test_paging(self):
        for i in range(7):
            self.post("/projects/%d/rooms" % self.p, {"building_id": self.b, "unit": "1单元",
                                                      "floor": 2, "number": "P%02d" % i})
        seen, cursor, pages = [], None, 0
        while True:
            q = "/projects/%d/rooms?limit=3&q=P0&with_total=1" % self.p + (("&cursor=" + cursor) if cursor else "")
            page = self.ok(self.s.api("GET", q, token=self.admin))
            self.assertEqual(page["total"], 7)
            seen += [x["number"] for x in page["items"]]
            pages += 1
            cursor = page["next_cursor"]
            if not cursor:
                break
        self.assertEqual(seen, ["P%02d" % i for i in range(7)])
        self.assertEqual(pages, 3)

    def test_building_rules(self):
        r = self.s.api("POST", "/projects/%d/buildings" % self.p, {"name": "3栋", "floors": 5}, self.admin)
        self.fail_with(r, 409, "conflict")
        r = self.s.api("POST", "/projects/%d/buildings" % self.p, {"name": "9栋", "floors": 0}, self.admin)
        self.fail_with(r, 422, "validation_failed", "floors")
        r = self.s.api("POST", "/projects/%d/buildings" % self.p, {"floors": 5}, self.admin)
        self.fail_with(r, 422, "validation_failed", "name")
        r = self.s.api("POST", "/projects/999999/buildings", {"name": "x", "floors": 5}, self.admin)
        self.fail_with(r, 404, "not_found")

    def test_room_rules(self):
        path = "/projects/%d/rooms" % self.p
        rm = self.post(path, {"building_id": self.b, "unit": "2单元", "floor": 5, "number": "501",
                              "area_m2": 120.5})
        self.assertEqual(rm["building_name"], "3栋")
        self.assertAlmostEqual(rm["area_m2"], 120.5)
        r = self.s.api("POST", path, {"building_id": self.b, "unit": "2单元", "floor": 5, "number": "501"}, self.admin)
        self.fail_with(r, 409, "conflict")
        r = self.s.api("POST", path, {"building_id": self.b, "unit": "2单元", "floor": 12, "number": "1201"}, self.admin)
        self.fail_with(r, 422, "validation_failed", "floor")
        r = self.s.api("POST", path, {"building_id": 999999, "floor": 1, "number": "101"}, self.admin)
        self.fail_with(r, 422, "validation_failed", "building_id")
        r = self.s.api("POST", path, {"building_id": self.b, "floor": "1", "number": "101"}, self.admin)
        self.fail_with(r, 422, "validation_failed", "floor")
        items = self.ok(self.s.api("GET", path + "?building_id=%d&floor=5&unit=2单元" % self.b,
                                   token=self.admin))["items"]
        self.assertIn(rm["id"], [i["id"] for i in items])
        r = self.s.api("GET", path + "?building_id=x", token=self.admin)
        self.fail_with(r, 422, "validation_failed", "building_id")

    def test_residents(self):
        path = "/projects/%d/residents" % self.p
        rm = self.post("/projects/%d/rooms" % self.p, {"building_id": self.b, "unit": "1单元",
                                                       "floor": 8, "number": "801"})
        res = self.post(path, {"name": "王秀英", "phone": "13912345678", "kind": "owner",
                               "room_ids": [rm["id"]], "tags": ["elderly", "alone"]})
        self.assertEqual(res["tags"], ["elderly", "alone"])
        self.assertEqual(res["room_ids"], [rm["id"]])
        self.assertFalse(res["has_password"])
        self.assertNotIn("password_hash", res)
        r = self.s.api("POST", path, {"name": "重复", "phone": "13912345678", "kind": "owner",
                                      "room_ids": [rm["id"]]}, self.admin)
        self.fail_with(r, 409, "conflict", "phone")
        for bad, field in (({"phone": "12345"}, "phone"), ({"kind": "landlord"}, "kind"),
                           ({"tags": ["rich"]}, "tags"), ({"room_ids": [999999]}, "room_ids"),
                           ({"room_ids": "1"}, "room_ids")):
            body = {"name": "李四", "phone": "13700000000", "kind": "owner", "room_ids": [rm["id"]]}
            body.update(bad)
            r = self.s.api("POST", path, body, self.admin)
            self.fail_with(r, 422, "validation_failed", field)
        items = self.ok(self.s.api("GET", path + "?tag=alone", token=self.admin))["items"]
        self.assertEqual([i["id"] for i in items], [res["id"]])
        items = self.ok(self.s.api("GET", path + "?room_id=%d" % rm["id"], token=self.admin))["items"]
        self.assertEqual([i["id"] for i in items], [res["id"]])
        items = self.ok(self.s.api("GET", path + "?q=秀英", token=self.admin))["items"]
        self.assertEqual([i["id"] for i in items], [res["id"]])
        # password, login, deactivation
        r = self.s.api("POST", "/residents/%d/password" % res["id"], {"password": "short"}, self.admin)
        self.fail_with(r, 422, "validation_failed", "password")
        self.assertEqual(self.s.api("POST", "/residents/%d/password" % res["id"], {"password": PW},
                                    self.admin).status, 204)
        tok = self.s.login("13912345678", PW)
        me = self.ok(self.s.api("GET", "/me", token=tok))
        self.assertEqual(me["rooms"][0]["number"], "801")
        upd = self.ok(self.s.api("PATCH", "/residents/%d" % res["id"], {"active": False}, self.admin))
        self.assertFalse(upd["active"])
        self.fail_with(self.s.api("GET", "/me", token=tok), 401, "unauthenticated")
        r = self.s.api("POST", "/auth/login", {"username": "13912345678", "password": PW})
        self.fail_with(r, 401, "unauthenticated")

    def test_staff(self):
        st = self.post("/staff", {"username": "li_gong", "password": PW, "name": "李工", "phone": "13600000001",
                                  "role": "technician", "department": "工程", "skills": ["电工", "水工"],
                                  "project_ids": [self.p]})
        self.assertEqual(st["skills"], ["电工", "水工"])
        self.assertEqual(st["project_ids"], [self.p])
        self.assertFalse(st["on_duty"])
        self.assertNotIn("password", st)
        self.assertNotIn("password_hash", st)
        r = self.s.api("POST", "/staff", {"username": "li_gong", "password": PW, "name": "x",
                                          "role": "technician", "department": "工程"}, self.admin)
        self.fail_with(r, 409, "conflict", "username")
        for bad, field in (({"role": "resident"}, "role"), ({"role": "king"}, "role"),
                           ({"password": "123"}, "password"), ({"project_ids": [999999]}, "project_ids"),
                           ({"department": "财务"}, "department"), ({"skills": "电工"}, "skills")):
            body = {"username": "zz" + field, "password": PW, "name": "x", "role": "desk", "department": "客服"}
            body.update(bad)
            r = self.s.api("POST", "/staff", body, self.admin)
            self.fail_with(r, 422, "validation_failed", field)
        tok = self.s.login("li_gong", PW)
        on = self.ok(self.s.api("PATCH", "/staff/%d" % st["id"], {"on_duty": True}, tok))
        self.assertTrue(on["on_duty"])
        items = self.ok(self.s.api("GET", "/staff?role=technician&on_duty=1&project_id=%d" % self.p,
                                   token=self.admin))["items"]
        self.assertEqual([i["id"] for i in items], [st["id"]])
        items = self.ok(self.s.api("GET", "/staff?q=李工", token=self.admin))["items"]
        self.assertEqual([i["id"] for i in items], [st["id"]])
        r = self.s.api("GET", "/staff?on_duty=7", token=self.admin)
        self.fail_with(r, 422, "validation_failed", "on_duty")
        me = self.ok(self.s.api("GET", "/me", token=self.admin))
        # an admin may deactivate staff, but not themselves: the value is wrong
        # for this record (422 with the field), not a conflict with its state
        r = self.s.api("PATCH", "/staff/%d" % me["id"], {"active": False}, self.admin)
        self.fail_with(r, 422, "validation_failed", "active")
        self.assertTrue(self.ok(self.s.api("GET", "/staff/%d" % me["id"], token=self.admin))["active"])

    def test_technician_cannot_change_own_role(self):
        st = self.post("/staff", {"username": "wang_gong", "password": PW, "name": "王工",
                                  "role": "technician", "department": "工程"})
        tok = self.s.login("wang_gong", PW)
        # A technician may change nothing of their own record but on_duty: a role
        # in the body is beyond the caller's rights (403), whether it names a
        # higher role or their own.
        for role in ("technician", "admin"):
            with self.subTest(role=role):
                r = self.s.api("PATCH", "/staff/%d" % st["id"], {"role": role}, tok)
                self.fail_with(r, 403, "forbidden")
        self.assertEqual(self.ok(self.s.api("GET", "/staff/%d" % st["id"], token=self.admin))["role"],
                         "technician")
        # An admin may change roles, only not their own: that value is wrong for
        # this record (422 with the field).
        me = self.ok(self.s.api("GET", "/me", token=self.admin))
        self.fail_with(self.s.api("PATCH", "/staff/%d" % me["id"], {"role": "manager"}, self.admin),
                       422, "validation_failed", "role")
