"""Root GraphQL queries for the home page, any page by path, and site settings."""

import graphene
from grapple.registry import registry

from cms.graphql import PageInterface, single_page
from cms.visibility import visible_pages
from home.models import HomePage, SiteSettings


class HomeQueries(graphene.ObjectType):
    home = graphene.Field(lambda: registry.pages[HomePage], description="The live home page.")
    page = graphene.Field(
        PageInterface,
        id=graphene.ID(),
        url_path=graphene.String(description="A path such as '/second-opinion/'."),
        description="Any live, public page by id or urlPath: for frontends that route by URL.",
    )
    site_settings = graphene.Field(
        lambda: registry.settings[SiteSettings],
        required=True,
        description="Site-wide defaults: disclaimer and contact call to action.",
    )

    def resolve_home(self, info):
        return visible_pages(HomePage.objects.all()).first()

    def resolve_page(self, info, id=None, url_path=None):
        page = single_page(visible_pages().specific(), id=id, url_path=url_path)
        return page

    def resolve_site_settings(self, info):
        return SiteSettings.load(request_or_site=info.context)
