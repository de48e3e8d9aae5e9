"""The public GraphQL contract: what frontends may query, on purpose.

grapple builds GraphQL types from our models and blocks, and with them a
generic surface (page-tree fields, Wagtail's built-in block types, `rawValue`,
chooser blocks, CMS columns) that no frontend needs and that has leaked hidden
content before. The schema we serve keeps only what `PUBLIC` names here:
every type, every field and every argument, each with a description written
for a frontend developer. Anything else grapple or a model adds is not
public until it is listed. `apply_contract` fails at start-up when the code
no longer provides what the contract promises, or provides it with a
different type, so the contract and the code cannot drift apart; the
checked-in `schema.graphql` is the contract printed as SDL.
"""

from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    specified_scalar_types,
)

from cms.graphql.public_api import PUBLIC


class ContractError(Exception):
    """The code does not implement the public contract as written."""


def apply_contract(implementation: GraphQLSchema, public=PUBLIC) -> GraphQLSchema:
    """The schema frontends see: `implementation` cut down to `public`."""
    types = implementation.type_map
    for name, spec in public.items():
        graphql_type = types.get(name)
        if graphql_type is None:
            raise ContractError(f"The contract lists type {name}, which the code does not define.")
        _apply_type(graphql_type, spec, types)
    query = types["Query"]
    # Page types are reachable only through PageInterface: name every type.
    listed = [types[name] for name in public if name not in specified_scalar_types]
    schema = GraphQLSchema(query=query, types=listed, directives=implementation.directives)
    for name, spec in public.items():
        if "implementations" in spec:
            found = {t.name for t in schema.get_implementations(types[name]).objects}
            if found != set(spec["implementations"]):
                raise ContractError(
                    f"{name} is implemented by {sorted(found)}, not {sorted(spec['implementations'])}."
                )
    extra = {
        name
        for name in schema.type_map
        if not name.startswith("__") and name not in public and name not in specified_scalar_types
    }
    if extra:
        raise ContractError(f"Types reachable but not in the contract: {', '.join(sorted(extra))}.")
    return schema


def _apply_type(graphql_type, spec, types):
    name = graphql_type.name
    if not spec.get("description"):
        raise ContractError(f"Type {name} has no description in the contract.")
    graphql_type.description = spec["description"]
    if isinstance(graphql_type, GraphQLObjectType | GraphQLInterfaceType):
        graphql_type.fields  # noqa: B018 (resolve the thunk before replacing it)
        graphql_type.__dict__["fields"] = {
            field_name: _apply_field(graphql_type, field_name, field_spec)
            for field_name, field_spec in spec["fields"].items()
        }
        interfaces = [types[interface] for interface in spec.get("interfaces", ())]
        graphql_type.__dict__["interfaces"] = interfaces
    elif isinstance(graphql_type, GraphQLUnionType):
        actual = {member.name for member in graphql_type.types}
        if actual != set(spec["types"]):
            raise ContractError(f"Union {name} has members {sorted(actual)}, not {spec['types']}.")
    elif isinstance(graphql_type, GraphQLEnumType):
        actual = set(graphql_type.values)
        if actual != set(spec["values"]):
            raise ContractError(f"Enum {name} has values {sorted(actual)}, not {spec['values']}.")
        for value_name, description in spec["values"].items():
            graphql_type.values[value_name].description = description
    elif isinstance(graphql_type, GraphQLInputObjectType):
        raise ContractError(f"Input type {name}: the contract has no input types yet.")
    elif not isinstance(graphql_type, GraphQLScalarType):
        raise ContractError(f"Type {name} is of a kind the contract does not know.")


def _apply_field(graphql_type, field_name, field_spec):
    owner = graphql_type.name
    field = graphql_type.fields.get(field_name)
    if field is None:
        raise ContractError(f"The contract lists {owner}.{field_name}, which the code lacks.")
    type_text, description, *rest = field_spec
    arguments = rest[0] if rest else {}
    try:
        field_type = _tightened(field.type, type_text)
    except ContractError:
        raise ContractError(
            f"{owner}.{field_name} is {field.type} in the code, {type_text} in the contract."
        ) from None
    # Arguments left out of the contract are not offered; the resolver gets its default.
    unknown = set(arguments) - set(field.args)
    if unknown:
        raise ContractError(f"{owner}.{field_name} takes no argument {', '.join(sorted(unknown))}.")
    args = {}
    for arg_name, (arg_type_text, arg_description) in arguments.items():
        argument = field.args[arg_name]
        if not arg_description:
            raise ContractError(f"{owner}.{field_name}({arg_name}:) has no description.")
        if str(argument.type) != arg_type_text:
            raise ContractError(
                f"{owner}.{field_name}({arg_name}:) is {argument.type}, not {arg_type_text}."
            )
        args[arg_name] = GraphQLArgument(
            argument.type,
            default_value=argument.default_value,
            description=arg_description,
            out_name=argument.out_name,
        )
    if not description:
        raise ContractError(f"{owner}.{field_name} has no description in the contract.")
    return GraphQLField(
        field_type,
        args=args,
        resolve=field.resolve,
        description=description,
        deprecation_reason=field.deprecation_reason,
    )


def _tightened(actual, wanted_text):
    """`actual` as the contract writes it. The contract may only add `!`
    where the code guarantees a value (an id, a list the code always
    returns); any other difference is an error."""
    if str(actual) == wanted_text:
        return actual
    if wanted_text.endswith("!"):
        inner = actual.of_type if isinstance(actual, GraphQLNonNull) else actual
        return GraphQLNonNull(_tightened(inner, wanted_text[:-1]))
    if (
        wanted_text.startswith("[")
        and wanted_text.endswith("]")
        and isinstance(actual, GraphQLList)
    ):
        return GraphQLList(_tightened(actual.of_type, wanted_text[1:-1]))
    raise ContractError(f"{actual} is not {wanted_text}")
