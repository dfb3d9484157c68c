"""HTTP basics: errors, limits, headers, JSON strictness."""
import json
import re

from lib import ServerTest


class Basics(ServerTest):
    def test_healthz_and_request_id(self):
        r = self.s.request("GET", "/healthz")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json, {"status": "ok"})
        rid = r.header("X-Request-Id")
        self.assertTrue(rid and len(rid) >= 8)
        self.assertNotEqual(rid, self.s.request("GET", "/healthz").header("X-Request-Id"))

    def test_security_headers(self):
        for path in ("/api/v1/me", "/", "/healthz"):
            r = self.s.request("GET", path)
            self.assertEqual(r.header("X-Content-Type-Options"), "nosniff")
            self.assertEqual(r.header("X-Frame-Options"), "DENY")
            self.assertIn("default-src 'self'", r.header("Content-Security-Policy"))

    def test_unknown_route_and_method(self):
        r = self.s.api("GET", "/nope", token=self.admin)
        self.fail_with(r, 404, "not_found")
        r = self.s.api("DELETE", "/projects", token=self.admin)
        self.assertEqual(r.status, 405)

    def test_unauthenticated(self):
        self.fail_with(self.s.api("GET", "/projects"), 401, "unauthenticated")
        self.fail_with(self.s.api("GET", "/projects", token="bogus"), 401, "unauthenticated")

    def test_bad_json(self):
        for raw in (b"{", b"[1,2]", b"\"x\"", b"{} trailing", b"{\"a\":1,\"a\":2}", b"",
                    b"{\"name\": \"\xff\xfe\"}", b"{\"name\": \"\xc3\x28\"}",
                    b"{\"service_level\": 1000000000000000000000000}"):
            r = self.s.api("POST", "/projects", raw=raw, token=self.admin)
            self.fail_with(r, 400, "bad_json")
            self.assertTrue(r.json["error"]["message"])

    def test_body_limit(self):
        big = b"{\"name\":\"" + b"x" * (1024 * 1024 + 10) + b"\"}"
        r = self.s.api("POST", "/projects", raw=big, token=self.admin)
        self.fail_with(r, 413, "too_large")
        # the server is still fine afterwards
        self.assertEqual(self.s.request("GET", "/healthz").status, 200)

    def test_validation_field(self):
        r = self.s.api("POST", "/projects", {"name": "无编码"}, self.admin)
        self.fail_with(r, 422, "validation_failed", "code")
        r = self.s.api("POST", "/projects", {"code": "OK1", "name": 5}, self.admin)
        self.fail_with(r, 422, "validation_failed", "name")
        r = self.s.api("POST", "/projects", {"code": "OK1", "name": "x", "service_level": "2"},
                       self.admin)
        self.fail_with(r, 422, "validation_failed", "service_level")
        r = self.s.api("POST", "/projects", {"code": "OK1", "name": "x", "service_level": 9},
                       self.admin)
        self.fail_with(r, 422, "validation_failed", "service_level")
        r = self.s.api("POST", "/projects", {"code": "OK1", "name": "x", "bogus": 1}, self.admin)
        self.fail_with(r, 422, "validation_failed", "bogus")
        r = self.s.api("POST", "/projects", {"code": "OK1", "name": "x", "timezone": "Mars/Base"},
                       self.admin)
        self.fail_with(r, 422, "validation_failed", "timezone")

    def test_text_round_trip(self):
        evil = "O'Brien \"引号\" ; DROP TABLE projects; -- \\ %_ <script>alert(1)</script> 🏠"
        r = self.s.api("POST", "/projects", {"code": "EVIL1", "name": evil, "address": evil},
                       self.admin)
        p = self.ok(r, 201)
        self.assertEqual(p["name"], evil)
        got = self.ok(self.s.api("GET", "/projects/%d" % p["id"], token=self.admin))
        self.assertEqual(got["name"], evil)
        self.assertEqual(got["address"], evil)
        # LIKE wildcards in q are literal
        items = self.ok(self.s.api("GET", "/projects?q=%25_", token=self.admin))["items"]
        self.assertEqual([i["id"] for i in items], [p["id"]])
        self.assertEqual(self.s.request("GET", "/healthz").status, 200)

    def test_query_junk(self):
        for q in ("limit=0", "limit=201", "limit=abc", "cursor=%%%", "cursor=zzzz",
                  "with_total=maybe", "active=2"):
            r = self.s.api("GET", "/projects?" + q, token=self.admin)
            self.assertEqual(r.status, 422, (q, r))
            self.assertTrue(r.field)

    def test_openapi_served(self):
        r = self.s.api("GET", "/openapi.json")
        self.assertEqual(r.status, 200)
        doc = json.loads(r.raw)
        self.assertTrue(doc["openapi"].startswith("3."))
        self.assertIn("/api/v1/projects/{id}", doc["paths"])

    def test_static_shell(self):
        # web/dist is built before the API tests run (make test depends on the
        # web build), so the shell must be there: a 404 here is a failure.
        # An app route the server does not know is the same shell (the app routes it).
        for path in ("/", "/tickets/7", "/m/"):
            r = self.s.request("GET", path)
            self.assertEqual(r.status, 200, (path, r))
            self.assertTrue(r.header("Content-Type").startswith("text/html"), (path, r.header("Content-Type")))
            self.assertEqual(r.header("Cache-Control"), "no-cache", path)
            self.assertTrue(r.raw.lstrip().lower().startswith(b"<!doctype html>"), (path, r.raw[:100]))
            self.assertIn(b'<div id="app">', r.raw, path)
            m = re.search(r'<script type="module"[^>]* src="(/assets/[^"]+\.js)"', r.raw.decode("utf-8"))
            self.assertTrue(m, r.raw)
        # and the shell's entry script is served with it
        js = self.s.request("GET", m.group(1))
        self.assertEqual(js.status, 200, m.group(1))
        self.assertIn("javascript", js.header("Content-Type"))
        r = self.s.request("GET", "/../../etc/passwd")
        self.assertNotIn(b"root:", r.raw)
        r = self.s.request("GET", "/assets/missing-file.js")
        self.assertEqual(r.status, 404)

    def test_metrics(self):
        self.s.request("GET", "/healthz")
        r = self.s.request("GET", "/metrics", token=self.admin)
        self.assertEqual(r.status, 200)
        text = r.raw.decode()
        self.assertIn('anju_http_requests_total{route="/healthz",status="200"}', text)
        self.assertIn("anju_http_request_duration_ms_bucket", text)
