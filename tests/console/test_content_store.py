"""The content store on a fresh install: the seed from domain/*.yml and content/clinic_details.yml
puts every answer variation and clinic detail in the store, live, exactly as the files say."""

from __future__ import annotations

import json
import subprocess
import sys

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic.details import ClinicDetails, load_clinic_details
from handoff.content import DOMAIN, add_draft, approve_draft, domain_responses, live_versions, seed_content
from handoff.db import make_engine, migrate
from handoff.models import ContentVersion
from handoff.staff import create_staff_user
from tests.console.support import PASSWORD, PROJECT_ROOT


def fresh_store(tmp_path, name="fresh.db"):
    url = f"sqlite:///{tmp_path / name}"
    migrate(url)
    return make_engine(url)


def every_domain_variation():
    for path in sorted(DOMAIN.glob("*.yml")):
        for name, variations in (yaml.safe_load(path.read_text(encoding="utf-8")).get("responses") or {}).items():
            for variation in variations:
                yield name, variation


def test_a_fresh_install_serves_every_domain_answer_live_with_the_same_text_and_buttons(tmp_path):
    engine = fresh_store(tmp_path)
    assert seed_content(engine) > 0
    _counter, rows = live_versions(engine)
    live = {}
    for row in rows:
        if row.kind == "response":
            entry = (row.text, json.loads(row.buttons), json.loads(row.condition), row.channel)
            live.setdefault(row.response, []).append(entry)
    wanted = list(every_domain_variation())
    assert len(wanted) >= 70
    for name, variation in wanted:
        expected = (
            variation["text"],
            variation.get("buttons") or [],
            variation.get("condition") or [],
            variation.get("channel"),
        )
        assert expected in live.get(name, []), f"{name}: {variation['text'][:60]!r} is not live in the store"
    assert sum(len(v) for v in live.values()) == len(wanted)  # nothing the domain does not have
    details = {row.key: row.text for row in rows if row.kind == "detail"}
    assert details == {f"clinic_details.{k}": v for k, v in vars(load_clinic_details()).items()}
    assert all(row.source and row.review_by and row.approver for row in rows)


def test_the_migrate_command_fills_an_empty_store(tmp_path):
    url = f"sqlite:///{tmp_path / 'by-command.db'}"
    done = subprocess.run(
        [sys.executable, "-m", "handoff.cli", "migrate"],
        cwd=PROJECT_ROOT,
        env={"HANDOFF_DATABASE_URL": url, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "answers and clinic details added" in done.stdout
    _counter, rows = live_versions(make_engine(url))
    assert len(rows) == len(list(every_domain_variation())) + len(vars(ClinicDetails()))


def test_seeding_again_changes_nothing_and_keeps_an_approved_edit(tmp_path):
    engine = fresh_store(tmp_path)
    seed_content(engine)
    create_staff_user(engine, "writer", PASSWORD)
    create_staff_user(engine, "checker", PASSWORD)
    draft = add_draft(engine, "utter_offer_pass_on.default", "writer", "Shall I pass your question on to the team?")
    approve_draft(engine, draft.id, "checker")

    assert seed_content(engine) == 0
    _counter, rows = live_versions(engine)
    live = [r for r in rows if r.key == "utter_offer_pass_on.default"]
    assert [(r.text, r.approver) for r in live] == [("Shall I pass your question on to the team?", "checker")]


def test_variation_keys_are_unique_and_do_not_depend_on_the_order_in_the_file():
    keys = [key for variations in domain_responses().values() for key, _ in variations]
    assert len(keys) == len(set(keys))
    contact = dict(domain_responses()["utter_contact_route"])
    assert contact["utter_contact_route.clinic_contact_route-phone"]["text"].startswith("You can call the clinic on")


def test_a_response_new_in_the_domain_is_added_to_an_existing_store(tmp_path):
    engine = fresh_store(tmp_path)
    domain = tmp_path / "domain"
    domain.mkdir()
    for path in DOMAIN.glob("*.yml"):
        (domain / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    seed_content(engine, domain, ClinicDetails())
    extra = {
        "responses": {
            "utter_new_answer": [
                {"text": "A new answer.", "metadata": {"approved_content": {"source": "clinic wording"}}}
            ]
        }
    }
    (domain / "extra.yml").write_text(yaml.safe_dump(extra), encoding="utf-8")
    assert seed_content(engine, domain, ClinicDetails()) == 1
    with Session(engine) as session:
        row = session.scalar(select(ContentVersion).where(ContentVersion.key == "utter_new_answer.default"))
    assert (row.status, row.text) == ("live", "A new answer.")


def _copy_of_domain(tmp_path):
    domain = tmp_path / "domain"
    domain.mkdir()
    for path in DOMAIN.glob("*.yml"):
        (domain / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return domain


def _live_text(engine, key):
    _counter, rows = live_versions(engine)
    return [row.text for row in rows if row.key == key]


def test_a_domain_change_reaches_an_answer_staff_never_edited_but_not_one_they_approved(tmp_path, caplog):
    engine = fresh_store(tmp_path)
    domain = _copy_of_domain(tmp_path)
    seed_content(engine, domain, ClinicDetails())
    create_staff_user(engine, "writer", PASSWORD)
    create_staff_user(engine, "checker", PASSWORD)
    approve_draft(engine, add_draft(engine, "utter_goodbye.default", "writer", "Goodbye, and take care.").id, "checker")
    hello = dict(domain_responses(domain)["utter_offer_pass_on"])["utter_offer_pass_on.default"]["text"]
    goodbye = dict(domain_responses(domain)["utter_goodbye"])["utter_goodbye.default"]["text"]
    for path in domain.glob("*.yml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(hello, "Changed by a developer.").replace(goodbye, "Bye (developer)."), "utf-8")

    assert seed_content(engine, domain, ClinicDetails()) == 1
    assert _live_text(engine, "utter_offer_pass_on.default") == ["Changed by a developer."]
    assert _live_text(engine, "utter_goodbye.default") == ["Goodbye, and take care."]  # staff's approval stands
    assert "utter_goodbye.default" in caplog.text  # and the log says the files differ from it


def test_clinic_details_are_the_file_with_the_approved_ones_in_their_place(tmp_path, monkeypatch):
    from handoff.content import live_clinic_details

    details_file = tmp_path / "clinic_details.yml"
    details_file.write_text('phone: ""\nemail: "team@clinic.example"\nprices: "From the file."\n', encoding="utf-8")
    monkeypatch.setenv("CLINIC_DETAILS_FILE", str(details_file))
    engine = fresh_store(tmp_path)
    seed_content(engine)
    assert live_clinic_details(engine).phone == ""  # the seed's copy is not an approval
    create_staff_user(engine, "writer", PASSWORD)
    create_staff_user(engine, "checker", PASSWORD)
    approve_draft(engine, add_draft(engine, "clinic_details.phone", "writer", "01234 567890").id, "checker")
    details = live_clinic_details(engine)
    assert (details.phone, details.email, details.prices) == ("01234 567890", "team@clinic.example", "From the file.")
    details_file.write_text('phone: ""\nemail: "new@clinic.example"\nprices: ""\n', encoding="utf-8")
    details = live_clinic_details(engine)  # the file is read on every call, as before
    assert (details.phone, details.email, details.prices) == ("01234 567890", "new@clinic.example", "")


def test_clinic_details_come_from_the_file_when_the_store_cannot_be_read(tmp_path, monkeypatch):
    from handoff.content import live_clinic_details

    details_file = tmp_path / "clinic_details.yml"
    details_file.write_text('phone: "01234 000000"\n', encoding="utf-8")
    monkeypatch.setenv("CLINIC_DETAILS_FILE", str(details_file))
    broken = make_engine(f"sqlite:///{tmp_path / 'missing-dir' / 'none.db'}")
    assert live_clinic_details(broken).phone == "01234 000000"
