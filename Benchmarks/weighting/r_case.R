# One benchmark case as an R user runs it, end to end: read the CSV, declare the design, estimate, write.
# Usage: Rscript r_case.R DIR CASE   (CASE: a b c d; the same work `microdata tabulate` does per case)
suppressPackageStartupMessages({ library(survey); library(readr) })
args <- commandArgs(trailingOnly = TRUE); dir <- args[1]; case <- args[2]
options(survey.lonely.psu = "fail")
d <- as.data.frame(read_csv(file.path(dir, "design.csv"), show_col_types = FALSE))
if (case == "b") d$destf <- factor(d$dest, levels = 1:8)  # every origin reports all 8 destinations
des <- svydesign(id = ~psu, strata = ~stratum, fpc = ~fpc, weights = ~w, data = d)
r <- switch(case,
  a = svymean(~y, des),
  b = svyby(~destf, ~origin, des, svymean),
  c = svyby(~y, ~dom, des, svymean),
  d = svyquantile(~y, des, 0.5))
capture.output(print(r), file = file.path(dir, paste0("r_case_", case, ".txt")))
