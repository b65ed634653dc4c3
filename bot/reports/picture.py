"""The picture posted with a report's summary in Slack: ARR by quarter as bars, the
period's quarter marked with its ARR at risk and the ARR renewing in it, in the reader's
language. Drawn by matplotlib on its Agg canvas; matplotlib (3.11 on) shapes Persian and
Arabic and lays them right to left itself, in its own DejaVu Sans, which has their
letters and Vietnamese's."""

import io
import textwrap

from bot import i18n
from bot.i18n import _, number
from bot.reports.values import Report

# 1200 x 675 pixels: wide enough for eight quarters' labels, as Slack previews it.
INCHES, DPI = (8, 4.5), 150
ARR_COLOUR, CURRENT_COLOUR, RISK_COLOUR = "#9db4d3", "#2f5d9a", "#c0392b"
# Longer quarter labels ("الربع 3 من 2026") are wrapped so that eight fit side by side.
LABEL_WIDTH = 10


def png(report: Report) -> bytes:
    """The chart of `report` as a PNG image."""
    # Imported here: matplotlib takes a while to import, and only a report needs it.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter

    right_to_left = i18n.language() in i18n.RIGHT_TO_LEFT
    side = "right" if right_to_left else "left"
    labels = [textwrap.fill(label, LABEL_WIDTH) for label, _arr in report.charts.arr_by_quarter]
    values = [arr for _label, arr in report.charts.arr_by_quarter]
    at_risk = min(report.totals.arr_at_risk, values[-1]) if values else 0

    figure = Figure(figsize=INCHES, dpi=DPI, layout="constrained")
    axes = figure.add_subplot()
    colours = [ARR_COLOUR] * (len(values) - 1) + [CURRENT_COLOUR] * bool(values)
    bars = axes.bar(labels, values, color=colours)
    risk = axes.bar(labels[-1:], [at_risk] * bool(values), color=RISK_COLOUR)
    axes.bar_label(bars, [number(value) for value in values], padding=2, fontsize=7)
    if at_risk:
        axes.bar_label(risk, [number(at_risk)], label_type="center", color="white", fontsize=7)
    if report.charts.renewals_by_quarter:
        quarter, renewing, _new = report.charts.renewals_by_quarter[0]
        axes.set_title(
            _("Renewing in {quarter}: {arr}").format(quarter=quarter, arr=number(renewing)),
            loc=side,
            fontsize=9,
        )
    figure.suptitle(_("ARR by quarter"), x=0.98 if right_to_left else 0.02, ha=side)
    axes.legend(
        handles=[
            Patch(color=CURRENT_COLOUR, label=_("ARR")),
            Patch(color=RISK_COLOUR, label=_("ARR at risk")),
        ],
        loc="upper right" if right_to_left else "upper left",
        markerfirst=not right_to_left,
        fontsize=8,
        frameon=False,
    )
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _position: number(value)))
    axes.tick_params(labelsize=8)
    axes.margins(y=0.2)  # room above the bars for their labels and the legend
    axes.spines[["top", "left" if right_to_left else "right"]].set_visible(False)
    if right_to_left:  # time runs the way they read: the latest quarter on the left
        axes.invert_xaxis()
        axes.yaxis.tick_right()
    out = io.BytesIO()
    FigureCanvasAgg(figure).print_png(out)
    return out.getvalue()
