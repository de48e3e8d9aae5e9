from django import template

from guides.clinical_review import approval_refusal

register = template.Library()


@register.simple_tag(takes_context=True)
def clinical_review_refusal(context, obj):
    """Why the signed-in reviewer cannot approve `obj`, or an empty string."""
    return approval_refusal(obj, context["request"].user) or ""
