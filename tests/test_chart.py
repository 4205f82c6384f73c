from radar.chart import build_radar_figure, hover_text
from radar.layout import BlipSpec, place_blips

QUADRANTS = ["Threats & Vulnerabilities", "Security Tools & Practices", "Technology & Platforms",
             "Regulation & Governance"]
RINGS = ["adopt", "assess", "hold"]


def trend(id_: str, *, label: str = "Glimmerfox", status: str = "emerging",
          ring: str | None = None) -> dict:
    return {"id": id_, "label": label, "status": status, "score": 7.5, "ring": ring,
            "suggested_ring": "assess", "article_count": 9, "source_count": 5}


def figure_for(trends: list[dict], **kwargs) -> dict:
    blips = place_blips([BlipSpec(t["id"], 0, 1, 0.5) for t in trends], rings=3)
    return build_radar_figure(trends, blips, quadrants=QUADRANTS, rings=RINGS,
                              **kwargs).to_dict()


def test_figure_has_rings_quadrants_and_one_marker_per_trend() -> None:
    fig = figure_for([trend("T1"), trend("T2", status="steady", ring="adopt")])
    circles = [s for s in fig["layout"]["shapes"] if s["type"] == "circle"]
    assert len(circles) == 3
    texts = [a["text"] for a in fig["layout"]["annotations"]]
    assert "ADOPT" in texts and "<b>Threats &amp; Vulnerabilities</b>" in texts
    blips = fig["data"][0]
    assert blips["type"] == "scatter"  # cartesian: click selection works
    assert [c[0] for c in blips["customdata"]] == ["T1", "T2"]
    assert list(blips["marker"]["symbol"]) == ["circle-open", "circle"]  # suggested, decided
    assert list(blips["marker"]["color"]) == ["#d62728", "#1f77b4"]


def test_hostile_label_is_escaped_in_hover() -> None:
    text = hover_text(trend("T1", label='<script>alert("x")</script><img src=x>'))
    assert "<script>" not in text and "&lt;script&gt;" in text and "<img" not in text


def test_new_trends_get_a_star_and_selection_is_outlined() -> None:
    fig = figure_for([trend("T1"), trend("T2")], new_ids=frozenset({"T2"}), selected="T1")
    assert fig["data"][1]["marker"]["symbol"] == "star" and len(fig["data"][1]["x"]) == 1
    assert list(fig["data"][0]["marker"]["line"]["width"]) == [3, 1.5]


def test_empty_radar_still_draws_the_frame() -> None:
    fig = figure_for([])
    assert len(fig["data"]) == 1 and not fig["data"][0].get("x")


def test_moved_trends_get_a_triangle() -> None:
    fig = figure_for([trend("T1") | {"moved": True}, trend("T2")])
    assert fig["data"][1]["marker"]["symbol"] == "triangle-up" and len(fig["data"][1]["x"]) == 1
