"""Golden values for src/stats/change.rs, computed independently of relcap.

Welch and paired intervals come from scipy.stats (ttest_ind(equal_var=False) and
ttest_rel). The partially overlapping samples t-test is written out here from Derrick,
Russ, Toher & White (2017) as implemented in R's Partiallyoverlapping::Partover.test; the
implementation is first checked against that package's documented example (var.equal=TRUE,
p = 0.026) and against scipy in its two limiting cases. The clustered (CR1) change is
checked against statsmodels: OLS of value on a wave dummy, cluster-robust by respondent.

Run: python3 scripts/golden/change_reference.py
"""
import numpy as np
import scipy.stats as st
import statsmodels.api as sm


def partover(a_unp, b_unp, a_pair, b_pair, var_equal=False, conf=0.95):
    x1, x2, x3, x4 = map(np.asarray, (a_unp, b_unp, a_pair, b_pair))
    s1 = np.concatenate([x1, x3])
    s2 = np.concatenate([x2, x4])
    est = s1.mean() - s2.mean()
    n1, n2, n12 = len(s1), len(s2), len(x3)
    r = 0.0 if (x3.std(ddof=1) == 0 or x4.std(ddof=1) == 0) else np.corrcoef(x3, x4)[0, 1]
    if var_equal:
        sp = np.sqrt(((n1 - 1) * s1.var(ddof=1) + (n2 - 1) * s2.var(ddof=1)) / (n1 + n2 - 2))
        denom = sp * np.sqrt(1 / n1 + 1 / n2 - 2 * r * n12 / (n1 * n2))
        df = (n12 - 1) + ((len(x1) + len(x2) + n12 - 1) / (len(x1) + len(x2) + 2 * n12)) * (len(x1) + len(x2))
    else:
        v1, v2 = s1.var(ddof=1), s2.var(ddof=1)
        denom = np.sqrt(v1 / n1 + v2 / n2 - 2 * r * n12 * np.sqrt(v1) * np.sqrt(v2) / (n1 * n2))
        welch = (v1 / n1 + v2 / n2) ** 2 / ((v1 / n1) ** 2 / (n1 - 1) + (v2 / n2) ** 2 / (n2 - 1))
        df = (n12 - 1) + ((welch - n12 + 1) / (len(x1) + len(x2) + 2 * n12)) * (len(x1) + len(x2))
    t = est / denom
    p = 2 * st.t.sf(abs(t), df)
    q = st.t.ppf(1 - (1 - conf) / 2, df)
    return dict(estimate=est, se=denom, df=df, p=p, ci=(est - q * denom, est + q * denom))


# 1. The package's documented example: p = 0.026 with equal variances.
a_unp = [20, 21, 16, 18, 14, 12, 14, 17]
a_pair = [14, 15, 18, 20, 11, 19, 14, 15]
b_unp = [10, 16, 18, 16, 15, 14, 13, 10]
b_pair = [15, 10, 15, 17, 13, 19, 12, 13]
ex = partover(a_unp, b_unp, a_pair, b_pair, var_equal=True)
assert round(ex["p"], 3) == 0.026, ex
print("Partover.test documented example, var.equal=TRUE: p =", round(ex["p"], 4))

# 2. The limiting cases agree with scipy.
before, after = [3.0, 4.0, 5.0], [4.0, 5.0, 6.0, 5.0]
w = st.ttest_ind(after, before, equal_var=False)
print("welch  ci", tuple(w.confidence_interval()), "df", w.df)
paired_after = [4.0, 6.0, 5.0]  # ids 1, 2, 3 (relcap's test gives them shuffled)
pr = st.ttest_rel(paired_after, before)
print("paired ci", tuple(pr.confidence_interval()), "df", pr.df)
print("t(0.975, 27/7) =", st.t.ppf(0.975, 27 / 7), " t(0.975, 2) =", st.t.ppf(0.975, 2))

# 3. Partly the same respondents (relcap: partly_the_same_respondents_...):
# wave 1: ids 1..6 = 3,4,2,5,3,4 ; wave 2: ids 1,2,3,4,7,8,9 = 4,4,3,5,5,4,3.
w1 = {1: 3, 2: 4, 3: 2, 4: 5, 5: 3, 6: 4}
w2 = {1: 4, 2: 4, 3: 3, 4: 5, 7: 5, 8: 4, 9: 3}
both = sorted(set(w1) & set(w2))
res = partover(
    [w2[i] for i in w2 if i not in w1],
    [w1[i] for i in w1 if i not in w2],
    [w2[i] for i in both],
    [w1[i] for i in both],
)
print("partially overlapping (to - from): se %.17g df %.17g ci (%.17g, %.17g)" % (res["se"], res["df"], *res["ci"]))

# 4. Clustered: ties of respondents 1, 2 (wave 1) and 1, 2, 3 (wave 2); OLS of value on a
# wave-2 dummy with CR1 errors by respondent gives the same change and standard error.
vals = [1, 2, 3, 4, 2, 3, 4, 5, 3, 4]
wave2 = [0, 0, 0, 0, 1, 1, 1, 1, 1, 1]
groups = [1, 1, 2, 2, 1, 1, 2, 2, 3, 3]
X = sm.add_constant(np.asarray(wave2, float))
fit = sm.OLS(np.asarray(vals, float), X).fit(cov_type="cluster", cov_kwds={"groups": np.asarray(groups)})
print("clustered change %.17g se %.17g (statsmodels CR1 by respondent)" % (fit.params[1], fit.bse[1]))
