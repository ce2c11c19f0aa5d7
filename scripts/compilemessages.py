#!/usr/bin/env python3
"""Translation catalogues without GNU gettext: extract, merge and compile with polib.

    .venv/bin/python scripts/compilemessages.py            # compile every locale's django.po to django.mo
    .venv/bin/python scripts/compilemessages.py --update   # add new msgids from the sources to each .po, then compile
    .venv/bin/python scripts/compilemessages.py --check    # exit 1 if a .mo does not match its .po

Msgids are English; zh_Hans translates them. Sources are the package's templates (read with Django's own
`templatize`, as makemessages does) and its Python files (gettext calls found with `ast`).
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "tuopin"
LOCALE = PACKAGE / "locale"
LOCALES = {"zh_Hans": "Plural-Forms: nplurals=1; plural=0;", "en": "Plural-Forms: nplurals=2; plural=(n != 1);"}
LANGUAGE_NAMES = {"zh_Hans": "zh_Hans", "en": "en"}

# gettext functions and which positional arguments are (context, singular, plural).
_FUNCS = {
    "gettext": (None, 0, None), "gettext_lazy": (None, 0, None), "gettext_noop": (None, 0, None),
    "pgettext": (0, 1, None), "pgettext_lazy": (0, 1, None),
    "ngettext": (None, 0, 1), "ngettext_lazy": (None, 0, 1),
    "npgettext": (0, 1, 2), "npgettext_lazy": (0, 1, 2),
}


@dataclass(frozen=True)
class Message:
    msgid: str
    context: str | None = None
    plural: str | None = None

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.msgid)


def _aliases(tree: ast.AST) -> dict[str, str]:
    """Local names bound to django.utils.translation functions (`gettext_lazy as _`, `pgettext_lazy as p`)."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for alias in node.names:
                if alias.name in _FUNCS:
                    names[alias.asname or alias.name] = alias.name
    return names


def messages_in_python(source: str) -> list[Message]:
    tree = ast.parse(source)
    aliases = _aliases(tree)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in aliases):
            continue
        ctx_i, id_i, pl_i = _FUNCS[aliases[node.func.id]]
        args = node.args

        def text(i, args=args):  # called in this iteration only
            if i is None or i >= len(args) or not isinstance(args[i], ast.Constant) or not isinstance(args[i].value, str):
                return None
            return args[i].value

        msgid = text(id_i)
        if msgid:
            found.append(Message(msgid, text(ctx_i), text(pl_i)))
    return found


# templatize writes gettext(u'…') for tags and _("…") for translated constants in filter arguments.
_CALL = re.compile(r"""\b(n?p?gettext|_)\(((?:\s*u?(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")\s*,?)+)""")
_STRING = re.compile(r"""u?('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""")


def messages_in_template(source: str) -> list[Message]:
    from django.utils.translation.template import templatize

    found = []
    for func, args in _CALL.findall(templatize(source)):
        strings = [ast.literal_eval(s) for s in _STRING.findall(args)]
        ctx_i, id_i, pl_i = _FUNCS["gettext" if func == "_" else func]
        get = lambda i, strings=strings: strings[i] if i is not None and i < len(strings) else None  # noqa: E731
        found.append(Message(get(id_i), get(ctx_i), get(pl_i)))
    return found


def extract(roots: list[Path]) -> dict[tuple, Message]:
    messages: dict[tuple, Message] = {}
    for root in roots:
        for path in sorted(root.rglob("*")):
            if "migrations" in path.parts or "__pycache__" in path.parts or "vendor" in path.parts:
                continue
            if path.suffix == ".py":
                found = messages_in_python(path.read_text(encoding="utf-8"))
            elif path.suffix in (".html", ".txt") and "templates" in path.parts:
                found = messages_in_template(path.read_text(encoding="utf-8"))
            else:
                continue
            for message in found:
                messages.setdefault(message.key, message)
    return messages


def po_path(locale: str) -> Path:
    return LOCALE / locale / "LC_MESSAGES" / "django.po"


def load(locale: str) -> polib.POFile:
    path = po_path(locale)
    if path.exists():
        return polib.pofile(str(path), wrapwidth=0)
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": "tuopin", "Language": LANGUAGE_NAMES[locale], "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": LOCALES[locale].split(": ", 1)[1],
    }
    return po


def update(locale: str, messages: dict[tuple, Message]) -> tuple[int, int]:
    """Add missing msgids (untranslated) and drop vanished ones. Returns (added, dropped)."""
    po = load(locale)
    existing = {(e.msgctxt, e.msgid): e for e in po}
    added = 0
    for key, message in sorted(messages.items(), key=lambda kv: (kv[0][0] or "", kv[0][1])):
        entry = existing.get(key)
        if entry is not None:
            entry.obsolete = False
            continue
        entry = polib.POEntry(msgctxt=message.context, msgid=message.msgid, msgstr="")
        if message.plural:
            entry.msgid_plural = message.plural
            entry.msgstr_plural = {i: "" for i in range(1 if locale == "zh_Hans" else 2)}
        po.append(entry)
        added += 1
    vanished = [entry for key, entry in existing.items() if key not in messages or entry.obsolete]
    for entry in vanished:
        po.remove(entry)
    obsolete = len(vanished)
    po_path(locale).parent.mkdir(parents=True, exist_ok=True)
    po.save(str(po_path(locale)))
    return added, obsolete


def compile_po(path: Path) -> Path:
    mo = path.with_suffix(".mo")
    polib.pofile(str(path)).save_as_mofile(str(mo))
    return mo


def mo_matches_po(path: Path) -> bool:
    """The .mo beside this .po holds exactly the .po's translated, non-obsolete, non-fuzzy entries."""
    mo_path = path.with_suffix(".mo")
    if not mo_path.exists():
        return False
    po, mo = polib.pofile(str(path)), polib.mofile(str(mo_path))

    def table(entries):
        return {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted((int(k), v) for k, v in e.msgstr_plural.items())))
                for e in entries if e.msgid and (e.msgstr or any(e.msgstr_plural.values()))}

    return table(po.translated_entries()) == table(mo)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="extract msgids from the sources into the .po files")
    parser.add_argument("--check", action="store_true", help="exit 1 if a .mo file is out of date")
    args = parser.parse_args(argv)
    if args.check:
        stale = [locale for locale in LOCALES if not mo_matches_po(po_path(locale))]
        for locale in stale:
            print(f"{po_path(locale).with_suffix('.mo')} does not match its .po: run scripts/compilemessages.py")
        return 1 if stale else 0
    if args.update:
        sys.path.insert(0, str(ROOT / "src"))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuopin.config.settings")
        import django

        django.setup()
        messages = extract([PACKAGE])
        for locale in LOCALES:
            added, obsolete = update(locale, messages)
            print(f"{locale}: {added} new, {obsolete} dropped, {len(messages)} in the sources")
    for locale in LOCALES:
        print(f"compiled {compile_po(po_path(locale)).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
