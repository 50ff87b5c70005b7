#!/usr/bin/env python3
"""Writes fixtures/formats/: one small survey saved the ways real exports come.

The source is the first 60 respondents of examples/demo/staff.csv (Danish role and unit
names with æ, ø and å, missing answers). Every file must give relcap identical results:
- utf8.csv                     clean UTF-8, ",", LF
- windows1252_semicolon.csv    Windows-1252, ";", CRLF (Danish Excel's "CSV (semikolonsepareret)")
- utf8_bom.csv                 UTF-8 with BOM, ","
- utf16.txt                    UTF-16LE with BOM, TAB (Excel's "Unicode text")
- qualtrics.csv                three header rows: names, question texts, ImportId JSON
- labels.csv                   answers as Danish and English text labels instead of numbers
- survey.xlsx                  a workbook whose data sheet is "Dataset" (SurveyXact style)

Run: python3 scripts/make_format_fixtures.py   (needs openpyxl)
"""
import csv
import io
import json

from openpyxl import Workbook

with open("examples/demo/staff.csv", encoding="utf-8", newline="") as f:
    rows = list(csv.reader(f))
header, data = rows[0], rows[1:61]
OUT = "fixtures/formats/"


def text(rows, delimiter=",", lineterminator="\n"):
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator=lineterminator).writerows(rows)
    return buf.getvalue()


table = [header] + data
open(OUT + "utf8.csv", "w", encoding="utf-8", newline="").write(text(table))
open(OUT + "windows1252_semicolon.csv", "w", encoding="cp1252", newline="").write(
    text(table, ";", "\r\n"))
open(OUT + "utf8_bom.csv", "w", encoding="utf-8-sig", newline="").write(text(table))
open(OUT + "utf16.txt", "w", encoding="utf-16", newline="").write(text(table, "\t", "\r\n"))

questions = [f"Hvordan oplever du {h.split(':')[1]}? ({h.split(':')[0]})" if ":" in h else h
             for h in header]
imports = [json.dumps({"ImportId": f"QID{i}"}) for i in range(len(header))]
open(OUT + "qualtrics.csv", "w", encoding="utf-8", newline="").write(
    text([header, questions, imports] + data))

LABELS = {  # value -> label, alternating Danish and English sets per dimension
    "frequent": {1: "Not nearly enough", 2: "Much too often", 3: "Not enough", 4: "Too often",
                 5: "Just the right amount"},
    "timely": {1: "Aldrig", 2: "Sjældent", 3: "Nogle gange", 4: "Ofte", 5: "Altid"},
    "accurate": {1: "Never", 2: "Rarely", 3: "Sometimes", 4: "Often", 5: "Always"},
    "problem_solving": {1: "Always blame", 2: "Mostly blame", 3: "Neither blame nor solve",
                        4: "Mostly solve", 5: "Always solve"},
    "shared_goals": {1: "Slet ikke", 2: "Lidt", 3: "Noget", 4: "Meget", 5: "Fuldstændigt"},
    "shared_knowledge": {1: "Nothing", 2: "a little", 3: "SOME", 4: "A lot", 5: "Everything"},
    "mutual_respect": {1: "Not at all", 2: "A little", 3: "Somewhat", 4: " A  lot ", 5: "Completely"},
}
labelled = []
for row in data:
    out = []
    for h, v in zip(header, row):
        dim = h.split(":")[0] if ":" in h else None
        if dim == "leadership" and v.isdigit():
            out.append(["Helt uenig", "Uenig", "Hverken enig eller uenig", "Enig", "Helt enig"][int(v) - 1])
        else:
            out.append(LABELS[dim][int(v)] if dim and v.isdigit() else v)
    labelled.append(out)
open(OUT + "labels.csv", "w", encoding="utf-8", newline="").write(text([header] + labelled))

wb = Workbook()
wb.active.title = "Variables"
wb.active.append(["Variable", "Description"])
ws = wb.create_sheet("Dataset")
ws.append(header)
for row in data:
    ws.append([int(v) if v.isdigit() else (v if v != "" else None) for v in row])
wb.save(OUT + "survey.xlsx")
print("wrote", OUT)
