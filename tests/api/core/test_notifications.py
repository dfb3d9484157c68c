"""Notifications: the assignee hears of an assignment (manual, automatic, a
reopen) and nobody else does; the list is the caller's own, newest first,
with the unread count and cursor paging; read one, read all; someone else's
notification is not found; bad input to every route."""
import datetime
import uuid

from lib import PW, ServerTest, make_org

TZ = datetime.timezone(datetime.timedelta(hours=8))


class Notifications(ServerTest):
    server_env = {"ANJU_JOBS": "0"}  # nothing but the actions below writes notifications

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.o = make_org(cls.s, cls.admin)
        o, s = cls.o, cls.s
        # a second technician of p1, on duty, for reassignment and automatic dispatch
        r = s.api("POST", "/staff", {"username": "tech2_" + uuid.uuid4().hex[:4], "password": PW,
                                     "name": "维修工二", "role": "technician", "skills": ["水工"],
                                     "on_duty": True, "project_ids": [o["p1"]]}, cls.admin)
        assert r.status == 201, r
        o["tech2"] = r.json["id"]
        o["tech2_token"] = s.login(r.json["username"], PW)

    def create(self, **kw):
        body = {"project_id": self.o["p1"], "kind": "repair", "category": "水电/漏水",
                "title": "厨房水管漏水", "channel": "phone"}
        body.update(kw)
        return self.ok(self.s.api("POST", "/tickets", body, self.o["desk_token"]), 201)

    def act(self, tid, action, body=None, token=None):
        return self.ok(self.s.api("POST", "/tickets/%d/actions/%s" % (tid, action), body,
                                  token or self.o["desk_token"]))

    def mine(self, token, query=""):
        return self.ok(self.s.api("GET", "/notifications" + query, token=token))

    def about(self, token, tid, kind=None):
        """The caller's notifications about one ticket (all pages)."""
        out, cursor = [], None
        while True:
            page = self.mine(token, "?limit=200" + ("&cursor=" + cursor if cursor else ""))
            out += [n for n in page["items"] if n["ticket_id"] == tid and (kind is None or n["kind"] == kind)]
            cursor = page["next_cursor"]
            if not cursor:
                return out

    def test_assignment_reaches_the_assignee_only(self):
        o = self.o
        before = self.mine(o["technician_token"])["unread"]
        t = self.create(title="卫生间漏水")
        self.act(t["id"], "accept")
        self.act(t["id"], "assign", {"assignee_id": o["technician"]})
        got = self.about(o["technician_token"], t["id"])
        self.assertEqual(len(got), 1, got)
        n = got[0]
        self.assertEqual((n["kind"], n["project_id"], n["ticket_id"], n["ticket_no"], n["read_at"]),
                         ("assignment", o["p1"], t["id"], t["no"], None))
        self.assertIn(t["no"], n["title"])
        self.assertIn("卫生间漏水", n["body"])
        self.assertTrue(n["created_at"].endswith("+08:00"), n)
        self.assertEqual(set(n), {"id", "kind", "project_id", "ticket_id", "ticket_no", "title", "body",
                                  "created_at", "read_at"})
        self.assertEqual(self.mine(o["technician_token"])["unread"], before + 1)
        for key in ("desk", "manager", "quality", "guard", "cleaner", "manager_p2", "tech2", "admin"):
            self.assertEqual(self.about(o[key + "_token"], t["id"]), [], key)
        # assigning the same person again is no news; another person hears of it
        self.act(t["id"], "assign", {"assignee_id": o["technician"]})
        self.assertEqual(len(self.about(o["technician_token"], t["id"])), 1)
        self.act(t["id"], "assign", {"assignee_id": o["tech2"]})
        self.assertEqual(len(self.about(o["tech2_token"], t["id"], "assignment")), 1)
        self.assertEqual(len(self.about(o["technician_token"], t["id"])), 1)

    def test_automatic_dispatch_and_reopen_notify(self):
        o = self.o
        t = self.create(title="水龙头滴水", category="水电/水龙头")
        self.act(t["id"], "accept")
        t = self.act(t["id"], "assign", {})  # automatic: the only 水工 on duty is tech2
        self.assertEqual(t["assignee_id"], o["tech2"])
        self.assertEqual([n["kind"] for n in self.about(o["tech2_token"], t["id"])], ["assignment"])
        self.act(t["id"], "resolve", {"resolution": "已更换阀芯"}, o["tech2_token"])
        self.act(t["id"], "reopen", {"reason": "又开始滴水"})
        got = self.about(o["tech2_token"], t["id"])
        self.assertEqual([n["kind"] for n in got], ["reopen", "assignment"])  # newest first
        self.assertIn("又开始滴水", got[0]["body"])
        self.assertEqual(self.about(o["technician_token"], t["id"]), [])

    def test_assigning_oneself_is_no_news(self):
        o = self.o
        t = self.create(title="自己处理")
        self.act(t["id"], "accept")
        self.act(t["id"], "assign", {"assignee_id": o["desk"]})
        self.assertEqual(self.about(o["desk_token"], t["id"]), [])

    def test_read_one_read_all_and_someone_elses(self):
        o = self.o
        ids = []
        for i in range(3):
            t = self.create(title="读取测试%d" % i)
            self.act(t["id"], "accept")
            self.act(t["id"], "assign", {"assignee_id": o["technician"]})
            ids.append(self.about(o["technician_token"], t["id"])[0]["id"])
        page = self.mine(o["technician_token"], "?unread=1")
        unread = page["unread"]
        self.assertGreaterEqual(unread, 3)
        self.assertTrue(all(n["read_at"] is None for n in page["items"]))
        # newest first
        listed = [n["id"] for n in self.mine(o["technician_token"])["items"]]
        self.assertEqual(listed, sorted(listed, reverse=True))
        # read one: read_at set, the count drops, a second read keeps the first time
        n = self.ok(self.s.api("POST", "/notifications/%d/read" % ids[0], None, o["technician_token"]))
        self.assertEqual(n["id"], ids[0])
        self.assertIsNotNone(n["read_at"])
        self.assertEqual(self.mine(o["technician_token"])["unread"], unread - 1)
        again = self.ok(self.s.api("POST", "/notifications/%d/read" % ids[0], {}, o["technician_token"]))
        self.assertEqual(again["read_at"], n["read_at"])
        self.assertNotIn(ids[0], [x["id"] for x in self.mine(o["technician_token"], "?unread=1&limit=200")["items"]])
        # someone else's notification does not exist for the caller, not even for the admin
        for key in ("tech2", "desk", "manager", "admin", "r1"):
            r = self.s.api("POST", "/notifications/%d/read" % ids[1], None, o[key + "_token"])
            self.fail_with(r, 404, "not_found")
            self.assertNotIn(ids[1], [x["id"] for x in self.mine(o[key + "_token"], "?limit=200")["items"]])
        self.assertIsNone([x for x in self.mine(o["technician_token"], "?limit=200")["items"]
                           if x["id"] == ids[1]][0]["read_at"])
        # read all: every unread one, and only the caller's
        tech2_unread = self.mine(o["tech2_token"])["unread"]
        r = self.ok(self.s.api("POST", "/notifications/read-all", None, o["technician_token"]))
        self.assertEqual(r, {"read": unread - 1})
        self.assertEqual(self.mine(o["technician_token"])["unread"], 0)
        self.assertEqual(self.mine(o["technician_token"], "?unread=1")["items"], [])
        self.assertEqual(self.ok(self.s.api("POST", "/notifications/read-all", {}, o["technician_token"])), {"read": 0})
        self.assertEqual(self.mine(o["tech2_token"])["unread"], tech2_unread)

    def test_paging(self):
        o = self.o
        for i in range(3):
            t = self.create(title="分页%d" % i)
            self.act(t["id"], "accept")
            self.act(t["id"], "assign", {"assignee_id": o["cleaner"]})
        full = self.mine(o["cleaner_token"], "?limit=200")
        self.assertGreaterEqual(len(full["items"]), 3)
        self.assertIsNone(full["next_cursor"])
        seen, cursor = [], None
        while True:
            page = self.mine(o["cleaner_token"], "?limit=1" + ("&cursor=" + cursor if cursor else ""))
            self.assertLessEqual(len(page["items"]), 1)
            self.assertEqual(page["unread"], full["unread"])
            seen += [n["id"] for n in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
        self.assertEqual(seen, [n["id"] for n in full["items"]])

    def test_residents_and_strangers(self):
        o = self.o
        self.assertEqual(self.mine(o["r1_token"]), {"items": [], "next_cursor": None, "unread": 0})
        self.fail_with(self.s.api("GET", "/notifications"), 401, "unauthenticated")
        self.fail_with(self.s.api("POST", "/notifications/1/read"), 401, "unauthenticated")
        self.fail_with(self.s.api("POST", "/notifications/read-all"), 401, "unauthenticated")

    def test_bad_input(self):
        tok = self.o["technician_token"]
        for q, field in (("?unread=2", "unread"), ("?unread=x", "unread"), ("?limit=0", "limit"),
                         ("?limit=201", "limit"), ("?cursor=%%%", "cursor"), ("?cursor=aGVsbG8", "cursor")):
            self.fail_with(self.s.api("GET", "/notifications" + q, token=tok), 422, "validation_failed", field)
        for path in ("/notifications/0/read", "/notifications/x/read", "/notifications/-3/read",
                     "/notifications/99999999999/read", "/notifications/1e3/read"):
            self.fail_with(self.s.api("POST", path, None, tok), 404, "not_found")
        for path in ("/notifications/read-all", "/notifications/1/read"):
            self.fail_with(self.s.api("POST", path, {"all": True}, tok), 422, "validation_failed", "all")
            self.fail_with(self.s.api("POST", path, raw=b"{not json", token=tok,
                                      headers={"Content-Type": "application/json"}), 400, "bad_json")
            self.fail_with(self.s.api("POST", path, [1, 2], tok), 400, "bad_json")
        self.fail_with(self.s.api("DELETE", "/notifications", token=tok), 405, "method_not_allowed")
        self.fail_with(self.s.api("GET", "/notifications/read-all", token=tok), 405, "method_not_allowed")
