"""Search excerpts also come as plain text with the matched ranges, for apps
that style matches natively: the ranges pick out exactly what the HTML marks."""

import html
import re

SEARCH = """query ($q: String!) {
  search(query: $q) { items { title excerpt excerptText matches { start end } } }
}"""


def items(graphql, q):
    return graphql.data(SEARCH, {"q": q})["search"]["items"]


def utf16_slice(text, start, end):
    """What JavaScript's text.slice(start, end) gives."""
    return text.encode("utf-16-le")[start * 2 : end * 2].decode("utf-16-le")


def marked(excerpt_html):
    return [html.unescape(word) for word in re.findall(r"<mark>(.*?)</mark>", excerpt_html)]


def test_the_ranges_pick_out_what_the_html_marks(graphql, make_guide):
    make_guide(
        "Blood tests",
        summary="Results <b>matter</b> & neutrophil counts: a neutrophil count below <1.0 needs a call.",
    )
    [item] = items(graphql, "neutrophil")
    assert item["excerptText"] == html.unescape(re.sub(r"</?mark>", "", item["excerpt"]))
    assert "<b>matter</b> &" in item["excerptText"]  # plain text: nothing escaped
    found = [utf16_slice(item["excerptText"], r["start"], r["end"]) for r in item["matches"]]
    assert found == marked(item["excerpt"]) == ["neutrophil", "neutrophil"]


def test_ranges_count_utf16_code_units_after_emoji_and_the_ellipsis(graphql, make_guide):
    filler = " ".join(["Filler words about appointments 😀."] * 40)
    body = [{"type": "paragraph", "value": f"<p>{filler} Radiotherapy starts here. {filler}</p>"}]
    make_guide("Treatment planning", body=body)
    [item] = items(graphql, "radiotherapy")
    assert item["excerptText"].startswith("… ")
    [match] = item["matches"]
    assert utf16_slice(item["excerptText"], match["start"], match["end"]) == "Radiotherapy"
    # Code points and UTF-16 units differ once an emoji comes before the match.
    assert item["excerptText"].index("Radiotherapy") < match["start"]


def test_no_match_in_the_text_gives_no_ranges(graphql, make_guide):
    make_guide("Radiotherapy", summary="Nothing about it here.")
    [item] = items(graphql, "radiotherapy")
    assert item["matches"] == [] and "<mark>" not in item["excerpt"]
