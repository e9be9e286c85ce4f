"""Fill the new project with this repository's project, renamed and trimmed.

The repository root is a runnable project (package ``shop``); this hook copies
the files git tracks there, renames the package to the project slug, and, with
``include_demo_modules=no``, leaves out the demo modules and everything that
exists only for them (files listed in ``DEMO_FILES``, blocks between
``demo:start`` and ``demo:end`` markers in the others).
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

SOURCE = Path("{{ cookiecutter._repo_dir }}")
TARGET = Path.cwd()
NAME = "{{ cookiecutter.project_name }}"
SLUG = "{{ cookiecutter.project_slug }}"
WITH_DEMO = "{{ cookiecutter.include_demo_modules }}" == "yes"

# What only the template itself needs.
TEMPLATE_ONLY = (
    "cookiecutter.json",
    "hooks/",
    "{{ '{{' }}cookiecutter.",
    "tests/architecture/test_cookiecutter.py",
)

# What exists only for the demo modules (products, payments, orders, notifications).
DEMO_FILES = (
    "modules/products/", "modules/payments/", "modules/orders/", "modules/notifications/",
    "tests/products/", "tests/payments/", "tests/orders/", "tests/notifications/",
    "tests/flows/", "tests/concurrency.py", "tests/test_http_errors.py", "benchmarks/",
)  # fmt: skip

# The package name, wherever it is code or configuration rather than prose.
RENAMES = [
    (re.compile(r"(?<![\w@/-])shop(?=\.[A-Za-z_]|/)"), SLUG),  # shop.settings, shop/...
    (re.compile(r"(?<=from )shop(?= import)"), SLUG),
    (re.compile(r"(?m)^(\s+)shop$"), rf"\g<1>{SLUG}"),  # .importlinter root_packages
    (re.compile(r"(?m)(= )shop$"), rf"\g<1>{SLUG}"),  # .importlinter contracts
    (re.compile(r'"shop(\*?)"'), rf'"{SLUG}\1"'),  # pyproject.toml, tests' file lists
]
DEMO_BLOCK = re.compile(r"(?ms)^[^\n]*demo:start[^\n]*\n.*?^[^\n]*demo:end[^\n]*\n")
MARKER_LINE = re.compile(r"(?m)^[^\n]*demo:(start|end)[^\n]*\n")
EXTRA_BLANK_LINES = re.compile(r"\n{4,}")


def tracked_files() -> list[str]:
    """The files git tracks (and new ones it does not ignore): never .venv, caches or databases."""
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=SOURCE, capture_output=True, check=True, text=True,
    )  # fmt: skip
    return [name for name in listing.stdout.split("\0") if name]


def wanted(name: str) -> bool:
    if name.startswith(TEMPLATE_ONLY):
        return False
    return WITH_DEMO or not name.startswith(DEMO_FILES)


def transform(text: str) -> str:
    for pattern, replacement in RENAMES:
        text = pattern.sub(replacement, text)
    text = MARKER_LINE.sub("", text) if WITH_DEMO else DEMO_BLOCK.sub("", text)
    return EXTRA_BLANK_LINES.sub("\n\n\n", text)  # what a removed block leaves behind


def copy(name: str) -> None:
    source = SOURCE / name
    if not source.is_file():  # deleted in the working tree
        return
    target = TARGET / (SLUG + name[len("shop") :] if name.startswith("shop/") else name)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        target.write_text(transform(source.read_text(encoding="utf-8")), encoding="utf-8")
    except UnicodeDecodeError:  # not text: copy as it is
        shutil.copyfile(source, target)
    target.chmod(source.stat().st_mode)


def retitle_readme() -> None:
    readme = TARGET / "README.md"
    lines = readme.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[0] = f"# {NAME}\n"
    readme.write_text("".join(lines), encoding="utf-8")


def regenerate_module_docs() -> None:
    """The module docs describe the modules this project has (ast only: Django need not be here)."""
    sys.path.insert(0, str(TARGET / "django-modular-monolith" / "src"))
    from modular_monolith.moduledocs import write_docs

    write_docs(TARGET)


def tidy_with_ruff() -> None:
    """A longer package name can push lines past the limit: let ruff rewrap them, if it is here."""
    ruff = shutil.which("ruff")
    command = [ruff] if ruff else [sys.executable, "-m", "ruff"]
    try:
        subprocess.run([*command, "format", "--quiet", "."], cwd=TARGET, check=True)
    except (OSError, subprocess.CalledProcessError):
        print("ruff is not installed here: run `make format` once in the new project.")


def main() -> None:
    for leftover in list(TARGET.iterdir()):  # the placeholder cookiecutter rendered
        leftover.unlink()
    for name in tracked_files():
        if wanted(name):
            copy(name)
    retitle_readme()
    regenerate_module_docs()
    tidy_with_ruff()
    print(f"Created {NAME} in {TARGET}. Next: cd {TARGET.name} && make run")


main()
