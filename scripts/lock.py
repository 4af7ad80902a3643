"""make lock: a lock file with hashes from pip's installation report.

    pip install --dry-run --ignore-installed --no-deps --report report.json -r frozen.txt
    python scripts/lock.py report.json "<header line>" > requirements/<env>.lock

pip's report names, for every package, the exact file it would install and that file's
sha256 (from the index, nothing downloaded), so the lock holds one hash per package: the
file for this platform. `pip install --require-hashes` (scripts/setup.sh) then refuses
any other file. (pip-tools' `pip-compile --generate-hashes` hashes every platform's
files instead, which for TensorFlow and its neighbours means downloading many
gigabytes on each `make lock`.)
"""

import json
import sys


def lock_lines(report: dict) -> list:
    lines = []
    for item in sorted(report["install"], key=lambda item: item["metadata"]["name"].lower()):
        name, version = item["metadata"]["name"], item["metadata"]["version"]
        hashes = (item["download_info"].get("archive_info") or {}).get("hashes") or {}
        if "sha256" not in hashes:
            raise SystemExit(f"{name} {version}: pip's report gives no sha256 for {item['download_info'].get('url')}")
        lines.append(f"{name}=={version} \\\n    --hash=sha256:{hashes['sha256']}")
    return lines


def main() -> None:
    report_path, header = sys.argv[1], sys.argv[2]
    with open(report_path) as handle:
        report = json.load(handle)
    print(f"# {header}")
    print("\n".join(lock_lines(report)))


if __name__ == "__main__":
    main()
