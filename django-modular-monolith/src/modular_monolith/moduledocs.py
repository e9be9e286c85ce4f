"""The module documentation, ``docs/modules.md``, generated from the modules' source.

Plain ``ast``, like ``modules.py``: nothing here imports Django or a module, so a
project generator can write the docs before anything is installed. The graph is
the one import-linter checks (``dependency_graph``), the events come from the
``@event`` and ``@listens_to`` decorators, the public functions from
``api.__all__``, and the tables from the model classes. Everything is sorted, so
the output changes only when the code does.
"""

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from modular_monolith.modules import (
    PACKAGE,
    available_modules,
    dependency_graph,
    imports_of,
    modules_root,
)

DOCS = Path("docs/modules.md")
README = Path("README.md")
GRAPH_START = "<!-- moduledocs:graph:start -->"
GRAPH_END = "<!-- moduledocs:graph:end -->"

# The models from outside the project that a module's models may extend, with the
# many-to-many fields each one adds (their auto-created tables belong to the
# subclass). Their source is not read: it may not even be installed. Extending
# another library's model? Add it here; tests/architecture/test_moduledocs.py
# compares the tables with Django's own list and fails until you do.
MODEL_BASES: dict[str, tuple[str, ...]] = {
    "django.db.models.Model": (),
    "django.contrib.auth.base_user.AbstractBaseUser": (),
    "django.contrib.auth.models.AbstractBaseUser": (),
    "django.contrib.auth.models.PermissionsMixin": ("groups", "user_permissions"),
    "django.contrib.auth.models.AbstractUser": ("groups", "user_permissions"),
}


@dataclass(frozen=True, order=True)
class Edge:
    importer: str
    imported: str
    part: str  # what it imports: "api", "events", or a private module (the checks refuse it)


@dataclass(frozen=True, order=True)
class Event:
    name: str  # the stable name, e.g. "orders.OrderPlaced"
    publisher: str  # the module whose events.py declares it
    version: int
    external: bool
    summary: str


@dataclass(frozen=True, order=True)
class Listener:
    event: str  # the event's name
    module: str
    function: str


@dataclass(frozen=True, order=True)
class Function:
    name: str
    signature: str  # "def place_order(*, customer_id: int, ...) -> OrderDTO"
    summary: str


@dataclass(frozen=True, order=True)
class Table:
    name: str
    model: str  # "User", or "User.groups" for a many-to-many table Django creates


@dataclass(frozen=True)
class Module:
    name: str
    summary: str  # the first paragraph of its package docstring
    functions: tuple[Function, ...]  # the functions in api.__all__
    other_public: tuple[str, ...]  # the rest of api.__all__: data classes, errors
    tables: tuple[Table, ...]


def render(base_dir: Path) -> str:
    """Return the text of ``docs/modules.md`` for the project in ``base_dir``."""
    edges = import_edges(base_dir)
    events = sorted(read_events(base_dir).values())
    listeners = read_listeners(base_dir)
    lines = [
        "# Modules",
        "",
        "<!-- Generated from the code by `python manage.py moduledocs` (`make docs`): do not "
        "edit. `make check` fails when it is out of date. -->",
        "",
        "## Dependencies",
        "",
        "Each arrow points from a module to one it imports: solid to its `api.py`, dotted to "
        "its `events.py` (the importer listens to those events).",
        "",
        render_graph(base_dir).rstrip("\n"),
        "",
        *_render_events(events, listeners),
    ]
    for name in available_modules(base_dir):
        lines += ["", *_render_module(read_module(base_dir, name), edges, events, listeners)]
    return "\n".join(lines) + "\n"


def render_graph(base_dir: Path) -> str:
    """Return the module dependency graph as a Mermaid block."""
    lines = ["```mermaid", "graph TD"]
    lines += [f"    {name}" for name in available_modules(base_dir)]
    for edge in import_edges(base_dir):
        arrow = "-.->" if edge.part == "events" else "-->"
        lines.append(f"    {edge.importer} {arrow}|{edge.part}| {edge.imported}")
    return "\n".join([*lines, "```"]) + "\n"


def out_of_date(base_dir: Path) -> dict[Path, str]:
    """Map each generated file that differs from the code to the text it should have.

    The files are ``docs/modules.md``, and ``README.md`` for the graph between its
    markers (``ValueError`` if it has none).
    """
    wanted = {base_dir / DOCS: render(base_dir)}
    readme = base_dir / README
    if readme.exists():
        wanted[readme] = with_graph(readme.read_text(encoding="utf-8"), render_graph(base_dir))
    return {
        path: text
        for path, text in wanted.items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    }


def write_docs(base_dir: Path) -> list[Path]:
    """Bring the generated files up to date with the code; return the ones written."""
    stale = out_of_date(base_dir)
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


def import_edges(base_dir: Path) -> list[Edge]:
    """Each dependency of the graph, once for every part of the other module it imports."""
    graph = dependency_graph(base_dir)
    edges = set()
    for importer in graph:
        for target in imports_of(modules_root(base_dir) / importer, f"{PACKAGE}.{importer}"):
            parts = target.split(".")
            if parts[0] == PACKAGE and len(parts) > 1 and parts[1] in graph[importer]:
                part = parts[2] if len(parts) > 2 else "package"  # `from modules import orders`
                edges.add(Edge(importer, parts[1], part))
    return sorted(edges)


def read_events(base_dir: Path) -> dict[str, Event]:
    """Every ``@event`` class, by its dotted path: ``modules.orders.events.OrderPlaced``."""
    events = {}
    for module in available_modules(base_dir):
        tree = _parse(modules_root(base_dir) / module / "events.py")
        names = _imported_names(tree, f"{PACKAGE}.{module}")
        for cls in (node for node in tree.body if isinstance(node, ast.ClassDef)):
            for call in _calls_to("event", cls.decorator_list, names):
                events[f"{PACKAGE}.{module}.events.{cls.name}"] = Event(
                    name=_argument(call, 0, "name"),
                    publisher=module,
                    version=_argument(call, None, "version", default=1),
                    external=_argument(call, None, "external", default=False),
                    summary=_summary(cls),
                )
    return events


def read_listeners(base_dir: Path) -> list[Listener]:
    """Every ``@listens_to(EventClass)`` function in the modules' ``listeners.py``."""
    events = read_events(base_dir)
    listeners = []
    for module in available_modules(base_dir):
        tree = _parse(modules_root(base_dir) / module / "listeners.py")
        names = _imported_names(tree, f"{PACKAGE}.{module}")
        for function in (node for node in tree.body if isinstance(node, ast.FunctionDef)):
            for call in _calls_to("listens_to", function.decorator_list, names):
                # A class that is not an @event type is refused at startup by listens_to.
                event = events.get(_dotted(call.args[0], names)) if call.args else None
                if event is not None:
                    listeners.append(Listener(event.name, module, function.name))
    return sorted(listeners)


def read_module(base_dir: Path, name: str) -> Module:
    """What the docs say of one module, read from its ``__init__.py``, ``api.py`` and models."""
    package_dir = modules_root(base_dir) / name
    docstring = ast.get_docstring(_parse(package_dir / "__init__.py")) or ""
    api = _parse(package_dir / "api.py")
    definitions = _definitions(api, package_dir)
    functions, other_public = [], []
    for public in sorted(_all_names(api)):
        node = definitions.get(public)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            functions.append(Function(public, _signature(public, node), _summary(node)))
        else:
            other_public.append(public)
    return Module(
        name=name,
        summary=" ".join(docstring.split("\n\n")[0].split()),
        functions=tuple(functions),
        other_public=tuple(other_public),
        tables=tuple(read_tables(base_dir, name)),
    )


def read_tables(base_dir: Path, label: str) -> list[Table]:
    """The tables of a module's models, named as Django names them.

    ``<label>_<model name, lowercased>`` unless ``Meta.db_table`` says otherwise,
    plus ``<model table>_<field>`` for each ``ManyToManyField`` without ``through``
    (its own, or inherited from an abstract model). Abstract and proxy models have
    no table of their own.
    """
    package_dir = modules_root(base_dir) / label
    files = [package_dir / "models.py", *sorted((package_dir / "models").glob("*.py"))]
    # Each model class of the module: the many-to-many fields its subclasses inherit,
    # which an abstract model copies into them and a concrete one keeps for itself.
    inheritable: dict[str, list[tuple[str, str | None]]] = {}
    tables = []
    for path in files:
        tree = _parse(path)
        names = _imported_names(tree, f"{PACKAGE}.{label}")
        for cls in (node for node in tree.body if isinstance(node, ast.ClassDef)):
            bases = [_dotted(base, names) for base in cls.bases]
            parents = [base.rsplit(".", 1)[-1] for base in bases if base not in MODEL_BASES]
            parents = [parent for parent in parents if parent in inheritable]
            if not parents and not any(base in MODEL_BASES for base in bases):
                continue  # not a model: a manager, a choices class...
            many_to_many = [
                *((field, None) for base in bases for field in MODEL_BASES.get(base, ())),
                *(field for parent in parents for field in inheritable[parent]),
                *_auto_many_to_many(cls, names),
            ]
            meta = _meta(cls)
            inheritable[cls.name] = many_to_many if meta.get("abstract") else []
            if meta.get("abstract") or meta.get("proxy"):
                continue  # no table of its own (a proxy uses its concrete model's)
            table = meta.get("db_table") or f"{label}_{cls.name.lower()}"
            tables.append(Table(table, cls.name))
            for field, own_table in many_to_many:
                tables.append(Table(own_table or f"{table}_{field}", f"{cls.name}.{field}"))
    return sorted(tables)


def _render_events(events: list[Event], listeners: list[Listener]) -> list[str]:
    lines = [
        "## Events",
        "",
        "| event | published by | listened to by | version | external | meaning |",
        "|---|---|---|---|---|---|",
    ]
    for event in events:
        heard_by = [f"{x.module} (`{x.function}`)" for x in listeners if x.event == event.name]
        lines.append(
            f"| `{event.name}` | {event.publisher} | {', '.join(heard_by) or 'none'} "
            f"| {event.version} | {'yes' if event.external else 'no'} | {_cell(event.summary)} |"
        )
    return lines


def _render_module(
    module: Module, edges: list[Edge], events: list[Event], listeners: list[Listener]
) -> list[str]:
    uses = [(edge.imported, edge.part) for edge in edges if edge.importer == module.name]
    used_by = [(edge.importer, edge.part) for edge in edges if edge.imported == module.name]
    published = [f"`{e.name}`" for e in events if e.publisher == module.name]
    heard = [f"`{x.event}` (`{x.function}`)" for x in listeners if x.module == module.name]
    lines = [
        f"## {module.name}",
        "",
        *([module.summary, ""] if module.summary else []),
        f"- **Depends on:** {_neighbours(uses)}",
        f"- **Used by:** {_neighbours(used_by)}",
        f"- **Publishes:** {', '.join(published) or 'none'}",
        f"- **Listens to:** {', '.join(heard) or 'none'}",
        f"- **Tables:** {', '.join(f'`{t.name}` ({t.model})' for t in module.tables) or 'none'}",
        "",
    ]
    if module.functions:
        stubs = [
            f'{function.signature}:\n    """{function.summary}"""'
            if function.summary
            else f"{function.signature}: ..."
            for function in module.functions
        ]
        lines += [f"Public functions (`modules/{module.name}/api.py`):", "", "```python"]
        lines += ["\n\n".join(stubs), "```"]
    else:
        lines.append(f"No public functions in `modules/{module.name}/api.py`.")
    if module.other_public:
        lines += ["", f"Also public: {', '.join(f'`{name}`' for name in module.other_public)}."]
    return lines


def _neighbours(pairs: list[tuple[str, str]]) -> str:
    """Render (module, part) pairs as "payments (api, events), products (api)"."""
    parts: dict[str, list[str]] = {}
    for other, part in pairs:
        parts.setdefault(other, []).append(part)
    return ", ".join(f"{other} ({', '.join(parts[other])})" for other in sorted(parts)) or "none"


def _parse(path: Path) -> ast.Module:
    """Return the file's syntax tree, an empty one if there is no such file."""
    if not path.is_file():
        return ast.Module(body=[], type_ignores=[])
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imported_names(tree: ast.Module, package: str) -> dict[str, str]:
    """Map each name a file imports to what it is, e.g. ``"models": "django.db.models"``.

    ``package`` is the file's package, against which relative imports are resolved.
    """
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                bound = alias.asname or alias.name.split(".")[0]
                names[bound] = alias.name if alias.asname else bound
        elif isinstance(node, ast.ImportFrom):
            origin = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0]
                origin = f"{parent}.{origin}" if origin else parent
            for alias in node.names:
                names[alias.asname or alias.name] = f"{origin}.{alias.name}"
    return names


def _dotted(node: ast.expr, names: dict[str, str]) -> str:
    """What a name such as ``models.Model`` refers to, e.g. ``django.db.models.Model``."""
    if isinstance(node, ast.Name):
        return names.get(node.id, node.id)
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value, names)}.{node.attr}"
    return ""


def _calls_to(function: str, decorators: list[ast.expr], names: dict[str, str]) -> list[ast.Call]:
    """The decorators that call ``function``, however it was imported."""
    return [
        node
        for node in decorators
        if isinstance(node, ast.Call) and _dotted(node.func, names).rsplit(".", 1)[-1] == function
    ]


def _argument(call: ast.Call, position: int | None, keyword: str, default: Any = None) -> Any:
    """Return the literal value of one argument of a call, by position or keyword."""
    if position is not None and len(call.args) > position:
        return ast.literal_eval(call.args[position])
    for argument in call.keywords:
        if argument.arg == keyword:
            return ast.literal_eval(argument.value)
    return default


def _assignments(body: list[ast.stmt]) -> Iterator[tuple[str, ast.expr]]:
    """The ``name = value`` statements of a body (annotated or not), as (name, value)."""
    for node in body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    yield target.id, node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
            yield node.target.id, node.value


def _all_names(tree: ast.Module) -> list[str]:
    for name, value in _assignments(tree.body):
        if name == "__all__":
            return list(ast.literal_eval(value))
    return []


def _definitions(tree: ast.Module, package_dir: Path) -> dict[str, ast.stmt]:
    """The classes and functions a file defines, or imports from a file of its package."""
    kinds = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
    found: dict[str, ast.stmt] = {node.name: node for node in tree.body if isinstance(node, kinds)}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            sibling = _parse(package_dir / f"{node.module.replace('.', '/')}.py")
            defined = {n.name: n for n in sibling.body if isinstance(n, kinds)}
            for alias in node.names:
                if alias.name in defined:
                    found[alias.asname or alias.name] = defined[alias.name]
    return found


def _signature(name: str, function: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    """The signature on one line, spaced as PEP 8 asks: ``def f(a: int, *, b: str = '') -> None``."""
    keyword = "async def" if isinstance(function, ast.AsyncFunctionDef) else "def"
    returns = f" -> {ast.unparse(function.returns)}" if function.returns else ""
    return f"{keyword} {name}({_parameters(function.args)}){returns}"


def _parameters(args: ast.arguments) -> str:
    positional = [*args.posonlyargs, *args.args]
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    parts = [_parameter(arg, default) for arg, default in zip(positional, defaults, strict=True)]
    if args.posonlyargs:
        parts.insert(len(args.posonlyargs), "/")
    if args.vararg:
        parts.append(f"*{_parameter(args.vararg, None)}")
    elif args.kwonlyargs:
        parts.append("*")
    parts += [
        _parameter(arg, default)
        for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True)
    ]
    if args.kwarg:
        parts.append(f"**{_parameter(args.kwarg, None)}")
    return ", ".join(parts)


def _parameter(arg: ast.arg, default: ast.expr | None) -> str:
    text = f"{arg.arg}: {ast.unparse(arg.annotation)}" if arg.annotation else arg.arg
    if default is not None:
        text += f" = {ast.unparse(default)}" if arg.annotation else f"={ast.unparse(default)}"
    return text


def _summary(node: ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    """The first line of a docstring."""
    return (ast.get_docstring(node) or "").split("\n")[0]


def _meta(cls: ast.ClassDef) -> dict[str, Any]:
    """The options of a model's ``class Meta`` that decide its table."""
    for node in cls.body:
        if isinstance(node, ast.ClassDef) and node.name == "Meta":
            return {
                name: ast.literal_eval(value)
                for name, value in _assignments(node.body)
                if name in ("abstract", "proxy", "db_table")
            }
    return {}


def _auto_many_to_many(cls: ast.ClassDef, names: dict[str, str]) -> list[tuple[str, str | None]]:
    """The model's ``ManyToManyField``s whose table Django creates: (name, its db_table if set)."""
    fields = []
    for name, value in _assignments(cls.body):
        if isinstance(value, ast.Call) and _dotted(value.func, names).endswith("ManyToManyField"):
            options = {keyword.arg: keyword.value for keyword in value.keywords}
            if "through" not in options:
                own_table = ast.literal_eval(options["db_table"]) if "db_table" in options else None
                fields.append((name, own_table))
    return fields


def _cell(text: str) -> str:
    """Text that is safe inside a Markdown table cell."""
    return text.replace("|", "\\|")
