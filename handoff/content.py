"""The content store: every answer variation the assistant can send and every clinic detail,
in versions that one member of staff drafts and another approves (docs/content-approval.md).

A key names one piece of content:
- `utter_contact_route.clinic_contact_route-phone`: a variation of a response in domain/*.yml,
  named by the response and a variation key made from its condition and channel (`default`
  when it has neither; `.2`, `.3` for further variations with the same condition);
- `clinic_details.phone`: a detail of content/clinic_details.yml.

The domain files and the details file are the seed and the fallback: `seed_content` copies
them into an empty store (and adds keys that are new since), each as a live version.
Versions go draft -> live (the live one before it becomes superseded) or rejected; every
draft, approval and rejection is in the audit log. Every approval raises a counter
(content_state) that the NLG endpoint's caches watch.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import string
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple

import yaml
from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from clinic.details import MAX_DETAIL_LENGTH, ClinicDetails, clinic_details_or_blank, load_clinic_details
from handoff.models import SAFETY_OFFICER, ContentState, ContentVersion, StaffUser, as_utc
from handoff.store import audit, now

logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DOMAIN = PROJECT_ROOT / "domain"
# Emergency and safety replies (everything the triage sends is here): approving a change
# to one needs the clinical-safety-officer role.
SAFETY_DOMAIN_FILE = "safety.yml"
SEED_ACTOR = "seed (domain files)"
DETAILS_PREFIX = "clinic_details."
# Where an approved text comes from (the domain's approved_content sources).
SOURCES = ("article", "NHS guidance", "NICE guidance", "clinic details", "clinic wording", "visitor details")
# Sources that may back a claim that a treatment helps a condition.
CLAIM_SOURCES = ("NHS guidance", "NICE guidance")
# A new version is due for review this long after its approval unless the author says otherwise.
REVIEW_INTERVAL = timedelta(days=365)
MAX_TEXT_LENGTH = 2000
MAX_BUTTONS = 10
MAX_REFERENCE_LENGTH = 2000
MAX_COMMENT_LENGTH = 2000
KEY_PATTERN = re.compile(r"[A-Za-z0-9_.~-]{1,100}")  # characters a URL path carries as they are
# Efficacy words: with a condition they make a health claim, which needs NHS or NICE guidance
# behind it (or an approver who says they checked).
CLAIM_WORDS = re.compile(
    r"\b(cur(?:e|es|ed|ing)|treats?|treated|treating|heal(?:s|ed|ing)?|reliev(?:e|es|ed|ing)|"
    r"effective(?:ly)?|proven|works? for)\b",
    re.I,
)


class ContentError(ValueError):
    """Input that cannot be stored as given; the message says why (400)."""


class NotAllowed(ContentError):
    """This person may not do this (403)."""


class Conflict(ContentError):
    """Not in a state that allows it (409): already decided, or claims not acknowledged."""


# The seed ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeedEntry:
    key: str
    kind: str  # response or detail
    response: Optional[str]
    text: str
    buttons: List[Dict[str, Any]]
    condition: List[Dict[str, Any]]
    channel: Optional[str]
    source: str
    source_reference: str
    approved: Optional[date]
    reviewed: Optional[date]


def variation_key(variation: Dict[str, Any]) -> str:
    """Stable for a variation: made from its condition and channel, not its place in the file."""
    parts = [f"{c.get('name')}-{str(c.get('value')).lower()}" for c in variation.get("condition") or []]
    if variation.get("channel"):
        parts.append(f"channel-{variation['channel']}")
    return re.sub(r"[^A-Za-z0-9_~-]", "_", "~".join(parts)) or "default"


def domain_responses(domain: Path = DOMAIN) -> Dict[str, List[Tuple[str, Dict[str, Any]]]]:
    """Every response of domain/*.yml: name -> [(key, variation)], keys unique."""
    found: Dict[str, List[Tuple[str, Dict[str, Any]]]] = {}
    for path in sorted(domain.glob("*.yml")):
        for name, variations in (yaml.safe_load(path.read_text(encoding="utf-8")).get("responses") or {}).items():
            keyed, seen = [], {}
            for variation in variations:
                base = f"{name}.{variation_key(variation)}"
                seen[base] = seen.get(base, 0) + 1
                keyed.append((base if seen[base] == 1 else f"{base}.{seen[base]}", variation))
            found[name] = keyed
    return found


def safety_responses(domain: Path = DOMAIN) -> frozenset:
    raw = yaml.safe_load((domain / SAFETY_DOMAIN_FILE).read_text(encoding="utf-8"))
    return frozenset(raw.get("responses") or {})


def seed_entries(domain: Path = DOMAIN, details: Optional[ClinicDetails] = None) -> List[SeedEntry]:
    entries = []
    for name, variations in domain_responses(domain).items():
        for key, variation in variations:
            meta = (variation.get("metadata") or {}).get("approved_content") or {}
            references = [*(meta.get("passages") or []), *(meta.get("pages") or [])]
            entries.append(
                SeedEntry(
                    key=key,
                    kind="response",
                    response=name,
                    text=variation.get("text") or "",
                    buttons=list(variation.get("buttons") or []),
                    condition=list(variation.get("condition") or []),
                    channel=variation.get("channel"),
                    source=meta.get("source") or "clinic wording",
                    source_reference="\n".join(map(str, references)),
                    approved=_date(meta.get("approved")),
                    reviewed=_date(meta.get("reviewed")),
                )
            )
    details = details if details is not None else load_clinic_details()
    for name, value in vars(details).items():
        entries.append(
            SeedEntry(
                key=DETAILS_PREFIX + name,
                kind="detail",
                response=None,
                text=value,
                buttons=[],
                condition=[],
                channel=None,
                source="clinic details",
                source_reference="content/clinic_details.yml",
                approved=None,
                reviewed=None,
            )
        )
    return entries


def _date(value: Any) -> Optional[date]:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _moment(day: Optional[date]) -> Optional[datetime]:
    return datetime.combine(day, time(), tzinfo=timezone.utc) if day else None


def seed_content(engine: Engine, domain: Path = DOMAIN, details: Optional[ClinicDetails] = None) -> int:
    """Bring the store in line with the domain and details files (the seed). A key the store
    lacks is added, live. A key whose live version is still the seed's follows the files: when
    they changed, the new text becomes live, as seed again (a developer's domain change or the
    clinic's edit of content/clinic_details.yml keeps working). A key staff changed in the store
    keeps its approved version; a later change of the files to it is listed in the log, for staff
    to carry over by a draft. Returns how many versions were added."""
    entries = seed_entries(domain, details)
    moment = now()
    with Session(engine) as session, session.begin():
        live = {row.key: row for row in session.scalars(select(ContentVersion).where(ContentVersion.status == "live"))}
        known = set(session.scalars(select(ContentVersion.key).distinct()))
        added, diverged = 0, []
        for entry in entries:
            current = live.get(entry.key)
            if current is not None and (current.text, json.loads(current.buttons or "[]")) == (
                entry.text,
                entry.buttons,
            ):
                continue
            if current is not None and current.author != SEED_ACTOR:
                diverged.append(entry.key)
                continue
            if current is None and entry.key in known:
                continue  # no live version (its only draft rejected): staff decide
            if current is not None:
                current.status = "superseded"
            approved = moment if current is not None else (_moment(entry.approved) or moment)
            session.add(
                ContentVersion(
                    key=entry.key,
                    kind=entry.kind,
                    response=entry.response,
                    text=entry.text,
                    buttons=json.dumps(entry.buttons),
                    condition=json.dumps(entry.condition),
                    channel=entry.channel,
                    status="live",
                    source=entry.source,
                    source_reference=entry.source_reference,
                    review_by=(_moment(entry.reviewed) or approved) + REVIEW_INTERVAL,
                    author=SEED_ACTOR,
                    created_at=moment,
                    approver=SEED_ACTOR,
                    approved_at=approved,
                    comment="",
                    claims_acknowledged=False,
                )
            )
            added += 1
        if diverged:
            logger.warning(
                "The domain or details files changed %d answer(s) staff have approved in the content store; "
                "the store's version stays live until staff approve a draft: %s",
                len(diverged),
                ", ".join(diverged[:20]),
            )
        if added:
            _raise_counter(session)
            audit(session, "admin", "content_seeded", "content store", f"{added} versions")
    return added


def approved_details(engine: Engine) -> Dict[str, str]:
    """Clinic details that staff changed in the store and a second person approved (live, not the
    seed's): they take the place of content/clinic_details.yml's values, for the action
    server's slots and the NLG alike."""
    with Session(engine) as session:
        rows = session.execute(
            select(ContentVersion.key, ContentVersion.text).where(
                ContentVersion.kind == "detail", ContentVersion.status == "live", ContentVersion.author != SEED_ACTOR
            )
        )
        return {key[len(DETAILS_PREFIX) :]: text for key, text in rows}


def with_approved(details: ClinicDetails, approved: Mapping[str, str]) -> ClinicDetails:
    """The file's details with the approved ones in their place."""
    known = {name: value for name, value in approved.items() if name in vars(details)}
    return dataclasses.replace(details, **known) if known else details


def live_clinic_details(engine: Engine) -> ClinicDetails:
    """What the assistant says about the clinic: content/clinic_details.yml (read on every call)
    with the details approved in the store in place; the file alone if the store cannot be read
    (blocking: run it off the event loop)."""
    details = clinic_details_or_blank()
    try:
        return with_approved(details, approved_details(engine))
    except SQLAlchemyError as error:
        logger.warning("Content store not readable, clinic details from the file only: %s", error)
        return details


def _raise_counter(session: Session) -> None:
    """Raise the change counter (creating its row). An approval does this first: the row lock
    makes approvals wait for each other, so two at once never leave two live versions."""
    changed = session.execute(update(ContentState).where(ContentState.id == 1).values(version=ContentState.version + 1))
    if not changed.rowcount:
        session.add(ContentState(id=1, version=1))
        session.flush()


# Reading -----------------------------------------------------------------------------------


def content_version(engine: Engine) -> int:
    """The change counter: one cheap read, made by each NLG process at most once a second."""
    with Session(engine) as session:
        return session.scalar(select(ContentState.version).where(ContentState.id == 1)) or 0


def live_versions(engine: Engine) -> Tuple[int, List[ContentVersion]]:
    """(counter, every live version), read in one transaction."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        counter = session.scalar(select(ContentState.version).where(ContentState.id == 1)) or 0
        rows = list(session.scalars(select(ContentVersion).where(ContentVersion.status == "live")))
    return counter, rows


def versions_of(engine: Engine, statuses=("live", "draft")) -> List[ContentVersion]:
    with Session(engine, expire_on_commit=False) as session:
        return list(
            session.scalars(
                select(ContentVersion)
                .where(ContentVersion.status.in_(statuses))
                .order_by(ContentVersion.key, ContentVersion.id)
            )
        )


def history_of(engine: Engine, key: str) -> List[ContentVersion]:
    """Every version of one key, newest first: live, superseded, rejected and open drafts."""
    with Session(engine, expire_on_commit=False) as session:
        return list(
            session.scalars(select(ContentVersion).where(ContentVersion.key == key).order_by(ContentVersion.id.desc()))
        )


def get_version(engine: Engine, version_id: int) -> Optional[ContentVersion]:
    with Session(engine, expire_on_commit=False) as session:
        return session.get(ContentVersion, version_id)


def is_safety(key: str, safety: Optional[frozenset] = None) -> bool:
    safety = safety if safety is not None else safety_responses()
    return key.split(".", 1)[0] in safety


def claims_in(text: str) -> List[str]:
    return sorted({match.group(0).lower() for match in CLAIM_WORDS.finditer(text or "")})


def placeholders(text: str) -> set:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}
    except ValueError:
        raise ContentError("the text has an unmatched { or }: write placeholders as {clinic_phone}") from None


# Drafting, approving, rejecting --------------------------------------------------------------


def add_draft(
    engine: Engine,
    key: str,
    author: str,
    text: Any,
    buttons: Any = None,
    source: Optional[str] = None,
    source_reference: Optional[str] = None,
    review_by: Optional[str] = None,
) -> ContentVersion:
    """A new draft of `key`, based on its live version (condition and channel stay the same)."""
    if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
        raise LookupError(key)
    with Session(engine, expire_on_commit=False) as session, session.begin():
        live = session.scalar(select(ContentVersion).where(ContentVersion.key == key, ContentVersion.status == "live"))
        if live is None:
            raise LookupError(key)
        text = _checked_text(live, text)
        draft = ContentVersion(
            key=key,
            kind=live.kind,
            response=live.response,
            text=text,
            buttons=json.dumps(_checked_buttons(live, buttons)),
            condition=live.condition,
            channel=live.channel,
            status="draft",
            source=_checked_source(live, source),
            source_reference=_limited(
                source_reference, live.source_reference, MAX_REFERENCE_LENGTH, "source_reference"
            ),
            review_by=_checked_review_by(review_by),
            author=author,
            created_at=now(),
            comment="",
            claims_acknowledged=False,
        )
        session.add(draft)
        session.flush()
        audit(session, author, "content_drafted", key, f"version {draft.id}")
    return draft


def _checked_text(live: ContentVersion, text: Any) -> str:
    if not isinstance(text, str):
        raise ContentError("text must be a string")
    if "\x00" in text:
        raise ContentError("text contains a NUL character")
    text = text.strip()
    limit = MAX_DETAIL_LENGTH if live.kind == "detail" else MAX_TEXT_LENGTH
    if len(text) > limit:
        raise ContentError(f"text is longer than {limit} characters")
    if live.kind == "detail":
        return " ".join(text.split())
    if not text:
        raise ContentError("text is empty: an answer must say something")
    extra = placeholders(text) - placeholders(live.text)
    if extra:
        allowed = ", ".join(sorted(placeholders(live.text))) or "none"
        raise ContentError(f"unknown placeholder(s) {', '.join(sorted(extra))}; this answer may use: {allowed}")
    return text


def _checked_buttons(live: ContentVersion, buttons: Any) -> List[Dict[str, str]]:
    if buttons is None:
        return json.loads(live.buttons or "[]")
    if live.kind == "detail" and buttons:
        raise ContentError("a clinic detail has no buttons")
    if not isinstance(buttons, list) or len(buttons) > MAX_BUTTONS:
        raise ContentError(f"buttons must be a list of at most {MAX_BUTTONS} {{title, payload}} objects")
    checked = []
    for button in buttons:
        if not isinstance(button, dict) or set(button) != {"title", "payload"}:
            raise ContentError("each button must be an object with exactly a title and a payload")
        title, payload = button["title"], button["payload"]
        if not isinstance(title, str) or not isinstance(payload, str) or "\x00" in title + payload:
            raise ContentError("a button's title and payload must be strings")
        if not 0 < len(title.strip()) <= 100 or not payload.startswith("/") or len(payload) > 200:
            raise ContentError("a button needs a title (at most 100 characters) and a payload like /affirm")
        checked.append({"title": title.strip(), "payload": payload})
    return checked


def _checked_source(live: ContentVersion, source: Any) -> str:
    if source is None:
        return live.source
    if source not in SOURCES:
        raise ContentError(f"source must be one of: {', '.join(SOURCES)}")
    return source


def _limited(value: Any, default: str, limit: int, name: str) -> str:
    if value is None:
        return default
    if not isinstance(value, str) or "\x00" in value or len(value) > limit:
        raise ContentError(f"{name} must be text of at most {limit} characters")
    return value.strip()


def _checked_review_by(value: Any) -> datetime:
    if value is None:
        return now() + REVIEW_INTERVAL
    day = _date(value) if isinstance(value, str) else None
    if day is None:
        raise ContentError("review_by must be a date like 2027-06-30")
    if not now().date() < day <= now().date() + timedelta(days=3 * 366):
        raise ContentError("review_by must be after today and within three years")
    return _moment(day)


def _roles(session: Session, username: str) -> set:
    return set((session.scalar(select(StaffUser.roles).where(StaffUser.username == username)) or "").split())


def approve_draft(
    engine: Engine, version_id: int, approver: str, comment: Any = None, acknowledge_claims: Any = False
) -> ContentVersion:
    """Make a draft live. Refused (NotAllowed) for the draft's own author, and for an emergency
    or safety reply unless the approver is a clinical safety officer; refused (Conflict) when
    the text makes a claim without NHS or NICE guidance behind it and the approver has not
    acknowledged that, or when it is no longer a draft."""
    comment = _limited(comment, "", MAX_COMMENT_LENGTH, "comment")
    safety = safety_responses()
    with Session(engine, expire_on_commit=False) as session, session.begin():
        _raise_counter(session)  # first: approvals queue here (see _raise_counter)
        draft = session.get(ContentVersion, version_id)
        if draft is None:
            raise LookupError(version_id)
        if draft.status != "draft":
            raise Conflict(f"version {version_id} is {draft.status}, not a draft")
        if draft.author == approver:
            raise NotAllowed("nobody approves their own draft: another member of staff must approve it")
        if is_safety(draft.key, safety) and SAFETY_OFFICER not in _roles(session, approver):
            raise NotAllowed(f"an emergency or safety reply needs the {SAFETY_OFFICER} role to approve")
        claims = claims_in(draft.text)
        sourced = draft.source in CLAIM_SOURCES and draft.source_reference.strip()
        if claims and not sourced and acknowledge_claims is not True:
            raise Conflict(
                f"the text makes a claim ({', '.join(claims)}) without NHS or NICE guidance as its source: "
                'check it, then approve again with "acknowledge_claims": true'
            )
        moment = now()
        session.execute(
            update(ContentVersion)
            .where(ContentVersion.key == draft.key, ContentVersion.status == "live")
            .values(status="superseded")
        )
        draft.status, draft.approver, draft.approved_at = "live", approver, moment
        draft.comment, draft.claims_acknowledged = comment, bool(claims and not sourced)
        detail = f"version {draft.id}" + (
            f"; claims acknowledged: {', '.join(claims)}" if claims and not sourced else ""
        )
        audit(session, approver, "content_approved", draft.key, detail + (f"; {comment}" if comment else ""))
    return draft


def reject_draft(engine: Engine, version_id: int, by: str, comment: Any) -> ContentVersion:
    """Turn a draft down, saying why (the author reads the comment)."""
    comment = _limited(comment, "", MAX_COMMENT_LENGTH, "comment")
    if not comment:
        raise ContentError("say why in comment: the author needs to know what to change")
    with Session(engine, expire_on_commit=False) as session, session.begin():
        draft = session.get(ContentVersion, version_id)
        if draft is None:
            raise LookupError(version_id)
        if draft.status != "draft":
            raise Conflict(f"version {version_id} is {draft.status}, not a draft")
        draft.status, draft.rejected_by, draft.rejected_at, draft.comment = "rejected", by, now(), comment
        audit(session, by, "content_rejected", draft.key, f"version {draft.id}; {comment}")
    return draft


def version_json(version: ContentVersion) -> Dict[str, Any]:
    def iso(moment):
        return as_utc(moment).isoformat() if moment else None

    return {
        "id": version.id,
        "key": version.key,
        "kind": version.kind,
        "response": version.response,
        "status": version.status,
        "text": version.text,
        "buttons": json.loads(version.buttons or "[]"),
        "condition": json.loads(version.condition or "[]"),
        "channel": version.channel,
        "source": version.source,
        "source_reference": version.source_reference,
        "review_by": iso(version.review_by),
        "author": version.author,
        "created_at": iso(version.created_at),
        "approver": version.approver,
        "approved_at": iso(version.approved_at),
        "rejected_by": version.rejected_by,
        "rejected_at": iso(version.rejected_at),
        "comment": version.comment,
        "claims_acknowledged": bool(version.claims_acknowledged),
    }


# The details file as import and export format (make content-export, make content-import) -------


def details_yaml(details: ClinicDetails, template: Optional[str] = None) -> str:
    """`details` in content/clinic_details.yml's layout: the template's lines (its comments)
    with each `name: value` line given the detail's value; details the template lacks follow."""
    values = vars(details)
    written, lines = set(), []
    for line in (template or "").splitlines():
        name = line.split(":", 1)[0] if re.match(r"[a-z_]+:", line) else None
        if name in values and name not in written:
            line = f"{name}: {json.dumps(values[name], ensure_ascii=False)}"
            written.add(name)
        lines.append(line)
    lines += [
        f"{name}: {json.dumps(value, ensure_ascii=False)}" for name, value in values.items() if name not in written
    ]
    return "\n".join(lines) + "\n"


def export_details(engine: Engine, template: Optional[str], actor: str, where: str) -> str:
    """The live clinic details (the file with staff-approved ones in place) as YAML; audited."""
    text = details_yaml(live_clinic_details(engine), template)
    with Session(engine) as session, session.begin():
        audit(session, actor, "content_exported", "clinic details", f"to {where}")
    return text


def import_changes(engine: Engine, imported: ClinicDetails, present: Any) -> Dict[str, Tuple[str, str]]:
    """name -> (live value, imported value) for each detail in the file (`present`) that differs."""
    live = vars(live_clinic_details(engine))
    new = vars(imported)
    return {name: (live[name], new[name]) for name in live if name in present and live[name] != new[name]}


def import_details(
    engine: Engine, changes: Mapping[str, Tuple[str, str]], author: str, dry_run: bool, source: str
) -> List[ContentVersion]:
    """One draft per changed detail, authored by `author` (an existing staff account); nothing goes
    live: each needs another person's approval; a change already waiting as a draft with the same
    text is not drafted again. A dry run only records that it was looked at."""
    with Session(engine) as session:
        if session.scalar(select(StaffUser.id).where(StaffUser.username == author)) is None:
            raise ContentError(f"there is no staff account {author!r} (make staff-user NAME={author})")
    waiting = {(version.key, version.text) for version in versions_of(engine, ("draft",))}
    new_values = [(name, new) for name, (_, new) in changes.items() if (DETAILS_PREFIX + name, new) not in waiting]
    drafts = [] if dry_run else [add_draft(engine, DETAILS_PREFIX + name, author, new) for name, new in new_values]
    with Session(engine) as session, session.begin():
        what = "dry run: " if dry_run else ""
        detail = f"{what}{len(changes)} changed detail(s) from {source}" + (
            f": {', '.join(changes)}" if changes else ""
        )
        audit(session, author, "content_imported", "clinic details", detail)
    return drafts


# Review dates -------------------------------------------------------------------------------


def due_for_review(engine: Engine, moment: Optional[datetime] = None) -> List[Tuple[str, datetime]]:
    """(key, review_by) of every live version whose review-by date has passed, soonest first.
    The assistant keeps serving them; staff review them by approving a new draft."""
    moment = moment or now()
    with Session(engine) as session:
        rows = session.execute(
            select(ContentVersion.key, ContentVersion.review_by)
            .where(ContentVersion.status == "live", ContentVersion.review_by < moment)
            .order_by(ContentVersion.review_by, ContentVersion.key)
        )
        return [(key, as_utc(review_by)) for key, review_by in rows]
