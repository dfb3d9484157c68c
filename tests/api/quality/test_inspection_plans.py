"""Inspection plans (三级检查, issue 13): a plan of kind inspection names the department it
inspects (by id or by name); a cross-check (交叉互检, level cross) is refused when the rule
puts the work in the inspected department itself, or cannot say which department does it
(422 field assign); only inspection plans name an inspected department."""
import datetime
import time

from lib import ServerTest, make_org

SH = datetime.timezone(datetime.timedelta(hours=8))


def rfc(t):
    return datetime.datetime.fromtimestamp(t, SH).isoformat()


class InspectionPlans(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.o = make_org(cls.s, cls.admin)
        deps = cls.s.api("GET", "/departments?limit=50", token=cls.admin).json["items"]
        cls.dep = {d["function"]: d for d in deps}

    def body(self, **kw):
        b = {"project_id": self.o["p1"], "kind": "inspection", "title": "保洁月度交叉检查", "level": "cross",
             "rrule": "FREQ=MONTHLY;BYMONTHDAY=20;BYHOUR=9;BYMINUTE=0", "dtstart": rfc(int(time.time())),
             "window_minutes": 480, "inspected_department": "保洁部",
             "checklist": [{"key": "lobby", "label": "大堂地面洁净", "type": "check"}]}
        b.update(kw)
        return b

    def test_cross_check_by_another_department(self):
        o = self.o
        # the quality department's person checks cleaning: accepted, the department kept
        p = self.ok(self.s.api("POST", "/plans", self.body(assign={"staff_id": o["quality"]}), self.admin), 201)
        self.assertEqual(p["inspected_department_id"], self.dep["cleaning"]["id"])
        self.assertEqual(self.ok(self.s.api("GET", "/plans/%d" % p["id"], token=self.admin))["inspected_department_id"],
                         self.dep["cleaning"]["id"])
        # by department rule, and by id
        p2 = self.ok(self.s.api("POST", "/plans", self.body(assign={"department": "工程部"},
                                                            inspected_department=None,
                                                            inspected_department_id=self.dep["cleaning"]["id"]),
                                self.admin), 201)
        self.assertEqual(p2["inspected_department_id"], self.dep["cleaning"]["id"])
        # changing the rule to the inspected department itself is refused, nothing written
        r = self.s.api("PATCH", "/plans/%d" % p["id"], {"assign": {"staff_id": o["cleaner"]}}, self.admin)
        self.fail_with(r, 422, "validation_failed")
        self.assertEqual(r.field, "assign")
        self.assertEqual(self.ok(self.s.api("GET", "/plans/%d" % p["id"], token=self.admin))["assign"],
                         {"staff_id": o["quality"]})

    def test_refusals(self):
        o = self.o
        for body, field in (
                (self.body(assign={"staff_id": o["cleaner"]}), "assign"),        # the inspected themselves
                (self.body(assign={"department": "保洁部"}), "assign"),
                (self.body(assign={"role": "quality"}), "assign"),               # cannot say which department
                (self.body(assign={}), "assign"),
                (self.body(assign={"staff_id": o["quality"]}, inspected_department=None), "inspected_department_id"),
                (self.body(assign={"staff_id": o["quality"]}, inspected_department="财务部"), "inspected_department"),
                (self.body(assign={"staff_id": o["quality"]}, inspected_department=None,
                           inspected_department_id=999999), "inspected_department_id"),
                (self.body(kind="pm", level=None, assign={"role": "technician"}), "inspected_department_id")):
            body = {k: v for k, v in body.items() if v is not None}
            r = self.s.api("POST", "/plans", body, self.admin)
            self.fail_with(r, 422, "validation_failed")
            self.assertEqual(r.field, field, body)
        # a self-check of a department by its own post is fine
        self.ok(self.s.api("POST", "/plans", self.body(level="self", title="保洁每日自查", rrule="FREQ=DAILY;BYHOUR=17",
                                                       window_minutes=120, assign={"staff_id": o["cleaner"]}),
                           self.admin), 201)
