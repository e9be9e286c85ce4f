"""The module documentation: ``docs/modules.md`` and the module graph in ``README.md``.

Written with Django loaded, from what the project runs: the modules are the
installed apps the boundary checks call modules, their public functions come from
``api.__all__``, the events and listeners from the event registry, the periodic
jobs from theirs, the tables from the app registry. Only the import graph and the
calls between modules are read from the source, by ``modules.imports_of`` and
``readiness``, with the one reader of imports. Everything is sorted, so the output
changes only when the code does.
"""

import inspect
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

from django.apps import AppConfig, apps
from django.db.models import Model
from django.utils.module_loading import module_has_submodule

from .boundaries.ownership import module_labels
from .events.registry import EventType, event_types, listeners_of
from .jobs import periodic_jobs
from .modules import imports_of
from .readiness import readiness_reports
from .readiness import render as render_readiness

DOCS = Path("docs/modules.md")
README = Path("README.md")
GRAPH_START = "<!-- moduledocs:graph:start -->"
GRAPH_END = "<!-- moduledocs:graph:end -->"


@dataclass(frozen=True, order=True)
class Edge:
    importer: str
    imported: str
    part: str  # the submodule imported ("api", "events", or a private one), else "package"


@dataclass(frozen=True, order=True)
class Listener:
    event: str  # the event's name, e.g. "orders.OrderPlaced"
    module: str
    function: str


def out_of_date(root: Path) -> dict[Path, str]:
    """Map each generated file that differs from the code to the text it should have.

    The files are ``docs/modules.md``, and ``README.md`` for the graph between its
    markers (``ValueError`` if it has none).
    """
    wanted = {root / DOCS: render()}
    readme = root / README
    if readme.exists():
        wanted[readme] = with_graph(readme.read_text(encoding="utf-8"), render_graph())
    return {
        path: text
        for path, text in wanted.items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    }


def write_docs(root: Path) -> list[Path]:
    """Bring the generated files up to date with the code; return the ones written."""
    stale = out_of_date(root)
    for path, text in stale.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(stale)


def with_graph(readme: str, graph: str) -> str:
    """Return ``readme`` with ``graph`` between the graph markers."""
    before, start, rest = readme.partition(GRAPH_START)
    _, end, after = rest.partition(GRAPH_END)
    if not (start and end):
        raise ValueError(f"README.md has no {GRAPH_START} ... {GRAPH_END} block for the graph.")
    return f"{before}{GRAPH_START}\n{graph}{GRAPH_END}{after}"


def render() -> str:
    """Return the text of ``docs/modules.md``."""
    events = module_events()
    listeners = module_listeners(events)
    edges = import_edges()
    lines = [
        "# Modules",
        "",
        "<!-- Generated from the code by `python manage.py moduledocs`: do not edit. "
        "`python manage.py moduledocs --check` fails when it is out of date. -->",
        "",
        "## Dependencies",
        "",
        "Each arrow points from a module to one it imports: solid to its `api.py`, dotted to "
        "its `events.py` (the importer listens to those events).",
        "",
        render_graph().rstrip("\n"),
        "",
        "## Events",
        "",
        "| event | published by | listened to by | version | external | meaning |",
        "|---|---|---|---|---|---|",
    ]
    for event_type, publisher in events.items():
        heard_by = [f"{x.module} (`{x.function}`)" for x in listeners if x.event == event_type.name]
        lines.append(
            f"| `{event_type.name}` | {publisher} | {', '.join(heard_by) or 'none'} "
            f"| {event_type.version} | {'yes' if event_type.external else 'no'} "
            f"| {_cell(_summary(event_type.cls))} |"
        )
    for label in sorted(module_labels()):
        lines += ["", *_render_module(apps.get_app_config(label), edges, events, listeners)]
    lines += [
        "",
        "## Extraction readiness",
        "",
        "What would cross the network if a module left the process "
        "(`python manage.py extraction_readiness <module>`).",
    ]
    for report in readiness_reports(sorted(module_labels())):
        lines += ["", render_readiness(report).rstrip("\n")]
    return "\n".join(lines) + "\n"


def render_graph() -> str:
    """Return the module dependency graph as a Mermaid block."""
    lines = ["```mermaid", "graph TD", *(f"    {label}" for label in sorted(module_labels()))]
    for edge in import_edges():
        arrow = "-.->" if edge.part == "events" else "-->"
        lines.append(f"    {edge.importer} {arrow}|{edge.part}| {edge.imported}")
    return "\n".join([*lines, "```"]) + "\n"


def import_edges() -> list[Edge]:
    """Each module another one imports, once for every part of it that it imports."""
    edges = set()
    for label in module_labels():
        config = apps.get_app_config(label)
        for dotted in imports_of(Path(config.path), config.name):
            imported = _module_of(dotted)
            if imported is not None and imported.label != label:
                part = dotted.removeprefix(imported.name).lstrip(".").split(".")[0]
                if not (part and module_has_submodule(imported.module, part)):
                    part = "package"  # `from modules import orders`, or a name its package defines
                edges.add(Edge(label, imported.label, part))
    return sorted(edges)


def module_events() -> dict[EventType, str]:
    """The event types the modules declare, in name order, each with the module publishing it."""
    for label in module_labels():  # an events.py nobody imports has registered nothing yet
        _submodule(apps.get_app_config(label), "events")
    publishers = {event_type: _module_of(event_type.cls.__module__) for event_type in event_types()}
    return {event_type: config.label for event_type, config in publishers.items() if config}


def module_listeners(events: dict[EventType, str]) -> list[Listener]:
    """The modules' listeners of these events."""
    found = []
    for event_type in events:
        for listener in listeners_of(event_type.name).values():
            config = _module_of(listener.__module__)
            if config is not None:
                found.append(Listener(event_type.name, config.label, listener.__qualname__))
    return sorted(found)


def _render_module(
    config: AppConfig, edges: list[Edge], events: dict[EventType, str], listeners: list[Listener]
) -> list[str]:
    label = config.label
    uses = [(edge.imported, edge.part) for edge in edges if edge.importer == label]
    used_by = [(edge.importer, edge.part) for edge in edges if edge.imported == label]
    published = [f"`{event_type.name}`" for event_type, by in events.items() if by == label]
    heard = [f"`{x.event}` (`{x.function}`)" for x in listeners if x.module == label]
    jobs = _jobs(config)
    summary = " ".join((config.module.__doc__ or "").strip().split("\n\n")[0].split())
    lines = [
        f"## {label}",
        "",
        *([summary, ""] if summary else []),
        f"- **Depends on:** {_neighbours(uses)}",
        f"- **Used by:** {_neighbours(used_by)}",
        f"- **Publishes:** {', '.join(published) or 'none'}",
        f"- **Listens to:** {', '.join(heard) or 'none'}",
        f"- **Tables:** {', '.join(_tables(config)) or 'none'}",
        *([f"- **Runs periodically:** {', '.join(jobs)}"] if jobs else []),
        "",
    ]
    api = _submodule(config, "api")
    public = {name: getattr(api, name) for name in sorted(getattr(api, "__all__", []))}
    functions = {name: obj for name, obj in public.items() if inspect.isfunction(obj)}
    if functions:
        stubs = [_stub(name, function) for name, function in functions.items()]
        lines += [f"Public functions (`{config.name}.api`):", "", "```python"]
        lines += ["\n\n".join(stubs), "```"]
    else:
        lines.append(f"No public functions in `{config.name}.api`.")
    others = [f"`{name}`" for name in public if name not in functions]
    if others:
        lines += ["", f"Also public: {', '.join(others)}."]
    return lines


def _jobs(config: AppConfig) -> list[str]:
    """The module's periodic jobs, as "`settle` (every 5 min)"."""
    return [
        f"`{job.run.__qualname__}` (every {_duration(job.interval.total_seconds())})"
        for job in periodic_jobs()
        if _module_of(job.run.__module__) is config
    ]


def _duration(seconds: float) -> str:
    for unit, length in (("h", 3600), ("min", 60)):
        if seconds >= length and seconds % length == 0:
            return f"{seconds // length:.0f} {unit}"
    return f"{seconds:g} s"


def _tables(config: AppConfig) -> list[str]:
    """The module's tables, as "`users_user` (User)"; a many-to-many table that Django
    creates is named for its field: "`users_user_groups` (User.groups)"."""
    models = [
        model
        for model in config.get_models(include_auto_created=True)
        if not model._meta.proxy  # it shares its concrete model's table
    ]
    models.sort(key=lambda model: model._meta.db_table)
    return [f"`{model._meta.db_table}` ({_model_name(model)})" for model in models]


def _model_name(model: type[Model]) -> str:
    # The model whose ManyToManyField made this one, or False (the stubs say bool).
    owner: Any = model._meta.auto_created
    if not owner:
        return model.__name__
    field = next(f for f in owner._meta.many_to_many if f.remote_field.through is model)
    return f"{owner.__name__}.{field.name}"


def _module_of(dotted: str) -> AppConfig | None:
    """The app config of the module whose package holds ``dotted``, if a module's does."""
    config = apps.get_containing_app_config(dotted)
    return config if config is not None and config.label in module_labels() else None


def _submodule(config: AppConfig, name: str) -> types.ModuleType | None:
    """Import and return ``<module>.<name>``, or None if the module has no such file."""
    if module_has_submodule(config.module, name):
        return import_module(f"{config.name}.{name}")
    return None


def _neighbours(pairs: list[tuple[str, str]]) -> str:
    """Render (module, part) pairs as "payments (api, events), products (api)"."""
    parts: dict[str, list[str]] = {}
    for other, part in pairs:
        parts.setdefault(other, []).append(part)
    return ", ".join(f"{other} ({', '.join(parts[other])})" for other in sorted(parts)) or "none"


def _stub(name: str, function: Callable[..., Any]) -> str:
    """The function as a stub: its signature, and the first line of its docstring."""
    signature, summary = _signature(name, function), _summary(function)
    return f'{signature}:\n    """{summary}"""' if summary else f"{signature}: ..."


def _summary(obj: Callable[..., Any] | type) -> str:
    """The first line of the docstring written for ``obj``."""
    doc = inspect.getdoc(obj) or ""
    if isinstance(obj, type) and doc.startswith(f"{obj.__name__}("):
        return ""  # the one @dataclass writes for a class without a docstring
    return doc.split("\n")[0]


def _cell(text: str) -> str:
    """Text that is safe inside a Markdown table cell."""
    return text.replace("|", "\\|")


class _Text(str):
    """Text that ``inspect`` prints as it is (it prints annotations and defaults with ``repr``)."""

    def __repr__(self) -> str:
        return str(self)


def _signature(name: str, function: Callable[..., Any]) -> str:
    """The signature as it reads in the source: ``def f(a: int, *, b: str | None = None) -> X``."""
    signature = inspect.signature(function)
    parameters = [
        parameter.replace(
            annotation=_printable(parameter.annotation, _hint),
            default=_printable(parameter.default, _value),
        )
        for parameter in signature.parameters.values()
    ]
    returns = _printable(signature.return_annotation, _hint)
    printed = signature.replace(parameters=parameters, return_annotation=returns)
    keyword = "async def" if inspect.iscoroutinefunction(function) else "def"
    return f"{keyword} {name}{printed}"


def _printable(value: Any, write: Callable[[Any], str]) -> Any:
    """What ``inspect`` should print for an annotation or a default: ``write(value)``."""
    return value if value is inspect.Parameter.empty else _Text(write(value))


def _hint(hint: Any) -> str:
    """A type hint as it is written: ``list[OrderDTO]``, ``int | None``, ``Iterable[StockLine]``."""
    if isinstance(hint, str):  # `from __future__ import annotations` keeps them as written
        return hint
    if hint is None or hint is type(None):
        return "None"
    if hint is Ellipsis:
        return "..."
    if isinstance(hint, list):  # the parameters of a Callable
        return f"[{', '.join(map(_hint, hint))}]"
    if isinstance(hint, typing.ForwardRef):
        return hint.__forward_arg__
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return " | ".join(map(_hint, args))
    if origin is typing.Literal:
        return f"Literal[{', '.join(map(repr, args))}]"
    if origin is not None and args:
        return f"{_hint(origin)}[{', '.join(map(_hint, args))}]"
    return getattr(hint, "__qualname__", None) or getattr(hint, "__name__", None) or repr(hint)


def _value(default: Any) -> str:
    """A default value as it could be written, or ``...`` for an object without a readable repr."""
    text = repr(default)
    return "..." if " at 0x" in text else text
