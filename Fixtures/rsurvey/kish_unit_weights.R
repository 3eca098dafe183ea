# Kish's weighting effect per domain and unit-weight designs (R 4.2, survey 4.1.1):
# cd Fixtures/rsurvey && Rscript kish_unit_weights.R
# Writes kish_unit_weights_expected.csv (%.15g): case, domain, statistic, value.
suppressPackageStartupMessages(library(survey))
options(warn = -1)
out <- data.frame(case = character(), domain = character(), statistic = character(), value = character())
put <- function(case, domain, statistic, value)
  out[nrow(out) + 1, ] <<- list(case, domain, statistic, sprintf("%.15g", value))

# Kish per domain: the weights of subset(design, domain), rows with non-zero weight.
kish <- function(case, des, by) {
  doms <- if (is.null(by)) list("") else sort(unique(as.character(des$variables[[by]])))
  for (d in doms) {
    sub <- if (d == "") des else des[as.character(des$variables[[by]]) == d, ]
    w <- weights(sub); w <- w[w != 0]
    put(case, d, "n", length(w)); put(case, d, "sum_w", sum(w)); put(case, d, "sum_w2", sum(w^2))
    put(case, d, "kish_deff", length(w) * sum(w^2) / sum(w)^2); put(case, d, "n_eff", sum(w)^2 / sum(w^2))
  }
}
apistrat <- read.csv("apistrat.csv")
apiclus2 <- read.csv("apiclus2.csv")
apisrs <- read.csv("apisrs.csv")
apiclus1 <- read.csv("apiclus1.csv")
dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = apistrat)
kish("K01", dstrat, NULL)                 # whole sample
kish("K02", dstrat, "sch.wide")           # weights vary within each domain
dclus2pw <- svydesign(id = ~dnum + snum, weights = ~pw, data = apiclus2)
kish("K03", dclus2pw, "stype")

# Unit weights: svydesign without weights (every weight 1).
est <- function(case, x, stat) {
  put(case, "", paste0(stat, "_est"), coef(x)[1]); put(case, "", paste0(stat, "_se"), SE(x)[1])
}
byest <- function(case, x) {
  for (k in seq_len(nrow(x))) {
    put(case, as.character(x[k, 1]), "mean_est", x[k, 2]); put(case, as.character(x[k, 1]), "mean_se", x[k, 3])
  }
}
u1 <- svydesign(id = ~1, data = apisrs)                    # SRS with replacement, weight 1
est("U01", svymean(~api00, u1), "mean"); est("U01", svytotal(~enroll, u1, na.rm = TRUE), "total")
byest("U02", svyby(~api00, ~stype, u1, svymean))
u3 <- svydesign(id = ~1, fpc = ~fpc, weights = ~rep(1, nrow(apisrs)), data = apisrs)  # unit weights, FPC kept
est("U03", svymean(~api00, u3), "mean"); est("U03", svytotal(~enroll, u3, na.rm = TRUE), "total")
u4 <- svydesign(id = ~dnum, data = apiclus1)               # clusters, weight 1
est("U04", svymean(~api00, u4), "mean"); est("U04", svytotal(~enroll, u4), "total")
write.csv(out, "kish_unit_weights_expected.csv", row.names = FALSE)
