"""The one graphene middleware every field's resolver runs through.

It does three things for each field, in one call rather than three stacked
middlewares (graphql-core wraps every field of every answer in each layer,
about 120 fields for a guide):
- refuses text arguments with a NUL character, which PostgreSQL cannot store
  or compare (the query would fail);
- notes a database connection error the resolver raised, which graphene would
  otherwise answer as an error in a 200, so that
  `cms.http.database_unavailable.DatabaseUnavailableMiddleware` answers the 503 instead;
- passes what the resolver returned through the visibility gate
  (cms/visibility/gate.py), so no hidden page, FAQ or image enters an answer.
"""

from graphql import GraphQLError

from cms.http.database_unavailable import DATABASE_ERRORS
from cms.visibility.gate import gate


class PublicFieldMiddleware:
    def resolve(self, next, root, info, **kwargs):
        if kwargs and _has_nul(kwargs):
            raise GraphQLError(
                "Text arguments cannot contain NUL (\\u0000) characters.",
                extensions={"code": "BAD_USER_INPUT"},
            )
        try:
            value = next(root, info, **kwargs)
        except DATABASE_ERRORS as error:
            info.context.database_error = error
            raise
        if kwargs.get("token"):
            return value  # a preview: the draft an editor asked for, by a signed token
        return gate(value, info.context)


def _has_nul(value):
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(item) for item in value.values())
    if isinstance(value, list | tuple):
        return any(_has_nul(item) for item in value)
    return False
