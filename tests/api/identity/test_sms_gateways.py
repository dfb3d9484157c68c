"""The SMS channel's gateway drivers (issue 11, item 6), against a local HTTP receiver.

The receiver plays the provider: it recomputes each request's signature with the
secret it shares with the server, written here from the providers' documents
(Aliyun RPC signature 1.0, Tencent Cloud TC3-HMAC-SHA256) and independent of the
C code, and answers as the provider does — success, or the provider's refusal.
A code the gateway carried is then used to log in: the whole path works.
"""
import base64
import hashlib
import hmac
import http.server
import json
import subprocess
import threading
import time
import urllib.parse

from lib import ADMIN_PW, BIN, PW, ServerTest, Server, free_port, make_org

KEY_ID, SECRET = "LTAI5tTestKeyId", "test-secret-0123456789"
PHONE = "13800000002"


def aliyun_check(path, secret):
    """The Aliyun signature of a GET request path, checked: (ok, query dict)."""
    url = urllib.parse.urlsplit(path)
    pairs = urllib.parse.parse_qsl(url.query, keep_blank_values=True)
    q = dict(pairs)
    sig = q.pop("Signature", "")
    enc = lambda s: urllib.parse.quote(s, safe="~")
    canon = "&".join("%s=%s" % (enc(k), enc(v)) for k, v in sorted(q.items()))
    sts = "GET&%2F&" + enc(canon)
    want = base64.b64encode(hmac.new((secret + "&").encode(), sts.encode(), hashlib.sha1).digest())
    return hmac.compare_digest(want.decode(), sig), q


def tencent_check(headers, body, secret):
    """The TC3-HMAC-SHA256 signature of a POST, checked: (ok, body dict)."""
    auth = headers.get("Authorization", "")
    ts = headers.get("X-TC-Timestamp", "0")
    date = time.strftime("%Y-%m-%d", time.gmtime(int(ts)))
    canon = "POST\n/\n\ncontent-type:%s\nhost:%s\n\ncontent-type;host\n%s" % (
        headers.get("Content-Type"), headers.get("Host"), hashlib.sha256(body).hexdigest())
    sts = "TC3-HMAC-SHA256\n%s\n%s/sms/tc3_request\n%s" % (
        ts, date, hashlib.sha256(canon.encode()).hexdigest())
    h = lambda k, m: hmac.new(k, m.encode(), hashlib.sha256).digest()
    k = h(h(h(("TC3" + secret).encode(), date), "sms"), "tc3_request")
    sig = hmac.new(k, sts.encode(), hashlib.sha256).hexdigest()
    want = ("TC3-HMAC-SHA256 Credential=%s/%s/sms/tc3_request, SignedHeaders=content-type;host,"
            " Signature=%s" % (KEY_ID, date, sig))
    return hmac.compare_digest(want, auth), json.loads(body or b"{}")


def gateway_env(kind, port, secret=SECRET):
    """The server's settings for a gateway of `kind` listening on port."""
    e = {"ANJU_SMS": kind, "ANJU_SMS_ENDPOINT": "http://127.0.0.1:%d/" % port,
         "ANJU_SMS_KEY_ID": KEY_ID, "ANJU_SMS_KEY_SECRET": secret, "ANJU_SMS_SIGN": "安居物业",
         "ANJU_SMS_TEMPLATE": "SMS_100001", "ANJU_SMS_TEMPLATE_RESET": "SMS_100002"}
    if kind == "tencent":
        e.update({"ANJU_SMS_APP_ID": "1400000001", "ANJU_SMS_TEMPLATE": "100001",
                  "ANJU_SMS_TEMPLATE_RESET": "100002"})
    return e


class Gateway:
    """A provider's endpoint on a local port: records requests, answers per `refuse`."""

    def __init__(self, kind):
        self.kind, self.requests, self.refuse = kind, [], None
        gw = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def answer(self, doc):
                raw = json.dumps(doc).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_GET(self):  # Aliyun
                ok, q = aliyun_check(self.path, SECRET)
                gw.requests.append({"signed": ok, "query": q})
                if not ok:
                    return self.answer({"Code": "SignatureDoesNotMatch", "Message": "bad signature"})
                if gw.refuse:
                    return self.answer({"Code": gw.refuse, "Message": "refused by the test"})
                self.answer({"Code": "OK", "Message": "OK", "BizId": "1", "RequestId": "r"})

            def do_POST(self):  # Tencent
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                ok, doc = tencent_check(self.headers, body, SECRET)
                gw.requests.append({"signed": ok, "body": doc, "headers": dict(self.headers)})
                if not ok:
                    return self.answer({"Response": {"Error": {
                        "Code": "AuthFailure.SignatureFailure", "Message": "bad signature"},
                        "RequestId": "r"}})
                code = gw.refuse or "Ok"
                self.answer({"Response": {"SendStatusSet": [{
                    "Code": code, "Message": "send success" if code == "Ok" else "refused",
                    "PhoneNumber": doc["PhoneNumberSet"][0]}], "RequestId": "r"}})

        self.port = free_port()
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def env(self, secret=SECRET):
        return gateway_env(self.kind, self.port, secret)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class GatewayCase:
    """The same checks for each provider; the subclasses name it."""
    kind = None

    @classmethod
    def setUpClass(cls):
        cls.gw = Gateway(cls.kind)
        cls.server_env = cls.gw.env()
        super().setUpClass()
        cls.o = make_org(cls.s, cls.admin)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.gw.close()

    def code_of(self, req):
        if self.kind == "aliyun":
            return json.loads(req["query"]["TemplateParam"])["code"]
        return req["body"]["TemplateParamSet"][0]

    def test_a_code_through_the_gateway_logs_in(self):
        self.gw.refuse, n = None, len(self.gw.requests)
        r = self.s.api("POST", "/auth/resident/code", {"phone": PHONE}, source="127.0.1.1")
        self.assertEqual(r.status, 204, r)
        self.assertEqual(len(self.gw.requests), n + 1)
        req = self.gw.requests[-1]
        self.assertTrue(req["signed"], req)
        if self.kind == "aliyun":
            q = req["query"]
            self.assertEqual((q["Action"], q["PhoneNumbers"], q["SignName"], q["TemplateCode"]),
                             ("SendSms", PHONE, "安居物业", "SMS_100001"))
            self.assertEqual(q["AccessKeyId"], KEY_ID)
        else:
            b, h = req["body"], req["headers"]
            self.assertEqual((b["PhoneNumberSet"], b["SmsSdkAppId"], b["SignName"], b["TemplateId"]),
                             (["+86" + PHONE], "1400000001", "安居物业", "100001"))
            self.assertEqual(b["TemplateParamSet"][1], "5")  # minutes the code lives
            self.assertEqual((h["X-TC-Action"], h["X-TC-Version"]), ("SendSms", "2021-01-11"))
        code = self.code_of(req)
        self.assertRegex(code, r"^\d{6}$")
        # the code is on the phone, not in the log
        self.assertNotIn(code, self.s.read_log())
        r = self.s.api("POST", "/auth/resident/login", {"phone": PHONE, "code": code},
                       source="127.0.1.2")
        self.assertEqual(self.ok(r)["user"]["role"], "resident")

    def test_a_refusal_is_a_clear_503(self):
        self.gw.refuse, n = "isv.BUSINESS_LIMIT_CONTROL", len(self.gw.requests)
        try:
            r = self.s.api("POST", "/auth/resident/code", {"phone": "13800000003"},
                           source="127.0.1.3")
        finally:
            self.gw.refuse = None
        self.fail_with(r, 503, "unavailable")
        self.assertIn("短信发送失败", r.json["error"]["message"])
        self.assertEqual(len(self.gw.requests), n + 1)
        # the operator reads the gateway's own words
        self.assertIn("isv.BUSINESS_LIMIT_CONTROL", self.s.read_log())

    def test_a_password_reset_uses_its_own_template(self):
        phone = "1390000%04d" % (2 if self.kind == "aliyun" else 3)
        st = self.ok(self.s.api("POST", "/staff", {
            "username": "tech_sms_" + self.kind, "password": PW, "name": "短信技工",
            "role": "technician", "department": "工程", "phone": phone,
            "project_ids": [self.o["p1"]]}, self.admin), 201)
        n = len(self.gw.requests)
        self.ok(self.s.api("POST", "/staff/%d/password-reset" % st["id"], None, self.admin))
        req = self.gw.requests[n]
        self.assertTrue(req["signed"])
        tpl = req["query"]["TemplateCode"] if self.kind == "aliyun" else req["body"]["TemplateId"]
        self.assertEqual(tpl, "SMS_100002" if self.kind == "aliyun" else "100002")
        r = self.s.api("POST", "/auth/password-reset", {
            "username": st["username"], "code": self.code_of(req), "password": "Fresh-pass-4821"})
        self.assertEqual(r.status, 204, r)
        self.assertTrue(self.s.login(st["username"], "Fresh-pass-4821"))


class Aliyun(GatewayCase, ServerTest):
    kind = "aliyun"


class Tencent(GatewayCase, ServerTest):
    kind = "tencent"


class Settings(ServerTest):
    """No gateway, a wrong key, a gateway missing a setting."""

    def test_no_channel_without_dev_sends_nothing(self):
        s = Server(env={"ANJU_SMS": ""})  # unset: neither --dev nor ANJU_SMS=log
        try:
            admin = s.login("admin", ADMIN_PW)
            make_org(s, admin)
            r = s.api("POST", "/auth/resident/code", {"phone": PHONE}, source="127.0.1.4")
            self.fail_with(r, 503, "unavailable")
            self.assertIn("短信通道未配置", r.json["error"]["message"])
            log = s.read_log()
            self.assertIn("no channel configured", log)
            self.assertNotIn("sms to %s:" % PHONE, log)
        finally:
            s.close()

    def test_a_wrong_secret_is_refused_by_the_gateway(self):
        gw = Gateway("tencent")
        s = Server(env=gw.env(secret="not-the-shared-secret"))
        try:
            make_org(s, s.login("admin", ADMIN_PW))
            r = s.api("POST", "/auth/resident/code", {"phone": PHONE}, source="127.0.1.5")
            self.fail_with(r, 503, "unavailable")
            self.assertEqual([q["signed"] for q in gw.requests], [False])
            self.assertIn("AuthFailure.SignatureFailure", s.read_log())
        finally:
            s.close()
            gw.close()

    def test_a_gateway_missing_a_setting_does_not_start(self):
        for kind, drop, want in (("aliyun", "ANJU_SMS_SIGN", "ANJU_SMS_SIGN"),
                                 ("tencent", "ANJU_SMS_APP_ID", "ANJU_SMS_APP_ID"),
                                 ("carrier-pigeon", None, "unknown SMS driver")):
            env = dict(self.s.env)
            env.update(gateway_env("tencent" if kind == "tencent" else "aliyun", 9))
            env["ANJU_SMS"] = kind
            if drop:
                env.pop(drop, None)
            p = subprocess.run([BIN, "serve", "--db", self.s.db, "--listen",
                                "127.0.0.1:%d" % free_port(), "--data", self.s.dir],
                               capture_output=True, text=True, timeout=60, env=env)
            self.assertEqual(p.returncode, 1, (kind, p.stderr[-500:]))
            self.assertIn(want, p.stderr, kind)
