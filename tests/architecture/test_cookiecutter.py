"""`cookiecutter <this repository>` bakes a project that is the team's own and passes its checks.

Baked the way a new user bakes it: from a download of the template (no ``.git``), with
nothing installed but cookiecutter (no ruff, no Django), then each project installs itself
into a fresh virtualenv with its own ``make test``. This file exists only in the template.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection

from .sandbox import ROOT

pytestmark = pytest.mark.skipif(
    connection.vendor == "postgresql", reason="database-agnostic: bakes once, in the SQLite run"
)

# What a download of the template must not pass on to a baked project.
JUNK = [".env", "db.sqlite3", ".venv/bin/python", "modules/users/__pycache__/api.pyc", "x.egg-info/PKG-INFO"]  # fmt: skip
# "shop" as a word or part of a name (shop.events, SHOP_MODULES, shop@localhost), not "workshop".
SHOP = re.compile(r"(?<![a-z])shop(?![a-z])", re.IGNORECASE)
START_MODULE = ".venv/bin/python manage.py startmodule {}"
NEW_MODULES = ("inventory", "alpha")
MARKERS = re.compile(r"(demo|template|project):(start|end)")


@dataclass(frozen=True)
class Variant:
    project_name: str
    slug: str
    demo: str


# A long name and a short one: renaming the package must not change how ruff formats the code.
VARIANTS = [
    Variant("Acme Store International Holdings", "acme_store_international_holdings", "yes"),
    Variant("Ab", "ab", "no"),
]


def environment() -> dict[str, str]:
    """This run's environment without its virtualenv, settings module or database."""
    own = {"VIRTUAL_ENV", "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DEBUG", "PYTHONPATH"}
    return {k: v for k, v in os.environ.items() if k not in own}


@pytest.fixture(scope="module")
def cookiecutter_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``cookiecutter`` command of a virtualenv that holds nothing else."""
    venv = tmp_path_factory.mktemp("cookiecutter-only")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    installed = subprocess.run(
        [str(venv / "bin/python"), "-m", "pip", "install", "--quiet", "cookiecutter"],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    if installed.returncode != 0:
        if os.environ.get("CI") == "true":
            pytest.fail(f"pip install cookiecutter failed:\n{installed.stderr}")
        pytest.skip(f"the package index is unreachable: {installed.stderr.strip()[-300:]}")
    return venv / "bin" / "cookiecutter"


def copy_template(destination: Path) -> Path:
    """The template as a download holds it: the files git tracks, without ``.git``."""
    tracked = subprocess.run(
        ["git", "ls-files", "-z", "--cached"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split("\0")  # fmt: skip
    for name in filter(None, tracked):
        if (ROOT / name).is_file():  # not deleted in the working tree
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, destination / name)
    return destination


@pytest.fixture(scope="module")
def download(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A download of the template, with the junk a working copy collects."""
    template = copy_template(tmp_path_factory.mktemp("download"))
    for junk in JUNK:
        (template / junk).parent.mkdir(parents=True, exist_ok=True)
        (template / junk).write_text("junk\n")
    return template


def bake(
    cookiecutter: Path, template: Path, output: Path, **context: str
) -> subprocess.CompletedProcess[str]:
    output.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        [str(cookiecutter), str(template), "--no-input", "--output-dir", str(output)]
        + [f"{key}={value}" for key, value in context.items()],
        env=environment(), capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip


@dataclass(frozen=True)
class Baked:
    project: Path
    files: dict[str, str]  # path -> text, as the bake left them (before `make` adds its own)
    run: subprocess.Popen[str]  # the project's own commands, from `make install` to `make test`

    @property
    def log(self) -> str:
        return (self.project.parent / "make.log").read_text()


def read_files(project: Path) -> dict[str, str]:
    return {
        path.relative_to(project).as_posix(): path.read_text(errors="ignore")
        for path in project.rglob("*")
        if path.is_file()
    }


@pytest.fixture(scope="module")
def baked(
    cookiecutter_only: Path, download: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Baked]]:
    """Both variants, baked; each one's ``make test`` already running, in parallel.

    Before it, each adds modules of its own as the README tells a user to, in a plain shell
    (no DEBUG: .env has it): ``inventory``, and ``alpha``, the name of the tests' scratch module.
    """
    projects = {}
    for variant in VARIANTS:
        output = tmp_path_factory.mktemp(f"baked-{variant.demo}")
        result = bake(
            cookiecutter_only, download, output,
            project_name=variant.project_name, include_demo_modules=variant.demo,
        )  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr
        project = output / variant.slug
        files = read_files(project)
        script = " && ".join(["make install", *map(START_MODULE.format, NEW_MODULES), "make test"])
        with (output / "make.log").open("w") as log:
            run = subprocess.Popen(
                ["sh", "-c", script], cwd=project, env=environment(), start_new_session=True,
                stdout=log, stderr=subprocess.STDOUT, text=True,
            )  # fmt: skip
        projects[variant.demo] = Baked(project, files, run)
    yield projects
    for baked_project in projects.values():
        if baked_project.run.poll() is None:  # a test failed before waiting: stop make and all
            os.killpg(baked_project.run.pid, signal.SIGTERM)
        baked_project.run.wait()


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: f"demo={v.demo}")
def test_a_baked_project_is_the_teams_own(baked: dict[str, Baked], variant: Variant) -> None:
    files = baked[variant.demo].files
    readme, makefile = files["README.md"], files["Makefile"]
    modules = sorted(
        {name.split("/")[1] for name in files if re.match(r"modules/\w+/apps.py$", name)}
    )
    with_demo = variant.demo == "yes"

    assert f"{variant.slug}/settings.py" in files
    assert f'DJANGO_SETTINGS_MODULE = "{variant.slug}.settings"' in files["pyproject.toml"]
    assert [name for name, text in files.items() if SHOP.search(name) or SHOP.search(text)] == []
    assert modules == (["notifications", "orders", "payments", "products", "users"] if with_demo else ["users"])  # fmt: skip
    for left_out in [*JUNK, "cookiecutter.json", "hooks", "docs/modules.md", "tests/architecture/test_cookiecutter.py"]:  # fmt: skip
        assert not [name for name in files if f"{name}/".startswith(f"{left_out}/")], left_out
    # A README written for this project: its name, its two commands, how to add a module.
    assert readme.startswith(f"# {variant.project_name}\n")
    for command in ("make run", "make test", "python manage.py startmodule"):
        assert command in readme
    assert "template" not in readme.lower() and "cookiecutter" not in readme.lower()
    assert not MARKERS.search(readme)
    assert ("demo" in readme.lower()) == with_demo
    assert ("Try the story end to end" in readme) == with_demo
    # The library as it was released, in a folder of its own that one Makefile line installs.
    library = next(name for name in files if name.endswith("/src/modular_monolith/__init__.py"))
    folder = library.removesuffix("/src/modular_monolith/__init__.py")
    assert re.fullmatch(r"vendor/django-modular-monolith-\d+\.\d+\.\d+\S*", folder)
    assert (
        files[library]
        == (ROOT / "django-modular-monolith" / library[len(folder) + 1 :]).read_text()
    )
    assert f"LIBRARY := {folder}\n" in makefile
    assert "delete the `LIBRARY` line" in readme


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: f"demo={v.demo}")
def test_a_baked_project_installs_itself_and_passes_its_checks_and_tests(
    baked: dict[str, Baked], variant: Variant
) -> None:
    project = baked[variant.demo]
    project.run.wait(timeout=900)

    assert project.run.returncode == 0, project.log[-6000:]
    assert " passed" in project.log
    assert (project.project / ".env").exists()
    docs = (project.project / "docs" / "modules.md").read_text()  # generated by its first `make`
    for module in NEW_MODULES:
        assert f"## {module}\n" in docs


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("Email", "standard library"),
        ("Django", "installed package"),
        ("Modules", "folder of the project"),
        ("9 Lives", "not a lowercase Python identifier"),
    ],
)
def test_a_name_that_cannot_be_the_package_is_refused_and_nothing_is_written(
    cookiecutter_only: Path, download: Path, tmp_path: Path, name: str, reason: str
) -> None:
    result = bake(cookiecutter_only, download, tmp_path, project_name=name)

    assert result.returncode != 0
    assert reason in result.stderr + result.stdout
    assert list(tmp_path.iterdir()) == []


def test_a_checkout_gives_only_what_git_tracks(cookiecutter_only: Path, tmp_path: Path) -> None:
    template = copy_template(tmp_path / "checkout")
    git = ["git", "-c", "user.name=Template", "-c", "user.email=template@example.com"]
    for command in (["init", "--quiet"], ["add", "--all"], ["commit", "--quiet", "-m", "x"]):
        subprocess.run([*git, *command], cwd=template, check=True)
    (template / "untracked.txt").write_text("a file of the checkout, not of the template\n")

    result = bake(cookiecutter_only, template, tmp_path / "out", project_name="Acme")

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out/acme/acme/settings.py").exists()
    assert not (tmp_path / "out/acme/untracked.txt").exists()
