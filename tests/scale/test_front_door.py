"""The front door's configuration on a real nginx, without the servers behind it."""

import subprocess
import time

import pytest
import requests

from deploy.scale import ScaleSettings, find_nginx, read_limits, render_nginx_config
from tests.servers import free_port


@pytest.fixture
def front_door(tmp_path, request):
    settings = ScaleSettings(
        front_port=free_port(),
        actions_front_port=free_port(),
        rasa_base_port=free_port(),
        actions_base_port=free_port(),
        run_dir=tmp_path,
        **request.param,
    )
    config = tmp_path / "nginx.conf"
    config.write_text(render_nginx_config(settings, read_limits()))
    nginx = subprocess.Popen([find_nginx(), "-c", str(config), "-p", str(tmp_path)], stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{settings.front_port}"
    for _ in range(100):
        try:
            requests.get(url + "/health", timeout=1)
            break
        except requests.ConnectionError:
            assert nginx.poll() is None, nginx.stderr.read().decode()
            time.sleep(0.1)
    yield url
    nginx.terminate()
    nginx.wait(timeout=10)


def post(url, path):
    return requests.post(url + path, json={"sender": "visitor-1", "message": "hi"}, timeout=10)


@pytest.mark.parametrize("front_door", [{}], indirect=True)
def test_by_default_the_rest_channel_is_not_served_at_the_front_door(front_door):
    assert post(front_door, "/webhooks/rest/webhook").status_code == 404
    # socket.io and the providers' webhooks are passed on (502: no server behind it here).
    assert requests.get(front_door + "/socket.io/?EIO=4&transport=polling", timeout=10).status_code == 502
    assert post(front_door, "/webhooks/telegram/webhook").status_code == 502


@pytest.mark.parametrize("front_door", [{"rest_at_front_door": True}], indirect=True)
def test_rest_at_the_front_door_when_asked_for(front_door):
    assert post(front_door, "/webhooks/rest/webhook").status_code == 502


def test_the_systemd_units_run_the_servers_the_scale_profile_runs(tmp_path):
    """deploy/systemd/ for production: every option a unit passes is one the launcher passes too."""
    import shlex

    from deploy.scale import PROJECT_ROOT, ScaleSettings, prepare

    deployment = prepare(ScaleSettings(instances=1, run_dir=tmp_path))
    for unit, program in (("clinic-rasa@.service", "rasa-1"), ("clinic-actions@.service", "actions-1")):
        text = (PROJECT_ROOT / "deploy" / "systemd" / unit).read_text()
        assert "Restart=on-failure" in text, unit
        exec_start = next(line for line in text.splitlines() if line.startswith("ExecStart="))
        unit_options = {word for word in shlex.split(exec_start) if word.startswith("--")}
        launcher_options = {word for word in deployment.commands[program] if word.startswith("--")}
        assert unit_options and unit_options <= launcher_options, (unit, unit_options - launcher_options)


@pytest.mark.parametrize("value", ["abc", "", "  ", "0", "70000", "-1", "5010; rm -rf /", "9" * 200])
def test_a_bad_port_in_the_environment_gets_a_clear_answer(monkeypatch, value):
    monkeypatch.setenv("SCALE_RASA_BASE_PORT", value)
    if not value.strip():
        assert ScaleSettings.from_environment(2).rasa_base_port == 5010  # unset: the default
        return
    # clinic/settings.py: "must be a number, not 'abc'" or "must be a port number from 1 to 65535, not '0'".
    with pytest.raises(SystemExit, match="SCALE_RASA_BASE_PORT must be a (port )?number"):
        ScaleSettings.from_environment(2)
