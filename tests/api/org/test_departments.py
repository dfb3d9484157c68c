"""Departments (部门) as records (issue 12 item 0): GET|POST /departments,
PATCH /departments/{id}; staff take department_id, and a department name (or
one of the old short words) is matched to a record; existing staff move in
place when migration 011 runs."""
import glob
import os
import sqlite3
import subprocess
import unittest
import uuid

from lib import ADMIN_PW, BACKEND, PW, Server, ServerTest, db_query

SEEDED = [("客服部", "desk"), ("工程部", "engineering"), ("秩序部", "security"),
          ("保洁部", "cleaning"), ("绿化部", "greening"), ("品质部", "quality"),
          ("管理处", "management")]
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")


class DepartmentsTest(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s, admin = cls.s, cls.admin
        r = s.api("POST", "/projects", {"code": "DP" + uuid.uuid4().hex[:4].upper(),
                                        "name": "部门测试", "address": "上海"}, admin)
        assert r.status == 201, r
        cls.p = r.json["id"]
        cls.tokens = {}
        for role in ("manager", "quality", "desk", "technician"):
            u = "d_" + role
            r = s.api("POST", "/staff", {"username": u, "password": PW, "name": "部门" + role,
                                         "role": role, "project_ids": [cls.p]}, admin)
            assert r.status == 201, r
            cls.tokens[role] = s.login(u, PW)

    def departments(self, query="", token=None):
        r = self.s.api("GET", "/departments?limit=200" + query, token=token or self.admin)
        return self.ok(r)["items"]

    def dept(self, name):
        return next(d for d in self.departments() if d["name"] == name and d["active"])

    def create(self, body, status=201):
        return self.ok(self.s.api("POST", "/departments", body, self.admin), status)

    def staff(self, username, **body):
        b = {"username": username, "password": PW, "name": username, "role": "technician"}
        b.update(body)
        return self.s.api("POST", "/staff", b, self.admin)

    def audit(self, entity_id, action):
        return db_query(self.s, "SELECT change FROM audit_log WHERE entity = 'department'"
                             " AND entity_id = %d AND action = '%s'" % (entity_id, action))

    def test_the_seven_are_seeded(self):
        items = self.departments()
        seeded = [(d["name"], d["function"]) for d in items[:7]]
        self.assertEqual(seeded, SEEDED)
        for d in items[:7]:
            self.assertIsNone(d["parent_id"])
            self.assertTrue(d["active"])
            self.assertEqual(set(d), {"id", "name", "function", "parent_id", "active",
                                      "created_at", "updated_at"})
        self.assertEqual([d["name"] for d in self.departments("&function=quality")], ["品质部"])
        self.fail_with(self.s.api("GET", "/departments?function=finance", token=self.admin),
                       422, "validation_failed", "function")

    def test_security_and_a_child_under_it(self):
        sec = self.create({"name": "安保部", "function": "security"})
        self.assertEqual((sec["name"], sec["function"], sec["parent_id"], sec["active"]),
                         ("安保部", "security", None, True))
        env = self.create({"name": "环境部", "function": "cleaning", "parent_id": sec["id"]})
        self.assertEqual(env["parent_id"], sec["id"])
        self.assertEqual(len(self.audit(sec["id"], "create")), 1)
        self.assertIn(env["id"], [d["id"] for d in self.departments()])
        # the same name again, among active departments: a conflict on the name
        r = self.s.api("POST", "/departments", {"name": "安保部", "function": "security"}, self.admin)
        self.fail_with(r, 409, "conflict", "name")
        # a parent cycle, and the department as its own parent
        r = self.s.api("PATCH", "/departments/%d" % sec["id"], {"parent_id": env["id"]}, self.admin)
        self.fail_with(r, 422, "validation_failed", "parent_id")
        r = self.s.api("PATCH", "/departments/%d" % sec["id"], {"parent_id": sec["id"]}, self.admin)
        self.fail_with(r, 422, "validation_failed", "parent_id")
        grand = self.create({"name": "环境一组", "function": "greening", "parent_id": env["id"]})
        r = self.s.api("PATCH", "/departments/%d" % sec["id"], {"parent_id": grand["id"]}, self.admin)
        self.fail_with(r, 422, "validation_failed", "parent_id")
        self.assertIsNone(self.dept("安保部")["parent_id"])  # nothing written
        # moving a child under another top-level department is fine, and back to the top
        moved = self.ok(self.s.api("PATCH", "/departments/%d" % grand["id"],
                                   {"parent_id": self.dept("工程部")["id"]}, self.admin))
        self.assertEqual(moved["parent_id"], self.dept("工程部")["id"])
        top = self.ok(self.s.api("PATCH", "/departments/%d" % grand["id"], {"parent_id": None},
                                 self.admin))
        self.assertIsNone(top["parent_id"])
        self.assertEqual(len(self.audit(grand["id"], "update")), 2)
        # a parent with an active child stays on the chart
        r = self.s.api("PATCH", "/departments/%d" % sec["id"], {"active": False}, self.admin)
        self.fail_with(r, 422, "validation_failed", "active")

    def test_bad_input(self):
        for body, field in (({"name": "财务部", "function": "finance"}, "function"),
                            ({"name": "财务部"}, "function"),
                            ({"function": "desk"}, "name"),
                            ({"name": "", "function": "desk"}, "name"),
                            ({"name": "财务部", "function": "desk", "parent_id": 999999}, "parent_id"),
                            ({"name": "财务部", "function": "desk", "parent_id": "1"}, "parent_id"),
                            ({"name": "财务部", "function": "desk", "budget": 1}, "budget")):
            with self.subTest(body=body):
                self.fail_with(self.s.api("POST", "/departments", body, self.admin),
                               422, "validation_failed", field)
        self.assertNotIn("财务部", [d["name"] for d in self.departments()])
        desk = self.dept("客服部")
        r = self.s.api("PATCH", "/departments/%d" % desk["id"], {"function": "sales"}, self.admin)
        self.fail_with(r, 422, "validation_failed", "function")
        r = self.s.api("PATCH", "/departments/%d" % desk["id"], {"name": "工程部"}, self.admin)
        self.fail_with(r, 409, "conflict", "name")
        self.fail_with(self.s.api("PATCH", "/departments/999999", {"name": "x"}, self.admin),
                       404, "not_found")

    def test_who_may(self):
        for role in ("manager", "quality", "desk"):
            with self.subTest(role=role):
                tok = self.tokens[role]
                self.assertEqual(len(self.departments(token=tok)) >= 7, True)
                r = self.s.api("POST", "/departments", {"name": "某部" + role, "function": "desk"}, tok)
                self.fail_with(r, 403, "forbidden")
                r = self.s.api("PATCH", "/departments/%d" % self.dept("客服部")["id"],
                               {"name": "前台"}, tok)
                self.fail_with(r, 403, "forbidden")
        self.fail_with(self.s.api("GET", "/departments", token=self.tokens["technician"]),
                       403, "forbidden")
        self.fail_with(self.s.api("GET", "/departments"), 401, "unauthenticated")
        self.assertEqual(self.dept("客服部")["name"], "客服部")

    def test_staff_by_name_old_word_and_id(self):
        eng = self.dept("工程部")
        a = self.ok(self.staff("eng_full", department="工程部"), 201)
        b = self.ok(self.staff("eng_word", department="工程"), 201)
        c = self.ok(self.staff("eng_id", department_id=eng["id"]), 201)
        for st in (a, b, c):
            self.assertEqual((st["department_id"], st["department"], st["department_function"]),
                             (eng["id"], "工程部", "engineering"), st)
        # 管理 is 管理处, not a 管理部 nobody has
        m = self.ok(self.staff("mgmt_word", role="manager", department="管理", project_ids=[self.p]), 201)
        self.assertEqual(m["department"], "管理处")
        # name and id together must agree
        d = self.ok(self.staff("eng_both", department="工程部", department_id=eng["id"]), 201)
        self.assertEqual(d["department_id"], eng["id"])
        for body, field in (({"department": "财务部"}, "department"),
                            ({"department": "财务"}, "department"),
                            ({"department_id": 999999}, "department_id"),
                            ({"department_id": "工程部"}, "department_id"),
                            ({"department": "客服部", "department_id": eng["id"]}, "department")):
            with self.subTest(body=body):
                self.fail_with(self.staff("bad_" + uuid.uuid4().hex[:6], **body),
                               422, "validation_failed", field)
        # PATCH: to another department by name, to none, back by id
        sec = self.create({"name": "安保二部", "function": "security"})
        p = self.ok(self.s.api("PATCH", "/staff/%d" % a["id"], {"department": "安保二部"}, self.admin))
        self.assertEqual((p["department_id"], p["department"], p["department_function"]),
                         (sec["id"], "安保二部", "security"))
        p = self.ok(self.s.api("PATCH", "/staff/%d" % a["id"], {"department_id": None}, self.admin))
        self.assertEqual((p["department_id"], p["department"], p["department_function"]),
                         (None, "", None))
        p = self.ok(self.s.api("PATCH", "/staff/%d" % a["id"], {"department_id": eng["id"]}, self.admin))
        self.assertEqual(p["department"], "工程部")
        self.fail_with(self.s.api("PATCH", "/staff/%d" % a["id"], {"department": "不存在部"}, self.admin),
                       422, "validation_failed", "department")
        self.assertEqual(self.ok(self.s.api("GET", "/staff/%d" % a["id"], token=self.admin))["department"],
                         "工程部")
        # the list filter: a name, the old word, or the id
        ids = {a["id"], b["id"], c["id"], d["id"]}
        for q in ("department=工程部", "department=工程", "department_id=%d" % eng["id"]):
            with self.subTest(filter=q):
                got = self.ok(self.s.api("GET", "/staff?limit=200&" + q, token=self.admin))["items"]
                self.assertEqual({s["id"] for s in got} & (ids | {m["id"]}), ids)
                self.assertTrue(all(s["department_id"] == eng["id"] for s in got))
        got = self.ok(self.s.api("GET", "/staff?department=安保二部&department_id=%d" % eng["id"],
                                 token=self.admin))["items"]
        self.assertEqual(got, [])
        self.fail_with(self.s.api("GET", "/staff?department=财务", token=self.admin),
                       422, "validation_failed", "department")

    def test_deactivating_needs_an_empty_department(self):
        dep = self.create({"name": "综合管理部", "function": "management"})
        st = self.ok(self.staff("zonghe", role="desk", department="综合管理部"), 201)
        r = self.s.api("PATCH", "/departments/%d" % dep["id"], {"active": False}, self.admin)
        self.fail_with(r, 422, "validation_failed", "active")
        self.assertTrue(self.dept("综合管理部")["active"])
        # a deactivated member does not hold it
        self.ok(self.s.api("PATCH", "/staff/%d" % st["id"], {"active": False}, self.admin))
        off = self.ok(self.s.api("PATCH", "/departments/%d" % dep["id"], {"active": False}, self.admin))
        self.assertFalse(off["active"])
        self.assertEqual(len(self.audit(dep["id"], "deactivate")), 1)
        # nobody joins it now, and its member cannot come back into it
        self.fail_with(self.staff("zonghe2", department="综合管理部"), 422, "validation_failed",
                       "department")
        self.fail_with(self.staff("zonghe3", department_id=dep["id"]), 422, "validation_failed",
                       "department_id")
        r = self.s.api("PATCH", "/staff/%d" % st["id"], {"active": True}, self.admin)
        self.fail_with(r, 422, "validation_failed", "department_id")
        back = self.ok(self.s.api("PATCH", "/staff/%d" % st["id"],
                                  {"active": True, "department": "客服部"}, self.admin))
        self.assertEqual(back["department"], "客服部")
        # its name is free for a new department; the old one then cannot come back
        again = self.create({"name": "综合管理部", "function": "management"})
        self.assertNotEqual(again["id"], dep["id"])
        r = self.s.api("PATCH", "/departments/%d" % dep["id"], {"active": True}, self.admin)
        self.fail_with(r, 409, "conflict", "name")
        self.assertEqual(self.departments("&active=0")[-1]["id"], dep["id"])

    def test_rename_keeps_staff_and_the_old_column(self):
        dep = self.create({"name": "绿化二部", "function": "greening"})
        st = self.ok(self.staff("lvhua", role="cleaner", department_id=dep["id"]), 201)
        self.assertEqual(st["department"], "绿化二部")
        new = self.ok(self.s.api("PATCH", "/departments/%d" % dep["id"],
                                 {"name": "园林部", "function": "greening"}, self.admin))
        self.assertEqual(new["name"], "园林部")
        got = self.ok(self.s.api("GET", "/staff/%d" % st["id"], token=self.admin))
        self.assertEqual((got["department_id"], got["department"]), (dep["id"], "园林部"))
        self.assertEqual(db_query(self.s, "SELECT department, department_id FROM users WHERE id = %d"
                               % st["id"]), [("园林部", str(dep["id"]))])
        # a changed function shows on its staff at once
        self.ok(self.s.api("PATCH", "/departments/%d" % dep["id"], {"function": "cleaning"}, self.admin))
        got = self.ok(self.s.api("GET", "/staff/%d" % st["id"], token=self.admin))
        self.assertEqual(got["department_function"], "cleaning")

    def test_the_command_line_and_the_bootstrap_admin(self):
        me = self.ok(self.s.api("GET", "/staff?role=admin", token=self.admin))["items"][0]
        self.assertEqual((me["department"], me["department_function"]), ("管理处", "management"))
        out = self.s.cli("user", "add", "--username", "cli_eng", "--role", "technician",
                         "--department", "工程", stdin=PW + "\n")
        self.assertEqual(out.returncode, 0, out.stderr)
        got = self.ok(self.s.api("GET", "/staff?q=cli_eng", token=self.admin))["items"]
        self.assertEqual([(s["department"], s["department_function"]) for s in got],
                         [("工程部", "engineering")])
        out = self.s.cli("user", "add", "--username", "cli_bad", "--role", "technician",
                         "--department", "财务部", stdin=PW + "\n")
        self.assertEqual(out.returncode, 1)
        self.assertIn("department", out.stderr)


class OldStaffServer(Server):
    """A server whose database was made by migrations 001–010 (before
    departments were records) and holds staff with the old short words."""

    OLD = [("old_desk", "desk", "客服"), ("old_tech", "technician", "工程"),
           ("old_guard", "guard", "秩序"), ("old_clean", "cleaner", "保洁"),
           ("old_green", "cleaner", "绿化"), ("old_qa", "quality", "品质"),
           ("old_boss", "manager", "管理"), ("old_none", "technician", "")]

    def start(self):
        if not getattr(self, "prepared", False):
            self.prepared = True
            self.prepare()
        super().start()

    def prepare(self):
        be = "pg" if BACKEND == "pg" else "sqlite"
        files = sorted(f for f in glob.glob(os.path.join(ROOT, "src/db/schema", be, "*.sql"))
                       if int(os.path.basename(f).split("_")[0]) <= 10)
        rows = ["('%s', NULL, '%s', '%s', '%s', 1, 1, 0)" % (u, role, u, dept)
                for u, role, dept in self.OLD]
        tail = ("CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL,"
                " applied_at BIGINT NOT NULL);\n" +
                "".join("INSERT INTO schema_migrations VALUES (%d, '%s', 0);\n"
                        % (int(os.path.basename(f).split("_")[0]),
                           os.path.basename(f)[:-4]) for f in files) +
                "INSERT INTO users (username, password_hash, role, name, department, on_duty,"
                " created_at, updated_at) VALUES " + ", ".join(rows) + ";\n")
        sql = "".join(open(f, encoding="utf-8").read() + "\n" for f in files) + tail
        if BACKEND == "pg":
            subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", self.db], input=sql, text=True,
                           check=True, stdout=subprocess.DEVNULL)
        else:
            con = sqlite3.connect(self.db[len("sqlite:"):])
            con.executescript(sql)
            con.close()


class MigrationTest(unittest.TestCase):
    def test_old_words_move_in_place(self):
        s = OldStaffServer()
        try:
            admin = s.login("admin", ADMIN_PW)
            # the server itself ran 011 on the old database
            self.assertIn("applied migration 011_departments", s.read_log())
            self.assertNotIn("applied migration 010_", s.read_log())
            depts = {d["name"]: d["id"] for d in
                     s.api("GET", "/departments?limit=200", token=admin).json["items"]}
            self.assertEqual(list(depts), [n for n, _ in SEEDED])
            staff = {st["username"]: st for st in
                     s.api("GET", "/staff?limit=200", token=admin).json["items"]}
            want = {"old_desk": "客服部", "old_tech": "工程部", "old_guard": "秩序部",
                    "old_clean": "保洁部", "old_green": "绿化部", "old_qa": "品质部",
                    "old_boss": "管理处"}
            for u, name in want.items():
                with self.subTest(user=u):
                    self.assertEqual((staff[u]["department"], staff[u]["department_id"]),
                                     (name, depts[name]))
            self.assertEqual((staff["old_none"]["department"], staff["old_none"]["department_id"]),
                             ("", None))
            self.assertEqual(staff["old_tech"]["department_function"], "engineering")
            self.assertEqual(db_query(s, "SELECT department FROM users WHERE username = 'old_boss'"),
                             [("管理处",)])
            # the bootstrap admin came after the migration, into 管理处
            self.assertEqual(staff["admin"]["department"], "管理处")
        finally:
            s.close()


if __name__ == "__main__":
    unittest.main()
