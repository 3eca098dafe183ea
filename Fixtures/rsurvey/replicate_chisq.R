# Rao–Scott and Wald tests of independence under replicate weights (R 4.2, survey 4.1.1):
#   cd Fixtures/rsurvey && Rscript replicate_chisq.R
# svychisq.svyrep.design: V is the replicate covariance of svymean(cells), nu = degf(design) (rank of the
# replicate weights - 1). Writes replicate_chisq_expected.csv (%.15g): case, key, value.
suppressPackageStartupMessages(library(survey))
options(warn = -1, survey.lonely.psu = "fail", survey.replicates.mse = FALSE)
out <- data.frame(case = character(), key = character(), value = character())
put <- function(case, key, value) out[nrow(out) + 1, ] <<- list(case, key, sprintf("%.15g", value))
chisq <- function(case, formula, des) {
  put(case, "degf", degf(des))
  for (s in c("F", "Chisq", "Wald", "adjWald")) {
    t <- svychisq(formula, des, statistic = s)
    put(case, paste0(s, "|statistic"), t$statistic)
    if (s == "Chisq") put(case, "Chisq|df", t$parameter[1]) else {
      put(case, paste0(s, "|ndf"), t$parameter[1]); put(case, paste0(s, "|ddf"), t$parameter[2])
    }
    put(case, paste0(s, "|p"), t$p.value)
  }
}
# Imported replicate weights: the JK1 design of apiclus1_jk1.csv (tests_contrasts.R), combined weights.
clus1 <- read.csv("apiclus1_jk1.csv")
jk1 <- svrepdesign(data = clus1, repweights = "^rw[0-9]+$", weights = ~pw, type = "JK1", scale = 0.9148392779,
                   combined.weights = TRUE)
chisq("RC01", ~stype + sch.wide, jk1)
# The same with mse = TRUE (centred on the full-sample estimate).
jk1mse <- svrepdesign(data = clus1, repweights = "^rw[0-9]+$", weights = ~pw, type = "JK1", scale = 0.9148392779,
                      combined.weights = TRUE, mse = TRUE)
chisq("RC02", ~stype + sch.wide, jk1mse)
# Missing values: hi (apiclus1_hi.csv, 32 of 183 missing) with the replicate weights of rep_dclus1_JK1.csv.
hi <- cbind(read.csv("apiclus1_hi.csv"), read.csv("rep_dclus1_JK1.csv"))
jkhi <- svrepdesign(data = hi, repweights = "^rw[0-9]+$", weights = ~pw, type = "JK1", scale = 0.9148392779,
                    combined.weights = TRUE)
chisq("RC03", ~stype + hi, jkhi)
# The jackknife built from the design (--jackknife): JK1 of the cluster sample, JKn of the stratified one.
apiclus1 <- read.csv("apiclus1.csv")
bands <- read.csv("apistrat_bands.csv")
dclus1 <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1)
dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = bands)
chisq("RC04", ~stype + sch.wide, as.svrepdesign(dclus1, type = "JK1"))
chisq("RC05", ~stype + mealsband, as.svrepdesign(dstrat, type = "JKn"))
write.csv(out, "replicate_chisq_expected.csv", row.names = FALSE)
print(out)
