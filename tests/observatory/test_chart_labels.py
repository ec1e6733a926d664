"""The bar charts' labels never run into each other, whatever the numbers."""

from __future__ import annotations

import itertools
import re

import pytest

from community.observatory.trends import Series, bar_chart


@pytest.mark.parametrize(
    "values",
    [
        [None, 12, 1234, 99999, None, 7, 8, 10000, 5, None, 123456, 9],
        [5, 6, 7],
        list(range(24)),
    ],
)
def test_value_labels_fit_their_slot(values) -> None:
    months = [
        f"2026-{m:02d}" if m <= 12 else f"2027-{m - 12:02d}" for m in range(1, len(values) + 1)
    ]
    svg = str(bar_chart(Series("k", "K", months, values, None), "t", "d", "trop peu"))
    labels = re.findall(r'<text x="([\d.]+)" y="([\d.]+)" class="bar-value"[^>]*>([^<]*)<', svg)
    step = (320 - 16) / len(values)
    boxes = sorted((float(x) - len(t) * 2.75, float(x) + len(t) * 2.75) for x, _, t in labels)
    for (_, right), (left, _) in itertools.pairwise(boxes):
        assert right <= left, svg
    assert all(len(t) * 5.5 <= step - 2 for _, _, t in labels)
    assert "trop peu" not in svg.split("</desc>", 1)[1]  # hidden bars carry no long word
