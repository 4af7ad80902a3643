"""A WebSocket served by the Rasa server's Sanic 21.12 receives frames on this Python.

Sanic 21.12 hands `asyncio.wait` a coroutine, which Python 3.11 refuses; the website
widget's socket.io connection then breaks ("Invalid frame header"). rasa_patches installs
channels/sanic_websockets.py; here a real Sanic WebSocket echo server, started in its
own process the way `rasa run` starts (patches installed first), answers a real client.
"""

import asyncio
import subprocess
import sys
import textwrap
import time

import pytest
import websockets

from channels.sanic_websockets import wait
from tests.conftest import PROJECT_ROOT
from tests.servers import free_port

SERVER = textwrap.dedent(
    """
    import sys
    from sanic import Sanic
    if sys.argv[2] == "patched":
        from components import rasa_patches
        rasa_patches.install()
    app = Sanic("echo")

    @app.websocket("/echo")
    async def echo(request, ws):
        while True:
            await ws.send("echo: " + await ws.recv())

    app.run(host="127.0.0.1", port=int(sys.argv[1]), access_log=False, motd=False)
    """
)


async def _echo(port: int, text: str) -> str:
    async with websockets.connect(f"ws://127.0.0.1:{port}/echo", open_timeout=5, close_timeout=1) as ws:
        await ws.send(text)
        return await asyncio.wait_for(ws.recv(), timeout=5)


def _talk_to_server(mode: str, text: str) -> str:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(port), mode],
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                return asyncio.run(_echo(port, text))
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        server.stderr.read().decode()[-2000:] if server.poll() is not None else "no server"
                    )
                time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_message_over_the_servers_websocket_comes_back():
    assert _talk_to_server("patched", "my back hurts") == "echo: my back hurts"


@pytest.mark.skipif(sys.version_info < (3, 11), reason="Python 3.10 still accepts coroutines in asyncio.wait")
def test_without_the_patch_sanic_drops_the_message_on_this_python():
    """Why the patch exists: if this starts passing, Sanic no longer needs it."""
    with pytest.raises((websockets.ConnectionClosed, asyncio.TimeoutError)):
        _talk_to_server("unpatched", "my back hurts")


def test_wait_takes_a_coroutine_beside_a_future_and_cancels_neither_wrongly():
    async def scenario():
        cancel = asyncio.get_running_loop().create_future()

        async def frame():
            return "frame"

        done, pending = await wait((cancel, frame()), return_when=asyncio.FIRST_COMPLETED)
        assert [task.result() for task in done] == ["frame"]
        assert pending == {cancel}

    asyncio.run(scenario())
