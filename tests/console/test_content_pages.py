"""What a receptionist sees of the content store: the list with status, review date and last
approver; one answer with its live text, a draft's difference from it, a preview, and the
approve and reject buttons, with the same rules as the API."""

from __future__ import annotations

import re
from urllib.parse import quote

from tests.console.support import Client, csrf_of

HOSTILE = '<script>alert("draft")</script> <img src=x onerror=alert(1)>'


def signed_in_as(console, user):
    browser = Client(console.url)
    assert browser.login_form(*user).status_code == 303
    return browser


def test_the_list_shows_status_review_date_and_last_approver(signed_in):
    page = signed_in.get("/content")
    assert page.status_code == 200
    row = re.search(r"<tr>\s*<td><a href=\"/content/utter_fact_migraine.default\">.*?</tr>", page.text, re.S)
    assert row, "utter_fact_migraine.default is not listed"
    assert re.search(r"<td>\d{4}-\d\d-\d\d", row.group(0)), "no review date"
    assert "<td>seed (domain files)</td>" in row.group(0) and "<td>Live</td>" in row.group(0)
    emergency = re.search(r"utter_emergency.default</a>(.*?)</td>", page.text, re.S).group(1)
    assert "Safety" in emergency
    assert 'href="/content"' in page.text  # in the navigation


def test_draft_preview_diff_and_approval_by_someone_else(console, new_user):
    writer, checker = signed_in_as(console, new_user("writer")), signed_in_as(console, new_user("checker"))
    key = "utter_how_can_help.default"
    page = writer.get(f"/content/{quote(key)}")
    assert page.status_code == 200
    live = re.search(r'<p class="text live-text">(.*?)</p>', page.text, re.S).group(1)

    preview = writer.post(
        f"/content/{key}/drafts",
        data={"csrf": csrf_of(page.text), "text": "How can I help you today?", "action": "preview"},
    )
    assert preview.status_code == 200 and "Preview" in preview.text and "How can I help you today?" in preview.text
    assert "Draft " not in preview.text.split("Drafts to review")[1].split("Draft a change")[0]  # nothing saved

    saved = writer.post(
        f"/content/{key}/drafts",
        data={"csrf": csrf_of(page.text), "text": "How can I help you today?", "action": "save"},
    )
    assert saved.status_code == 303
    page = checker.get(f"/content/{key}")
    assert "<ins>" in page.text and "today?" in page.text.split("<ins>", 1)[1]
    draft_id = re.search(r"/content/drafts/(\d+)/approve", page.text).group(1)

    own = writer.post(f"/content/drafts/{draft_id}/approve", data={"csrf": writer.csrf(f"/content/{key}")})
    assert own.status_code == 403 and "own draft" in own.text
    approved = checker.post(f"/content/drafts/{draft_id}/approve", data={"csrf": csrf_of(page.text), "comment": "ok"})
    assert approved.status_code == 303
    after = checker.get(f"/content/{key}").text
    assert '<p class="text live-text">How can I help you today?</p>' in after and live not in after.split("Drafts")[0]


def test_hostile_draft_text_is_shown_as_text(console, new_user):
    writer = signed_in_as(console, new_user("writer"))
    key = "utter_told_everything.default"
    page = writer.get(f"/content/{key}")
    writer.post(f"/content/{key}/drafts", data={"csrf": csrf_of(page.text), "text": HOSTILE, "action": "save"})
    shown = writer.get(f"/content/{key}").text
    assert "<script>alert" not in shown and "<img src=x" not in shown
    assert "&lt;script&gt;alert" in shown


def test_a_bad_draft_and_a_form_without_csrf_are_refused(console, new_user):
    writer = signed_in_as(console, new_user("writer"))
    key = "utter_bot_challenge.default"
    page = writer.get(f"/content/{key}")
    empty = writer.post(f"/content/{key}/drafts", data={"csrf": csrf_of(page.text), "text": "", "action": "save"})
    assert empty.status_code == 400 and "Text is empty" in empty.text
    forged = writer.post(f"/content/{key}/drafts", data={"text": "Forged", "action": "save"})
    assert forged.status_code == 403
    assert "Forged" not in writer.get(f"/content/{key}").text


def test_a_variation_with_two_conditions_opens_from_the_list(signed_in):
    key = "utter_handoff_outcome.handoff_outcome-stored~clinic_expected_reply_time-none"
    listed = signed_in.get("/content").text
    link = re.search(r'href="(/content/utter_handoff_outcome\.handoff_outcome-stored[^"]*)"', listed).group(1)
    page = signed_in.get(link.replace("&amp;", "&"))
    assert page.status_code == 200, page.status_code
    assert re.search(r"<h1>(.*?)</h1>", page.text).group(1) == key
