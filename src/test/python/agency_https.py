#!/usr/bin/python3
"""An agency submitting over HTTPS with Debian's python3-requests, no Kafka client (docs/contract.md, "Agencies over
HTTPS"). The integrators' guide in the README shows it; ReviewIT runs it.

  agency_https.py BASE_URL USER REQUESTS_JSONL [CA_FILE]
      Sends each request of the file (one JSON object per line) to POST BASE_URL/api/requests?wait=10s as USER, the
      password in MLA_PASSWORD; prints, per request, its id and the answer: the first decision's status and reason codes
      (200), RECEIVED (202), or the error (4xx, 5xx: the field or reason and the message). A 503 is sent again after its
      Retry-After, up to three times. CA_FILE is the PEM of the endpoint's certificate authority, for HTTPS.
"""
import json
import os
import sys
import time

import requests


def submit(session, base_url, line, verify):
    for attempt in range(4):
        answer = session.post(base_url + "/api/requests", params={"wait": "10s"}, data=line.encode("utf-8"),
                              headers={"Content-Type": "application/json"}, timeout=30, verify=verify)
        if answer.status_code != 503 or attempt == 3:
            return answer
        time.sleep(int(answer.headers.get("Retry-After", "5")))


def main(base_url, user, requests_file, ca_file=None):
    verify = ca_file if ca_file else True
    session = requests.Session()
    session.auth = (user, os.environ["MLA_PASSWORD"])
    with open(requests_file, encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            request_id = json.loads(line).get("requestId")
            answer = submit(session, base_url, line, verify)
            body = answer.json()
            if answer.status_code == 200:
                codes = ",".join(reason["code"] for reason in body["reasons"])
                print("%s %d %s %s" % (request_id, answer.status_code, body["status"], codes))
            elif answer.status_code == 202:
                print("%s %d %s" % (request_id, answer.status_code, body["status"]))
            else:
                print("%s %d %s %s" % (request_id, answer.status_code, body.get("field") or body.get("reason") or "-", body["message"]))


if __name__ == "__main__":
    main(*sys.argv[1:])
