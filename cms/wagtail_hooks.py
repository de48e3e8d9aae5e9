from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.staticfiles import versioned_static

from cms.publishing.clinical import publishes_only_by_review
from cms.rich_text.links import DocumentLinks, ImageEmbeds, PublicPageLinkHandler
from cms.sync.graphql import sync_queries


# After Wagtail's own registration (order 0), so these handlers replace it.
@hooks.register("register_rich_text_features", order=100)
def register_rich_text_handlers(features):
    features.register_link_type(PublicPageLinkHandler)
    features.register_link_type(DocumentLinks)
    features.register_embed_type(ImageEmbeds)


@hooks.register("register_schema_query")
def register_sync_queries(query_mixins):
    query_mixins.append(sync_queries())


@hooks.register("construct_snippet_action_menu")
def no_publish_button_on_reviewed_content(menu_items, request, context):
    # Pages lose theirs through ClinicalPagePermissionTester; the views refuse
    # the action itself (ReviewedPublishingMixin).
    instance = context.get("instance") or context["model"]()
    if publishes_only_by_review(instance):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


@hooks.register("insert_editor_js")
def editing_help_js():
    # Counters, accessible names and filterable choices for every edit form
    # (cms/static/cms/admin/editing.js says what and why).
    return format_html('<script src="{}" defer></script>', versioned_static("cms/admin/editing.js"))


@hooks.register("insert_editor_css")
def editing_help_css():
    return format_html(
        '<link rel="stylesheet" href="{}">', versioned_static("cms/admin/editing.css")
    )
