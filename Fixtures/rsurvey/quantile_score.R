# The shahvaish quantile rule and the score (Francisco-Fuller) quantile interval (R 4.2, survey 4.1.1):
# cd Fixtures/rsurvey && Rscript quantile_score.R
# Writes quantile_score_expected.csv (%.15g): case, p, quantile, ci_low, ci_high, se.
suppressPackageStartupMessages(library(survey))
options(warn = -1)
apistrat <- read.csv("apistrat.csv")
apiclus1 <- read.csv("apiclus1.csv")
dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = apistrat)
dclus1 <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1)
eq <- data.frame(api00 = apistrat$api00[1:25], one = 1)
deq <- svydesign(id = ~1, weights = ~one, data = eq)
rows <- list()
put <- function(case, q, p) {
  m <- q[[1]]
  rows[[length(rows) + 1]] <<- data.frame(case = case, p = sprintf("%.17g", p),
    quantile = sprintf("%.15g", m[, 1]), ci_low = sprintf("%.15g", m[, 2]), ci_high = sprintf("%.15g", m[, 3]),
    se = sprintf("%.15g", m[, 4]))
}
p <- c(0.1, 0.25, 0.5, 0.75, 0.9)
put("SV01", svyquantile(~api00, dstrat, p, qrule = "shahvaish"), p)            # Woodruff (mean) interval
put("SV02", svyquantile(~api00, deq, c(0.05, 1/3, 0.5, 0.9), qrule = "shahvaish"), c(0.05, 1/3, 0.5, 0.9))
put("SV03", svyquantile(~api00, dclus1, p, qrule = "shahvaish"), p)
put("SC01", svyquantile(~api00, dclus1, p, interval.type = "score"), p)       # qrule math
put("SC02", svyquantile(~api00, dstrat, p, interval.type = "score"), p)
put("SC03", svyquantile(~enroll, dstrat, c(0.25, 0.5), interval.type = "score", qrule = "hf7"), c(0.25, 0.5))
write.csv(do.call(rbind, rows), "quantile_score_expected.csv", row.names = FALSE)
