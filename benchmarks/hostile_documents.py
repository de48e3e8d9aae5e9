"""Hostile GraphQL requests: each small enough to send anonymously, each
built to make parsing, validation, execution or storage expensive. The
endpoint must refuse every one with a 4xx JSON error, quickly
(benchmarks/hostile_documents_benchmark.py, tests/test_graphql_limits_hostile.py).

`hostile_requests()` yields (name, body) pairs: `body` is the raw request
body (bytes) to POST as application/json.
"""

import json

PLAIN = "{ hubs { title guides { items { title url summary } } } }"


def fragment_bomb(levels):
    """F0 spreads F1 twice, F1 spreads F2 twice...: 2**levels fields once expanded."""
    fragments = [f"fragment F{i} on GuidePage {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)]
    fragments.append(f"fragment F{levels} on GuidePage {{ title }}")
    return '{ guide(slug: "x") { ...F0 } } ' + " ".join(fragments)


def repeated_fields(count):
    return "{ hubs { " + "title " * count + "} }"


def fields_by_spreads(spreads, per_fragment):
    """`spreads` spreads of one fragment of `per_fragment` fields: their product once expanded."""
    return (
        "{ home { "
        + "...F " * spreads
        + "} } fragment F on HomePage { "
        + "title " * per_fragment
        + "}"
    )


def side_by_side_fragments(count):
    """Many distinct fragments in one selection: pairwise work for OverlappingFieldsCanBeMerged."""
    spreads = " ".join(f"...F{i}" for i in range(count))
    fragments = " ".join(f"fragment F{i} on HomePage {{ title }}" for i in range(count))
    return f"{{ home {{ {spreads} }} }} {fragments}"


def distinct_fragments_side_by_side(count):
    """Distinct fragments of different fields, all spread in one selection."""
    names = ["title", "slug", "url", "summary", "standfirst", "quickAnswer", "disclaimer"]
    spreads = " ".join(f"...F{i}" for i in range(count))
    fragments = " ".join(
        f"fragment F{i} on GuidePage {{ {names[i % len(names)]} }}" for i in range(count)
    )
    return f'{{ guide(slug: "x") {{ {spreads} }} }} {fragments}'


def deep_nesting(levels):
    """A guide's hub, its guides, their items, their hub... `levels` deep: valid
    fields, so only the depth limit refuses it."""
    chain = ["hub", "guides(perPage: 1)", "items"]
    inner = "__typename"
    for level in reversed(range(levels)):
        inner = f"{chain[level % 3]} {{ {inner} }}"
    return f'{{ guide(slug: "x") {{ {inner} }} }}'


def deep_inline_fragments(levels):
    return "{ home { " + "... on HomePage { " * levels + "title" + " }" * levels + " } }"


def many_aliases(count):
    return "{ " + " ".join(f"a{i}: hubs {{ title }}" for i in range(count)) + " }"


def many_operations(count):
    return " ".join(f"query Q{i} {{ hubs {{ title }} }}" for i in range(count))


def many_directives(count):
    return "{ hubs " + "@include(if: true) " * count + "{ title } }"


def many_variables(count):
    declared = ", ".join(f"$v{i}: Int" for i in range(count))
    return f"query ({declared}) {{ hubs {{ title }} }}"


def src_set(sizes):
    return (
        "{ guides(perPage: 100) { items { heroImage { srcSet(sizes: ["
        + ", ".join("320" for _ in range(sizes))
        + "]) } } } }"
    )


SRC_SET_VARIABLE = "query ($sizes: [Int]) { guides(perPage: 100) { items { heroImage { srcSet(sizes: $sizes) } } } }"


def nested_list_literal(levels):
    return (
        "{ guides { items { heroImage { srcSet(sizes: " + "[" * levels + "]" * levels + ") } } } }"
    )


def many_comments(count):
    return "#\n" * count + PLAIN


def search_kinds(count):
    return '{ search(query: "chemo", kinds: [' + ", ".join(["GUIDE"] * count) + "]) { total } }"


def aliased_searches(count):
    """`count` searches of a full page under aliases, each for other words."""
    return (
        "{ "
        + " ".join(
            f'a{i}: search(query: "word{i}", perPage: 50) {{ total items {{ title excerpt }} }}'
            for i in range(count)
        )
        + " }"
    )


def _body(query=None, **extra):
    payload = {"query": query} if query is not None else {}
    payload.update(extra)
    return json.dumps(payload).encode()


def hostile_requests():
    yield "fragment bomb, 24 levels", _body(fragment_bomb(24))
    yield "fragment bomb, 30 levels", _body(fragment_bomb(30))
    yield "fragment bomb, 40 levels", _body(fragment_bomb(40))
    yield "2,600 repeated fields", _body(repeated_fields(2_600))
    yield "20,000 repeated fields (over the body limit)", _body(repeated_fields(20_000))
    yield "20,000 fields by fragment spreads", _body(fields_by_spreads(200, 100))
    yield "300 fragments side by side", _body(side_by_side_fragments(300))
    yield "200 distinct fragments side by side", _body(distinct_fragments_side_by_side(200))
    yield "600 levels of nesting", _body(deep_nesting(600))
    yield "2,000 levels of nesting", _body(deep_nesting(2_000))
    yield "500 nested inline fragments", _body(deep_inline_fragments(500))
    yield "500 aliases", _body(many_aliases(500))
    yield "500 operations", _body(many_operations(500))
    yield "1,500 directives on a field", _body(many_directives(1_500))
    yield "300 directives on a field", _body(many_directives(300))
    yield "1,000 variables declared", _body(many_variables(1_000))
    yield "300 variables declared", _body(many_variables(300))
    yield "90 unused variables declared", _body(many_variables(90))
    yield "15 KB string argument", _body('{ guide(slug: "' + "x" * 15_000 + '") { title } }')
    yield "3,000 srcSet sizes", _body(src_set(3_000))
    yield (
        "3,000 srcSet sizes in variables",
        _body(SRC_SET_VARIABLE, variables={"sizes": [320] * 3_000}),
    )
    yield "300 srcSet sizes in variables", _body(SRC_SET_VARIABLE, variables={"sizes": [320] * 300})
    yield "1,000 search kinds", _body(search_kinds(1_000))
    yield "15 aliased searches of 50 results", _body(aliased_searches(15))
    yield "nested list literal, 900 levels", _body(nested_list_literal(900))
    yield (
        "nested list in variables, 5,000 levels",
        (
            b'{"query": "query ($sizes: [Int]) { hubs { title } }", "variables": {"sizes": '
            + b"[" * 5_000
            + b"]" * 5_000
            + b"}}"
        ),
    )
    yield "3,000 comments", _body(many_comments(3_000))
    yield "14 KB of junk variables", _body(PLAIN, variables={"junk": "x" * 14_000})
    yield "14 KB of junk extensions", _body(PLAIN, extensions={"junk": "x" * 14_000})
    yield "2.6 MB body", _body(PLAIN + " " * 2_600_000)


if __name__ == "__main__":
    for name, body in hostile_requests():
        print(f"{len(body):>9,} bytes  {name}")
