#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
    from django.core.management import execute_from_command_line

    from shop import telemetry

    telemetry.configure()  # the worker's and consumers' traces and metrics (OTEL_* variables)

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
