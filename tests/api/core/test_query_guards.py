"""The query-string guards every list shares (http/req.c): a text filter that is
not valid UTF-8 is 422 with its name as the field on every list (it reached
PostgreSQL and was a 500 there), and an RFC 3339 time reads the same whether
the client encoded the offset's plus as %2B or sent it bare (which the query
decoder turns into a space)."""
import datetime
import uuid

from lib import ServerTest

TZ = datetime.timezone(datetime.timedelta(hours=8))

# Not valid UTF-8: a lone byte that never starts a character, a character cut
# short, an overlong encoding and a UTF-16 surrogate.
BAD = ("%ff", "%E6%9D", "%C0%AF", "%ED%A0%80")


def iso(dt):
    return dt.astimezone(TZ).isoformat(timespec="seconds")


class QueryGuards(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s, admin = cls.s, cls.admin

        def post(path, body):
            r = s.api("POST", path, body, admin)
            assert r.status == 201, (path, r)
            return r.json

        cls.p = post("/projects", {"code": "QG" + uuid.uuid4().hex[:4].upper(), "name": "查询校验"})["id"]
        b = post("/projects/%d/buildings" % cls.p, {"name": "1栋", "floors": 6})["id"]
        room = post("/projects/%d/rooms" % cls.p, {"building_id": b, "unit": "1单元", "floor": 1,
                                                   "number": "101"})["id"]
        post("/projects/%d/residents" % cls.p, {"name": "王阿姨", "phone": "13900000031", "kind": "owner",
                                                "room_ids": [room], "tags": ["elderly"]})
        now = datetime.datetime.now(TZ)
        cls.cut = now - datetime.timedelta(hours=10)
        cls.old, cls.new = [post("/tickets", {"project_id": cls.p, "kind": "repair", "priority": "normal",
                                              "category": "水电/漏水", "title": title, "description": "查询",
                                              "reported_at": iso(now - datetime.timedelta(hours=ago))})["id"]
                            for title, ago in (("厨房漏水", 20), ("阳台漏水", 2))]

    # Every list with a text filter, and its text filters. Lists not here have
    # none: notifications (unread), categories (all), jobs, stats (ids, days).
    def lists(self):
        p = self.p
        return [("/projects", ("q",)),
                ("/projects/%d/buildings" % p, ("q",)),
                ("/projects/%d/rooms" % p, ("q", "unit")),
                ("/projects/%d/residents" % p, ("q", "phone", "tag")),
                ("/staff", ("q", "role", "department")),
                ("/tickets", ("q", "kind", "priority", "category", "status")),
                ("/tickets.xlsx", ("q", "kind", "priority", "category", "status")),
                ("/sla-policies", ("kind", "priority"))]

    def test_invalid_utf8_in_a_text_filter_is_422_on_every_list(self):
        for path, names in self.lists():
            for name in names:
                for bad in BAD:
                    with self.subTest(path=path, name=name, value=bad):
                        r = self.s.api("GET", "%s?%s=%s" % (path, name, bad), token=self.admin)
                        self.fail_with(r, 422, "validation_failed", name)

    def test_q_of_ff_is_422_with_field_q(self):
        # the case of the report, spelled out
        for path, names in self.lists():
            if "q" in names:
                with self.subTest(path=path):
                    self.fail_with(self.s.api("GET", path + "?q=%ff", token=self.admin),
                                   422, "validation_failed", "q")

    def test_valid_text_still_filters(self):
        p = self.p
        for path, query, n in (("/projects", "q=%E6%9F%A5%E8%AF%A2", 1),          # 查询
                               ("/projects/%d/buildings" % p, "q=1%E6%A0%8B", 1),  # 1栋
                               ("/projects/%d/rooms" % p, "unit=1%E5%8D%95%E5%85%83&q=101", 1),
                               ("/projects/%d/residents" % p, "q=%E7%8E%8B&tag=elderly", 1),
                               ("/tickets", "project_id=%d&q=%%E6%%BC%%8F%%E6%%B0%%B4" % p, 2),
                               ("/tickets", "project_id=%d&q=" % p + "x" * 101, None)):
            with self.subTest(path=path, query=query):
                r = self.s.api("GET", "%s?%s" % (path, query), token=self.admin)
                if n is None:  # the ticket search's own cap stays as it was
                    self.fail_with(r, 422, "validation_failed", "q")
                else:
                    self.assertEqual(len(self.ok(r)["items"]), n, r)
        # no new length cap on the other lists: a long q finds nothing, as before
        long_q = "%E6%BC%8F" * 400  # 1,200 bytes
        for path, _ in self.lists()[:5]:
            with self.subTest(path=path, long_q=True):
                self.assertEqual(self.ok(self.s.api("GET", path + "?q=" + long_q, token=self.admin))["items"], [])

    def ticket_ids(self, query, path="/tickets"):
        r = self.s.api("GET", "%s?project_id=%d&%s" % (path, self.p, query), token=self.admin)
        self.assertEqual(r.status, 200, r)
        return r.header("X-Export-Rows") if path == "/tickets.xlsx" else [t["id"] for t in r.json["items"]]

    def test_time_filters_read_a_bare_plus_like_2b(self):
        cut = iso(self.cut)  # ...+08:00
        year = "2026-01-01T00:00:00+08:00"
        for path in ("/tickets", "/tickets.xlsx"):
            for query, want in (("from=%s" % cut, [self.new]), ("to=%s" % cut, [self.old]),
                                ("from=%s" % year, [self.new, self.old]), ("to=%s" % year, []),
                                ("from=%s&to=%s" % (year, cut), [self.old])):
                with self.subTest(path=path, query=query):
                    bare = self.ticket_ids(query, path)                          # '+' arrives as ' '
                    escaped = self.ticket_ids(query.replace("+", "%2B"), path)
                    self.assertEqual(bare, escaped)
                    self.assertEqual(bare, str(len(want)) if path == "/tickets.xlsx" else want)
        # a space anywhere else is still junk
        for bad in ("2026-01-01T00:00:00 0800", "2026-01-01T00:00:00%2008:00%20", "2026-01-01T00:00:00"):
            with self.subTest(bad=bad):
                self.fail_with(self.s.api("GET", "/tickets?from=" + bad, token=self.admin),
                               422, "validation_failed", "from")

    def test_calendar_due_reads_a_bare_plus_like_2b(self):
        due = [self.ok(self.s.api("GET", "/calendars/1/due?from=2026-09-30T16:00:00%s08:00&amount=2&unit=hour"
                                  % plus, token=self.admin))["due_at"] for plus in ("+", "%2B")]
        self.assertEqual(due[0], due[1])
        self.assertEqual(due[0], "2026-09-30T18:00:00+08:00")
        self.fail_with(self.s.api("GET", "/calendars/1/due?amount=2&unit=hour", token=self.admin),
                       422, "validation_failed", "from")
        self.fail_with(self.s.api("GET", "/calendars/1/due?from=%ff&amount=2&unit=hour", token=self.admin),
                       422, "validation_failed", "from")
