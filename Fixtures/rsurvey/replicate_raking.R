# Raking margins on a replicate-weight design: every replicate raked to the same margins (R rake() on an
# svyrep.design: iterative post-stratification of the full-sample and of every replicate's weights, the replicates
# doing as many sweeps as the full sample needs). R 4.2, survey 4.1.1: cd Fixtures/rsurvey && Rscript replicate_raking.R
# Reads apiclus1_jk1.csv (apiclus1 with its JK1 replicate weights, combined; written by tests_contrasts.R).
# Writes replicate_raking_expected.csv (%.15g): case, statistic, domain, estimate, se.
suppressPackageStartupMessages(library(survey))
clus1 <- read.csv("apiclus1_jk1.csv")
jk1 <- svrepdesign(data = clus1, repweights = "^rw[0-9]+$", weights = ~pw, type = "JK1", scale = 0.9148392779,
                   combined.weights = TRUE)
margins <- list(~stype, ~sch.wide)
pop <- list(data.frame(stype = c("E", "H", "M"), Freq = c(4421, 755, 1018)),   # the apipop counts
            data.frame(sch.wide = c("No", "Yes"), Freq = c(1072, 5122)))
rows <- list()
put <- function(case, statistic, x, domain = "") {
  rows[[length(rows) + 1]] <<- data.frame(case = case, statistic = statistic, domain = domain,
    estimate = sprintf("%.15g", coef(x)), se = sprintf("%.15g", SE(x)))
}
cases <- list(
  RR01 = rake(jk1, margins, pop, control = list(epsilon = 1e-12, maxit = 1000)),  # converged
  RR02 = rake(jk1, margins, pop))  # R's defaults (epsilon = 1 weighted unit, maxit = 10): stops after a few sweeps
for (id in names(cases)) {
  d <- cases[[id]]
  put(id, "mean_api00", svymean(~api00, d))
  put(id, "total_enroll", svytotal(~enroll, d))
  b <- svyby(~api00, ~stype, d, svymean)
  for (k in seq_len(nrow(b))) put(id, "mean_api00_by", b[k, , drop = FALSE], as.character(b$stype[k]))
}
out <- do.call(rbind, rows)
write.csv(out, "replicate_raking_expected.csv", row.names = FALSE)
