"""Which apps are modules, and how modules depend on each other.

Once Django is set up, the installed modules come from the app registry and the
``MONOLITH_MODULES`` setting: either a package whose apps are the modules (the
template's ``modules``), or a list of installed apps (labels or dotted names), so
that apps living anywhere can be modules. A module is named by its app label; its
package is its app's ``name``.

Before Django is set up, settings choose which modules to install with
``select_modules``: the packages on disk with an ``apps.py``, plus what they
import. The graph comes from the real import statements (read by
``modular_monolith.imports``), the same edges import-linter checks, so it never
drifts from the code.
"""

from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from graphlib import TopologicalSorter
from pathlib import Path

from django.apps import AppConfig, apps
from django.core.exceptions import ImproperlyConfigured

from .conf import DEFAULTS, setting
from .imports import read_package

PACKAGE: str = DEFAULTS["MODULES"]  # where the template keeps its modules

# Installed modules (from the app registry) ------------------------------------------------------


def installed_modules() -> list[AppConfig]:
    """The app configs of the installed modules, in ``INSTALLED_APPS`` order."""
    labels = module_labels()
    return [config for config in apps.get_app_configs() if config.label in labels]


def module_labels() -> frozenset[str]:
    """The installed modules, by app label (``orders`` for ``modules.orders``)."""
    return frozenset(_module_packages())


def module_package(label: str) -> str:
    """The dotted package of an installed module: ``modules.orders``, or ``polls``."""
    return _module_packages()[label]


@cache
def _module_packages() -> dict[str, str]:
    """Map each installed module's label to its package, as ``MONOLITH_MODULES`` says."""
    configured = setting("MODULES")
    configs = apps.get_app_configs()
    if isinstance(configured, str):
        return {c.label: c.name for c in configs if c.name.rpartition(".")[0] == configured}
    by_label_or_name = {**{c.name: c for c in configs}, **{c.label: c for c in configs}}
    packages = {}
    for entry in configured:
        config = by_label_or_name.get(entry)
        if config is None:
            raise ImproperlyConfigured(
                f"MONOLITH_MODULES lists {entry!r}, which is neither the label nor the name "
                "of an installed app."
            )
        packages[config.label] = config.name
    return packages


# Modules on disk, before Django is set up -----------------------------------------------------


def modules_root(base_dir: Path, package: str = PACKAGE) -> Path:
    return base_dir.joinpath(*package.split("."))


def available_modules(base_dir: Path, package: str = PACKAGE) -> list[str]:
    """Every module in ``package`` on disk: a sub-package with an ``apps.py``."""
    return sorted(p.parent.name for p in modules_root(base_dir, package).glob("*/apps.py"))


def select_modules(
    base_dir: Path,
    *,
    package: str = PACKAGE,
    only: Sequence[str] = (),
    always: Iterable[str] = (),
) -> list[str]:
    """The dotted app names of the modules to install, for ``INSTALLED_APPS``.

    All the modules in ``package`` unless ``only`` names some; ``always`` are added
    either way, then everything they import. Dependencies come first. Raises
    ``ValueError`` for a name that is not a module in ``package``.
    """
    requested = [*always, *(only or available_modules(base_dir, package))]
    return [f"{package}.{name}" for name in with_dependencies(base_dir, requested, package)]


@cache
def dependency_graph(base_dir: Path, package: str = PACKAGE) -> dict[str, frozenset[str]]:
    """Map each module to the modules it imports (its api or events, or anything else)."""
    names = set(available_modules(base_dir, package))
    return {
        name: frozenset(_imported_modules(base_dir, package, name, names)) for name in sorted(names)
    }


def with_dependencies(
    base_dir: Path, requested: Iterable[str], package: str = PACKAGE
) -> list[str]:
    """The requested modules and everything they depend on, dependencies first.

    Raises ``ValueError`` for a name that is not a module in ``package``.
    """
    graph = dependency_graph(base_dir, package)
    requested = list(requested)
    unknown = sorted(set(requested) - graph.keys())
    if unknown:
        raise ValueError(
            f"No such module: {', '.join(unknown)} ({package}: {', '.join(graph) or 'none'})."
        )
    wanted: set[str] = set()
    pending = list(requested)
    while pending:
        name = pending.pop()
        if name not in wanted:
            wanted.add(name)
            pending.extend(graph[name])
    order = TopologicalSorter({name: graph[name] for name in sorted(wanted)}).static_order()
    return list(order)


def imports_of(package_dir: Path, package: str) -> Iterator[str]:
    """The dotted names a package's code imports, relative imports resolved (migrations aside).

    ``package_dir`` is the directory of the dotted ``package``.
    """
    for source in read_package(package_dir, package):
        if "migrations" not in source.path.relative_to(package_dir).parts:
            yield from (imported.target for imported in source.imports)


def _imported_modules(base_dir: Path, package: str, name: str, names: set[str]) -> set[str]:
    prefix = f"{package}."
    found = set()
    for dotted in imports_of(modules_root(base_dir, package) / name, prefix + name):
        if dotted.startswith(prefix):
            found.add(dotted.removeprefix(prefix).split(".")[0])
    return (found & names) - {name}
