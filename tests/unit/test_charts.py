"""The review's charts count touches: their axes show whole numbers only."""

from __future__ import annotations

import re

import pytest

from topofmind.web.charts import Bar, bar_chart, paired_bars


def axis_values(svg: str) -> list[str]:
    return re.findall(r'text-anchor="end" fill="[^"]+">([^<]+)</text>', svg)


@pytest.mark.parametrize("highest", [1, 2, 3, 4, 5, 7, 10, 13, 24, 60, 240])
def test_bar_chart_axis_shows_whole_numbers_up_to_the_tallest_bar(highest: int) -> None:
    svg = str(bar_chart([Bar(label="Mon", value=highest)], title="t", chart_id="c"))
    values = axis_values(svg)
    assert values[0] == "0"
    assert float(values[-1]) >= highest
    assert all(float(v).is_integer() for v in values), values


def test_paired_bars_axis_shows_whole_numbers() -> None:
    svg = str(paired_bars([("9 Nov", 1, 0)], names=("Asks sent", "Answered"), title="t", chart_id="c"))
    assert axis_values(svg) == ["0", "1"]
