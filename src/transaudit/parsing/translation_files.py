"""Localization files: gettext PO, XLIFF 1.2 and 2.0, TMX, read with translate-toolkit.

Each unit with a non-empty target becomes one pair (:class:`Segment`): the source is the English
text, the translation the Hindi, ``translation_line`` the line of its ``msgstr`` / ``<target>`` /
``<tuv>``, ``source_line`` that of its ``msgid`` / ``<source>`` / source ``<tuv>``, and
``section`` the unit's id. Plural forms are pairs of their own (``msgstr[1]`` with
``msgid_plural``). Fuzzy and obsolete PO entries are skipped unless ``include_fuzzy``, and so is
``translator-credits`` (names, not a translation). Languages
come from the file (PO ``Language:``, XLIFF ``source-language``/``srcLang``..., TMX ``srclang``
and each ``<tuv>``'s ``xml:lang``); ``source_lang``/``target_lang`` fill in or override them.
These documents have no blocks: the digest-structure checks (TA101-TA103) have nothing to read.

translate-toolkit is the ``l10n`` extra; it is imported here, when such a file is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from transaudit.model import Document, Segment

PO_SUFFIXES = (".po",)
XLIFF_SUFFIXES = (".xlf", ".xliff")
TMX_SUFFIXES = (".tmx",)
TRANSLATION_SUFFIXES = PO_SUFFIXES + XLIFF_SUFFIXES + TMX_SUFFIXES
TRANSLATION_LAYOUTS = ("po", "xliff", "tmx")
MAX_ID = 80  # a unit id is shown in one line of a report


class TranslationFileError(ValueError):
    """The file cannot be read as a PO/XLIFF/TMX file; ``str(exc)`` is the one-line cause."""


@dataclass(frozen=True)
class TranslationOptions:
    source_lang: str | None = None  # overrides / fills in the file's source language
    target_lang: str | None = None
    include_fuzzy: bool = False


def _toolkit():
    try:
        from translate.storage import po, tmx, xliff, xliff2  # noqa: F401
    except ImportError:
        raise TranslationFileError(
            "reading PO, XLIFF and TMX files needs translate-toolkit: pip install 'transaudit[l10n]'") from None
    return po, xliff, xliff2, tmx


def _lang(code: str | None) -> str:
    """Primary language subtag, lower case: 'hi-IN' -> 'hi', 'en_US' -> 'en'."""
    return re.split(r"[-_@.]", (code or "").strip())[0].lower()


def _check_languages(source: str | None, target: str | None, options: TranslationOptions) -> tuple[str, str]:
    source = _lang(options.source_lang or source) or "en"
    target = _lang(options.target_lang or target) or "hi"
    if target != "hi":
        raise TranslationFileError(f"target language is {target!r}, not Hindi ('hi'); "
                                   "give --target-lang hi if the file is mislabelled")
    if source != "en":
        raise TranslationFileError(f"source language is {source!r}, not English ('en'); "
                                   "give --source-lang en if the file is mislabelled")
    return source, target


def _show_id(unit_id: str) -> str:
    text = " ".join(unit_id.replace("\x04", " | ").split())
    return text if len(text) <= MAX_ID else text[:MAX_ID - 1] + "…"


def _segment(index: int, unit_id: str, source: str, target: str, source_line: int | None,
             target_line: int | None, target_end: int | None = None, source_end: int | None = None) -> Segment:
    return Segment(index=index, translation=target, source=source,
                   translation_line=target_line, translation_end_line=target_end or target_line,
                   source_line=source_line, source_end_line=source_end or source_line,
                   section=_show_id(unit_id))


def parse_translation_file(path: str, text: str, lines: list[str], suffix: str,
                           options: TranslationOptions | None = None) -> Document:
    options = options or TranslationOptions()
    po, xliff, xliff2, tmx = _toolkit()
    if suffix in PO_SUFFIXES:
        return _parse_po(path, text, lines, options, po)
    data = _xml_bytes(text)
    if suffix in TMX_SUFFIXES:
        return _parse_tmx(path, data, lines, options, tmx)
    return _parse_xliff(path, data, lines, options, xliff, xliff2)


# -- PO -------------------------------------------------------------------------------------------
_PO_KEYWORD = re.compile(r"(#~\s*)?(msgid_plural|msgid|msgstr(?:\[(\d+)\])?|msgctxt)\b")


@dataclass
class _PoEntry:
    msgid: int | None = None
    msgid_plural: int | None = None
    msgstr: list | None = None  # [(first line, last line)] per form

    def __post_init__(self):
        self.msgstr = []


def _po_entries(lines: list[str]) -> list[_PoEntry]:
    """Where each entry's msgid, msgid_plural and msgstr lines are, in file order."""
    entries: list[_PoEntry] = []
    current: _PoEntry | None = None
    last_keyword = None
    for n, line in enumerate(lines, 1):
        stripped = line.strip()
        m = _PO_KEYWORD.match(stripped)
        if m:
            keyword = m.group(2)
            if keyword in ("msgctxt", "msgid") and (current is None or current.msgstr
                                                    or (keyword == "msgid" and current.msgid is not None)):
                current = _PoEntry()
                entries.append(current)
            if keyword == "msgid":
                current.msgid = n
            elif keyword == "msgid_plural":
                current.msgid_plural = n
            elif keyword.startswith("msgstr") and current is not None:
                current.msgstr.append([n, n])
            last_keyword = keyword
            continue
        continued = stripped.startswith('"') or (stripped.startswith("#~") and stripped[2:].strip().startswith('"'))
        if continued and current is not None and last_keyword and last_keyword.startswith("msgstr") and current.msgstr:
            current.msgstr[-1][1] = n
        elif not continued:
            last_keyword = None if not stripped.startswith("#") or stripped.startswith("#~") else last_keyword
    return [e for e in entries if e.msgstr]


# gettext's convention: the translators' names, not a translation
_CREDITS = frozenset({"translator-credits", "translator_credits", "translator-credit"})


def _parse_po(path: str, text: str, lines: list[str], options: TranslationOptions, po) -> Document:
    try:
        store = po.pofile(text.encode("utf-8"))
    except Exception as exc:  # noqa: BLE001 - translate-toolkit raises many kinds
        raise TranslationFileError(f"cannot read as PO: {' '.join(str(exc).split())[:200]}") from None
    units = list(store.units)
    places = _po_entries(lines)
    if len(places) != len(units):
        raise TranslationFileError(f"cannot place its {len(units)} entries on lines "
                                   f"({len(places)} msgstr found); is it a PO file?")
    header = next((u for u in units if u.isheader()), None)
    _check_languages(None, store.gettargetlanguage() if header is not None else None, options)
    segments: list[Segment] = []
    for unit, place in zip(units, places):
        if unit.isheader():
            continue
        if (unit.isfuzzy() or unit.isobsolete()) and not options.include_fuzzy:
            continue
        if str(unit.source).strip().lower() in _CREDITS:
            continue
        if unit.hasplural():
            sources = [str(s) for s in unit.source.strings]
            targets = [str(t) for t in unit.target.strings]
        else:
            sources, targets = [str(unit.source or "")], [str(unit.target or "")]
        for k, target in enumerate(targets):
            if not target.strip() or k >= len(place.msgstr):
                continue
            source = sources[min(k, len(sources) - 1)]
            if not source.strip():
                continue
            source_line = place.msgid_plural if k >= 1 and place.msgid_plural else place.msgid
            first, last = place.msgstr[k]
            unit_id = unit.getid() + (f"[{k}]" if unit.hasplural() else "")
            segments.append(_segment(len(segments), unit_id, source, target, source_line, first, last))
    return Document(path=path, layout="po", lines=lines, segments=segments)


# -- XML (XLIFF, TMX) ----------------------------------------------------------------------------
_XML_DECL = re.compile(r"""\A(\ufeff?<\?xml[^>]*?encoding\s*=\s*)(["'])[^"']*\2""")


def _xml_bytes(text: str) -> bytes:
    """The decoded text as UTF-8 bytes, its XML declaration saying so (it was UTF-16 on disk)."""
    return _XML_DECL.sub(r"\1\2UTF-8\2", text.lstrip("\ufeff"), count=1).encode("utf-8")


def _xml_error(kind: str, exc: Exception) -> TranslationFileError:
    return TranslationFileError(f"cannot read as {kind}: {' '.join(str(exc).split())[:200]}")


def _plain(element) -> str:
    return "".join(element.itertext()) if element is not None else ""


def _parse_xliff(path: str, data: bytes, lines: list[str], options: TranslationOptions, xliff, xliff2) -> Document:
    version2 = b"urn:oasis:names:tc:xliff:document:2." in data[:4000]
    try:
        store = (xliff2.Xliff2File if version2 else xliff.xlifffile)(data)
    except Exception as exc:  # noqa: BLE001
        raise _xml_error("XLIFF", exc) from None
    _check_languages(store.getsourcelanguage(), store.gettargetlanguage(), options)
    segments: list[Segment] = []
    for unit in store.units:
        element = unit.xmlelement
        source_el = element.find(unit.namespaced("source"))
        target_el = element.find(unit.namespaced("target"))
        if target_el is None:
            continue
        source, target = str(unit.source or ""), str(unit.target or "")
        if not target.strip() or not source.strip():
            continue
        unit_id = unit.getid().split("\x04")[-1] if not version2 else unit.getid()
        segments.append(_segment(len(segments), unit_id, source, target,
                                 source_el.sourceline if source_el is not None else None, target_el.sourceline))
    return Document(path=path, layout="xliff", lines=lines, segments=segments)


_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _parse_tmx(path: str, data: bytes, lines: list[str], options: TranslationOptions, tmx) -> Document:
    try:
        store = tmx.tmxfile(data)
    except Exception as exc:  # noqa: BLE001
        raise _xml_error("TMX", exc) from None
    header = store.document.getroot().find("header")
    srclang = header.get("srclang") if header is not None else None
    if srclang and srclang.lower() == "*all*":
        srclang = None
    source_lang, target_lang = _check_languages(srclang, None, options)
    segments: list[Segment] = []
    for i, unit in enumerate(store.units):
        variants = {}
        for tuv in unit.xmlelement.iter("tuv"):
            lang = _lang(tuv.get(_XML_LANG) or tuv.get("lang"))
            variants.setdefault(lang, tuv)
        src, tgt = variants.get(source_lang), variants.get(target_lang)
        if src is None or tgt is None:
            continue
        source, target = _plain(src.find("seg")), _plain(tgt.find("seg"))
        if not target.strip() or not source.strip():
            continue
        unit_id = unit.xmlelement.get("tuid") or f"tu {i + 1}"
        segments.append(_segment(len(segments), unit_id, source, target, src.sourceline, tgt.sourceline))
    if not segments and store.units:
        raise TranslationFileError(f"no unit has both an {source_lang!r} and a {target_lang!r} variant "
                                   "(see --source-lang/--target-lang)")
    return Document(path=path, layout="tmx", lines=lines, segments=segments)
