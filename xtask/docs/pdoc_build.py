"""Build the API reference of the installed package with pdoc (`cargo xtask docs`).

Python 3.11's ``inspect.findsource`` finds a class by walking its module's whole syntax tree,
once per class; on the generated module (hundreds of classes, 30,000 lines) that takes pdoc
tens of minutes. Here each file's classes are indexed in one walk (Python 3.13 records
``__firstlineno__`` on classes instead). Arguments are pdoc's.
"""

from __future__ import annotations

import ast
import functools
import inspect
import linecache
import sys
from typing import Any

import pdoc.__main__

_findsource = inspect.findsource


@functools.cache
def _class_lines(filename: str) -> dict[str, int]:
    """The 0-based first line (decorators included) of every class in a file, by qualname."""
    lines: dict[str, int] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                qualname = prefix + child.name
                first = min([child.lineno, *(decorator.lineno for decorator in child.decorator_list)])
                lines.setdefault(qualname, first - 1)
                visit(child, qualname + ".")
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(child, prefix + child.name + ".<locals>.")
            elif isinstance(child, ast.If):
                # `if typing.TYPE_CHECKING: <declarations> else: <runtime>`: the runtime class first.
                visit(ast.Module(body=child.orelse + child.body, type_ignores=[]), prefix)

    visit(ast.parse("".join(linecache.getlines(filename))), "")
    return lines


def _findsource_indexed(obj: Any) -> tuple[list[str], int]:
    if inspect.isclass(obj):
        filename = inspect.getsourcefile(obj)
        if filename and (line := _class_lines(filename).get(obj.__qualname__)) is not None:
            return linecache.getlines(filename), line
    return _findsource(obj)


inspect.findsource = _findsource_indexed

if __name__ == "__main__":
    sys.argv[0] = "pdoc"
    pdoc.__main__.cli()
