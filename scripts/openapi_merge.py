"""scripts/openapi_merge.py OUT BASE [PART...]: the served OpenAPI document is
docs/openapi.json plus one part per area (docs/openapi/*.json), each holding
its own "paths" and "components.schemas"; a path or schema defined twice is an error."""
import json
import sys

out, base, parts = sys.argv[1], sys.argv[2], sys.argv[3:]
doc = json.load(open(base, encoding="utf-8"))
for p in sorted(parts):
    part = json.load(open(p, encoding="utf-8"))
    for path, item in part.get("paths", {}).items():
        if path in doc["paths"]:
            for m in item:
                if m in doc["paths"][path]:
                    sys.exit("%s: %s %s is defined twice" % (p, m, path))
            doc["paths"][path].update(item)
        else:
            doc["paths"][path] = item
    for name, schema in part.get("components", {}).get("schemas", {}).items():
        if name in doc["components"]["schemas"]:
            sys.exit("%s: schema %s is defined twice" % (p, name))
        doc["components"]["schemas"][name] = schema
with open(out, "w", encoding="utf-8") as f:
    json.dump(doc, f, ensure_ascii=False, indent=1)
    f.write("\n")
