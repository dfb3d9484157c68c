"""Patrol routes and rounds (issue 13): a route's checkpoints are the items of the rounds a
patrol plan makes; a round is walked by scanning each checkpoint's QR; proof of presence is
flagged (far, speed, burst, device), never refused; a checkpoint not scanned by the round's
due time is a miss, counted in /stats/patrols."""
import datetime
import time
import uuid

from assets.test_equipment import qr_urls
from lib import ServerTest, make_org

SH = datetime.timezone(datetime.timedelta(hours=8))
GATE = (31.2304, 121.4737)
GARAGE = (31.2404, 121.4737)  # 1.1 km north of the gate


def rfc(t):
    return datetime.datetime.fromtimestamp(t, SH).isoformat()


def epoch(s):
    return int(datetime.datetime.fromisoformat(s).timestamp())


class Patrols(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.o = make_org(cls.s, cls.admin)

    def route(self, project, n=3, token=None):
        cps = [{"name": "东门岗亭", "place": "小区东门", "lat": GATE[0], "lng": GATE[1], "radius_m": 50,
                "key_area": True},
               {"name": "地下车库B1", "place": "车库入口", "lat": GARAGE[0], "lng": GARAGE[1], "radius_m": 50},
               {"name": "3栋消防通道", "place": "3栋一层"},
               {"name": "会所后门"}][:n]
        r = self.s.api("POST", "/patrol-routes", {"project_id": project, "name": "夜间巡更" + uuid.uuid4().hex[:5],
                                                   "checkpoints": cps}, token or self.admin)
        self.assertEqual(r.status, 201, r)
        return r.json

    def plan(self, route, project=None):
        start = int(time.time()) - 600
        return self.ok(self.s.api("POST", "/plans", {
            "project_id": project or self.o["p1"], "kind": "patrol", "title": "每小时巡逻", "rrule": "FREQ=HOURLY",
            "dtstart": rfc(start), "window_minutes": 45, "route_id": route["id"],
            "assign": {"role": "guard"}}, self.admin), 201)

    def open_round(self, plan):
        ts = self.ok(self.s.api("GET", "/tasks?plan_id=%d&state=scheduled,in_progress&limit=5" % plan["id"],
                                token=self.admin))["items"]
        self.assertTrue(ts)
        return self.ok(self.s.api("GET", "/tasks/%d" % ts[0]["id"], token=self.admin))

    def test_round_from_plan_to_missed_checkpoint(self):
        o, guard = self.o, self.o["guard_token"]
        rt = self.route(o["p1"])
        self.assertEqual([c["seq"] for c in rt["checkpoints"]], [1, 2, 3])
        self.assertEqual(len({c["token"] for c in rt["checkpoints"]}), 3)
        p = self.plan(rt)
        t = self.open_round(p)
        self.assertEqual([i["key"] for i in t["items"]], [str(c["id"]) for c in rt["checkpoints"]])
        self.assertEqual([i["label"] for i in t["items"]], [c["name"] for c in rt["checkpoints"]])
        self.assertTrue(all(i["scan"] for i in t["items"]))
        self.assertEqual([i["key_area"] for i in t["items"]], [True, False, False])
        cp1, cp2, cp3 = rt["checkpoints"]
        # a checkpoint is answered by its scan, never by hand
        r = self.s.api("PUT", "/tasks/%d/results/%d" % (t["id"], cp1["id"]), {"ok": True}, guard)
        self.fail_with(r, 422, "validation_failed")
        self.assertEqual(r.field, "key")
        month = datetime.datetime.fromtimestamp(epoch(t["due_at"]), SH).strftime("%Y-%m")
        stats = "/stats/patrols?project_id=%d&month=%s" % (o["p1"], month)
        st0 = self.ok(self.s.api("GET", stats, token=self.admin))
        # the QR of the first checkpoint opens the guard's open round
        q = self.ok(self.s.api("GET", "/checkpoints/" + cp1["token"], token=guard))
        self.assertEqual(q["checkpoint"]["id"], cp1["id"])
        self.assertEqual(q["project_id"], o["p1"])
        self.assertEqual(q["open_round"]["id"], t["id"])
        s1 = self.ok(self.s.api("POST", "/tasks/%d/checkins" % t["id"],
                                {"token": cp1["token"], "lat": GATE[0] + 0.0001, "lng": GATE[1]}, guard), 201)
        self.assertFalse(s1["far"])
        self.assertLess(s1["distance_m"], 50)
        self.assertEqual(s1["flags"], [])
        # 1.1 km from the garage checkpoint, and a second after the gate: far, and no one
        # covers 1.1 km in a second (speed), and within seconds (burst) — all accepted
        s2 = self.ok(self.s.api("POST", "/tasks/%d/checkins" % t["id"],
                                {"token": cp2["token"], "lat": GATE[0], "lng": GATE[1], "note": "车库灯不亮"},
                                guard), 201)
        self.assertTrue(s2["far"])
        self.assertGreater(s2["distance_m"], 1000)
        self.assertEqual(set(s2["flags"]), {"far", "speed", "burst"})
        self.assertFalse(s2["finished"])
        # the same checkpoint twice in a round is a conflict, and nothing more is written
        r = self.s.api("POST", "/tasks/%d/checkins" % t["id"], {"token": cp2["token"]}, guard)
        self.fail_with(r, 409, "conflict")
        scans = self.ok(self.s.api("GET", "/tasks/%d/checkins" % t["id"], token=self.admin))["items"]
        self.assertEqual([x["checkpoint_id"] for x in scans], [cp1["id"], cp2["id"]])
        cur = self.ok(self.s.api("GET", "/tasks/%d" % t["id"], token=self.admin))
        self.assertEqual(cur["state"], "in_progress")
        # the third checkpoint is never scanned: the window ends, the round is missed
        later = epoch(t["due_at"]) + 60
        out = self.s.cli("jobs", "run", "plans", "--now", rfc(later))
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(self.ok(self.s.api("GET", "/tasks/%d" % t["id"], token=self.admin))["state"], "missed")
        st = self.ok(self.s.api("GET", stats, token=self.admin))
        self.assertGreaterEqual(st["rounds"]["missed"] - st0["rounds"]["missed"], 1)
        self.assertGreaterEqual(st["checkpoints"]["missed"] - st0["checkpoints"]["missed"], 1)
        self.assertEqual(st["checkpoints"]["scanned"] - st0["checkpoints"]["scanned"], 2)
        self.assertEqual([st["flags"][k] - st0["flags"][k] for k in ("far", "speed", "burst", "device")],
                         [1, 1, 1, 0])
        # a guard sees the figures of their project only
        r = self.s.api("GET", "/stats/patrols?project_id=%d" % o["p2"], token=guard)
        self.fail_with(r, 404, "not_found")

    def test_last_checkpoint_finishes_the_round(self):
        guard = self.o["guard_token"]
        rt = self.route(self.o["p1"], n=2)
        t = self.open_round(self.plan(rt))
        for cp in rt["checkpoints"]:
            s = self.ok(self.s.api("POST", "/tasks/%d/checkins" % t["id"], {"token": cp["token"]}, guard), 201)
        self.assertTrue(s["finished"])
        done = self.ok(self.s.api("GET", "/tasks/%d" % t["id"], token=self.admin))
        self.assertEqual(done["state"], "done")
        self.assertTrue(all(i["result"]["ok"] for i in done["items"]))
        # a scan of a round that is done is a conflict
        r = self.s.api("POST", "/tasks/%d/checkins" % t["id"], {"token": rt["checkpoints"][0]["token"]}, guard)
        self.fail_with(r, 409, "conflict")

    def test_changed_route_replans_future_rounds_only(self):
        guard = self.o["guard_token"]
        rt = self.route(self.o["p1"], n=2)
        p = self.plan(rt)
        t = self.open_round(p)
        self.ok(self.s.api("POST", "/tasks/%d/checkins" % t["id"], {"token": rt["checkpoints"][0]["token"]}, guard), 201)
        keep = [{"id": c["id"], "name": c["name"]} for c in rt["checkpoints"]]
        new = self.ok(self.s.api("PATCH", "/patrol-routes/%d" % rt["id"],
                                 {"checkpoints": keep + [{"name": "会所后门"}]}, self.admin))
        self.assertEqual([c["token"] for c in new["checkpoints"][:2]], [c["token"] for c in rt["checkpoints"]])
        self.assertEqual(len(new["checkpoints"]), 3)
        plan = self.ok(self.s.api("GET", "/plans/%d" % p["id"], token=self.admin))
        self.assertEqual(plan["version"], p["version"] + 1)
        self.assertEqual(len(plan["checklist"]), 3)
        # the round under way keeps its two checkpoints; the next ones walk three
        self.assertEqual(len(self.ok(self.s.api("GET", "/tasks/%d" % t["id"], token=self.admin))["items"]), 2)
        ts = self.ok(self.s.api("GET", "/tasks?plan_id=%d&state=scheduled&limit=5" % p["id"], token=self.admin))["items"]
        nxt = self.ok(self.s.api("GET", "/tasks/%d" % ts[-1]["id"], token=self.admin))
        self.assertEqual(len(nxt["items"]), 3)
        # dropping a checkpoint retires it: its QR opens nothing any more
        self.ok(self.s.api("PATCH", "/patrol-routes/%d" % rt["id"], {"checkpoints": keep[:1]}, self.admin))
        r = self.s.api("GET", "/checkpoints/" + rt["checkpoints"][1]["token"], token=guard)
        self.fail_with(r, 404, "not_found")

    def test_round_not_started_alerts_the_managers_once(self):
        o = self.o
        rt = self.route(o["p1"], n=2)
        start = int(time.time()) - 60
        p = self.ok(self.s.api("POST", "/plans", {
            "project_id": o["p1"], "kind": "patrol", "title": "东区夜巡" + uuid.uuid4().hex[:4],
            "rrule": "FREQ=HOURLY", "dtstart": rfc(start), "window_minutes": 45, "route_id": rt["id"],
            "assign": {"role": "guard"}}, self.admin), 201)
        t = self.open_round(p)
        t0 = epoch(t["starts_at"])

        def alerts(token):
            items = self.ok(self.s.api("GET", "/notifications?limit=100", token=token))["items"]
            return [n for n in items if n["kind"] == "task_late" and p["title"] in n["title"]]

        # 9 minutes after the start: not yet
        out = self.s.cli("jobs", "run", "plans", "--now", rfc(t0 + 540))
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(alerts(o["manager_token"]), [])
        # 11 minutes: p1's manager hears of it, with the time it should have started
        out = self.s.cli("jobs", "run", "plans", "--now", rfc(t0 + 660))
        self.assertEqual(out.returncode, 0, out.stderr)
        got = alerts(o["manager_token"])
        self.assertEqual(len(got), 1, got)
        hm = datetime.datetime.fromtimestamp(t0, SH).strftime("%H:%M")
        self.assertIn(hm, got[0]["body"])
        self.assertIn("巡更未按时开始", got[0]["title"])
        # once only; another project's manager and the guard hear nothing
        out = self.s.cli("jobs", "run", "plans", "--now", rfc(t0 + 720))
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(len(alerts(o["manager_token"])), 1)
        self.assertEqual(alerts(o["manager_p2_token"]), [])
        self.assertEqual(alerts(o["guard_token"]), [])
        # a round begun in time never alerts
        rt2 = self.route(o["p1"], n=1)
        p2 = self.ok(self.s.api("POST", "/plans", {
            "project_id": o["p1"], "kind": "patrol", "title": "西区夜巡" + uuid.uuid4().hex[:4],
            "rrule": "FREQ=HOURLY", "dtstart": rfc(start), "window_minutes": 45, "route_id": rt2["id"],
            "assign": {"role": "guard"}}, self.admin), 201)
        t2 = self.open_round(p2)
        self.ok(self.s.api("POST", "/tasks/%d/actions/start" % t2["id"], {}, o["guard_token"]))
        out = self.s.cli("jobs", "run", "plans", "--now", rfc(epoch(t2["starts_at"]) + 660))
        self.assertEqual(out.returncode, 0, out.stderr)
        items = self.ok(self.s.api("GET", "/notifications?limit=100", token=o["manager_token"]))["items"]
        self.assertFalse([n for n in items if p2["title"] in n["title"]])

    def test_round_board_of_the_day(self):
        o, guard = self.o, self.o["guard_token"]
        rt = self.route(o["p1"], n=3)
        p = self.plan(rt)
        t = self.open_round(p)
        day = datetime.datetime.fromtimestamp(epoch(t["starts_at"]), SH).strftime("%Y-%m-%d")
        board = "/patrols/board?project_id=%d&day=%s" % (o["p1"], day)

        def mine():
            b = self.ok(self.s.api("GET", board, token=self.admin))
            return b, [x for x in b["rounds"] if x["plan_id"] == p["id"]]

        b0, rounds = mine()
        self.assertEqual(b0["day"], day)
        first = next(x for x in rounds if x["id"] == t["id"])
        self.assertEqual((first["checkpoints"], first["scanned"], first["missed"], first["state"]),
                         (3, 0, 0, "scheduled"))
        self.assertEqual(first["flags"], {"far": 0, "speed": 0, "device": 0, "burst": 0})
        # the rounds of the day are in start order, each hour's one
        starts = [epoch(x["starts_at"]) for x in rounds]
        self.assertEqual(starts, sorted(starts))
        cp1, cp2, _ = rt["checkpoints"]
        self.ok(self.s.api("POST", "/tasks/%d/checkins" % t["id"], {"token": cp1["token"], "lat": GATE[0],
                                                                  "lng": GATE[1]}, guard), 201)
        self.ok(self.s.api("POST", "/tasks/%d/checkins" % t["id"], {"token": cp2["token"], "lat": GATE[0],
                                                                  "lng": GATE[1]}, guard), 201)
        b1, rounds = mine()
        first = next(x for x in rounds if x["id"] == t["id"])
        self.assertEqual((first["scanned"], first["state"]), (2, "in_progress"))
        self.assertEqual((first["flags"]["far"], first["flags"]["speed"], first["flags"]["burst"]), (1, 1, 1))
        self.assertIsNotNone(first["last_scan_at"])
        self.assertEqual(b1["totals"]["scanned"] - b0["totals"]["scanned"], 2)
        # the window ends: the round is missed with its one unscanned checkpoint
        out = self.s.cli("jobs", "run", "plans", "--now", rfc(epoch(t["due_at"]) + 60))
        self.assertEqual(out.returncode, 0, out.stderr)
        b2, rounds = mine()
        first = next(x for x in rounds if x["id"] == t["id"])
        self.assertEqual((first["state"], first["missed"]), ("missed", 1))
        # the totals are the rounds' own sums
        self.assertEqual(b2["totals"]["missed"], sum(x["state"] == "missed" for x in b2["rounds"]))
        self.assertEqual(b2["totals"]["scanned"], sum(x["scanned"] for x in b2["rounds"]))
        self.assertEqual(b2["totals"]["rounds"], len(b2["rounds"]))
        # scope and bad input
        self.fail_with(self.s.api("GET", "/patrols/board?project_id=%d" % o["p2"], token=guard), 404, "not_found")
        self.fail_with(self.s.api("GET", "/patrols/board", token=guard), 422, "validation_failed")
        self.fail_with(self.s.api("GET", "/patrols/board?project_id=%d&day=2026-13-01" % o["p1"], token=guard),
                       422, "validation_failed")
        self.fail_with(self.s.api("GET", board, token=o["r1_token"]), 403, "forbidden")

    def test_a_round_opens_ten_minutes_early_and_no_sooner(self):
        o, guard = self.o, self.o["guard_token"]
        rt = self.route(o["p1"], n=2)
        # hourly rounds from five minutes from now: the first may be walked now, the second not
        start = int(time.time()) + 300
        p = self.ok(self.s.api("POST", "/plans", {
            "project_id": o["p1"], "kind": "patrol", "title": "提前打卡", "rrule": "FREQ=HOURLY",
            "dtstart": rfc(start), "window_minutes": 45, "route_id": rt["id"], "assign": {"role": "guard"}},
            self.admin), 201)
        ts = self.ok(self.s.api("GET", "/tasks?plan_id=%d&limit=5" % p["id"], token=self.admin))["items"]
        first, second = sorted(ts, key=lambda t: epoch(t["starts_at"]))[:2]
        self.assertEqual(epoch(first["starts_at"]), start)
        cp1 = rt["checkpoints"][0]
        q = self.ok(self.s.api("GET", "/checkpoints/" + cp1["token"], token=guard))
        self.assertEqual(q["open_round"]["id"], first["id"])
        self.ok(self.s.api("POST", "/tasks/%d/checkins" % first["id"], {"token": cp1["token"]}, guard), 201)
        # an hour ahead: refused, and nothing written
        r = self.s.api("POST", "/tasks/%d/checkins" % second["id"], {"token": cp1["token"]}, guard)
        self.fail_with(r, 409, "invalid_transition", "starts_at")
        self.assertEqual(self.ok(self.s.api("GET", "/tasks/%d/checkins" % second["id"], token=self.admin))["items"], [])
        self.assertEqual(self.ok(self.s.api("GET", "/tasks/%d" % second["id"], token=self.admin))["state"], "scheduled")
        # the checkpoint's QR does not offer the later round either, once the first has it
        q = self.ok(self.s.api("GET", "/checkpoints/" + cp1["token"], token=guard))
        self.assertIsNone(q["open_round"])

    def test_bad_input_and_scope(self):
        o, guard = self.o, self.o["guard_token"]
        rt = self.route(o["p1"], n=2)
        other = self.route(o["p2"], n=1)
        t = self.open_round(self.plan(rt))
        url = "/tasks/%d/checkins" % t["id"]
        for body, field in (({}, "token"), ({"token": rt["checkpoints"][0]["token"], "lat": 91, "lng": 0}, "lat"),
                            ({"token": rt["checkpoints"][0]["token"], "lat": 31.2}, "lng"),
                            ({"token": rt["checkpoints"][0]["token"], "x": 1}, "x")):
            self.fail_with(self.s.api("POST", url, body, guard), 422, "validation_failed", field)
        # an unknown token, or another project's checkpoint, is not found
        self.fail_with(self.s.api("POST", url, {"token": "nope"}, guard), 404, "not_found")
        self.fail_with(self.s.api("POST", url, {"token": other["checkpoints"][0]["token"]}, guard), 404, "not_found")
        self.fail_with(self.s.api("GET", "/checkpoints/" + other["checkpoints"][0]["token"], token=guard), 404, "not_found")
        # a checkpoint of the project that this round does not walk
        third = self.route(o["p1"], n=1)
        self.fail_with(self.s.api("POST", url, {"token": third["checkpoints"][0]["token"]}, guard), 404, "not_found")
        self.assertEqual(self.ok(self.s.api("GET", url, token=self.admin))["items"], [])
        # routes: bad lists, a name twice, another project's manager, residents
        bad = [({"project_id": o["p1"], "name": "x", "checkpoints": []}, "checkpoints"),
               ({"project_id": o["p1"], "name": "x", "checkpoints": [{"place": "无名"}]}, "checkpoints"),
               ({"project_id": o["p1"], "name": "x", "checkpoints": [{"name": "a", "radius_m": 30}]}, "checkpoints"),
               ({"project_id": o["p1"], "name": "x", "checkpoints": [{"name": "a", "lat": 31}]}, "checkpoints"),
               ({"project_id": o["p1"], "checkpoints": [{"name": "a"}]}, "name")]
        for body, field in bad:
            self.fail_with(self.s.api("POST", "/patrol-routes", body, self.admin), 422, "validation_failed", field)
        r = self.s.api("POST", "/patrol-routes", {"project_id": o["p1"], "name": rt["name"],
                                                   "checkpoints": [{"name": "a"}]}, self.admin)
        self.fail_with(r, 409, "conflict", "name")
        self.fail_with(self.s.api("GET", "/patrol-routes/%d" % rt["id"], token=o["manager_p2_token"]), 404, "not_found")
        self.fail_with(self.s.api("GET", "/patrol-routes?project_id=%d" % o["p1"], token=o["r1_token"]), 403, "forbidden")
        self.fail_with(self.s.api("POST", "/patrol-routes", {"project_id": o["p1"], "name": "y",
                                                             "checkpoints": [{"name": "a"}]}, o["technician_token"]),
                       403, "forbidden")
        # a route on a plan that is not a patrol, a checklist beside a route, another project's route
        base = {"project_id": o["p1"], "title": "t", "rrule": "FREQ=HOURLY", "window_minutes": 30}
        r = self.s.api("POST", "/plans", dict(base, kind="cleaning", route_id=rt["id"],
                                              checklist=[{"key": "a", "label": "a", "type": "check"}]), self.admin)
        self.fail_with(r, 422, "validation_failed", "route_id")
        r = self.s.api("POST", "/plans", dict(base, kind="patrol", route_id=rt["id"],
                                              checklist=[{"key": "a", "label": "a", "type": "check"}]), self.admin)
        self.fail_with(r, 422, "validation_failed", "checklist")
        r = self.s.api("POST", "/plans", dict(base, kind="patrol", route_id=other["id"]), self.admin)
        self.fail_with(r, 422, "validation_failed", "route_id")
        lst = self.ok(self.s.api("GET", "/patrol-routes?project_id=%d" % o["p1"], token=guard))["items"]
        self.assertIn(rt["id"], [x["id"] for x in lst])

    def test_checkpoint_labels_read_back(self):
        rt = self.route(self.o["p1"], n=3)
        r = self.s.api("GET", "/patrol-routes/%d/labels.pdf" % rt["id"], token=self.o["guard_token"])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("Content-Type"), "application/pdf")
        self.assertEqual(r.header("X-Label-Count"), "3")
        pages, _, urls = qr_urls(r.raw)
        self.assertEqual(pages, 1)
        self.assertEqual(sorted(u.rsplit("/w/c/", 1)[1] for u in urls),
                         sorted(c["token"] for c in rt["checkpoints"]))
        r = self.s.api("GET", "/patrol-routes/%d/labels.pdf" % rt["id"], token=self.o["manager_p2_token"])
        self.fail_with(r, 404, "not_found")
