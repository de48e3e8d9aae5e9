"""Rich text for the API: page links, the HTML readers get, and the JSON document
tree for native apps (with its GraphQL scalar)."""
