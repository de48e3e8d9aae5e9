"""Patient search: normalise the query, expand synonyms, rank, excerpt, log.

PostgreSQL uses full-text search (weighted tsvectors with a GIN index);
SQLite, the embedded default, matches words as substrings. Both rank the same
way: by the best field a match is in (title, then highlights and summary,
then body), then by how well it matches, then newest first.
"""

import html
import re
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, FloatField, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length, Lower
from django.utils import timezone
from wagtail.models import Page

from cms.caching import cache_tags
from cms.visibility import visible_objects, visible_pages
from search.index import SEARCH_CONFIG
from search.models import SearchEntry, SearchSynonym, record_search

MAX_QUERY_LENGTH = 200
ALPHANUMERIC = re.compile(r"[^\W_]+", re.UNICODE)
WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)
# Words PostgreSQL's English configuration ignores; SQLite ignores them too so
# both backends agree on what "what records" means.
STOP_WORDS = set(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "me",
        "my",
        "of",
        "on",
        "or",
        "so",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "you",
        "your",
    ]
)


class SearchInputError(ValueError):
    """The query cannot be searched; the message says why, for the frontend."""


@dataclass
class Hit:
    kind: str
    object_id: int
    title: str
    url: str
    excerpt: "Excerpt"
    score: float
    promoted: bool = False


@dataclass
class Excerpt:
    """A passage around a match, as HTML and as plain text with the matched ranges."""

    html: str
    text: str
    # (start, end) of each match in `text`, in UTF-16 code units: what
    # JavaScript's `slice`, Kotlin and Swift's `utf16` view count in.
    matches: list = field(default_factory=list)


@dataclass
class Results:
    total: int
    hits: list = field(default_factory=list)
    # False when more matched than were counted: `total` is then a lower bound.
    total_is_exact: bool = True


def normalise(text):
    """Lower-case words only, single-spaced. Raises SearchInputError for empty or overlong input."""
    if text is None or not text.strip():
        raise SearchInputError("Enter a word or phrase to search for.")
    if len(text) > MAX_QUERY_LENGTH:
        raise SearchInputError(
            f"Search text is too long ({len(text)} characters); the most is {MAX_QUERY_LENGTH}."
        )
    return " ".join(WORD.findall(text.lower()))


def expand(query):
    """The query's terms and, for every synonym group it mentions, the group's other terms."""
    # "second-opinion" and "oncologist's" search as their words; a lone letter
    # left over ("s") would match nearly everything on SQLite, so it is dropped.
    pieces = [piece for word in query.split() for piece in ALPHANUMERIC.findall(word)]
    terms = [
        piece
        for piece in dict.fromkeys(pieces)
        if piece not in STOP_WORDS and (len(piece) > 1 or not piece.isascii())
    ]
    phrases = []
    padded = f" {query} "
    for synonym in SearchSynonym.objects.all():
        group = [" ".join(WORD.findall(term)) for term in synonym.term_list()]
        if any(f" {term} " in padded for term in group if term):
            phrases += [term for term in group if term and f" {term} " not in padded]
    return terms, phrases


def _visible(entries):
    """Entries whose guide, hub or FAQ the public may read now, by the one rule
    (cms.visibility), checked against the objects themselves in the same SQL
    statement: the index's own copy of an expiry or a path goes stale when
    state changes without a save (a bulk update, a restored backup, a data
    migration), so a stale entry can hide a result but never show one."""
    from faqs.models import FAQ

    # The index follows every page and FAQ (and their restrictions) and its own
    # rows: answers drawn from it change with any of them (cms/caching/cache_tags.py).
    for model in (Page, FAQ, SearchEntry):
        cache_tags.record_collection(model)
    now = timezone.now()
    entries = entries.filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))
    # Each entry's own page or FAQ, looked up by primary key (NULL when not
    # visible). Not an IN or EXISTS: PostgreSQL hashes every visible page for
    # those, once per scan of the index (four per search), which grows with the
    # library; a lookup costs per entry read, and the scans read a bounded
    # number. Tested IS NOT NULL, which the planner takes as nearly always true
    # (as it is): an equality with a subquery it guesses true for one entry in
    # 200, and would then sort every match instead of walking the newest first.
    page = visible_pages(Page.objects.order_by()).filter(pk=OuterRef("object_id"))
    faq = visible_objects(FAQ.objects.order_by()).filter(pk=OuterRef("object_id"))
    return entries.alias(
        visible_page=Subquery(page.values("pk")[:1]), visible_faq=Subquery(faq.values("pk")[:1])
    ).filter(
        Q(kind__in=[SearchEntry.GUIDE, SearchEntry.HUB], visible_page__isnull=False)
        | Q(kind=SearchEntry.FAQ, visible_faq__isnull=False)
    )


def _filtered(kinds=None, category=None, cancer_type=None, audience=None):
    entries = _visible(SearchEntry.objects.all())
    if kinds:
        entries = entries.filter(kind__in=kinds)
    if category:
        entries = entries.filter(category=category)
    if cancer_type:
        entries = entries.filter(cancer_types__contains=f" {cancer_type} ")
    if audience:
        entries = entries.filter(audiences__contains=f" {audience} ")
    return entries


def _tsquery(needles):
    """A raw tsquery matching any needle, each a word or a phrase. Needles hold
    only letters and digits, so nothing the reader typed reaches the parser as syntax."""
    alternatives = []
    for needle in needles:
        words = ALPHANUMERIC.findall(needle)
        if words:
            alternatives.append("(" + " <-> ".join(words) + ")")
    return SearchQuery(" | ".join(alternatives), config=SEARCH_CONFIG, search_type="raw")


def _ranked_postgres(entries, terms, phrases):
    query = _tsquery(terms + phrases)
    return entries.filter(document=query).annotate(
        tier=Case(
            # Small vectors of their own: cheaper to test than the whole document.
            When(title_vector=query, then=Value(3)),
            When(highlights_vector=query, then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        score=SearchRank(F("document"), query),
    )


def _candidates_postgres(entries, terms, phrases, limit):
    """The matches worth ranking: the newest `limit` title matches, the newest
    `limit` highlight matches and the newest `limit` matches of any field.

    Ranking every match made search grow with the collection (a common word
    matches a third of it). These three lists each come from an index (a GIN
    index per vector, or the newest-first index walked until enough match), so
    their cost is bounded by `limit`, not by the number of matches; ts_rank
    then runs on at most 3 x `limit` rows. The trade-off: among more than
    `limit` matches of one tier, older ones are not ranked for these pages.
    """
    query = _tsquery(terms + phrases)
    newest = (F("published_date").desc(nulls_last=True), "pk")
    lists = [
        entries.filter(**{name: query}).order_by(*newest).values("pk")[:limit]
        for name in ("title_vector", "highlights_vector", "document")
    ]
    return _ranked_postgres(
        SearchEntry.objects.filter(pk__in=lists[0].union(*lists[1:])), terms, phrases
    )


def _ranked_substring(entries, terms, phrases):
    needles = terms + phrases

    def any_in(field_name):
        return reduce(or_, [Q(**{f"{field_name}__icontains": needle}) for needle in needles])

    entries = entries.filter(any_in("title") | any_in("text__highlights") | any_in("text__body"))
    matched = [
        Case(
            When(**{f"{name}__icontains": needle}, then=Value(weight)),
            default=Value(0.0),
            output_field=FloatField(),
        )
        for needle in needles
        for name, weight in (("title", 1.0), ("text__highlights", 0.4), ("text__body", 0.2))
    ]
    return entries.annotate(
        tier=Case(
            When(any_in("title"), then=Value(3)),
            When(any_in("text__highlights"), then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        score=reduce(lambda a, b: a + b, matched),
    )


def _database_page_of_ranks(terms, phrases, filters, exclude, start, stop):
    """[(entry, score)] for one page from the search entries, and the number
    of matches, counted up to SEARCH_EXACT_TOTAL_LIMIT (a larger number means
    "at least that many")."""
    if not terms and not phrases:
        return [], 0
    entries = _filtered(**filters)
    if exclude:
        entries = entries.exclude(reduce(or_, [Q(kind=kind, object_id=pk) for kind, pk in exclude]))
    if connection.vendor == "postgresql":
        # Candidates in steps of SEARCH_RANK_CANDIDATES: the pages within one
        # step rank the same set, so they neither repeat nor skip a result; a
        # page past it ranks a larger set, where a result may move across the
        # step's edge (past the 10th page of 10, by default).
        step = settings.SEARCH_RANK_CANDIDATES
        ranked = _candidates_postgres(entries, terms, phrases, step * max(1, -(-stop // step)))
        matches = entries.filter(document=_tsquery(terms + phrases))
    else:
        ranked = matches = _ranked_substring(entries, terms, phrases)
    if matches.query.is_empty():  # nothing left to search for, e.g. only stop words
        return [], 0
    # Counted without ranking, and only up to the limit: a common word's
    # thousands of matches are not all read to say "more than 1,000". In the
    # same statement as the page, as a subquery.
    capped = matches.order_by().values("pk")[: settings.SEARCH_EXACT_TOTAL_LIMIT + 1]
    capped_sql, capped_params = capped.query.sql_with_params()
    count = RawSQL(f"SELECT COUNT(*) FROM ({capped_sql}) AS capped", capped_params)
    rows = list(
        ranked.order_by("-tier", "-score", F("published_date").desc(nulls_last=True), "pk")
        .annotate(rank=F("tier") + F("score"), matches=count)
        .values_list("pk", "rank", "matches")[start:stop]
    )
    ranks = [(pk, score) for pk, score, _count in rows]
    count = rows[0][2] if rows else (capped.count() if start else 0)
    # The long text is read for the page's rows only, for their excerpts.
    full = (
        SearchEntry.objects.select_related("text")
        .defer("document", "title_vector", "highlights_vector", "suggest_vector")
        .in_bulk([pk for pk, _score in ranks])
    )
    return [(full[pk], float(score)) for pk, score in ranks], count


def _wagtail_querysets(filters):
    """Per kind, the live public objects a Wagtail search backend may search."""
    from faqs.models import FAQ
    from guides.models import GuideIndexPage, GuidePage
    from guides.queries import filtered_guides

    kinds = filters.get("kinds") or [kind for kind, _label in SearchEntry.KIND_CHOICES]
    guide_only = any(filters.get(name) for name in ("category", "cancer_type", "audience"))
    querysets = []
    if SearchEntry.GUIDE in kinds:
        guides = filtered_guides(
            category=filters.get("category"),
            cancer_type=filters.get("cancer_type"),
            audience=filters.get("audience"),
        )
        # Visibility and filters by id: backends can filter on ids, not on expiry or labels.
        querysets.append(
            (
                SearchEntry.GUIDE,
                GuidePage.objects.filter(pk__in=list(guides.values_list("pk", flat=True))),
            )
        )
    if SearchEntry.HUB in kinds and not guide_only:
        hubs = visible_pages(GuideIndexPage.objects.all()).values_list("pk", flat=True)
        querysets.append((SearchEntry.HUB, GuideIndexPage.objects.filter(pk__in=list(hubs))))
    if SearchEntry.FAQ in kinds and not guide_only:
        faqs = visible_objects(FAQ.objects.all()).values_list("pk", flat=True)
        querysets.append((SearchEntry.FAQ, FAQ.objects.filter(pk__in=list(faqs))))
    return querysets


def _wagtail_page_of_ranks(terms, phrases, filters, exclude, start, stop):
    """The same page, ranked by the Wagtail search backend named in
    SEARCH_WAGTAIL_BACKEND (OpenSearch, Elasticsearch or the database):
    each kind is searched, the best of each merged by score."""
    from wagtail.search.backends import get_search_backend
    from wagtail.search.query import Or, Phrase, PlainText

    if not terms and not phrases:
        return [], 0
    parts = [PlainText(" ".join(terms), operator="or")] if terms else []
    parts += [Phrase(phrase) for phrase in phrases]
    query = parts[0] if len(parts) == 1 else Or(parts)
    backend = get_search_backend(settings.SEARCH_WAGTAIL_BACKEND)
    candidates, matches = [], 0
    for kind, queryset in _wagtail_querysets(filters):
        results = backend.search(query, queryset, operator="or").annotate_score("_score")
        matches += results.count()
        for obj in results[: stop + len(exclude)]:
            if (kind, obj.pk) in exclude:
                matches -= 1  # counted once, among the promoted results
            else:
                candidates.append((kind, obj.pk, float(obj._score or 0)))
    candidates.sort(key=lambda candidate: -candidate[2])
    window = candidates[start:stop]
    found = {
        (entry.kind, entry.object_id): entry
        for entry in SearchEntry.objects.select_related("text").filter(
            reduce(or_, [Q(kind=kind, object_id=pk) for kind, pk, _score in window], Q(pk__in=[]))
        )
    }
    ranked = [(found[(kind, pk)], score) for kind, pk, score in window if (kind, pk) in found]
    return ranked, max(0, matches)


def excerpt(entry, needles, length=None):
    """A short passage around the first match: HTML-escaped with matches
    wrapped in <mark>, and the same words as plain text with match ranges."""
    length = length or settings.SEARCH_EXCERPT_LENGTH
    text = " ".join(part for part in (entry.text.highlights, entry.text.body) if part)
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        return Excerpt("", "")
    pattern = _needle_pattern(needles)
    first = pattern.search(text) if pattern else None
    start = 0
    if first:
        start = max(0, first.start() - length // 3)
        if start:
            start = text.find(" ", start) + 1 or start
    passage = text[start : start + length]
    if start + length < len(text):
        passage = passage.rsplit(" ", 1)[0]
    spans = [match.span() for match in pattern.finditer(passage)] if pattern else []
    before = "… " if start else ""
    after = " …" if start + len(passage) < len(text) else ""
    plain = before + passage + after
    return Excerpt(
        html=before + _mark(passage, spans) + after,
        text=plain,
        matches=[
            (_utf16_length(plain[: len(before) + a]), _utf16_length(plain[: len(before) + b]))
            for a, b in spans
        ],
    )


def _utf16_length(text):
    return len(text.encode("utf-16-le")) // 2


def _needle_pattern(needles):
    # Match the start of words, loosely enough to catch simple plural and tense forms
    # that PostgreSQL's stemmer matches ("records" finds "record", "recorded").
    stems = []
    for needle in needles:
        words = needle.split()
        if len(words) == 1 and len(needle) > 4:
            needle = needle[: max(4, len(needle) - 2)]
        stems.append(r"\s+".join(re.escape(word) for word in needle.split()))
    if not stems:
        return None
    return re.compile(
        r"\b(?:" + "|".join(sorted(stems, key=len, reverse=True)) + r")\w*", re.IGNORECASE
    )


def _mark(passage, spans):
    out, last = [], 0
    for start, end in spans:
        out.append(html.escape(passage[last:start]))
        out.append(f"<mark>{html.escape(passage[start:end])}</mark>")
        last = end
    out.append(html.escape(passage[last:]))
    return "".join(out)


def promoted_entries(query, filters):
    """Entries of the live pages editors pinned to this query (Wagtail's search
    promotions), in the editors' order, within the same filters."""
    from wagtail.contrib.search_promotions.models import SearchPromotion

    if not query:
        return []
    page_ids = list(
        SearchPromotion.objects.filter(query__query_string=query, page__isnull=False)
        .order_by("sort_order")
        .values_list("page_id", flat=True)
    )
    if not page_ids:
        return []
    found = {
        entry.object_id: entry
        for entry in _filtered(**filters)
        .select_related("text")
        .filter(kind__in=[SearchEntry.GUIDE, SearchEntry.HUB], object_id__in=page_ids)
    }
    return [found[pk] for pk in page_ids if pk in found]


def search(
    query_text, kinds=None, category=None, cancer_type=None, audience=None, page=1, per_page=None
):
    """Run a patient search and log it. Returns Results of Hits for one page."""
    query = normalise(query_text)
    per_page = per_page or settings.SEARCH_DEFAULT_PAGE_SIZE
    filters = {
        "kinds": kinds,
        "category": category,
        "cancer_type": cancer_type,
        "audience": audience,
    }
    terms, phrases = expand(query)
    needles = terms + phrases
    promoted = promoted_entries(query, filters)
    promoted_keys = {(entry.kind, entry.object_id) for entry in promoted}

    # Promoted entries come first, then the ranked ones, across every page.
    start, end = (page - 1) * per_page, page * per_page
    skipped = len(promoted)
    rank_page = (
        _wagtail_page_of_ranks if settings.SEARCH_ENGINE == "wagtail" else _database_page_of_ranks
    )
    ranks, matches = rank_page(
        terms, phrases, filters, promoted_keys, max(0, start - skipped), max(0, end - skipped)
    )
    organic = []
    for entry, score in ranks:
        entry.score = score
        organic.append(entry)
    total = matches + len(promoted)
    window = promoted[start:end] + organic
    hits = [
        Hit(
            kind=entry.kind,
            object_id=entry.object_id,
            title=entry.title,
            url=entry.url,
            excerpt=excerpt(entry, needles),
            score=getattr(entry, "score", 0.0),
            promoted=(entry.kind, entry.object_id) in promoted_keys,
        )
        for entry in window
    ]
    # Log what people look for across everything: a search narrowed by a filter
    # can find nothing without the content being missing.
    if page == 1 and query and not any(filters.values()):
        log_search(query, total)
    exact = settings.SEARCH_ENGINE == "wagtail" or matches <= settings.SEARCH_EXACT_TOTAL_LIMIT
    return Results(total=total, hits=hits, total_is_exact=exact)


def suggestions(prefix, limit=8):
    """Guide titles and FAQ questions whose words start with what was typed."""
    if prefix is None or not prefix.strip():
        return []
    if len(prefix) > MAX_QUERY_LENGTH:
        raise SearchInputError(f"Prefix is too long; the most is {MAX_QUERY_LENGTH} characters.")
    words = WORD.findall(prefix.lower())
    if not words:
        return []
    candidates = _visible(
        SearchEntry.objects.filter(kind__in=[SearchEntry.GUIDE, SearchEntry.FAQ])
    ).only("kind", "object_id", "title", "url")
    typed = " ".join(words)
    # Titles that begin with what was typed, alphabetically: on PostgreSQL an
    # index range scan (search_entry_title_prefix), fast even for one letter.
    first = list(
        candidates.annotate(lower_title=Lower("title"))
        .filter(lower_title__startswith=typed)
        .order_by("lower_title", "pk")[:limit]
    )
    if len(first) >= limit:
        return first
    # Then titles with a word that begins with it, shortest first.
    if connection.vendor == "postgresql":
        # "multiple mye" becomes multiple & mye:* over unstemmed title words.
        tsquery = " & ".join(
            f"{word}:*" if i == len(words) - 1 else word for i, word in enumerate(words)
        )
        more = candidates.filter(
            suggest_vector=SearchQuery(tsquery, config="simple", search_type="raw")
        )
    else:
        more = candidates
        for word in words[:-1]:
            more = more.filter(title__icontains=word)
        more = more.filter(title__icontains=f" {words[-1]}")
    more = more.exclude(pk__in=[entry.pk for entry in first])
    more = more.annotate(length=Length("title")).order_by("length", "title", "pk")
    return first + list(more[: limit - len(first)])


def log_search(query, result_count):
    """Count a search for today, once per client (search.models.record_search)."""
    record_search(query[:MAX_QUERY_LENGTH], result_count)
