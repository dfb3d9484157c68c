"""tests/api/run.py: runs every tests/api/test_*.py against a real `anju serve`
and prints `LABEL: N passed, N failed`. Exit status 1 when anything failed."""
import os
import sys
import time
import unittest

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)


class Result(unittest.TextTestResult):
    pass


def main():
    label = sys.argv[1] if len(sys.argv) > 1 else "api"
    pattern = sys.argv[2] if len(sys.argv) > 2 else "test_*.py"
    suite = unittest.defaultTestLoader.discover(here, pattern=pattern, top_level_dir=here)
    t0 = time.time()
    runner = unittest.TextTestRunner(verbosity=1, stream=sys.stdout, resultclass=Result)
    res = runner.run(suite)
    # A test with failing subtests is one failed test, however many subtests failed
    # (counting each made "passed" negative); a class whose setup failed is one.
    bad = {getattr(t, "test_case", t).id() for t, _ in res.failures + res.errors}
    failed = len(bad) + len(res.unexpectedSuccesses)
    passed = max(res.testsRun - len(bad) - len(res.skipped) - len(res.unexpectedSuccesses), 0)
    print("%s: %d passed, %d failed (%.1fs)" % (label, passed, failed, time.time() - t0))
    with open(os.environ.get("ANJU_RESULTS", "/dev/null"), "a") as f:
        f.write("%s %d %d\n" % (label, passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
