from guides.importing.build import import_source
from guides.importing.sources import read_path
from tests.test_importing import SAMPLES

def test_show(hub, category):
    r = import_source(read_path(SAMPLES / "first-chemotherapy-visit.txt"), hub)
    g = r.guide.get_latest_revision_as_object()
    print(r.summary()); print(r.as_text())
    print("TITLE", g.title, "| STANDFIRST", g.standfirst[:80])
    for b in g.body:
        print(b.block_type, str(b.value)[:150].replace("\n"," "))
    print("DISC", g.disclaimer, g.publisher, g.author_organisation, g.source_publisher, g.source_url, g.promotes_commercial_service)
