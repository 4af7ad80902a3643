"""A fake of the three providers' outbound APIs on loopback, recording every request.

Runs an aiohttp server in a background thread; the channels under test post to it
because their `api_base_url` settings point here.
"""

from __future__ import annotations

import asyncio
import json
import threading
from dataclasses import dataclass
from typing import Any, Dict, List, Optional
from urllib.parse import parse_qsl

from aiohttp import web

from tests.servers import free_port


@dataclass
class ProviderRequest:
    method: str
    path: str
    query: Dict[str, str]
    headers: Dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def form(self) -> Dict[str, str]:
        return dict(parse_qsl(self.body.decode("utf-8"), keep_blank_values=True))


class FakeProviderApi:
    def __init__(self) -> None:
        self.port = free_port()
        self._requests: List[ProviderRequest] = []
        # Requests whose body contains this answer HTTP 500, to test a provider outage.
        self.failing_marker: Optional[bytes] = None
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._runner: Optional[web.AppRunner] = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "FakeProviderApi":
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._serve(), self._loop).result(timeout=10)
        return self

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    def requests(self, path_ending: str = "") -> List[ProviderRequest]:
        with self._lock:
            return [r for r in self._requests if r.path.endswith(path_ending)]

    async def _serve(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._record)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def _record(self, request: web.Request) -> web.Response:
        captured = ProviderRequest(
            method=request.method,
            path=request.path,
            query=dict(request.query),
            headers=dict(request.headers),
            body=await request.read(),
        )
        with self._lock:
            self._requests.append(captured)
        if self.failing_marker and self.failing_marker in captured.body:
            return web.json_response(
                {"ok": False, "error_code": 500, "description": "Internal Server Error"}, status=500
            )
        if request.path.endswith("/Messages.json"):
            return web.json_response({"sid": f"SM{len(self._requests):032d}", "status": "queued"}, status=201)
        return web.json_response({"ok": True, "result": True})
