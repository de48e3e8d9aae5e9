"""Limits on the work one GraphQL document may ask for, checked during
validation (settings in cms/settings/base.py):
- GRAPHQL_MAX_DEPTH: nesting depth of fields (fragments included).
- GRAPHQL_MAX_ALIASES: aliased fields in one document.
- GRAPHQL_MAX_COST: estimated work of a query. Every field costs 1, times the
  number of items its parents may return: a field with `perPage` or `limit`
  multiplies its children by that number (the largest allowed when it is a
  variable, the default page size when absent); any other list field
  multiplies its children by GRAPHQL_LIST_COST_FACTOR.
- GRAPHQL_INTROSPECTION_ENABLED: schema introspection (off in production).
"""

from functools import lru_cache

from django.conf import settings
from graphene_django.settings import graphene_settings
from graphql import (
    GraphQLError,
    ValidationRule,
    get_named_type,
    parse,
    specified_rules,
    validate,
)
from graphql.language import FieldNode, FragmentSpreadNode, InlineFragmentNode, IntValueNode
from graphql.type import GraphQLList, GraphQLNonNull

SIZE_ARGUMENTS = ("perPage", "limit")
# Introspection fields: refused when introspection is off, and free (no depth
# or cost) when it is on. `__typename` is not among them: it asks for nothing
# about the schema, and Apollo Client adds it to every selection.
INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})


class DisableIntrospectionRule(ValidationRule):
    """graphene's DisableIntrospection refuses every field starting with `__`,
    `__typename` included; this one refuses only `__schema` and `__type`."""

    def enter_field(self, node, *_args):
        name = node.name.value
        if name in INTROSPECTION_FIELDS:
            self.report_error(
                GraphQLError(f"Cannot query '{name}': introspection is disabled.", node)
            )


def _counted(selection):
    """Whether the depth and cost limits count a field: introspection (GraphiQL's
    own query is 14 levels deep) is exempt when it is allowed at all, and
    refused by DisableIntrospectionRule otherwise."""
    return not (
        settings.GRAPHQL_INTROSPECTION_ENABLED and selection.name.value in INTROSPECTION_FIELDS
    )


class MaxDepthRule(ValidationRule):
    """Field nesting below a root field (the root field is depth 0). Unlike
    graphene's validator it tolerates unknown and cyclic fragments, which the
    standard rules report on their own."""

    def enter_operation_definition(self, node, *_args):
        depth = self._depth(node.selection_set, 0, set())
        if depth > settings.GRAPHQL_MAX_DEPTH:
            self.report_error(
                GraphQLError(
                    f"Query is too deep: {depth} levels, the most is {settings.GRAPHQL_MAX_DEPTH}.",
                    node,
                    extensions={"code": "QUERY_TOO_COMPLEX"},
                )
            )

    def _depth(self, selection_set, level, seen):
        deepest = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.context.get_fragment(name)
                if fragment is not None and name not in seen:
                    deepest = max(
                        deepest, self._depth(fragment.selection_set, level, seen | {name})
                    )
            elif isinstance(selection, InlineFragmentNode):
                deepest = max(deepest, self._depth(selection.selection_set, level, seen))
            elif isinstance(selection, FieldNode) and _counted(selection):
                deepest = max(deepest, level)
                if selection.selection_set:
                    deepest = max(deepest, self._depth(selection.selection_set, level + 1, seen))
        return deepest


class MaxAliasesRule(ValidationRule):
    def __init__(self, context):
        super().__init__(context)
        self.aliases = 0

    def enter_field(self, node, *_args):
        if node.alias:
            self.aliases += 1
            if self.aliases == settings.GRAPHQL_MAX_ALIASES + 1:
                self.report_error(
                    GraphQLError(
                        f"Too many aliases: the most is {settings.GRAPHQL_MAX_ALIASES}.",
                        node,
                        extensions={"code": "QUERY_TOO_COMPLEX"},
                    )
                )


def _is_list(graphql_type):
    while isinstance(graphql_type, GraphQLNonNull):
        graphql_type = graphql_type.of_type
    return isinstance(graphql_type, GraphQLList)


class MaxCostRule(ValidationRule):
    def enter_operation_definition(self, node, *_args):
        root = self.context.schema.query_type
        cost = self._cost(node.selection_set, root, multiplier=1, sized=False, seen=set())
        if cost > settings.GRAPHQL_MAX_COST:
            self.report_error(
                GraphQLError(
                    f"Query is too costly: {cost} against a limit of {settings.GRAPHQL_MAX_COST}. "
                    "Ask for fewer items per page or fewer nested lists.",
                    node,
                    extensions={"code": "QUERY_TOO_COMPLEX", "cost": cost},
                )
            )

    def _size(self, node):
        for argument in node.arguments or ():
            if argument.name.value in SIZE_ARGUMENTS:
                if isinstance(argument.value, IntValueNode):
                    return max(1, int(argument.value.value))
                return settings.GUIDES_API_MAX_PAGE_SIZE  # a variable: assume the most
        return None

    def _cost(self, selection_set, parent_type, multiplier, sized, seen):
        total = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.context.get_fragment(name)
                if fragment is None or name in seen:
                    continue
                fragment_type = self.context.schema.get_type(fragment.type_condition.name.value)
                total += self._cost(
                    fragment.selection_set, fragment_type, multiplier, sized, seen | {name}
                )
            elif isinstance(selection, InlineFragmentNode):
                fragment_type = parent_type
                if selection.type_condition:
                    fragment_type = self.context.schema.get_type(
                        selection.type_condition.name.value
                    )
                total += self._cost(selection.selection_set, fragment_type, multiplier, sized, seen)
            elif isinstance(selection, FieldNode) and _counted(selection):
                fields = getattr(parent_type, "fields", {}) or {}
                field = fields.get(selection.name.value)
                total += multiplier
                if field is None or not selection.selection_set:
                    continue
                size = self._size(selection)
                if size is not None:
                    child_multiplier, child_sized = multiplier * size, True
                elif _is_list(field.type):
                    factor = 1 if sized else settings.GRAPHQL_LIST_COST_FACTOR
                    child_multiplier, child_sized = multiplier * factor, False
                else:
                    child_multiplier, child_sized = multiplier, sized
                total += self._cost(
                    selection.selection_set,
                    get_named_type(field.type),
                    child_multiplier,
                    child_sized,
                    seen,
                )
        return total


def validation_rules():
    # Custom rules replace GraphQL's standard ones in graphene-django: keep both.
    rules = [
        *specified_rules,
        MaxDepthRule,
        MaxAliasesRule,
        MaxCostRule,
    ]
    if not settings.GRAPHQL_INTROSPECTION_ENABLED:
        rules.append(DisableIntrospectionRule)
    return rules


def _limits():
    """Everything validation depends on besides the document."""
    return (
        settings.GRAPHQL_MAX_DEPTH,
        settings.GRAPHQL_MAX_ALIASES,
        settings.GRAPHQL_MAX_COST,
        settings.GRAPHQL_LIST_COST_FACTOR,
        settings.GUIDES_API_MAX_PAGE_SIZE,
        settings.GRAPHQL_INTROSPECTION_ENABLED,
    )


@lru_cache(maxsize=512)
def _checked_document(graphql_schema, query, limits):
    # Frontends send the same few documents again and again: parse and
    # validate each once per process (limits are part of the key).
    try:
        document = parse(query)
    except GraphQLError as error:
        return None, (error,)
    errors = validate(
        graphql_schema,
        document,
        validation_rules(),
        graphene_settings.MAX_VALIDATION_ERRORS,
    )
    return document, tuple(errors)


def checked_document(graphql_schema, query):
    """The parsed document and its validation errors, remembered per document."""
    return _checked_document(graphql_schema, query, _limits())
