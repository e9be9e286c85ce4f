"""What stands between a module and leaving the process: the extraction readiness report.

A module can become a service once every other module reaches it through what a
network can carry. The report lists what would have to cross it: the calls other
modules make to its API (each with the entry points, such as an HTTP route, that
reach it synchronously), the calls it makes to theirs, the events it publishes
and consumes, the tables it would take along, and the transactions it shares with
another module on purpose (the baseline's ``shared_transactions``).

Calls are read from the source (with ``modular_monolith.imports``, nothing is run)
and followed inside the calling module: from the function that calls the API back
to the functions nothing else in that module calls, which are how a request, an
event or a schedule gets in.
"""

import ast
import inspect
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from django.apps import AppConfig, apps

from .boundaries.baseline import load_shared_transactions
from .conf import project_root
from .events.registry import event_types, listeners_of
from .imports import SourceFile, read_package
from .modules import installed_modules, module_labels

HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete"})


@dataclass(frozen=True, kw_only=True)
class ApiCall:
    """One call of a module's public function from another module's code."""

    caller: str  # the calling module's label
    callee: str  # the called module's label
    function: str  # the public function: ``charge``
    where: str  # ``in `order_pay` (modules/orders/paying.py)``
    entry_points: tuple[
        str, ...
    ]  # how control gets there: ``HTTP POST /{order_id}/pay (pay_order)``


@dataclass(frozen=True, kw_only=True)
class Readiness:
    """Everything that would cross the network if ``module`` left the process."""

    module: str
    called_by: list[ApiCall]
    calls: list[ApiCall]
    publishes: dict[str, list[str]]  # event name -> the modules that listen to it
    listens_to: list[str]
    tables: list[str]
    shared_transactions: dict[str, str]  # "orders+products" -> why

    @property
    def blockers(self) -> list[str]:
        """What must change before the module leaves: shared transactions, for now.

        Calls and events can cross a network as they are; a transaction cannot.
        """
        return [
            f"shares a transaction ({key}): {why}" for key, why in self.shared_transactions.items()
        ]


def readiness(label: str) -> Readiness:
    """The readiness report of the installed module ``label``."""
    return readiness_reports([label])[0]


def readiness_reports(labels: Iterable[str]) -> list[Readiness]:
    """The readiness reports of these installed modules, their sources read once for all."""
    every_call = list(api_calls())
    return [_report(label, every_call) for label in labels]


def _report(label: str, every_call: list[ApiCall]) -> Readiness:
    own_events = {
        event_type.name
        for event_type in event_types()
        if _module_of(event_type.cls.__module__) == label
    }
    listened: list[str] = []
    publishes: dict[str, list[str]] = {name: [] for name in sorted(own_events)}
    for event_type in event_types():
        for listener in listeners_of(event_type.name).values():
            listening_module = _module_of(listener.__module__)
            if listening_module == label:
                listened.append(event_type.name)
            elif event_type.name in own_events and listening_module:
                publishes[event_type.name].append(listening_module)
    config = apps.get_app_config(label)
    return Readiness(
        module=label,
        called_by=[call for call in every_call if call.callee == label],
        calls=[call for call in every_call if call.caller == label],
        publishes={name: sorted(set(heard_by)) for name, heard_by in publishes.items()},
        listens_to=sorted(set(listened)),
        tables=sorted(
            model._meta.db_table for model in config.get_models(include_auto_created=True)
        ),
        shared_transactions={
            key: why for key, why in load_shared_transactions().items() if label in key.split("+")
        },
    )


def render(report: Readiness) -> str:
    """The report as Markdown, as ``manage.py extraction_readiness`` prints it."""
    lines = [f"### {report.module}", ""]
    lines += ["Called by other modules (synchronously, through its `api`):"]
    lines += _calls(report.called_by, lambda call: call.caller) or ["- nothing"]
    lines += ["", "Calls other modules' `api`:"]
    lines += _calls(report.calls, lambda call: call.callee) or ["- nothing"]
    lines += ["", "Publishes:"]
    lines += [
        f"- `{name}`, heard by {', '.join(heard_by) or 'no other module'}"
        for name, heard_by in report.publishes.items()
    ] or ["- nothing"]
    lines += ["", "Listens to:"]
    lines += [f"- `{name}`" for name in report.listens_to] or ["- nothing"]
    lines += ["", "Tables it takes along:"]
    lines += [f"- `{table}`" for table in report.tables] or ["- none"]
    lines += ["", "Must change before it leaves:"]
    lines += [f"- {blocker}" for blocker in report.blockers] or ["- nothing: no shared transaction"]
    return "\n".join(lines) + "\n"


def _calls(calls: list[ApiCall], other_side: Callable[[ApiCall], str]) -> list[str]:
    lines = []
    for call in calls:
        lines.append(f"- {other_side(call)}: `{call.callee}.{call.function}`, {call.where}")
        lines += [f"  - reached from {entry}" for entry in call.entry_points]
    return lines


# Reading the calls ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Function:
    name: str  # dotted: ``modules.orders.paying.order_pay``
    qualname: str  # in its file: ``order_pay``, ``Command.handle``
    node: ast.FunctionDef | ast.AsyncFunctionDef
    source: SourceFile
    module: str  # label of the module it is in


def api_calls() -> Iterator[ApiCall]:
    """Every call, in the installed modules' code, of another module's public function."""
    apis = {f"{config.name}.api": config.label for config in installed_modules()}
    public = {api: _public_functions(api) for api in apis}
    functions = {f.name: f for config in installed_modules() for f in _functions(config)}
    callers = _in_module_callers(functions)
    for function in functions.values():
        for node in ast.walk(function.node):
            if not isinstance(node, ast.Call):
                continue
            target = _target(function.source, node.func)
            api, _, name = (target or "").rpartition(".")
            callee = apis.get(api)
            if callee is None or callee == function.module or name not in public[api]:
                continue
            yield ApiCall(
                caller=function.module,
                callee=callee,
                function=name,
                where=f"in `{function.qualname}` ({_relative(function.source.path)})",
                entry_points=tuple(
                    _describe_entry(functions[name])
                    for name in sorted(_entry_points(function.name, callers))
                ),
            )


def _public_functions(api: str) -> set[str]:
    """The functions a module's ``api`` makes public (its DTOs and errors are not calls)."""
    try:
        module = import_module(api)
    except ImportError:  # a module without an api.py
        return set()
    names = getattr(module, "__all__", [])
    return {name for name in names if inspect.isfunction(getattr(module, name, None))}


def _functions(config: AppConfig) -> Iterator[_Function]:
    """The functions and methods defined in a module's files, by dotted name."""
    for source in read_package(Path(config.path), config.name):
        for node, prefix in _definitions(source.tree):
            yield _Function(
                name=f"{_file_module(source)}.{prefix}{node.name}",
                qualname=f"{prefix}{node.name}",
                node=node,
                source=source,
                module=config.label,
            )


def _file_module(source: SourceFile) -> str:
    """The dotted module of a file: ``modules.orders.paying`` for modules/orders/paying.py."""
    stem = source.path.stem
    return source.package if stem == "__init__" else f"{source.package}.{stem}"


def _definitions(
    tree: ast.Module,
) -> Iterator[tuple[ast.FunctionDef | ast.AsyncFunctionDef, str]]:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node, ""
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    yield item, f"{node.name}."


def _target(source: SourceFile, func: ast.expr) -> str | None:
    """The dotted name a call's function resolves to, through the file's imports or its own defs."""
    followed = source.follow(func)
    if followed is not None:
        bound, rest = followed
        return f"{bound}.{rest}" if rest else bound
    if isinstance(func, ast.Name):
        return f"{_file_module(source)}.{func.id}"
    return None


def _in_module_callers(functions: dict[str, _Function]) -> dict[str, set[str]]:
    """For each function, the functions of the same module that call it."""
    callers: dict[str, set[str]] = defaultdict(set)
    for function in functions.values():
        for node in ast.walk(function.node):
            if isinstance(node, ast.Call):
                called = functions.get(_target(function.source, node.func) or "")
                if called is not None and called.module == function.module:
                    callers[called.name].add(function.name)
    return callers


def _entry_points(name: str, callers: dict[str, set[str]]) -> set[str]:
    """The functions that reach ``name`` and that nothing in their module calls."""
    roots, seen, todo = set(), {name}, [name]
    while todo:
        current = todo.pop()
        if not callers.get(current):
            roots.add(current)
        for caller in callers.get(current, ()):
            if caller not in seen:
                seen.add(caller)
                todo.append(caller)
    return roots


def _describe_entry(function: _Function) -> str:
    """How control enters: ``HTTP POST /{order_id}/pay (`pay_order` in ...)``, a listener, a
    periodic job, else just the function (a management command, a view without a route)."""
    where = f"`{function.qualname}` in {_relative(function.source.path)}"
    for decorator in function.node.decorator_list:
        if not isinstance(decorator, ast.Call):
            continue
        called = ast.unparse(decorator.func).rpartition(".")[2]
        argument = decorator.args[0] if decorator.args else None
        if called in HTTP_METHODS and isinstance(argument, ast.Constant):
            return f"HTTP {called.upper()} {str(argument.value) or '/'} ({where})"
        if called == "listens_to" and argument is not None:
            return f"listener of {ast.unparse(argument)} ({where})"
        if called == "every":
            return f"periodic job ({where})"
    return where


def _module_of(dotted: str) -> str | None:
    config = apps.get_containing_app_config(dotted)
    return config.label if config is not None and config.label in module_labels() else None


def _relative(path: Path) -> str:
    try:
        return path.relative_to(project_root()).as_posix()
    except ValueError:  # a module installed from elsewhere
        return path.as_posix()
