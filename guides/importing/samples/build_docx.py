"""Builds the sample Word article, asking-for-a-second-opinion.docx, with
python-docx (a dev dependency): the tests build it into a temporary folder,
so no binary .docx is checked in.

    python guides/importing/samples/build_docx.py OUT_DIR
"""

import io
import sys
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.shared import Cm
from PIL import Image, ImageDraw

FILE_NAME = "asking-for-a-second-opinion.docx"


def _picture():
    image = Image.new("RGB", (240, 160), (226, 238, 246))
    draw = ImageDraw.Draw(image)
    draw.rectangle((30, 40, 210, 130), outline=(40, 90, 140), width=4)
    draw.ellipse((100, 60, 140, 100), fill=(40, 90, 140))
    data = io.BytesIO()
    image.save(data, format="PNG")
    data.seek(0)
    return data


def build(folder):
    """Writes the sample into `folder` and returns its path."""
    doc = Document()
    doc.add_paragraph("Asking for a second opinion", style="Title")
    doc.add_paragraph(
        "A second opinion is when another specialist looks at your diagnosis or treatment plan. "
        "Many people ask for one, and it rarely delays treatment."
    )
    doc.add_heading("Why people ask for a second opinion", level=2)
    reasons = [
        (
            "You want to be sure of the diagnosis.",
            "Some cancers are rare or hard to classify. Another pathologist can review your samples [1].",
        ),
        (
            "You were offered more than one option.",
            "Hearing a second view can help you weigh up the choices with your family.",
        ),
        (
            "You would like to hear about clinical trials.",
            "A specialist centre may know of trials that are not offered locally.",
        ),
    ]
    for number, (title, text) in enumerate(reasons, start=1):
        title_paragraph = doc.add_paragraph()
        title_paragraph.add_run(f"{number}. {title}").bold = True
        doc.add_paragraph(text)

    doc.add_heading("How long it usually takes", level=2)
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Stage"
    table.rows[0].cells[1].text = "Typical time"
    # Word's "Repeat as header row": mammoth makes it the table's <th> row.
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for stage, time in [
        ("Asking your team for a referral", "One appointment"),
        ("Records sent to the second specialist", "One to two weeks"),
        ("Second opinion appointment", "Two to four weeks"),
    ]:
        cells = table.add_row().cells
        cells[0].text = stage
        cells[1].text = time

    doc.add_picture(_picture(), width=Cm(6))
    doc.paragraphs[-1].runs[0]._r.xpath("./w:drawing//wp:docPr")[0].set(
        "descr", "A doctor reviewing scan images on a screen"
    )

    doc.add_heading("Frequently asked questions", level=2)
    faq = [
        (
            "Will my doctor be offended if I ask?",
            "No. Doctors are used to second opinions and most welcome them.",
        ),
        (
            "Do I have to pay for a second opinion?",
            "In many public health systems it is free when your doctor refers you. Check before you book.",
        ),
    ]
    for question, answer in faq:
        doc.add_paragraph().add_run(question).bold = True
        doc.add_paragraph(answer)

    doc.add_heading("References", level=2)
    doc.add_paragraph(
        "Payne K, Ortiz L. Diagnostic changes after expert pathology review. "
        "Journal of Clinical Oncology. 2021. doi:10.1200/JCO.20.01234",
        style="List Number",
    )

    doc.add_heading("Final note", level=2)
    doc.add_paragraph(
        "Asking for a second opinion is your right. You can stay with your current team "
        "whatever the second specialist says."
    )
    doc.add_paragraph(
        "Disclaimer: This guide is general information and does not replace advice from your own doctor."
    )
    Path(folder).mkdir(parents=True, exist_ok=True)
    path = Path(folder) / FILE_NAME
    doc.save(path)
    return path


if __name__ == "__main__":
    print(build(sys.argv[1] if len(sys.argv) > 1 else "."))
