# Rao–Scott and Wald tests of independence, design-based t-tests, contrasts of domain estimates and their
# covariance matrices (R 4.2, survey 4.1.1): cd Fixtures/rsurvey && Rscript tests_contrasts.R
# Writes tests_contrasts_expected.csv (%.15g): case, key, value.
suppressPackageStartupMessages(library(survey))
options(warn = -1)
out <- data.frame(case = character(), key = character(), value = character())
put <- function(case, key, value) out[nrow(out) + 1, ] <<- list(case, key, sprintf("%.15g", value))

apiclus1 <- read.csv("apiclus1.csv")
apistrat <- read.csv("apistrat.csv")
hi <- read.csv("apiclus1_hi.csv")
dclus1 <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1)
dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = apistrat)
dhi <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = hi)

# Tests of independence: every statistic of svychisq() with a closed form.
chisq <- function(case, formula, des) {
  for (s in c("F", "Chisq", "Wald", "adjWald")) {
    t <- svychisq(formula, des, statistic = s)
    put(case, paste0(s, "|statistic"), t$statistic)
    if (s == "Chisq") put(case, "Chisq|df", t$parameter[1]) else {
      put(case, paste0(s, "|ndf"), t$parameter[1]); put(case, paste0(s, "|ddf"), t$parameter[2])
    }
    put(case, paste0(s, "|p"), t$p.value)
  }
}
chisq("T01", ~stype + sch.wide, dclus1)   # 3 x 2, one-stage cluster sample
chisq("T02", ~stype + awards, dstrat)     # 3 x 2, stratified
chisq("T03", ~stype + hi, dhi)            # 3 x 2 with 32 of 183 hi missing (N counts them)
apistrat$mealsband <- cut(apistrat$meals, c(-1, 30, 60, 101), labels = c("low", "mid", "high"))
dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = apistrat)
chisq("T04", ~stype + mealsband, dstrat)  # 3 x 3
write.csv(apistrat[, c("stype", "pw", "fpc", "mealsband", "api00", "enroll", "awards", "acs.k3")],
          "apistrat_bands.csv", row.names = FALSE)

# Design-based t-tests of a difference in means between two groups.
ttest <- function(case, formula, des) {
  t <- svyttest(formula, des)
  put(case, "estimate", t$estimate); put(case, "t", t$statistic); put(case, "df", t$parameter)
  put(case, "se", t$estimate / t$statistic); put(case, "p", t$p.value)
  put(case, "ci_low", t$conf.int[1]); put(case, "ci_high", t$conf.int[2])
}
ttest("TT01", api00 ~ sch.wide, dclus1)
ttest("TT02", enroll ~ awards, dstrat)
ttest("TT03", acs.k3 ~ awards, dstrat)    # acs.k3 missing for 1 in 4 schools
# The JK1 replicate design of replicate_quantiles.R (combined weights), written as one file for the command line.
clus1 <- cbind(apiclus1[, c("dnum", "pw", "api00", "sch.wide", "stype", "api99", "enroll")], read.csv("rep_dclus1_JK1.csv"))
write.csv(clus1, "apiclus1_jk1.csv", row.names = FALSE)
jk1 <- svrepdesign(data = clus1, repweights = "^rw[0-9]+$", weights = ~pw, type = "JK1", scale = 0.9148392779,
                   combined.weights = TRUE)
ttest("TT04", api00 ~ sch.wide, jk1)

# Contrasts of domain estimates with the covariance between domains (svyby covmat = TRUE).
contrast <- function(case, by, coefs) {
  for (name in names(coefs)) {
    c <- svycontrast(by, coefs[[name]])
    put(case, paste0(name, "|estimate"), coef(c)); put(case, paste0(name, "|se"), SE(c))
  }
  v <- vcov(by)
  for (i in rownames(v)) for (j in colnames(v)) put(case, paste0("vcov|", i, "|", j), v[i, j])
}
contrast("C01", svyby(~api00, ~stype, dclus1, svymean, covmat = TRUE),
         list(EminusH = c(E = 1, H = -1), average = c(E = 1/3, H = 1/3, M = 1/3), EminusM = c(E = 1, M = -1)))
contrast("C02", svyby(~enroll, ~stype, dstrat, svytotal, covmat = TRUE),
         list(EminusM = c(E = 1, M = -1), sum = c(E = 1, H = 1, M = 1)))
contrast("C03", svyby(~api00, ~stype + awards, dclus1, svymean, covmat = TRUE),
         list(gapE = c(E.Yes = 1, E.No = -1), gapM = c(M.Yes = 1, M.No = -1)))
write.csv(out, "tests_contrasts_expected.csv", row.names = FALSE)
