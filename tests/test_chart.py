from radar.chart import build_radar_figure, hover_text
from radar.layout import BlipSpec, place_blips
from radar.models import Trend

from .records import make_trend

QUADRANTS = ["Threats & Vulnerabilities", "Security Tools & Practices", "Technology & Platforms",
             "Regulation & Governance"]
RINGS = ["adopt", "assess", "hold"]


def trend(id_: str, *, label: str = "Glimmerfox", status: str = "emerging",
          ring: str | None = None) -> Trend:
    return make_trend(id_, label=label, status=status, score=7.5, ring=ring)


def figure_for(trends: list[Trend], **kwargs) -> dict:
    blips = place_blips([BlipSpec(t.id, 0, 1, 0.5) for t in trends], rings=3)
    return build_radar_figure(trends, blips, quadrants=QUADRANTS, rings=RINGS,
                              **kwargs).to_dict()


def blip_traces(fig: dict) -> dict[str, dict]:
    """Traces that carry trends (customdata = trend ids), by trace name."""
    return {t["name"]: t for t in fig["data"] if t.get("customdata") is not None}


def test_figure_has_rings_quadrants_and_one_marker_per_trend() -> None:
    fig = figure_for([trend("T1"), trend("T2", status="steady", ring="adopt"), trend("T3")])
    circles = [s for s in fig["layout"]["shapes"] if s["type"] == "circle"]
    assert len(circles) == 3
    texts = [a["text"] for a in fig["layout"]["annotations"]]
    assert "ADOPT" in texts and "<b>Threats &amp; Vulnerabilities</b>" in texts
    traces = blip_traces(fig)
    assert all(t["type"] == "scatter" for t in traces.values())  # cartesian: clicks work
    emerging, steady = traces["emerging"], traces["steady (decided)"]
    assert [c[0] for c in emerging["customdata"]] == ["T1", "T3"]
    assert [c[0] for c in steady["customdata"]] == ["T2"]
    assert emerging["marker"]["symbol"] == "circle-open"  # suggested ring only
    assert steady["marker"]["symbol"] == "circle"          # decided
    assert (emerging["marker"]["color"], steady["marker"]["color"]) == ("#d62728", "#1f77b4")


def test_hostile_label_is_escaped_in_hover() -> None:
    text = hover_text(trend("T1", label='<script>alert("x")</script><img src=x>'))
    assert "<script>" not in text and "&lt;script&gt;" in text and "<img" not in text


def test_new_and_moved_trends_are_marked_and_selection_is_outlined() -> None:
    fig = figure_for([trend("T1"), make_trend("T2", moved=True)], new_ids=frozenset({"T1"}),
                     selected="T1")
    by_name = {t["name"]: t for t in fig["data"]}
    assert by_name["new"]["marker"]["symbol"] == "star" and len(by_name["new"]["x"]) == 1
    assert by_name["moved"]["marker"]["symbol"] == "triangle-up"
    assert len(by_name["selected"]["x"]) == 1


def test_empty_radar_still_draws_the_frame() -> None:
    fig = figure_for([])
    assert blip_traces(fig) == {} and len(fig["layout"]["shapes"]) == 5
