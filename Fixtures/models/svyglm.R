# Oracle for `microdata model`: R survey::svyglm and regTermTest on the api data in ../rsurvey.
# Run: cd Fixtures/models && Rscript svyglm.R   (writes expected.csv; values sprintf("%.15g"))
suppressMessages(library(survey))
apistrat <- read.csv("../rsurvey/apistrat.csv")
apiclus1 <- read.csv("../rsurvey/apiclus1.csv")
apisrs <- read.csv("../rsurvey/apisrs.csv")
dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = apistrat)
dclus1 <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1)
dsrsw <- svydesign(id = ~1, weights = ~pw, data = apisrs)            # weights only, with replacement
dstrclus <- svydesign(id = ~dnum, strata = ~stype, weights = ~pw, data = apistrat, nest = TRUE)  # strata + PSUs, no fpc
out <- list()
add <- function(case, term, statistic, value) {
  out[[length(out) + 1]] <<- data.frame(case = case, term = term, statistic = statistic,
                                        value = sprintf("%.15g", value))
}
fit <- function(case, formula, design, family = gaussian()) {
  m <- svyglm(formula, design = design, family = family)
  s <- summary(m)$coefficients
  ci <- confint(m)
  for (t in rownames(s)) {
    add(case, t, "estimate", s[t, 1]); add(case, t, "se", s[t, 2])
    add(case, t, "t", s[t, 3]); add(case, t, "p", s[t, 4])
    add(case, t, "ci_low", ci[t, 1]); add(case, t, "ci_high", ci[t, 2])
  }
  add(case, "", "residual_df", m$df.residual)
  add(case, "", "n", nrow(model.matrix(m)))
  m
}
m1 <- fit("M01", api00 ~ ell + meals + mobility, dclus1)
m2 <- fit("M02", api00 ~ factor(stype) + enroll, dstrat)
m3 <- fit("M03", I(sch.wide == "Yes") ~ ell + meals, dclus1, quasibinomial())
m4 <- fit("M04", enroll ~ factor(stype), dstrat, quasipoisson())
m5 <- fit("M05", api00 ~ ell * meals, dclus1)
m6 <- fit("M06", api00 ~ log(enroll) + I(meals >= 50) + factor(stype) + ell:meals, dstrat)
m7 <- fit("M07", I(sch.wide == "Yes") ~ factor(stype) + meals, dsrsw, quasibinomial())
m8 <- fit("M08", api00 ~ acs.k3 + meals, dstrat)                     # rows with NA acs.k3: na.omit
m9 <- fit("M09", I(awards == "Yes") ~ factor(stype) + ell + log(enroll), dstrclus, quasibinomial())
m10 <- fit("M10", api00 ~ I(ell / 10) + factor(stype):meals, dclus1)
m11 <- fit("M11", api00 ~ ell + meals, subset(dclus1, stype == "E"))    # a domain (--subpop / --by)
m12 <- fit("M12", api00 ~ relevel(factor(stype), ref = "H") + meals, dstrat)  # a chosen reference level
m13 <- fit("M13", api00 ~ poly(meals, 2, raw = TRUE) + factor(stype), dstrat)  # raw polynomial
# Replicate weights: the JK1 replicates of dclus1 exported in ../rsurvey (scale as in replicate_designs_meta.csv).
rep1 <- read.csv("../rsurvey/rep_dclus1_JK1.csv")
djk <- svrepdesign(data = cbind(apiclus1, rep1), repweights = "rw[0-9]+", weights = ~pw, type = "JK1",
                   scale = 0.9148392779, combined.weights = TRUE)
r1 <- fit("R01", api00 ~ ell + meals, djk)
r2 <- fit("R02", I(sch.wide == "Yes") ~ ell + factor(stype), djk, quasibinomial())
# Two-stage design with both FPCs (weights derived from them, as R does without weights): issue 16 designs.
apiclus2 <- read.csv("../rsurvey/apiclus2.csv")
dclus2 <- svydesign(id = ~dnum + snum, fpc = ~fpc1 + fpc2, data = apiclus2)
s1 <- fit("S01", api00 ~ ell + meals + factor(stype), dclus2)
s2 <- fit("S02", I(sch.wide == "Yes") ~ meals + factor(stype), dclus2, quasibinomial())
# Households as clusters (one cluster column, no strata, no fpc: with-replacement over clusters).
dhh <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1)
h1 <- fit("H01", I(sch.wide == "Yes") ~ ell + meals, dhh, quasibinomial())
# More replicate designs: logistic on the bootstrap replicates (rscales all 1), Poisson on JKn replicates.
boot <- read.csv("../rsurvey/rep_dclus1_boot50_seed42.csv")
dboot <- svrepdesign(data = cbind(apiclus1, boot), repweights = "rw[0-9]+", weights = ~pw, type = "bootstrap",
                     scale = 0.02186588921, combined.weights = TRUE)
r3 <- fit("R03", I(awards == "Yes") ~ meals + factor(stype), dboot, quasibinomial())
jkn <- read.csv("../rsurvey/rep_clus1str3_JKn.csv")
jknr <- read.csv("../rsurvey/rep_clus1str3_JKn_rscales.csv")$rscales
djkn <- svrepdesign(data = cbind(apiclus1, jkn), repweights = "jkn[0-9]+", weights = ~pw, type = "JKn",
                    rscales = jknr, combined.weights = TRUE)
r4 <- fit("R04", enroll ~ ell + factor(stype), djkn, quasipoisson())
# The jackknife built from the design (tabulate --jackknife): as.svrepdesign of strata + PSUs (JKn) and of
# PSUs with fpc (JK1).
j1 <- fit("J01", I(awards == "Yes") ~ factor(stype) + ell, as.svrepdesign(dstrclus, type = "JKn"), quasibinomial())
j2 <- fit("J02", api00 ~ ell + meals, as.svrepdesign(dclus1, type = "JK1"))
# Calibrated designs (GREG and bounded raking) on apipop totals: svyglm uses the calibrated weights and
# residualises the influence functions on the calibration variables.
pop <- c(`(Intercept)` = 6194, stypeH = 755, stypeM = 1018, api99 = 3914069)
dcal <- calibrate(dclus1, ~stype + api99, pop)
c1 <- fit("C01", api00 ~ ell + meals, dcal)
c2 <- fit("C02", I(sch.wide == "Yes") ~ ell + meals, dcal, quasibinomial())
dcalr <- calibrate(dclus1, ~stype + api99, pop, calfun = "raking", bounds = c(0.5, 1.8))
c3 <- fit("C03", api00 ~ ell + factor(stype), dcalr)
c4 <- fit("C04", api00 ~ ell + meals, subset(dcal, stype != "H"))   # a domain of a calibrated design
# Poisson with an interaction, a chosen reference level, a domain and na.omit on a weights-only design.
p1 <- fit("P01", enroll ~ relevel(factor(stype), ref = "M") * avg.ed,
          subset(dsrsw, api00 >= 600), quasipoisson())
# Lonely PSUs (stratum 3 of singleton_toy has one PSU); "adjust" is left out: survey 4.1.1 centres it
# differently from 4.5, which the Taylor kernel follows (../rsurvey/version_differences_4.1.1_vs_4.5.txt).
toy <- read.csv("../rsurvey/singleton_toy.csv")
dsing <- svydesign(ids = ~PSU, strata = ~Stratum, weights = ~Design_Weight, data = toy)
options(survey.lonely.psu = "remove"); l1 <- fit("L01", Age ~ Design_Weight, dsing)
options(survey.lonely.psu = "average"); l2 <- fit("L02", Age ~ Design_Weight, dsing)
options(survey.lonely.psu = "certainty"); l3 <- fit("L03", Age ~ 1, dsing)
options(survey.lonely.psu = "fail")
test <- function(case, model, term) {
  r <- regTermTest(model, term, method = "Wald")
  add(case, deparse(term[[2]]), "F", r$Ftest); add(case, deparse(term[[2]]), "df", r$df)
  add(case, deparse(term[[2]]), "ddf", r$ddf); add(case, deparse(term[[2]]), "p", r$p)
}
test("T02", m2, ~factor(stype))
test("T06", m6, ~factor(stype))
test("T09", m9, ~factor(stype))
test("T01", m1, ~ell + meals)
test("TR2", r2, ~factor(stype))
write.csv(do.call(rbind, out), "expected.csv", row.names = FALSE)
cat(R.version.string, "; survey", as.character(packageVersion("survey")), "\n")
