from wagtail import hooks

from home.queries import HomeQueries


@hooks.register("register_schema_query")
def register_home_queries(query_mixins):
    query_mixins.append(HomeQueries)
