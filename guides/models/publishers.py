"""The organisations that publish guides."""

from django.db import models
from grapple.models import (
    GraphQLString,
)
from wagtail.admin.panels import (
    FieldPanel,
)


class Publisher(models.Model):
    """The organisation that publishes a guide and stands behind it."""

    name = models.CharField(max_length=120, unique=True)
    url = models.URLField(blank=True, help_text="The publisher's home page.")

    panels = [FieldPanel("name"), FieldPanel("url")]
    graphql_fields = [GraphQLString("name", required=True), GraphQLString("url")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
