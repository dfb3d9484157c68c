"""bench/labels.py URL TOKEN [N]: adds N (200) pieces of equipment to project 1 and times
GET /api/v1/equipment/labels.pdf for them, five times; prints the median and the largest,
in seconds, as "median max"."""
import json
import sys
import time
import urllib.request

url, token = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 200
head = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
ids = []
for i in range(n):
    body = json.dumps({"project_id": 1, "code": "BENCH-%03d" % i, "name": "%d号楼二次供水变频水泵" % i,
                       "class": "water", "location": "地下一层水泵房"}).encode()
    req = urllib.request.Request(url + "/api/v1/equipment", body, head, method="POST")
    ids.append(json.load(urllib.request.urlopen(req))["id"])
target = "%s/api/v1/equipment/labels.pdf?project_id=1&ids=%s" % (url, ",".join(map(str, ids)))
times = []
for _ in range(5):
    t0 = time.time()
    r = urllib.request.urlopen(urllib.request.Request(target, headers=head))
    assert r.headers["X-Label-Count"] == str(n) and r.read().startswith(b"%PDF-")
    times.append(time.time() - t0)
times.sort()
print("%.3f %.3f" % (times[2], times[-1]))
