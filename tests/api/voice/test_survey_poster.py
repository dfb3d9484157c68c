"""A survey's QR poster (issue 14): the A4 PDF whose QR code (read back with zbar) opens the
poster page; a resident proves the phone on record by an SMS code and gets their rooms'
invitation links, so a poster answer counts once per room like every answer; a phone not on
record gets the same reply and no code; drafts and closed surveys are not answered."""
import re
import subprocess

from assets.test_equipment import qr_urls
from lib import ServerTest, make_org

PHONES = {"r1": "13800000001", "r2": "13800000002", "r4": "13800000004"}


class SurveyPoster(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.o = make_org(cls.s, cls.admin)

    def code_for(self, sid, phone, source):
        r = self.s.api("POST", "/public/survey-posters/%d/code" % sid, {"phone": phone}, source=source)
        self.assertEqual(r.status, 204, r)
        codes = re.findall(r"sms to %s: .*?(\d{6})" % phone, self.s.read_log())
        self.assertTrue(codes, phone)
        return codes[-1]

    def rooms(self, sid, phone, code, source):
        return self.s.api("POST", "/public/survey-posters/%d/rooms" % sid, {"phone": phone, "code": code},
                          source=source)

    def test_poster_to_an_answer_once_per_room(self):
        o, q = self.o, self.o["quality_token"]
        s = self.ok(self.s.api("POST", "/surveys", {"project_id": o["p1"], "title": "海报调查", "period": "2026-Q4"}, q),
                    201)
        # a draft prints (to be put up before it opens) but does not answer
        self.ok(self.s.request("GET", "/api/v1/surveys/%d/poster.pdf" % s["id"], token=q))
        self.fail_with(self.s.api("GET", "/public/survey-posters/%d" % s["id"]), 404, "not_found")
        self.ok(self.s.api("POST", "/surveys/%d/actions/open" % s["id"], {}, q))
        pdf = self.s.request("GET", "/api/v1/surveys/%d/poster.pdf" % s["id"], token=q)
        self.assertEqual((pdf.status, pdf.header("Content-Type")), (200, "application/pdf"))
        pages, size, urls = qr_urls(pdf.raw)
        self.assertEqual(pages, 1)
        self.assertIn("A4", size)
        self.assertEqual(len(urls), 1)
        self.assertTrue(urls[0].endswith("/s/p/%d" % s["id"]), urls)
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf.raw, capture_output=True).stdout.decode()
        for words in ("海报调查", "测试项目p1", "匿名", "每户一份"):
            self.assertIn(words, text)
        page = self.ok(self.s.api("GET", "/public/survey-posters/%d" % s["id"]))
        self.assertEqual((page["title"], page["project_name"], page["state"]), ("海报调查", "测试项目p1", "open"))
        self.assertNotIn("rooms", page)

        # a phone not on record: the same 204, and no code is sent
        before = self.s.read_log()
        r = self.s.api("POST", "/public/survey-posters/%d/code" % s["id"], {"phone": "13912345678"}, source="127.0.0.41")
        self.assertEqual(r.status, 204, r)
        self.assertEqual(re.findall(r"sms to 13912345678", self.s.read_log()), re.findall(r"sms to 13912345678", before))
        self.fail_with(self.s.api("POST", "/public/survey-posters/%d/code" % s["id"], {"phone": "12345"}), 422,
                       "validation_failed", "phone")
        # r1 proves the phone and answers for their room through its link
        code = self.code_for(s["id"], PHONES["r1"], "127.0.0.42")
        self.fail_with(self.s.api("POST", "/public/survey-posters/%d/code" % s["id"], {"phone": PHONES["r1"]},
                                  source="127.0.0.42"), 429, "rate_limited")
        wrong = "000000" if code != "000000" else "111111"
        self.fail_with(self.rooms(s["id"], PHONES["r1"], wrong, "127.0.0.42"), 401, "unauthenticated", "code")
        got = self.ok(self.rooms(s["id"], PHONES["r1"], code, "127.0.0.42"))
        self.assertEqual([(x["room"], x["answered"]) for x in got["rooms"]], [("1栋 1单元 101", False)])
        self.fail_with(self.rooms(s["id"], PHONES["r1"], code, "127.0.0.42"), 401, "unauthenticated", "code")  # used up
        a = {"q%d" % i: 4 for i in range(1, 9)}
        self.ok(self.s.api("POST", "/public/surveys/%s/responses" % got["rooms"][0]["token"], {"answers": a}), 201)
        # r2 and r4 share room 102: r2 answers from the poster, r4 then finds it answered
        c2 = self.code_for(s["id"], PHONES["r2"], "127.0.0.43")
        t2 = self.ok(self.rooms(s["id"], PHONES["r2"], c2, "127.0.0.43"))["rooms"][0]
        self.ok(self.s.api("POST", "/public/surveys/%s/responses" % t2["token"], {"answers": a}), 201)
        c4 = self.code_for(s["id"], PHONES["r4"], "127.0.0.44")
        t4 = self.ok(self.rooms(s["id"], PHONES["r4"], c4, "127.0.0.44"))["rooms"][0]
        self.assertEqual((t4["room"], t4["answered"]), ("1栋 1单元 102", True))
        self.fail_with(self.s.api("POST", "/public/surveys/%s/responses" % t4["token"], {"answers": a}), 409, "conflict")
        self.assertEqual(self.ok(self.s.api("GET", "/surveys/%d" % s["id"], token=q))["responses"], 2)

        # the poster is for staff of the project who run surveys
        self.fail_with(self.s.request("GET", "/api/v1/surveys/%d/poster.pdf" % s["id"], token=o["desk_token"]),
                       403, "forbidden")
        self.fail_with(self.s.request("GET", "/api/v1/surveys/%d/poster.pdf" % s["id"], token=o["manager_p2_token"]),
                       404, "not_found")
        # closed: nothing to print, nothing to answer
        self.ok(self.s.api("POST", "/surveys/%d/actions/close" % s["id"], {}, q))
        self.fail_with(self.s.request("GET", "/api/v1/surveys/%d/poster.pdf" % s["id"], token=q), 409,
                       "invalid_transition")
        self.fail_with(self.s.api("GET", "/public/survey-posters/%d" % s["id"]), 404, "not_found")
        self.fail_with(self.s.api("POST", "/public/survey-posters/%d/code" % s["id"], {"phone": PHONES["r2"]}), 404,
                       "not_found")
