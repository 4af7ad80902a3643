"""An answer changed in the staff console reaches visitors once a second person approves it.

The real assistant (Rasa server with the trained model, action server) asks the real
staff console's /nlg for every answer (components/approved_responses.py). Two staff
accounts: the writer drafts a reworded Tui Na answer and cannot approve it; visitors keep
getting the old text; the checker approves and the next visitor gets the new text, with no
restart; a rejected draft never reaches a visitor. Then the console stops, and visitors
get the domain files' text again instead of no answer.
"""

from __future__ import annotations

import time

import pytest

from tests.servers import staff_api, start_assistant, start_staff_console

PASSWORD = "a long test password for two"
KEY = "utter_ask_tuina.default"
SEED_START = "Tui Na is a massage technique used in Chinese medicine"
REWORDED = (
    "Tui Na is a form of Chinese massage, often given alongside acupuncture. The clinic's "
    "practitioners can talk through with you whether it suits you."
)
REJECTED = "Tui Na is a massage technique. This wording was rejected by the clinic."


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("approved-content")
    console = start_staff_console(workdir / "console", PASSWORD, staff=("writer", "checker"))
    try:
        assistant = start_assistant(workdir / "assistant", extra_env=console.nlg_env)  # actions read the store too
    except Exception:
        console.stop()
        raise
    try:
        yield assistant, console.process, console.url
    finally:
        assistant.stop()
        console.stop()


_visitors = iter(range(1000))


def tuina_answer(assistant) -> str:
    """What a new visitor asking about Tui Na is told (all the bot's texts of that turn)."""
    replies = assistant.send(f"content-visitor-{next(_visitors)}", "what is tui na?")
    return "\n".join(reply.get("text", "") for reply in replies)


def test_an_answer_changes_for_visitors_only_when_someone_else_approves_it(live):
    assistant, _, console_url = live
    assert SEED_START in tuina_answer(assistant)
    writer, checker = staff_api(console_url, "writer", PASSWORD), staff_api(console_url, "checker", PASSWORD)

    draft = writer.post(f"{console_url}/api/content/{KEY}/drafts", json={"text": REWORDED}, timeout=30)
    assert draft.status_code == 201, draft.text
    draft_id = draft.json()["draft"]["id"]
    own = writer.post(f"{console_url}/api/content/drafts/{draft_id}/approve", json={}, timeout=30)
    assert own.status_code == 403
    time.sleep(1.5)  # past the console's once-a-second check: a draft is still not live
    answer = tuina_answer(assistant)
    assert SEED_START in answer and REWORDED not in answer

    approved = checker.post(f"{console_url}/api/content/drafts/{draft_id}/approve", json={}, timeout=30)
    assert approved.status_code == 200, approved.text
    answer = tuina_answer(assistant)  # the next message, no restart
    assert REWORDED in answer and SEED_START not in answer

    rejected_draft = writer.post(f"{console_url}/api/content/{KEY}/drafts", json={"text": REJECTED}, timeout=30)
    rejected_id = rejected_draft.json()["draft"]["id"]
    rejected = checker.post(
        f"{console_url}/api/content/drafts/{rejected_id}/reject", json={"comment": "Not our wording."}, timeout=30
    )
    assert rejected.status_code == 200, rejected.text
    time.sleep(1.5)
    answer = tuina_answer(assistant)
    assert REWORDED in answer and REJECTED not in answer


def test_an_approved_phone_number_is_given_to_the_next_visitor(live):
    assistant, _, console_url = live
    number = "01234 567890"  # a test number, in no clinic file

    def phone_answer():
        replies = assistant.send(f"content-visitor-{next(_visitors)}", "what's your phone number?")
        return "\n".join(reply.get("text", "") for reply in replies)

    assert number not in phone_answer()  # content/clinic_details.yml leaves the phone blank
    writer, checker = staff_api(console_url, "writer", PASSWORD), staff_api(console_url, "checker", PASSWORD)
    draft = writer.post(f"{console_url}/api/content/clinic_details.phone/drafts", json={"text": number}, timeout=30)
    assert draft.status_code == 201, draft.text
    time.sleep(1.5)
    assert number not in phone_answer()
    approved = checker.post(
        f"{console_url}/api/content/drafts/{draft.json()['draft']['id']}/approve", json={}, timeout=30
    )
    assert approved.status_code == 200, approved.text
    assert number in phone_answer()


def test_with_the_console_stopped_visitors_get_the_domain_files_text(live):
    assistant, console, _ = live
    console.terminate()
    console.wait(timeout=30)
    assert SEED_START in tuina_answer(assistant)
    rasa_log = (assistant.workdir / "rasa.log").read_text()
    assert "answers come from the domain files until it does" in rasa_log
