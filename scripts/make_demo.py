#!/usr/bin/env python3
"""Writes examples/demo/staff.csv: a realistic, made-up staff survey in the default convention.

Three municipalities, eleven units, seven roles with Danish names. Built in:
- within-role ties rated higher than between-role ties, and asymmetric role pairs
  (Jobkonsulent -> Familierådgiver low, the reverse moderate);
- leaders rating coordination higher than staff (Hornstrup's observation);
- units that differ, and one unit (Sorø, Sundhedsplejen) with only 3 respondents,
  under the default min-n of 5;
- missing answers as blanks, "Ved ikke" and "Ikke relevant", whole roles left
  unrated ("Ikke relevant"), and two respondents who answered nothing.
Deterministic (seeded, standard library only): python3 scripts/make_demo.py
"""
import csv
import random

random.seed(20261122)
DIMS = ["frequent", "timely", "accurate", "problem_solving",
        "shared_goals", "shared_knowledge", "mutual_respect"]
ROLES = ["Jobkonsulent", "Familierådgiver", "Socialrådgiver", "PPR-psykolog",
         "Sundhedsplejerske", "Lærer", "Pædagog"]
UNITS = {
    "Hedensted": [("Jobcenter", 24, ["Jobkonsulent", "Socialrådgiver"], 0.2),
                  ("Familieafdelingen", 22, ["Familierådgiver", "Socialrådgiver"], 0.0),
                  ("PPR", 12, ["PPR-psykolog"], 0.3),
                  ("Skoleområdet", 26, ["Lærer", "Pædagog"], -0.1)],
    "Sorø": [("Jobcenter", 18, ["Jobkonsulent", "Socialrådgiver"], -0.3),
             ("Børn og Familie", 16, ["Familierådgiver", "Socialrådgiver"], -0.2),
             ("Sundhedsplejen", 3, ["Sundhedsplejerske"], 0.0),
             ("Dagtilbud", 14, ["Pædagog"], 0.1)],
    "Brønderslev": [("Myndighed", 20, ["Socialrådgiver", "Familierådgiver"], 0.1),
                    ("Almene tilbud", 25, ["Lærer", "Pædagog", "Sundhedsplejerske"], 0.2),
                    ("Beskæftigelse", 15, ["Jobkonsulent"], 0.0)],
}
# Pairs that work worse than the rest: (rater, target) -> shift.
PAIR_SHIFT = {("Jobkonsulent", "Familierådgiver"): -0.9, ("Familierådgiver", "Jobkonsulent"): -0.3,
              ("Lærer", "PPR-psykolog"): -0.6, ("PPR-psykolog", "Lærer"): 0.2,
              ("Socialrådgiver", "Jobkonsulent"): -0.4, ("Pædagog", "Sundhedsplejerske"): 0.3}
DIM_SHIFT = {"frequent": -0.3, "timely": -0.2, "accurate": 0.1, "problem_solving": -0.1,
             "shared_goals": 0.0, "shared_knowledge": -0.4, "mutual_respect": 0.4}


def answer(level):
    x = round(random.gauss(level, 0.7))
    return str(min(5, max(1, x)))


rows = []
n = 0
for muni, units in UNITS.items():
    for unit, size, roles, unit_shift in units:
        for i in range(size):
            n += 1
            role = roles[i % len(roles)]
            leader = i == 0 and size >= 10
            person = random.gauss(0, 0.35) + (0.35 if leader else 0.0)
            row = {"respondent": f"{muni[:3].upper()}-{n:04d}", "municipality": muni,
                   "unit": unit, "role": role, "position": "leder" if leader else "medarbejder"}
            silent = n in (17, 131)
            for target in ROLES:
                works_with = target == role or random.random() < 0.8
                for d in DIMS:
                    col = f"{d}:{target}"
                    if silent:
                        row[col] = ""
                    elif not works_with:
                        row[col] = "Ikke relevant"
                    elif random.random() < 0.07:
                        row[col] = random.choice(["", "Ved ikke", "Ved ikke", "NA"])
                    else:
                        level = 3.7 + unit_shift + person + DIM_SHIFT[d] \
                            + (0.45 if target == role else 0.0) + PAIR_SHIFT.get((role, target), 0.0)
                        row[col] = answer(level)
            rows.append(row)

header = ["respondent", "municipality", "unit", "role", "position"] + \
    [f"{d}:{t}" for t in ROLES for d in DIMS]
with open("examples/demo/staff.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
print(f"wrote examples/demo/staff.csv: {len(rows)} respondents")
