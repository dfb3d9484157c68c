"""GET /stats/tasks: scheduled work of a week done against planned, per plan — so
"电梯轿厢每周消毒3次" is a count: next week's three disinfections (open, then missed when
the week goes by undone), this week's daily sweep with one done; the week is Monday to Sunday at the project; scope and
bad input."""
import datetime
import time
import uuid

from lib import ServerTest, make_org

SH = datetime.timezone(datetime.timedelta(hours=8))


def rfc(t):
    return datetime.datetime.fromtimestamp(t, SH).isoformat()


class TaskStats(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.o = make_org(cls.s, cls.admin)

    def plan(self, title, rrule, start, area):
        return self.ok(self.s.api("POST", "/plans", {
            "project_id": self.o["p1"], "kind": "cleaning", "title": title, "rrule": rrule, "dtstart": rfc(start),
            "window_minutes": 480, "area": area, "assign": {"role": "cleaner"},
            "checklist": [{"key": "done", "label": "已消毒并拍照", "type": "check"}]}, self.admin), 201)

    def stats(self, week_of=None, kind="cleaning", token=None):
        q = "/stats/tasks?project_id=%d&kind=%s" % (self.o["p1"], kind)
        if week_of:
            q += "&week_of=" + week_of
        return self.ok(self.s.api("GET", q, token=token or self.admin))

    def test_a_week_of_disinfections_and_sweeps(self):
        now = int(time.time())
        today = datetime.datetime.fromtimestamp(now, SH).date()
        monday = today - datetime.timedelta(days=today.weekday())
        next_monday = monday + datetime.timedelta(days=7)
        disinfect = self.plan("电梯轿厢消毒" + uuid.uuid4().hex[:4], "FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9;BYMINUTE=0",
                              now, "3栋电梯轿厢")
        st = self.stats(next_monday.isoformat())
        self.assertEqual((st["from"], st["to"]), (next_monday.isoformat(), (next_monday + datetime.timedelta(days=7)).isoformat()))
        row = next(p for p in st["plans"] if p["plan_id"] == disinfect["id"])
        self.assertEqual((row["planned"], row["open"], row["done"], row["area"]), (3, 3, 0, "3栋电梯轿厢"))
        # any day of the week names the same week
        self.assertEqual(self.stats((next_monday + datetime.timedelta(days=6)).isoformat())["from"],
                         next_monday.isoformat())
        # the week goes by with none done: three missed, completion 0
        saturday = datetime.datetime.combine(next_monday + datetime.timedelta(days=5), datetime.time(12), SH)
        out = self.s.cli("jobs", "run", "plans", "--now", saturday.isoformat())
        self.assertEqual(out.returncode, 0, out.stderr)
        row = next(p for p in self.stats(next_monday.isoformat())["plans"] if p["plan_id"] == disinfect["id"])
        self.assertEqual((row["planned"], row["missed"], row["completion"]), (3, 3, 0.0))
        # this week: a daily sweep; today's is done
        sweep = self.plan("大堂清扫" + uuid.uuid4().hex[:4], "FREQ=DAILY", now - 1800, "1栋大堂")
        tasks = self.ok(self.s.api("GET", "/tasks?plan_id=%d&state=scheduled&limit=10" % sweep["id"],
                                   token=self.admin))["items"]
        t = next(x for x in tasks if datetime.datetime.fromisoformat(x["starts_at"]).timestamp() <= now)
        self.ok(self.s.api("PUT", "/tasks/%d/results/done" % t["id"], {"ok": True}, self.o["cleaner_token"]))
        self.ok(self.s.api("POST", "/tasks/%d/actions/finish" % t["id"], {}, self.o["cleaner_token"]))
        st = self.stats()
        self.assertEqual(st["from"], monday.isoformat())
        row = next(p for p in st["plans"] if p["plan_id"] == sweep["id"])
        self.assertEqual(row["done"], 1)
        self.assertEqual(row["planned"], row["done"] + row["late"] + row["missed"] + row["skipped"] + row["open"])
        self.assertAlmostEqual(row["completion"], (row["done"] + row["late"]) / (row["planned"] - row["skipped"]))
        tot = st["totals"]
        self.assertEqual(tot["planned"], sum(p["planned"] for p in st["plans"]))
        # other kinds stay out of a kind's figures; every kind together without one
        self.assertFalse([p for p in self.stats(kind="pm")["plans"] if p["plan_id"] == sweep["id"]])

    def test_scope_and_bad_input(self):
        o = self.o
        self.fail_with(self.s.api("GET", "/stats/tasks?project_id=%d" % o["p2"], token=o["cleaner_token"]),
                       404, "not_found")
        self.fail_with(self.s.api("GET", "/stats/tasks", token=self.admin), 422, "validation_failed")
        r = self.s.api("GET", "/stats/tasks?project_id=%d&kind=sweeping" % o["p1"], token=self.admin)
        self.fail_with(r, 422, "validation_failed")
        self.assertEqual(r.field, "kind")
        r = self.s.api("GET", "/stats/tasks?project_id=%d&week_of=2026-02-30" % o["p1"], token=self.admin)
        self.fail_with(r, 422, "validation_failed")
        self.fail_with(self.s.api("GET", "/stats/tasks?project_id=%d" % o["p1"], token=o["r1_token"]),
                       403, "forbidden")
