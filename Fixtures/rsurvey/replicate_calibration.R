# Calibration and post-stratification of a replicate-weight design: every replicate calibrated to the same totals
# (R 4.2, survey 4.1.1): cd Fixtures/rsurvey && Rscript replicate_calibration.R
# Reads apiclus1_jk1.csv (written by tests_contrasts.R: apiclus1 with its JK1 replicate weights, combined).
# Writes replicate_calibration_expected.csv (%.15g): case, statistic, domain, estimate, se.
suppressPackageStartupMessages(library(survey))
clus1 <- read.csv("apiclus1_jk1.csv")
jk1 <- svrepdesign(data = clus1, repweights = "^rw[0-9]+$", weights = ~pw, type = "JK1", scale = 0.9148392779,
                   combined.weights = TRUE)
pop <- c(`(Intercept)` = 6194, stypeH = 755, stypeM = 1018, api99 = 3914069)   # the apipop totals
rows <- list()
put <- function(case, statistic, x, domain = "") {
  rows[[length(rows) + 1]] <<- data.frame(case = case, statistic = statistic, domain = domain,
    estimate = sprintf("%.15g", coef(x)), se = sprintf("%.15g", SE(x)))
}
cases <- list(
  RC01 = calibrate(jk1, ~stype + api99, pop, compress = FALSE),  # linear (regcalibrate; 4.1.1 fails on compress = NA)
  RC02 = calibrate(jk1, ~stype + api99, pop, calfun = "raking", compress = FALSE),
  # (logit with bounds c(0.7, 1.7): R's grake does not converge in 4 of the 15 replicates; not a case)
  RC03 = postStratify(jk1, ~stype, data.frame(stype = c("E", "H", "M"), Freq = c(4421, 755, 1018))))
for (id in names(cases)) {
  d <- cases[[id]]
  put(id, "mean_api00", svymean(~api00, d))
  put(id, "total_enroll", svytotal(~enroll, d))
  b <- svyby(~api00, ~sch.wide, d, svymean)
  for (k in seq_len(nrow(b))) put(id, "mean_api00_by", b[k, , drop = FALSE], as.character(b$sch.wide[k]))
}
out <- do.call(rbind, rows)
write.csv(out, "replicate_calibration_expected.csv", row.names = FALSE)
