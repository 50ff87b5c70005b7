#!/usr/bin/env python3
"""Golden values for relcap's OLS, standard errors, wild bootstrap, reliability and
aggregation statistics, computed with statsmodels / numpy / scipy.

Writes fixtures/stats/clustered.csv (a seeded data set: 8 clusters, 2 predictors) and
fixtures/stats/expected.json. Run: python3 scripts/golden/ols_reference.py
(needs numpy, pandas, scipy, statsmodels).
"""
import itertools
import json

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

rng = np.random.default_rng(20261122)
G = 8
sizes = [6, 9, 4, 12, 7, 5, 10, 8]
rows = []
for g, m in enumerate(sizes):
    u_g = rng.normal(0, 0.8)
    for _ in range(m):
        x1 = rng.normal(3 + 0.3 * g, 1.0)
        x2 = rng.normal(0, 2.0) + 0.2 * x1
        y = 1.5 + 0.4 * x1 - 0.25 * x2 + u_g + rng.normal(0, 1.0) * (1 + 0.3 * abs(x2))
        rows.append((g, y, x1, x2))
df = pd.DataFrame(rows, columns=["cluster", "y", "x1", "x2"])
df.to_csv("fixtures/stats/clustered.csv", index=False, float_format="%.17g")
df = pd.read_csv("fixtures/stats/clustered.csv")  # the exact values relcap reads

X = sm.add_constant(df[["x1", "x2"]])
out = {}


def summary(res):
    ci = res.conf_int(0.05)
    return {
        "estimate": list(res.params),
        "std_error": list(res.bse),
        "t": list(res.tvalues),
        "p": list(res.pvalues),
        "ci_low": list(ci.iloc[:, 0]),
        "ci_high": list(ci.iloc[:, 1]),
        "r2": res.rsquared,
        "adj_r2": res.rsquared_adj,
        "f": float(np.squeeze(res.fvalue)),
        "f_p": float(np.squeeze(res.f_pvalue)),
    }


model = sm.OLS(df["y"], X)
out["classical"] = summary(model.fit())
out["hc1"] = summary(model.fit(cov_type="HC1", use_t=True))
out["cr1"] = summary(model.fit(cov_type="cluster", cov_kwds={"groups": df["cluster"]}, use_t=True))

# Wild cluster bootstrap (restricted, Rademacher), full enumeration of the 2^8 sign vectors,
# for x1 (column 1): an independent numpy implementation.
Xm = X.to_numpy()
y = df["y"].to_numpy()
cl = df["cluster"].to_numpy()
n, k = Xm.shape


def cr1_t(yv, j):
    beta, *_ = np.linalg.lstsq(Xm, yv, rcond=None)
    e = yv - Xm @ beta
    bread = np.linalg.inv(Xm.T @ Xm)
    meat = np.zeros((k, k))
    for g in range(G):
        s = Xm[cl == g].T @ e[cl == g]
        meat += np.outer(s, s)
    v = bread @ meat @ bread * G / (G - 1) * (n - 1) / (n - k)
    return beta[j] / np.sqrt(v[j, j])


for j, name in [(1, "x1"), (2, "x2")]:
    t_obs = cr1_t(y, j)
    Xr = np.delete(Xm, j, axis=1)
    br, *_ = np.linalg.lstsq(Xr, y, rcond=None)
    fitted = Xr @ br
    u = y - fitted
    extreme = 0
    for signs in itertools.product([1.0, -1.0], repeat=G):
        w = np.array(signs)[cl]
        if abs(cr1_t(fitted + w * u, j)) >= abs(t_obs) * (1 - 1e-12):
            extreme += 1
    out[f"wild_p_{name}"] = extreme / 2**G

# Cronbach's alpha on the first five rows' worth of a small item matrix.
items = np.array([
    [4, 4, 3, 5, 4], [2, 3, 2, 2, 3], [5, 5, 4, 5, 5], [3, 2, 3, 3, 2],
    [4, 5, 4, 4, 4], [1, 2, 2, 1, 2], [3, 3, 4, 3, 3], [5, 4, 5, 4, 5],
], dtype=float)
kk = items.shape[1]
var_items = items.var(axis=0, ddof=1)
var_total = items.sum(axis=1).var(ddof=1)
alpha = kk / (kk - 1) * (1 - var_items.sum() / var_total)
corr = np.corrcoef(items, rowvar=False)
rbar = corr[np.triu_indices(kk, 1)].mean()
std_alpha = kk * rbar / (1 + (kk - 1) * rbar)
item_total = []
alpha_dropped = []
for i in range(kk):
    rest = np.delete(items, i, axis=1)
    item_total.append(np.corrcoef(items[:, i], rest.sum(axis=1))[0, 1])
    vi = rest.var(axis=0, ddof=1).sum()
    vt = rest.sum(axis=1).var(ddof=1)
    alpha_dropped.append((kk - 1) / (kk - 2) * (1 - vi / vt))
out["alpha"] = {"items": items.tolist(), "alpha": alpha, "std_alpha": std_alpha,
                "item_total": item_total, "alpha_if_dropped": alpha_dropped}

# One-way ANOVA, ICC(1), ICC(2) and rwg(j) on grouped scores.
groups = {"a": [3.2, 3.8, 4.1, 3.5, 3.9], "b": [2.5, 2.9, 3.1, 2.7, 2.2, 3.0],
          "c": [4.2, 4.5, 3.9, 4.8, 4.4, 4.0, 4.6]}
f, p = stats.f_oneway(*groups.values())
allv = np.concatenate([np.array(v) for v in groups.values()])
N, J = len(allv), len(groups)
grand = allv.mean()
msb = sum(len(v) * (np.mean(v) - grand) ** 2 for v in groups.values()) / (J - 1)
msw = sum(((np.array(v) - np.mean(v)) ** 2).sum() for v in groups.values()) / (N - J)
k0 = (N - sum(len(v) ** 2 for v in groups.values()) / N) / (J - 1)
out["anova"] = {"groups": groups, "f": f, "p": p,
                "icc1": (msb - msw) / (msb + (k0 - 1) * msw), "icc2": (msb - msw) / msb}

# rwg(j) (James, Demaree & Wolf 1984) with a uniform null on a 5-point scale (σ²_EU = 2):
# rwg(j) = J(1 − s̄²/σ²) / (J(1 − s̄²/σ²) + s̄²/σ²), set to 0 when s̄² > σ².
team = np.array([[4, 4, 5], [4, 3, 4], [5, 4, 4], [3, 4, 4]], dtype=float)
sbar = team.var(axis=0, ddof=1).mean()
J_items = team.shape[1]
ratio = sbar / 2.0
out["rwg"] = {"ratings": team.tolist(),
              "rwg_j": 0.0 if ratio > 1 else J_items * (1 - ratio) / (J_items * (1 - ratio) + ratio)}

with open("fixtures/stats/expected.json", "w") as fh:
    json.dump(out, fh, indent=1)
print(json.dumps({k: out[k] for k in ("wild_p_x1", "wild_p_x2")}), out["cr1"]["std_error"])
