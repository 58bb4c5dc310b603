#!/usr/bin/env bash
# The review queue with 10,000 requests pending (issue 24): starts the embedded stack on spare ports, submits 10,000
# requests to a counterpart whose treaty is only signed (each goes to review), waits until all are pending, then times
# `review list` whole, a page of 50, a filtered and sorted page, and GET /reviews as JSON.
#   bash src/test/sh/review-queue-benchmark.sh [COUNT]      (from the repository; builds target/mla-router.jar if needed)
set -euo pipefail
count="${1:-10000}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
work="$(mktemp -d)"
kafka=39092; controller=39093; registry=38081; http=38080
cleanup() { [ -n "${stack:-}" ] && kill "$stack" 2>/dev/null && wait "$stack" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cd "$here"
[ -f target/mla-router.jar ] || mvn -B -q -DskipTests package
java -jar target/mla-router.jar embedded --data-dir "$work/data" --kafka-port $kafka --controller-port $controller \
  --registry-port $registry --http-port $http --partitions 6 > "$work/embedded.log" 2>&1 &
stack=$!
for _ in $(seq 1 120); do grep -q "mla-router is running" "$work/embedded.log" && break; sleep 1; done
grep -q "mla-router is running" "$work/embedded.log" || { echo "the embedded stack did not start: $work/embedded.log" >&2; exit 1; }
export MLA_PASSWORD="$(cat "$work/data/first-supervisor.password")"
python3 - "$count" > "$work/pending.jsonl" <<'PY'
import copy, json, sys
sample = [json.loads(line) for line in open("examples/requests.jsonl") if line.strip()]
vn = next(r for r in sample if r["requestedState"] == "VN")
categories = ["CORRUPTION", "FRAUD", "MONEY_LAUNDERING", "CYBERCRIME", "TAX", "OTHER"]
for i in range(int(sys.argv[1])):
    r = copy.deepcopy(vn)
    r["requestId"] = "LOAD-2026-%05d" % i
    r["offence"]["category"] = categories[i % len(categories)]
    r["urgency"] = "URGENT" if i % 5 == 0 else "ROUTINE"
    r["submittedAt"] = "2026-11-%02dT%02d:%02d:00Z" % (1 + i % 28, i % 24, i % 60)
    print(json.dumps(r))
PY
tool() { java -jar target/mla-router.jar "$@"; }
tool submit "$work/pending.jsonl" --bootstrap-servers 127.0.0.1:$kafka --schema-registry-url http://127.0.0.1:$registry > /dev/null
url="http://127.0.0.1:$http"
for _ in $(seq 1 300); do
  total=$(curl -s -u "admin:$MLA_PASSWORD" "$url/reviews?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("total", 0))' 2>/dev/null || echo 0)
  [ "$total" -ge "$count" ] && break; sleep 1
done
echo "pending: $total"
timed() { local label="$1"; shift; local start end; start=$(date +%s%N); "$@" > "$work/out.txt"; end=$(date +%s%N);
  printf '%-58s %6d ms  %s\n' "$label" $(( (end - start) / 1000000 )) "$(tail -1 "$work/out.txt" | cut -c1-60)"; }
for run in 1 2 3; do
  timed "review list (all $count, aligned)" tool review list --url "$url" --user admin
  timed "review list --limit 50" tool review list --url "$url" --user admin --limit 50
  timed "review list --urgency URGENT --sort deadline --limit 50" tool review list --url "$url" --user admin --urgency URGENT --sort deadline --limit 50
  timed "GET /reviews (JSON, all $count)" curl -s -o /dev/null -w '%{size_download} bytes' -u "admin:$MLA_PASSWORD" "$url/reviews"
  timed "GET /reviews?limit=50 (JSON, the console's page)" curl -s -o /dev/null -w '%{size_download} bytes' -u "admin:$MLA_PASSWORD" "$url/reviews?limit=50"
done
