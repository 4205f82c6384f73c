"""The radar picture as a Plotly figure (pure: no Streamlit, testable via fig.to_dict()).

Draws a `picture.Picture`: numbered blips (cartesian scatter traces, because Plotly's
click selection works on cartesian traces, not polar ones; customdata carries the trend
id), names beside the blips where they fit, rings and quadrant names. Colour shows
status, a filled marker a decided ring and a hollow one a suggested ring, size the
signal. All feed-derived text is HTML-escaped: Plotly renders some HTML in text.
"""

from __future__ import annotations

import html

import plotly.graph_objects as go

from radar.layout import MARK_COLOUR, QUADRANT_CORNERS, STATUS_COLOURS, ring_bounds
from radar.picture import PICTURE_KEY_LINES, Picture, Spot


def build_radar_figure(picture: Picture, *, selected: str | None = None,
                       height: int = 720) -> go.Figure:
    """The whole radar: rings, quadrant lines and names, one numbered marker per trend."""
    bounds = ring_bounds(len(picture.rings))
    shapes = [{"type": "circle", "x0": -outer, "y0": -outer, "x1": outer, "y1": outer,
               "line": {"color": "#c8c8c8", "width": 1}, "layer": "below"}
              for _, outer in bounds]
    shapes += [{"type": "line", "x0": x0, "y0": y0, "x1": x1, "y1": y1,
                "line": {"color": "#c8c8c8"}, "layer": "below"}
               for x0, y0, x1, y1 in ((-1, 0, 1, 0), (0, -1, 0, 1))]
    annotations = [{"x": x, "y": y, "text": html.escape(name), "showarrow": False,
                    "font": {"size": 10, "color": "#888"}, "bgcolor": "white",
                    "yanchor": "middle"}   # on the axis, where blips keep clear
                   for name, x, y in picture.ring_names]
    annotations += [{"x": x, "y": y, "text": f"<b>{html.escape(name)}</b>", "showarrow": False,
                     "xanchor": xanchor, "yanchor": yanchor, "font": {"size": 14}}
                    for (x, y, xanchor, yanchor), name in zip(QUADRANT_CORNERS,
                                                              picture.quadrants, strict=True)]
    for spot in picture.spots:
        if spot.name_at:
            x, y, side = spot.name_at
            annotations.append({"x": x, "y": y, "text": html.escape(spot.item.label),
                                "showarrow": False,
                                "xanchor": "left" if side == "right" else "right",
                                "font": {"size": 10, "color": "#333"}})
    # Shapes and annotations given at once: added one by one, Plotly validates the whole
    # list again each time (a third of a second for a radar's names).
    figure = go.Figure(layout={"shapes": shapes, "annotations": annotations})
    # One trace per (status, decided): colour and symbol are then single values, which
    # Plotly validates once instead of once per blip.
    groups: dict[tuple[str, bool], list[Spot]] = {}
    for spot in picture.spots:
        groups.setdefault((spot.item.status, spot.item.decided), []).append(spot)
    for (status, decided), members in sorted(groups.items()):
        colour = STATUS_COLOURS.get(status, "#1f77b4")
        figure.add_trace(go.Scatter(
            x=[s.x for s in members], y=[s.y for s in members], mode="markers+text",
            customdata=[[s.item.id] for s in members],
            text=[str(s.number) for s in members], textposition="middle center",
            textfont={"size": [max(11, int(s.radius * height * 0.5)) for s in members],
                      "color": "white" if decided else colour},
            hovertext=[hover_text(s) for s in members], hoverinfo="text",
            marker={"size": [s.radius * height * 0.9 for s in members],
                    "color": colour if decided else "white",
                    "line": {"width": 1.5, "color": colour}},
            name=f"{status}{' (decided)' if decided else ''}", showlegend=False))
    chosen = [s for s in picture.spots if s.item.id == selected]
    if chosen:  # a black ring around the open trend
        figure.add_trace(go.Scatter(
            x=[chosen[0].x], y=[chosen[0].y], mode="markers", hoverinfo="skip",
            marker={"size": chosen[0].radius * height * 0.9 + 8, "symbol": "circle-open",
                    "color": "#000", "line": {"width": 3, "color": "#000"}},
            name="selected", showlegend=False))
    for marked, symbol, name in (([s for s in picture.spots if s.item.new], "star", "new"),
                                 ([s for s in picture.spots if s.item.moved],
                                  "triangle-up", "moved")):
        if marked:  # a small mark beside each blip new on the radar, or moved
            figure.add_trace(go.Scatter(
                x=[s.x + s.radius for s in marked], y=[s.y + s.radius for s in marked],
                mode="markers", marker={"symbol": symbol, "size": 9, "color": MARK_COLOUR},
                hoverinfo="skip", name=name, showlegend=False))
    figure.add_annotation(x=0.5, y=0, xref="paper", yref="paper", yanchor="top",
                          showarrow=False,
                          text="<br>".join(html.escape(line) for line in PICTURE_KEY_LINES),
                          font={"size": 11, "color": "#555"})
    figure.update_layout(
        height=height, margin={"l": 10, "r": 10, "t": 10, "b": 44},
        xaxis={"range": [-1.02, 1.02], "visible": False, "fixedrange": True},
        yaxis={"range": [-1.02, 1.02], "visible": False, "fixedrange": True,
               "scaleanchor": "x"},
        plot_bgcolor="white", dragmode=False, clickmode="event+select",
    )
    return figure


def hover_text(spot: Spot) -> str:
    """Number, name and the one-line detail; escaped because names come from feeds."""
    return (f"<b>{spot.number}. {html.escape(spot.item.label)}</b><br>"
            f"{html.escape(spot.item.detail)}")
