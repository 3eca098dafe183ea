# The same left join with pandas (read_csv, merge how="left", to_csv)
import pandas as pd
l = pd.read_csv("left.csv"); r = pd.read_csv("right.csv")
o = l.merge(r, on="ID", how="left")
o.to_csv("out_pd.csv", index=False); print(len(o), o["Y"].notna().sum())
