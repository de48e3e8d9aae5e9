"""Images for every screen: placeholders and the GraphQL image fields."""
