"""A readable PDF of one customer's data (right of access), drawn with reportlab.

Takes the same sections as the JSON export: a list of ``(title, rows)`` where ``rows`` is a
list of records, each a list of ``(label, value)`` pairs. Chinese text uses reportlab's
built-in STSong-Light CID font, so no font file is needed on the server.
"""

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import KeepTogether

FONT = "STSong-Light"


def _styles():
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return {
        "title": ParagraphStyle("title", fontName=FONT, fontSize=16, leading=22, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", fontName=FONT, fontSize=9, textColor=colors.grey),
        "section": ParagraphStyle(
            "section", fontName=FONT, fontSize=12, leading=16, spaceBefore=8, spaceAfter=4
        ),
        "cell": ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=12),
        "empty": ParagraphStyle("empty", fontName=FONT, fontSize=9, textColor=colors.grey),
    }


def _escape(value):
    text = "" if value in (None, False) else str(value)
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")
    )


def render(title, subtitle, sections, empty_text):
    """Return the PDF bytes."""
    styles = _styles()
    stream = io.BytesIO()
    doc = SimpleDocTemplate(
        stream,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=title,
    )
    story = [
        Paragraph(_escape(title), styles["title"]),
        Paragraph(_escape(subtitle), styles["subtitle"]),
    ]
    for section_title, rows in sections:
        block = [Paragraph(_escape(section_title), styles["section"])]
        if not rows:
            block.append(Paragraph(_escape(empty_text), styles["empty"]))
        for pairs in rows:
            data = [
                [
                    Paragraph(_escape(label), styles["cell"]),
                    Paragraph(_escape(value), styles["cell"]),
                ]
                for label, value in pairs
            ]
            table = Table(data, colWidths=[50 * mm, 120 * mm])
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.25, colors.lightgrey),
                        ("BACKGROUND", (0, 0), (0, -1), colors.whitesmoke),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            block += [table, Spacer(1, 3 * mm)]
        story.append(KeepTogether(block[:2]))
        story.extend(block[2:])
    doc.build(story)
    return stream.getvalue()
