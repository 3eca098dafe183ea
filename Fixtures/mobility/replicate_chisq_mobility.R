# Oracle for the Rao–Scott test of `microdata mobility` under replicate weights (R 4.2.2, survey 4.1.1):
#   cd Fixtures/mobility && Rscript replicate_chisq_mobility.R
# Table: origin o = band of api99, destination d = band of api00 (1 = 700 and over, 2 = 550-699, 3 = under 550)
# on ../rsurvey/apiclus1_jk1.csv (apiclus1 with its JK1 replicate weights, combined; tests_contrasts.R).
# Writes api_jk1_bands.csv (the columns the test reads) and replicate_chisq_mobility_expected.csv (%.15g):
# svychisq(~o + d, design) on the JK1 svrepdesign (scale 0.9148392779), overall (group "All") and on
# subset(design, sch.wide == v) for each v: statistic F (F, ndf, ddf, p) and Chisq (X2, p), with degf; and the
# same on the design-built jackknife (group "JK", below).
suppressPackageStartupMessages(library(survey))
api <- read.csv("../rsurvey/apiclus1_jk1.csv")
band <- function(x) ifelse(x >= 700, 1, ifelse(x >= 550, 2, 3))
api$o <- band(api$api99); api$d <- band(api$api00)
write.csv(api[, c("dnum", "pw", "o", "d", "sch.wide", grep("^rw[0-9]+$", names(api), value = TRUE))],
          "api_jk1_bands.csv", row.names = FALSE)
jk1 <- svrepdesign(data = api, repweights = "^rw[0-9]+$", weights = ~pw, type = "JK1", scale = 0.9148392779,
                   combined.weights = TRUE)
out <- data.frame(group = character(), key = character(), value = character())
put <- function(g, key, value) out[nrow(out) + 1, ] <<- list(g, key, sprintf("%.15g", value))
test <- function(g, des) {
  put(g, "degf", degf(des))
  t <- svychisq(~o + d, des, statistic = "F")
  put(g, "F", t$statistic); put(g, "ndf", t$parameter[1]); put(g, "ddf", t$parameter[2]); put(g, "p", t$p.value)
  t <- svychisq(~o + d, des, statistic = "Chisq")
  put(g, "X2", t$statistic); put(g, "chisq_p", t$p.value)
}
test("All", jk1)
for (v in c("No", "Yes")) test(v, subset(jk1, sch.wide == v))
# The jackknife built from the design (--jackknife): JK1 of dclus1 on ../rsurvey/apiclus1.csv (written with the
# bands as api_clus1_bands.csv).
clus1 <- read.csv("../rsurvey/apiclus1.csv")
clus1$o <- band(clus1$api99); clus1$d <- band(clus1$api00)
write.csv(clus1[, c("dnum", "pw", "fpc", "o", "d")], "api_clus1_bands.csv", row.names = FALSE)
test("JK", as.svrepdesign(svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = clus1), type = "JK1"))
write.csv(out, "replicate_chisq_mobility_expected.csv", row.names = FALSE)
print(out)
