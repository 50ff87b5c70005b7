#!/usr/bin/env python3
"""Writes examples/demo/staff-2025.csv: the demo staff survey a year later.

The demo municipalities spent the year on the Jobkonsulent <-> Familierådgiver relation, so
in the second wave:
- those two roles rate each other one step higher in about 60 % of their answers (the
  planted change; everything else moves by chance only, +-1 in 10 % of the answers);
- 85 % of the respondents answer again with the same id (paired), 15 % have left, and a
  few newcomers answer for the first time (independent).
Deterministic (seeded, standard library only): python3 scripts/make_demo_wave2.py
"""
import csv
import random

random.seed(2025)
FOCUS = {("Jobkonsulent", "Familierådgiver"), ("Familierådgiver", "Jobkonsulent")}

with open("examples/demo/staff.csv", encoding="utf-8", newline="") as f:
    rows = list(csv.reader(f))
header, data = rows[0], rows[1:]
role_at = header.index("role")


def move(value, role, target):
    if not value.isdigit():
        return value
    v = int(value)
    if (role, target) in FOCUS and random.random() < 0.6:
        v += 1
    elif random.random() < 0.1:
        v += random.choice([-1, 1])
    return str(min(5, max(1, v)))


out = []
for row in data:
    if random.random() < 0.15:
        continue  # left the organization
    new = row[:5]
    for name, value in zip(header[5:], row[5:]):
        target = name.split(":", 1)[1] if ":" in name and not name.startswith("leadership") else None
        new.append(move(value, row[role_at], target) if target else value)
    out.append(new)
# Newcomers: copies of a colleague's answers with a new id, moved like everyone else's.
for i, row in enumerate(random.sample(data, 12)):
    new = [f"NY-{i + 1:03d}"] + row[1:5]
    for name, value in zip(header[5:], row[5:]):
        target = name.split(":", 1)[1] if ":" in name and not name.startswith("leadership") else None
        new.append(move(value, row[role_at], target) if target else value)
    out.append(new)

with open("examples/demo/staff-2025.csv", "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(header)
    w.writerows(out)
print(f"wrote examples/demo/staff-2025.csv: {len(out)} respondents")
