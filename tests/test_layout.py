"""The shape of the code: no import circles, and modules a reader can hold in mind."""

from pathlib import Path

import grimp
import pytest

PROJECT_PACKAGES = ("cms", "home", "guides", "faqs", "search")
ROOT = Path(__file__).resolve().parent.parent
MAX_MODULE_LINES = 600


@pytest.fixture(scope="module")
def imports():
    # grimp reads every import statement, those inside functions included.
    return grimp.build_graph(*PROJECT_PACKAGES, include_external_packages=False)


def test_no_module_imports_one_that_imports_it_back(imports):
    circles = []
    for module in sorted(imports.modules):
        for imported in sorted(imports.find_modules_directly_imported_by(module)):
            back = imports.find_shortest_chain(importer=imported, imported=module)
            if back:
                circles.append(" -> ".join((module, *back)))
    assert circles == []


def test_no_module_is_longer_than_a_reader_can_hold():
    long = {}
    for package in PROJECT_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            lines = len(path.read_text().splitlines())
            if lines > MAX_MODULE_LINES:
                long[str(path.relative_to(ROOT))] = lines
    assert long == {}


def test_cms_keeps_at_most_twelve_modules_at_its_top_level():
    modules = sorted(p.name for p in (ROOT / "cms").glob("*.py"))
    assert len(modules) <= 12, modules
