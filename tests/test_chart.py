from radar.chart import build_radar_figure
from radar.models import Trend
from radar.picture import draw, trend_items

from .records import make_trend

QUADRANTS = ["Threats & Vulnerabilities", "Security Tools & Practices", "Technology & Platforms",
             "Regulation & Governance"]
RINGS = ["adopt", "assess", "hold"]


def trend(id_: str, *, label: str = "Glimmerfox", status: str = "emerging",
          ring: str | None = None) -> Trend:
    return make_trend(id_, label=label, status=status, score=7.5, ring=ring)


def figure_for(trends: list[Trend], *, new: frozenset[str] = frozenset(), **kwargs) -> dict:
    picture = draw(trend_items(trends, new=new), quadrants=QUADRANTS, rings=RINGS)
    return build_radar_figure(picture, **kwargs).to_dict()


def blip_traces(fig: dict) -> dict[str, dict]:
    """Traces that carry trends (customdata = trend ids), by trace name."""
    return {t["name"]: t for t in fig["data"] if t.get("customdata") is not None}


def test_figure_has_rings_quadrants_and_one_marker_per_trend() -> None:
    fig = figure_for([trend("T1"), trend("T2", status="steady", ring="adopt"),
                      trend("T3", label="Quartzwing")])
    circles = [s for s in fig["layout"]["shapes"] if s["type"] == "circle"]
    assert len(circles) == 3
    texts = [a["text"] for a in fig["layout"]["annotations"]]
    assert "ADOPT" in texts and "<b>Threats &amp; Vulnerabilities</b>" in texts
    traces = blip_traces(fig)
    assert all(t["type"] == "scatter" for t in traces.values())  # cartesian: clicks work
    emerging, steady = traces["emerging"], traces["steady (decided)"]
    assert sorted(c[0] for c in emerging["customdata"]) == ["T1", "T3"]
    assert [c[0] for c in steady["customdata"]] == ["T2"]
    assert emerging["marker"]["color"] == "white"        # suggested ring only: hollow
    assert steady["marker"]["color"] == "#1f77b4"        # decided: filled
    assert emerging["marker"]["line"]["color"] == "#d62728"
    numbers = sorted(int(n) for t in traces.values() for n in t["text"])
    assert numbers == [1, 2, 3]  # every blip carries its number
    assert min(size for t in traces.values() for size in t["textfont"]["size"]) >= 11
    assert "Quartzwing" in texts  # names drawn where they fit


def test_hostile_label_is_escaped_in_hover_and_name() -> None:
    fig = figure_for([trend("T1", label='<script>alert("x")</script><img src=x>')])
    hover = blip_traces(fig)["emerging"]["hovertext"][0]
    names = [a["text"] for a in fig["layout"]["annotations"]]
    for text in [hover, *names]:
        assert "<script>" not in text and "<img" not in text
    assert "&lt;script&gt;" in hover


def test_new_and_moved_trends_are_marked_and_selection_is_outlined() -> None:
    fig = figure_for([trend("T1"), make_trend("T2", moved=True)], new=frozenset({"T1"}),
                     selected="T1")
    by_name = {t["name"]: t for t in fig["data"]}
    assert by_name["new"]["marker"]["symbol"] == "star" and len(by_name["new"]["x"]) == 1
    assert by_name["moved"]["marker"]["symbol"] == "triangle-up"
    assert len(by_name["selected"]["x"]) == 1


def test_empty_radar_still_draws_the_frame() -> None:
    fig = figure_for([])
    assert blip_traces(fig) == {} and len(fig["layout"]["shapes"]) == 5
