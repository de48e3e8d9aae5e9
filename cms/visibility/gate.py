"""The visibility gate: every object a GraphQL resolver returns passes
`cms.visibility.is_visible` before it enters an answer (through
cms/graphql/field_middleware.py).

Resolvers still filter their own querysets (that is what keeps counts and
pagination right); the gate is what makes a field that forgets, or one added
next year, unable to leak a draft, expired, restricted or unpublished object.
A hidden object becomes null, and is left out of lists.
"""

from django.db.models import Model, QuerySet

from cms.visibility import is_visible, visible_objects


def gate(value, request=None):
    """`value` with every hidden model instance taken out."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Model):
        return value if is_visible(value, request) else None
    if isinstance(value, QuerySet):
        return visible_objects(value)
    if isinstance(value, list | tuple):
        if not any(isinstance(item, Model) for item in value):
            return value
        return [item for item in value if not isinstance(item, Model) or is_visible(item, request)]
    return value
