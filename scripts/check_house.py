#!/usr/bin/env python3
"""scripts/check_house.py (make test): the house rules of src/, checked on
every run so the layout stays what docs/architecture.md says it is:

  1. arrows point down: a file includes only the layers and contexts it may
     (ALLOWED below, the same table as docs/architecture.md);
  2. a context is entered by its public header: from outside domain/<ctx>/ only
     domain/<ctx>/<ctx>.h may be included;
  3. file stems are unique across src/, and every function carries its file's
     stem as prefix (a public function of a room <family>_<room>.c may carry
     the family's: ticket_act in ticket_action.c; api/ handlers are api_*);
  4. no source file is over 800 lines.

Prints each violation and "house: N passed, M failed"; appends the counts to
$ANJU_RESULTS as the suite "house". Exit 1 on any violation."""
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SRC = os.path.join(ROOT, "src")
MAX_LINES = 800

# Which domain contexts a context may include (its own is always allowed).
# Lower first; nothing lower includes anything higher. The quality contexts
# open tickets through the tickets context and read plans from work.
DOMAIN_EDGES = {
    "core": [],
    "identity": ["core"],
    "org": ["core", "identity"],
    "calendar": ["core"],
    "sla": ["calendar", "core"],
    "tickets": ["org", "sla", "calendar", "core"],
    "work": ["tickets", "org", "calendar", "core"],
    "assets": ["work", "tickets", "org", "calendar", "core"],
    "patrol": ["work", "tickets", "org", "calendar", "core"],
    "quality": ["work", "tickets", "org", "calendar", "core"],
    "voice": ["work", "tickets", "org", "calendar", "core"],
    "devices": ["assets", "tickets", "org", "calendar", "core"],
    "people": ["work", "org", "calendar", "core"],
    "kpi": ["people", "devices", "voice", "quality", "patrol", "assets", "work", "tickets",
            "sla", "org", "calendar", "core"],
}
ALL_DOMAIN = sorted(DOMAIN_EDGES)

# Which top-level layers a layer may include (its own is always allowed).
LAYER_EDGES = {
    "base": [],
    "db": ["base"],
    "domain": ["db", "base"],  # and domain contexts by DOMAIN_EDGES
    "http": ["domain", "db", "base"],
    "jobs": ["domain", "db", "base"],
    "api": ["http", "jobs", "domain", "db", "base"],
    "demo": ["domain", "db", "base"],
    "cli": ["api", "http", "jobs", "demo", "domain", "db", "base"],
    "main.c": ["cli", "base"],
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def layer_of(rel):
    """('domain', 'tickets') for src/domain/tickets/x.c, ('api', 'org'), ('base', None)..."""
    parts = rel.split("/")
    if len(parts) == 1:
        return parts[0], None
    if parts[0] in ("domain", "api") and len(parts) >= 3:
        return parts[0], parts[1]
    return parts[0], None


def check_includes(rel, text, problems):
    layer, ctx = layer_of(rel)
    allowed = LAYER_EDGES.get(layer)
    if allowed is None:
        problems.append("%s: a layer the rules do not know (add it to check_house.py)" % rel)
        return
    for inc in INCLUDE.findall(text):
        if "/" not in inc:
            continue  # generated or local headers next to the file
        ilayer, ictx = layer_of(inc)
        if ilayer not in allowed and ilayer != layer:
            problems.append("%s: includes %s (%s may not include %s)" % (rel, inc, layer, ilayer))
            continue
        if ilayer != "domain" or ictx is None:
            continue
        if layer == "domain" and ictx == ctx:
            continue  # its own rooms
        if layer == "domain" and ictx not in DOMAIN_EDGES.get(ctx, []):
            problems.append("%s: includes %s (context %s may not include %s)"
                            % (rel, inc, ctx, ictx))
            continue
        if inc != "domain/%s/%s.h" % (ictx, ictx):
            problems.append("%s: includes %s (outside its context, include domain/%s/%s.h)"
                            % (rel, inc, ictx, ictx))


DEF_NAME = re.compile(r"(\w+)\s*\(")


def functions(text):
    """(name, is_static) of every function defined in text: the project's
    style puts a definition's opening brace alone on a line at column 0."""
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines):
        if line != "{":
            continue
        j = i - 1
        while j > 0 and lines[j] and lines[j][0] in " \t)":
            j -= 1
        sig = " ".join(lines[j:i])
        if sig.startswith(("struct ", "typedef", "enum ", "union ", "static const", "const ")) \
                and "(" not in sig.split("=")[0]:
            continue
        sig = re.sub(r"__attribute__\s*\(\(.*?\)\)\s*", "", sig)
        m = DEF_NAME.search(sig)
        if not m or sig.lstrip().startswith("#"):
            continue
        out.append((m.group(1), sig.startswith("static")))
    return out


# The one file whose functions carry another prefix: the project's error
# type and its helpers are aj_* (aj_error, aj_fail), used by every layer.
PREFIX_OF = {"base/error.c": "aj"}


def check_names(rel, text, problems):
    stem = PREFIX_OF.get(rel) or os.path.splitext(os.path.basename(rel))[0]
    family = stem.split("_")[0]
    layer, _ = layer_of(rel)
    for name, static in functions(text):
        if name == "main" and rel == "main.c":
            continue
        if name == stem or name.startswith(stem + "_"):
            continue
        if not static and (name == family or name.startswith(family + "_")):
            continue
        if layer == "api" and not static and name.startswith("api_"):
            continue
        problems.append("%s: function %s does not carry the file's prefix %s_" % (rel, name, stem))


def check_tree(src):
    problems = []
    stems = {}
    files = []
    for root, _, names in os.walk(src):
        for n in sorted(names):
            if n.endswith((".c", ".h")):
                files.append(os.path.relpath(os.path.join(root, n), src))
    for rel in sorted(files):
        with open(os.path.join(src, rel), encoding="utf-8") as f:
            text = f.read()
        nlines = text.count("\n")
        if nlines > MAX_LINES:
            problems.append("%s: %d lines (the limit is %d)" % (rel, nlines, MAX_LINES))
        check_includes(rel, text, problems)
        if rel.endswith(".c"):
            stem = os.path.splitext(os.path.basename(rel))[0]
            if stem in stems:
                problems.append("%s: file stem %s is also %s" % (rel, stem, stems[stem]))
            stems[stem] = rel
            check_names(rel, text, problems)
    return files, problems


# A tree with one break of each rule: the checker must find every one, or it
# is a check that cannot fail.
SELF_TEST = {
    "domain/core/core.h": "",
    "domain/core/live.c": '#include "domain/tickets/tickets.h"\n',   # an arrow up
    "domain/tickets/tickets.h": "",
    "domain/tickets/ticket.c": '#include "domain/org/staff.h"\n',    # a room, not org.h
    "domain/org/org.h": "",
    "domain/org/staff.h": "",
    "domain/org/staff.c": "int staff_get(void)\n{\n}\nstatic int sg(void)\n{\n}\n",  # prefix
    "api/org/staff.c": '#include "cli/cli.h"\n' + "x\n" * 801,    # stem, layer, size
    "http/req.c": '#include "api/api.h"\n',                          # http -> api
}
SELF_TEST_EXPECT = 7


def self_test():
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        for rel, text in SELF_TEST.items():
            os.makedirs(os.path.dirname(os.path.join(d, rel)), exist_ok=True)
            with open(os.path.join(d, rel), "w") as f:
                f.write(text)
        _, problems = check_tree(d)
    if len(problems) != SELF_TEST_EXPECT:
        print("house self-test: found %d problems, expected %d:" % (len(problems),
                                                                   SELF_TEST_EXPECT))
        for p in problems:
            print("  " + p)
        return False
    return True


def main():
    ok_self = self_test()
    files, problems = check_tree(SRC)
    if not ok_self:
        problems.append("the checker's self-test failed (it would miss a break)")
    for p in problems:
        print("  " + p)
    checked = len(files)
    print("house: %d files checked, %d problems" % (checked, len(problems)))
    results = os.environ.get("ANJU_RESULTS")
    if results:
        with open(results, "a") as f:
            # one passed check when the tree is clean; each problem is a failure
            f.write("house %d %d\n" % (0 if problems else 1, len(problems)))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
