"""Security: `make run` does not serve Rasa's HTTP API unless asked to, and then only with a token.

Nothing at run time needs the HTTP API, and without a token any local process could read
every transcript, rewrite conversations or replace the model through it.
"""

import os
import signal
import socket
import subprocess
import time

import pytest
import requests

from tests.servers import ACTIONS_PYTHON, PROJECT_ROOT, free_port


def start_make_run(extra_env):
    """`make run`'s launcher (deploy/run.py) on free ports, in a process group of its own."""
    ports = {name: str(free_port()) for name in ("RASA_PORT", "ACTIONS_PORT", "CONSOLE_PORT", "DEMO_PORT")}
    env = dict(os.environ, **ports, **extra_env)
    process = subprocess.Popen(
        [str(ACTIONS_PYTHON), "-m", "deploy.run"],
        cwd=PROJECT_ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{ports['RASA_PORT']}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        assert process.poll() is None, "the launcher exited"
        try:
            if requests.get(f"{url}/webhooks/rest/", timeout=2).status_code == 200:
                return process, url, ports
        except requests.RequestException:
            pass
        time.sleep(1)
    raise RuntimeError("the launcher did not come up")


@pytest.fixture
def make_run(request):
    started = []

    def start(**extra_env):
        process, url, ports = start_make_run(extra_env)
        started.append((process, ports))
        return url

    yield start
    for process, ports in started:
        os.killpg(process.pid, signal.SIGTERM)  # as Ctrl-C or `kill` would: the launcher stops its servers
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        # Each server runs in a process group of its own: the launcher must have stopped them all.
        assert not [
            name for name, port in ports.items() if listening(int(port))
        ], "left listening after the launcher stopped"


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_make_run_serves_the_channels_but_not_the_http_api(make_run):
    url = make_run()
    reply = requests.post(f"{url}/webhooks/rest/webhook", json={"sender": "exposure-1", "message": "hi"}, timeout=30)
    assert reply.status_code == 200 and reply.json()
    assert requests.post(f"{url}/model/parse", json={"text": "hi"}, timeout=10).status_code == 404
    assert requests.get(f"{url}/conversations/exposure-1/tracker", timeout=10).status_code == 404


def test_the_http_api_can_be_turned_on_with_a_token(make_run):
    url = make_run(RASA_API_TOKEN="a-long-random-test-token")
    assert requests.post(f"{url}/model/parse", json={"text": "hi"}, timeout=10).status_code == 401
    allowed = requests.post(f"{url}/model/parse?token=a-long-random-test-token", json={"text": "hi"}, timeout=30)
    assert allowed.status_code == 200 and allowed.json()["intent"]["name"] == "greet"
