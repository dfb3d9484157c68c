"""Rectifications (整改单, issue 13): raised against a standard with a deadline by severity;
submit with evidence; a failed re-check sends it back open with a new deadline and round 2;
a passed one closes it; the submitter may not re-check their own work; an overdue one is
told to the project's managers once per round; scope and every bad input."""
import datetime
import time

from lib import ServerTest, make_org

SH = datetime.timezone(datetime.timedelta(hours=8))


def rfc(t):
    return datetime.datetime.fromtimestamp(t, SH).isoformat()


def epoch(s):
    return int(datetime.datetime.fromisoformat(s).timestamp())


class Rectifications(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.o = make_org(cls.s, cls.admin)
        std = cls.s.api("GET", "/standards?q=BJ-03", token=cls.admin).json["items"][0]
        cls.std = std

    def raise_one(self, **kw):
        body = {"project_id": self.o["p1"], "department": "保洁", "problem": "3栋电梯轿厢本周仅消毒 1 次",
                "standard_id": self.std["id"], "location": "3栋电梯", "assignee_id": self.o["cleaner"]}
        body.update(kw)
        return self.ok(self.s.api("POST", "/rectifications", body, self.o["quality_token"]), 201)

    def act(self, rid, action, body, token, status=200):
        return self.ok(self.s.api("POST", "/rectifications/%d/actions/%s" % (rid, action), body, token), status)

    def test_open_submit_fail_round_two_pass(self):
        o = self.o
        before = int(time.time())
        x = self.raise_one()
        self.assertEqual((x["state"], x["rounds"], x["department"], x["severity"]), ("open", 1, "cleaning", "minor"))
        self.assertEqual((x["standard_id"], x["standard_version"]), (self.std["id"], self.std["version"]))
        # minor: three days
        self.assertAlmostEqual(epoch(x["due_at"]) - before, 3 * 86400, delta=60)
        # the cleaner hears of it
        notes = self.ok(self.s.api("GET", "/notifications?limit=50", token=o["cleaner_token"]))["items"]
        self.assertTrue([n for n in notes if "新的整改单" in n["title"]])
        x = self.act(x["id"], "submit", {"note": "已补做消毒并张贴记录", "photos": []}, o["cleaner_token"])
        self.assertEqual((x["state"], x["submitted_by"]), ("submitted", o["cleaner"]))
        # a re-check failed: back to open, a new deadline, round 2
        due = rfc(int(time.time()) + 2 * 86400)
        x = self.act(x["id"], "recheck", {"passed": False, "note": "记录不全", "due_at": due}, o["quality_token"])
        self.assertEqual((x["state"], x["rounds"], x["check_note"]), ("open", 2, "记录不全"))
        self.assertEqual(epoch(x["due_at"]), epoch(due))
        x = self.act(x["id"], "submit", {"note": "补全记录"}, o["cleaner_token"])
        x = self.act(x["id"], "recheck", {"passed": True}, o["manager_token"])
        self.assertEqual((x["state"], x["rounds"]), ("passed", 2))
        # a passed one takes no more actions
        r = self.s.api("POST", "/rectifications/%d/actions/submit" % x["id"], {"note": "再交"}, o["cleaner_token"])
        self.assertEqual(r.status, 409, r)
        lst = self.ok(self.s.api("GET", "/rectifications?project_id=%d&state=passed" % o["p1"], token=self.admin))["items"]
        self.assertIn(x["id"], [i["id"] for i in lst])

    def test_open_ones_on_the_disclosure_board(self):
        o = self.o
        x = self.raise_one(problem="5栋单元大堂地面破损", location="5栋大堂")
        code = self.ok(self.s.api("GET", "/projects/%d" % o["p1"], token=self.admin))["code"]
        board = self.ok(self.s.api("GET", "/public/projects/%s/disclosure" % code))
        mine = [b for b in board["rectifications"] if b["problem"] == "5栋单元大堂地面破损"]
        self.assertEqual(len(mine), 1)
        self.assertEqual((mine[0]["department"], mine[0]["location"], mine[0]["state"]), ("cleaning", "5栋大堂", "open"))
        self.assertRegex(mine[0]["due_date"], r"^\d{4}-\d{2}-\d{2}$")
        # nobody is named on the board
        self.assertFalse({"assignee_id", "assignee_name", "submitted_by", "checked_by"} & set(mine[0]))
        self.act(x["id"], "cancel", {"reason": "已并入其他整改单"}, o["manager_token"])
        board = self.ok(self.s.api("GET", "/public/projects/%s/disclosure" % code))
        self.assertFalse([b for b in board["rectifications"] if b["problem"] == "5栋单元大堂地面破损"])

    def test_the_submitter_may_not_recheck(self):
        o = self.o
        x = self.raise_one(assignee_id=o["quality"], severity="major")
        self.act(x["id"], "submit", {"note": "已整改"}, o["quality_token"])
        r = self.s.api("POST", "/rectifications/%d/actions/recheck" % x["id"], {"passed": True}, o["quality_token"])
        self.fail_with(r, 403, "forbidden")
        # a cleaner re-checks nothing either
        r = self.s.api("POST", "/rectifications/%d/actions/recheck" % x["id"], {"passed": True}, o["cleaner_token"])
        self.fail_with(r, 403, "forbidden")
        self.act(x["id"], "cancel", {"reason": "重复登记"}, o["manager_token"])

    def test_overdue_escalates_once_per_round(self):
        o = self.o
        x = self.raise_one(severity="critical", problem="消防通道堆放杂物")
        due = epoch(x["due_at"])

        def told():
            items = self.ok(self.s.api("GET", "/notifications?limit=100", token=o["manager_token"]))["items"]
            return [n for n in items if n["title"] == "整改逾期：消防通道堆放杂物"]

        out = self.s.cli("jobs", "run", "rectifications", "--now", rfc(due - 60))
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(told(), [])
        for _ in range(2):
            out = self.s.cli("jobs", "run", "rectifications", "--now", rfc(due + 60))
            self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(len(told()), 1)
        self.assertEqual(told()[0]["kind"], "escalation")
        over = self.ok(self.s.api("GET", "/rectifications?project_id=%d&overdue=1" % o["p1"], token=self.admin))["items"]
        self.assertNotIn(x["id"], [i["id"] for i in over])  # not overdue by the server's own clock yet
        self.ok(self.s.api("GET", "/rectifications/%d" % x["id"], token=o["manager_token"]))

    def test_bad_input_and_scope(self):
        o = self.o
        base = {"project_id": o["p1"], "department": "保洁", "problem": "楼道有杂物"}
        for change, field in (({"department": "财务"}, "department"), ({"problem": ""}, "problem"),
                              ({"severity": "huge"}, "severity"), ({"due_at": rfc(time.time() - 60)}, "due_at"),
                              ({"assignee_id": o["technician_p2"] if "technician_p2" in o else 999999}, "assignee_id"),
                              ({"standard_id": 999999}, "standard_id"), ({"colour": 1}, None)):
            r = self.s.api("POST", "/rectifications", dict(base, **change), o["quality_token"])
            self.fail_with(r, 422, "validation_failed")
            if field:
                self.assertEqual(r.field, field, change)
        # who may raise one
        self.fail_with(self.s.api("POST", "/rectifications", base, o["cleaner_token"]), 403, "forbidden")
        # the quality role is company-wide; a project manager raises in their own project only
        self.fail_with(self.s.api("POST", "/rectifications", dict(base, project_id=o["p2"]), o["manager_token"]),
                       404, "not_found")
        x = self.raise_one()
        # submit needs a note; a failed re-check needs a future deadline
        r = self.s.api("POST", "/rectifications/%d/actions/submit" % x["id"], {"note": ""}, o["cleaner_token"])
        self.fail_with(r, 422, "validation_failed")
        self.act(x["id"], "submit", {"note": "已处理"}, o["cleaner_token"])
        r = self.s.api("POST", "/rectifications/%d/actions/recheck" % x["id"], {"passed": False}, o["quality_token"])
        self.fail_with(r, 422, "validation_failed")
        self.assertEqual(r.field, "due_at")
        r = self.s.api("POST", "/rectifications/%d/actions/recheck" % x["id"],
                       {"passed": False, "due_at": rfc(time.time() - 10)}, o["quality_token"])
        self.fail_with(r, 422, "validation_failed")
        r = self.s.api("POST", "/rectifications/%d/actions/cancel" % x["id"], {"reason": ""}, o["quality_token"])
        self.fail_with(r, 422, "validation_failed")
        r = self.s.api("POST", "/rectifications/%d/actions/approve" % x["id"], {}, o["quality_token"])
        self.fail_with(r, 404, "not_found")
        # residents and other projects' staff see nothing
        self.fail_with(self.s.api("GET", "/rectifications", token=o["r1_token"]), 403, "forbidden")
        self.fail_with(self.s.api("GET", "/rectifications/%d" % x["id"], token=o["manager_p2_token"]), 404, "not_found")
        self.fail_with(self.s.api("GET", "/rectifications?state=done", token=self.admin), 422, "validation_failed")
