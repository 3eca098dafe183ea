# The same job in R: convey 1.0.1 (R/ sources source()d into Debian's r-cran-survey 4.1.1).
# usage: Rscript convey.R households.csv CONVEY_R_DIR
args <- commandArgs(trailingOnly = TRUE)
suppressMessages(library(survey))
for (f in list.files(args[2], full.names = TRUE)) source(f)
h <- read.csv(args[1])
d <- convey_prep(svydesign(id = ~PSU, strata = ~STRATUM, weights = ~WEIGHT, data = h, nest = TRUE))
g <- svyby(~WEALTH, ~REGION, d, svygini)
q <- svyby(~WEALTH, ~REGION, d, svyqsr)
p <- svyby(~WEALTH, ~REGION, d, svyarpr)
write.csv(data.frame(REGION = g$REGION, gini = coef(g), gini_se = SE(g), qsr = coef(q), qsr_se = SE(q),
                     arpr = coef(p), arpr_se = SE(p)), row.names = FALSE)
