"""What a report posts in Slack besides its workbook: the summary of its headline numbers
(bot/reports/messages.py summary) and its picture (bot/reports/picture.py), on a
hand-made report. The pictures are saved in test-artifacts/ to be looked at."""

import io
import subprocess
import sys
from datetime import date

import pytest
from PIL import Image

from bot import i18n
from bot.i18n import FIRST_STRONG_ISOLATE, POP_ISOLATE
from bot.reports import messages, picture
from bot.reports.files import Sheet
from bot.reports.periods import quarter
from bot.reports.values import Charts, Report, Request, Totals
from support import ROOT

ARTIFACTS = ROOT / "test-artifacts"
TOTALS = Totals(
    accounts=50,
    arr=1_250_000,
    arr_at_risk=300_000,
    renewals_due=3,
    renewals_arr=210_000,
    calls=412,
    grades=37,
    average_points=2.86,
)
ARR = (900_000, 940_000, 1_010_000, 1_050_000, 1_020_000, 1_120_000, 1_180_000, 1_250_000)


def report(title: str = "Account report, Q4 2026 (all accounts)", **totals) -> Report:
    """A report of Q4 2026 with TOTALS (changed by `totals`) and the eight quarters of
    ARR, labelled in the language spoken now."""
    period = quarter(date(2026, 11, 30))
    quarters = [quarter(date(year, month, 1)) for year in (2025, 2026) for month in (1, 4, 7, 10)]
    charts = Charts(
        arr_by_quarter=[(q.label, arr) for q, arr in zip(quarters, ARR, strict=True)],
        renewals_by_quarter=[(period.label, 210_000, 90_000)],
        grade_distribution=[],
        average_by_month=[],
    )
    totals = Totals(**{**TOTALS.__dict__, **totals})
    return Report(title, Request(period, None), totals, [], [], Sheet("Accounts", (), []), charts)


# -- the summary


def test_the_summary_gives_the_title_and_headline_numbers():
    assert messages.summary(report()) == (
        "*Account report, Q4 2026 (all accounts)*\n"
        "• Accounts: 50\n"
        "• ARR: 1,250,000, of which at risk: 300,000\n"
        "• Renewals due: 3, with 210,000 of ARR\n"
        "• Calls: 412. Grades: 37\n"
        "• Average grade: B (2.86 points)"
    )


@pytest.mark.parametrize(("points", "grade"), [(4.3, "A+"), (2.86, "B"), (2.8, "B-"), (0.3, "F")])
def test_the_average_grade_is_the_scales_nearest_letter(points, grade):
    assert f"Average grade: {grade} (" in messages.summary(report(average_points=points))


def test_a_period_without_grades_has_no_average():
    assert messages.summary(report(grades=0, average_points=None)).endswith(
        "• Average grade: none in the period"
    )


def test_the_title_is_escaped_and_kept_short():
    """The title carries an owner's name, which is user text: it pings no one."""
    typed = report(title="Account report, Q4 2026 (accounts of <!channel> & <@U0002>)")
    shown = messages.summary(typed).splitlines()[0]
    assert shown == "*Account report, Q4 2026 (accounts of &lt;!channel&gt; &amp; &lt;@U0002&gt;)*"
    assert len(messages.summary(report(title="&" * 5000))) < 1000


def test_numbers_are_in_the_readers_digits_and_isolated():
    with i18n.speaking("fa"):
        shown = messages.summary(report())
    assert f"{FIRST_STRONG_ISOLATE}۱٬۲۵۰٬۰۰۰{POP_ISOLATE}" in shown
    assert f"{FIRST_STRONG_ISOLATE}B{POP_ISOLATE}" in shown
    figures = "".join(shown.splitlines()[1:])  # after the title, typed here in English
    assert not any(digit in figures for digit in "0123456789")


# -- the picture


def drawn(language: str, **totals) -> Image.Image:
    """The picture of report(**totals) for a reader of `language`, saved to be looked at."""
    with i18n.speaking(language):
        content = picture.png(report(**totals))
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"report-picture-{language}.png").write_bytes(content)
    return Image.open(io.BytesIO(content)).convert("RGB")


def risk_columns(image: Image.Image) -> list[int]:
    """The x of each column with a pixel of the ARR-at-risk colour just above the axis
    (the legend's key, at the top, is red too)."""
    red = tuple(int(picture.RISK_COLOUR[i : i + 2], 16) for i in (1, 3, 5))
    width, height = image.size
    pixels = image.load()
    rows = range(height * 3 // 4, height * 9 // 10)
    return [x for x in range(width) if any(pixels[x, y] == red for y in rows)]


@pytest.mark.parametrize("language", ["en", "fa", "ar", "vi"])
def test_the_picture_is_a_png_of_the_expected_size_and_not_blank(language):
    image = drawn(language)
    assert image.size == (1200, 675)
    assert len(image.getcolors(maxcolors=1_000_000)) > 50  # bars, text, antialiasing
    assert risk_columns(image)


@pytest.mark.parametrize(("language", "side"), [("en", "right"), ("fa", "left"), ("ar", "left")])
def test_the_periods_quarter_is_last_in_the_readers_direction(language, side):
    """Its bar, with the ARR at risk in red, ends the row: on the right for left-to-right
    readers, on the left for right-to-left ones."""
    columns = risk_columns(drawn(language))
    middle = 1200 // 2
    assert all(x > middle for x in columns) if side == "right" else all(x < middle for x in columns)


def test_no_arr_at_risk_draws_no_red():
    assert risk_columns(drawn("en", arr_at_risk=0)) == []


def test_a_report_without_quarters_still_draws():
    empty = report()
    empty = Report(**{**empty.__dict__, "charts": Charts([], [], [], [])})
    image = Image.open(io.BytesIO(picture.png(empty)))
    assert image.size == (1200, 675)


def test_matplotlib_is_imported_only_when_a_picture_is_drawn():
    """Start-up stays fast: importing the module imports no matplotlib."""
    code = "import sys, bot.reports.picture; print('matplotlib' in sys.modules)"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert shown.stdout.strip() == "False", shown.stderr


# -- posted with the workbook


def test_one_upload_carries_the_picture_the_workbook_and_the_summary(fake, client):
    """What the report sends: one files_upload_v2 call, each file's bytes recorded by the
    fake Slack, the summary as the comment."""
    text = messages.summary(report())
    image = picture.png(report())
    client.files_upload_v2(
        channel="D0001",
        file_uploads=[
            {"file": image, "filename": "rapport-report-2026-Q4.png", "title": "ARR by quarter"},
            {"file": b"PK workbook", "filename": "rapport-report-2026-Q4.xlsx", "title": "Report"},
        ],
        initial_comment=text,
    )
    uploads = {upload.filename: upload.content for upload in fake.uploads.values()}
    assert uploads == {
        "rapport-report-2026-Q4.png": image,
        "rapport-report-2026-Q4.xlsx": b"PK workbook",
    }
    (completed,) = fake.calls_to("files.completeUploadExternal")
    assert completed.args["initial_comment"] == text
    assert len(completed.args["files"]) == 2
