"""How the briefing report looks: dark on screen like the wall, light on paper.

Printing drops backgrounds, so the dark theme printed light grey text on white and the
figures' legends vanished. `@media print` makes the HTML black on white; the figures are
Plotly SVG whose colours are inline, so each figure also carries a light layout
(`print_layout`) that the page swaps in while it prints (matchMedia('print'), beforeprint)
and swaps back after.
"""

from __future__ import annotations

from typing import Any

from dashboard import palette

# Dark ground and text colours of the figures' layouts -> their light print equivalents.
# Only layouts are swapped: the data's colours (fills, markers, labels on them) print as is.
PRINT_COLOURS = {
    palette.PAPER: "#ffffff",
    palette.PANEL: "#ffffff",
    palette.INK: "#111111",
    palette.MUTED: "#3d3d3d",
    palette.BORDER: "#8c8c8c",
    "rgba(13,17,23,0.8)": "rgba(255,255,255,0.9)",
}


def print_layout(value: Any) -> Any:
    """A figure layout with its dark ground and text colours made light-theme ones."""
    if isinstance(value, dict):
        return {key: print_layout(item) for key, item in value.items()}
    if isinstance(value, list):
        return [print_layout(item) for item in value]
    if isinstance(value, str):
        return PRINT_COLOURS.get(value, value)
    return value


# Swaps every figure (`window.skywatchFigures`: element id -> [screen, print] layout).
PRINT_SCRIPT = """
(function () {
  function paint(printing) {
    var figures = window.skywatchFigures || {};
    Object.keys(figures).forEach(function (id) {
      var element = document.getElementById(id);
      if (element && element.data) {
        Plotly.relayout(element, figures[id][printing ? 1 : 0]);
      }
    });
  }
  var query = window.matchMedia('print');
  query.addEventListener('change', function (event) { paint(event.matches); });
  window.addEventListener('beforeprint', function () { paint(true); });
  window.addEventListener('afterprint', function () { paint(false); });
})();
"""

CSS = f"""
body {{ background:{palette.PAPER}; color:{palette.INK}; font-family: system-ui, sans-serif;
  margin: 24px; max-width: 1400px; }}
h1 {{ font-size: 1.6rem; margin-bottom: 4px; }}
h2 {{ color:{palette.MUTED}; font-size: 1.1rem; margin-top: 28px; }}
.headline {{ font-size: 1.35rem; font-weight: 600; margin: 8px 0 2px; }}
.window {{ color:{palette.MUTED}; margin: 2px 0 14px; }}
.cards {{ display:grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; }}
.card {{ background:{palette.PANEL}; border: 1px solid {palette.BORDER}; border-radius: 8px;
  padding: 10px 14px; color:{palette.MUTED}; }}
.value {{ color:{palette.INK}; font-size: 2.4rem; font-weight: 700;
  font-variant-numeric: tabular-nums; }}
.figure {{ width: 100%; }}
table {{ border-collapse: collapse; width: 100%; }}
td, th {{ padding: 4px 8px; border-bottom: 1px solid {palette.BORDER}; text-align: right; }}
td:first-child, th:first-child {{ text-align: left; white-space: pre; }}
td.text, th.text {{ text-align: left; white-space: normal; }}
a {{ color: #79c0ff; }}
footer {{ color:{palette.MUTED}; font-size: 0.85rem; margin-top: 24px; }}
.source {{ color:{palette.MUTED}; font-size: 0.9rem; margin: 2px 0 6px; }}
ul.sources {{ padding-left: 1.2em; }}
@media print {{
  @page {{ margin: 14mm; }}
  body {{ background: #ffffff; color: #111111; margin: 0; max-width: none; font-size: 11pt; }}
  h2, .source, .window, footer, .card {{ color: #3d3d3d; }}
  .value {{ color: #111111; }}
  .card {{ background: #ffffff; border-color: #8c8c8c; }}
  td, th {{ border-bottom-color: #8c8c8c; }}
  a {{ color: #0b4f9c; }}
  /* The URL beside a source link: paper cannot be clicked. */
  ul.sources a[href]::after {{ content: " <" attr(href) ">"; word-break: break-all; }}
  .figure, table, .cards {{ break-inside: avoid; }}
  h2 {{ break-after: avoid; }}
  /* Plotly's ground is the first layer's background: white on paper whatever the layout
     says. (Only the first: the layers above it are transparent and must stay so.) */
  .js-plotly-plot .svg-container > .main-svg:first-child {{ background: #ffffff !important; }}
}}
"""
