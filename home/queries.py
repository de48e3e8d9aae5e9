"""Root GraphQL queries for the home page, any page by path, and site settings."""

import graphene
from grapple.registry import registry
from wagtail.models import Page

from cms.graphql.fields import single_page
from cms.graphql.pages import PageInterface
from cms.publishing.preview import preview_or_lookup
from cms.site_settings import SiteSettings
from cms.visibility import visible_pages
from home.models import HomePage


class HomeQueries(graphene.ObjectType):
    home = graphene.Field(lambda: registry.pages[HomePage], description="The live home page.")
    page = graphene.Field(
        PageInterface,
        id=graphene.ID(),
        url_path=graphene.String(description="A path such as '/second-opinion/'."),
        token=graphene.String(
            description="A preview token from the admin: returns that unpublished draft instead."
        ),
        description="Any live, public page by id or urlPath: for frontends that route by URL. "
        "Or a draft of any page, by preview token.",
    )
    site_settings = graphene.Field(
        lambda: registry.settings[SiteSettings],
        required=True,
        description="Site-wide defaults: disclaimer and contact call to action.",
    )

    def resolve_home(self, info):
        return visible_pages(HomePage.objects.all()).first()

    def resolve_page(self, info, id=None, url_path=None, token=None):
        if token is not None:
            return preview_or_lookup(token, Page, id=id, url_path=url_path)
        page = single_page(lambda: visible_pages().specific(), id=id, url_path=url_path)
        return page

    def resolve_site_settings(self, info):
        return SiteSettings.load(request_or_site=info.context)
