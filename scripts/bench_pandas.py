#!/usr/bin/env python3
"""The pandas + statsmodels alternative to `relcap report`, for scripts/bench.sh.

What a capable analyst would write by hand, vectorized: read the staff and citizen exports,
score relational coordination (a tie needs at least half of the 7 dimensions; respondent RC
the mean of the ties), the role-pair cells, units and municipalities with t intervals, the
leadership score (dimension means, at least half answered), unit citizen quality, and the
two log-log models with cluster-robust errors in statsmodels. It writes the tables as CSV.
It does less than relcap (no privacy pass, no sub-indices, no reliability, no bootstrap, no
charts or report), so the comparison flatters pandas.

    python3 scripts/bench_pandas.py STAFF CITIZENS OUTDIR
"""
import os
import sys

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

DIMS = ["frequent", "timely", "accurate", "problem_solving",
        "shared_goals", "shared_knowledge", "mutual_respect"]


def numeric(df):
    v = df.apply(pd.to_numeric, errors="coerce")
    return v.where((v >= 1) & (v <= 5))


def summary(g):
    out = g.agg(["mean", "std", "count"])
    t = stats.t.ppf(0.975, (out["count"] - 1).clip(lower=1))
    half = t * out["std"] / np.sqrt(out["count"])
    out["ci_low"], out["ci_high"] = out["mean"] - half, out["mean"] + half
    return out


def main(staff_path, citizens_path, out):
    os.makedirs(out, exist_ok=True)
    staff = pd.read_csv(staff_path, dtype=str, keep_default_na=False)
    citizens = pd.read_csv(citizens_path, dtype=str, keep_default_na=False)

    targets = sorted({c.split(":", 1)[1] for c in staff.columns
                      if c.split(":", 1)[0] in DIMS})
    ties = {}
    for g in targets:
        v = numeric(staff[[f"{d}:{g}" for d in DIMS]]).to_numpy()
        n = np.isfinite(v).sum(axis=1)
        tie = np.nansum(v, axis=1) / np.maximum(n, 1)
        ties[g] = np.where(n >= 4, tie, np.nan)
    ties = pd.DataFrame(ties)
    staff["rc"] = ties.mean(axis=1, skipna=True)

    long = ties.assign(role=staff["role"]).melt(id_vars="role", var_name="target", value_name="tie").dropna()
    summary(long.groupby(["role", "target"])["tie"]).to_csv(f"{out}/pairs.csv")
    rated = staff.dropna(subset=["rc"])
    units = summary(rated.groupby(["municipality", "unit"])["rc"])
    units.to_csv(f"{out}/units.csv")
    summary(rated.groupby("municipality")["rc"]).to_csv(f"{out}/municipalities.csv")

    lead_cols = [c for c in staff.columns if c.startswith("leadership:")]
    dims = sorted({":".join(c.split(":")[1:3]) for c in lead_cols})
    lv = numeric(staff[lead_cols])
    dim_means = pd.DataFrame({d: lv[[c for c in lead_cols if ":".join(c.split(":")[1:3]) == d]].mean(axis=1)
                              for d in dims})
    answered = dim_means.notna().sum(axis=1)
    staff["leadership"] = dim_means.mean(axis=1).where(answered >= len(dims) / 2)
    summary(staff.dropna(subset=["leadership"]).groupby(["municipality", "unit"])["leadership"]).to_csv(
        f"{out}/leadership_units.csv")

    q_cols = [c for c in citizens.columns if c.startswith("quality:")]
    qv = numeric(citizens[q_cols])
    citizens["quality"] = qv.mean(axis=1).where(qv.notna().sum(axis=1) >= len(q_cols) / 2)
    quality = summary(citizens.dropna(subset=["quality"]).groupby(["municipality", "unit"])["quality"])
    quality.to_csv(f"{out}/quality_units.csv")

    # quality_on_rc: units with >= 5 respondents and >= 5 citizens, CR1 by municipality.
    m = units[units["count"] >= 5].merge(quality[quality["count"] >= 5], left_index=True,
                                         right_index=True, suffixes=("_rc", "_q"))
    m = m.reset_index()
    X = sm.add_constant(np.log(m["mean_rc"]))
    fit1 = sm.OLS(np.log(m["mean_q"]), X).fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(m["municipality"])[0]})
    # rc_on_leadership: respondents with both scores, CR1 by unit.
    r = staff.dropna(subset=["rc", "leadership"])
    X = sm.add_constant(np.log(r["leadership"]))
    fit2 = sm.OLS(np.log(r["rc"]), X).fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(r["municipality"] + "/" + r["unit"])[0]})
    pd.DataFrame({"model": ["quality_on_rc", "rc_on_leadership"],
                  "elasticity": [fit1.params.iloc[1], fit2.params.iloc[1]],
                  "se": [fit1.bse.iloc[1], fit2.bse.iloc[1]]}).to_csv(f"{out}/models.csv", index=False)
    print(f"network RC {staff['rc'].mean():.4f}; elasticities {fit1.params.iloc[1]:.3f}, {fit2.params.iloc[1]:.3f}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
