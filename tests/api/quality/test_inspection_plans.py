"""Inspection plans (三级检查, issue 13): a plan of kind inspection names the department it
inspects (by id or by name); a cross-check (交叉互检, level cross) is refused when the rule
puts the work in the inspected department itself, or cannot say which department does it
(422 field assign); only inspection plans name an inspected department."""
import datetime
import json
import time

from core.test_files import BOUNDARY, form, png_1x1
from lib import ServerTest, db_query, make_org

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


class SpotChecks(ServerTest):
    """管理层巡检: each spot-check task gets 3 distinct buildings of the project drawn by the
    server, on the task and in the audit log."""

    def test_three_buildings_drawn_and_audited(self):
        o = make_org(self.s, self.admin)
        for name in ("2栋", "3栋", "5栋", "6栋"):
            self.ok(self.s.api("POST", "/projects/%d/buildings" % o["p1"], {"name": name, "floors": 11}, self.admin), 201)
        blds = {b["id"]: b["name"] for b in
                self.ok(self.s.api("GET", "/projects/%d/buildings?limit=50" % o["p1"], token=self.admin))["items"]}
        p = self.ok(self.s.api("POST", "/plans", {
            "project_id": o["p1"], "kind": "inspection", "level": "spot", "title": "经理月度抽查",
            "rrule": "FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=10;BYMINUTE=0", "dtstart": rfc(int(time.time())),
            "window_minutes": 600, "assign": {"staff_id": o["manager"]},
            "checklist": [{"key": "lobby", "label": "大堂整洁", "type": "check"}]}, self.admin), 201)
        tasks = self.ok(self.s.api("GET", "/tasks?plan_id=%d&limit=50" % p["id"], token=self.admin))["items"]
        self.assertGreaterEqual(len(tasks), 2)
        for t in tasks:
            full = self.ok(self.s.api("GET", "/tasks/%d" % t["id"], token=self.admin))
            got = full["buildings"]
            self.assertEqual(len(got), 3)
            self.assertEqual(len({b["id"] for b in got}), 3)
            for b in got:
                self.assertEqual(blds[b["id"]], b["name"])
            rows = db_query(self.s, "SELECT change FROM audit_log WHERE entity = 'task' AND action = 'draw'"
                            " AND entity_id = %d" % t["id"])
            self.assertEqual(len(rows), 1)
            self.assertEqual(sorted(json.loads(rows[0][0])["buildings"]), sorted(b["id"] for b in got))
        # a task of another level carries no draw
        other = self.ok(self.s.api("POST", "/plans", {
            "project_id": o["p1"], "kind": "inspection", "level": "self", "title": "保洁自查",
            "rrule": "FREQ=DAILY;BYHOUR=17", "dtstart": rfc(int(time.time())), "window_minutes": 60,
            "assign": {"staff_id": o["cleaner"]}, "checklist": [{"key": "a", "label": "地面", "type": "check"}]},
            self.admin), 201)
        t = self.ok(self.s.api("GET", "/tasks?plan_id=%d&limit=1" % other["id"], token=self.admin))["items"][0]
        self.assertNotIn("buildings", self.ok(self.s.api("GET", "/tasks/%d" % t["id"], token=self.admin)))


class InspectionScore(ServerTest):
    """Finishing an inspection scores it from the standards' weights and raises each failed
    item as a rectification (on the inspected department, against the standard), not a
    ticket."""

    def test_score_and_rectifications(self):
        o = make_org(self.s, self.admin)
        stds = {s["code"]: s for s in self.ok(self.s.api("GET", "/standards?department=cleaning", token=self.admin))["items"]}
        b1, b3 = stds["BJ-01"], stds["BJ-03"]
        p = self.ok(self.s.api("POST", "/plans", {
            "project_id": o["p1"], "kind": "inspection", "level": "cross", "title": "保洁交叉检查",
            "rrule": "FREQ=DAILY", "dtstart": rfc(int(time.time()) - 600), "window_minutes": 600,
            "inspected_department": "保洁部", "assign": {"staff_id": o["quality"]},
            "checklist": [{"key": "sweep", "label": "公共区域清扫", "type": "check", "standard_id": b1["id"]},
                          {"key": "lift", "label": "电梯轿厢消毒", "type": "check", "standard_id": b3["id"]},
                          {"key": "note", "label": "其他情况", "type": "check"}]}, self.admin), 201)
        t = self.ok(self.s.api("GET", "/tasks?plan_id=%d&state=scheduled&limit=5" % p["id"], token=self.admin))["items"][0]
        q = o["quality_token"]
        self.ok(self.s.api("PUT", "/tasks/%d/results/sweep" % t["id"], {"ok": True}, q))
        photo = self.s.api("POST", "/files", token=q,
                           raw=form([("file", "lift.png", "image/png", png_1x1()),
                                     ("project_id", None, None, str(o["p1"]).encode())]),
                           headers={"Content-Type": "multipart/form-data; boundary=" + BOUNDARY})
        self.assertEqual(photo.status, 201, photo)
        self.ok(self.s.api("PUT", "/tasks/%d/results/lift" % t["id"],
                           {"ok": False, "note": "本周仅消毒 1 次", "measure": "已通知保洁主管",
                            "photos": [photo.json["id"]]}, q))
        self.ok(self.s.api("PUT", "/tasks/%d/results/note" % t["id"], {"ok": True}, q))
        done = self.ok(self.s.api("POST", "/tasks/%d/actions/finish" % t["id"], {}, q))
        want = round(100 * (b1["weight"] + 1) / (b1["weight"] + b3["weight"] + 1))
        self.assertEqual(done["score"], want)
        # the failed item is a rectification, not a ticket
        lift = next(i for i in done["items"] if i["key"] == "lift")
        self.assertIsNone(lift["result"].get("ticket_id"))
        rs = self.ok(self.s.api("GET", "/rectifications?project_id=%d" % o["p1"], token=self.admin))["items"]
        mine = [r for r in rs if r["task_id"] == t["id"]]
        self.assertEqual(len(mine), 1)
        r = mine[0]
        self.assertEqual((r["department"], r["standard_id"], r["standard_version"], r["state"]),
                         ("cleaning", b3["id"], b3["version"], "open"))
        self.assertEqual(r["problem"], "电梯轿厢消毒：本周仅消毒 1 次")
        # the finding's photo goes with it
        self.assertEqual(self.ok(self.s.api("GET", "/rectifications/%d" % r["id"], token=self.admin))["photos"],
                         [photo.json["id"]])
        # the item carries the rectification it raised, on the task read back too
        self.assertEqual(lift["result"]["rectification_id"], r["id"])
        again = self.ok(self.s.api("GET", "/tasks/%d" % t["id"], token=self.admin))
        self.assertEqual(next(i for i in again["items"] if i["key"] == "lift")["result"]["rectification_id"], r["id"])
        tickets = self.ok(self.s.api("GET", "/tickets?project_id=%d&limit=50" % o["p1"], token=self.admin))["items"]
        self.assertFalse([x for x in tickets if "电梯轿厢消毒" in x["title"]])
        # the month's figures: the score per inspected department and level, the rectification
        st = self.ok(self.s.api("GET", "/stats/quality?project_id=%d" % o["p1"], token=o["manager_token"]))
        row = next(x for x in st["scores"] if x["department"] == "cleaning" and x["level"] == "cross")
        self.assertEqual(row["inspections"], 1)
        self.assertAlmostEqual(row["average_score"], want, places=6)
        # the department's score: only a cross-check this month, so its average
        dept = next(x for x in st["departments"] if x["department"] == "cleaning")
        self.assertEqual(dept["inspections"], 1)
        self.assertAlmostEqual(dept["score"], want, places=6)
        self.assertEqual((st["rectifications"]["raised"], st["rectifications"]["open"]), (1, 1))
        self.fail_with(self.s.api("GET", "/stats/quality?project_id=%d" % o["p2"], token=o["manager_token"]),
                       404, "not_found")
        self.fail_with(self.s.api("GET", "/stats/quality?project_id=%d&month=2026-13" % o["p1"], token=self.admin),
                       422, "validation_failed")


class SelfCheckReport(ServerTest):
    """部门自查周报: the week's self-checks per inspected department — planned, done, missed,
    the average score and the findings raised."""

    def test_week_of_self_checks(self):
        o = make_org(self.s, self.admin)
        now = int(time.time())
        p = self.ok(self.s.api("POST", "/plans", {
            "project_id": o["p1"], "kind": "inspection", "level": "self", "title": "保洁每日自查",
            "rrule": "FREQ=DAILY", "dtstart": rfc(now - 600), "window_minutes": 600, "inspected_department": "保洁部",
            "assign": {"staff_id": o["cleaner"]},
            "checklist": [{"key": "floor", "label": "大堂地面", "type": "check"},
                          {"key": "bins", "label": "垃圾桶", "type": "check"}]}, self.admin), 201)
        t = self.ok(self.s.api("GET", "/tasks?plan_id=%d&state=scheduled&limit=1" % p["id"], token=self.admin))["items"][0]
        tok = o["cleaner_token"]
        self.ok(self.s.api("PUT", "/tasks/%d/results/floor" % t["id"], {"ok": True}, tok))
        self.ok(self.s.api("PUT", "/tasks/%d/results/bins" % t["id"], {"ok": False, "note": "3号桶满溢", "measure": "已清运"}, tok))
        self.ok(self.s.api("POST", "/tasks/%d/actions/finish" % t["id"], {}, tok))
        day = datetime.datetime.fromisoformat(t["due_at"]).astimezone(SH).date()
        rep = self.ok(self.s.api("GET", "/reports/self-check?project_id=%d&week_of=%s" % (o["p1"], day.isoformat()),
                                 token=o["manager_token"]))
        monday = day - datetime.timedelta(days=day.weekday())
        self.assertEqual(rep["from"], monday.isoformat())
        row = next(d for d in rep["departments"] if d["department"] == "cleaning")
        self.assertEqual((row["done"], row["findings"]), (1, 1))
        self.assertEqual(row["average_score"], 50.0)
        self.assertEqual(row["planned"], row["done"] + row["late"] + row["missed"] + row["open"])
        self.fail_with(self.s.api("GET", "/reports/self-check?project_id=%d" % o["p2"], token=o["manager_token"]),
                       404, "not_found")
