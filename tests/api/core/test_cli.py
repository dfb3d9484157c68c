"""The command line: `anju calendar import` refuses a file over its 64 MiB limit
(it used to read the first 64 MiB and import that), and still imports a small one."""
import json
import os

from lib import ServerTest

LIMIT = 64 << 20
DAY = {"holidays": {"2026-01-01": "New Year's Day,元旦,1"}}


class CalendarImportFile(ServerTest):
    def write(self, name, text, size=None):
        """A file starting with text; size makes it sparse up to that many bytes."""
        path = os.path.join(self.s.dir, name)
        with open(path, "wb") as f:
            f.write(text.encode("utf-8"))
            if size is not None:
                f.truncate(size)
        return path

    def assert_no_calendar(self, cal):
        self.fail_with(self.s.api("GET", "/calendars/%d" % cal, token=self.admin), 404, "not_found")

    def test_small_file_imports(self):
        r = self.s.cli("calendar", "import", self.write("day.json", json.dumps(DAY)), "--id", "3")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "calendar 3: imported 1 days\n")
        cal = self.ok(self.s.api("GET", "/calendars/3", token=self.admin))
        self.assertEqual((cal["first_year"], cal["last_year"]), (2026, 2026))

    def test_file_over_limit_is_refused(self):
        # a document padded with spaces: its first 64 MiB parse, and were imported
        text = json.dumps(DAY)
        big = self.write("big.json", text + " " * (LIMIT + (1 << 20) - len(text.encode())))
        r = self.s.cli("calendar", "import", big, "--id", "4")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("64 MiB", r.stderr)
        self.assertEqual(r.stdout, "")
        self.assert_no_calendar(4)

    def test_one_byte_over_limit_is_refused(self):
        r = self.s.cli("calendar", "import", self.write("over.json", "{", LIMIT + 1), "--id", "5")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("64 MiB", r.stderr)
        self.assert_no_calendar(5)

    def test_file_at_limit_is_read(self):
        # exactly 64 MiB is within the limit: refused for what it holds, not its size
        r = self.s.cli("calendar", "import", self.write("at.json", "{", LIMIT), "--id", "6")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertNotIn("64 MiB", r.stderr)
        self.assertIn("JSON", r.stderr)
        self.assert_no_calendar(6)

    def test_file_over_limit_on_stdin_is_refused(self):
        # a pipe, not a regular file: the size is only known by reading
        r = self.s.cli("calendar", "import", "/dev/stdin", "--id", "7",
                       stdin=json.dumps(DAY) + " " * LIMIT)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("64 MiB", r.stderr)
        self.assert_no_calendar(7)
