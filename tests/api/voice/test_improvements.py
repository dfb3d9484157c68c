"""Improvement plans (PDCA, issue 14): a closed survey raises a public plan for each dimension
under 85, due in 15 days; a plan goes draft → analysed → approved (never by its author) →
checking → effective with its metric re-measured from live data (a complaint category's
count in the 30 days after the measures), or not effective and the next cycle; a plan not
approved by its due time escalates once; bad input and scope."""
import datetime
import time
import uuid

from lib import ServerTest, db_exec, db_query, make_org

SH = datetime.timezone(datetime.timedelta(hours=8))


def rfc(t):
    return datetime.datetime.fromtimestamp(t, SH).isoformat(timespec="seconds")


def epoch(s):
    return int(datetime.datetime.fromisoformat(s).timestamp())


class Improvements(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.o = make_org(cls.s, cls.admin)
        cls.code = db_query(cls.s, "SELECT code FROM projects WHERE id = %d" % cls.o["p1"])[0][0]

    def plan(self, token=None, **kw):
        body = {"project_id": self.o["p1"], "source": "complaints", "title": "电梯投诉治理",
                "problem": "近一个月电梯类投诉明显增多", "due_at": rfc(time.time() + 10 * 86400),
                "metric": {"kind": "complaint_category", "key": "电梯", "baseline": 6, "target": 2}}
        body.update(kw)
        return self.s.api("POST", "/improvements", body, token or self.o["quality_token"])

    def act(self, pid, action, body, token):
        return self.s.api("POST", "/improvements/%d/actions/%s" % (pid, action), body, token)

    def measures(self, n=1):
        return [{"text": "电梯维保单位每周巡检一次，异响当日处理", "owner_id": self.o["technician"],
                 "department": "工程部", "due_at": rfc(time.time() + 5 * 86400)} for _ in range(n)]

    def complaint(self, category, days_ago):
        r = self.s.api("POST", "/tickets", {
            "project_id": self.o["p1"], "kind": "complaint", "category": category, "title": "电梯异响投诉",
            "channel": "phone", "room_id": self.o["p1_rooms"][0], "resident_id": self.o["r1"],
            "reported_at": rfc(time.time() - days_ago * 86400)}, self.o["desk_token"])
        self.assertEqual(r.status, 201, r)

    def test_closing_a_survey_raises_a_public_plan_per_weak_dimension(self):
        o, q = self.o, self.o["quality_token"]
        s = self.ok(self.s.api("POST", "/surveys", {"project_id": o["p1"], "title": "四季度调查", "period": "2026-Q4"}, q), 201)
        self.ok(self.s.api("POST", "/surveys/%d/actions/open" % s["id"], {}, q))
        links = self.ok(self.s.api("GET", "/surveys/%d/links" % s["id"], token=q))["items"]
        self.assertEqual(len(links), 2)
        for ln, g in zip(links, (3, 2)):  # 绿化养护 3 and 2: (2.5 − 1) × 25 = 37.5
            a = {"q%d" % i: 5 for i in range(1, 9)}
            a["q6"] = g
            self.ok(self.s.api("POST", "/public/surveys/%s/responses" % ln["token"], {"answers": a}), 201)
        closed = self.ok(self.s.api("POST", "/surveys/%d/actions/close" % s["id"], {}, q))
        plans = self.ok(self.s.api("GET", "/improvements?project_id=%d&source=survey" % o["p1"], token=q))["items"]
        mine = [p for p in plans if p["source_ref"].startswith("survey:%d:" % s["id"])]
        self.assertEqual(len(mine), 1)  # the other seven dimensions scored 100
        p = mine[0]
        self.assertEqual((p["metric"]["kind"], p["metric"]["key"], p["metric"]["baseline"], p["metric"]["target"]),
                         ("survey_dimension", "greening", 37.5, 85))
        self.assertEqual((p["state"], p["public"]), ("draft", True))
        self.assertEqual(epoch(p["due_at"]) - epoch(closed["closed_at"]), 15 * 86400)
        self.assertIn("绿化养护", p["title"])
        # the disclosure board shows it, and the survey's scores, without a person
        pub = self.ok(self.s.request("GET", "/api/v1/public/projects/%s/improvements" % self.code))
        self.assertEqual(pub["survey"]["responses"], 2)
        self.assertEqual({d["key"]: d["score"] for d in pub["survey"]["dimensions"]}["greening"], 37.5)
        row = next(x for x in pub["improvements"] if x["id"] == p["id"])
        for hidden in ("created_by", "approved_by", "analysed_by", "checked_by", "notes", "project_id"):
            self.assertNotIn(hidden, row)
        self.fail_with(self.s.request("GET", "/api/v1/public/projects/NOPE/improvements"), 404, "not_found")

    def test_pdca_to_effective_with_complaints_measured_again(self):
        o = self.o
        p = self.ok(self.plan(), 201)
        self.assertEqual((p["state"], p["created_by"]), ("draft", o["quality"]))
        # checking, progress and approval before the analysis are refused
        self.fail_with(self.act(p["id"], "approve", {}, o["manager_token"]), 409, "invalid_transition")
        self.fail_with(self.act(p["id"], "check", {}, o["quality_token"]), 409, "invalid_transition")
        for body, field in (({"cause": "", "measures": self.measures()}, "cause"),
                            ({"cause": "维保不到位", "measures": []}, "measures"),
                            ({"cause": "维保不到位", "measures": [{"text": "x", "due_at": rfc(time.time() - 60)}]}, "measures"),
                            ({"cause": "维保不到位", "measures": [dict(self.measures()[0], owner_id=o["manager_p2"])]}, "measures")):
            self.fail_with(self.act(p["id"], "analyse", body, o["quality_token"]), 422, "validation_failed", field)
        p = self.ok(self.act(p["id"], "analyse", {"cause": "维保单位巡检频次不足，异响未及时处理",
                                                  "measures": self.measures(2)}, o["quality_token"]))
        self.assertEqual((p["state"], len(p["measures"])), ("analysed", 2))
        # quality may not approve; a manager may
        self.fail_with(self.act(p["id"], "approve", {}, o["quality_token"]), 403, "forbidden")
        self.fail_with(self.act(p["id"], "reject", {"note": ""}, o["manager_token"]), 422, "validation_failed", "note")
        p = self.ok(self.act(p["id"], "reject", {"note": "措施需明确到人"}, o["manager_token"]))
        self.assertEqual((p["state"], p["reject_note"]), ("draft", "措施需明确到人"))
        p = self.ok(self.act(p["id"], "analyse", {"cause": "维保单位巡检频次不足", "measures": self.measures(2)},
                             o["quality_token"]))
        p = self.ok(self.act(p["id"], "approve", {}, o["manager_token"]))
        self.assertEqual((p["state"], p["approved_by"]), ("approved", o["manager"]))
        # the measure's owner hears of it
        told = self.ok(self.s.api("GET", "/notifications?limit=50", token=o["technician_token"]))["items"]
        self.assertTrue([n for n in told if n["title"].startswith("改进措施待执行")])
        # do: the owner writes progress; the last measure done → checking
        self.fail_with(self.act(p["id"], "progress", {"measure": 3, "note": "x"}, o["technician_token"]),
                       422, "validation_failed", "measure")
        self.fail_with(self.act(p["id"], "progress", {"measure": 1, "note": "x"}, o["desk_token"]), 403, "forbidden")
        p = self.ok(self.act(p["id"], "progress", {"measure": 1, "note": "已与维保单位签订补充协议", "done": True},
                             o["technician_token"]))
        self.assertEqual(p["state"], "approved")
        self.fail_with(self.act(p["id"], "check", {}, o["quality_token"]), 409, "invalid_transition")
        p = self.ok(self.act(p["id"], "progress", {"measure": 2, "note": "每周巡检已执行", "done": True},
                             o["technician_token"]))
        self.assertEqual((p["state"], [m["done"] for m in p["measures"]]), ("checking", [True, True]))
        self.assertEqual([n["note"] for n in p["notes"]], ["已与维保单位签订补充协议", "每周巡检已执行"])
        # the month after the measures has not passed: live data cannot say yet
        self.fail_with(self.act(p["id"], "check", {}, o["quality_token"]), 422, "validation_failed", "value")
        # ...let it have passed: the measures done 31 days ago, two 电梯 complaints since, one 噪音
        db_exec(self.s, "UPDATE improvement_measures SET done_at = %d WHERE improvement_id = %d"
                % (int(time.time()) - 31 * 86400, p["id"]))
        self.complaint("电梯/异响", 20)
        self.complaint("电梯", 10)
        self.complaint("噪音", 5)
        p = self.ok(self.act(p["id"], "check", {"value": 99}, o["quality_token"]))  # live data wins
        self.assertEqual((p["state"], p["check_value"], p["checked_by"]), ("effective", 2, o["quality"]))
        self.assertIsNone(p["next_cycle"])
        self.fail_with(self.act(p["id"], "cancel", {"reason": "x"}, o["quality_token"]), 409, "invalid_transition")

    def test_not_effective_opens_the_next_cycle_and_authors_do_not_approve(self):
        o = self.o
        p = self.ok(self.plan(o["manager_token"], source="manual", title="首次修复率提升",
                              metric={"kind": "kpi", "key": "first_time_fix", "baseline": 70, "target": 90}), 201)
        p = self.ok(self.act(p["id"], "analyse", {"cause": "备件不足", "measures": self.measures()}, o["quality_token"]))
        self.fail_with(self.act(p["id"], "approve", {}, o["manager_token"]), 403, "forbidden")  # its author
        p = self.ok(self.act(p["id"], "approve", {}, self.admin))
        p = self.ok(self.act(p["id"], "progress", {"measure": 1, "note": "备件库已建立", "done": True}, o["technician_token"]))
        self.fail_with(self.act(p["id"], "check", {}, o["quality_token"]), 422, "validation_failed", "value")
        p = self.ok(self.act(p["id"], "check", {"value": 80}, o["quality_token"]))
        self.assertEqual((p["state"], p["check_value"]), ("not_effective", 80))
        nxt = self.ok(self.s.api("GET", "/improvements/%d" % p["next_cycle"], token=o["quality_token"]))
        self.assertEqual((nxt["state"], nxt["cycle_of"], nxt["metric"]["baseline"], nxt["metric"]["target"]),
                         ("draft", p["id"], 80, 90))
        # a survey dimension without a baseline: the latest closed survey's score, if any
        pub = self.ok(self.s.request("GET", "/api/v1/public/projects/%s/improvements" % self.code))
        want = {d["key"]: d["score"] for d in pub["survey"]["dimensions"]}["greening"] if pub["survey"] else None
        r = self.plan(metric={"kind": "survey_dimension", "key": "greening", "target": 85}, source="survey")
        self.assertEqual(self.ok(r, 201)["metric"]["baseline"], want)

    def test_the_kanban_reads_a_column_per_state_and_project(self):
        o, q = self.o, self.o["quality_token"]
        a = self.ok(self.plan(title="看板甲"), 201)
        b = self.ok(self.plan(title="看板乙"), 201)
        self.ok(self.act(b["id"], "analyse", {"cause": "原因", "measures": self.measures()}, q))

        def ids(path, token=q):
            return {x["id"] for x in self.ok(self.s.api("GET", path, token=token))["items"]}

        p1 = o["p1"]
        self.assertIn(b["id"], ids("/improvements?project_id=%d&state=analysed&limit=200" % p1))
        self.assertNotIn(a["id"], ids("/improvements?project_id=%d&state=analysed&limit=200" % p1))
        self.assertIn(a["id"], ids("/improvements?state=draft&limit=200", self.admin))
        self.assertNotIn(b["id"], ids("/improvements?state=draft&limit=200", self.admin))
        self.assertEqual({a["id"], b["id"]} & ids("/improvements?state=draft&limit=200", o["manager_p2_token"]), set())
        self.assertEqual({a["id"], b["id"]} & ids("/improvements?project_id=%d&limit=200" % p1), {a["id"], b["id"]})
        self.fail_with(self.s.api("GET", "/improvements?state=doing", token=q), 422, "validation_failed", "state")

    def test_a_plan_not_approved_in_time_escalates_once(self):
        o = self.o
        title = "逾期计划" + uuid.uuid4().hex[:4]
        p = self.ok(self.plan(title=title, due_at=rfc(time.time() + 3600)), 201)
        due = epoch(p["due_at"])

        def told(token):
            items = self.ok(self.s.api("GET", "/notifications?limit=100", token=token))["items"]
            return [n for n in items if n["title"] == "改进计划逾期未批准：" + title]

        out = self.s.cli("jobs", "run", "rectifications", "--now", rfc(due - 60))
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(told(o["manager_token"]), [])
        for _ in range(2):
            out = self.s.cli("jobs", "run", "rectifications", "--now", rfc(due + 60))
            self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(len(told(o["manager_token"])), 1)
        self.assertEqual(len(told(o["quality_token"])), 1)
        self.assertEqual(told(o["manager_token"])[0]["kind"], "escalation")
        self.assertTrue(self.ok(self.s.api("GET", "/improvements/%d" % p["id"], token=self.admin))["escalated_at"])

    def test_complaint_hot_spots_propose_a_plan_until_one_is_raised(self):
        o = self.o
        made = []

        def complaint(category):
            r = self.s.api("POST", "/tickets", {"project_id": o["p2"], "kind": "complaint", "category": category,
                                                "title": "投诉", "channel": "phone"}, self.admin)
            self.assertEqual(r.status, 201, r)
            made.append(r.json["id"])
            return r.json["id"]

        for _ in range(4):
            complaint("门窗/门禁")
        complaint("公共照明/路灯")
        old = [complaint("公共照明/路灯") for _ in range(3)]
        # three of them two months back: a month's average of 1 before this one
        db_exec(self.s, "UPDATE tickets SET reported_at = reported_at - 60 * 86400 WHERE id IN (%s)"
                % ",".join(map(str, old)))
        month = datetime.datetime.now(SH).strftime("%Y-%m")
        url = "/stats/complaint-hotspots?project_id=%d&month=%s" % (o["p2"], month)
        cats = {c["category"]: c for c in self.ok(self.s.api("GET", url, token=self.admin))["categories"]}
        door, lamp = cats["门窗/门禁"], cats["公共照明/路灯"]
        self.assertEqual((door["count"], door["previous_average"], door["vital"], door["grew"], door["proposed"]),
                         (4, 0, True, True, True))
        self.assertAlmostEqual(door["share"], 4 / 5)
        self.assertEqual((lamp["count"], lamp["previous_average"], lamp["grew"], lamp["proposed"]), (1, 1, False, False))
        self.assertAlmostEqual(lamp["cumulative_share"], 1.0)
        # accepted: the plan is raised, and the spot proposes no more
        p = self.ok(self.s.api("POST", "/improvements", {
            "project_id": o["p2"], "source": "complaints", "title": "门禁投诉治理", "problem": "本月门禁投诉 4 起",
            "due_at": rfc(time.time() + 15 * 86400),
            "metric": {"kind": "complaint_category", "key": "门窗/门禁", "target": 1}}, self.admin), 201)
        self.assertEqual(p["metric"]["baseline"], 4)  # the last 30 days' complaints of the category
        cats = {c["category"]: c for c in self.ok(self.s.api("GET", url, token=self.admin))["categories"]}
        self.assertEqual((cats["门窗/门禁"]["proposed"], cats["门窗/门禁"]["plan_id"]), (False, p["id"]))
        self.fail_with(self.s.api("GET", "/stats/complaint-hotspots?project_id=%d&month=2026-13" % o["p2"],
                                  token=self.admin), 422, "validation_failed")
        self.fail_with(self.s.api("GET", url, token=o["manager_token"]), 404, "not_found")

    def test_bad_input_and_scope(self):
        o = self.o
        for change, field in (({"source": "gossip"}, "source"), ({"title": ""}, "title"), ({"problem": ""}, "problem"),
                              ({"due_at": rfc(time.time() - 60)}, "due_at"),
                              ({"metric": {"kind": "vibes", "key": "x", "target": 1}}, "metric"),
                              ({"metric": {"kind": "kpi", "key": "x"}}, "metric"),
                              ({"metric": {"kind": "kpi", "key": "x", "target": 1, "colour": 2}}, "metric"),
                              ({"metric": 5}, "metric"), ({"colour": 1}, "colour")):
            self.fail_with(self.plan(**change), 422, "validation_failed", field)
        self.fail_with(self.plan(o["desk_token"]), 403, "forbidden")
        self.fail_with(self.plan(o["r1_token"]), 403, "forbidden")
        self.fail_with(self.plan(o["manager_p2_token"]), 404, "not_found")
        p = self.ok(self.plan(), 201)
        self.fail_with(self.s.api("GET", "/improvements/%d" % p["id"], token=o["manager_p2_token"]), 404, "not_found")
        self.fail_with(self.act(p["id"], "dance", {}, o["quality_token"]), 404, "not_found")
        self.fail_with(self.s.api("GET", "/improvements?state=maybe", token=o["quality_token"]), 422, "validation_failed", "state")
        c = self.ok(self.act(p["id"], "cancel", {"reason": "与另一计划重复"}, o["quality_token"]))
        self.assertEqual((c["state"], c["cancel_reason"]), ("cancelled", "与另一计划重复"))
