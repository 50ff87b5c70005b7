#!/usr/bin/env python3
"""Independent reference for relcap's models, citizen quality, reliability and aggregation
on the demo data, in pandas + numpy + statsmodels.

    python3 scripts/golden/models_reference.py > fixtures/demo_expected_models.json

It re-implements the scoring rules from the raw files (it shares only the answer parser and
the at-least-half rule with rc_reference.py) and fits:
- quality_on_rc: ln(unit quality) ~ ln(unit RC) over units with >= 5 respondents and
  >= 5 citizens, CR1 clustered by municipality, t on G - 1 df;
- rc_on_leadership: ln(respondent RC) ~ ln(leadership score), CR1 by unit.
"""
import json
import math
import sys

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

sys.path.insert(0, "scripts/golden")
from rc_reference import DIMS, sub, value  # noqa: E402

MIN_N = 5
staff = pd.read_csv("examples/demo/staff.csv", dtype=str, keep_default_na=False)
citizens = pd.read_csv("examples/demo/citizens.csv", dtype=str, keep_default_na=False)
targets = sorted({c.split(":", 1)[1] for c in staff.columns if ":" in c and not c.startswith("leadership:")})
lead_cols = [c for c in staff.columns if c.startswith("leadership:")]

resp = []
complete_ties = []
for _, row in staff.iterrows():
    ties, profiles = [], []
    for g in targets:
        vals = {d: value(row[f"{d}:{g}"]) for d in DIMS}
        if all(v is None for v in vals.values()):
            continue
        t = sub(vals, DIMS)
        if t is not None:
            ties.append(t)
            profiles.append(vals)
            if all(vals[d] is not None for d in DIMS):
                complete_ties.append([vals[d] for d in DIMS])
    rc = sum(ties) / len(ties) if ties else None
    prof = {d: np.mean([p[d] for p in profiles if p[d] is not None]) if any(p[d] is not None for p in profiles) else None for d in DIMS}
    # leadership: dimension = mean of its items; score = mean of answered dims if >= half
    dims = {}
    for c in lead_cols:
        _, grp, dim = c.split(":")[:3]
        v = value(row[c])
        if v is not None:
            dims.setdefault(dim, []).append(v)
    n_dims = len({c.split(":")[2] for c in lead_cols})
    dscores = [np.mean(v) for v in dims.values()]
    lead = float(np.mean(dscores)) if len(dscores) >= math.ceil(n_dims / 2) else None
    resp.append(dict(id=row["respondent"], muni=row["municipality"], unit=row["unit"], rc=rc, lead=lead, **{f"p_{d}": prof[d] for d in DIMS}))
R = pd.DataFrame(resp)

# citizen quality: mean of answered items if >= half; unit mean
items = [c for c in citizens.columns if c.startswith("quality:")]
cq = []
for _, row in citizens.iterrows():
    vals = [value(row[c]) for c in items]
    got = [v for v in vals if v is not None]
    if len(got) >= math.ceil(len(items) / 2):
        cq.append(dict(muni=row["municipality"], unit=row["unit"], q=np.mean(got)))
C = pd.DataFrame(cq)

out = {}
units_rc = R[R.rc.notna()].groupby(["muni", "unit"]).rc.agg(["mean", "count"])
units_q = C.groupby(["muni", "unit"]).q.agg(["mean", "count", "std"])
out["quality_units"] = [dict(municipality=m, unit=u, score=r["mean"], n=int(r["count"]), sd=r["std"])
                        for (m, u), r in units_q.iterrows()]
both = units_rc.add_suffix("_rc").join(units_q.add_suffix("_q"), how="inner")
both = both[(both.count_rc >= MIN_N) & (both.count_q >= MIN_N)]


def fit(y, x, groups):
    X = sm.add_constant(np.log(np.asarray(x, dtype=float)))
    codes = pd.factorize(pd.Series(list(groups)))[0]
    res = sm.OLS(np.log(np.asarray(y, dtype=float)), X).fit(
        cov_type="cluster", cov_kwds={"groups": codes}, use_t=True)
    ci = res.conf_int(0.05)
    return dict(n=int(res.nobs), clusters=int(len(set(codes))), estimate=list(res.params),
                std_error=list(res.bse), p=list(res.pvalues), ci_low=list(ci[:, 0]),
                ci_high=list(ci[:, 1]), r2=res.rsquared)


out["quality_on_rc"] = fit(both["mean_q"], both["mean_rc"], [m for m, _ in both.index])
both_r = R[R.rc.notna() & R.lead.notna()]
out["rc_on_leadership"] = fit(both_r.rc, both_r.lead, both_r.muni + "/" + both_r.unit)

# reliability: alpha over complete ties
A = np.array(complete_ties)
k = A.shape[1]
out["rc_alpha"] = dict(n=len(A), alpha=k / (k - 1) * (1 - A.var(axis=0, ddof=1).sum() / A.sum(axis=1).var(ddof=1)))

# aggregation over units with >= MIN_N respondents with RC
groups = [g.rc.to_numpy() for _, g in R[R.rc.notna()].groupby(["muni", "unit"]) if len(g) >= MIN_N]
f, p = stats.f_oneway(*groups)
N, J = sum(len(g) for g in groups), len(groups)
grand = np.concatenate(groups).mean()
msb = sum(len(g) * (g.mean() - grand) ** 2 for g in groups) / (J - 1)
msw = sum(((g - g.mean()) ** 2).sum() for g in groups) / (N - J)
k0 = (N - sum(len(g) ** 2 for g in groups) / N) / (J - 1)
rwgs = []
for _, g in R[R.rc.notna()].groupby(["muni", "unit"]):
    if len(g) < MIN_N:
        continue
    P = g[[f"p_{d}" for d in DIMS]].dropna().to_numpy(dtype=float)
    if len(P) < 2:
        continue
    ratio = P.var(axis=0, ddof=1).mean() / 2.0
    rwgs.append(0.0 if ratio > 1 else 7 * (1 - ratio) / (7 * (1 - ratio) + ratio))
out["aggregation"] = dict(f=f, p=p, icc1=(msb - msw) / (msb + (k0 - 1) * msw), icc2=(msb - msw) / msb,
                          rwg_median=float(np.median(rwgs)), units=J, n=N)
json.dump(out, sys.stdout, indent=1)
print()
