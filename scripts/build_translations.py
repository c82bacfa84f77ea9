"""Build the Chinese translation: resources/translations/bertdesk_zh_CN.ts and its compiled .qm.

How translations are kept, so several people can add them at once without touching the same
file: each GUI module's Chinese strings live in ``resources/translations/zh_CN/<module>.tsv``
(tab-separated: context, source, translation; the first line is that header). The context
is the class whose ``self.tr()`` shows the string, or the first argument of
``QCoreApplication.translate(context, text)``. The training settings' help sentences come
from ``bertdesk.ml.config.FIELD_HELP`` (context FieldHelp, in ``field_help.tsv``). The engine's
error messages and hints (``BertdeskError("{file} is empty.", "Choose …", file=…)`` in
bertdesk/{core,store,io,ml,ops,system}) and its other ``Sentence``s are templates in context Errors
(``errors.tsv``): a translation keeps the ``{named}`` values, which the GUI fills in after
translating.

    python scripts/build_translations.py            # write the .ts and compile the .qm
    python scripts/build_translations.py --missing  # list tr() strings without a translation
    python scripts/build_translations.py --unused   # list translations no string uses any more

Plurals: write ``self.tr("%n text(s)", "", count)``. Chinese has one form; the English
forms ("1 text", "2 texts") are made from the "(s)" into ``bertdesk_en.ts``/``.qm``, which the
app loads for English, so nobody writes English twice.

The strings are found by reading bertdesk/gui/**/*.py with the ``ast`` module (every
``self.tr("…")``/``tr("…")`` inside a class, and every ``translate("Context", "…")``).
tests/gui/test_translations.py fails when one has no translation, or a translation no string.
"""

from __future__ import annotations

import ast
import csv
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Iterable

ROOT = Path(__file__).resolve().parent.parent
GUI = ROOT / "bertdesk" / "gui"
ENGINE = [ROOT / "bertdesk" / package for package in ("core", "store", "io", "ml", "ops", "system")]
TRANSLATIONS = ROOT / "resources" / "translations"
LANGUAGE = "zh_CN"
FIELD_HELP_CONTEXT = "FieldHelp"  # bertdesk.gui.training.train_settings.field_help translates in it
ERRORS_CONTEXT = "Errors"  # bertdesk.gui.common.errors.translated_text translates in it
TEMPLATE_CLASSES = {"BertdeskError", "Sentence"}  # and, found in the engine, every class derived from one


def source_strings(folder: Path = GUI) -> dict[tuple[str, str], bool]:
    """Every (context, source) the GUI translates, mapped to whether it is a plural (%n) form."""
    found: dict[tuple[str, str], bool] = {}
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for call in ast.walk(node):
                    if (isinstance(call, ast.Call) and isinstance(call.func, (ast.Attribute, ast.Name))
                            and _name(call.func) == "tr" and call.args
                            and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str)):
                        found[(node.name, call.args[0].value)] = len(call.args) >= 3
            if (isinstance(node, ast.Call) and _name(node.func) == "translate" and len(node.args) >= 2
                    and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args[:2])):
                found[(node.args[0].value, node.args[1].value)] = len(node.args) >= 4  # type: ignore[attr-defined]
    for help_text in field_help_texts():
        found[(FIELD_HELP_CONTEXT, help_text)] = False
    for template in error_templates():
        found[(ERRORS_CONTEXT, template)] = False
    return found


def error_templates(folders: list[Path] = ENGINE) -> list[str]:
    """The message and hint templates of the errors the engine raises, and of its other
    ``Sentence``s (e.g. why a row of a file cannot be read).

    They are the string literals given as the first two arguments of a call to an error class or
    ``Sentence``, or to a function annotated to return one (``_single_label_error(message, …)``):
    written there, or in a conditional expression, or in a variable assigned one literal in the
    same module or at the top of the engine module it is imported from.
    """
    modules = {_module_name(path.relative_to(folder.parent.parent)): ast.parse(path.read_text(encoding="utf-8"))
               for folder in folders for path in sorted(folder.rglob("*.py"))}
    bases = {node.name: {_name(base) for base in node.bases} for tree in modules.values()
             for node in ast.walk(tree) if isinstance(node, ast.ClassDef)}
    classes = set(TEMPLATE_CLASSES)
    while derived := {name for name, parents in bases.items() if parents & classes} - classes:
        classes |= derived  # UnknownEncoding(UserInputError(BertdeskError)) too
    constants = {module: _assigned_literals(tree.body) for module, tree in modules.items()}
    templates: dict[str, None] = {}
    for tree in modules.values():
        makers = classes | {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)
                            and node.returns is not None and _name(node.returns) in classes}
        literals = _assigned_literals(ast.walk(tree))
        for node in ast.walk(tree):  # a template constant imported from another engine module
            if isinstance(node, ast.ImportFrom) and node.module in constants:
                for alias in node.names:
                    if alias.name in constants[node.module]:
                        literals.setdefault(alias.asname or alias.name, []).extend(constants[node.module][alias.name])
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node.func) in makers:
                for argument in node.args[:2]:
                    templates.update(dict.fromkeys(_literal_strings(argument, literals)))
    return list(templates)


def _module_name(relative: Path) -> str:
    """bertdesk/ml/training.py -> bertdesk.ml.training (a package's __init__.py -> the package)."""
    parts = relative.with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _assigned_literals(nodes: Iterable[ast.AST]) -> dict[str, list[str]]:
    """Each name that ``nodes`` assign one string literal to, with the literals."""
    literals: dict[str, list[str]] = {}
    for node in nodes:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            literals.setdefault(node.targets[0].id, []).append(node.value.value)
    return literals


def _literal_strings(node: ast.expr, literals: dict[str, list[str]]) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value] if node.value else []
    if isinstance(node, ast.IfExp):
        return _literal_strings(node.body, literals) + _literal_strings(node.orelse, literals)
    if isinstance(node, ast.Name):
        return literals.get(node.id, [])
    return []


def field_help_texts() -> list[str]:
    """The engine's sentence for each training setting, shown translated as the GUI's tooltips."""
    sys.path.insert(0, str(ROOT))
    from bertdesk.ml.config import FIELD_HELP

    return list(FIELD_HELP.values())


def _name(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def translations(language: str = LANGUAGE) -> dict[tuple[str, str], str]:
    merged: dict[tuple[str, str], str] = {}
    for path in sorted((TRANSLATIONS / language).glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                if row.get("translation"):
                    merged[(row["context"], row["source"])] = row["translation"]
    return merged


def write_ts(language: str = LANGUAGE) -> Path:
    strings = source_strings()
    translated = translations(language)
    root = ElementTree.Element("TS", version="2.1", language=language)
    contexts: dict[str, ElementTree.Element] = {}
    for (context, source), plural in sorted(strings.items()):
        if context not in contexts:
            contexts[context] = ElementTree.SubElement(root, "context")
            ElementTree.SubElement(contexts[context], "name").text = context
        message = ElementTree.SubElement(contexts[context], "message")
        if plural:
            message.set("numerus", "yes")
        ElementTree.SubElement(message, "source").text = source
        text = translated.get((context, source))
        translation = ElementTree.SubElement(message, "translation")
        if text is None:
            translation.set("type", "unfinished")
        elif plural:
            ElementTree.SubElement(translation, "numerusform").text = text
        else:
            translation.text = text
    return _write(root, TRANSLATIONS / f"bertdesk_{language}.ts")


def english_plural_forms(source: str) -> tuple[str, str]:
    """ "%n text(s)" -> ("%n text", "%n texts"): the singular and plural English forms."""
    return source.replace("(s)", ""), source.replace("(s)", "s")


def write_english_plurals() -> Path:
    """bertdesk_en.ts: only the %n strings, with their English singular and plural forms."""
    root = ElementTree.Element("TS", version="2.1", language="en")
    contexts: dict[str, ElementTree.Element] = {}
    for (context, source), plural in sorted(source_strings().items()):
        if not plural:
            continue
        if context not in contexts:
            contexts[context] = ElementTree.SubElement(root, "context")
            ElementTree.SubElement(contexts[context], "name").text = context
        message = ElementTree.SubElement(contexts[context], "message", numerus="yes")
        ElementTree.SubElement(message, "source").text = source
        translation = ElementTree.SubElement(message, "translation")
        for form in english_plural_forms(source):
            ElementTree.SubElement(translation, "numerusform").text = form
    return _write(root, TRANSLATIONS / "bertdesk_en.ts")


def _write(root: ElementTree.Element, target: Path) -> Path:
    ElementTree.indent(root)
    body = ElementTree.tostring(root, encoding="unicode")
    target.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")
    return target


def compile_qm(ts: Path) -> Path:
    tool = shutil.which("pyside6-lrelease") or shutil.which("lrelease")
    if tool is None:
        raise SystemExit("pyside6-lrelease not found: pip install PySide6-Essentials")
    qm = ts.with_suffix(".qm")
    subprocess.run([tool, "-silent", str(ts), "-qm", str(qm)], check=True)
    return qm


def missing(language: str = LANGUAGE) -> list[tuple[str, str]]:
    translated = translations(language)
    return sorted(key for key in source_strings() if key not in translated)


def unused(language: str = LANGUAGE) -> list[tuple[str, str]]:
    """Rows of the .tsv files whose string the code no longer shows (to delete)."""
    used = source_strings()
    return sorted(key for key in translations(language) if key not in used)


def main() -> int:
    for flag, listed in (("--missing", missing), ("--unused", unused)):
        if flag in sys.argv:
            for context, source in listed():
                print(f"{context}\t{source}")
            return 0
    qm = compile_qm(write_ts())
    english = compile_qm(write_english_plurals())
    print(f"wrote {qm.relative_to(ROOT)} and {english.relative_to(ROOT)}; {len(missing())} strings untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
