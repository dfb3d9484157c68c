"""Issue 11, items 8, 10 and 11: JSON bodies only as application/json (a cross-site
form cannot log a victim in), the session cookie Secure behind TLS, /metrics behind
a token or an admin session, uploads that must decode (no HTML behind JPEG magic,
no PDF with scripts), files revalidated instead of cached for a year, /readyz."""
import http.client
import json
import os
import subprocess
import unittest

from lib import ADMIN_PW, BIN, ServerTest, make_org
from core.test_files import BOUNDARY, JPEG, PDF, WEBP, form, png_1x1

METRICS_TOKEN = "scrape-Token-0123456789abcdef"


def raw_request(server, method, path, body, headers, source=None):
    """A request with exactly these headers (lib.request adds a JSON type)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60,
                                      source_address=(source, 0) if source else None)
    conn.putrequest(method, path)
    for k, v in headers.items():
        conn.putheader(k, v)
    conn.putheader("Content-Length", str(len(body)))
    conn.endheaders(body)
    r = conn.getresponse()
    status, hdrs, data = r.status, r.getheaders(), r.read()
    conn.close()
    return status, dict((k.lower(), v) for k, v in hdrs), data


class ContentTypes(ServerTest):
    """A plain-http server that trusts X-Forwarded-Proto from 127.0.0.2 only."""
    server_env = {"ANJU_TRUSTED_PROXY": "127.0.0.2"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.o = make_org(cls.s, cls.admin)

    def login_raw(self, body, ctype, source=None, extra=None):
        h = {"Content-Type": ctype} if ctype is not None else {}
        h.update(extra or {})
        return raw_request(self.s, "POST", "/api/v1/auth/login", body, h, source)

    def test_form_encoded_login_is_415(self):
        creds = {"username": "admin", "password": ADMIN_PW}
        as_json = json.dumps(creds).encode()
        for ctype, body in (
                ("application/x-www-form-urlencoded", b"username=admin&password=" + ADMIN_PW.encode()),
                # what <form enctype="text/plain"> makes of a JSON-looking field name
                ("text/plain", as_json), ("text/plain; charset=utf-8", as_json),
                ("multipart/form-data; boundary=x", as_json),
                ("application/json; charset=iso-8859-1", as_json),
                ("application/jsonp", as_json), ("application/json-patch+json", as_json),
                (None, as_json)):
            status, h, data = self.login_raw(body, ctype)
            self.assertEqual(status, 415, (ctype, data))
            err = json.loads(data)["error"]
            self.assertEqual(err["code"], "unsupported_media_type", ctype)
            self.assertIn("application/json", err["message"])
            self.assertIsNone(h.get("set-cookie"), ctype)
        for ctype in ("application/json", "application/json; charset=utf-8",
                      "Application/JSON;charset=UTF-8", 'application/json; charset="utf-8"'):
            status, h, data = self.login_raw(as_json, ctype)
            self.assertEqual(status, 200, (ctype, data))

    def test_every_json_route_wants_the_type(self):
        # a logged-in write with a form type: refused before anything is read
        status, _, data = raw_request(
            self.s, "POST", "/api/v1/projects",
            json.dumps({"code": "X415", "name": "x", "address": "", "service_level": 1}).encode(),
            {"Content-Type": "text/plain", "Authorization": "Bearer " + self.admin})
        self.assertEqual(status, 415, data)
        r = self.s.api("GET", "/projects?limit=200", token=self.admin)
        self.assertNotIn("X415", [p["code"] for p in r.json["items"]])
        # an empty body on a route whose body is optional needs no type
        r = self.s.request("POST", "/api/v1/notifications/read-all", token=self.admin,
                           headers={"Content-Type": "text/plain"}, raw=b"")
        self.assertEqual(r.status, 200, r)

    def test_cookie_not_secure_over_plain_http(self):
        status, h, _ = self.login_raw(json.dumps({"username": "admin", "password": ADMIN_PW}).encode(),
                                      "application/json")
        self.assertEqual(status, 200)
        self.assertIn("HttpOnly", h["set-cookie"])
        self.assertNotIn("Secure", h["set-cookie"])

    def test_forwarded_proto_only_from_the_trusted_proxy(self):
        body = json.dumps({"username": "admin", "password": ADMIN_PW}).encode()
        https = {"X-Forwarded-Proto": "https"}
        # any client can send the header: from 127.0.0.1 it is not believed
        _, h, _ = self.login_raw(body, "application/json", source="127.0.0.1", extra=https)
        self.assertNotIn("Secure", h["set-cookie"])
        # the configured proxy is believed, and only for https
        _, h, _ = self.login_raw(body, "application/json", source="127.0.0.2", extra=https)
        self.assertIn("; Secure", h["set-cookie"])
        _, h, _ = self.login_raw(body, "application/json", source="127.0.0.2",
                                 extra={"X-Forwarded-Proto": "http"})
        self.assertNotIn("Secure", h["set-cookie"])

    # /metrics without a configured token: admin sessions only ----------------
    def test_metrics_need_an_admin_session(self):
        r = self.s.request("GET", "/metrics")
        self.fail_with(r, 401, "unauthenticated")
        self.assertNotIn(b"anju_tickets_open", r.raw)
        for role in ("manager", "quality", "desk", "r1"):
            self.fail_with(self.s.request("GET", "/metrics", token=self.o[role + "_token"]),
                           403, "forbidden")
        r = self.s.request("GET", "/metrics", token=self.admin)
        self.assertEqual(r.status, 200, r)
        self.assertIn(b"anju_http_requests_total", r.raw)
        # an admin's browser session (cookie) works too
        r = self.s.request("GET", "/metrics", cookie=self.admin)
        self.assertEqual(r.status, 200, r)
        self.fail_with(self.s.request("GET", "/metrics", token=METRICS_TOKEN), 401,
                       "unauthenticated")

    # uploads must decode --------------------------------------------------------
    def upload(self, data):
        body = form([("file", "a.jpg", "image/jpeg", data)])
        return self.s.api("POST", "/files", token=self.o["desk_token"], raw=body,
                          headers={"Content-Type": "multipart/form-data; boundary=" + BOUNDARY})

    def test_html_behind_jpeg_magic_is_refused(self):
        html = (b"\xff\xd8\xff\xe0<!DOCTYPE html><html><body><script>"
                b"fetch('/api/v1/me').then(r=>r.text()).then(alert)</script></body></html>\n")
        self.fail_with(self.upload(html), 422, "validation_failed", "file")
        self.fail_with(self.upload(JPEG[:150]), 422, "validation_failed", "file")
        png = bytearray(png_1x1())
        png[16:20] = b"\x00\x00\x00\x00"  # width 0 (and its CRC no longer matches)
        self.fail_with(self.upload(bytes(png)), 422, "validation_failed", "file")
        self.fail_with(self.upload(WEBP[:24]), 422, "validation_failed", "file")
        for good in (JPEG, png_1x1(), WEBP):
            self.ok(self.upload(good), 201)

    def test_pdf_with_javascript_is_refused(self):
        for pdf in (b"%PDF-1.4\n1 0 obj <</Type /Catalog /OpenAction 2 0 R>> endobj\n"
                    b"2 0 obj <</S /JavaScript /JS (app.alert(1))>> endobj\n%%EOF\n",
                    b"%PDF-1.4\n1 0 obj <</Type/Catalog/OpenAction<</S/J#61vaScript/J#53(x)>>>>"
                    b" endobj\n%%EOF\n",
                    b"%PDF-1.4\n1 0 obj <</Type /Catalog /AA <</O <</S /Launch /F (cmd.exe)>> >> >>"
                    b" endobj\n%%EOF\n"):
            r = self.upload(pdf)
            self.fail_with(r, 422, "validation_failed", "file")
        # a plain PDF is kept, and served only as a download
        f = self.ok(self.upload(PDF), 201)
        r = self.s.api("GET", "/files/%d" % f["id"], token=self.o["desk_token"])
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("Content-Disposition").startswith("attachment"), r.headers)

    def test_files_are_revalidated_not_cached_for_a_year(self):
        f = self.ok(self.upload(png_1x1((9, 8, 7))), 201)
        path = "/files/%d" % f["id"]
        r = self.s.api("GET", path, token=self.o["desk_token"])
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("Cache-Control"), "private, no-cache")
        self.assertNotIn("immutable", r.header("Cache-Control"))
        etag = r.header("ETag")
        self.assertEqual(etag, '"%s"' % f["sha256"])
        self.assertIn("sandbox", " ".join(r.headers_all("Content-Security-Policy")))
        for inm in (etag, "W/" + etag, '"other", ' + etag, "*"):
            r = self.s.api("GET", path, token=self.o["desk_token"], headers={"If-None-Match": inm})
            self.assertEqual((r.status, r.raw), (304, b""), inm)
            self.assertEqual(r.header("Cache-Control"), "private, no-cache")
        r = self.s.api("GET", path, token=self.o["desk_token"], headers={"If-None-Match": '"x"'})
        self.assertEqual(r.status, 200)
        # revalidation is where revoked access shows: whoever may not see it gets 404
        r = self.s.api("GET", path, token=self.o["r1_token"], headers={"If-None-Match": etag})
        self.fail_with(r, 404, "not_found")

    # health --------------------------------------------------------------------
    def test_readyz_and_healthz_when_healthy(self):
        for path in ("/healthz", "/readyz"):
            r = self.s.request("GET", path)
            self.assertEqual((r.status, r.json), (200, {"status": "ok"}), path)


class BehindTls(ServerTest):
    """A server told its public URL is https, with a metrics token."""
    server_env = {"ANJU_PUBLIC_URL": "https://anju.example.com",
                  "ANJU_METRICS_TOKEN": METRICS_TOKEN}

    def test_cookie_is_secure(self):
        r = self.s.api("POST", "/auth/login", {"username": "admin", "password": ADMIN_PW})
        self.assertEqual(r.status, 200, r)
        cookie = r.header("Set-Cookie")
        for attr in ("HttpOnly", "SameSite=Lax", "; Secure"):
            self.assertIn(attr, cookie)

    def test_metrics_want_the_token(self):
        r = self.s.request("GET", "/metrics", headers={"Authorization": "Bearer " + METRICS_TOKEN})
        self.assertEqual(r.status, 200, r)
        self.assertIn(b"anju_http_requests_total", r.raw)
        for auth in (None, "Bearer " + METRICS_TOKEN[:-1], "Bearer " + METRICS_TOKEN + "x",
                     "Basic " + METRICS_TOKEN, "Bearer " + self.admin):
            r = self.s.request("GET", "/metrics", headers={"Authorization": auth} if auth else {})
            self.fail_with(r, 401, "unauthenticated")
            self.assertEqual(r.header("WWW-Authenticate"), 'Bearer realm="metrics"')


class Settings(unittest.TestCase):
    def test_bad_settings_are_refused_at_start(self):
        for args in (["--metrics-token", "short"], ["--public-url", "anju.example.com"],
                     ["--public-url"]):
            p = subprocess.run([BIN, "serve"] + args, capture_output=True, text=True, timeout=60,
                               env=dict(os.environ, ANJU_DB="sqlite:/nonexistent/x.db"))
            self.assertEqual(p.returncode, 2, (args, p.stderr))
            self.assertIn("anju:", p.stderr)
