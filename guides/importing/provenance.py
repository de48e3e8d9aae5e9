"""Who published an imported article, and whether it describes its own services.

An organisation's article names itself in a few places: a byline ("By the
Harbour Care team"), a source line ("Source: https://…"), the page's own
metadata (og:site_name, canonical address), a title suffix ("… | Harbour
Care"), a disclaimer ("Harbour Care is a coordination service, …"), and the
sections about itself ("About Harbour Care", "How Harbour Care supports …").
Each place is a clue; a name is taken when the clues agree (or it is already a
publisher in the CMS), never from one heading alone. Bylines and source lines
are metadata, not reader text: they leave the body and fill the fields.

The article describes its publisher's own services when it has a section about
the publisher, calls the publisher a service, or speaks as one ("our team",
"contact us"): "promotes a commercial service" is then ticked for the editor
to confirm (readers are told), with the evidence in the report.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from guides.importing.html_blocks import normalise, text_of

NAME = r"(?:the\s+)?([A-Z][\w&'’.-]*(?:\s+(?:of|and|for|&|de|la|[A-Z][\w&'’.-]*)){0,6})"
# Names are capitalised words, so only the words around them ignore case.
BYLINE = re.compile(
    rf"^(?i:(?:written\s+|published\s+|prepared\s+|brought to you\s+)?by)\s+{NAME}"
    r"(?i:\s+(?:team|editorial team|editors|staff))?\s*[.,]?\s*(?:[|·•–—-].*)?$"
)
SOURCE_LINE = re.compile(
    r"^(?:source|original(?:ly)? (?:published|appeared)(?: at| on| by)?|first published(?: at| on)?"
    r"|read the original(?: at)?|from)\s*:?\s*(https?://\S+?)[.,]?$",
    re.IGNORECASE,
)
ABOUT = re.compile(rf"^(?i:about)\s+{NAME}\s*$")
SUPPORTS = re.compile(
    rf"^(?i:how)\s+{NAME}\s+(?i:supports?|helps?|can help|works|coordinates|assists|cares)\b"
)
DESCRIBED = re.compile(
    rf"\b{NAME}\s+is\s+(?:a|an)\s+[^.]{{0,80}}?\b(service|company|organi[sz]ation|provider"
    r"|charity|platform|clinic|network|team|business|agency)\b"
)
TITLE_SUFFIX = re.compile(r"^(.{10,}?)\s+[|–—-]\s+([^|–—-]{2,60})$")
# How an organisation speaks of its own services.
OWN_SERVICE = re.compile(
    r"\b(our (?:[\w-]+\s+){0,2}(?:team|service|services|specialists|coordinators|clinic|"
    r"consultation|programme|program|experts)|contact us|get in touch|book (?:a|an|your) "
    r"[\w\s]{0,30}(?:consultation|appointment|call)|we offer|we can help|we arrange)\b",
    re.IGNORECASE,
)
GENERIC_NAMES = {
    "the", "you", "your", "we", "our", "us", "patients", "patient", "doctors", "doctor",
    "caregivers", "families", "family", "cancer", "care", "treatment", "this", "it",
    "a", "an", "an mdt", "mdt", "second", "nurses", "your team", "teams",
}  # fmt: skip
# A name does not start with a pronoun or determiner ("Your Care Team").
NOT_A_NAME_START = {"your", "our", "their", "my", "this", "these", "those", "a", "an", "we"}
STRONG = {"byline", "site name", "disclaimer", "title", "known publisher"}


@dataclass
class Clues:
    """What the article says about who published it."""

    names: dict[str, list[str]] = field(default_factory=dict)  # name -> where it was found
    address: str = ""  # the article's own address, if it gives one
    removed: list[str] = field(default_factory=list)  # byline and source lines taken out
    sections: dict[str, list[str]] = field(default_factory=dict)  # name -> its sections
    service_phrases: list[str] = field(default_factory=list)  # "our team", "contact us"
    title_suffix: str = ""  # "| Publisher" after the title, taken off

    def add(self, name, where):
        name = _tidy(name)
        first = normalise(name).split(" ", 1)[0] if name else ""
        if (
            name
            and normalise(name) not in GENERIC_NAMES
            and first not in NOT_A_NAME_START
            and len(name) <= 120
        ):
            self.names.setdefault(name, []).append(where)


def _tidy(name):
    name = re.sub(r"^the\s+", "", " ".join(name.split()), flags=re.IGNORECASE)
    name = re.sub(r"\s+(team|editorial team|editors|staff)$", "", name, flags=re.IGNORECASE)
    return name.strip(" .,;:'’")


def read_metadata(html, clues):
    """Takes the byline and source lines and the page's metadata out of the
    article's HTML (before it is segmented); returns the HTML left."""
    soup = BeautifulSoup(html, "html.parser")
    for meta in soup.find_all("meta"):
        key = (meta.get("property") or meta.get("name") or "").lower()
        content = " ".join((meta.get("content") or "").split())
        if key in ("og:site_name", "application-name", "publisher", "article:publisher"):
            if content and not content.startswith("http"):
                clues.add(content, "site name")
        elif key == "og:url" and content.startswith("http"):
            clues.address = clues.address or content
        elif key == "author" and content:
            clues.add(content, "byline")
    canonical = soup.find("link", rel="canonical", href=True)
    if canonical and canonical["href"].startswith("http"):
        clues.address = clues.address or canonical["href"]
    lines = soup.find_all(["p", "address", "h5", "h6"])
    for index, element in enumerate(lines):
        text = text_of(element)
        if not text or len(text) > 160:
            continue
        source = SOURCE_LINE.match(text)
        link = element.find("a", href=True)
        if source or (
            link
            and re.match(r"^(source|originally published|first published)\b", text, re.I)
            and link["href"].startswith("http")
        ):
            clues.address = clues.address or (source.group(1) if source else link["href"])
            clues.removed.append(text)
            element.decompose()
            continue
        # A byline sits at the article's start or end ("By Monday." elsewhere is text).
        byline = (index < 4 or index >= len(lines) - 4) and BYLINE.match(text)
        if byline:
            clues.add(byline.group(1), "byline")
            clues.removed.append(text)
            element.decompose()
    return str(soup)


def read_article(parsed, clues, known_publishers):
    """Clues from the segmented article: its title, headings, text and disclaimer.
    `known_publishers` are the CMS's publishers, matched by name in the text."""
    headings = [b.value["text"] for b in parsed.blocks if b.type == "heading"]
    texts = [_block_text(b) for b in parsed.blocks]
    full = " ".join([parsed.title, parsed.standfirst, *texts, _html_text(parsed.disclaimer)])
    suffix = TITLE_SUFFIX.match(parsed.title)
    if suffix and _looks_like_name(suffix.group(2)):
        clues.add(suffix.group(2), "title")
        clues.title_suffix = suffix.group(2)
    for heading in headings:
        for pattern, where in (
            (ABOUT, "an 'About' section"),
            (SUPPORTS, "a 'How … supports' section"),
        ):
            match = pattern.match(heading)
            if match:
                clues.add(match.group(1), where)
                clues.sections.setdefault(_tidy(match.group(1)), []).append(heading)
    for match in DESCRIBED.finditer(_html_text(parsed.disclaimer)):
        clues.add(match.group(1), "disclaimer")
    for text in texts:
        for match in DESCRIBED.finditer(text):
            clues.add(match.group(1), "the text")
    for publisher in known_publishers:
        if re.search(rf"\b{re.escape(publisher.name)}\b", full, re.IGNORECASE):
            clues.add(publisher.name, "known publisher")
    clues.service_phrases = list(Counter(m.group(0).lower() for m in OWN_SERVICE.finditer(full)))
    return full


def choose(clues, full_text):
    """The publisher's name, with where it was found; ("", []) when the clues do
    not agree on one. A name counts where it is strongly placed (byline,
    metadata, disclaimer, a known publisher) or is found in two ways; a name
    only a heading gives ("About Radiation Therapy") must be a name of several
    words, written with its capitals twice more in the text."""
    best, best_score, best_where = "", 0, []
    for name, where in clues.names.items():
        mentions = len(re.findall(rf"\b{re.escape(name)}\b", full_text))
        kinds = set(where)
        if clues.address and _domain_matches(name, clues.address):
            kinds.add("address")
        accepted = kinds & STRONG or len(kinds) >= 2 or (mentions >= 3 and len(name.split()) >= 2)
        if not accepted:
            continue
        score = 3 * len(kinds & STRONG) + len(kinds) + min(mentions, 5)
        if score > best_score:
            best, best_score, best_where = name, score, sorted(kinds)
    return best, best_where


def promotes_own_service(name, clues):
    """The evidence that the article describes its publisher's own services
    (none without a publisher: an article of our own may say "contact us")."""
    if not name:
        return []
    evidence = [f"the section '{heading}'" for heading in clues.sections.get(name, [])]
    if "disclaimer" in clues.names.get(name, []):
        evidence.append(f"it calls {name} a service")
    if clues.service_phrases:
        phrases = ", ".join(f"'{p}'" for p in clues.service_phrases)
        evidence.append(f"it speaks of its own services ({phrases})")
    return evidence


def home_page(address):
    parts = urlsplit(address)
    return f"{parts.scheme}://{parts.netloc}/" if parts.scheme and parts.netloc else ""


def _domain_matches(name, address):
    host = urlsplit(address).netloc.lower().removeprefix("www.")
    letters = re.sub(r"[^a-z0-9]", "", host.rsplit(".", 1)[0])
    squeezed = re.sub(r"[^a-z0-9]", "", name.lower())
    return bool(squeezed) and (squeezed in letters or letters in squeezed)


def _looks_like_name(text):
    words = text.split()
    return 1 <= len(words) <= 6 and all(
        w[0].isupper() or w.lower() in ("of", "and", "&") for w in words
    )


def _block_text(block):
    value = block.value
    if isinstance(value, str):
        return _html_text(value)
    if isinstance(value, dict):
        return " ".join(_html_text(v) for v in value.values() if isinstance(v, str))
    return ""


def _html_text(html):
    return text_of(BeautifulSoup(html or "", "html.parser"))
