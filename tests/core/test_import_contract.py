"""The import contract of pyproject.toml (`make lint` runs import-linter on it) names every
domain: a domain added to DOMAINS without being added there would escape it. And the import
picture has no cycle, and imports sit at the top of modules."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import grimp

from community import DOMAINS

CONTRACTS = {
    contract["id"]: contract
    for contract in tomllib.loads(
        (Path(__file__).parents[2] / "pyproject.toml").read_text(encoding="utf-8")
    )["tool"]["importlinter"]["contracts"]
}


def _domains(*leaving_out: str) -> set[str]:
    return {f"community.{domain}" for domain in DOMAINS if domain not in leaving_out}


def test_core_may_import_no_domain() -> None:
    contract = CONTRACTS["core-imports-no-domain"]
    assert "community.core" in contract["source_modules"]
    assert set(contract["forbidden_modules"]) == _domains("core")


def test_no_domain_may_import_notifications() -> None:
    contract = CONTRACTS["no-domain-imports-notifications"]
    assert set(contract["source_modules"]) == _domains("core", "notifications")
    assert contract["forbidden_modules"] == ["community.notifications"]


def test_members_and_moderation_may_import_no_content_domain() -> None:
    """A new domain adds its export, erasure and reportable content in its own folder: the
    domains that ask for them import none of it (tests/core/test_seams.py plays one)."""
    contract = CONTRACTS["members-and-moderation-know-no-content-domain"]
    assert contract["source_modules"] == ["community.members", "community.moderation"]
    base = ("core", "territory", "members", "auth", "communities", "moderation")
    assert set(contract["forbidden_modules"]) == _domains(*base)
    assert not contract.get("allow_indirect_imports")


def test_auth_may_import_no_domain_above_it() -> None:
    """Sign-up carries an invitation link's token but knows no domain that makes links: they
    say who invited a newcomer through `auth.invitations.invitation_reader`."""
    contract = CONTRACTS["auth-knows-no-domain-above-it"]
    assert contract["source_modules"] == ["community.auth"]
    assert set(contract["forbidden_modules"]) == _domains("core", "territory", "members", "auth")
    assert not contract.get("allow_indirect_imports")


def test_core_and_notifications_contracts_forbid_indirect_imports_too() -> None:
    assert all(
        not contract.get("allow_indirect_imports") for contract in list(CONTRACTS.values())[:2]
    )


# --- No import cycle -------------------------------------------------------------------------
#
# The import picture of `community` (imports under TYPE_CHECKING left out, as import-linter
# does; imports inside functions counted: they cycle at run time as well) has no cycle. A
# cycle is broken by moving code where it belongs, never by hiding an import in a function.
# At most ONE small cycle may be named here, with the reason it is the lesser evil:
ALLOWED_CYCLES: dict[frozenset[str], str] = {}

# Imports inside a function, and why each is there. Anything else is imported at the top.
LAZY_IMPORTS = {
    # The package's own __init__ is run by every `import community.x`: the factory's imports
    # stay inside it, or importing any module would load the whole application.
    "community/__init__.py:*": "the factory, run by every import of the package",
    # Heavy libraries (15 to 30 ms each at every start) used by one act only.
    "community/notifications/push_sending.py:pywebpush": "sending a push",
    "community/notifications/push_keys.py:py_vapid": "making or reading the VAPID key",
    "community/notifications/push_keys.py:cryptography": "making or reading the VAPID key",
    "community/config.py:py_vapid": "checking the VAPID key of production settings",
    "community/ambassadors/invitations.py:segno": "drawing an invitation's QR code",
}

PACKAGE = Path(__file__).parents[2] / "community"


def strongly_connected(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The import cycles of `graph` (module → modules it imports): its strongly connected
    components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.get(module, ())):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = set()
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.add(other)
                if other == module:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def _import_graph() -> dict[str, set[str]]:
    graph = grimp.build_graph("community", exclude_type_checking_imports=True, cache_dir=None)
    return {module: graph.find_modules_directly_imported_by(module) for module in graph.modules}


def test_the_cycle_finder_finds_cycles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e", "d"}}
    assert strongly_connected(graph) == [frozenset({"a", "b", "c"})]


def test_the_import_picture_has_no_cycle_but_the_named_one() -> None:
    assert len(ALLOWED_CYCLES) <= 1 and all(len(cycle) <= 3 for cycle in ALLOWED_CYCLES)
    cycles = [sorted(cycle) for cycle in strongly_connected(_import_graph())]
    assert [c for c in cycles if frozenset(c) not in ALLOWED_CYCLES] == []


def _lazy_imports() -> list[tuple[str, str]]:
    """(path, imported module) of every import inside a function or a class."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE.parent).as_posix()

        def walk(node: ast.AST, nested: bool, name: str = name) -> None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                    walk(child, True)
                elif isinstance(child, ast.Import | ast.ImportFrom):
                    if nested:
                        module = (
                            child.module or ""
                            if isinstance(child, ast.ImportFrom)
                            else child.names[0].name
                        )
                        found.append((name, module))
                else:
                    walk(child, nested)

        walk(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


def _listed(path: str, module: str) -> bool:
    return f"{path}:*" in LAZY_IMPORTS or f"{path}:{module.split('.')[0]}" in LAZY_IMPORTS


def test_imports_sit_at_the_top_of_modules() -> None:
    unlisted = [
        f"{path}: {module}" for path, module in _lazy_imports() if not _listed(path, module)
    ]
    assert unlisted == [], "import these at the top of the module (or say here why not)"


def test_every_listed_lazy_import_is_still_there() -> None:
    lazy = _lazy_imports()
    for key in LAZY_IMPORTS:
        path, _sep, top = key.partition(":")
        assert any(p == path and (top == "*" or m.split(".")[0] == top) for p, m in lazy), key


def test_every_views_and_api_module_is_kept_apart() -> None:
    """A page module (`views`, `planning_views`…) and an API module (`api`, `push_api`…) never
    import each other: each one in the package is named in both contracts, so a new one cannot
    escape them."""
    package = Path(__file__).parents[2] / "community"

    def modules(suffix: str) -> set[str]:
        return {
            "community." + ".".join(path.relative_to(package).with_suffix("").parts)
            for path in package.glob(f"*/*{suffix}.py")
        }

    views, apis = modules("views"), modules("api")
    assert views and apis
    assert set(CONTRACTS["views-and-api-apart"]["source_modules"]) == views
    assert set(CONTRACTS["views-and-api-apart"]["forbidden_modules"]) == apis
    assert set(CONTRACTS["api-and-views-apart"]["source_modules"]) == apis
    assert set(CONTRACTS["api-and-views-apart"]["forbidden_modules"]) == views
