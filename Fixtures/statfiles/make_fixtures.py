#!/usr/bin/env python3
"""Writes the .sav/.zsav/.por/.dta fixtures and the tab-delimited twin of survey.sav.

Run from this folder:  python3 make_fixtures.py
Needs pyreadstat (PyPI, 1.3.7 used; it bundles ReadStat) and pandas (3.1.1 used). The files are deterministic
except for the creation timestamps inside the .sav/.dta headers.
"""
import math
import struct

import numpy as np
import pandas as pd
import pyreadstat

NAN = float("nan")
LONG = ("Long comment: " + "abcdefghij" * 29)[:300]  # exactly 300 bytes, ASCII

ids = list(range(1, 11))
pwt = [1.5, 0.75, 2.25, 1.0, 3.125, 0.5, 1.75, 2.0, 1.25, 0.875]
sex = [1, 2, 2, 1, -9, 2, 1, 2, 1, NAN]
age = [34, 71, -1, 16, 45, -9, 88, 29, 52, 63]
income = [25000.5, 12000, 999999, 48000.25, -8, 31000, NAN, 56000.75, 22000, 15500.5]
region = [1, 2, 3, 4, 1, 2, 3, 4, 1, 2]
name = ["Siân", "Zoë", "O'Brien & Sons", "<tag>", "", "Ffion", "Seán", "Łukasz", "Ann \"Nan\"", "XX"]
comment = [LONG] + ["short"] * 4 + [""] + ["café"] + ["x"] * 3

region_labels = {
    1.0: "Ynys Môn / Isle of Anglesey",
    2.0: "Île & <Londres> \"centre\" 'quoted'",
    3.0: "Scotland – Highlands",
    4.0: "Northern Ireland",
}
sex_labels = {1.0: "Male", 2.0: "Female", -9.0: "No answer"}
age_labels = {-9.0: "Refused", -1.0: "Don't know"}
income_labels = {999999.0: "Not applicable", -8.0: "Refused"}

# ---------------------------------------------------------------- SPSS
sav = pd.DataFrame({
    "ID": ids, "PWT": pwt, "SEX": sex, "AGE": age, "INCOME": income, "REGION": region,
    "NAME": name, "COMMENT": comment,
})
for c in ["ID", "PWT", "SEX", "AGE", "INCOME", "REGION"]:
    sav[c] = sav[c].astype("float64")
sav_labels = {
    "ID": "Person identifier", "PWT": "Person weight", "SEX": "Sex of respondent",
    "AGE": "Age in years", "INCOME": "Gross income (£ per year)", "REGION": "Region <UK & \"NI\">",
    "NAME": "First name", "COMMENT": "Free-text comment (long string, 300 bytes)",
}
sav_common = dict(
    file_label="Microdata test survey (SPSS)",
    column_labels=sav_labels,
    variable_value_labels={"SEX": sex_labels, "AGE": age_labels, "INCOME": income_labels, "REGION": region_labels},
    missing_ranges={
        "SEX": [-9],
        "AGE": [{"lo": -9, "hi": -1}],
        "INCOME": [{"lo": -99, "hi": -1}, 999999],
        "NAME": ["XX"],
    },
    variable_measure={"ID": "nominal", "PWT": "scale", "SEX": "nominal", "AGE": "scale", "INCOME": "scale",
                      "REGION": "nominal", "NAME": "nominal", "COMMENT": "nominal"},
    variable_format={"ID": "F8.0", "PWT": "F8.3", "SEX": "F2.0", "AGE": "F3.0", "INCOME": "F10.2",
                     "REGION": "F1.0", "NAME": "A20", "COMMENT": "A300"},
)
pyreadstat.write_sav(sav, "survey.sav", **sav_common)
pyreadstat.write_sav(sav, "survey.zsav", compress=True, **sav_common)


def set_spss_weight(path, slot):
    """Sets the SPSS file header's weight_index (offset 76, int32, 1-based dictionary slot)."""
    with open(path, "r+b") as f:
        f.seek(76)
        f.write(struct.pack("<i", slot))


# PWT is the second variable and ID is numeric, so PWT occupies dictionary slot 2.
set_spss_weight("survey.sav", 2)
set_spss_weight("survey.zsav", 2)

# Portable file: labels and formats only (pyreadstat writes no value labels or missing values to .por).
pyreadstat.write_por(sav[["ID", "PWT", "AGE", "REGION"]], "survey.por", file_label="Microdata test survey (POR)",
                     column_labels={"ID": "Person identifier", "PWT": "Person weight", "AGE": "Age in years",
                                    "REGION": "Region"})

# Tab-delimited twin of survey.sav: raw values, user-missing codes written as their codes, system missing empty.
def cell(v):
    if isinstance(v, float):
        if math.isnan(v):
            return ""
        return str(int(v)) if v == int(v) else repr(v)
    return v

with open("survey.tab", "w", encoding="utf-8", newline="\n") as f:
    f.write("\t".join(sav.columns) + "\n")
    for row in sav.itertuples(index=False):
        f.write("\t".join(cell(v) for v in row) + "\n")

# ---------------------------------------------------------------- Stata 118 (UTF-8), extended missing
dta_income = [25000.5, 12000.0, "a", 48000.25, "b", 31000.0, NAN, 56000.75, "z", 15500.5]
dta = pd.DataFrame({
    "id": ids, "pwt": pwt, "sex": [1, 2, 2, 1, 2, 2, 1, 2, 1, NAN], "age": [34, 71, 40, 16, 45, 19, 88, 29, 52, 63],
    "income": dta_income, "region": region, "name": name, "comment": comment,
})
for c in ["id", "pwt", "sex", "age", "region"]:
    dta[c] = dta[c].astype("float64")
dta["income"] = dta["income"].astype("object")
pyreadstat.write_dta(
    dta, "survey.dta", file_label="Microdata test survey (Stata)", version=14,
    column_labels={"id": "Person identifier", "pwt": "Person weight", "sex": "Sex of respondent",
                   "age": "Age in years", "income": "Gross income (£ per year)", "region": "Region <UK & \"NI\">",
                   "name": "First name", "comment": "Free-text comment (long string, 300 bytes)"},
    variable_value_labels={"sex": {1.0: "Male", 2.0: "Female"}, "region": region_labels,
                           # Stata stores value-label keys as int32; .a is 2147483622 and .b 2147483623 (pyreadstat takes no tag keys).
                           "income": {2147483622: "Refused", 2147483623: "Don't know"}},
    missing_user_values={"income": ["a", "b", "z"]},
    variable_format={"id": "%8.0f", "pwt": "%8.3f", "age": "%3.0f", "income": "%10.2f"},
)

# A copy whose SEX variable names a value-label set that does not exist (label name patched in place).
data = bytearray(open("survey.dta", "rb").read())
section = data.index(b"<value_label_names>")
end = data.index(b"</value_label_names>")
names = data[section:end]
k = names.index(b"sex0\x00")  # pyreadstat names each set after its variable: sex0, region1, ...
patched = names[:k] + b"nosx" + names[k + 4:]
data[section:end] = patched
open("bad_labels.dta", "wb").write(bytes(data))

# ---------------------------------------------------------------- Stata 114 (Windows-1252/Latin-1 text)
latin = pd.DataFrame({
    "id": np.array([1, 2, 3], dtype="int32"),
    "town": ["Bérénice", "Zoë", "Ålesund"],
    "grade": pd.Categorical(["Élevé", "Moyen", "Élevé"], categories=["Élevé", "Moyen"]),
})
latin.to_stata("latin1.dta", version=114, write_index=False, data_label="Données test (Latin-1)",
               variable_labels={"id": "Identifiant", "town": "Ville (£)", "grade": "Niveau"})

# ---------------------------------------------------------------- SAS (through the ReadStat command-line tool)
# pyreadstat writes no SAS7BDAT; Debian's `readstat` 1.1.8 (apt-get install readstat) converts a small .sav.
# (It crashes converting survey.sav itself, so the SAS file has three simple columns.)
import os
import subprocess
import tempfile

with tempfile.TemporaryDirectory() as tmp:
    small = os.path.join(tmp, "small.sav")
    pyreadstat.write_sav(
        pd.DataFrame({"ID": [1.0, 2.0, 3.0], "PWT": [1.5, 0.75, 2.25], "TOWN": ["Leeds", "Bath", "York"]}), small,
        file_label="SAS twin", column_labels={"ID": "Person identifier", "PWT": "Person weight", "TOWN": "Town"})
    if os.path.exists("survey.sas7bdat"):
        os.remove("survey.sas7bdat")
    subprocess.run(["readstat", small, "survey.sas7bdat"], check=True)
print("done")
