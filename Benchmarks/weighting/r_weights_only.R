# The weights-only case as an R user runs it, end to end: read the CSV, declare the design, estimate, write.
# Usage: Rscript r_weights_only.R FILE OUT   (the same work as `microdata tabulate --weight w --proportion dest --by origin`)
suppressPackageStartupMessages({ library(survey); library(readr) })
args <- commandArgs(trailingOnly = TRUE)
d <- as.data.frame(read_csv(args[1], show_col_types = FALSE))
d$destf <- factor(d$dest, levels = 1:8)
des <- svydesign(ids = ~1, weights = ~w, data = d)
b <- svyby(~destf, ~origin, des, svymean)
capture.output(print(b), file = args[2])
