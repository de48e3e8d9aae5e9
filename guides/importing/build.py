"""Creates or updates the draft guide an import makes: never published, saved
with a revision, so it goes through the Clinical review workflow like any
guide an editor writes.

Importing the same article into the same hub again (the same file name, the
same original address or the same title, from any format) updates that guide
with a new revision, unless the editor asks for a new guide. The article's
publisher fills the guide's provenance fields (provenance.py). FAQs are matched to existing ones
by their question; new ones are drafts too. Images go into the image library.
"""

import base64
import binascii
import io
import json
import re
import uuid
from pathlib import Path

from bs4 import BeautifulSoup
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.text import slugify
from PIL import Image as PILImage
from wagtail.images import get_image_model

from faqs.models import FAQ, FAQTopic
from guides.blocks import SHORT_RICH_TEXT, GuideBodyBlock
from guides.importing import provenance
from guides.importing.html_blocks import normalise, text_of
from guides.importing.report import ImportReport
from guides.importing.segment import segment
from guides.importing.sources import ImportRefused, Source
from guides.models import GuideCategory, GuideFAQ, GuidePage, GuideReference, Publisher
from guides.models.references import CITATION

# Where new draft FAQs are filed until an editor moves them: a topic with no
# published FAQ is not listed by the API.
IMPORTED_FAQ_TOPIC = "Imported"
IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}
DATA_URI = re.compile(r"^data:(image/[\w.+-]+);base64,(.*)$", re.IGNORECASE | re.DOTALL)


def features():
    """The rich-text features of each place imported text goes, from the models themselves."""
    body = GuideBodyBlock()
    return {
        "paragraph": body.child_blocks["paragraph"].features,
        "short": SHORT_RICH_TEXT,
        "disclaimer": GuidePage._meta.get_field("disclaimer").features,
        "answer": FAQ._meta.get_field("answer").features,
    }


def import_source(
    source: Source, hub, *, user=None, category=None, new_guide=False
) -> ImportReport:
    """Imports one article into `hub` as a draft; the report says what happened.
    The guide it matches in the hub gets a new revision, unless `new_guide`.
    Raises ImportRefused if the article cannot be imported at all."""
    report = ImportReport(file_name=source.name)
    for message in source.messages:
        report.check(message)
    for guess in source.guesses:
        report.guessed(guess)
    clues = provenance.Clues()
    html = provenance.read_metadata(source.html, clues)
    parsed = segment(html, source.name, features(), report)
    full_text = provenance.read_article(parsed, clues, Publisher.objects.all())
    if clues.title_suffix:
        parsed.title = provenance.TITLE_SUFFIX.match(parsed.title).group(1).strip()
        report.mapped(
            f"Title: '{clues.title_suffix}' after the title is the publisher's name: "
            f"taken off ('{parsed.title}')."
        )
    with transaction.atomic():
        existing, matched_by = (None, "") if new_guide else _matching(hub, source, parsed, clues)
        if new_guide:
            _warn_same_title(hub, parsed, report)
        body = []
        faqs = []
        known = None
        for pending in parsed.blocks:
            if pending.type == "faqs":
                if known is None:  # every FAQ's question, once per import
                    known = {}
                    for faq in FAQ.objects.order_by("-live", "pk"):
                        known.setdefault(normalise(faq.question), faq)
                chosen = [_faq_for(q, known, report, user) for q in pending.value["questions"]]
                faqs += [faq for faq, _ in chosen]
                body.append(
                    _block(
                        "faqs", {"title": pending.value["title"], "faqs": [f.pk for f, _ in chosen]}
                    )
                )
                for _faq, differs in chosen:
                    if differs is not None:
                        body.append(_block("paragraph", differs))
            elif pending.type == "image":
                image = _image(pending.value, source, report, user)
                if image is not None:
                    body.append(
                        _block(
                            "image",
                            {
                                "image": image.pk,
                                "alt_text": pending.value["alt_text"][:250],
                                "caption": pending.value["caption"],
                            },
                        )
                    )
            else:
                body.append(_block(pending.type, pending.value))
        guide = existing.specific.get_latest_revision_as_object() if existing else None
        created = guide is None
        if created:
            guide = GuidePage(category=category or _default_category(report))
        _fill(guide, parsed, body, faqs, source.name, report, created)
        _fill_provenance(guide, clues, full_text, report, created)
        _check_blocks(guide, report)
        _check_citations(guide, parsed, report)
        if created:
            guide.slug = _free_slug(hub, slugify(guide.title)[:200] or "imported-guide")
            guide.live = False
            hub.add_child(instance=guide)
        elif not guide.live:
            guide.save()
        else:
            report.check("The guide is live: this import is a new draft revision, not published.")
        guide.save_revision(user=user, log_action=True)
    counts = {}
    for item in body:
        counts[item["type"]] = counts.get(item["type"], 0) + 1
    report.mapped(
        "Body: " + (", ".join(f"{n} {kind}" for kind, n in counts.items()) or "empty") + "."
    )
    report.guide = guide
    report.created = created
    report.block_count = len(body)
    if not created:
        report.check(
            f"Re-import: this article matches the guide '{existing.title}' (id {existing.pk}) "
            f"in this hub by {matched_by}: it is a new revision of the same guide, not a "
            "second guide. Its title, standfirst, body, disclaimer, "
            "references and FAQs are the article's again; earlier revisions, with any edits "
            "made in the admin, are in its history. To keep both, import again as a new guide."
        )
        if existing.workflow_in_progress:
            report.check("The guide is in Clinical review: its reviewer sees this new revision.")
    return report


def _matching(hub, source, parsed, clues):
    """The guide in `hub` this article was imported as before, and how it was
    recognised: the same file name, the same original address, or the same
    title (the draft's or the live one's), whatever format it came in."""
    guides = GuidePage.objects.child_of(hub).order_by("pk")
    found = guides.filter(imported_from=source.name).first()
    if found:
        return found, f"its file name ({source.name})"
    if clues.address:
        found = guides.filter(source_url=clues.address).first()
        if found:
            return found, f"its original address ({clues.address})"
    title = normalise(parsed.title)
    for guide in guides.only("pk", "title", "draft_title"):
        if title and title in (normalise(guide.title), normalise(guide.draft_title)):
            return guide, f"its title ('{parsed.title}')"
    return None, ""


def _warn_same_title(hub, parsed, report):
    title = normalise(parsed.title)
    twins = [
        g
        for g in GuidePage.objects.child_of(hub).only("pk", "title", "draft_title")
        if title in (normalise(g.title), normalise(g.draft_title))
    ]
    if twins:
        report.check(
            f"Imported as a new guide as asked, though '{twins[0].title}' (id {twins[0].pk}) "
            "in this hub has the same title: rename one so they can be told apart."
        )


def _fill_provenance(guide, clues, full_text, report, created):
    """The publisher the article names fills the guide's publisher, author
    organisation and original publisher (where still empty); the report says
    what was filled from where, and what could not be."""
    for removed in clues.removed:
        report.mapped(f"'{removed}' is about the article, not in it: moved to its details.")
    name, where = provenance.choose(clues, full_text)
    if clues.address and not guide.source_url:
        guide.source_url = clues.address[:500]
        report.mapped(f"Original address: {guide.source_url} (given in the article).")
    elif not guide.source_url:
        # Worth acting on only for an article first published elsewhere.
        (report.check if name else report.mapped)(
            "Original address: not found in the article: add it (Settings) if it was "
            "published elsewhere."
        )
    if not name:
        report.check(
            "Publisher, author organisation and original publisher: the article does not name "
            "its publisher clearly enough"
            + (f" (possible: {', '.join(sorted(clues.names))})" if clues.names else "")
            + ": choose the publisher (Content), and the others (Settings) if it was "
            "first published elsewhere."
        )
    else:
        publisher = Publisher.objects.filter(name__iexact=name).first()
        if publisher is None:
            publisher = Publisher.objects.create(
                name=name[:120], url=provenance.home_page(clues.address)
            )
            report.guessed(
                f"Publisher '{publisher}' added to the publishers (found in: "
                f"{', '.join(where)}): check its name and address."
            )
        filled = []
        if guide.publisher_id is None:
            guide.publisher = publisher
            filled.append("publisher")
        if guide.author_organisation_id is None:
            guide.author_organisation = publisher
            filled.append("author organisation")
        if not guide.source_publisher:
            guide.source_publisher = publisher.name[:200]
            filled.append("original publisher")
        if filled:
            report.guessed(
                f"{', '.join(filled).capitalize()}: '{publisher}' (named in the article: "
                f"{', '.join(where)})."
            )
        else:
            report.mapped("Publisher fields: kept the ones already chosen.")
    evidence = provenance.promotes_own_service(name, clues)
    if evidence and not guide.promotes_commercial_service and not created:
        report.check(
            "Promotes a commercial service is not ticked, but the article describes its "
            f"publisher's own services ({'; '.join(evidence)}): confirm."
        )
    elif evidence and not guide.promotes_commercial_service:
        guide.promotes_commercial_service = True
        report.guessed(
            "Promotes a commercial service: ticked, because the article describes the "
            f"services of {name or 'its own publisher'} ({'; '.join(evidence)}). Readers are "
            "told. Untick it if the article promotes no paid service."
        )
    elif not name and clues.service_phrases:
        phrases = ", ".join(f"'{p}'" for p in clues.service_phrases)
        report.check(
            f"The article speaks of its own services ({phrases}) but names no publisher: if "
            "it promotes another organisation's paid service, tick 'promotes a commercial "
            "service' (Settings)."
        )
    elif not evidence:
        report.mapped(
            "Promotes a commercial service: not ticked (the article describes no service of its own)."
        )


def _block(block_type, value):
    return {"type": block_type, "value": value, "id": str(uuid.uuid4())}


def _default_category(report):
    category = GuideCategory.objects.order_by("name").first()
    if category is None:
        raise ImportRefused("There is no guide category yet: add one under Guide labels first.")
    report.guessed(f"Category: '{category}' (the first one): choose the right one.")
    return category


def _fill(guide, parsed, body, faqs, name, report, created):
    guide.title = parsed.title
    guide.draft_title = parsed.title
    guide.standfirst = parsed.standfirst
    guide.imported_from = name
    if created or not guide.summary:
        summary = _summary(parsed.standfirst or parsed.title)
        guide.summary = summary
        report.check(
            "Summary: copied from the standfirst"
            + (" and shortened" if summary != parsed.standfirst else "")
            + ". Write the card text readers see in lists."
        )
    else:
        report.mapped("Summary: kept the one already written.")
    guide.body = json.dumps(body)
    guide.disclaimer = parsed.disclaimer
    guide.references = [
        GuideReference(
            title=ref.title,
            doi=ref.doi,
            pmid=ref.pmid,
            url=ref.url,
            year=ref.year,
            sort_order=number,
        )
        for number, ref in enumerate(parsed.references)
    ]
    unique = list({faq.pk: faq for faq in faqs}.values())
    guide.faq_placements = [GuideFAQ(faq=faq, sort_order=i) for i, faq in enumerate(unique)]


def _summary(text):
    limit = GuidePage._meta.get_field("summary").max_length
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def _free_slug(hub, slug):
    taken = set(hub.get_children().values_list("slug", flat=True))
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    return candidate


def _faq_for(question, known, report, user):
    """The existing FAQ with this question (normalised), else a new draft FAQ.
    Returns (faq, paragraph keeping the article's answer if it differs, or None)."""
    key = normalise(question.question)
    faq = known.get(key)
    if faq is not None:
        report.mapped(f"FAQ: '{question.question}' matched the existing FAQ (id {faq.pk}).")
        theirs = normalise(text_of(BeautifulSoup(faq.answer, "html.parser")))
        if theirs != normalise(question.answer_text):
            report.check(
                f"FAQ '{question.question}': the article's answer differs from the existing "
                "FAQ's. The article's answer is kept in a paragraph after the FAQs to compare; "
                "delete it when done."
            )
            return faq, question.answer_html
        return faq, None
    topic, _ = FAQTopic.objects.get_or_create(
        name=IMPORTED_FAQ_TOPIC, defaults={"slug": slugify(IMPORTED_FAQ_TOPIC), "sort_order": 999}
    )
    faq = FAQ(question=question.question, answer=question.answer_html, topic=topic, live=False)
    faq.save()
    faq.save_revision(user=user, log_action=True)
    known[key] = faq  # asked twice in one article: one FAQ
    report.check(
        f"FAQ: '{question.question}' is a new draft FAQ (id {faq.pk}) in the topic "
        f"'{topic}': it needs its own clinical review."
    )
    return faq, None


def _image(value, source, report, user):
    src, alt = value["src"], value["alt_text"]
    label = alt or src[:60]
    data, name = _image_bytes(src, source, report)
    if data is None:
        return None
    limit = settings.GUIDE_IMPORT_MAX_IMAGE_BYTES
    if len(data) > limit:
        report.check(f"Image '{label}' not imported: {len(data):,} bytes, more than {limit:,}.")
        return None
    try:
        with PILImage.open(io.BytesIO(data)) as probe:
            probe.verify()
            kind = IMAGE_FORMATS.get(probe.format)
    except Exception:
        kind = None
    if kind is None:
        report.check(f"Image '{label}' not imported: not a PNG, JPEG, GIF or WebP image.")
        return None
    name = f"{Path(name).stem or 'imported-image'}.{kind}"
    image = get_image_model()(
        title=(alt or Path(name).stem)[:255],
        file=ImageFile(io.BytesIO(data), name=name),
        uploaded_by_user=user,
    )
    image.save()
    if alt:
        report.mapped(f"Image: '{alt}' added to the image library (id {image.pk}).")
    else:
        report.check(
            f"Image {name} (id {image.pk}) has no alt text: write one before the guide is submitted."
        )
    return image


def _image_bytes(src, source, report):
    match = DATA_URI.match(src)
    if match:
        try:
            return base64.b64decode(match.group(2), validate=False), "imported-image"
        except (binascii.Error, ValueError):
            report.check("An embedded image could not be read and was not imported.")
            return None, None
    if not src or src.startswith("data:"):
        report.check("An image with no readable source was not imported.")
        return None, None
    if source.base_dir is None:
        report.check(
            f"Image {src} not imported: an uploaded article's images must be embedded in it "
            "(as a .docx does), or added to the image library yourself."
        )
        return None, None
    path = (source.base_dir / src.split("?")[0].split("#")[0]).resolve()
    if not path.is_relative_to(source.base_dir) or not path.is_file():
        report.check(f"Image {src} not imported: no such file beside the article.")
        return None, None
    return path.read_bytes(), path.name


def _check_blocks(guide, report):
    """What the editor's form will insist on (a missing alt text, a too-long title)."""
    try:
        guide.body.stream_block.clean(guide.body)
    except ValidationError as error:
        for index, problems in getattr(error, "block_errors", {}).items():
            block = guide.body[index]
            report.check(
                f"Block {index + 1} ({block.block_type}) needs fixing: {_messages(problems)}."
            )
        if not getattr(error, "block_errors", None):
            report.check(f"The body needs fixing: {_messages(error)}.")


def _messages(error):
    """A block's validation errors as 'field: message' phrases."""
    data = error.as_json_data() if hasattr(error, "as_json_data") else str(error)
    found = []

    def walk(value, path):
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "messages":
                    found.extend(f"{'.'.join(path) or 'value'}: {m}" for m in item)
                else:
                    name = path if key in ("blockErrors", "errors") else [*path, str(key)]
                    walk(item, name)
        elif isinstance(value, list):
            for item in value:
                walk(item, path)
        elif value:
            found.append(f"{'.'.join(path) or 'value'}: {value}")

    walk(data, [])
    return "; ".join(found)[:300]


def _check_citations(guide, parsed, report):
    cited = {int(n) for n in CITATION.findall(guide.reader_text())}
    missing = sorted(n for n in cited if not 1 <= n <= len(parsed.references))
    if missing:
        report.check(
            "The text cites "
            + ", ".join(f"[{n}]" for n in missing)
            + f" but {len(parsed.references)} reference(s) were found: add them or correct the numbers."
        )
    elif cited:
        report.mapped(f"Citations {', '.join(f'[{n}]' for n in sorted(cited))} kept in the text.")
