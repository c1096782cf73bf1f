"""The layout's rule: an app imports only the apps below it (ARCHITECTURE.md, Layout)."""

import ast
from pathlib import Path

import pytest

import samenspel.communities

ABOVE_COMMUNITIES = (
    "samenspel.initiatives",
    "samenspel.learning",
    "samenspel.practice",
    "samenspel.council",
    "samenspel.accords",
    "samenspel.workshops",
    "samenspel.work",
)
# The loop (learning) names the group's sessions and learning questions but never imports
# the practice app, which builds on the loop (an agenda item moves a signal); nor the
# council, whose decisions carry signals through the loop (a warrant the loop asks about).
ABOVE = {
    "learning": (
        "samenspel.practice",
        "samenspel.council",
        "samenspel.accords",
        "samenspel.workshops",
        "samenspel.work",
    ),
    "practice": ("samenspel.council", "samenspel.accords", "samenspel.workshops", "samenspel.work"),
    "council": ("samenspel.accords", "samenspel.workshops", "samenspel.work"),
    "accords": ("samenspel.workshops", "samenspel.work"),
    # The workshops hand their harvest to the apps below; My work reads all of them.
    "workshops": ("samenspel.work",),
}


def imported_modules(source: str, package: str) -> list[tuple[int, str]]:
    """Every module (and name) a file imports, as absolute names with their line: also
    imports inside functions or under TYPE_CHECKING. `package`: the file's own package, for
    relative imports."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.rsplit(".", node.level - 1)[0]
                module = f"{base}.{module}" if module else base
            found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def is_above(module: str, above: tuple[str, ...] = ABOVE_COMMUNITIES) -> bool:
    return any(module == app or module.startswith(f"{app}.") for app in above)


def test_communities_imports_nothing_from_the_apps_above_it():
    root = Path(samenspel.communities.__file__).parent
    files = sorted(root.rglob("*.py"))
    assert len(files) > 10  # the walk found the package

    offending = []
    for path in files:
        package = ".".join(("samenspel", "communities", *path.relative_to(root).parent.parts))
        for line, module in imported_modules(path.read_text(), package):
            if is_above(module):
                offending.append(f"{path.relative_to(root)}:{line} imports {module}")

    assert offending == []


def test_the_check_sees_every_form_of_import():
    source = (
        "import samenspel.initiatives.models\n"
        "from samenspel import learning\n"
        "def f():\n"
        "    from samenspel.learning.demo import load\n"
        "from ....initiatives import defaults\n"
        "from .models import Community\n"
    )

    found = imported_modules(source, "samenspel.communities.management.commands")

    assert sorted(line for line, module in found if is_above(module)) == [1, 2, 4, 4, 5, 5]
    assert (6, "samenspel.communities.management.commands.models") in found


@pytest.mark.parametrize("app", sorted(ABOVE))
def test_an_app_imports_nothing_from_the_apps_above_it(app):
    root = Path(samenspel.communities.__file__).parent.parent / app
    offending = []
    for path in sorted(root.rglob("*.py")):
        package = ".".join(("samenspel", app, *path.relative_to(root).parent.parts))
        for line, module in imported_modules(path.read_text(), package):
            if is_above(module, ABOVE[app]):
                offending.append(f"{path.relative_to(root)}:{line} imports {module}")

    assert offending == []
