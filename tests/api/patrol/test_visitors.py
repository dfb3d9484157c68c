"""The visitors' register (外来人员登记, issue 13): the guard registers a visitor at the gate;
a resident pre-registers one for their room and gets a 6-digit pass code, which the guard
checks (once: a used code is refused); arrive and leave once each; the day's register with
the shares of visits pre-registered and registered at the gate; scope and bad input."""
import datetime
import time

from lib import ServerTest, db_exec, db_query, make_org

SH = datetime.timezone(datetime.timedelta(hours=8))


def rfc(t):
    return datetime.datetime.fromtimestamp(t, SH).isoformat()


class Visitors(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.o = make_org(cls.s, cls.admin)

    def gate(self, body, token=None, status=201):
        return self.ok(self.s.api("POST", "/visitors", body, token or self.o["guard_token"]), status)

    def test_gate_preregistration_code_and_the_day(self):
        o, guard = self.o, self.o["guard_token"]
        day_of = lambda t: datetime.datetime.fromtimestamp(t, SH).date()
        if day_of(time.time()) != day_of(time.time() + 120):
            time.sleep(150)  # a minute before midnight at the project: start on the new day
        p1, room = o["p1"], o["p1_rooms"][0]
        g = self.gate({"project_id": p1, "name": "快递员张师傅", "phone": "13912345678",
                       "purpose": "送快递", "plate": "沪a·12345"})
        self.assertEqual((g["source"], g["state"]), ("gate", "in"))
        self.assertEqual(g["plate"], "沪A12345")
        self.assertIsNotNone(g["arrived_at"])
        self.assertNotIn("code", g)
        # the resident pre-registers a guest for their room, expected today (a minute from
        # now, so the day's register holds them at any hour): a pass code for them alone
        pre = self.ok(self.s.api("POST", "/me/visitors", {"room_id": room, "name": "李阿姨",
                                                          "expected_at": rfc(time.time() + 60),
                                                          "plate": "苏E88888"}, o["r1_token"]), 201)
        self.assertRegex(pre["code"], r"^\d{6}$")
        self.assertEqual((pre["source"], pre["state"], pre["room"]), ("resident", "expected", "1栋 1单元 101"))
        mine = self.ok(self.s.api("GET", "/me/visitors", token=o["r1_token"]))["items"]
        self.assertEqual([(v["id"], v["code"]) for v in mine], [(pre["id"], pre["code"])])
        # the register shows the expected guest, never the code
        day = self.ok(self.s.api("GET", "/visitors?project_id=%d" % p1, token=guard))
        self.assertEqual({v["id"] for v in day["items"]}, {g["id"], pre["id"]})
        self.assertTrue(all("code" not in v for v in day["items"]))
        self.assertEqual(day["summary"]["expected"], 1)
        # a wrong code, then the right one by code alone; it is spent
        wrong = "%06d" % ((int(pre["code"]) + 1) % 1000000)
        r = self.s.api("POST", "/visitors/%d/actions/arrive" % pre["id"], {"code": wrong}, guard)
        self.fail_with(r, 422, "validation_failed")
        self.assertEqual(r.field, "code")
        v = self.ok(self.s.api("POST", "/visitors/actions/arrive", {"code": pre["code"], "project_id": p1}, guard))
        self.assertEqual((v["id"], v["state"]), (pre["id"], "in"))
        r = self.s.api("POST", "/visitors/actions/arrive", {"code": pre["code"], "project_id": p1}, guard)
        self.fail_with(r, 422, "validation_failed")
        r = self.s.api("POST", "/visitors/%d/actions/arrive" % pre["id"], {"code": pre["code"]}, guard)
        self.fail_with(r, 409, "conflict")
        # leave once
        left = self.ok(self.s.api("POST", "/visitors/%d/actions/leave" % g["id"], {}, guard))
        self.assertEqual(left["state"], "left")
        self.fail_with(self.s.api("POST", "/visitors/%d/actions/leave" % g["id"], {}, guard), 409, "conflict")
        # the day: two came, one pre-registered, one at the gate, one still inside
        s = self.ok(self.s.api("GET", "/visitors?project_id=%d" % p1, token=guard))["summary"]
        self.assertEqual((s["total"], s["arrived"], s["inside"], s["pre_registered"], s["at_gate"], s["expected"]),
                         (2, 2, 1, 1, 1, 0))
        self.assertEqual((s["share_pre_registered"], s["share_at_gate"]), (0.5, 0.5))
        # yesterday's register is another day; the audit keeps no phone
        yday = (datetime.datetime.now(SH) - datetime.timedelta(days=1)).strftime("%Y-%m-%d")
        self.assertEqual(self.ok(self.s.api("GET", "/visitors?project_id=%d&day=%s" % (p1, yday), token=guard))["items"], [])
        rows = db_query(self.s, "SELECT change FROM audit_log WHERE entity = 'visitor'")
        self.assertTrue(rows)
        self.assertFalse([r for r in rows if "13912345678" in str(r)])

    def test_bad_input_and_scope(self):
        o, guard = self.o, self.o["guard_token"]
        p1 = o["p1"]
        for body, field in (({"project_id": p1}, "name"),
                            ({"project_id": p1, "name": "王", "phone": "12345"}, "phone"),
                            ({"project_id": p1, "name": "王", "room_id": o["p2_rooms"][0]}, "room_id"),
                            ({"project_id": p1, "name": "王", "plate": "X" * 17}, "plate"),
                            ({"project_id": p1, "name": "王", "expected_at": rfc(time.time())}, "expected_at"),
                            ({"project_id": p1, "name": "王", "badge": 1}, None)):
            r = self.s.api("POST", "/visitors", body, guard)
            self.fail_with(r, 422, "validation_failed")
            if field:
                self.assertEqual(r.field, field, body)
        # a technician keeps no register; a resident cannot register at the gate
        self.fail_with(self.s.api("POST", "/visitors", {"project_id": p1, "name": "王"}, o["technician_token"]),
                       403, "forbidden")
        self.fail_with(self.s.api("POST", "/visitors", {"project_id": p1, "name": "王"}, o["r1_token"]),
                       403, "forbidden")
        # another project's register is not there for p1's guard
        self.fail_with(self.s.api("GET", "/visitors?project_id=%d" % o["p2"], token=guard), 404, "not_found")
        self.fail_with(self.s.api("GET", "/visitors", token=guard), 422, "validation_failed")
        # a resident pre-registers only for their own room, within 30 days
        r = self.s.api("POST", "/me/visitors", {"room_id": o["p2_rooms"][0], "name": "赵",
                                               "expected_at": rfc(time.time() + 600)}, o["r1_token"])
        self.fail_with(r, 404, "not_found")
        r = self.s.api("POST", "/me/visitors", {"room_id": o["p1_rooms"][0], "name": "赵",
                                               "expected_at": rfc(time.time() + 40 * 86400)}, o["r1_token"])
        self.fail_with(r, 422, "validation_failed")
        self.assertEqual(r.field, "expected_at")
        self.fail_with(self.s.api("POST", "/me/visitors", {"name": "赵", "expected_at": rfc(time.time())},
                                  o["r1_token"]), 422, "validation_failed")
        self.fail_with(self.s.api("GET", "/me/visitors", token=guard), 403, "forbidden")
        # p2's guard... none: p1's guard cannot check in p2's visit by its id
        pre = self.ok(self.s.api("POST", "/me/visitors", {"room_id": o["p2_rooms"][0], "name": "钱",
                                                          "expected_at": rfc(time.time() + 600)}, o["r3_token"]), 201)
        r = self.s.api("POST", "/visitors/%d/actions/arrive" % pre["id"], {"code": pre["code"]}, guard)
        self.fail_with(r, 404, "not_found")
        r = self.s.api("POST", "/visitors/actions/arrive", {"code": "12ab56", "project_id": p1}, guard)
        self.fail_with(r, 422, "validation_failed")
        # leaving before arriving is a conflict (by an admin, who sees p2)
        self.fail_with(self.s.api("POST", "/visitors/%d/actions/leave" % pre["id"], {}, self.admin), 409, "conflict")
        # an expired pass code: a day past its expected time
        db_exec(self.s, "UPDATE visitors SET expected_at = expected_at - 3 * 86400 WHERE id = %d" % pre["id"])
        r = self.s.api("POST", "/visitors/%d/actions/arrive" % pre["id"], {"code": pre["code"]}, self.admin)
        self.fail_with(r, 422, "validation_failed")
        self.assertIn("过期", r.json["error"]["message"])
