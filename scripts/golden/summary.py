#!/usr/bin/env python3
"""Golden values for src/stats/summary.rs: t quantiles and a t interval, from scipy."""
import statistics

from scipy import stats

for df in (1, 4, 29):
    print(f"t.ppf(0.975, {df}) = {stats.t.ppf(0.975, df)!r}")
xs = [1, 2, 4, 4, 5]
m, sd = statistics.mean(xs), statistics.stdev(xs)
lo, hi = stats.t.interval(0.95, len(xs) - 1, loc=m, scale=sd / len(xs) ** 0.5)
print(f"mean={m!r} sd={sd!r} ci=({lo!r}, {hi!r})")
