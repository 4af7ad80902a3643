"""Property-based hostile input on the staff JSON API (hypothesis), against the real console.

Whatever arrives (random bytes, invalid UTF-8, any JSON shape, wrong types, hostile
strings, random paths and queries), the API answers a 2xx or a 4xx with a JSON `error`,
never a 5xx; a refused change leaves the request exactly as it was; and the console keeps
answering. Bounded: about 250 requests on loopback.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handoff.store import get_handoff

FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=15,
)
field_values = st.one_of(
    json_values,
    st.sampled_from(
        [
            "booked",
            "closed",
            "new",
            "<script>alert(1)</script>",
            "'; DROP TABLE handoffs; --",
            "\u202e",
            "x" * 6000,
            "\x00",
        ]
    ),
)
bodies = st.one_of(
    st.binary(max_size=400),
    json_values.map(lambda value: json.dumps(value).encode()),
    st.fixed_dictionaries(
        {}, optional={"status": field_values, "assignee": field_values, "note": field_values, "extra": field_values}
    ).map(lambda value: json.dumps(value).encode()),
)


def assert_clear(response: requests.Response) -> None:
    assert response.status_code < 500, (response.status_code, response.text[:300])
    if response.status_code >= 400:
        assert response.headers["Content-Type"].startswith("application/json"), response.headers["Content-Type"]
        assert isinstance(response.json()["error"], str) and response.json()["error"]


@FUZZ
@given(
    body=bodies,
    content_type=st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded", ""]),
)
def test_patch_never_fails_and_a_refused_change_changes_nothing(api, make_handoff, handoffs, body, content_type):
    made = make_handoff()
    response = api.patch(f"/api/handoffs/{made.id}", data=body, headers={"Content-Type": content_type})
    assert_clear(response)
    after = get_handoff(handoffs, made.id)
    if response.status_code >= 400:
        assert (after.status, after.assignee) == ("new", None)
    else:
        changed = response.json()["handoff"]
        assert (changed["status"], changed["assignee"]) == (after.status, after.assignee)


@FUZZ
@given(
    body=st.one_of(
        bodies,
        st.fixed_dictionaries({"username": field_values, "password": field_values}).map(
            lambda value: json.dumps(value).encode()
        ),
    )
)
def test_login_never_fails_and_never_gives_a_token_to_garbage(console, body):
    response = requests.post(
        f"{console.url}/api/login", data=body, headers={"Content-Type": "application/json"}, timeout=30
    )
    assert_clear(response)
    assert response.status_code != 200, "a token for a made-up account"


@FUZZ
@given(path=st.text(max_size=30), query=st.text(max_size=30))
def test_random_paths_and_queries_are_answered_clearly(api, path, query):
    response = api.get(f"/api/handoffs/{quote(path, safe='')}?status={quote(query, safe='')}")
    assert_clear(response)


def test_the_console_still_answers_after_the_fuzzing(api, make_handoff):
    made = make_handoff(name="After Fuzz")
    assert api.get(f"/api/handoffs/{made.id}").json()["handoff"]["name"] == "After Fuzz"
