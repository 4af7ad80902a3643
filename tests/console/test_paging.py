"""Long inboxes come in pages, in the console and the API, with bad page numbers refused."""

from __future__ import annotations

import re

from handoff.store import list_handoffs


def test_the_inbox_and_the_api_page_through_every_request(signed_in, api, make_handoff, handoffs):
    while len(list_handoffs(handoffs)) < 60:
        make_handoff(turns=())
    total = len(list_handoffs(handoffs))

    first = signed_in.get("/")
    assert first.status_code == 200
    assert len(re.findall(r'<li class="handoff', first.text)) == 50
    assert "Requests 1 to 50, newest first." in first.text and 'rel="next" href="/?page=2"' in first.text
    shown = 50
    page = 2
    while True:
        response = signed_in.get(f"/?page={page}")
        count = len(re.findall(r'<li class="handoff', response.text))
        shown += count
        if 'rel="next"' not in response.text:
            break
        page += 1
    assert shown == total and 'rel="prev"' in response.text

    seen, offset = [], 0
    while offset is not None:
        body = api.get("/api/handoffs", params={"limit": 25, "offset": offset}).json()
        seen += [h["reference"] for h in body["handoffs"]]
        offset = body["next_offset"]
    assert len(seen) == len(set(seen)) == total

    for bad in ("0", "-1", "x", "1e3", "99999999999"):
        assert signed_in.get(f"/?page={bad}").status_code == 400
        assert api.get("/api/handoffs", params={"limit": bad}).status_code == 400
    assert "limit must be a whole number from 1 to 200" in api.get("/api/handoffs?limit=500").json()["error"]
