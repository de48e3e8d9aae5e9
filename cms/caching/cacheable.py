"""Which GraphQL documents' answers may be cached, and the key of each: the
document as graphql-core prints it, with only the variables it declares."""

import hashlib
from functools import lru_cache

from graphql import OperationType
from graphql.language import ArgumentNode, FieldNode, OperationDefinitionNode, print_ast, visit
from graphql.language.visitor import BREAK, Visitor

from cms.graphql.limits import parsed

UNCACHED_ARGUMENTS = {"token": "previews of drafts are for one editor"}
UNCACHED_FIELDS = {"search": "every search is counted in the search log"}


class _UncacheableParts(Visitor):
    def __init__(self):
        super().__init__()
        self.reason = None

    def enter_argument(self, node: ArgumentNode, *_args):
        if node.name.value in UNCACHED_ARGUMENTS:
            self.reason = UNCACHED_ARGUMENTS[node.name.value]
            return BREAK
        return None

    def enter_field(self, node: FieldNode, *_args):
        if node.name.value in UNCACHED_FIELDS:
            self.reason = UNCACHED_FIELDS[node.name.value]
            return BREAK
        return None

    def enter_operation_definition(self, node: OperationDefinitionNode, *_args):
        if node.operation != OperationType.QUERY:
            self.reason = "only queries are cached"
            return BREAK
        return None


@lru_cache(maxsize=256)
def document_reason(query):
    """Why answers to this document are never cached, or None."""
    document, error = parsed(query)  # within the parser's token limits
    if error is not None:
        return "it does not parse"
    parts = _UncacheableParts()
    visit(document, parts)
    return parts.reason


@lru_cache(maxsize=256)
def document_key(query):
    """The document as graphql-core prints it, hashed: comments and spacing
    gone, so variants of one document share one answer (each would otherwise
    be an entry). From the parse validation uses (`parsed` remembers it)."""
    document, _error = parsed(query)
    text = print_ast(document) if document is not None else query
    return hashlib.sha256(text.encode()).hexdigest()


@lru_cache(maxsize=256)
def declared_variables(query):
    """Names of the variables the document's operations declare."""
    document, _error = parsed(query)
    if document is None:
        return frozenset()
    return frozenset(
        definition.variable.name.value
        for operation in document.definitions
        if isinstance(operation, OperationDefinitionNode)
        for definition in operation.variable_definitions or ()
    )


def key_variables(query, variables):
    """The variables that can change the answer: those the document declares
    (GraphQL ignores the rest), so junk beside them makes no new entry."""
    if not variables:
        return {}
    declared = declared_variables(query)
    return {name: value for name, value in variables.items() if name in declared}


def uncacheable_reason(request, query):
    """Why this request's answer must not be cached (server or HTTP), or None."""
    if query is None:
        return "no query"
    if request.META.get("HTTP_AUTHORIZATION"):
        return "authorized request"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return "logged-in session"
    return document_reason(query)
