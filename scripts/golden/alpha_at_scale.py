# Checks relcap's Cronbach alpha of the RC ties at national scale against the same
# formulas in long double (numpy), on a simulated staff.csv (scripts/bench.sh writes one):
#   python3 scripts/golden/alpha_at_scale.py target/bench/1000000/staff.csv
# and compare with rc.reliability in that run's results.json. Prints n and each item-total
# correlation. Not run by the tests (it needs the simulated data and pandas).
import pandas as pd, numpy as np, sys
df=pd.read_csv(sys.argv[1], dtype=str)
dims=["frequent","timely","accurate","problem_solving","shared_goals","shared_knowledge","mutual_respect"]
roles=sorted({c.split(':',1)[1] for c in df.columns if c.startswith('frequent:')})
blocks=[]
for r in roles:
    b=np.column_stack([pd.to_numeric(df[f"{d}:{r}"],errors='coerce').to_numpy() for d in dims])
    blocks.append(b)
X=np.vstack(blocks)
X=X[~np.isnan(X).any(axis=1)].astype(np.longdouble)
n,k=X.shape
m=X.mean(axis=0); D=X-m; C=D.T@D
def it(i):
    rest=[j for j in range(k) if j!=i]
    cov=C[i,rest].sum(); vb=C[np.ix_(rest,rest)].sum()
    return float(cov/np.sqrt(C[i,i]*vb))
print(n, [repr(it(i)) for i in range(k)])
