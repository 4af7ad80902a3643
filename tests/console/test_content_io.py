"""`make content-export` and `make content-import`: the clinic details file as the way details go
out of the content store and back in, where an import only drafts (another person approves)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handoff.cli import main
from handoff.content import add_draft, approve_draft, live_clinic_details, seed_content, versions_of
from handoff.db import make_engine, migrate
from handoff.models import AuditEntry, ContentVersion
from handoff.staff import create_staff_user
from tests.console.support import PASSWORD


@pytest.fixture
def store(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'content-io.db'}"
    migrate(url)
    engine = make_engine(url)
    seed_content(engine)
    create_staff_user(engine, "writer", PASSWORD)
    monkeypatch.setenv("HANDOFF_DATABASE_URL", url)
    yield engine
    engine.dispose()


def cli(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def drafts(engine):
    return [v for v in versions_of(engine, ("draft",)) if v.kind == "detail"]


def counts(engine):
    with Session(engine) as session:
        return (
            session.scalar(select(func.count()).select_from(ContentVersion)),
            session.scalar(select(func.count()).select_from(AuditEntry)),
        )


def actions(engine):
    with Session(engine) as session:
        return [(a.actor, a.action, a.detail) for a in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_exporting_then_importing_the_same_file_changes_nothing(store, tmp_path, capsys):
    exported = tmp_path / "details.yml"
    assert cli(capsys, "content-export", "--out", str(exported))[0] == 0
    text = exported.read_text(encoding="utf-8")
    assert text.startswith("# Clinic details")  # the file's comments are kept
    assert 'phone: ""' in text and 'privacy_notice_url: ""' in text

    code, out, _ = cli(capsys, "content-import", str(exported), "--author", "writer")
    assert code == 0 and "No changes" in out
    assert drafts(store) == []
    assert ("admin", "content_exported", f"to {exported}") in actions(store)
    assert ("writer", "content_imported", "0 changed detail(s) from details.yml") in actions(store)


def test_export_to_standard_output_shows_approved_details_and_reads_back_unchanged(store, tmp_path, capsys):
    create_staff_user(store, "checker", PASSWORD)
    prices = 'First visit: £55 ("60 minutes"); # not a comment'
    for name, value in (("phone", "01234 567890"), ("prices", prices)):
        approve_draft(store, add_draft(store, f"clinic_details.{name}", "writer", value).id, "checker")
    code, out, _ = cli(capsys, "content-export")
    assert code == 0
    assert 'phone: "01234 567890"' in out and 'email: ""' in out
    exported = tmp_path / "out.yml"
    exported.write_text(out, encoding="utf-8")
    code, out, _ = cli(capsys, "content-import", str(exported), "--author", "writer")
    assert (code, out.strip()) == (0, "No changes: the file matches the live clinic details.")
    assert live_clinic_details(store).prices == prices


def test_a_changed_phone_is_shown_by_a_dry_run_and_drafted_by_an_import_but_not_live(store, tmp_path, capsys):
    cli(capsys, "content-export", "--out", str(tmp_path / "details.yml"))
    changed = tmp_path / "changed.yml"
    changed.write_text(
        (tmp_path / "details.yml").read_text(encoding="utf-8").replace('phone: ""', 'phone: "01234 567890"'),
        encoding="utf-8",
    )
    before = counts(store)[0]

    code, out, _ = cli(capsys, "content-import", str(changed), "--author", "writer", "--dry-run")
    assert code == 0
    assert "phone: '' -> '01234 567890'" in out and "nothing was changed" in out
    assert "email" not in out  # only what differs
    assert counts(store)[0] == before and drafts(store) == []

    code, out, _ = cli(capsys, "content-import", str(changed), "--author", "writer")
    assert code == 0 and "phone: '' -> '01234 567890'" in out and "another member of staff" in out
    [draft] = drafts(store)
    assert (draft.key, draft.text, draft.author, draft.status) == (
        "clinic_details.phone",
        "01234 567890",
        "writer",
        "draft",
    )
    assert live_clinic_details(store).phone == ""  # the assistant still says what was approved

    code, out, _ = cli(capsys, "content-import", str(changed), "--author", "writer")
    assert code == 0 and "0 new draft(s) by writer (1 already waiting as drafts)" in out
    assert len(drafts(store)) == 1  # importing the same file twice does not queue it twice
    assert ("writer", "content_drafted", f"version {draft.id}") in actions(store)


def test_a_file_with_only_some_details_leaves_the_others_alone(store, tmp_path, capsys):
    partial = tmp_path / "partial.yml"
    partial.write_text('email: "bookings@clinic.example"\n', encoding="utf-8")
    code, out, _ = cli(capsys, "content-import", str(partial), "--author", "writer")
    assert code == 0
    assert [d.key for d in drafts(store)] == ["clinic_details.email"]


@pytest.mark.parametrize(
    "content, message",
    [
        ('phone: "01234 567890"\nfax: "01234 567891"\n', "unknown clinic detail(s): fax"),
        ('phone: "01234 567890\nemail: [\n', "cannot read clinic details from bad.yml"),
        ("prices: " + "x" * 1001 + "\n", "clinic detail 'prices' is longer than 1000 characters"),
        ("", "bad.yml is empty"),
        ("# only a comment\n", "bad.yml is empty"),
        ('phone: "01234 567890"\n', "there is no staff account 'nobody'"),
    ],
    ids=["unknown key", "broken yaml", "too long", "empty", "comments only", "unknown author"],
)
def test_a_file_that_cannot_be_used_exits_2_saying_why_and_changes_nothing(store, tmp_path, capsys, content, message):
    bad = tmp_path / "bad.yml"
    bad.write_text(content, encoding="utf-8")
    before = counts(store)
    author = "nobody" if "staff account" in message else "writer"
    for extra in ([], ["--dry-run"]):
        code, out, err = cli(capsys, "content-import", str(bad), "--author", author, *extra)
        assert code == 2
        assert message in err and "Nothing was changed" in err
        assert "->" not in out
    assert counts(store) == before  # no draft, no audit entry
