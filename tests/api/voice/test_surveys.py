"""Satisfaction surveys (issue 14): a draft with the seeds' eight dimensions, opened to every
occupied room, answered by residents and through invitation links, closed; the results
(scores, rates, margins of error) against values computed here by hand; anonymity read
from the database itself; bad input leaving nothing written."""
import math
import uuid

from lib import BACKEND, ServerTest, db_query, make_org, read_xlsx

SCALES = ["q%d" % i for i in range(1, 9)]


def fpc(N, n):
    return math.sqrt((N - n) / (N - 1)) if N > 1 and n < N else 0.0


class Surveys(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.o = o = make_org(cls.s, cls.admin)
        # a second building of six occupied rooms and one empty one
        b = cls.s.api("POST", "/projects/%d/buildings" % o["p1"], {"name": "2栋", "floors": 6}, cls.admin).json
        o["b2"] = b["id"]
        o["b2_rooms"] = []
        for n in range(7):
            rm = cls.s.api("POST", "/projects/%d/rooms" % o["p1"],
                           {"building_id": b["id"], "unit": "1单元", "floor": 2, "number": "20%d" % n},
                           cls.admin).json
            if n < 6:
                o["b2_rooms"].append(rm["id"])
                r = cls.s.api("POST", "/projects/%d/residents" % o["p1"],
                              {"name": "住户2-%d" % n, "phone": "139%08d" % (uuid.uuid4().int % 10 ** 8),
                               "kind": "owner", "room_ids": [rm["id"]]}, cls.admin)
                assert r.status == 201, r

    def draft(self, title="2026年第四季度满意度调查", token=None, **kw):
        body = dict({"project_id": self.o["p1"], "title": title, "period": "2026-Q4"}, **kw)
        return self.s.api("POST", "/surveys", body, token or self.o["quality_token"])

    def links(self, sid):
        return {x["room_id"]: x for x in self.ok(self.s.api("GET", "/surveys/%d/links" % sid,
                                                            token=self.o["quality_token"]))["items"]}

    def answer_link(self, token, answers, comments=None):
        body = {"answers": answers}
        if comments is not None:
            body["comments"] = comments
        return self.s.api("POST", "/public/surveys/%s/responses" % token, body)

    def test_a_survey_from_draft_to_results(self):
        o, q = self.o, self.o["quality_token"]
        s = self.ok(self.draft(), 201)
        self.assertEqual([d["label"] for d in s["dimensions"]],
                         ["服务态度", "响应效率", "设施维护", "环境卫生", "安全秩序", "绿化养护", "沟通与信息公开", "总体评价"])
        self.assertEqual([x["type"] for x in s["questions"]], ["scale"] * 8 + ["text"])
        self.assertEqual(s["state"], "draft")
        self.assertEqual(self.ok(self.s.api("GET", "/me/surveys", token=o["r1_token"]))["items"], [])
        s = self.ok(self.s.api("POST", "/surveys/%d/actions/open" % s["id"], {}, q))
        # 1栋: r1's room and r2/r4's; 2栋: six of seven (the empty one is not invited)
        self.assertEqual((s["state"], s["invited"]), ("open", 8))
        mine = self.ok(self.s.api("GET", "/me/surveys", token=o["r1_token"]))["items"]
        self.assertEqual([(x["id"], x["room_id"]) for x in mine], [(s["id"], o["p1_rooms"][0])])
        # the questionnaire is fixed once open; the title may still change
        self.fail_with(self.s.api("PATCH", "/surveys/%d" % s["id"], {"questions": []}, q), 409, "invalid_transition")
        self.ok(self.s.api("PATCH", "/surveys/%d" % s["id"], {"title": "四季度满意度调查"}, q))

        # r1 answers on the phone page: all 5, and a comment
        url = "/surveys/%d/responses" % s["id"]
        body = {"room_id": o["p1_rooms"][0], "answers": {k: 5 for k in SCALES},
                "comments": {"q9": "希望增加夜间巡逻"}}
        r = self.ok(self.s.api("POST", url, body, o["r1_token"]), 201)
        self.assertEqual(set(r), {"survey_id", "answered"})
        self.fail_with(self.s.api("POST", url, body, o["r1_token"]), 409, "conflict")
        self.assertEqual(self.ok(self.s.api("GET", "/me/surveys", token=o["r1_token"]))["items"], [])
        # a room not theirs, another project's resident, staff
        self.fail_with(self.s.api("POST", url, dict(body, room_id=o["p1_rooms"][1]), o["r1_token"]), 404, "not_found")
        self.fail_with(self.s.api("POST", url, dict(body, room_id=o["p1_rooms"][0]), o["r3_token"]), 404, "not_found")
        self.fail_with(self.s.api("POST", url, body, q), 403, "forbidden")

        links = self.links(s["id"])
        self.assertEqual(len(links), 8)
        self.assertTrue(links[o["p1_rooms"][0]]["answered"])
        toks = [links[rid]["token"] for rid in o["b2_rooms"]]
        page = self.ok(self.s.api("GET", "/public/surveys/" + toks[0]))
        self.assertEqual((page["title"], page["answered"], len(page["questions"])), ("四季度满意度调查", False, 9))
        self.assertNotIn("room", page)
        # bad answers: nothing written, the link still answers afterwards
        for answers, comments, field in (({"q1": 6}, None, "answers"), ({"q1": 0}, None, "answers"),
                                         ({"q1": 3.5}, None, "answers"), ({"zz": 3}, None, "answers"),
                                         ({"q9": 3}, None, "answers"), ({}, None, "answers"),
                                         ({"q1": 3}, {"q1": "x"}, "comments"),
                                         ({"q1": 3}, {"q9": "长" * 400}, "comments")):
            self.fail_with(self.answer_link(toks[0], answers, comments), 422, "validation_failed", field)
        self.fail_with(self.answer_link("nope-" + toks[0][5:], {"q1": 3}), 404, "not_found")
        self.assertEqual(self.ok(self.s.api("GET", "/surveys/%d" % s["id"], token=q))["responses"], 1)
        # five answers through the links: attitude 1..5, overall 3 4 4 5 2, the rest 4
        q1 = [1, 2, 3, 4, 5]
        q8 = [3, 4, 4, 5, 2]
        for i, t in enumerate(toks[:5]):
            a = {k: 4 for k in SCALES}
            a["q1"], a["q8"] = q1[i], q8[i]
            self.ok(self.answer_link(t, a, {"q9": ""} if i else None), 201)
        self.fail_with(self.answer_link(toks[0], {"q1": 3}), 409, "conflict")
        self.assertTrue(self.ok(self.s.api("GET", "/public/surveys/" + toks[0]))["answered"])

        res = self.ok(self.s.api("GET", "/surveys/%d/results" % s["id"], token=o["manager_token"]))
        N, n = 8, 6
        self.assertEqual((res["invited"], res["responses"]), (N, n))
        self.assertAlmostEqual(res["response_rate"], 0.75)
        self.assertAlmostEqual(res["margin_of_error"], 1.96 * math.sqrt(0.25 / n) * fpc(N, n))
        dims = {d["key"]: d for d in res["dimensions"]}

        def expect(values):
            m = sum(values) / len(values)
            sd = math.sqrt(sum((v - m) ** 2 for v in values) / (len(values) - 1))
            return (m - 1) * 25, sum(v >= 4 for v in values) / len(values), 1.96 * sd / math.sqrt(len(values)) * fpc(N, n) * 25

        for key, values in (("attitude", [5] + q1), ("overall", [5] + q8), ("greening", [5] + [4] * 5)):
            score, sat, margin = expect(values)
            self.assertEqual(dims[key]["n"], 6)
            self.assertAlmostEqual(dims[key]["score"], score, places=9, msg=key)
            self.assertAlmostEqual(dims[key]["satisfied_rate"], sat, places=9, msg=key)
            self.assertAlmostEqual(dims[key]["margin"], margin, places=9, msg=key)
            self.assertIsNone(dims[key]["previous_score"])
        self.assertAlmostEqual(res["score"], sum(d["score"] for d in res["dimensions"]) / 8)
        cov = {c["building_id"]: c for c in res["coverage"]}
        self.assertEqual((cov[o["p1_building"]]["invited"], cov[o["p1_building"]]["responses"]), (2, 1))
        self.assertEqual((cov[o["b2"]]["invited"], cov[o["b2"]]["responses"]), (6, 5))
        self.assertEqual([(c["question"], c["text"], c["dimension"]) for c in res["comments"]],
                         [("q9", "希望增加夜间巡逻", None)])

        # the Excel export: the same numbers, and every answer under its building and day
        x = self.s.request("GET", "/api/v1/surveys/%d/results.xlsx" % s["id"], token=q)
        self.assertEqual(x.status, 200, x)
        self.assertIn("spreadsheetml", x.header("Content-Type"))
        self.assertEqual(x.header("X-Export-Rows"), "6")
        summary = {r[0]: r.get(1) for r in read_xlsx(x.raw, 1)[1:]}
        self.assertEqual((summary["邀请户数"], summary["答卷数"], summary["回收率（%）"]), (8, 6, 75))
        sheet = read_xlsx(x.raw, 2)
        self.assertEqual(sheet[0][0], "维度")
        got = {r[0]: r for r in sheet[1:]}
        self.assertEqual(len(got), 8)
        self.assertAlmostEqual(got["服务态度"][1], dims["attitude"]["score"])
        self.assertAlmostEqual(got["服务态度"][2], dims["attitude"]["satisfied_rate"] * 100)
        self.assertEqual(got["服务态度"][3], 6)
        cover = {r[0]: (r[1], r[2]) for r in read_xlsx(x.raw, 3)[1:]}
        self.assertEqual(cover, {"1栋": (2, 1), "2栋": (6, 5)})
        answers = read_xlsx(x.raw, 4)
        self.assertEqual([answers[0][i] for i in range(3)], ["答卷编号", "楼栋", "日期"])
        self.assertEqual(len(answers), 7)
        self.assertEqual(sorted(r[3] for r in answers[1:]), sorted([5] + q1))
        self.assertEqual([r.get(11) for r in answers[1:] if r.get(11)], ["希望增加夜间巡逻"])
        self.fail_with(self.s.request("GET", "/api/v1/surveys/%d/results.xlsx" % s["id"],
                                      token=o["desk_token"]), 403, "forbidden")

        # the answers as kept: a building and a day, no room; residents and front-line staff may not read them
        kept = self.ok(self.s.api("GET", "/surveys/%d/responses?limit=50" % s["id"], token=q))["items"]
        self.assertEqual(len(kept), 6)
        self.assertEqual({frozenset(x) for x in kept}, {frozenset({"id", "building_id", "day", "answers", "comments"})})
        self.fail_with(self.s.api("GET", "/surveys/%d/responses" % s["id"], token=o["desk_token"]), 403, "forbidden")
        self.fail_with(self.s.api("GET", "/surveys/%d/results" % s["id"], token=o["r1_token"]), 403, "forbidden")
        self.fail_with(self.s.api("GET", "/surveys/%d/results" % s["id"], token=o["manager_p2_token"]), 404, "not_found")

        # closed: no more answers
        self.ok(self.s.api("POST", "/surveys/%d/actions/close" % s["id"], {}, q))
        self.fail_with(self.answer_link(toks[5], {"q1": 3}), 409, "invalid_transition")
        self.fail_with(self.s.api("POST", "/surveys/%d/actions/close" % s["id"], {}, q), 409, "invalid_transition")

        # the next quarter compares with this one
        s2 = self.ok(self.draft("2027年第一季度满意度调查"), 201)
        self.ok(self.s.api("POST", "/surveys/%d/actions/open" % s2["id"], {}, q))
        links2 = self.links(s2["id"])
        self.ok(self.answer_link(links2[o["b2_rooms"][0]]["token"], {k: 5 for k in SCALES}), 201)
        res2 = self.ok(self.s.api("GET", "/surveys/%d/results" % s2["id"], token=q))
        self.assertEqual(res2["previous_survey_id"], s["id"])
        d2 = {d["key"]: d for d in res2["dimensions"]}
        self.assertAlmostEqual(d2["attitude"]["previous_score"], dims["attitude"]["score"])
        self.assertAlmostEqual(d2["attitude"]["change"], 100 - dims["attitude"]["score"])
        self.assertIsNone(d2["attitude"]["margin"])  # one answer: no spread to speak of

    def test_anonymous_by_construction(self):
        """No column of what an answer leaves links it to a room, a resident or a token."""
        o, q = self.o, self.o["quality_token"]
        s = self.ok(self.draft("匿名性检查"), 201)
        self.ok(self.s.api("POST", "/surveys/%d/actions/open" % s["id"], {}, q))
        links = self.links(s["id"])
        for rid in o["b2_rooms"][:4]:
            self.ok(self.answer_link(links[rid]["token"], {"q1": 4}), 201)
        self.ok(self.s.api("POST", "/surveys/%d/responses" % s["id"],
                           {"room_id": o["p1_rooms"][0], "answers": {"q1": 2}}, o["r1_token"]), 201)

        def columns(table):
            if BACKEND == "pg":
                sql = "SELECT column_name FROM information_schema.columns WHERE table_name = '%s'" % table
            else:
                sql = "SELECT name FROM pragma_table_info('%s')" % table
            return {r[0] for r in db_query(self.s, sql)}

        self.assertEqual(columns("survey_responses"), {"id", "survey_id", "building_id", "day", "answers", "comments"})
        self.assertEqual(columns("survey_tallies"), {"survey_id", "building_id", "question", "value", "n"})
        self.assertEqual(columns("survey_coverage"), {"survey_id", "building_id", "invited", "responses"})
        # the invitation knows it was answered, not when, nor which answer
        self.assertEqual(columns("survey_invitations"), {"id", "survey_id", "room_id", "building_id", "token", "answered"})
        rows = db_query(self.s, "SELECT id, building_id, answers, comments FROM survey_responses WHERE survey_id = %d" % s["id"])
        self.assertEqual(len(rows), 5)
        room_ids = {str(x) for x in o["b2_rooms"] + o["p1_rooms"]}
        tokens = {x["token"] for x in links.values()}
        for rid, bid, answers, comments in rows:
            # random ids (below 2^52), so their order tells nothing; nothing else names a room
            self.assertTrue(1 << 20 < int(rid) < 1 << 52, rid)
            self.assertNotIn(bid, room_ids - {str(o["b2"]), str(o["p1_building"])})
            for t in tokens:
                self.assertNotIn(t, answers + comments)
        # the audit log says a survey was answered, in the system's name, never by whom
        audit = db_query(self.s, "SELECT COALESCE(CAST(actor_id AS TEXT), ''), change FROM audit_log"
                                 " WHERE entity = 'survey' AND entity_id = %d AND action = 'answer'" % s["id"])
        self.assertEqual(len(audit), 5)
        self.assertEqual({a[0] for a in audit}, {""})

    def test_drafts_refuse_bad_forms_and_outsiders(self):
        o, q = self.o, self.o["quality_token"]
        bad = [({"dimensions": []}, "dimensions"),
               ({"dimensions": [{"key": "A b", "label": "x"}]}, "dimensions"),
               ({"dimensions": [{"key": "a", "label": "x"}, {"key": "a", "label": "y"}]}, "dimensions"),
               ({"questions": [{"key": "q1", "label": "x", "type": "scale", "dimension": "nope"}]}, "questions"),
               ({"questions": [{"key": "q1", "label": "x", "type": "text", "dimension": None}]}, "questions"),
               ({"questions": [{"key": "q1", "label": "x", "type": "stars", "dimension": "overall"}]}, "questions"),
               ({"questions": [{"key": "q1", "label": "x", "type": "scale", "dimension": "overall"},
                               {"key": "q1", "label": "y", "type": "scale", "dimension": "overall"}]}, "questions"),
               ({"opens_at": "2026-12-10T00:00:00+08:00", "closes_at": "2026-12-01T00:00:00+08:00"}, "closes_at"),
               ({"opens_at": "2026-12-10T00:00:00+08:00", "closes_at": "2027-12-01T00:00:00+08:00"}, "closes_at"),
               ({"title": ""}, "title"), ({"colour": "red"}, "colour")]
        for extra, field in bad:
            self.fail_with(self.draft(**extra), 422, "validation_failed", field)
        self.fail_with(self.draft(token=o["desk_token"]), 403, "forbidden")
        self.fail_with(self.draft(token=o["manager_p2_token"]), 404, "not_found")
        self.fail_with(self.draft(token=o["r1_token"]), 403, "forbidden")
        # a company's own form: two dimensions, a question each
        s = self.ok(self.draft("电梯专项调查", dimensions=[{"key": "lift", "label": "电梯运行"}],
                               questions=[{"key": "a", "label": "电梯运行是否平稳", "type": "scale", "dimension": "lift"},
                                          {"key": "b", "label": "其他意见", "type": "text"}]), 201)
        self.assertEqual(s["questions"][1]["dimension"], None)
        lst = self.ok(self.s.api("GET", "/surveys?project_id=%d&state=draft" % o["p1"], token=o["manager_token"]))
        self.assertIn(s["id"], [x["id"] for x in lst["items"]])
        self.fail_with(self.s.api("GET", "/surveys?state=maybe", token=q), 422, "validation_failed", "state")
        # a draft takes no answers, and its invitation links do not exist yet
        self.assertEqual(self.links(s["id"]), {})
        self.fail_with(self.s.api("POST", "/surveys/%d/responses" % s["id"],
                                  {"room_id": o["p1_rooms"][0], "answers": {"a": 3}}, o["r1_token"]), 404, "not_found")
