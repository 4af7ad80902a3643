"""make lock (scripts/lock.sh) and scripts/setup.sh: the steps that read a requirements file.

    lock.py past <file.in>            the exact pins of its past-requires-python packages
    lock.py requirements <file.in>    what pip resolves after those are installed
    lock.py lock <report.json> <header>   the lock file, from pip's installation report
    lock.py check <file.in>           `pip check`, accepting only the file's replacements

A `.in` file may say, in comment lines (with the reasons beside them):

    # lock: past-requires-python rasa rasa-sdk
    # lock: replace matplotlib==3.6.0

The first names packages installed although their Requires-Python excludes this Python:
they go in first, without dependencies, and their own requirements are resolved with the
rest of the file, as usual. The second takes a release instead of what those packages ask
for; `pip check` then reports exactly that difference, and only that one is accepted.

pip's report names, for every package, the exact file it would install and that file's
sha256 (from the index, nothing downloaded), so the lock holds one hash per package: the
file for this platform. `pip install --require-hashes` (scripts/setup.sh) then refuses
any other file. (pip-tools' `pip-compile --generate-hashes` hashes every platform's
files instead, which for TensorFlow and its neighbours means downloading many
gigabytes on each `make lock`.)
"""

import importlib.metadata
import json
import re
import subprocess
import sys
from pathlib import Path

NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(line: str) -> str:
    found = NAME.match(line)
    return normal(found.group(1)) if found else ""


def directive(text: str, kind: str) -> list:
    prefix = f"# lock: {kind} "
    return [word for line in text.splitlines() if line.startswith(prefix) for word in line[len(prefix) :].split()]


def past_pins(text: str) -> list:
    past = {normal(name) for name in directive(text, "past-requires-python")}
    pins = [line.split("#")[0].strip() for line in text.splitlines() if requirement_name(line) in past]
    missing = past - {requirement_name(pin) for pin in pins}
    if missing:
        raise SystemExit(f"past-requires-python names a package with no exact pin in the file: {sorted(missing)}")
    return pins


def requirements(text: str) -> list:
    """The file without its past packages, plus their own requirements (replacements applied)."""
    past = {normal(name) for name in directive(text, "past-requires-python")}
    replaced = {requirement_name(pin): pin for pin in directive(text, "replace")}
    lines = [line for line in text.splitlines() if requirement_name(line) not in past | set(replaced)]
    for name in sorted(past):
        for needed in importlib.metadata.requires(name) or []:
            if "extra ==" in needed or requirement_name(needed) in past | set(replaced):
                continue
            lines.append(needed)
    return lines + list(replaced.values())


def lock_lines(report: dict) -> list:
    lines = []
    for item in sorted(report["install"], key=lambda item: item["metadata"]["name"].lower()):
        name, version = item["metadata"]["name"], item["metadata"]["version"]
        hashes = (item["download_info"].get("archive_info") or {}).get("hashes") or {}
        if "sha256" not in hashes:
            raise SystemExit(f"{name} {version}: pip's report gives no sha256 for {item['download_info'].get('url')}")
        lines.append(f"{name}=={version} \\\n    --hash=sha256:{hashes['sha256']}")
    return lines


def unaccepted(pip_check_output: str, text: str) -> list:
    """pip check's complaints other than 'X has requirement <replaced>..., but you have <replaced> <its pin>'."""
    accepted = [pin.split("==") for pin in directive(text, "replace")]
    problems = []
    for line in pip_check_output.splitlines():
        if not line.strip() or line.startswith("No broken requirements"):
            continue
        if any(
            f"has requirement {name}" in line.lower() and line.rstrip(".").endswith(f"but you have {name} {version}")
            for name, version in accepted
        ):
            continue
        problems.append(line)
    return problems


def main() -> None:
    command, path = sys.argv[1], sys.argv[2]
    if command == "lock":
        with open(path) as handle:
            report = json.load(handle)
        print(f"# {sys.argv[3]}")
        print("\n".join(lock_lines(report)))
        return
    text = Path(path).read_text()
    if command == "past":
        print(" ".join(past_pins(text)))
    elif command == "requirements":
        print("\n".join(requirements(text)))
    elif command == "check":
        result = subprocess.run([sys.executable, "-m", "pip", "check"], capture_output=True, text=True)
        problems = unaccepted(result.stdout + result.stderr, text)
        if problems:
            raise SystemExit("pip check:\n" + "\n".join(problems))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
