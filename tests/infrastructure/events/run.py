"""Run a management command in a child process, as the process tests need it.

    python -m tests.infrastructure.events.run [--slow-mail SECONDS] [--import MODULE] -- COMMAND ARGS

``--slow-mail`` makes every email take that long, so that a test can kill a
worker in the middle of a batch; ``--import`` loads extra listeners (a probe).
"""

import argparse
import importlib
import os
import sys
import time
from typing import Any


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--slow-mail", type=float, default=0.0)
    parser.add_argument("--import", dest="imports", action="append", default=[])
    parser.add_argument("command", nargs=argparse.REMAINDER)
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
    import django

    django.setup()
    for module in options.imports:
        importlib.import_module(module)
    if options.slow_mail:
        _slow_down_mail(options.slow_mail)

    from django.core.management import call_command

    command = [part for part in options.command if part != "--"]
    call_command(*command)
    sys.stdout.flush()


def _slow_down_mail(seconds: float) -> None:
    from modules.notifications import services

    send_mail = services.send_mail

    def slow_send_mail(*args: Any, **kwargs: Any) -> Any:
        time.sleep(seconds)
        return send_mail(*args, **kwargs)

    services.send_mail = slow_send_mail


if __name__ == "__main__":
    main()
