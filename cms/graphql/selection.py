"""What a query selects below a field, so resolvers load only what it reads."""

from graphql.language import FragmentSpreadNode, InlineFragmentNode


class Selection:
    """The fields a query selects below one field, by field name: fragments
    and inline fragments merged, aliases folded together. Resolvers use it to
    load only what the query reads: `"body" in selection`,
    `selection["relatedGuides"]` for the fields below `relatedGuides`."""

    def __init__(self, field_nodes, fragments):
        self._fragments = fragments
        self._fields = {}
        for node in field_nodes:
            self._collect(node.selection_set, set())

    @classmethod
    def of(cls, info, *path):
        """What is selected below the resolver's own field, then below each name in `path`."""
        selection = cls(info.field_nodes, info.fragments)
        for name in path:
            selection = selection[name]
        return selection

    def _collect(self, selection_set, spread):
        for node in selection_set.selections if selection_set else ():
            if isinstance(node, FragmentSpreadNode):
                fragment = self._fragments.get(node.name.value)
                if fragment is not None and node.name.value not in spread:
                    self._collect(fragment.selection_set, spread | {node.name.value})
            elif isinstance(node, InlineFragmentNode):
                self._collect(node.selection_set, spread)
            else:
                self._fields.setdefault(node.name.value, []).append(node)

    def __contains__(self, name):
        return name in self._fields

    def __getitem__(self, name):
        return Selection(self._fields.get(name, ()), self._fragments)

    def names(self):
        return set(self._fields)


class _Everything(Selection):
    """Every field, at every level: for callers outside a GraphQL query."""

    def __init__(self):
        pass

    def __contains__(self, name):
        return True

    def __getitem__(self, name):
        return self

    def names(self):
        raise TypeError("EVERYTHING has no list of names")


EVERYTHING = _Everything()
