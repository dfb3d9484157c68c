"""Preventive maintenance on the equipment book (issue 12): a PM plan over pieces of
equipment makes a task per piece, an abnormal result opens a ticket on that piece, the
equipment's history shows the task, and /stats/equipment counts PM due, on time, missed."""
import datetime
import time
import uuid

from lib import ServerTest, make_org

SH = datetime.timezone(datetime.timedelta(hours=8))


def rfc(t):
    return datetime.datetime.fromtimestamp(t, SH).isoformat()


class EquipmentPM(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.o = make_org(cls.s, cls.admin)

    def equipment(self, project, cls_="elevator", name="1号客梯"):
        r = self.s.api("POST", "/equipment", {"project_id": project, "code": "EQ-" + uuid.uuid4().hex[:6],
                                              "name": name, "class": cls_, "location": "1栋",
                                              "criticality": "major"}, self.admin)
        self.assertEqual(r.status, 201, r)
        return r.json["id"]

    def test_pm_cycle_on_equipment(self):
        o, tech = self.o, self.o["technician_token"]
        e1, e2 = self.equipment(o["p1"]), self.equipment(o["p1"], name="2号客梯")
        other = self.equipment(o["p2"])
        body = {"project_id": o["p1"], "kind": "pm", "title": "电梯半月维保", "rrule": "FREQ=DAILY;INTERVAL=15",
                "dtstart": rfc(int(time.time()) - 3600), "window_minutes": 7 * 1440,
                "assign": {"role": "technician"}, "category": "电梯",
                "checklist": [{"key": "brake", "label": "制动器检查", "type": "check"}]}
        # equipment of another project, or none at all, is refused
        r = self.s.api("POST", "/plans", dict(body, equipment_ids=[e1, other]), self.admin)
        self.fail_with(r, 422, "validation_failed", "equipment_ids")
        r = self.s.api("POST", "/plans", dict(body, equipment_ids=[987654]), self.admin)
        self.fail_with(r, 422, "validation_failed", "equipment_ids")
        p = self.ok(self.s.api("POST", "/plans", dict(body, equipment_ids=[e1, e2]), self.admin), 201)
        ts = self.ok(self.s.api("GET", "/tasks?plan_id=%d&limit=200" % p["id"], token=self.admin))["items"]
        first = min(t["starts_at"] for t in ts)
        now_tasks = [t for t in ts if t["starts_at"] == first]
        self.assertEqual(sorted(t["equipment_id"] for t in now_tasks), sorted([e1, e2]))
        t1 = [t for t in now_tasks if t["equipment_id"] == e1][0]
        mine = self.ok(self.s.api("GET", "/tasks?equipment_id=%d&mine=1" % e1, token=tech))["items"]
        self.assertIn(t1["id"], [t["id"] for t in mine])
        # a staff member scanning the label goes to its open task; anyone else sees no task
        tok = self.ok(self.s.api("GET", "/equipment/%d" % e1, token=self.admin))["qr_token"]
        q = self.ok(self.s.api("GET", "/q/e/" + tok, token=tech))
        self.assertEqual(q["open_task"]["id"], t1["id"])
        self.assertNotIn("open_task", self.ok(self.s.api("GET", "/q/e/" + tok)))
        self.ok(self.s.api("PUT", "/tasks/%d/results/brake" % t1["id"],
                           {"ok": False, "note": "制动器间隙过大", "measure": "已调整间隙"}, tech))
        done = self.ok(self.s.api("POST", "/tasks/%d/actions/finish" % t1["id"], None, tech))
        tid = done["items"][0]["result"]["ticket_id"]
        tk = self.ok(self.s.api("GET", "/tickets/%d" % tid, token=self.admin))
        self.assertEqual((tk["equipment_id"], tk["channel"], tk["category"]), (e1, "inspection", "电梯"))
        # the equipment's history has the task (with its ticket) and the ticket
        hist = self.ok(self.s.api("GET", "/equipment/%d/history" % e1, token=self.admin))["items"]
        kinds = {(x["type"], x["id"]) for x in hist}
        self.assertIn(("task", t1["id"]), kinds)
        self.assertIn(("ticket", tid), kinds)
        task_entry = [x for x in hist if x["type"] == "task" and x["id"] == t1["id"]][0]
        self.assertEqual((task_entry["state"], task_entry["ticket_id"]), ("done", tid))
        # a week on (the server's clock too): the first round is past due; the job marks
        # e2's task missed; the month of that due time counts 2 due, 1 on time, 1 missed
        due = datetime.datetime.fromisoformat(t1["due_at"])
        later = int(due.timestamp()) + 3600
        self.at(later)
        out = self.s.cli("jobs", "run", "plans")
        self.assertEqual(out.returncode, 0, out.stderr)
        st = self.ok(self.s.api("GET", "/stats/equipment?project_id=%d&month=%s" % (o["p1"], due.strftime("%Y-%m")),
                                token=self.admin))
        elev = [c for c in st["classes"] if c["class"] == "elevator"][0]
        self.assertEqual((elev["pm_due"], elev["pm_on_time"], elev["pm_missed"]), (2, 1, 1))
        self.assertEqual((st["total"]["pm_due"], st["total"]["pm_on_time"]), (2, 1))


class PMTemplates(ServerTest):
    """Each class ships default PM plans (the seeds' frequencies, and the 15-day lift
    maintenance many cities require); applying one makes an ordinary plan of the project
    over its units of that class."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.o = make_org(cls.s, cls.admin)

    def unit(self, project, cls_, name):
        r = self.s.api("POST", "/equipment", {"project_id": project, "code": "T-" + uuid.uuid4().hex[:6],
                                              "name": name, "class": cls_, "location": "地下一层"},
                       self.admin)
        self.assertEqual(r.status, 201, r)
        return r.json["id"]

    def test_catalogue_has_the_seed_frequencies(self):
        items = self.ok(self.s.api("GET", "/equipment/pm-templates", token=self.admin))["items"]
        by = {t["key"]: t for t in items}
        self.assertEqual(by["elevator_monthly"]["rrule"].split(";")[0], "FREQ=MONTHLY")
        self.assertIn("BYMONTHDAY=1,16", by["elevator_half_month"]["rrule"])
        self.assertIn("INTERVAL=3", by["fire_quarterly"]["rrule"])
        self.assertIn("INTERVAL=6", by["water_tank_cleaning"]["rrule"])
        self.assertEqual(by["generator_monthly"]["class"], "power")
        for t in items:
            self.assertTrue(t["checklist"], t["key"])
            self.assertEqual(len({i["key"] for i in t["checklist"]}), len(t["checklist"]))
        lifts = self.ok(self.s.api("GET", "/equipment/pm-templates?class=elevator", token=self.admin))["items"]
        self.assertEqual({t["class"] for t in lifts}, {"elevator"})
        self.assertGreaterEqual(len(lifts), 2)
        # a resident sees no templates
        r = self.s.api("GET", "/equipment/pm-templates", token=self.o["r1_token"])
        self.fail_with(r, 403, "forbidden")

    def test_apply_covers_the_class_and_the_name(self):
        o = self.o
        pump = self.unit(o["p2"], "water", "变频泵组")
        tank = self.unit(o["p2"], "water", "生活水箱")
        t = {x["key"]: x for x in self.ok(self.s.api(
            "GET", "/equipment/pm-templates?project_id=%d" % o["p2"], token=self.admin))["items"]}
        self.assertEqual(t["water_monthly"]["units"], 2)
        self.assertEqual(t["water_tank_cleaning"]["units"], 1)
        p = self.ok(self.s.api("POST", "/equipment/pm-templates/water_tank_cleaning/apply",
                               {"project_id": o["p2"]}, self.admin), 201)
        self.assertEqual(p["equipment_ids"], [tank])
        self.assertEqual(p["kind"], "pm")
        self.assertEqual(p["title"], "二次供水水箱清洗消毒")
        self.assertEqual(p["assign"], {"role": "technician"})
        self.assertTrue(p["next_occurrences"])
        # an explicit list and a title of the company's own
        p = self.ok(self.s.api("POST", "/equipment/pm-templates/water_monthly/apply",
                               {"project_id": o["p2"], "equipment_ids": [pump], "title": "泵房月保"},
                               self.admin), 201)
        self.assertEqual((p["equipment_ids"], p["title"]), ([pump], "泵房月保"))
        ts = self.ok(self.s.api("GET", "/tasks?plan_id=%d" % p["id"], token=self.admin))["items"]
        self.assertTrue(all(x["equipment_id"] == pump for x in ts))

    def test_bad_applies_write_nothing(self):
        o = self.o
        before = self.ok(self.s.api("GET", "/plans?project_id=%d&limit=200" % o["p1"], token=self.admin))["items"]
        # no lift in the project yet: nothing to cover
        r = self.s.api("POST", "/equipment/pm-templates/generator_monthly/apply", {"project_id": o["p1"]}, self.admin)
        self.fail_with(r, 422, "validation_failed", "equipment_ids")
        r = self.s.api("POST", "/equipment/pm-templates/no_such/apply", {"project_id": o["p1"]}, self.admin)
        self.fail_with(r, 404, "not_found")
        r = self.s.api("POST", "/equipment/pm-templates/elevator_monthly/apply", {"project_id": o["p1"], "x": 1},
                       self.admin)
        self.fail_with(r, 422, "validation_failed", "x")
        r = self.s.api("POST", "/equipment/pm-templates/elevator_monthly/apply", {}, self.admin)
        self.fail_with(r, 422, "validation_failed", "project_id")
        lift = self.unit(o["p1"], "elevator", "3号客梯")
        # a technician may not make plans; a manager of another project cannot see this one
        r = self.s.api("POST", "/equipment/pm-templates/elevator_monthly/apply", {"project_id": o["p1"]},
                       o["technician_token"])
        self.fail_with(r, 403, "forbidden")
        r = self.s.api("POST", "/equipment/pm-templates/elevator_monthly/apply", {"project_id": o["p1"]},
                       o["manager_p2_token"])
        self.fail_with(r, 404, "not_found")
        after = self.ok(self.s.api("GET", "/plans?project_id=%d&limit=200" % o["p1"], token=self.admin))["items"]
        self.assertEqual(len(after), len(before))
        p = self.ok(self.s.api("POST", "/equipment/pm-templates/elevator_half_month/apply",
                               {"project_id": o["p1"]}, self.admin), 201)
        self.assertEqual(p["equipment_ids"], [lift])
        self.assertEqual(p["window_minutes"], 4320)
