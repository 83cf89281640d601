"""Charts drawn on the server as SVG by pygal, made fit for the page.

The SVG goes inline, so it must obey the site's Content-Security-Policy (no inline styles or
scripts): pygal's <style> and script are left out and static/css/site.css draws the chart. It is
one image to assistive technology (role="img", a <title> and a <desc>); the numbers are in a
table beside it. Nothing in it comes from user input: month names and numbers only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pygal
from markupsafe import Markup, escape

STYLE_BLOCK = re.compile(r"<style[^>]*>.*?</style>|<!--.*?-->|<script[^>]*>.*?</script>", re.S)
INLINE_STYLE = re.compile(r'\sstyle="[^"]*"')
SVG_OPEN = re.compile(r"<svg ([^>]*)>")
MAX_X_LABELS = 6


def _config(kind):
    """A plain, script-free chart."""
    return kind(
        js=[],
        disable_xml_declaration=True,
        show_legend=False,
        width=640,
        height=300,
        margin=16,
        x_label_rotation=0,
        truncate_label=-1,
        print_values=False,
        show_y_guides=True,
        explicit_size=False,
        no_prefix=True,
        css=[],
    )


def chart_svg(
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    values: Sequence[float],
    kind: str = "bar",
) -> Markup:
    """One series as an accessible inline SVG chart."""
    chart = _config(pygal.Line if kind == "line" else pygal.Bar)
    chart.x_labels = list(labels)
    if len(labels) > MAX_X_LABELS:
        chart.config.x_labels_major_count = MAX_X_LABELS
        chart.config.show_minor_x_labels = False
    if all(float(v).is_integer() for v in values):
        top = max([int(v) for v in values] + [1])
        step = max(1, -(-top // 5))
        chart.config.y_labels = list(range(0, top + step, step))
    chart.add(title, list(values))
    svg = chart.render(is_unicode=True)
    svg = INLINE_STYLE.sub("", STYLE_BLOCK.sub("", svg)).replace("<title>Pygal</title>", "")
    head = (
        f'<svg \\1 role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'class="chart chart-{kind}">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
    )
    svg = SVG_OPEN.sub(head, svg, count=1)
    svg = svg.replace('id=""', f'id="{chart_id}"', 1).replace('class="pygal-chart"', "", 1)
    return Markup(svg)  # noqa: S704 - built here from numbers and our own words, escaped above
