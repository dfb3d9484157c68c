"""Passwords (issue 11 item 9): common and simple ones are refused wherever a
password is set, and every user changes their own with the current one,
ending their other sessions (OWASP ASVS 4.0 V2.1.5-V2.1.7, V3.3.3)."""
import uuid

from lib import PW, ServerTest


def uniq():
    return uuid.uuid4().hex[:8]


class PasswordChange(ServerTest):
    def staff(self):
        u = "pw" + uniq()
        r = self.s.api("POST", "/staff", {"username": u, "password": PW, "name": "改密", "role": "desk",
                                          "department": "客服"}, self.admin)
        self.assertEqual(r.status, 201, r)
        return u

    def test_common_passwords_are_refused(self):
        for weak in ("12345678", "password", "qwertyuiop", "11111111"):
            r = self.s.api("POST", "/staff", {"username": "w" + uniq(), "password": weak,
                                              "name": "弱", "role": "desk", "department": "客服"},
                           self.admin)
            self.fail_with(r, 422, "validation_failed", "password")

    def test_change_own_password(self):
        u = self.staff()
        a = self.s.login(u, PW, source="127.0.0.61")
        b = self.s.login(u, PW, source="127.0.0.62")
        r = self.s.api("POST", "/me/password", {"old_password": "not-the-one-77", "password": "Brand-new-5501"},
                       a)
        self.fail_with(r, 422, "validation_failed", "old_password")
        r = self.s.api("POST", "/me/password", {"old_password": PW, "password": "12345678"}, a)
        self.fail_with(r, 422, "validation_failed", "password")
        r = self.s.api("POST", "/me/password", {"old_password": PW, "password": PW}, a)
        self.fail_with(r, 422, "validation_failed", "password")
        r = self.s.api("POST", "/me/password", {"old_password": PW, "password": "Brand-new-5501"}, a)
        self.assertEqual(r.status, 204, r)
        # the session that changed it stays, the other one ends
        self.ok(self.s.api("GET", "/me", token=a))
        self.fail_with(self.s.api("GET", "/me", token=b), 401, "unauthenticated")
        r = self.s.api("POST", "/auth/login", {"username": u, "password": PW}, source="127.0.0.63")
        self.fail_with(r, 401, "unauthenticated")
        self.assertTrue(self.s.login(u, "Brand-new-5501", source="127.0.0.64"))

    def test_needs_a_login(self):
        r = self.s.api("POST", "/me/password", {"old_password": PW, "password": "Brand-new-5501"})
        self.fail_with(r, 401, "unauthenticated")

    def test_guessing_the_current_password_is_held_back_with_retry_after(self):
        u = self.staff()
        a = self.s.login(u, PW, source="127.0.0.65")
        for i in range(20):
            r = self.s.api("POST", "/me/password",
                           {"old_password": "guess-%02d-xx" % i, "password": "Brand-new-5501"}, a)
            if r.status == 429:
                break
            self.fail_with(r, 422, "validation_failed", "old_password")
        self.fail_with(r, 429, "rate_limited")
        self.assertGreaterEqual(int(r.header("Retry-After")), 1)
