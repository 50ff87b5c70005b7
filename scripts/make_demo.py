#!/usr/bin/env python3
"""Writes examples/demo/: a realistic, made-up staff survey and leader-relations file.

staff.csv is in the default convention; leaders.csv in the long leaders layout.

Three municipalities, eleven units, seven roles with Danish names. Built in:
- within-role ties rated higher than between-role ties, and asymmetric role pairs
  (Jobkonsulent -> Familierådgiver low, the reverse moderate);
- leaders rating coordination higher than staff (Hornstrup's observation);
- units that differ, and one unit (Sorø, Sundhedsplejen) with only 3 respondents,
  under the default min-n of 5;
- missing answers as blanks, "Ved ikke" and "Ikke relevant", whole roles left
  unrated ("Ikke relevant"), and two respondents who answered nothing.
- staff rating their own leader on eight leadership dimensions (framing, engaging,
  involving); leaders score highest on involving and lowest on framing (seed 002), and
  leaders differ a lot within each municipality;
- leaders.csv: each unit's leader rates how important and how well-functioning each
  relation to the other leaders of the municipality is; a few relations are important
  but not working, some only from one side, and one leader skipped one relation.
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


def answer(level, rng=random):
    x = round(rng.gauss(level, 0.7))
    return str(min(5, max(1, x)))


# Leadership: its own random stream, so the RC answers stay as they were.
lead_rng = random.Random(7)
LEADERSHIP = [("framing", "retning"), ("framing", "tydelighed"),
              ("engaging", "anerkendelse"), ("engaging", "mening"), ("engaging", "succeser"),
              ("involving", "inddragelse"), ("involving", "dialog"), ("involving", "lytning")]
GROUP_SHIFT = {"framing": -0.35, "engaging": 0.0, "involving": 0.3}
unit_leader_quality = {}


# Each unit's leader quality is drawn first: coordination in a unit follows its
# leadership (planted: about +0.7 RC points per leadership point, near elasticity 0.7).
for muni, units in UNITS.items():
    for unit, *_ in units:
        unit_leader_quality[(muni, unit)] = lead_rng.gauss(3.7, 0.45)

rows = []
n = 0
for muni, units in UNITS.items():
    for unit, size, roles, unit_shift in units:
        for i in range(size):
            n += 1
            role = roles[i % len(roles)]
            leader = i == 0 and size >= 10
            person = random.gauss(0, 0.35) + (0.35 if leader else 0.0) \
                + 0.7 * (unit_leader_quality[(muni, unit)] - 3.7)
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
            if not leader:
                quality = unit_leader_quality[(muni, unit)]
                for g, d in LEADERSHIP:
                    col = f"leadership:{g}:{d}"
                    if silent or lead_rng.random() < 0.05:
                        row[col] = lead_rng.choice(["", "Ved ikke"])
                    else:
                        row[col] = answer(quality + GROUP_SHIFT[g] + lead_rng.gauss(0, 0.3), lead_rng)
            rows.append(row)

header = ["respondent", "municipality", "unit", "role", "position"] + \
    [f"{d}:{t}" for t in ROLES for d in DIMS] + [f"leadership:{g}:{d}" for g, d in LEADERSHIP]
with open("examples/demo/staff.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.DictWriter(f, fieldnames=header, lineterminator="\n", restval="")
    w.writeheader()
    w.writerows(rows)
print(f"wrote examples/demo/staff.csv: {len(rows)} respondents")

# Leader relations: one leader per unit, rating the other leaders of the municipality.
LEADERS = {
    "Hedensted": [("Mette Holm", "Jobcenter"), ("Lars Kjær", "Familieafdelingen"),
                  ("Anne Juhl", "PPR"), ("Søren Bak", "Skoleområdet")],
    "Sorø": [("Pia Østergaard", "Jobcenter"), ("Jens Møller", "Børn og Familie"),
             ("Karen Lund", "Sundhedsplejen"), ("Ole Dahl", "Dagtilbud")],
    "Brønderslev": [("Hanne Friis", "Myndighed"), ("Niels Brandt", "Almene tilbud"),
                    ("Birgitte Aagaard", "Beskæftigelse")],
}
# (rater, counterpart) -> (importance, functioning) where the story needs it.
PLANTED = {
    ("Mette Holm", "Lars Kjær"): (5, 2), ("Lars Kjær", "Mette Holm"): (3, 3),
    ("Søren Bak", "Anne Juhl"): (5, 2), ("Anne Juhl", "Søren Bak"): (5, 3),
    ("Pia Østergaard", "Jens Møller"): (4, 3), ("Jens Møller", "Pia Østergaard"): (2, 4),
    ("Hanne Friis", "Niels Brandt"): (5, 1),
}
SKIPPED = {("Niels Brandt", "Hanne Friis"), ("Karen Lund", "Ole Dahl")}
rel_rng = random.Random(11)
with open("examples/demo/leaders.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["leader", "counterpart", "importance", "functioning", "municipality", "unit"])
    for muni, leaders in LEADERS.items():
        for name, unit in leaders:
            for other, _ in leaders:
                if other == name or (name, other) in SKIPPED:
                    continue
                imp, fun = PLANTED.get((name, other), (rel_rng.choice([2, 3, 3, 4, 4, 5]),
                                                       rel_rng.choice([3, 4, 4, 4, 5])))
                w.writerow([name, other, imp, fun, muni, unit])
print("wrote examples/demo/leaders.csv")

# Citizens: each rates the quality they experience in one unit (4 items, 1-5). Unit quality
# follows unit RC with a planted elasticity of about 1 (log-log), plus noise.
cit_rng = random.Random(13)
QUALITY_ITEMS = ["sammenhaeng", "tilgaengelighed", "respekt", "helhed"]
with open("examples/demo/citizens.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["citizen", "municipality", "unit"] + [f"quality:{i}" for i in QUALITY_ITEMS])
    c = 0
    for muni, units in UNITS.items():
        for unit, size, roles, unit_shift in units:
            rc_level = 3.7 + unit_shift + 0.7 * (unit_leader_quality[(muni, unit)] - 3.7)
            level = 3.6 * (rc_level / 3.7) ** 1.0 + cit_rng.gauss(0, 0.05)
            for _ in range(3 if size < 5 else cit_rng.randint(18, 40)):
                c += 1
                person = cit_rng.gauss(0, 0.4)
                answers = []
                for _item in QUALITY_ITEMS:
                    if cit_rng.random() < 0.06:
                        answers.append(cit_rng.choice(["", "Ved ikke"]))
                    else:
                        answers.append(answer(level + person, cit_rng))
                w.writerow([f"B{c:05d}", muni, unit] + answers)
print("wrote examples/demo/citizens.csv")
