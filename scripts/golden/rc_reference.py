#!/usr/bin/env python3
"""An independent reference implementation of relcap's RC scores, in pandas + scipy.

It reads a staff file in the default wide convention and writes every figure of
`rc` (before suppression, i.e. as with --min-n 1) as JSON. The integration tests
compare relcap's results.json with the JSON this script wrote for the fixtures:

    python3 scripts/golden/rc_reference.py fixtures/handmade/staff.csv \
        > fixtures/handmade/expected_rc.json
    python3 scripts/golden/rc_reference.py --exclude-own-role fixtures/handmade/staff.csv \
        > fixtures/handmade/expected_rc_exclude_own.json
    python3 scripts/golden/rc_reference.py examples/demo/staff.csv > fixtures/demo_expected_rc.json

Needs pandas, scipy and statsmodels (pip install pandas scipy statsmodels); the test suite does not.
"""
import json
import math
import sys

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

DIMS = ["frequent", "timely", "accurate", "problem_solving",
        "shared_goals", "shared_knowledge", "mutual_respect"]
COM, REL = DIMS[:4], DIMS[4:]
POSITION = {"leader": "leader", "leder": "leader", "staff": "staff", "medarbejder": "staff"}
MISSING = {"", "na", "ved ikke", "ikke relevant", "don't know", "not applicable"}


def need(k):  # at least half of k items
    return math.ceil(k / 2)


def value(raw):
    raw = str(raw).strip()
    return None if raw.lower() in MISSING else float(raw)


def mean_sd_ci(xs):
    xs = [x for x in xs if x is not None and not math.isnan(x)]
    n = len(xs)
    if n == 0:
        return dict(score=None, sd=None, n=0, ci_low=None, ci_high=None)
    m = sum(xs) / n
    if n < 2:
        return dict(score=m, sd=None, n=n, ci_low=None, ci_high=None)
    sd = pd.Series(xs).std(ddof=1)
    half = stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n)
    return dict(score=m, sd=sd, n=n, ci_low=m - half, ci_high=m + half)


def sub(vals, items):
    got = [vals[d] for d in items if vals[d] is not None]
    return sum(got) / len(got) if len(got) >= need(len(items)) else None


def main():
    args = sys.argv[1:]
    exclude_own = "--exclude-own-role" in args
    path = [a for a in args if not a.startswith("--")][0]
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    targets = sorted({c.split(":", 1)[1] for c in df.columns if ":" in c})

    ties = []  # one dict per respondent x target with any answer
    for _, row in df.iterrows():
        for g in targets:
            vals = {d: value(row.get(f"{d}:{g}", "")) for d in DIMS}
            if all(v is None for v in vals.values()):
                continue
            ties.append(dict(resp=row["respondent"], role=row["role"], target=g,
                             unit=row.get("unit"), muni=row.get("municipality"),
                             pos=POSITION.get(str(row.get("position")).strip().lower()), vals=vals,
                             tie=sub(vals, DIMS), com=sub(vals, COM), rel=sub(vals, REL)))
    t = pd.DataFrame(ties)
    scored = t[t.target != t.role] if exclude_own else t

    resp = {}
    for r, g in scored.groupby("resp"):
        if g.tie.notna().any():
            resp[r] = dict(rc=g.tie.mean(), com=g.com.mean(), rel=g.rel.mean(),
                           unit=g.unit.iloc[0], muni=g.muni.iloc[0], pos=g.pos.iloc[0])
    R = pd.DataFrame.from_dict(resp, orient="index")

    def network(Rs, Ts):
        own = Ts[(Ts.target == Ts.role) & Ts.tie.notna()]
        other = Ts[(Ts.target != Ts.role) & Ts.tie.notna()]
        e = mean_sd_ci(list(Rs.rc))
        return dict(score=e["score"], sd=e["sd"], ci_low=e["ci_low"], ci_high=e["ci_high"],
                    n_respondents=e["n"],
                    within=own.tie.mean() if len(own) else None, n_within=own.resp.nunique(),
                    between=other.tie.mean() if len(other) else None,
                    n_between=other.resp.nunique(),
                    communication=Rs.com.mean(), n_communication=int(Rs.com.notna().sum()),
                    relationship=Rs.rel.mean(), n_relationship=int(Rs.rel.notna().sum()))

    out = {"network": network(R, t), "by_position": [], "dimensions": [], "pairs": [],
           "units": [], "municipalities": []}
    for p in sorted(R.pos.dropna().unique()):
        out["by_position"].append(dict(position=p, **network(R[R.pos == p], t[t.pos == p])))
    valid = scored[scored.tie.notna()]
    for d in DIMS:
        xs = [(v["vals"][d], v["resp"]) for _, v in valid.iterrows() if v["vals"][d] is not None]
        e = mean_sd_ci([x for x, _ in xs])
        groups = pd.factorize(pd.Series([r for _, r in xs]))[0]
        ci_low = ci_high = None
        if len(set(groups)) >= 2:
            fit = sm.OLS(np.array([x for x, _ in xs]), np.ones(len(xs))).fit(
                cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
            ci_low, ci_high = fit.conf_int(0.05)[0]
        out["dimensions"].append(dict(dimension=d, mean=e["score"], sd=e["sd"], n=e["n"],
                                      n_respondents=len({r for _, r in xs}),
                                      ci_low=ci_low, ci_high=ci_high))
    for (r, g), grp in t.groupby(["role", "target"]):
        out["pairs"].append(dict(rater_role=r, target_role=g, **mean_sd_ci(list(grp.tie))))
    for (m, u), grp in R.groupby(["muni", "unit"]):
        out["units"].append(dict(municipality=m, unit=u, **mean_sd_ci(list(grp.rc))))
    for m, grp in R.groupby("muni"):
        out["municipalities"].append(dict(municipality=m, **mean_sd_ci(list(grp.rc))))

    def clean(x):
        if isinstance(x, dict):
            return {k: clean(v) for k, v in x.items()}
        if isinstance(x, list):
            return [clean(v) for v in x]
        if isinstance(x, float) and math.isnan(x):
            return None
        if hasattr(x, "item"):
            return x.item()
        return x

    json.dump(clean(out), sys.stdout, indent=1, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
