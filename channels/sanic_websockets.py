"""The website channel's WebSocket transport on Python 3.11: `asyncio.wait` given coroutines.

Sanic 21.12, the release Rasa 3.6 pins, waits for the next WebSocket frame with
`asyncio.wait((future, self.assembler.get(timeout)))` in `WebsocketImplProtocol.recv` and
`recv_burst` (sanic/server/websockets/impl.py). Since Python 3.11 `asyncio.wait` refuses
coroutines with a TypeError, which kills the connection: the browser reports "Invalid
frame header" and socket.io falls back to long polling. Python 3.10 wrapped each
coroutine in a task itself (with a deprecation warning); `sanic_asyncio` gives that
module an `asyncio` that does the same, and nothing else differs.

Installed with the other patches (components/rasa_patches.py).
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any, Iterable


async def wait(aws: Iterable[Any], **kwargs: Any):
    """asyncio.wait, wrapping any coroutine in a task first, as Python 3.10 did."""
    return await asyncio.wait([asyncio.ensure_future(a) if inspect.iscoroutine(a) else a for a in aws], **kwargs)


class SanicAsyncio:
    """The asyncio module as sanic.server.websockets.impl sees it: only `wait` differs."""

    wait = staticmethod(wait)

    def __getattr__(self, name: str) -> Any:
        return getattr(asyncio, name)


sanic_asyncio = SanicAsyncio()
