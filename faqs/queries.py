"""Root GraphQL queries for FAQs: published ones only."""

import graphene
from django.db.models import Prefetch, prefetch_related_objects
from grapple.registry import registry

from cms.caching.cache_tags import keyed
from cms.graphql.fields import page_id, paginate, paginated_list
from cms.rich_text.links import load_pages, page_link_ids
from cms.visibility import visible_objects
from faqs.models import FAQ, FAQTopic, topics_with_published_faqs


def prefetch_faqs(faqs):
    """Load, for a list of FAQs, what their fields read lazily: their topic's
    published FAQs and the pages every answer links to, each in one query."""
    published = visible_objects(FAQ.objects.all()).select_related("topic", "reviewed_by", "author")
    topics = [faq.topic for faq in faqs]
    prefetch_related_objects(topics, Prefetch("faqs", queryset=published, to_attr="published_faqs"))
    answers = [faq.answer for faq in faqs]
    answers += [faq.answer for topic in topics for faq in topic.published_faqs]
    load_pages(page_link_ids(answers))
    return faqs


def _faq_type():
    return registry.snippets[FAQ]


def _topic_type():
    return registry.snippets[FAQTopic]


FAQList = paginated_list("FAQList", _faq_type, "A page of FAQs with pagination details.")


class FAQQueries(graphene.ObjectType):
    faqs = graphene.Field(
        FAQList,
        topic=graphene.String(description="FAQ topic slug, e.g. 'travel-and-visas'."),
        page=graphene.Int(description="1-based page number."),
        per_page=graphene.Int(description="FAQs per page, at most the configured maximum."),
        description="Published FAQs, by topic then question.",
    )
    faq = graphene.Field(_faq_type, id=graphene.ID(required=True), description="One published FAQ.")
    faq_topics = graphene.List(
        graphene.NonNull(_topic_type),
        required=True,
        description="Topics that have published FAQs, each with its FAQs.",
    )

    def resolve_faqs(self, info, topic=None, page=None, per_page=None):
        queryset = visible_objects(FAQ.objects.all()).select_related(
            "topic", "reviewed_by", "author"
        )
        if topic:
            queryset = queryset.filter(topic__slug=topic)
        items, pagination = paginate(
            queryset.order_by("topic__sort_order", "question", "pk"), page, per_page
        )
        return FAQList(items=prefetch_faqs(items), pagination=pagination)

    def resolve_faq(self, info, id):
        key = page_id(id)
        return keyed(
            lambda: (
                visible_objects(FAQ.objects.filter(pk=key))
                .select_related("topic", "reviewed_by", "author")
                .first()
            ),
            FAQ,
        )

    def resolve_faq_topics(self, info):
        return topics_with_published_faqs()
