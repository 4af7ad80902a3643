"""`python -m console`: serve the staff console on CONSOLE_HOST:CONSOLE_PORT (127.0.0.1:5080)."""

from __future__ import annotations

import sys

from console.app import create_app
from console.settings import Settings, SettingsError


def main() -> int:
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    app = create_app(settings)
    print(
        f"Staff console: http://{'localhost' if settings.host == '127.0.0.1' else settings.host}:{settings.port}/"
        f"  (accounts: make staff-user NAME=...)",
        flush=True,
    )
    app.run(host=settings.host, port=settings.port, single_process=True, motd=False, access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
