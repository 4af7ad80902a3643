"""One list of every environment variable (clinic/settings.py): complete, documented,
checked, with the defaults the project has always had."""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from clinic import settings
from clinic.settings import BY_NAME, CHANNEL_VARIABLES, GROUPS, PROCESSES, TYPES, VARIABLES, SettingsError
from tests.conftest import PROJECT_ROOT

ACTIONS_PYTHON = PROJECT_ROOT / ".venv-actions" / "bin" / "python"
# The only modules that read the environment: the list itself, and the channels, which read
# the variables their credentials file names (a name from a file, never a literal).
ENVIRONMENT_READERS = {"clinic/settings.py", "channels/settings.py"}
SHELL_BUILTINS = {"PATH", "HOME", "PWD", "USER", "SHELL", "TMPDIR", "IFS", "BASH_SOURCE", "RANDOM", "EUID", "UID"}


def project_files(pattern: str):
    """Tracked and new files (not ignored ones) matching a git pathspec, outside tests/."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "--", pattern],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return sorted({name for name in listed if not name.startswith("tests/") and (PROJECT_ROOT / name).is_file()})


def _is_environ(node) -> bool:
    """`os.environ`, `environ` or `something.environ`."""
    return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
        isinstance(node, ast.Name) and node.id == "environ"
    )


def environment_reads(source: str):
    """(line, name or None) for each read of the environment: os.environ.get/[...]/pop/setdefault,
    os.getenv, environ.get, `"X" in os.environ`. The name is None when it is not a string literal."""
    found = []

    def literal(node):
        return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            reads_environ = isinstance(func, ast.Attribute) and (
                (func.attr in ("get", "pop", "setdefault") and _is_environ(func.value))
                or (func.attr == "getenv" and isinstance(func.value, ast.Name) and func.value.id == "os")
            )
            if reads_environ or (isinstance(func, ast.Name) and func.id == "getenv"):
                found.append((node.lineno, literal(node.args[0])))
        elif isinstance(node, ast.Subscript) and _is_environ(node.value):
            found.append((node.lineno, literal(node.slice)))
        elif isinstance(node, ast.Compare) and any(_is_environ(item) for item in node.comparators):
            found.append((node.lineno, literal(node.left)))
    return found


def code_reads():
    """{file: [(line, name)]} over every Python file of the project outside tests/."""
    reads = {}
    for name in project_files("*.py"):
        found = environment_reads((PROJECT_ROOT / name).read_text(encoding="utf-8"))
        if found:
            reads[name] = found
    return reads


def test_the_scanner_finds_every_way_of_reading_the_environment():
    source = """
import os
from os import environ, getenv
a = os.environ.get("ONE")
b = os.environ["TWO"]
c = os.getenv("THREE", "x")
d = environ.get("FOUR")
e = "FIVE" in os.environ
f = getenv("SIX")
g = os.environ.setdefault("SEVEN", "1")
h = os.environ.get(name)
env = dict(os.environ, EIGHT="set, not read")
"""
    names = [name for _, name in environment_reads(source)]
    assert names == ["ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", None]


def test_every_variable_the_code_reads_is_listed():
    unlisted = [
        f"{file}:{line} {name}"
        for file, reads in code_reads().items()
        for line, name in reads
        if name is not None and name not in BY_NAME
    ]
    assert not unlisted, f"add these to clinic/settings.py's VARIABLES: {unlisted}"


def test_only_the_settings_module_reads_the_environment():
    """Every other module reads its variables through clinic.settings' accessors."""
    elsewhere = [
        f"{file}:{line} {name or '(a computed name)'}"
        for file, reads in code_reads().items()
        if file not in ENVIRONMENT_READERS
        for line, name in reads
    ]
    assert not elsewhere, f"read these through clinic.settings: {elsewhere}"


def shell_reads(text: str):
    """Upper-case variables a shell script expands ($NAME, ${NAME...}), less those it assigns itself."""
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    expanded = set(re.findall(r"\$\{?([A-Z][A-Z0-9_]*)", code))
    assigned = set(re.findall(r"(?:^|[\s;(])(?:export\s+|local\s+|declare\s+\S+\s+)?([A-Z][A-Z0-9_]*)=", code, re.M))
    assigned |= set(re.findall(r"\bread\s+(?:-\w+\s+)*([A-Z][A-Z0-9_]*)", code))
    return expanded - assigned - SHELL_BUILTINS


def test_the_shell_reader_ignores_what_a_script_assigns_itself():
    script = 'SUDO=(sudo)\n# ${COMMENTED}\n"${SUDO[@]}" x "${PORT:-5}" "$TOKEN"\n'
    assert shell_reads(script) == {"PORT", "TOKEN"}


def test_every_variable_the_scripts_and_configuration_read_is_listed():
    limits = set(re.findall(r"^([A-Z][A-Z0-9_]*)=", (PROJECT_ROOT / "deploy" / "limits.env").read_text(), re.M))
    reads = {}
    for name in project_files("scripts/*.sh") + project_files("deploy/*.env"):
        for variable in shell_reads((PROJECT_ROOT / name).read_text()) - limits:
            reads.setdefault(variable, []).append(name)
    # Rasa substitutes ${NAME} in endpoints and credentials files (outside comments).
    for name in project_files("*.yml"):
        if name.startswith(("data/", "domain/", "config", "tests/", "widget/")):
            continue
        code = "\n".join(line.split("#", 1)[0] for line in (PROJECT_ROOT / name).read_text().splitlines())
        for variable in re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", code):
            reads.setdefault(variable, []).append(name)
    # The production environment file of the systemd units (deploy/systemd/README.md).
    readme = (PROJECT_ROOT / "deploy" / "systemd" / "README.md").read_text()
    for variable in re.findall(r"^([A-Z][A-Z0-9_]*)=", readme, re.M):
        reads.setdefault(variable, []).append("deploy/systemd/README.md")
    # The Makefile's exports reach every process it starts.
    for variable in re.findall(r"^export ([A-Z][A-Z0-9_]*)", (PROJECT_ROOT / "Makefile").read_text(), re.M):
        reads.setdefault(variable, []).append("Makefile")
    assert {"ACTION_ENDPOINT_URL", "TRACKER_DATABASE_URL", "REDIS_URL"} <= set(reads)  # the scan finds them
    unlisted = {variable: files for variable, files in reads.items() if variable not in BY_NAME}
    assert not unlisted, f"add these to clinic/settings.py's VARIABLES: {unlisted}"


def test_the_channels_credentials_name_exactly_the_listed_channel_variables():
    credentials = yaml.safe_load((PROJECT_ROOT / "credentials.channels.yml").read_text())
    named = {
        value
        for channel in credentials.values()
        for key, value in (channel or {}).items()
        if key.endswith("_env") and isinstance(value, str)
    }
    assert named == set(CHANNEL_VARIABLES)


def test_the_list_is_well_formed():
    assert len(BY_NAME) == len(VARIABLES), "a variable is listed twice"
    for variable in VARIABLES:
        assert re.fullmatch(r"[A-Z][A-Z0-9_]*", variable.name), variable.name
        assert variable.type in TYPES and variable.group in GROUPS, variable.name
        assert set(variable.read_by) <= set(PROCESSES), variable.name
        assert variable.meaning and "\n" not in variable.meaning, variable.name
        if variable.default is not None:
            kind = {"int": int, "float": float, "bool": bool, "str": str, "url": str, "path": Path}[variable.type]
            assert isinstance(variable.default, kind), variable.name
            if variable.type != "path":  # the default passes the variable's own checks
                shown = {True: "1", False: "0"}.get(variable.default, variable.default)
                assert settings.parse(variable, str(shown)) == variable.default, variable.name


# Documentation


def test_the_docs_table_is_the_generated_one():
    assert (
        settings.documented_table() == settings.markdown()
    ), "docs/operations.md's settings table is out of date: python -m clinic.settings --update-docs"


def test_every_listed_variable_is_documented():
    table = settings.documented_table()
    undocumented = [variable.name for variable in VARIABLES if f"| `{variable.name}` |" not in table]
    assert not undocumented, f"not in docs/operations.md's settings table: {undocumented}"


def test_a_stale_table_is_caught(tmp_path):
    doc = tmp_path / "operations.md"
    doc.write_text(f"# Ops\n\n{settings.TABLE_START}\n{settings.markdown()}{settings.TABLE_END}\n")
    assert settings.documented_table(doc) == settings.markdown()
    doc.write_text(doc.read_text().replace("| `SMTP_PORT` |", "| `SMTP_PORTS` |"))
    assert settings.documented_table(doc) != settings.markdown()
    settings.update_docs(doc)
    assert settings.documented_table(doc) == settings.markdown() and doc.read_text().startswith("# Ops\n")


@pytest.mark.parametrize("python", [Path(sys.executable), ACTIONS_PYTHON], ids=["rasa-env", "actions-env"])
def test_the_module_runs_in_both_environments(python):
    """No pydantic-settings: the Rasa environment has pydantic 1.10, the action server's pydantic 2."""
    done = subprocess.run(
        [str(python), "-m", "clinic.settings", "--markdown"], cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == settings.markdown()


# Bad values


@pytest.mark.parametrize(
    "name,value,message",
    [
        ("SMTP_PORT", "abc", "SMTP_PORT must be a number, not 'abc'"),
        ("CONSOLE_PORT", "70000", "CONSOLE_PORT must be a port number from 1 to 65535, not '70000'"),
        ("RASA_PORT", "0", "RASA_PORT must be a port number from 1 to 65535, not '0'"),
        ("NOTIFY_INTERVAL", "0", "NOTIFY_INTERVAL must be at least 0.1, not '0'"),
        ("NOTIFY_INTERVAL", "nan", "NOTIFY_INTERVAL must be a number, not 'nan'"),
        ("CONSOLE_REQUEST_MAX_SIZE", "1.5", "CONSOLE_REQUEST_MAX_SIZE must be a number, not '1.5'"),
        ("RETENTION_DAYS", "-3", "RETENTION_DAYS must be at least 1, not '-3'"),
        ("CONSOLE_SECURE_COOKIES", "maybe", "CONSOLE_SECURE_COOKIES must be 1 or 0, not 'maybe'"),
        ("FRONT_DOOR_REST", "2", "FRONT_DOOR_REST must be 1 or 0, not '2'"),
        (
            "SCALE_RASA_BASE_PORT",
            "9" * 200,
            f"SCALE_RASA_BASE_PORT must be a port number from 1 to 65535, not '{'9' * 40}…'",
        ),
    ],
)
def test_a_bad_value_gets_a_clear_error_naming_the_variable(name, value, message):
    with pytest.raises(SettingsError) as error:
        settings.value(name, {name: value})
    assert str(error.value) == message


def test_a_bad_url_is_named_but_never_quoted():
    """A database URL may carry a password."""
    with pytest.raises(SettingsError, match="^DATABASE_URL must be a URL") as error:
        settings.url("DATABASE_URL", {"DATABASE_URL": "postgres:hunter2@db/clinic"})
    assert "hunter2" not in str(error.value)


def test_a_required_variable_that_is_unset_is_named():
    with pytest.raises(SettingsError, match="^LOG_MAX_BYTES is not set$"):
        settings.integer("LOG_MAX_BYTES", {})


def test_variables_read_for_every_message_fall_back_to_their_default():
    for name in ("SESSION_MAX_EVENTS", "HANDOFF_MAX_PER_CONVERSATION", "HANDOFF_MAX_PER_HOUR"):
        assert BY_NAME[name].bad_value_means_default
        assert settings.integer(name, {name: "lots"}) == settings.default(name)
        assert settings.integer(name, {name: "0"}) == settings.default(name)
        assert settings.integer(name, {name: "7"}) == 7
    assert [spec.name for spec in VARIABLES if spec.bad_value_means_default] == [
        "HANDOFF_MAX_PER_CONVERSATION",
        "HANDOFF_MAX_PER_HOUR",
        "SESSION_MAX_EVENTS",
    ]


def test_an_unlisted_variable_or_the_wrong_type_is_a_programming_error():
    with pytest.raises(KeyError, match="NOT_LISTED is not in clinic/settings.py"):
        settings.value("NOT_LISTED", {})
    with pytest.raises(TypeError, match="SMTP_HOST is a str"):
        settings.integer("SMTP_HOST", {})


def test_check_reports_each_bad_variable_set():
    assert settings.check({"SMTP_PORT": "abc", "RASA_PORT": "5005", "SESSION_MAX_EVENTS": "x"}) == [
        "SMTP_PORT must be a number, not 'abc'",
        "SESSION_MAX_EVENTS must be a number, not 'x' (ignored: the default applies)",
    ]


@pytest.mark.parametrize(
    "command,variable,python",
    [
        (["-m", "deploy.run"], "RASA_PORT", sys.executable),
        (["-m", "clinic.log_files", "unused.log"], "LOG_MAX_BYTES", sys.executable),
        (["widget/serve_demo.py"], "DEMO_PORT", sys.executable),
        (["-m", "handoff.cli", "purge"], "RETENTION_DAYS", str(ACTIONS_PYTHON)),
    ],
)
def test_a_process_started_with_a_bad_value_stops_and_names_it(tmp_path, command, variable, python):
    """Before it starts anything: nothing listens, nothing is written."""
    env = dict(os.environ, LOG_MAX_BYTES="1000", LOG_BACKUPS="1", HANDOFF_DATABASE_URL=f"sqlite:///{tmp_path / 'h.db'}")
    env[variable] = "abc"
    cwd = tmp_path if "clinic.log_files" in command else PROJECT_ROOT
    done = subprocess.run([python, *command], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert f"{variable} must be a number, not 'abc'" in done.stderr
    assert list(tmp_path.iterdir()) == []


# Defaults: what the project has always used.

DEFAULTS = {
    "RASA_PORT": 5005,
    "ACTIONS_PORT": 5055,
    "CONSOLE_PORT": 5080,
    "DEMO_PORT": 8080,
    "CREDENTIALS": Path("credentials.yml"),
    "RASA_API_TOKEN": None,
    "HANDOFF_DATABASE_URL": f"sqlite:///{PROJECT_ROOT / 'var' / 'handoffs.db'}",
    "TRACKER_DATABASE_URL": f"sqlite:///{PROJECT_ROOT / 'var' / 'trackers.db'}",
    "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/clinic_assistant",
    "REDIS_URL": None,
    "CLINIC_DETAILS_FILE": PROJECT_ROOT / "content" / "clinic_details.yml",
    "CONSOLE_HOST": "127.0.0.1",
    "CONSOLE_SECURE_COOKIES": True,
    "CONSOLE_LOGIN_DELAY": 1.0,
    "CONSOLE_IDLE_TIMEOUT": 1800.0,
    "CONSOLE_FAILED_LOGINS_PER_ADDRESS": 20,
    "CONSOLE_REQUEST_MAX_SIZE": 65536,
    "CONSOLE_TIMEZONE": "Europe/London",
    "CONSOLE_MIGRATE": True,
    "NOTIFY_INTERVAL": 30.0,
    "CONSOLE_URL": None,
    "CLINIC_NOTIFY_EMAIL": None,
    "SMTP_HOST": "localhost",
    "SMTP_PORT": 25,
    "SMTP_FROM": "assistant@localhost",
    "SMTP_STARTTLS": False,
    "HANDOFF_MAX_PER_CONVERSATION": 5,
    "HANDOFF_MAX_PER_HOUR": 300,
    "RETENTION_DAYS": 365,
    "STAFF_PASSWORD": None,
    "LOG_PSEUDONYM_KEY": None,
    "SESSION_MAX_EVENTS": 200,
    "N": 2,
    "FRONT_DOOR_REST": False,
    "SCALE_ACTIONS_FRONT_PORT": 5054,
    "SCALE_RASA_BASE_PORT": 5010,
    "SCALE_ACTIONS_BASE_PORT": 5060,
    "SCALE_RUN_DIR": PROJECT_ROOT / "var" / "scale",
    "DEMO_HOST": "127.0.0.1",
    "DEMO_QUIET": False,
    "RASA_URL": None,
}


@pytest.mark.parametrize("name", sorted(DEFAULTS))
def test_an_unset_or_empty_variable_has_its_usual_default(name):
    assert settings.value(name, {}) == DEFAULTS[name]
    assert settings.value(name, {name: ""}) == DEFAULTS[name]


def test_blanks_around_a_value_are_dropped_but_not_around_a_password():
    assert settings.integer("SMTP_PORT", {"SMTP_PORT": " 587 "}) == 587
    assert settings.text("STAFF_PASSWORD", {"STAFF_PASSWORD": " pass phrase "}) == " pass phrase "


def test_the_launchers_take_their_defaults_from_the_list(monkeypatch):
    from deploy import run
    from deploy.commands import read_limits
    from deploy.scale import ScaleSettings

    for name in BY_NAME:
        monkeypatch.delenv(name, raising=False)
    scale = ScaleSettings.from_environment(2)
    assert scale == ScaleSettings(instances=2)
    assert (scale.front_port, scale.console_port, scale.rasa_base_port, scale.run_dir) == (
        5005,
        5080,
        5010,
        PROJECT_ROOT / "var" / "scale",
    )
    assert scale.database_url == DEFAULTS["DATABASE_URL"] and scale.redis_url == "redis://127.0.0.1:6379/1"
    launcher = run.RunSettings.from_environment()
    assert launcher == run.RunSettings()
    assert (launcher.rasa_port, launcher.actions_port, launcher.console_port, launcher.demo_port) == (
        5005,
        5055,
        5080,
        8080,
    )
    assert launcher.credentials == PROJECT_ROOT / "credentials.yml" and launcher.api_token is None
    env = run.environment(launcher, {})
    limits = read_limits()
    assert (env["LOG_MAX_BYTES"], env["LOG_BACKUPS"]) == (limits["LOG_MAX_BYTES"], limits["LOG_BACKUPS"])


def test_the_databases_default_to_sqlite_in_var():
    from handoff.db import handoff_database_url, tracker_database_url

    assert handoff_database_url({}) == f"sqlite:///{PROJECT_ROOT / 'var' / 'handoffs.db'}"
    assert tracker_database_url({}) == f"sqlite:///{PROJECT_ROOT / 'var' / 'trackers.db'}"
    assert handoff_database_url({"HANDOFF_DATABASE_URL": "postgresql://db/x"}) == "postgresql+psycopg://db/x"
