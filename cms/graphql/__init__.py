"""The public GraphQL API: the schema and its contract, the endpoint, its
limits, persisted queries, the response cache and the helpers resolvers share."""
