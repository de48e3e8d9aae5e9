"""Every type, field and argument of the public GraphQL API, with what a
frontend developer needs to know about it (applied by cms/graphql/contract.py),
one module per domain.

A field is `name: (type, description)` or `name: (type, description,
{argument: (type, description)})`. The type is written as in SDL; it may add
`!` where the code guarantees a value. To make something public, add it here
on purpose; to stop offering it, remove it and declare the breaking change
(README, "Changing the schema").
"""

from cms.graphql.public_api.body import BODY
from cms.graphql.public_api.images import IMAGES
from cms.graphql.public_api.pages import PAGES
from cms.graphql.public_api.people import PEOPLE
from cms.graphql.public_api.queries import QUERIES
from cms.graphql.public_api.scalars import SCALARS
from cms.graphql.public_api.search import SEARCH
from cms.graphql.public_api.sync import SYNC

PUBLIC = {
    **QUERIES,
    **SYNC,
    **PAGES,
    **IMAGES,
    **PEOPLE,
    **SEARCH,
    **BODY,
    **SCALARS,
}
