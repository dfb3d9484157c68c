"""The turn of the year before its official holiday data is known (calendar 1
is seeded from chinese-days up to 2026): a complaint filed on 2026-12-30 has a
resolve target of 3 working days that runs into 2027. It is accepted, not
refused; that milestone reads "unplanned" with no due time, is never overdue
and never swept, while its other milestones run as usual; a hold and resume
meanwhile are kept. When 2027's data is imported (`anju calendar import`) the
milestone gets the due time that plan + resume would have given had the year
been known, and from then on it is timed, listed overdue and swept like any
other. A day set by hand that does not complete the target leaves it waiting."""
import datetime
import json
import os
import tempfile

from lib import ADMIN_PW, ServerTest, make_org

TZ = datetime.timezone(datetime.timedelta(hours=8))


def T(*a):
    return int(datetime.datetime(*a, tzinfo=TZ).timestamp())


FILED = T(2026, 12, 30, 10, 0)   # Wednesday
HELD = T(2026, 12, 31, 10, 0)    # Thursday
RESUMED = T(2027, 1, 4, 10, 0)   # Monday
LATER = T(2027, 1, 10, 12, 0)

# The test's own 2027: New Year 01-01..01-03 off (a Friday and the weekend).
YEAR_2027 = {"holidays": {"2027-01-01": "New Year's Day,元旦,3",
                          "2027-01-02": "New Year's Day,元旦,3",
                          "2027-01-03": "New Year's Day,元旦,3"},
             "workdays": {}}


class UnplannedTest(ServerTest):
    server_env = {"ANJU_FAKE_NOW": str(FILED)}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.o = make_org(cls.s, cls.admin)

    def ticket(self, tid):
        return self.ok(self.s.api("GET", "/tickets/%d" % tid, token=self.admin))

    def sla(self, tid):
        return {m["milestone"]: m for m in self.ticket(tid)["sla"]}

    def act(self, tid, action, body=None):
        return self.ok(self.s.api("POST", "/tickets/%d/actions/%s" % (tid, action), body or {},
                                  self.admin))

    def overdue_ids(self):
        page = self.ok(self.s.api("GET", "/tickets?overdue=1&project_id=%d" % self.o["p1"],
                                  token=self.admin))
        return [t["id"] for t in page["items"]]

    def sweep(self, when):
        iso = datetime.datetime.fromtimestamp(when, TZ).isoformat()
        r = self.s.cli("jobs", "run", "sweep", "--now", iso)
        self.assertEqual(r.returncode, 0, r.stderr + r.stdout)

    def events(self, tid, action):
        return [e for e in self.ticket(tid)["events"] if e["action"] == action]

    def test_turn_of_the_year(self):
        s, o = self.s, self.o
        # Filed, not refused: the 3-workday resolve target reaches into 2027.
        r = s.api("POST", "/tickets", {"project_id": o["p1"], "kind": "complaint",
                                       "priority": "normal", "category": "噪音/装修噪音",
                                       "title": "楼上装修噪音", "channel": "phone"}, self.admin)
        self.assertEqual(r.status, 201, r.raw)
        tid = r.json["id"]
        m = self.sla(tid)
        self.assertEqual(m["resolve"]["state"], "unplanned")
        self.assertIsNone(m["resolve"]["due_at"])
        self.assertEqual(m["respond"]["due_at"], "2026-12-30T10:15:00+08:00")
        self.assertEqual(m["contact"]["due_at"], "2026-12-30T22:00:00+08:00")
        self.assertEqual(r.json["next_due_at"], "2026-12-30T10:15:00+08:00")
        # a repair timed in hours is untouched by the missing year
        r = s.api("POST", "/tickets", {"project_id": o["p1"], "kind": "repair",
                                       "category": "水电/漏水", "title": "水管漏水",
                                       "channel": "phone"}, self.admin)
        self.assertEqual(r.status, 201, r.raw)
        self.assertEqual({x["state"] for x in r.json["sla"]}, {"pending"})
        # meet everything but resolve
        self.act(tid, "accept")
        self.act(tid, "assign", {"assignee_id": o["technician"]})
        t = self.act(tid, "contact", {"note": "已与业主沟通"})
        self.assertIsNone(t["next_due_at"])  # only the unplanned clock is left
        self.assertFalse(t["overdue"])

        # a hold on 12-31 10:00 and a resume on 01-04 10:00, both before 2027 is known
        self.at(HELD)
        self.act(tid, "hold", {"reason": "等待业主提供装修许可证"})
        self.at(RESUMED)
        t = self.act(tid, "resume")
        resolve = {x["milestone"]: x for x in t["sla"]}["resolve"]
        self.assertEqual((resolve["state"], resolve["due_at"]), ("unplanned", None))

        # Long after any plausible due time: not overdue, not swept.
        self.at(LATER)
        self.assertNotIn(tid, self.overdue_ids())
        self.sweep(LATER)
        self.assertEqual(self.events(tid, "breach"), [])
        self.assertEqual(self.events(tid, "escalate"), [])

        # A holiday set by hand does not complete the target: still waiting.
        self.ok(s.api("PUT", "/calendars/1/days/2027-01-01", {"kind": "holiday", "name": "元旦"},
                      self.admin))
        self.assertEqual(self.sla(tid)["resolve"]["state"], "unplanned")

        # 2027 imported: due 3 workdays after 12-30 = 12-31, 01-04, 01-05 at
        # 18:00, pushed out by the hold's working time (12-31 10:00-18:00 and
        # 01-04 09:00-10:00 = 9 h) to 01-06 18:00; by 01-10 it is late.
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(YEAR_2027, f, ensure_ascii=False)
        try:
            r = s.cli("calendar", "import", f.name)
        finally:
            os.unlink(f.name)
        self.assertEqual(r.returncode, 0, r.stderr + r.stdout)
        resolve = self.sla(tid)["resolve"]
        self.assertEqual(resolve["due_at"], "2027-01-06T18:00:00+08:00")
        self.assertEqual(resolve["state"], "breached")
        self.assertIn(tid, self.overdue_ids())
        self.sweep(LATER)
        self.assertEqual(len(self.events(tid, "breach")), 1)
        self.sweep(LATER + 60)
        self.assertEqual(len(self.events(tid, "breach")), 1)
        # the import and the hand-set day are audited and the chain holds
        cli = s.cli("audit", "verify")
        self.assertEqual(cli.returncode, 0, cli.stderr + cli.stdout)
