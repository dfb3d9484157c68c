"""The service-standards catalogue (服务标准库, issue 13): shipped filled (≥ 60 items over the
six departments, the seeds' promises among them), read by staff, edited by admin and quality
only; a change is a new version with the old one kept; every bad input refused with its
field; the public page of a project lists the active standards of its service level."""
import uuid

from lib import ServerTest, db_query, make_org

DEPTS = {"desk", "engineering", "security", "cleaning", "greening", "quality"}


class Standards(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.o = make_org(cls.s, cls.admin)

    def test_shipped_catalogue(self):
        items = self.ok(self.s.api("GET", "/standards", token=self.o["guard_token"]))["items"]
        self.assertGreaterEqual(len(items), 60)
        self.assertEqual({s["department"] for s in items}, DEPTS)
        by_code = {s["code"]: s for s in items}
        # the seeds' promises are there, word for word in their numbers
        self.assertIn("15 分钟", by_code["KF-03"]["requirement"])
        self.assertIn("每小时", by_code["ZX-02"]["requirement"])
        self.assertIn("3 次", by_code["BJ-03"]["requirement"])
        self.assertIn("98%", by_code["GC-08"]["requirement"])
        self.assertEqual(by_code["BJ-10"]["levels"], [1])
        # filters: by department word, by level, by text
        eng = self.ok(self.s.api("GET", "/standards?department=%E5%B7%A5%E7%A8%8B%E9%83%A8", token=self.admin))["items"]
        self.assertTrue(eng and all(s["department"] == "engineering" for s in eng))
        l3 = self.ok(self.s.api("GET", "/standards?level=3", token=self.admin))["items"]
        self.assertTrue(all(3 in s["levels"] for s in l3))
        self.assertNotIn("BJ-10", {s["code"] for s in l3})
        q = self.ok(self.s.api("GET", "/standards?q=%E7%94%B5%E6%A2%AF", token=self.admin))["items"]
        self.assertTrue(q and all("电梯" in s["item"] or "电梯" in s["code"] for s in q))
        # residents read none of it through the staff API
        self.fail_with(self.s.api("GET", "/standards", token=self.o["r1_token"]), 403, "forbidden")

    def test_create_change_version_and_retire(self):
        code = "T-" + uuid.uuid4().hex[:6]
        s = self.ok(self.s.api("POST", "/standards", {"department": "保洁", "code": code, "item": "地下车库清洁",
                                                      "requirement": "每周冲洗一次", "weight": 4,
                                                      "levels": [1, 2]}, self.o["quality_token"]), 201)
        self.assertEqual((s["department"], s["version"], s["levels"], s["active"]), ("cleaning", 1, [1, 2], True))
        s2 = self.ok(self.s.api("PATCH", "/standards/%d" % s["id"], {"requirement": "每周冲洗两次", "levels": [1, 2, 3]},
                                self.o["quality_token"]))
        self.assertEqual((s2["version"], s2["requirement"], s2["levels"]), (2, "每周冲洗两次", [1, 2, 3]))
        # both versions kept, so an inspection scored against version 1 still reads it
        rows = db_query(self.s, "SELECT version, requirement FROM standard_versions WHERE standard_id = %d"
                        " ORDER BY version" % s["id"])
        self.assertEqual(rows, [("1", "每周冲洗一次"), ("2", "每周冲洗两次")])
        # retiring is not a new version
        s3 = self.ok(self.s.api("PATCH", "/standards/%d" % s["id"], {"active": False}, self.admin))
        self.assertEqual((s3["active"], s3["version"]), (False, 2))
        active = self.ok(self.s.api("GET", "/standards?active=1", token=self.admin))["items"]
        self.assertNotIn(code, {x["code"] for x in active})
        # a taken code
        r = self.s.api("POST", "/standards", {"department": "desk", "code": code, "item": "x", "requirement": "y"},
                       self.admin)
        self.fail_with(r, 409, "conflict")
        self.assertEqual(r.field, "code")

    def test_who_may_edit_and_bad_input(self):
        for role in ("manager", "guard", "desk"):
            r = self.s.api("POST", "/standards", {"department": "desk", "code": "N-" + role, "item": "x",
                                                  "requirement": "y"}, self.o[role + "_token"])
            self.fail_with(r, 403, "forbidden")
        base = {"department": "desk", "code": "B-" + uuid.uuid4().hex[:6], "item": "x", "requirement": "y"}
        for change, field in (({"department": "财务"}, "department"), ({"code": ""}, "code"),
                              ({"code": "C" * 21}, "code"), ({"item": ""}, "item"), ({"requirement": ""}, "requirement"),
                              ({"weight": 0}, "weight"), ({"weight": 101}, "weight"), ({"levels": []}, "levels"),
                              ({"levels": [4]}, "levels"), ({"levels": "1"}, "levels"), ({"colour": "red"}, None)):
            body = dict(base, **change)
            r = self.s.api("POST", "/standards", body, self.admin)
            self.fail_with(r, 422, "validation_failed")
            if field:
                self.assertEqual(r.field, field, change)
        self.fail_with(self.s.api("PATCH", "/standards/999999", {"weight": 5}, self.admin), 404, "not_found")
        self.fail_with(self.s.api("GET", "/standards?level=4", token=self.admin), 422, "validation_failed")

    def test_public_page_of_a_project(self):
        p = self.ok(self.s.api("GET", "/projects/%d" % self.o["p1"], token=self.admin))
        pub = self.ok(self.s.api("GET", "/public/projects/%s/standards" % p["code"]))
        self.assertEqual((pub["project_name"], pub["service_level"]), (p["name"], p["service_level"]))
        self.assertTrue(pub["items"])
        self.assertTrue(all(p["service_level"] in s["levels"] and s["active"] for s in pub["items"]))
        self.fail_with(self.s.api("GET", "/public/projects/NOPE-%s/standards" % uuid.uuid4().hex[:4]), 404, "not_found")
