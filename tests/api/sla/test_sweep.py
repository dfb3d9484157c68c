"""The SLA sweep job: breaches marked once; escalations at 80/100/200 % fired
once each and reaching the people the policy names; resolved tickets closed
after the 7-day dispute window (complaints only after the return visit);
holds resumed at hold_until; the lease that lets one runner at a time do the
work; the ops endpoints, the command and the metrics.

The server runs without its scheduler (ANJU_JOBS=0) so that only the runs a
test asks for happen. Tickets are put past their due times by back-dating
reported_at (staff may, up to 30 days); what needs days to pass runs the job
with `anju jobs run sweep --now T` against the same database."""
import datetime
import json
import sqlite3
import subprocess
import threading
import urllib.parse
import uuid

from lib import BACKEND, PW, ServerTest, make_org

TZ = datetime.timezone(datetime.timedelta(hours=8))


def iso(dt):
    return dt.astimezone(TZ).isoformat(timespec="seconds")


def now():
    return datetime.datetime.now(TZ)


def ago(**kw):
    return iso(now() - datetime.timedelta(**kw))


def later(**kw):
    return iso(now() + datetime.timedelta(**kw))


class SweepBase(ServerTest):
    server_env = {"ANJU_JOBS": "0"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.o = make_org(cls.s, cls.admin)

    # -- tickets -------------------------------------------------------------
    def create(self, **kw):
        body = {"project_id": self.o["p1"], "kind": "repair", "category": "水电/漏水",
                "title": "厨房水管漏水", "channel": "phone"}
        body.update(kw)
        return self.ok(self.s.api("POST", "/tickets", body, self.o["desk_token"]), 201)

    def do(self, tid, action, body=None, token=None):
        r = self.s.api("POST", "/tickets/%d/actions/%s" % (tid, action), body, token or self.admin)
        self.assertEqual(r.status, 200, (action, r))
        return r.json

    def get(self, tid):
        return self.ok(self.s.api("GET", "/tickets/%d" % tid, token=self.admin))

    def assigned(self, **kw):
        """A repair accepted and assigned to the technician: only its resolve clock runs."""
        t = self.create(**kw)
        self.do(t["id"], "accept")
        return self.do(t["id"], "assign", {"assignee_id": self.o["technician"]})

    def events(self, tid, action):
        return [e for e in self.get(tid)["events"] if e["action"] == action]

    # -- runs ----------------------------------------------------------------
    def sweep(self):
        """One run now, through the admin endpoint."""
        run = self.ok(self.s.api("POST", "/jobs/sweep/run", None, self.admin))
        self.assertTrue(run["ok"], run)
        return run

    def sweep_at(self, when):
        """One run as of `when`, by the command, on the server's database."""
        p = self.s.cli("jobs", "run", "sweep", "--now", when)
        self.assertEqual(p.returncode, 0, p.stderr)
        run = json.loads(p.stdout)
        self.assertTrue(run["ok"], run)
        return run

    # -- notifications ---------------------------------------------------------
    def notes(self, key, tid):
        out, cursor = [], None
        while True:
            r = self.ok(self.s.api("GET", "/notifications?limit=200" + ("&cursor=" + cursor if cursor else ""),
                                   token=self.o[key + "_token"]))
            out += [n for n in r["items"] if n["ticket_id"] == tid]
            cursor = r["next_cursor"]
            if not cursor:
                return out

    # -- the database itself -----------------------------------------------------
    def sql(self, sql):
        if BACKEND == "pg":
            out = subprocess.run(["psql", "-qAt", "-F", "\t", self.s.db, "-c", sql],
                                 capture_output=True, text=True, check=True).stdout
            return [line.split("\t") for line in out.splitlines() if line]
        con = sqlite3.connect(self.s.db[len("sqlite:"):], timeout=30)
        try:
            rows = con.execute(sql).fetchall()
            con.commit()
            return [[str(v) if v is not None else "" for v in row] for row in rows]
        finally:
            con.close()


class Sweep(SweepBase):
    def test_search_terms_are_queued_and_indexed(self):
        """A create queues its ticket's search terms (search_pending); the sweep
        indexes them, and a search indexes what is still queued before it looks."""
        word = "锈蚀" + uuid.uuid4().hex[:4]
        a = self.create(title="阳台栏杆" + word)["id"]
        pending = lambda: {int(r[0]) for r in self.sql("SELECT ticket_id FROM search_pending")}
        self.assertIn(a, pending())
        self.sweep()
        self.assertNotIn(a, pending())
        b = self.create(title="楼道扶手" + word)["id"]
        self.assertIn(b, pending())
        r = self.ok(self.s.api("GET", "/tickets?q=" + urllib.parse.quote(word), token=self.admin))
        self.assertEqual({t["id"] for t in r["items"]}, {a, b})
        self.assertEqual(pending(), set())

    def test_breach_is_marked_once(self):
        t = self.create(reported_at=ago(minutes=20))  # respond: 15 minutes, not accepted
        fresh = self.create()  # due in 15 minutes: not breached
        self.sweep()
        self.sweep()
        ev = self.events(t["id"], "breach")
        self.assertEqual(len(ev), 1, ev)
        self.assertEqual((ev[0]["actor_id"], ev[0]["from"], ev[0]["to"], ev[0]["data"]["milestone"]),
                         (None, None, None, "respond"))
        self.assertIn("响应已超时", ev[0]["note"])
        self.assertEqual(self.events(fresh["id"], "breach"), [])
        rows = self.sql("SELECT milestone, breached_at FROM ticket_sla WHERE ticket_id = %d ORDER BY milestone"
                        % t["id"])
        got = {m: at for m, at in rows}
        self.assertNotEqual(got["respond"], "")
        self.assertEqual(got["resolve"], "")
        # a met milestone is not a breach to mark, even late
        late = self.create(reported_at=ago(minutes=30))
        self.do(late["id"], "accept")
        self.sweep()
        self.assertEqual(self.events(late["id"], "breach"), [])
        # the state as read agrees
        self.assertEqual({r["milestone"]: r["state"] for r in self.get(t["id"])["sla"]}["respond"], "breached")

    def test_escalations_fire_once_each_to_the_right_people(self):
        o = self.o
        # resolve: 24 h; policy: 80 % -> assignee, 100 % -> manager, 200 % -> quality
        t80 = self.assigned(reported_at=ago(hours=20), title="八成")
        t100 = self.assigned(reported_at=ago(hours=25), title="超时")
        t200 = self.assigned(reported_at=ago(hours=49), title="严重超时")
        for _ in range(2):
            self.sweep()
        want = {t80["id"]: [80], t100["id"]: [80, 100], t200["id"]: [80, 100, 200]}
        for tid, pcts in want.items():
            ev = self.events(tid, "escalate")
            self.assertEqual([e["data"]["at_percent"] for e in ev], pcts, ev)
            self.assertTrue(all(e["actor_id"] is None and e["data"]["milestone"] == "resolve" for e in ev))
            notify = {e["data"]["at_percent"]: (e["data"]["notify"], e["data"]["recipients"]) for e in ev}
            self.assertEqual(notify[80], ("assignee", [o["technician"]]))
            if 100 in notify:
                self.assertEqual(notify[100], ("manager", [o["manager"]]))
            if 200 in notify:
                self.assertEqual(notify[200], ("quality", [o["quality"]]))
        # the notifications: one per step and recipient, to nobody else
        self.assertEqual([len(self.notes("technician", t["id"])) for t in (t80, t100, t200)], [2, 2, 2])
        self.assertEqual([len(self.notes("manager", t["id"])) for t in (t80, t100, t200)], [0, 1, 1])
        self.assertEqual([len(self.notes("quality", t["id"])) for t in (t80, t100, t200)], [0, 0, 1])
        for key in ("desk", "guard", "cleaner", "manager_p2"):
            self.assertEqual([self.notes(key, t["id"]) for t in (t80, t100, t200)], [[], [], []], key)
        esc = [n for n in self.notes("technician", t80["id"]) if n["kind"] == "escalation"]
        self.assertEqual(len(esc), 1)
        self.assertIn(t80["no"], esc[0]["title"])
        self.assertIn("80%", esc[0]["title"])
        self.assertIn("八成", esc[0]["body"])
        q = self.notes("quality", t200["id"])[0]
        self.assertEqual((q["kind"], q["ticket_no"], q["project_id"]), ("escalation", t200["no"], o["p1"]))
        # breached milestones were marked on the way
        self.assertEqual([len(self.events(t["id"], "breach")) for t in (t80, t100, t200)], [0, 1, 1])

    def test_escalation_of_an_unassigned_ticket_reaches_the_desk(self):
        o = self.o
        t = self.create(reported_at=ago(minutes=13), title="无人接单")  # respond at 87 %
        self.sweep()
        ev = self.events(t["id"], "escalate")
        self.assertEqual([(e["data"]["milestone"], e["data"]["at_percent"], e["data"]["notify"]) for e in ev],
                         [("respond", 80, "assignee")])
        self.assertEqual(ev[0]["data"]["recipients"], [o["desk"]])
        self.assertEqual([n["kind"] for n in self.notes("desk", t["id"])], ["escalation"])
        self.assertEqual(self.notes("technician", t["id"]), [])

    def test_met_paused_and_other_projects_are_left_alone(self):
        o = self.o
        done = self.assigned(reported_at=ago(hours=30))
        self.do(done["id"], "resolve", {"resolution": "已修好"})
        held = self.assigned(reported_at=ago(hours=30))
        self.do(held["id"], "hold", {"reason": "等配件"})
        self.sweep()
        for t in (done, held):
            self.assertEqual(self.events(t["id"], "escalate"), [])
            self.assertEqual(self.events(t["id"], "breach"), [])
        # p2's manager hears of p2's tickets, not p1's
        p2 = self.ok(self.s.api("POST", "/tickets", {"project_id": o["p2"], "kind": "repair", "category": "水电/漏水",
                                                     "title": "二期漏水", "reported_at": ago(hours=25)}, self.admin), 201)
        self.sweep()
        # respond and resolve are both past 100 %: p2's manager hears of each once
        got = self.notes("manager_p2", p2["id"])
        self.assertEqual(sorted(n["title"][:4] for n in got), ["【超时】", "【超时】"], got)
        self.assertEqual(self.notes("manager", p2["id"]), [])


class SweepOverTime(SweepBase):
    """Runs as of days later: its own server, so those runs touch no other test's tickets."""

    def resolved(self, kind="repair", **kw):
        t = self.create(kind=kind, **kw)
        self.do(t["id"], "accept")
        self.do(t["id"], "assign", {"assignee_id": self.o["technician"]})
        return self.do(t["id"], "resolve", {"resolution": "已处理"})

    def test_resolved_tickets_close_after_seven_days(self):
        repair = self.resolved()
        bare = self.resolved("complaint", category="噪音/装修噪音", title="投诉未回访")
        visited = self.resolved("complaint", category="噪音/装修噪音", title="投诉已回访")
        self.do(visited["id"], "visit", {"satisfied": True, "note": "业主满意"})
        disputed = self.resolved(title="业主有异议")
        self.do(disputed["id"], "reopen", {"reason": "还在漏"}, )
        run = self.sweep_at(later(days=6))
        self.assertEqual(run["stats"]["closed"], 0)
        self.assertEqual(self.get(repair["id"])["status"], "resolved")
        run = self.sweep_at(later(days=7, minutes=5))
        self.assertEqual(run["stats"]["closed"], 2, run)
        t = self.get(repair["id"])
        self.assertEqual(t["status"], "closed")
        close = t["events"][-1]
        self.assertEqual((close["action"], close["actor_id"], close["from"], close["to"]),
                         ("close", None, "resolved", "closed"))
        self.assertIn("自动关闭", close["note"])
        self.assertEqual(self.get(visited["id"])["status"], "closed")
        # a complaint waits for its return visit (the desk's); a reopened ticket is open work
        self.assertEqual(self.get(bare["id"])["status"], "resolved")
        self.assertEqual(self.get(disputed["id"])["status"], "assigned")
        self.assertEqual(self.sweep_at(later(days=8))["stats"]["closed"], 0)

    def test_holds_resume_at_their_time(self):
        t = self.create()
        self.do(t["id"], "accept")
        self.do(t["id"], "assign", {"assignee_id": self.o["technician"]})
        until = later(minutes=10)
        held = self.do(t["id"], "hold", {"reason": "等业主在家", "until": until})
        self.assertEqual(held["status"], "on_hold")
        open_ended = self.create()
        self.do(open_ended["id"], "accept")
        self.do(open_ended["id"], "hold", {"reason": "等配件"})
        self.sweep()
        self.assertEqual(self.get(t["id"])["status"], "on_hold")
        run = self.sweep_at(later(minutes=11))
        self.assertEqual(run["stats"]["resumed"], 1, run)
        after = self.get(t["id"])
        self.assertEqual((after["status"], after["hold_until"], after["held_from"]), ("assigned", None, None))
        ev = after["events"][-1]
        self.assertEqual((ev["action"], ev["actor_id"], ev["from"], ev["to"]), ("resume", None, "on_hold", "assigned"))
        self.assertEqual({r["milestone"]: r["state"] for r in after["sla"]}["resolve"], "pending")
        self.assertEqual(self.get(open_ended["id"])["status"], "on_hold")
        self.assertEqual(self.sweep_at(later(minutes=12))["stats"]["resumed"], 0)


class Lease(SweepBase):
    def overdue(self, n):
        return [self.create(reported_at=ago(hours=2), title="并发%d" % i)["id"] for i in range(n)]

    def test_concurrent_runs_do_the_work_once(self):
        for round_ in range(2):
            ids = self.overdue(12)
            results = []

            def api():
                results.append(("api", self.s.api("POST", "/jobs/sweep/run", None, self.admin)))

            def cli():
                results.append(("cli", self.s.cli("jobs", "run", "sweep")))

            threads = [threading.Thread(target=f) for f in (api, api, cli, cli)]
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            breached = 0
            for how, r in results:
                if how == "api":
                    if r.status == 409:
                        self.assertEqual(r.code, "conflict")
                        continue
                    self.assertEqual(r.status, 200, r)
                    breached += r.json["stats"]["breached"]
                else:
                    if r.returncode == 3:
                        self.assertIn("运行", r.stderr)
                        continue
                    self.assertEqual(r.returncode, 0, r.stderr)
                    breached += json.loads(r.stdout)["stats"]["breached"]
            # respond (15 min) is breached for each ticket: marked by exactly one of the runs
            self.assertEqual(breached, len(ids), results)
            for tid in ids:
                self.assertEqual(len(self.events(tid, "breach")), 1, tid)
                # respond is at 800 %: each of its three steps once
                self.assertEqual([e["data"]["at_percent"] for e in self.events(tid, "escalate")], [80, 100, 200])

    def test_a_lease_held_elsewhere_is_respected(self):
        far = int(now().timestamp()) + 3600
        self.sweep()  # makes the lease row exist
        self.sql("UPDATE job_leases SET holder = 'other-host:1:abc', expires_at = %d WHERE name = 'sweep'" % far)
        r = self.s.api("POST", "/jobs/sweep/run", None, self.admin)
        self.fail_with(r, 409, "conflict")
        self.assertIn("另一实例", r.json["error"]["message"])
        p = self.s.cli("jobs", "run", "sweep")
        self.assertEqual(p.returncode, 3, p.stdout + p.stderr)
        jobs = self.ok(self.s.api("GET", "/jobs", token=self.admin))["items"]
        self.assertEqual(jobs[0]["lease"]["holder"], "other-host:1:abc")
        # an expired lease (its holder died) is taken over
        self.sql("UPDATE job_leases SET expires_at = %d WHERE name = 'sweep'" % (far - 7200))
        run = self.sweep()
        self.assertNotEqual(run["holder"], "other-host:1:abc")
        self.assertIsNone(self.ok(self.s.api("GET", "/jobs", token=self.admin))["items"][0]["lease"])


class Ops(SweepBase):
    def test_jobs_list_and_run(self):
        run = self.sweep()
        self.assertEqual(set(run), {"id", "name", "via", "holder", "started_at", "finished_at", "ok", "stats", "error"})
        self.assertEqual((run["name"], run["via"], run["ok"], run["error"]), ("sweep", "api", True, None))
        self.assertEqual(set(run["stats"]), {"scanned", "breached", "escalations", "notifications", "closed",
                                             "resumed", "skipped", "errors"})
        self.assertTrue(run["started_at"].endswith("+08:00"))
        jobs = self.ok(self.s.api("GET", "/jobs", token=self.admin))
        self.assertEqual([j["name"] for j in jobs["items"]], ["sweep", "plans", "rectifications"])
        j = jobs["items"][0]
        self.assertEqual((j["interval_seconds"], j["last_run"]["id"], j["lease"]), (60, run["id"], None))
        # the command's runs are recorded too
        p = self.s.cli("jobs", "run", "sweep")
        self.assertEqual(p.returncode, 0, p.stderr)
        last = self.ok(self.s.api("GET", "/jobs", token=self.admin))["items"][0]["last_run"]
        self.assertEqual((last["id"], last["via"]), (json.loads(p.stdout)["id"], "cli"))
        # a run someone asked for is audited
        rows = self.sql("SELECT actor_id, change FROM audit_log WHERE entity = 'job' AND entity_id = %d" % run["id"])
        self.assertEqual(len(rows), 1)
        self.assertEqual(int(rows[0][0]), self.ok(self.s.api("GET", "/me", token=self.admin))["id"])

    def test_admin_only_and_bad_input(self):
        o = self.o
        for key in ("manager", "quality", "desk", "technician", "r1"):
            self.fail_with(self.s.api("GET", "/jobs", token=o[key + "_token"]), 403, "forbidden")
            self.fail_with(self.s.api("POST", "/jobs/sweep/run", None, o[key + "_token"]), 403, "forbidden")
        self.fail_with(self.s.api("GET", "/jobs"), 401, "unauthenticated")
        self.fail_with(self.s.api("POST", "/jobs/sweep/run"), 401, "unauthenticated")
        self.fail_with(self.s.api("POST", "/jobs/nope/run", None, self.admin), 404, "not_found")
        self.fail_with(self.s.api("POST", "/jobs/%s/run" % ("x" * 300), None, self.admin), 404, "not_found")
        self.fail_with(self.s.api("POST", "/jobs/sweep/run", {"now": "2030-01-01T00:00:00+08:00"}, self.admin),
                       422, "validation_failed", "now")
        self.fail_with(self.s.api("POST", "/jobs/sweep/run", raw=b"[", token=self.admin,
                                  headers={"Content-Type": "application/json"}), 400, "bad_json")
        self.fail_with(self.s.api("GET", "/jobs/sweep/run", token=self.admin), 405, "method_not_allowed")
        for args in (("jobs", "run", "nope"), ("jobs", "run", "sweep", "--now", "tomorrow"),
                     ("jobs", "list"), ("jobs", "run", "sweep", "--when", "x")):
            p = self.s.cli(*args)
            self.assertEqual(p.returncode, 2, (args, p.stdout, p.stderr))

    def test_metrics(self):
        self.create(reported_at=ago(hours=2))
        self.sweep()
        text = self.s.request("GET", "/metrics", token=self.admin).raw.decode()
        self.assertRegex(text, r'anju_job_runs_total\{job="sweep",result="ok"\} [1-9]')
        self.assertIn('anju_job_runs_total{job="sweep",result="error"} 0', text)
        self.assertRegex(text, r'anju_tickets_open\{status="new"\} [1-9]')
        self.assertIn('anju_tickets_open{status="on_hold"} 0', text)
        self.assertRegex(text, r'\nanju_sla_breached [1-9]')
        self.assertRegex(text, r'\nanju_sla_breaches_total [1-9]')


class Scheduler(SweepBase):
    """The thread itself: on by default, it runs the sweep once soon after start."""
    server_env = {"ANJU_JOBS": "1"}

    def test_the_scheduler_runs_the_sweep(self):
        import time
        t = self.create(reported_at=ago(hours=2))
        deadline = time.time() + 60
        while time.time() < deadline and not self.events(t["id"], "breach"):
            time.sleep(0.5)
        self.assertEqual(len(self.events(t["id"], "breach")), 1)
        last = self.ok(self.s.api("GET", "/jobs", token=self.admin))["items"][0]["last_run"]
        self.assertEqual(last["via"], "schedule")
