"""The access matrix: every organisation route x every role, including a
manager of another project and residents of another room and project."""
import uuid

from lib import PW, ServerTest, make_org

ROLES = ["anon", "admin", "manager", "manager_p2", "quality", "desk", "technician", "guard",
         "cleaner", "r1", "r2", "r3"]
P1_STAFF = ["admin", "manager", "quality", "desk", "technician", "guard", "cleaner"]


def expect(default, **special):
    """Expected status per role: special ones, else default; anon is 401."""
    e = {r: default for r in ROLES}
    e["anon"] = 401
    e.update(special)
    return e


def uniq():
    return uuid.uuid4().hex[:8]


class Access(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.o = make_org(cls.s, cls.admin)

    def token(self, role):
        if role == "anon":
            return None
        if role in ("r1", "r2", "r3"):
            return self.o[role + "_token"]
        return self.o[role + "_token"]

    def check(self, method, path, expected, body=None):
        got = {}
        for role in ROLES:
            b = body() if callable(body) else body
            r = self.s.api(method, path, b, self.token(role))
            got[role] = r.status
            if r.status >= 400:
                # every refusal is a well-formed error
                self.assertTrue(r.json and r.json["error"]["code"], (method, path, role, r))
        self.assertEqual(got, expected, "%s %s" % (method, path))

    def test_projects(self):
        o = self.o
        p1 = "/projects/%d" % o["p1"]
        self.check("GET", "/projects", expect(200))
        self.check("POST", "/projects",
                   expect(403, admin=201),
                   lambda: {"code": "X" + uniq().upper(), "name": "新项目"})
        self.check("GET", p1, expect(200, manager_p2=404, r3=404))
        self.check("PATCH", p1, expect(403, admin=200, manager=200, manager_p2=404, r3=404),
                   {"address": "上海市徐汇区"})

    def test_project_lists_are_scoped(self):
        o = self.o
        ids = lambda role: [p["id"] for p in
                            self.s.api("GET", "/projects?limit=200", token=self.token(role)).json["items"]]
        self.assertIn(o["p1"], ids("admin"))
        self.assertIn(o["p2"], ids("admin"))
        self.assertEqual(ids("manager_p2"), [o["p2"]])
        self.assertEqual(ids("desk"), [o["p1"]])
        self.assertEqual(ids("r1"), [o["p1"]])
        self.assertEqual(ids("r3"), [o["p2"]])

    def test_buildings(self):
        o = self.o
        self.check("GET", "/projects/%d/buildings" % o["p1"], expect(200, manager_p2=404, r3=404))
        self.check("POST", "/projects/%d/buildings" % o["p1"],
                   expect(403, admin=201, manager=201, manager_p2=404, r3=404),
                   lambda: {"name": "楼" + uniq(), "floors": 6})
        b = "/buildings/%d" % o["p1_building"]
        self.check("GET", b, expect(200, manager_p2=404, r3=404))
        self.check("PATCH", b, expect(403, admin=200, manager=200, manager_p2=404, r3=404),
                   {"floors": 18})

    def test_rooms(self):
        o = self.o
        self.check("GET", "/projects/%d/rooms" % o["p1"], expect(200, manager_p2=404, r3=404))
        self.check("POST", "/projects/%d/rooms" % o["p1"],
                   expect(403, admin=201, manager=201, manager_p2=404, r3=404),
                   lambda: {"building_id": o["p1_building"], "unit": "2单元", "floor": 3,
                            "number": uniq()[:6]})
        rm = "/rooms/%d" % o["p1_rooms"][0]
        self.check("GET", rm, expect(200, manager_p2=404, r2=404, r3=404))
        self.check("PATCH", rm, expect(403, admin=200, manager=200, manager_p2=404, r2=404, r3=404),
                   {"area_m2": 90.25})

    def test_resident_sees_only_own_rooms(self):
        o = self.o
        items = self.s.api("GET", "/projects/%d/rooms" % o["p1"], token=o["r1_token"]).json["items"]
        self.assertEqual([i["id"] for i in items], [o["p1_rooms"][0]])

    def test_residents(self):
        o = self.o
        self.check("GET", "/projects/%d/residents" % o["p1"],
                   expect(200, manager_p2=404, r1=403, r2=403, r3=404))
        n = [0]

        def body():
            n[0] += 1
            return {"name": "新住户", "phone": "139%08d" % (int(uniq(), 16) % 10 ** 8),
                    "kind": "tenant", "room_ids": [o["p1_rooms"][1]]}
        self.check("POST", "/projects/%d/residents" % o["p1"],
                   expect(403, admin=201, manager=201, desk=201, manager_p2=404, r3=404), body)
        res = "/residents/%d" % o["r1"]
        self.check("GET", res, expect(200, manager_p2=404, r2=404, r3=404))
        self.check("PATCH", res,
                   expect(403, admin=200, manager=200, desk=200, manager_p2=404, r2=404, r3=404),
                   {"tags": ["elderly", "alone"]})
        self.check("POST", "/residents/%d/password" % o["r4"],
                   expect(403, admin=204, manager=204, desk=204, manager_p2=404, r1=404, r2=404,
                          r3=404),
                   {"password": PW})

    def test_staff(self):
        o = self.o
        self.check("GET", "/staff", expect(200, r1=403, r2=403, r3=403))
        self.check("POST", "/staff",
                   expect(403, admin=201, manager=201, manager_p2=422),
                   lambda: {"username": "u" + uniq(), "password": PW, "name": "新员工",
                            "role": "cleaner", "department": "保洁", "project_ids": [o["p1"]]})
        t = "/staff/%d" % o["technician"]
        self.check("GET", t, expect(404, admin=200, manager=200, quality=200, technician=200,
                                    r1=403, r2=403, r3=403))
        self.check("PATCH", t, expect(404, admin=200, manager=200, technician=200, quality=403,
                                      r1=403, r2=403, r3=403),
                   {"on_duty": True})

    def test_me(self):
        self.check("GET", "/me", expect(200))

    def test_staff_lists_are_scoped(self):
        o = self.o
        ids = lambda role: {s["id"] for s in
                            self.s.api("GET", "/staff?limit=200", token=self.token(role)).json["items"]}
        self.assertEqual(ids("desk"), {o["desk"]})
        self.assertIn(o["technician"], ids("manager"))
        self.assertNotIn(o["technician"], ids("manager_p2"))
        self.assertIn(o["technician"], ids("quality"))
