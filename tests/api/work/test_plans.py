"""The plan/task engine over HTTP (issue 12): a full PM cycle, bad input, scope, misses and
catch-up after downtime, a changed plan, two generators at once."""
import datetime
import subprocess
import time

from lib import BIN, ServerTest, db_exec, make_org
from core.test_files import BOUNDARY, form, png_1x1

SH = datetime.timezone(datetime.timedelta(hours=8))


def rfc(t):
    return datetime.datetime.fromtimestamp(t, SH).isoformat()


def epoch(s):
    return int(datetime.datetime.fromisoformat(s).timestamp())


CHECKLIST = [
    {"key": "brake", "label": "制动器检查", "type": "check"},
    {"key": "oil", "label": "油位（格）", "type": "number", "min": 2, "max": 8},
    {"key": "photo", "label": "机房照片", "type": "photo", "required": False},
    {"key": "remark", "label": "备注", "type": "text", "required": False},
]


class Plans(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.o = make_org(cls.s, cls.admin)

    def plan(self, **kw):
        body = {"project_id": self.o["p1"], "kind": "pm", "title": "电梯月度维保",
                "rrule": "FREQ=DAILY", "dtstart": rfc(int(time.time()) - 3600),
                "window_minutes": 600, "assign": {"role": "technician"},
                "category": "电梯", "checklist": CHECKLIST}
        body.update(kw)
        return self.s.api("POST", "/plans", body, self.o["manager_token"])

    def tasks(self, **q):
        qs = "&".join("%s=%s" % kv for kv in q.items())
        return self.ok(self.s.api("GET", "/tasks?" + qs, None, self.admin))["items"]

    def test_full_pm_cycle(self):
        o, tech = self.o, self.o["technician_token"]
        p = self.ok(self.plan(), 201)
        self.assertEqual(p["version"], 1)
        self.assertEqual(len(p["next_occurrences"]), 5)
        listed = self.ok(self.s.api("GET", "/plans?project_id=%d&limit=200" % o["p1"], None, self.admin))
        self.assertEqual([x["next_occurrences"] for x in listed["items"] if x["id"] == p["id"]],
                         [p["next_occurrences"]])
        mine = self.ok(self.s.api("GET", "/tasks?mine=1&plan_id=%d" % p["id"], None, tech))["items"]
        self.assertTrue(mine)
        t = mine[0]
        # the open occurrence (started an hour ago, 10 h window) is the technician's
        self.assertEqual((t["state"], t["assignee_id"], t["kind"]), ("scheduled", o["technician"], "pm"))
        self.assertEqual(epoch(t["due_at"]) - epoch(t["starts_at"]), 600 * 60)
        tid = t["id"]
        url = "/tasks/%d/results/" % tid
        # abnormal needs 问题描述 + 处理措施
        r = self.s.api("PUT", url + "brake", {"ok": False}, tech)
        self.fail_with(r, 422, "validation_failed", "note")
        r = self.s.api("PUT", url + "brake", {"ok": False, "note": "制动片磨损"}, tech)
        self.fail_with(r, 422, "validation_failed", "measure")
        r = self.s.api("PUT", url + "brake", {"value": 1}, tech)
        self.fail_with(r, 422, "validation_failed", "ok")
        # a number outside its range is abnormal whatever ok says: a note is needed
        r = self.s.api("PUT", url + "oil", {"ok": True, "value": 12}, tech)
        self.fail_with(r, 422, "validation_failed", "note")
        self.fail_with(self.s.api("PUT", url + "nosuch", {"ok": True}, tech), 422,
                       "validation_failed", "key")
        self.fail_with(self.s.api("PUT", url + "photo", {"photos": [999999]}, tech), 422,
                       "validation_failed", "photos")
        # nothing was written by the refusals
        got = self.ok(self.s.api("GET", "/tasks/%d" % tid, None, tech))
        self.assertEqual(got["state"], "scheduled")
        self.assertTrue(all(i["result"] is None for i in got["items"]))
        # finishing with a required item unanswered names it
        self.fail_with(self.s.api("POST", "/tasks/%d/actions/finish" % tid, None, tech), 422,
                       "validation_failed", "brake")
        got = self.ok(self.s.api("PUT", url + "brake",
                                 {"ok": False, "note": "制动片磨损", "measure": "已调整，待更换"}, tech))
        self.assertEqual(got["state"], "in_progress")
        self.assertTrue(got["started_at"])
        self.ok(self.s.api("PUT", url + "oil", {"value": 5}, tech))
        photo = self.s.api("POST", "/files", token=tech,
                           raw=form([("file", "room.png", "image/png", png_1x1()),
                                     ("project_id", None, None, str(o["p1"]).encode())]),
                           headers={"Content-Type": "multipart/form-data; boundary=" + BOUNDARY})
        self.assertEqual(photo.status, 201, photo)
        self.ok(self.s.api("PUT", url + "photo", {"photos": [photo.json["id"]]}, tech))
        done = self.ok(self.s.api("POST", "/tasks/%d/actions/finish" % tid, None, tech))
        self.assertEqual(done["state"], "done")
        items = {i["key"]: i for i in done["items"]}
        self.assertEqual(items["oil"]["result"]["ok"], True)
        self.assertIsNone(items["oil"]["result"]["ticket_id"])
        self.assertEqual(items["photo"]["result"]["photos"], [photo.json["id"]])
        ticket_id = items["brake"]["result"]["ticket_id"]
        self.assertTrue(ticket_id)
        # the ticket: a repair on the plan's category from channel inspection, naming the task
        tk = self.ok(self.s.api("GET", "/tickets/%d" % ticket_id, None, self.admin))
        self.assertEqual((tk["kind"], tk["channel"], tk["category"], tk["project_id"]),
                         ("repair", "inspection", "电梯", o["p1"]))
        self.assertIn("制动片磨损", tk["description"])
        self.assertIn("已调整，待更换", tk["description"])
        src = [e for e in tk["events"] if e["action"] == "source"]
        self.assertEqual(len(src), 1)
        self.assertIn("#%d" % tid, src[0]["note"])
        # twice is a conflict
        self.fail_with(self.s.api("POST", "/tasks/%d/actions/finish" % tid, None, tech), 409,
                       "invalid_transition")
        self.fail_with(self.s.api("PUT", url + "oil", {"value": 6}, tech), 409, "invalid_transition")
        # re-check (复检结果) of the abnormal item, once
        self.fail_with(self.s.api("POST", url + "oil/recheck", {"ok": True}, tech), 422,
                       "validation_failed", "key")
        rc = self.ok(self.s.api("POST", url + "brake/recheck", {"ok": True, "note": "已更换制动片"}, tech))
        rec = {i["key"]: i for i in rc["items"]}["brake"]["result"]["recheck"]
        self.assertEqual((rec["ok"], rec["note"], rec["by"]), (True, "已更换制动片", o["technician"]))
        self.fail_with(self.s.api("POST", url + "brake/recheck", {"ok": True}, tech), 409,
                       "invalid_transition")

    def test_bad_input_writes_nothing(self):
        before = len(self.ok(self.s.api("GET", "/plans?limit=200", None, self.admin))["items"])
        dup = [{"key": "a", "label": "一"}, {"key": "a", "label": "二"}]
        cases = [
            ({"rrule": "FREQ=SOMETIMES"}, "rrule"),
            ({"rrule": "FREQ=MINUTELY;INTERVAL=1"}, "rrule"),
            ({"rrule": "FREQ=HOURLY", "window_minutes": 120}, "window_minutes"),
            ({"checklist": dup}, "checklist"),
            ({"checklist": [{"key": "a", "label": "一", "type": "dial"}]}, "checklist"),
            ({"checklist": [{"key": "a", "label": "一", "type": "number", "min": 9, "max": 1}]},
             "checklist"),
            ({"checklist": [{"key": "a b", "label": "一"}]}, "checklist"),
            ({"checklist": []}, "checklist"),
            ({"kind": "party"}, "kind"),
            ({"assign": {"role": "resident"}}, "assign"),
            ({"assign": {"staff_id": self.o["manager_p2"]}}, "assign"),
            ({"assign": {"department": "市场部"}}, "assign"),
            ({"dtstart": "tomorrow"}, "dtstart"),
            ({"level": "galaxy"}, "level"),
        ]
        for change, field in cases:
            self.fail_with(self.plan(**change), 422, "validation_failed", field)
        self.fail_with(self.s.api("POST", "/plans", {"project_id": self.o["p1"], "kind": "pm",
                                                     "title": "x", "rrule": "FREQ=DAILY",
                                                     "window_minutes": 60, "checklist": CHECKLIST,
                                                     "bogus": 1}, self.admin),
                       422, "validation_failed", "bogus")
        after = len(self.ok(self.s.api("GET", "/plans?limit=200", None, self.admin))["items"])
        self.assertEqual(before, after)

    def test_scope(self):
        o = self.o
        p = self.ok(self.plan(title="二次供水月检"), 201)
        tid = self.tasks(plan_id=p["id"])[0]["id"]
        # another project's manager and residents see nothing
        self.fail_with(self.s.api("GET", "/plans/%d" % p["id"], None, o["manager_p2_token"]), 404, "not_found")
        self.fail_with(self.s.api("GET", "/tasks/%d" % tid, None, o["manager_p2_token"]), 404, "not_found")
        self.fail_with(self.s.api("PUT", "/tasks/%d/results/brake" % tid, {"ok": True},
                                  o["manager_p2_token"]), 404, "not_found")
        listed = self.ok(self.s.api("GET", "/tasks?plan_id=%d" % p["id"], None, o["manager_p2_token"]))
        self.assertEqual(listed["items"], [])
        self.fail_with(self.s.api("GET", "/plans", None, o["r1_token"]), 403, "forbidden")
        self.fail_with(self.s.api("GET", "/tasks", None, o["r1_token"]), 403, "forbidden")
        self.fail_with(self.s.api("GET", "/tasks/%d" % tid, None, o["r1_token"]), 404, "not_found")
        # front-line staff may not write plans or skip tasks
        self.fail_with(self.plan_as(o["technician_token"]), 403, "forbidden")
        self.fail_with(self.s.api("POST", "/tasks/%d/actions/skip" % tid, {"reason": "不想做"},
                                  o["technician_token"]), 403, "forbidden")
        # another technician's task is not theirs to work
        r = self.s.api("PUT", "/tasks/%d/results/brake" % tid, {"ok": True}, o["guard_token"])
        self.fail_with(r, 403, "forbidden")
        sk = self.ok(self.s.api("POST", "/tasks/%d/actions/skip" % tid, {"reason": "电梯停用改造"},
                                o["manager_token"]))
        self.assertEqual((sk["state"], sk["skip_reason"]), ("skipped", "电梯停用改造"))

    def plan_as(self, token):
        return self.s.api("POST", "/plans", {"project_id": self.o["p1"], "kind": "pm", "title": "x",
                                             "rrule": "FREQ=DAILY", "window_minutes": 60,
                                             "checklist": CHECKLIST}, token)

    def test_missed_and_catch_up_after_downtime(self):
        start = (int(time.time()) // 3600) * 3600 - 3 * 3600  # three hours ago, on the hour
        p = self.ok(self.plan(title="秩序巡逻", kind="patrol", rrule="FREQ=HOURLY",
                              dtstart=rfc(start), window_minutes=45,
                              assign={"role": "guard"}), 201)
        ts = self.tasks(plan_id=p["id"], limit=200)
        # the plan starts now: the open round if any, then 48 h ahead, nothing before
        self.assertTrue(all(epoch(t["due_at"]) > time.time() - 1 for t in ts))
        self.assertGreaterEqual(len(ts), 47)
        # the server is "down" for 3 days; the job then runs as of then
        later = int(time.time()) + 3 * 86400
        out = self.s.cli("jobs", "run", "plans", "--now", rfc(later))
        self.assertEqual(out.returncode, 0, out.stderr)
        ts = self.tasks(plan_id=p["id"], limit=200, due_to=rfc(later).replace("+", "%2B"))
        # every hour in between is a task, the ones whose window ended are missed
        first = epoch(ts[0]["starts_at"])
        want = [first + k * 3600 for k in range(len(ts))]
        self.assertEqual([epoch(t["starts_at"]) for t in ts], want)
        self.assertEqual({t["state"] for t in ts}, {"missed"})
        self.assertGreaterEqual(len(ts), 3 * 24 - 1)
        # the same list a page at a time (keyset on due time, then id)
        paged, cursor = [], ""
        while True:
            page = self.ok(self.s.api("GET", "/tasks?plan_id=%d&limit=20%s" % (p["id"], cursor), None,
                                      self.admin))
            paged += [t["id"] for t in page["items"]]
            if not page.get("next_cursor"):
                break
            cursor = "&cursor=" + page["next_cursor"]
        everything = self.tasks(plan_id=p["id"], limit=200)
        self.assertEqual(paged, [t["id"] for t in everything])

    def test_assigned_by_department(self):
        # 工程 is the old word: the plan stores the department's name, the technician of
        # 工程部 gets the task
        p = self.ok(self.plan(title="配电房月检", assign={"department": "工程"}), 201)
        self.assertEqual(p["assign"], {"department": "工程部"})
        ts = self.tasks(plan_id=p["id"])
        self.assertEqual({t["assignee_id"] for t in ts}, {self.o["technician"]})

    def test_nobody_eligible_still_makes_the_task(self):
        p = self.ok(self.plan(title="绿化养护", kind="custom", assign={"skill": "园艺师"}), 201)
        ts = self.tasks(plan_id=p["id"])
        self.assertTrue(ts)
        self.assertTrue(all(t["assignee_id"] is None for t in ts))
        open_ids = {t["id"] for t in self.tasks(plan_id=p["id"], unassigned=1)}
        self.assertEqual(open_ids, {t["id"] for t in ts})
        # the manager takes one up by starting it... or anyone of the project may
        t = self.ok(self.s.api("POST", "/tasks/%d/actions/start" % ts[0]["id"], None,
                               self.o["cleaner_token"]))
        self.assertEqual((t["state"], t["assignee_id"]), ("in_progress", self.o["cleaner"]))

    def test_changed_plan_replaces_future_only(self):
        tech = self.o["technician_token"]
        p = self.ok(self.plan(title="水泵房日检"), 201)
        ts = self.tasks(plan_id=p["id"])
        open_task = ts[0]
        self.ok(self.s.api("PUT", "/tasks/%d/results/brake" % open_task["id"], {"ok": True}, tech))
        future = [t["id"] for t in ts[1:]]
        self.assertTrue(future)
        new_list = [{"key": "pump", "label": "水泵运行", "type": "check"}]
        p2 = self.ok(self.s.api("PATCH", "/plans/%d" % p["id"], {"checklist": new_list},
                                self.o["manager_token"]))
        self.assertEqual(p2["version"], 2)
        ts2 = self.tasks(plan_id=p["id"])
        self.assertEqual(ts2[0]["id"], open_task["id"])  # started: kept as it was
        kept = self.ok(self.s.api("GET", "/tasks/%d" % open_task["id"], None, tech))
        self.assertEqual([i["key"] for i in kept["items"]], [c["key"] for c in CHECKLIST])
        # the future is replaced: made from version 2 (SQLite may hand out the freed ids again)
        self.assertEqual([t["plan_version"] for t in ts2], [1] + [2] * (len(ts2) - 1))
        fresh = self.ok(self.s.api("GET", "/tasks/%d" % ts2[1]["id"], None, tech))
        self.assertEqual([i["key"] for i in fresh["items"]], ["pump"])
        self.assertEqual(len(ts2), len(ts))
        # paused: no future tasks at all; the started one stays
        self.ok(self.s.api("PATCH", "/plans/%d" % p["id"], {"active": False}, self.o["manager_token"]))
        self.assertEqual([t["id"] for t in self.tasks(plan_id=p["id"])], [open_task["id"]])

    def test_two_generators_at_once_make_each_task_once(self):
        start = (int(time.time()) // 3600) * 3600
        p = self.ok(self.plan(title="并发巡逻", kind="patrol", rrule="FREQ=HOURLY",
                              dtstart=rfc(start), window_minutes=30), 201)
        # pretend nothing was generated, then let two processes catch up together
        db_exec(self.s, "DELETE FROM tasks WHERE plan_id = %d" % p["id"])
        db_exec(self.s, "UPDATE plans SET generated_until = dtstart, refill_at = 0 WHERE id = %d" % p["id"])
        when_t = int(time.time()) + 600
        when = rfc(when_t)
        procs = [subprocess.Popen([BIN, "jobs", "run", "plans", "--now", when, "--db", self.s.db],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=self.s.env)
                 for _ in range(2)]
        codes = [pr.wait(timeout=120) for pr in procs]
        # one runs, the other finds the lease held (exit 3) or runs after it
        self.assertIn(0, codes)
        self.assertTrue(all(c in (0, 3) for c in codes), codes)
        ts = self.tasks(plan_id=p["id"], limit=200)
        starts = [t["starts_at"] for t in ts]
        self.assertEqual(len(starts), len(set(starts)))
        # every hour from the plan's start up to 48 h past the run's time, each once
        want = len(range(start, when_t + 48 * 3600, 3600))
        self.assertEqual(len(starts), want)


class Late(ServerTest):
    """A missed task may still be done: it counts as late, never as on time."""

    def test_missed_then_done_is_late(self):
        o = make_org(self.s, self.admin)
        start = (int(time.time()) // 3600) * 3600
        p = self.ok(self.s.api("POST", "/plans", {
            "project_id": o["p1"], "kind": "patrol", "title": "夜间巡逻", "rrule": "FREQ=HOURLY",
            "dtstart": rfc(start), "window_minutes": 45, "assign": {"role": "guard"},
            "checklist": [{"key": "door", "label": "单元门关闭", "type": "check"}]}, self.admin), 201)
        later = int(time.time()) + 5 * 3600
        out = self.s.cli("jobs", "run", "plans", "--now", rfc(later))
        self.assertEqual(out.returncode, 0, out.stderr)
        self.at(later)  # the server's clock, too
        ts = self.ok(self.s.api("GET", "/tasks?plan_id=%d&state=missed" % p["id"], None, self.admin))["items"]
        self.assertGreaterEqual(len(ts), 4)
        tid = ts[0]["id"]
        self.ok(self.s.api("PUT", "/tasks/%d/results/door" % tid, {"ok": True}, self.admin))
        done = self.ok(self.s.api("POST", "/tasks/%d/actions/finish" % tid, None, self.admin))
        self.assertEqual((done["state"], bool(done["missed_at"])), ("late", True))
