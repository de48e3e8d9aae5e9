"""What patient search reads and records: a search index of live guides, hubs
and FAQs, the synonyms editors manage, and an anonymous log of searches."""

import datetime
from contextvars import ContextVar

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from wagtail.admin.panels import FieldPanel, HelpPanel


class SearchEntry(models.Model):
    """One searchable guide, hub or FAQ, as the public may read it.

    Kept in step with publishing by `search.backend.PatientSearchBackend`:
    only live content has an entry. Text is split by weight: a match in
    `title` ranks above one in `highlights`, which ranks above one in `body`
    (those two are in `SearchText`).
    """

    # Saving or deleting an entry retires cached answers drawn from the index.
    retires_its_collection = True

    GUIDE, FAQ, HUB = "guide", "faq", "hub"
    KIND_CHOICES = [(GUIDE, "Guide"), (FAQ, "FAQ"), (HUB, "Hub")]

    kind = models.CharField(max_length=8, choices=KIND_CHOICES)
    object_id = models.PositiveBigIntegerField()
    title = models.TextField()
    url = models.CharField(max_length=500, blank=True)
    # Page tree path, to leave out pages behind a view restriction at query time.
    path = models.CharField(max_length=255, blank=True)
    expire_at = models.DateTimeField(null=True, blank=True)
    published_date = models.DateField(null=True, blank=True)
    category = models.CharField(max_length=80, blank=True)
    # Space-delimited slugs (" lymphoma multiple-myeloma ") so a filter is one LIKE.
    cancer_types = models.TextField(blank=True)
    audiences = models.TextField(blank=True)
    # PostgreSQL full-text vectors, unused (and empty) on SQLite: `document`
    # weights title A, highlights B and body C for matching and scoring; the
    # title and highlights vectors tell which field matched; `suggest_vector`
    # holds the title's words unstemmed, for type-ahead.
    document = SearchVectorField(null=True)
    title_vector = SearchVectorField(null=True)
    highlights_vector = SearchVectorField(null=True)
    suggest_vector = SearchVectorField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="unique_search_entry")
        ]
        verbose_name_plural = "search entries"

    def __str__(self):
        return f"{self.kind}: {self.title}"


class SearchText(models.Model):
    """The longer text of an entry, kept apart so that ranking thousands of
    matches reads narrow rows; only the page of results shown needs it."""

    entry = models.OneToOneField(
        SearchEntry, on_delete=models.CASCADE, primary_key=True, related_name="text"
    )
    highlights = models.TextField(
        blank=True, help_text="Standfirst, summary, highlights and facts."
    )
    body = models.TextField(blank=True)

    def __str__(self):
        return f"text of {self.entry}"


class SearchSynonym(models.Model):
    """Words patients use for the same thing, e.g. 'MDT, multidisciplinary team, tumour board'."""

    terms = models.CharField(
        max_length=500,
        help_text=(
            "Two or more words or phrases separated by commas. A search for any of them "
            "also finds the others, e.g. 'myeloma, multiple myeloma'."
        ),
    )

    # Search reads synonyms directly, not through the visibility layer, so no
    # cache tag follows them (cms/caching/cache_tags.py): a change retires every answer.
    retires_every_answer = True

    panels = [
        HelpPanel(
            content="Synonyms apply to patient search as soon as you save. Use the spelling patients "
            "type, including common misspellings and UK and US forms (tumour, tumor)."
        ),
        FieldPanel("terms"),
    ]

    class Meta:
        ordering = ["terms"]
        verbose_name = "search synonym"

    def __str__(self):
        return self.terms

    def term_list(self):
        return [term.strip().lower() for term in self.terms.split(",") if term.strip()]

    def clean(self):
        from django.core.exceptions import ValidationError

        if len(self.term_list()) < 2:
            raise ValidationError({"terms": "Give at least two terms, separated by commas."})


class SearchQueryLog(models.Model):
    """How many people made a search on a day and how many results it found.

    No personal data: only the normalised query text, a date and counts. Each
    client counts once a day per query (`SearchQueryClient`), and the report
    shows a query only once SEARCH_REPORT_MIN_CLIENTS different clients asked
    it (`asked_by_several`): one client's junk never reaches editors.
    """

    query = models.CharField(max_length=200)
    day = models.DateField()
    searches = models.PositiveIntegerField(default=0)
    zero_result_searches = models.PositiveIntegerField(default=0)
    last_result_count = models.PositiveIntegerField(default=0)
    asked_by_several = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["query", "day"], name="unique_query_per_day")
        ]
        indexes = [
            models.Index(fields=["day"]),
            models.Index(
                fields=["query"],
                condition=models.Q(asked_by_several=True),
                name="search_query_shown",
            ),
        ]

    def __str__(self):
        return f"{self.query} ({self.day})"


class SearchQueryClient(models.Model):
    """That a client asked a query on a day, to count each client once. The
    client is a keyed digest of its address (never the address), and rows are
    deleted after SEARCH_REPORT_CLIENT_DAYS: only the counts remain."""

    query = models.CharField(max_length=200)
    day = models.DateField(db_index=True)
    client = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["query", "client", "day"], name="unique_search_client_per_day"
            )
        ]

    def __str__(self):
        return f"{self.query} ({self.day})"


# The address of the client a search is made for (search.middleware sets it per request).
search_client = ContextVar("search_client", default=None)
_pruned_on = {"day": None}


def client_digest(address):
    """A digest of the client's address, keyed with the site's secret: the same
    address always gives the same digest, which tells nothing without the key."""
    return salted_hmac("search.SearchQueryClient", address or "", algorithm="sha256").hexdigest()[
        :32
    ]


def record_search(query, result_count, address=None):
    """Count a search for today, once per client and day: a client repeating a
    search (or a script sending junk) counts once, and a query is shown in the
    report only once several clients asked it."""
    day = timezone.localdate()
    address = address if address is not None else search_client.get()
    digest = client_digest(address)
    _prune(day)
    try:
        with transaction.atomic():
            SearchQueryClient.objects.create(query=query, day=day, client=digest)
    except IntegrityError:  # this client was counted today: only the latest count changes
        SearchQueryLog.objects.filter(query=query, day=day).update(last_result_count=result_count)
        return
    updates = {
        "searches": F("searches") + 1,
        "zero_result_searches": F("zero_result_searches") + (1 if result_count == 0 else 0),
        "last_result_count": result_count,
    }
    clients = SearchQueryClient.objects.filter(query=query).values("client").distinct()
    if clients[: settings.SEARCH_REPORT_MIN_CLIENTS].count() >= settings.SEARCH_REPORT_MIN_CLIENTS:
        updates["asked_by_several"] = True
    if SearchQueryLog.objects.filter(query=query, day=day).update(**updates):
        return
    try:
        with transaction.atomic():
            SearchQueryLog.objects.create(
                query=query,
                day=day,
                searches=1,
                zero_result_searches=1 if result_count == 0 else 0,
                last_result_count=result_count,
                asked_by_several=updates.get("asked_by_several", False),
            )
    except IntegrityError:  # another request logged it first
        SearchQueryLog.objects.filter(query=query, day=day).update(**updates)


def _prune(day):
    """Forget which clients asked what after SEARCH_REPORT_CLIENT_DAYS, once a day per process."""
    if _pruned_on["day"] == day:
        return
    _pruned_on["day"] = day
    since = day - datetime.timedelta(days=settings.SEARCH_REPORT_CLIENT_DAYS)
    SearchQueryClient.objects.filter(day__lt=since).delete()
