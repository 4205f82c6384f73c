import xml.etree.ElementTree as ET

from radar.chart import render_radar_svg
from radar.models import Trend
from radar.picture import draw, trend_items

from .records import make_trend

QUADRANTS = ["Threats & Vulnerabilities", "Security Tools & Practices", "Technology & Platforms",
             "Regulation & Governance"]
RINGS = ["adopt", "assess", "hold"]
SVG = "{http://www.w3.org/2000/svg}"


def trend(id_: str, *, label: str = "Glimmerfox", status: str = "emerging",
          ring: str | None = None) -> Trend:
    return make_trend(id_, label=label, status=status, score=7.5, ring=ring)


def svg_for(trends: list[Trend], *, new: frozenset[str] = frozenset(), **kwargs) -> ET.Element:
    """The chart parsed as XML: it must be well-formed whatever the labels hold."""
    picture = draw(trend_items(trends, new=new), quadrants=QUADRANTS, rings=RINGS)
    return ET.fromstring(render_radar_svg(picture, **kwargs))


def blips(svg: ET.Element) -> dict[str, ET.Element]:
    """The groups that carry trends, by trend id."""
    return {g.get("data-id"): g for g in svg.iter(f"{SVG}g") if g.get("class") == "blip"}


def texts(element: ET.Element) -> list[str]:
    return [t.text or "" for t in element.iter(f"{SVG}text")]


def test_chart_has_rings_quadrants_and_one_numbered_blip_per_trend() -> None:
    svg = svg_for([trend("T1"), trend("T2", status="steady", ring="adopt"),
                   trend("T3", label="Quartzwing")])
    rings = [c for c in svg.findall(f"{SVG}circle")]
    assert len(rings) == 3
    assert {"ADOPT", "Threats & Vulnerabilities"} <= set(texts(svg))
    found = blips(svg)
    assert sorted(found) == ["T1", "T2", "T3"]
    circle = {id_: g.find(f"{SVG}circle") for id_, g in found.items()}
    assert circle["T1"].get("fill") == "white"             # suggested ring only: hollow
    assert circle["T1"].get("stroke") == "#d62728"         # emerging: red
    assert circle["T2"].get("fill") == "#1f77b4"           # decided: filled
    numbers = sorted(int(texts(g)[0]) for g in found.values())
    assert numbers == [1, 2, 3]                            # every blip carries its number
    assert "Quartzwing" in texts(found["T3"])              # names drawn where they fit
    assert all(g.get("tabindex") == "0" for g in found.values())   # reachable by keyboard


def test_hover_text_names_the_trend_and_its_detail() -> None:
    svg = svg_for([trend("T1", label="Quartzwing")])
    title = blips(svg)["T1"].find(f"{SVG}title").text
    assert title.startswith("1. Quartzwing\n")


def test_hostile_label_is_escaped_in_hover_and_name() -> None:
    hostile = '<script>alert("x")</script><img src=x>'
    picture = draw(trend_items([trend("T1", label=hostile)]), quadrants=QUADRANTS,
                   rings=RINGS)
    markup = render_radar_svg(picture)
    assert "<script>" not in markup and "<img" not in markup
    assert "&lt;script&gt;" in markup
    svg = ET.fromstring(markup)                           # the label comes back as text
    assert hostile in blips(svg)["T1"].find(f"{SVG}title").text


def test_new_and_moved_trends_are_marked_and_selection_is_outlined() -> None:
    svg = svg_for([trend("T1"), make_trend("T2", moved=True), trend("T3")],
                  new=frozenset({"T1"}), selected="T1")
    found = blips(svg)
    marks = {id_: [t.text for t in g.iter(f"{SVG}text") if t.get("class") == "mark"]
             for id_, g in found.items()}
    assert marks == {"T1": ["★"], "T2": ["▲"], "T3": []}
    outlined = [id_ for id_, g in found.items()
                if any(c.get("class") == "selected" for c in g.iter(f"{SVG}circle"))]
    assert outlined == ["T1"]


def test_empty_radar_still_draws_the_frame() -> None:
    svg = svg_for([])
    assert blips(svg) == {} and len(svg.findall(f"{SVG}circle")) == 3
    assert "Security Tools & Practices" in texts(svg)
