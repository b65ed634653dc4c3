"""The report workbook's Charts worksheet: four small tables of a report's `Charts`, and a
native chart over each (openpyxl's, so Excel and LibreOffice can edit them): ARR by
quarter, renewals by quarter, grade distribution, average grade over time. Tables are on
the left, one under the other; charts on the right, two by two; printed on one page."""

from typing import TYPE_CHECKING

from bot import i18n
from bot.grades import scale
from bot.i18n import _
from bot.reports.files import WIDEST, Cells, Column, lay_out

if TYPE_CHECKING:
    from bot.reports.values import Charts

WIDTH, HEIGHT = 16, 7.5  # centimetres, each chart
ANCHORS = ("E2", "O2", "E18", "O18")  # the charts' top-left cells, two by two
# Fill colours, fixed so that the two series of a chart differ everywhere they are shown.
BLUE, ORANGE, GREEN, PURPLE = "4472C4", "ED7D31", "70AD47", "7030A0"


def add(workbook, charts: "Charts") -> None:
    """A "Charts" worksheet at the end of a workbook (write-only or not), in the reader's
    language."""
    # Translators: a worksheet's name, at most 31 characters, none of : \ / ? * [ ]
    worksheet = workbook.create_sheet(_("Charts"))
    lay_out(worksheet, pages_tall=1)
    for column in "ABC":
        worksheet.column_dimensions[column].width = 18
    tables = _Tables(worksheet)
    quarter, month = _("Quarter"), _("Month")
    arr = tables.add((Column(quarter), Column(_("ARR"), "money")), charts.arr_by_quarter)
    renewals = tables.add(
        (
            Column(quarter),
            Column(_("ARR renewing"), "money"),
            Column(_("New accounts ARR"), "money"),
        ),
        charts.renewals_by_quarter,
    )
    grades = tables.add(
        (Column(_("Grade")), Column(_("Grades given"), "number")), charts.grade_distribution
    )
    average = tables.add(
        (Column(month), Column(_("Average points"), "points")), charts.average_by_month
    )
    drawn = (
        _bars(arr, _("ARR by quarter"), quarter, _("ARR"), (BLUE,)),
        _bars(renewals, _("Renewals by quarter"), quarter, _("ARR"), (ORANGE, GREEN)),
        _bars(grades, _("Grade distribution"), _("Grade"), _("Grades given"), (BLUE,)),
        _line(average, _("Average grade over time"), month, _("Points")),
    )
    for chart, anchor in zip(drawn, ANCHORS, strict=True):
        chart.width, chart.height = WIDTH, HEIGHT
        worksheet.add_chart(chart, anchor)


class _Tables:
    """Tables appended one under the other (a write-only worksheet is written top down),
    each remembered by where it is: (worksheet, header row, last row, columns)."""

    def __init__(self, worksheet):
        self.worksheet = worksheet
        self.next_row = 1

    def add(self, columns: tuple[Column, ...], rows: list[tuple]):
        """A table of `columns` (headers bold, numbers in their column's format, text as
        text) and where it is."""
        cells = Cells(self.worksheet, columns, [WIDEST] * len(columns))
        self.worksheet.append(cells.header())
        for row in rows:
            self.worksheet.append(cells.row(row))
        header = self.next_row
        self.next_row += len(rows) + 2  # a blank row between tables
        self.worksheet.append([])
        return self.worksheet, header, header + len(rows), len(columns)


def _filled(chart, title: str, category_title: str, value_title: str, table):
    """`chart` over `table`: its first column the categories, the others the series (named
    by their headers); titles set, both axes shown."""
    from openpyxl.chart import Reference

    worksheet, header, last, columns = table
    chart.title = title
    chart.x_axis.title, chart.y_axis.title = category_title, value_title
    # openpyxl 3.1 marks axes deleted unless told: Excel then draws a chart without them.
    chart.x_axis.delete = chart.y_axis.delete = False
    if i18n.language() in i18n.RIGHT_TO_LEFT:
        # Read from the right, as the sheet is: the first category, and the value axis
        # crossing there, on the right.
        chart.x_axis.scaling.orientation = "maxMin"
    data = Reference(worksheet, min_col=2, max_col=columns, min_row=header, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(worksheet, min_col=1, min_row=header + 1, max_row=last))
    return chart


def _bars(table, title: str, category_title: str, value_title: str, colours: tuple[str, ...]):
    """A column chart; with several series, their columns side by side."""
    from openpyxl.chart import BarChart

    chart = _filled(BarChart(), title, category_title, value_title, table)
    chart.type, chart.grouping = "col", "clustered"
    chart.y_axis.scaling.min = 0  # else LibreOffice may start near the lowest, and mislead
    if len(colours) == 1:
        chart.legend = None  # one series: its name is the axis title
    for series, colour in zip(chart.series, colours, strict=True):
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
    return chart


def _line(table, title: str, category_title: str, value_title: str):
    """A line with markers on the grade scale's points, broken where a month has none."""
    from openpyxl.chart import LineChart
    from openpyxl.chart.marker import Marker
    from openpyxl.chart.shapes import GraphicalProperties

    chart = _filled(LineChart(), title, category_title, value_title, table)
    chart.display_blanks = "gap"
    chart.legend = None
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, max(scale.POINTS.values())
    [series] = chart.series
    series.graphicalProperties.line.solidFill = PURPLE
    series.graphicalProperties.line.width = 28575  # EMU: 2.25 points
    series.marker = Marker(symbol="circle", size=7)
    series.marker.graphicalProperties = GraphicalProperties(solidFill=PURPLE)
    series.marker.graphicalProperties.line.solidFill = PURPLE
    series.smooth = False
    return chart
