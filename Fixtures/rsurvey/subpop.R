# --subpop against R subset(design, ...) (R 4.2, survey from Debian r-cran-survey):
#   cd Fixtures/rsurvey && Rscript subpop.R
# Writes subpop_expected.csv (%.15g): case, statistic, level, estimate, se.
suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "fail")
strat <- read.csv("apistrat.csv")
clus1 <- cbind(read.csv("apiclus1.csv"), read.csv("rep_dclus1_JK1.csv"))
srs <- read.csv("apisrs.csv")
# Taylor: strata (stype) and PSUs (districts, nested in strata), with replacement.
taylor <- svydesign(id = ~dnum, strata = ~stype, weights = ~pw, data = strat, nest = TRUE)
jk1 <- svrepdesign(data = clus1, repweights = "^rw[0-9]+$", weights = ~pw, type = "JK1",
                   scale = 0.9148392779, combined.weights = TRUE)
wonly <- svydesign(id = ~1, weights = ~pw, data = srs)
num <- function(x) sprintf("%.15g", x)
rows <- list()
add <- function(case, statistic, level, est, se) {
  rows[[length(rows) + 1]] <<- data.frame(case = case, statistic = statistic, level = level,
                                          estimate = num(est), se = num(se))
}
run <- function(case, design) {
  m <- svymean(~api00, design); add(case, "mean api00", "", coef(m), SE(m))
  t <- svytotal(~enroll, design); add(case, "total enroll", "", coef(t), SE(t))
  p <- svymean(~awards, design)
  for (k in seq_along(coef(p))) add(case, "proportion awards", sub("^awards", "", names(coef(p))[k]), coef(p)[k], SE(p)[k])
  q <- svyquantile(~api00, design, c(0.25, 0.5))
  qm <- as.matrix(q[[1]])
  for (k in seq_len(nrow(qm))) add(case, "quantile api00", rownames(qm)[k], qm[k, 1], qm[k, 4])
}
# The subpopulations, written in the expression language of --subpop as well (see the tests).
# S01: a comparison with a missing acs.k3 is NA, so !(acs.k3 > 19) is NA and the row is outside, as in R.
run("S01", subset(taylor, !(acs.k3 > 19) | (stype == "H" & enroll >= 1000)))
run("S02", subset(jk1, meals < 50 & sch.wide == "Yes"))
run("S03", subset(wonly, stype %in% c("E", "M") & api99 > 600))
out <- do.call(rbind, rows)
write.csv(out, "subpop_expected.csv", row.names = FALSE)
print(out)
cat("survey", as.character(packageVersion("survey")), "R", R.version$major, R.version$minor, "\n")
