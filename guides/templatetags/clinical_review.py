from django import template
from wagtail.admin.utils import get_latest_str

from guides.clinical_review import approval_refusal
from guides.review import language_of

register = template.Library()


@register.simple_tag(takes_context=True)
def clinical_review_refusal(context, obj):
    """Why the signed-in reviewer cannot approve `obj`, or an empty string."""
    return approval_refusal(obj, context["request"].user) or ""


@register.simple_tag
def review_subject(obj):
    """What an approval will publish, named for the reviewer's confirmation:
    its type, its title as under review and its language."""
    obj = obj.specific if hasattr(obj, "specific") else obj
    return {
        "noun": obj._meta.verbose_name,
        "title": get_latest_str(obj),
        "language": language_of(obj),
    }
