"""The `openmash` command: administrative commands (a thin wrapper round manage.py).

openmash audit verify
openmash load_demo_hub
openmash migrate
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    execute_from_command_line(["openmash", *args])


if __name__ == "__main__":
    main()
