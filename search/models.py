"""What patient search reads and records: a search index of live guides, hubs
and FAQs, the synonyms editors manage, and an anonymous log of searches."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
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
    """How often a search was made on a day and how many results it found.

    No personal data: only the normalised query text, a date and counts.
    """

    query = models.CharField(max_length=200)
    day = models.DateField()
    searches = models.PositiveIntegerField(default=0)
    zero_result_searches = models.PositiveIntegerField(default=0)
    last_result_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["query", "day"], name="unique_query_per_day")
        ]
        indexes = [models.Index(fields=["day"])]

    def __str__(self):
        return f"{self.query} ({self.day})"
