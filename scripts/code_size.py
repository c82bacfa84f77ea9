"""Print the largest modules and functions of the bertdesk package, by lines.

Where a file or a function grows past a page it usually holds more than one thing; this
list is what a refactoring issue measures before and after. Run from the repository
root: ``python3 scripts/code_size.py [--top N]``.
"""

from __future__ import annotations

import argparse
import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "bertdesk"


def module_sizes(package: Path) -> list[tuple[int, str]]:
    """(lines, path) of every module under ``package``."""
    return [
        (len(path.read_text(encoding="utf-8").splitlines()), str(path.relative_to(package.parent)))
        for path in sorted(package.rglob("*.py"))
    ]


def function_sizes(package: Path) -> list[tuple[int, str]]:
    """(lines, module:qualified.name) of every function and method, nested ones included."""
    sizes: list[tuple[int, str]] = []
    for path in sorted(package.rglob("*.py")):
        module = str(path.relative_to(package.parent))
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        _collect(tree, [], module, sizes)
    return sizes


def _collect(node: ast.AST, scope: list[str], module: str, sizes: list[tuple[int, str]]) -> None:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            name = [*scope, child.name]
            if not isinstance(child, ast.ClassDef):
                lines = (child.end_lineno or child.lineno) - child.lineno + 1
                sizes.append((lines, f"{module}:{'.'.join(name)}"))
            _collect(child, name, module, sizes)
        else:
            _collect(child, scope, module, sizes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=10, help="how many of each to print")
    top = parser.parse_args().top
    modules = module_sizes(PACKAGE)
    print(f"{len(modules)} modules, {sum(lines for lines, _ in modules)} lines")
    print(f"largest {top} modules (lines):")
    for lines, name in sorted(modules, reverse=True)[:top]:
        print(f"  {lines:5d}  {name}")
    print(f"largest {top} functions (lines):")
    for lines, name in sorted(function_sizes(PACKAGE), reverse=True)[:top]:
        print(f"  {lines:5d}  {name}")


if __name__ == "__main__":
    main()
