"""Every format the importer reads becomes HTML here: .docx through mammoth,
Markdown through markdown-it-py, plain text through its inferred outline
(plain_text), HTML as it is. The input is bounded first."""

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import mammoth
from django.conf import settings
from markdown_it import MarkdownIt

from guides.importing import plain_text

FORMATS = {
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
}

# Word's title style is the article's title; the rest is mammoth's default map.
DOCX_STYLE_MAP = "p[style-name='Title'] => h1:fresh\np[style-name='Subtitle'] => p:fresh"


class ImportRefused(Exception):
    """The file cannot be imported; the message says why, for the editor."""


@dataclass
class Source:
    """One article as HTML, with where it came from."""

    name: str  # the file name: importing it again into the same hub updates its draft
    format: str
    html: str
    base_dir: Path | None = None  # where images named by a relative path are looked for
    messages: list[str] = field(default_factory=list)  # what the converter warned about
    guesses: list[str] = field(default_factory=list)  # what the converter inferred


def format_of(name):
    suffix = Path(name).suffix.lower()
    if suffix not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        raise ImportRefused(f"{name}: unknown kind of file '{suffix or name}'. Import {known}.")
    return FORMATS[suffix]


def read_path(path):
    """A file on disk as a Source (images beside it may be imported too)."""
    path = Path(path)
    fmt = format_of(path.name)
    size = path.stat().st_size
    _check_size(path.name, size)
    return to_source(path.name, path.read_bytes(), fmt=fmt, base_dir=path.parent.resolve())


def _check_size(name, size):
    limit = settings.GUIDE_IMPORT_MAX_BYTES
    if size > limit:
        raise ImportRefused(
            f"{name} is {size:,} bytes; the importer takes at most {limit:,} bytes "
            "(GUIDE_IMPORT_MAX_BYTES). Split the article or remove large images."
        )


def to_source(name, data, *, fmt=None, base_dir=None):
    """Bytes of a .docx, HTML, Markdown or plain-text file as a Source;
    ImportRefused if they cannot be."""
    fmt = fmt or format_of(name)
    _check_size(name, len(data))
    if not data.strip():
        raise ImportRefused(f"{name} is empty.")
    messages, guesses = [], []
    if fmt == "docx":
        html, messages = _docx_to_html(name, data)
    else:
        text = _decode(name, data)
        if fmt == "markdown":
            html = _markdown_to_html(text)
        elif fmt == "text":
            html, outline = plain_text.to_html(text)
            guesses.append(outline.describe())
        else:
            html = text
    return Source(
        name=name, format=fmt, html=html, base_dir=base_dir, messages=messages, guesses=guesses
    )


def detect_format(text):
    """What pasted text is written in: HTML if it has block tags, Markdown if it
    has Markdown's marks (headings, bold, links, quotes), else plain text."""
    if re.search(r"<(p|h[1-6]|ul|ol|li|div|article|section|body|table)\b[^>]*>", text, re.I):
        return "html"
    if re.search(r"^#{1,6}\s|\*\*\S|\]\(\S|^>\s|^\s*[-=]{3,}\s*$", text, re.M):
        return "markdown"
    return "text"


def _decode(name, data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(
            f"{name} is not UTF-8 text (byte {error.start} cannot be read). "
            "Save it as UTF-8 and import it again."
        ) from None
    if "\x00" in text:
        raise ImportRefused(f"{name} holds binary data, not text.")
    if not text.strip():
        raise ImportRefused(f"{name} is empty.")
    return text


def _markdown_to_html(text):
    # CommonMark with tables. Raw HTML in the Markdown passes through to the
    # segmenter, which drops scripts and Wagtail's whitelist the rest.
    return MarkdownIt("commonmark").enable("table").render(text)


def _docx_to_html(name, data):
    not_word = f"{name} is not a readable Word document (.docx): open it in Word and save it again."
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if "word/document.xml" not in archive.namelist():
                raise ImportRefused(not_word)
    except zipfile.BadZipFile:
        raise ImportRefused(not_word) from None
    limit = settings.GUIDE_IMPORT_MAX_UNPACKED_BYTES
    if unpacked > limit:
        raise ImportRefused(
            f"{name} unpacks to {unpacked:,} bytes; the importer takes at most {limit:,} "
            "(GUIDE_IMPORT_MAX_UNPACKED_BYTES)."
        )
    try:
        # Never read files a document links to (mammoth's own default since 1.11,
        # said here so it stays so): an uploaded .docx must not read the server's disk.
        result = mammoth.convert_to_html(
            io.BytesIO(data), style_map=DOCX_STYLE_MAP, external_file_access=False
        )
    except Exception:  # mammoth raises whatever its XML and zip readers raise
        raise ImportRefused(not_word) from None
    messages = [f"Word conversion: {message.message}" for message in result.messages]
    if not result.value.strip():
        raise ImportRefused(f"{name} has no text.")
    return result.value, messages
