"""Run a management command in a child process, as the process tests need it.

    python -m tests.events.run [--import MODULE]... -- COMMAND ARGS

``--import`` loads extra listeners that only the child has (``effect``, ``probe``);
what they do can be tuned through the environment (``SAMPLE_EFFECT_SECONDS``).
"""

import argparse
import importlib
import os
import sys


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--import", dest="imports", action="append", default=[])
    parser.add_argument("command", nargs=argparse.REMAINDER)
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    for module in options.imports:
        importlib.import_module(module)

    from django.core.management import call_command

    command = [part for part in options.command if part != "--"]
    call_command(*command)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
