"""Known advisories in what the console renders with: a dependency below the fixed release
fails here, so an old lock file cannot come back unnoticed."""

from importlib.metadata import version


def release(name):
    return tuple(int(part) for part in version(name).split(".")[:3])


def test_jinja2_has_the_sandbox_and_format_fixes():
    # CVE-2024-56201, CVE-2024-56326 and CVE-2025-27516 are fixed in Jinja2 3.1.5 and 3.1.6.
    assert release("jinja2") >= (3, 1, 6), version("jinja2")
