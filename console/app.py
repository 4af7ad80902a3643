"""The staff console: a Sanic application built by `create_app(settings)`.

Engines, templates and the notification task live on `app.ctx`, created by listeners
from the settings given, so a test can run it against databases of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sanic import Request, Sanic
from sanic.exceptions import SanicException
from sanic.response import HTTPResponse, html, json
from sqlalchemy.exc import DBAPIError, OperationalError

from console import (
    api,
    auth,
    content,
    content_pages,
    inbox,
    insights,
    insights_pages,
    nlg,
    review,
    review_pages,
    takeover,
)
from console.settings import Settings
from console.web import clinic_zone
from handoff.content import seed_content
from handoff.db import make_engine, migrate
from handoff.models import as_utc
from handoff.notify import deliver_pending, send_review_reminder

logger = logging.getLogger("console")
HERE = Path(__file__).resolve().parent
APP_NAME = "clinic_console"
WAITING_CHECK_SECONDS = 5

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def create_app(settings: Settings) -> Sanic:
    # A registered name is needed by Sanic; re-creating the app in one process (tests) replaces it.
    Sanic._app_registry.pop(APP_NAME, None)
    app = Sanic(APP_NAME)
    app.config.update(
        {
            "REQUEST_MAX_SIZE": settings.request_max_size,
            "REQUEST_TIMEOUT": 30,
            "RESPONSE_TIMEOUT": 30,
            "KEEP_ALIVE_TIMEOUT": 5,
            "OAS": False,
            "AUTO_EXTEND": False,
            **settings.sanic_config,
        }
    )
    app.ctx.settings = settings
    app.ctx.templates = _templates(settings)
    app.ctx.notifier = None
    app.ctx.failed_logins = auth.FailedLoginsByAddress(settings.failed_logins_per_address)

    app.static("/static", HERE / "static", name="static")
    app.blueprint(auth.bp)
    app.blueprint(inbox.bp)
    app.blueprint(api.bp)
    app.blueprint(content.bp)
    app.blueprint(content_pages.bp)
    app.blueprint(insights.bp)
    app.blueprint(insights_pages.bp)
    app.blueprint(nlg.bp)
    app.blueprint(review.bp)
    app.blueprint(review_pages.bp)
    app.blueprint(takeover.bp)
    app.register_middleware(auth.require_login, "request")
    app.register_middleware(_security_headers, "response")
    app.error_handler.add(Exception, _on_error)
    app.add_signal(_remember_failure, "http.lifecycle.exception")

    app.register_listener(_open_databases, "before_server_start")
    app.register_listener(_start_notifier, "after_server_start")
    app.register_listener(_start_waiting_watch, "after_server_start")
    app.register_listener(_stop_notifier, "before_server_stop")
    app.register_listener(_close_databases, "after_server_stop")
    return app


def _templates(settings: Settings) -> Environment:
    templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, undefined=StrictUndefined)
    zone = clinic_zone(settings.timezone)
    templates.filters["when"] = (
        lambda moment: as_utc(moment).astimezone(zone).strftime("%a %d %b %Y, %H:%M") if moment else ""
    )
    templates.filters["iso"] = lambda moment: as_utc(moment).isoformat() if moment else ""
    return templates


async def _open_databases(app: Sanic) -> None:
    settings: Settings = app.ctx.settings
    if settings.migrate_on_start:
        await asyncio.to_thread(migrate, settings.handoff_database_url)
    app.ctx.handoffs = make_engine(settings.handoff_database_url)
    if settings.migrate_on_start:
        try:
            await asyncio.to_thread(seed_content, app.ctx.handoffs)
        except (OSError, ValueError) as error:  # unreadable domain or details file: /nlg falls back
            logger.error("Could not seed the content store: %s", error)
    app.ctx.live_content = nlg.LiveContent(app.ctx.handoffs)
    app.ctx.trackers = make_engine(settings.tracker_database_url)


async def _close_databases(app: Sanic) -> None:
    for name in ("handoffs", "trackers"):
        engine = getattr(app.ctx, name, None)
        if engine is not None:
            engine.dispose()


async def _notify_forever(app: Sanic) -> None:
    """Send pending and failed notifications now and every notify_interval seconds, until stopped;
    and the weekly e-mail of answers due for review when a week has passed."""
    settings: Settings = app.ctx.settings
    while True:
        try:
            sent = await asyncio.to_thread(deliver_pending, app.ctx.handoffs, settings.smtp)
            if sent:
                logger.info("Sent %d handoff notification(s)", sent)
            if await asyncio.to_thread(send_review_reminder, app.ctx.handoffs, settings.smtp):
                logger.info("E-mailed the answers due for review")
        except Exception:  # a database hiccup must not end the retries
            logger.exception("Sending notifications failed; retrying in %ss", settings.notify_interval)
        await asyncio.sleep(settings.notify_interval)


async def _start_notifier(app: Sanic) -> None:
    if app.ctx.settings.smtp is None:
        logger.warning("CLINIC_NOTIFY_EMAIL is not set: new requests are not e-mailed (they stay 'pending').")
        return
    app.ctx.notifier = asyncio.get_running_loop().create_task(_notify_forever(app))


async def _watch_waiting_forever(app: Sanic) -> None:
    """Visitors waiting for a person are told when nobody comes (console/takeover.py)."""
    while True:
        try:
            told = await takeover.tell_waiting_visitors(app)
            if told:
                logger.info("Told %d waiting visitor(s) that the team will reply later", told)
        except Exception:  # a database hiccup must not end the watch
            logger.exception("Checking the visitors waiting for a person failed")
        await asyncio.sleep(WAITING_CHECK_SECONDS)


async def _start_waiting_watch(app: Sanic) -> None:
    if app.ctx.settings.takeover_token:
        app.ctx.waiting_watch = asyncio.get_running_loop().create_task(_watch_waiting_forever(app))


async def _stop_notifier(app: Sanic) -> None:
    for task in (app.ctx.notifier, getattr(app.ctx, "waiting_watch", None)):
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def _security_headers(request: Request, response: HTTPResponse) -> None:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if not request.path.startswith("/static/"):
        # Pages and API answers carry personal and health data: never keep them in a cache.
        response.headers["Cache-Control"] = "no-store"


async def _remember_failure(request: Request, exception: BaseException) -> None:
    """Sanic runs request middleware before answering an error raised ahead of any handler
    (a body over REQUEST_MAX_SIZE, say); marking the request lets the login gate step aside
    so the client gets the real 413/400 instead of a redirect."""
    if request is not None:
        request.ctx.failure = exception


async def _on_error(request: Request, exception: Exception) -> HTTPResponse:
    headers = {}
    if isinstance(exception, (OperationalError, DBAPIError)):
        logger.error("Database error on %s: %s", getattr(request, "path", "?"), exception)
        status, message = 503, "The database is not available at the moment; try again shortly."
    elif isinstance(exception, SanicException):
        status, message = exception.status_code, str(exception) or "Request refused"
        headers = dict(getattr(exception, "headers", None) or {})
        if status >= 500:
            logger.error("Error on %s: %s", getattr(request, "path", "?"), exception)
            message = "Something went wrong on the server."
    else:
        logger.exception("Unexpected error on %s", getattr(request, "path", "?"), exc_info=exception)
        status, message = 500, "Something went wrong on the server."
    if request is None or request.path.startswith("/api/") or request.path in auth.MACHINE_PATHS:
        response = json({"error": message}, status=status, headers=headers)
    else:
        page = request.app.ctx.templates.get_template("error.html").render(
            staff=getattr(request.ctx, "staff", None),
            csrf=getattr(request.ctx, "csrf", ""),
            new_count=0,
            title=_error_title(status),
            message=message,
        )
        response = html(page, status=status, headers=headers)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers["Cache-Control"] = "no-store"
    return response


def _error_title(status: int) -> str:
    return {400: "Not accepted", 403: "Not allowed", 404: "Not found", 405: "Not allowed", 413: "Too large"}.get(
        status, "Error"
    )
