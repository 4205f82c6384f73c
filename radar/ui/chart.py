"""The radar in the page: `chart.render_radar_svg`'s picture in a small component that
tells the app which blip was clicked (or chosen with Enter), so the click opens the trend.

A few lines of script instead of a charting library: the radar paints as soon as the page
does. The SVG is built by `radar.chart` with every text escaped; the script only inserts
it and reports the `data-id` of the blip clicked.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from radar.chart import render_radar_svg
from radar.picture import Picture

SCRIPT = """
export default function ({ data, parentElement, setTriggerValue }) {
  let root = parentElement.querySelector(".radar");
  if (!root) {
    root = document.createElement("div");
    root.className = "radar";
    parentElement.appendChild(root);
  }
  if (root.drawn !== data.svg) {   // redrawn only when the picture changed
    root.innerHTML = data.svg;
    root.drawn = data.svg;
  }
  if (!data.clickable) return;
  const choose = (event) => {
    const blip = event.target.closest(".blip");
    if (blip) setTriggerValue("clicked", blip.dataset.id);
  };
  root.onclick = choose;
  root.onkeydown = (event) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      choose(event);
    }
  };
}
"""
STYLE = """
.radar svg { width: 100%; height: auto; max-height: 760px; display: block; }
.radar .blip { cursor: pointer; }
.radar .blip:hover circle, .radar .blip:focus circle { stroke-width: 0.012; }
.radar .blip:focus { outline: none; }
"""
_radar = st.components.v2.component("trend_radar.radar", js=SCRIPT, css=STYLE)


def radar_chart(picture: Picture, *, key: str, selected: str | None = None,
                on_click: Callable[[str], None] | None = None) -> None:
    """Draw the radar; with `on_click`, a click on a blip calls it with the trend's id
    before the page is drawn again (like a widget's callback)."""
    callbacks = {} if on_click is None else {
        "on_clicked_change": lambda: _clicked(key, on_click)}
    _radar(data={"svg": render_radar_svg(picture, selected=selected),
                 "clickable": on_click is not None}, key=key, **callbacks)


def _clicked(key: str, on_click: Callable[[str], None]) -> None:
    trend_id = (st.session_state.get(key) or {}).get("clicked")
    if trend_id:
        on_click(trend_id)
