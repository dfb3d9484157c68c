"""Resident meetings (座谈会) and mystery-shopper visits (神秘客), issue 14: a meeting is
recorded with its topics and each topic becomes a ticket (channel meeting) or an improvement
plan (source meeting) once; a mystery visit's scorecard keeps the mean of its items and its
findings become a plan with that mean as the baseline; bad input leaves nothing; scope."""
import datetime
import time

from lib import ServerTest, db_query, make_org

SH = datetime.timezone(datetime.timedelta(hours=8))


def rfc(t):
    return datetime.datetime.fromtimestamp(t, SH).isoformat(timespec="seconds")


class Meetings(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.o = make_org(cls.s, cls.admin)

    def meeting(self, token=None, **kw):
        body = {"project_id": self.o["p1"], "held_at": rfc(time.time() - 3 * 86400), "title": "四季度业主座谈会",
                "place": "会所二楼", "attendees": 15, "attendee_note": "业委会 3 人、业主代表 12 人",
                "summary": "业主关心电梯、停车与绿化", "topics": ["3栋电梯经常停在顶层不动", "地库照明太暗",
                                                                "希望增设快递柜"]}
        body.update(kw)
        return self.s.api("POST", "/meetings", body, token or self.o["quality_token"])

    def count(self, table):
        return db_query(self.s, "SELECT COUNT(*) FROM %s" % table)[0][0]

    def test_topics_become_a_ticket_or_a_plan_once(self):
        o, q = self.o, self.o["quality_token"]
        m = self.ok(self.meeting(), 201)
        self.assertEqual([t["seq"] for t in m["topics"]], [1, 2, 3])
        self.assertEqual((m["attendees"], m["topics"][0]["ticket_id"], m["topics"][0]["improvement_id"]),
                         (15, None, None))
        # topic 1 → a suggestion ticket on the project, channel meeting, by the desk
        m1 = self.ok(self.s.api("POST", "/meetings/%d/topics/1/actions/ticket" % m["id"], {}, o["desk_token"]))
        tid = m1["topics"][0]["ticket_id"]
        self.assertIsInstance(tid, int)
        t = self.ok(self.s.api("GET", "/tickets/%d" % tid, token=o["desk_token"]))
        self.assertEqual((t["kind"], t["channel"], t["project_id"]), ("suggestion", "meeting", o["p1"]))
        self.assertIn("3栋电梯经常停在顶层不动", t["title"])
        self.assertIn("四季度业主座谈会", t["description"])
        # once only, as a ticket or as a plan
        self.fail_with(self.s.api("POST", "/meetings/%d/topics/1/actions/ticket" % m["id"], {}, q), 409,
                       "invalid_transition", "seq")
        self.fail_with(self.s.api("POST", "/meetings/%d/topics/1/actions/plan" % m["id"], {}, q), 409,
                       "invalid_transition", "seq")
        # topic 2 → a complaint ticket in the category given
        m2 = self.ok(self.s.api("POST", "/meetings/%d/topics/2/actions/ticket" % m["id"],
                                {"kind": "complaint", "category": "其他"}, q))
        t2 = self.ok(self.s.api("GET", "/tickets/%d" % m2["topics"][1]["ticket_id"], token=q))
        self.assertEqual(t2["kind"], "complaint")
        # topic 3 → a public improvement plan, source meeting, due in 15 days
        before = time.time()
        m3 = self.ok(self.s.api("POST", "/meetings/%d/topics/3/actions/plan" % m["id"], {}, q))
        pid = m3["topics"][2]["improvement_id"]
        p = self.ok(self.s.api("GET", "/improvements/%d" % pid, token=q))
        self.assertEqual((p["source"], p["source_ref"], p["state"], p["public"]),
                         ("meeting", "meeting:%d:3" % m["id"], "draft", True))
        self.assertEqual(p["problem"], "希望增设快递柜")
        due = datetime.datetime.fromisoformat(p["due_at"]).timestamp()
        self.assertAlmostEqual(due - before, 15 * 86400, delta=60)
        # the desk may turn a topic into a ticket, not into a plan; a technician neither
        m4 = self.ok(self.meeting(topics=["小区东门夜间无人值守", "a" + "长" * 300]), 201)
        self.fail_with(self.s.api("POST", "/meetings/%d/topics/1/actions/plan" % m4["id"], {}, o["desk_token"]),
                       403, "forbidden")
        self.fail_with(self.s.api("POST", "/meetings/%d/topics/1/actions/ticket" % m4["id"], {},
                                  o["technician_token"]), 403, "forbidden")
        self.fail_with(self.s.api("POST", "/meetings/%d/topics/9/actions/ticket" % m4["id"], {}, q), 404, "not_found")
        self.fail_with(self.s.api("POST", "/meetings/%d/topics/1/actions/burn" % m4["id"], {}, q), 404, "not_found")
        self.fail_with(self.s.api("POST", "/meetings/%d/topics/1/actions/plan" % m4["id"], {"kind": "repair"}, q),
                       422, "validation_failed", "kind")
        # a category that does not exist leaves the topic as it was and no ticket behind
        tickets = self.count("tickets")
        self.fail_with(self.s.api("POST", "/meetings/%d/topics/1/actions/ticket" % m4["id"],
                                  {"category": "没有这个分类"}, q), 422, "validation_failed", "category")
        self.assertEqual(self.count("tickets"), tickets)
        got = self.ok(self.s.api("GET", "/meetings/%d" % m4["id"], token=q))
        self.assertIsNone(got["topics"][0]["ticket_id"])
        # a long topic makes a title cut on a character, never inside one
        m5 = self.ok(self.s.api("POST", "/meetings/%d/topics/2/actions/ticket" % m4["id"], {}, q))
        t5 = self.ok(self.s.api("GET", "/tickets/%d" % m5["topics"][1]["ticket_id"], token=q))
        self.assertEqual(t5["title"], "【座谈会】a" + "长" * 49)
        listed = self.ok(self.s.api("GET", "/meetings?project_id=%d" % o["p1"], token=o["manager_token"]))["items"]
        self.assertEqual({x["id"] for x in listed} & {m["id"], m4["id"]}, {m["id"], m4["id"]})
        row = next(x for x in listed if x["id"] == m["id"])
        self.assertEqual([(t["seq"], t["ticket_id"] is not None, t["improvement_id"] is not None) for t in row["topics"]],
                         [(1, True, False), (2, True, False), (3, False, True)])

    def test_bad_meetings_leave_nothing_and_scope_holds(self):
        o, q = self.o, self.o["quality_token"]
        before = self.count("meetings"), self.count("meeting_topics")
        for kw, field in ((dict(held_at=rfc(time.time() + 2 * 86400)), "held_at"), (dict(title=""), "title"),
                          (dict(topics=["ok", ""]), "topics"), (dict(attendees=-1), "attendees"),
                          (dict(colour="red"), "colour"), (dict(topics=["议题"] * 51), "topics")):
            self.fail_with(self.meeting(**kw), 422, "validation_failed", field)
        self.assertEqual((self.count("meetings"), self.count("meeting_topics")), before)
        # a technician does not record meetings; p2's manager does not see p1's
        self.fail_with(self.meeting(o["technician_token"]), 403, "forbidden")
        m = self.ok(self.meeting(), 201)
        self.fail_with(self.s.api("GET", "/meetings/%d" % m["id"], token=o["manager_p2_token"]), 404, "not_found")
        self.fail_with(self.meeting(o["manager_p2_token"]), 404, "not_found")
        mine = self.ok(self.s.api("GET", "/meetings", token=o["manager_p2_token"]))["items"]
        self.assertNotIn(m["id"], [x["id"] for x in mine])
        self.fail_with(self.s.api("GET", "/meetings", token=o["r1_token"]), 403, "forbidden")

    def test_mystery_visit_scores_and_plan(self):
        o, q = self.o, self.o["quality_token"]
        body = {"project_id": o["p1"], "visited_at": rfc(time.time() - 86400), "agency": "某第三方测评公司",
                "scenario": "电话报修水管漏水", "scores": {"接听礼貌": 90, "响应速度": 60, "上门准时": 75, "完工清洁": 83},
                "findings": "报修后 40 分钟才回电；上门未穿鞋套"}
        v = self.ok(self.s.api("POST", "/mystery-visits", body, q), 201)
        self.assertAlmostEqual(v["total"], (90 + 60 + 75 + 83) / 4)  # 77
        self.assertEqual(v["scores"]["响应速度"], 60)
        self.assertIsNone(v["improvement_id"])
        v2 = self.ok(self.s.api("POST", "/mystery-visits/%d/actions/plan" % v["id"], {}, q))
        p = self.ok(self.s.api("GET", "/improvements/%d" % v2["improvement_id"], token=q))
        self.assertEqual((p["source"], p["source_ref"], p["metric"]["kind"], p["metric"]["key"]),
                         ("mystery", "mystery:%d" % v["id"], "kpi", "mystery_score"))
        self.assertEqual((p["metric"]["baseline"], p["metric"]["target"]), (77, 90))
        self.assertEqual(p["problem"], body["findings"])
        self.fail_with(self.s.api("POST", "/mystery-visits/%d/actions/plan" % v["id"], {}, q), 409, "invalid_transition")
        # without findings there is nothing to plan
        quiet = {k: x for k, x in body.items() if k != "findings"}
        w = self.ok(self.s.api("POST", "/mystery-visits", quiet, q), 201)
        self.fail_with(self.s.api("POST", "/mystery-visits/%d/actions/plan" % w["id"], {}, q), 422,
                       "validation_failed", "findings")
        # bad scorecards leave nothing
        n = self.count("mystery_visits")
        for bad in ({"scores": {}}, {"scores": {"响应速度": 101}}, {"scores": {"响应速度": "高"}}, {"scores": [1, 2]},
                    {"agency": ""}, {"visited_at": rfc(time.time() + 86400 * 3)}):
            field = next(iter(bad))
            self.fail_with(self.s.api("POST", "/mystery-visits", dict(body, **bad), q), 422, "validation_failed",
                           field)
        self.assertEqual(self.count("mystery_visits"), n)
        # the desk reads, does not record; p2's manager does not see it
        self.fail_with(self.s.api("POST", "/mystery-visits", body, o["desk_token"]), 403, "forbidden")
        got = self.ok(self.s.api("GET", "/mystery-visits?project_id=%d" % o["p1"], token=o["desk_token"]))["items"]
        self.assertIn(v["id"], [x["id"] for x in got])
        self.fail_with(self.s.api("GET", "/mystery-visits/%d" % v["id"], token=o["manager_p2_token"]), 404,
                       "not_found")
