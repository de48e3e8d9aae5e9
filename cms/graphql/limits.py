"""Limits on the work one GraphQL document may ask for (settings in
cms/settings/base.py, table in README's Configuration section).

Parsing is bounded by GRAPHQL_MAX_TOKENS (lexical tokens) and
GRAPHQL_MAX_COMMENTS; then a cheap pass over the document (`measure`, linear
in its size: each fragment is measured once and remembered) checks, for every
operation with its fragments expanded:
- GRAPHQL_MAX_DEPTH: nesting depth of fields.
- GRAPHQL_MAX_FIELDS: fields of all operations, fragments expanded.
- GRAPHQL_MAX_REPEATED_FIELDS: fields sharing one response name in one
  selection set (fragments merged in), which the standard rules compare pairwise.
- GRAPHQL_MAX_FRAGMENTS: fragment definitions in a document (the standard
  rules compare the fragments spread side by side pairwise).
- GRAPHQL_MAX_ALIASES: aliased fields, fragments expanded.
- GRAPHQL_MAX_LIST_ITEMS: items of any list value (`srcSet(sizes:)`,
  `search(kinds:)`, any list input, nested lists included), in the document
  and in the variables.
- GRAPHQL_MAX_STRING_LENGTH: characters of any string argument, in the
  document and in the variables.
- GRAPHQL_MAX_VARIABLES: variables an operation declares.
- GRAPHQL_MAX_COST: estimated work of a query, in units of about 10 µs of a
  worker's time (the default budget is about 250 ms). A resolver that runs
  its own queries declares what its call costs with `@costs(n)` beside its
  definition (search ranks the whole index, whatever page it returns); a
  root field that declares nothing costs GRAPHQL_ROOT_FIELD_COST, as every
  root resolver queries the database. Identical root calls (same field, same
  arguments, any alias) run once per request (`run_identical_calls_once`)
  and are priced once. Every other field costs 1, times the number of items
  its parents may return: a field with `perPage` or `limit`
  multiplies its children by that number (the largest allowed when it is a
  variable, the default page size when absent); any other list field
  multiplies its children by GRAPHQL_LIST_COST_FACTOR. A field given a list
  argument costs the number of its items (GRAPHQL_MAX_LIST_ITEMS for a
  variable), as each one is work (a rendition per size).
Only a document that passes them reaches graphql-core's standard validation
(some of whose rules, such as OverlappingFieldsCanBeMerged, are quadratic),
with at most graphene's MAX_VALIDATION_ERRORS errors. GraphQL's introspection
is refused when GRAPHQL_INTROSPECTION_ENABLED is off.
"""

from dataclasses import dataclass
from functools import lru_cache, wraps

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
from graphql.language import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    StringValueNode,
    VariableNode,
    print_ast,
)
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


CODE = "QUERY_TOO_COMPLEX"


def costs(price):
    """Declares the work one call of a resolver does itself, in GRAPHQL_MAX_COST
    units (about 10 µs each), beside the resolver: `@costs(5_000)`. The fields
    below it are priced as usual, on top."""

    def declare(resolver):
        resolver.graphql_cost = price
        return resolver

    return declare


def declared_cost(field):
    """What a call of `field` (a GraphQLField) costs itself, when declared."""
    return getattr(field.resolve, "graphql_cost", None)


def _call_key(arguments):
    return repr(sorted(arguments.items()))


def run_identical_calls_once(graphql_schema):
    """Wraps every root field's resolver so that identical calls in one request
    (same field, same arguments, under any alias) run once and share the
    answer: the cost model prices them once."""
    for name, field in graphql_schema.query_type.fields.items():
        if field.resolve is None or getattr(field.resolve, "runs_once", False):
            continue
        field.resolve = _once_per_request(name, field.resolve)


def _once_per_request(name, resolver):
    @wraps(resolver)
    def resolve(root, info, **arguments):
        memo = getattr(info.context, "__dict__", None)
        if memo is None:  # no request to remember the call on
            return resolver(root, info, **arguments)
        calls = memo.setdefault("_graphql_root_calls", {})
        key = (name, id(root), _call_key(arguments))
        if key not in calls:
            # The root is kept with the answer so that its id is not reused.
            calls[key] = (root, resolver(root, info, **arguments))
        return calls[key][1]

    resolve.runs_once = True
    return resolve


def _too_complex(message, node, setting, **extensions):
    return GraphQLError(message, node, extensions={"code": CODE, "limit": setting, **extensions})


def _is_list(graphql_type):
    while isinstance(graphql_type, GraphQLNonNull):
        graphql_type = graphql_type.of_type
    return isinstance(graphql_type, GraphQLList)


@dataclass
class Measure:
    """What a selection set asks for, fragments expanded."""

    depth: int = -1  # deepest field below the selection set's level (-1: no field)
    fields: int = 0
    aliases: int = 0
    cost: int = 0  # at a multiplier of 1 (cost is linear in the multiplier)


def _most_repeated(document):
    """The largest number of fields sharing one response name in one selection
    set, inline fragments and fragment spreads merged in (what graphql-core's
    OverlappingFieldsCanBeMerged compares pairwise), and its name. Walks the
    expanded document: run only once the expanded field count is within
    GRAPHQL_MAX_FIELDS, which bounds the walk."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    most = (0, None, settings.GRAPHQL_MAX_REPEATED_FIELDS)
    # Fragments that spread themselves below a field would loop: they are
    # invalid (the standard rules say so), and the walk stops after this many.
    budget = 4 * settings.GRAPHQL_MAX_FIELDS + 1_000
    pending = [
        d.selection_set for d in document.definitions if isinstance(d, OperationDefinitionNode)
    ]
    while pending:
        counts, nested = {}, []
        stack, spread = [pending.pop()], set()
        while stack:
            for selection in stack.pop().selections:
                budget -= 1
                if budget < 0:
                    return most
                if isinstance(selection, FieldNode):
                    name = (selection.alias or selection.name).value
                    counts[name] = counts.get(name, 0) + 1
                    # Apollo Client adds `__typename` to every inline fragment:
                    # a full guide body asks for it 14 times in one selection.
                    limit = (
                        settings.GRAPHQL_MAX_REPEATED_TYPENAMES
                        if name == "__typename"
                        else settings.GRAPHQL_MAX_REPEATED_FIELDS
                    )
                    if counts[name] - limit > most[0] - most[2]:
                        most = (counts[name], name, limit)
                    if selection.selection_set:
                        nested.append(selection.selection_set)
                elif isinstance(selection, InlineFragmentNode):
                    stack.append(selection.selection_set)
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    # One spread of a name per level: graphql-core merges repeats.
                    if name in fragments and name not in spread:
                        spread.add(name)
                        stack.append(fragments[name].selection_set)
        pending.extend(nested)
    return most


def _value_sizes(value):
    """The longest list and the longest string in an argument value, nested
    lists and objects included (walked without recursion)."""
    longest, text, stack = 0, 0, [value]
    while stack:
        node = stack.pop()
        if isinstance(node, ListValueNode):
            longest = max(longest, len(node.values))
            stack.extend(node.values)
        elif isinstance(node, ObjectValueNode):
            stack.extend(field.value for field in node.fields)
        elif isinstance(node, StringValueNode):
            text = max(text, len(node.value))
    return longest, text


class _Measurer:
    """Measures each operation of a document in one pass, remembering each
    fragment's measure (per `sized` state, the only context it depends on), so
    fragments spreading others many times cost their size, not their expansion.
    Unknown and cyclic fragments count as empty: the standard rules report them."""

    def __init__(self, schema, document):
        self.schema = schema
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.memo = {}
        self.in_progress = set()
        self.longest_list = (0, None)  # items, argument node
        self.longest_string = (0, None)  # characters, argument node

    def fragment(self, name, sized):
        key = (name, sized)
        if key in self.memo:
            return self.memo[key]
        fragment = self.fragments.get(name)
        if fragment is None or key in self.in_progress:
            return Measure()
        self.in_progress.add(key)
        fragment_type = self.schema.get_type(fragment.type_condition.name.value)
        measure = self.selection_set(fragment.selection_set, fragment_type, sized)
        self.in_progress.discard(key)
        self.memo[key] = measure
        return measure

    def _size(self, node):
        for argument in node.arguments or ():
            if argument.name.value in SIZE_ARGUMENTS:
                if isinstance(argument.value, IntValueNode):
                    return max(1, int(argument.value.value))
                return settings.GUIDES_API_MAX_PAGE_SIZE  # a variable: assume the most
        return None

    def _field_cost(self, node, field):
        """A field's own cost: 1, or the items of its list arguments (the most
        allowed for a variable). Notes the longest list and string seen."""
        cost = 1
        for argument in node.arguments or ():
            if isinstance(argument.value, VariableNode):
                definition = (field.args or {}).get(argument.name.value) if field else None
                if definition is not None and _is_list(definition.type):
                    cost = max(cost, settings.GRAPHQL_MAX_LIST_ITEMS)
                continue
            items, text = _value_sizes(argument.value)
            if items > self.longest_list[0]:
                self.longest_list = (items, argument)
            if text > self.longest_string[0]:
                self.longest_string = (text, argument)
            if isinstance(argument.value, ListValueNode):
                cost = max(cost, items)
        return cost

    def _own_cost(self, node, field, parent_type, calls):
        """A field's own cost. A root field costs what it declares (or
        GRAPHQL_ROOT_FIELD_COST), once per distinct call: `calls` holds the
        (name, arguments) already priced in this operation's root selection."""
        cost = self._field_cost(node, field)
        if field is None or parent_type is not self.schema.query_type:
            declared = declared_cost(field) if field is not None else None
            return cost if declared is None else max(cost, declared)
        if calls is not None:
            key = (
                node.name.value,
                tuple(sorted(print_ast(argument) for argument in node.arguments or ())),
            )
            if key in calls:
                return 0  # runs once (run_identical_calls_once)
            calls.add(key)
        declared = declared_cost(field)
        return max(cost, settings.GRAPHQL_ROOT_FIELD_COST if declared is None else declared)

    def selection_set(self, selection_set, parent_type, sized, calls=None):
        """`calls`: the root calls priced so far, for an operation's own root
        selection (fragments are measured once for every place they are spread,
        so their calls are all priced)."""
        total = Measure()
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FragmentSpreadNode):
                part = self.fragment(selection.name.value, sized)
                child_depth = part.depth
            elif isinstance(selection, InlineFragmentNode):
                fragment_type = parent_type
                if selection.type_condition:
                    fragment_type = self.schema.get_type(selection.type_condition.name.value)
                part = self.selection_set(selection.selection_set, fragment_type, sized, calls)
                child_depth = part.depth
            elif isinstance(selection, FieldNode) and _counted(selection):
                part = Measure(depth=0, fields=1, aliases=int(selection.alias is not None))
                fields = getattr(parent_type, "fields", None) or {}
                field = fields.get(selection.name.value)
                part.cost = self._own_cost(selection, field, parent_type, calls)
                if selection.selection_set:
                    factor, child_sized = 1, sized
                    size = self._size(selection)
                    if size is not None:
                        factor, child_sized = size, True
                    elif field is not None and _is_list(field.type):
                        factor = 1 if sized else settings.GRAPHQL_LIST_COST_FACTOR
                        child_sized = False
                    child_type = get_named_type(field.type) if field is not None else None
                    child = self.selection_set(selection.selection_set, child_type, child_sized)
                    part.depth = child.depth + 1 if child.depth >= 0 else 0
                    part.fields += child.fields
                    part.aliases += child.aliases
                    if field is not None:
                        part.cost += factor * child.cost
                child_depth = part.depth
            else:  # pragma: no cover - no other selection kinds exist
                continue
            total.depth = max(total.depth, child_depth)
            total.fields += part.fields
            total.aliases += part.aliases
            total.cost += part.cost
        return total


def _variable_sizes(value):
    """The longest list and the longest string in variables (parsed JSON)."""
    longest, text, stack = 0, 0, [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            longest = max(longest, len(item))
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, str):
            text = max(text, len(item))
    return longest, text


def variables_error(variables):
    """A GraphQLError when the variables hold a list longer than
    GRAPHQL_MAX_LIST_ITEMS or a string longer than GRAPHQL_MAX_STRING_LENGTH."""
    if not variables:
        return None
    longest, text = _variable_sizes(variables)
    if longest > settings.GRAPHQL_MAX_LIST_ITEMS:
        return _too_complex(
            f"A list in the variables has {longest} items: the most is "
            f"{settings.GRAPHQL_MAX_LIST_ITEMS} (GRAPHQL_MAX_LIST_ITEMS).",
            None,
            "GRAPHQL_MAX_LIST_ITEMS",
        )
    if text > settings.GRAPHQL_MAX_STRING_LENGTH:
        return _too_complex(
            f"A string in the variables has {text} characters: the most is "
            f"{settings.GRAPHQL_MAX_STRING_LENGTH} (GRAPHQL_MAX_STRING_LENGTH).",
            None,
            "GRAPHQL_MAX_STRING_LENGTH",
        )
    return None


def measure(schema, document):
    """Errors for the limits a parsed document exceeds, found in time linear in its size."""
    measurer = _Measurer(schema, document)
    errors = []
    fields = aliases = 0
    root = schema.query_type
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        result = measurer.selection_set(definition.selection_set, root, sized=False, calls=set())
        fields += result.fields
        aliases += result.aliases
        depth = max(result.depth, 0)
        declared = len(definition.variable_definitions or ())
        if declared > settings.GRAPHQL_MAX_VARIABLES:
            errors.append(
                _too_complex(
                    f"Too many variables: {declared}, the most is {settings.GRAPHQL_MAX_VARIABLES}.",
                    definition,
                    "GRAPHQL_MAX_VARIABLES",
                )
            )
        if depth > settings.GRAPHQL_MAX_DEPTH:
            errors.append(
                _too_complex(
                    f"Query is too deep: {depth} levels, the most is {settings.GRAPHQL_MAX_DEPTH}.",
                    definition,
                    "GRAPHQL_MAX_DEPTH",
                )
            )
        elif result.cost > settings.GRAPHQL_MAX_COST:
            errors.append(
                _too_complex(
                    f"Query is too costly: {result.cost} against a limit of "
                    f"{settings.GRAPHQL_MAX_COST}. "
                    "Ask for fewer items per page, fewer nested lists or fewer searches.",
                    definition,
                    "GRAPHQL_MAX_COST",
                    cost=result.cost,
                )
            )
    if aliases > settings.GRAPHQL_MAX_ALIASES:
        errors.append(
            _too_complex(
                f"Too many aliases: the most is {settings.GRAPHQL_MAX_ALIASES}.",
                None,
                "GRAPHQL_MAX_ALIASES",
            )
        )
    if fields > settings.GRAPHQL_MAX_FIELDS:
        errors.append(
            _too_complex(
                f"Too many fields: {fields} with fragments expanded, the most is "
                f"{settings.GRAPHQL_MAX_FIELDS}.",
                None,
                "GRAPHQL_MAX_FIELDS",
                fields=fields,
            )
        )
    if len(measurer.fragments) > settings.GRAPHQL_MAX_FRAGMENTS:
        errors.append(
            _too_complex(
                f"Too many fragments: {len(measurer.fragments)}, the most is "
                f"{settings.GRAPHQL_MAX_FRAGMENTS}.",
                None,
                "GRAPHQL_MAX_FRAGMENTS",
            )
        )
    if fields <= settings.GRAPHQL_MAX_FIELDS:
        repeated, name, limit = _most_repeated(document)
        if repeated > limit:
            errors.append(
                _too_complex(
                    f"`{name}` is asked for {repeated} times in one selection: the most is "
                    f"{limit}.",
                    None,
                    "GRAPHQL_MAX_REPEATED_TYPENAMES"
                    if name == "__typename"
                    else "GRAPHQL_MAX_REPEATED_FIELDS",
                )
            )
    items, argument = measurer.longest_list
    if items > settings.GRAPHQL_MAX_LIST_ITEMS:
        errors.append(
            _too_complex(
                f"The list given to `{argument.name.value}` has {items} items: the most is "
                f"{settings.GRAPHQL_MAX_LIST_ITEMS} (GRAPHQL_MAX_LIST_ITEMS).",
                argument,
                "GRAPHQL_MAX_LIST_ITEMS",
            )
        )
    length, argument = measurer.longest_string
    if length > settings.GRAPHQL_MAX_STRING_LENGTH:
        errors.append(
            _too_complex(
                f"The string given to `{argument.name.value}` has {length} characters: the most "
                f"is {settings.GRAPHQL_MAX_STRING_LENGTH} (GRAPHQL_MAX_STRING_LENGTH).",
                argument,
                "GRAPHQL_MAX_STRING_LENGTH",
            )
        )
    return errors


class LimitsRule(ValidationRule):
    """The limits as a validation rule, for callers of `validation_rules()`
    (checked_document runs `measure` before validation instead)."""

    def enter_document(self, node, *_args):
        for error in measure(self.context.schema, node):
            self.report_error(error)


def validation_rules():
    # Custom rules replace GraphQL's standard ones in graphene-django: keep both.
    rules = [LimitsRule, *specified_rules]
    if not settings.GRAPHQL_INTROSPECTION_ENABLED:
        rules.append(DisableIntrospectionRule)
    return rules


def _limits():
    """Everything parsing and validation depend on besides the document."""
    return (
        settings.GRAPHQL_MAX_DEPTH,
        settings.GRAPHQL_MAX_ALIASES,
        settings.GRAPHQL_MAX_COST,
        settings.GRAPHQL_MAX_FIELDS,
        settings.GRAPHQL_MAX_LIST_ITEMS,
        settings.GRAPHQL_MAX_STRING_LENGTH,
        settings.GRAPHQL_MAX_VARIABLES,
        settings.GRAPHQL_MAX_REPEATED_FIELDS,
        settings.GRAPHQL_MAX_REPEATED_TYPENAMES,
        settings.GRAPHQL_MAX_FRAGMENTS,
        settings.GRAPHQL_MAX_TOKENS,
        settings.GRAPHQL_MAX_COMMENTS,
        settings.GRAPHQL_LIST_COST_FACTOR,
        settings.GRAPHQL_ROOT_FIELD_COST,
        settings.GUIDES_API_MAX_PAGE_SIZE,
        settings.GRAPHQL_INTROSPECTION_ENABLED,
    )


@lru_cache(maxsize=512)
def _parsed(query, max_tokens, max_comments):
    try:
        return parse(query, max_lexical_tokens=max_tokens, max_comments=max_comments), None
    except GraphQLError as error:
        if "Parsing aborted" in error.message:  # over GRAPHQL_MAX_TOKENS or GRAPHQL_MAX_COMMENTS
            limit = (
                "GRAPHQL_MAX_COMMENTS" if " comments." in error.message else "GRAPHQL_MAX_TOKENS"
            )
            error.extensions = {"code": CODE, "limit": limit}
        return None, error
    except RecursionError:
        return None, GraphQLError(
            "Syntax Error: Document is nested too deeply.",
            extensions={"code": "GRAPHQL_PARSE_FAILED"},
        )


def parsed(query):
    """(document, None) or (None, the GraphQLError), parsing within the token limits."""
    return _parsed(query, settings.GRAPHQL_MAX_TOKENS, settings.GRAPHQL_MAX_COMMENTS)


@lru_cache(maxsize=512)
def _checked_document(graphql_schema, query, limits):
    # Frontends send the same few documents again and again: parse and
    # validate each once per process (limits are part of the key).
    document, error = parsed(query)
    if error is not None:
        return None, (error,)
    # Cheap limits first: a document over them never reaches the standard
    # rules, some of which are quadratic in the number of fields.
    try:
        errors = measure(graphql_schema, document)
    except RecursionError:
        errors = [GraphQLError("Query is too deep.", extensions={"code": CODE})]
    if errors:
        return document, tuple(errors)
    rules = list(specified_rules)
    if not settings.GRAPHQL_INTROSPECTION_ENABLED:
        rules.append(DisableIntrospectionRule)
    errors = validate(
        graphql_schema,
        document,
        rules,
        max_errors=graphene_settings.MAX_VALIDATION_ERRORS,
    )
    return document, tuple(errors)


def checked_document(graphql_schema, query):
    """The parsed document and its validation errors, remembered per document."""
    return _checked_document(graphql_schema, query, _limits())
