# Quantiles on calibrated and raked designs (R 4.2, survey 4.1.1): cd Fixtures/rsurvey && Rscript calibrated_quantiles.R
# Linearisation: apistrat.csv as a stratified cluster design, svydesign(id=~dnum, strata=~stype, weights=~pw,
# nest=TRUE), calibrated or raked to apipop totals (stated below), then svyquantile(~api00) with the Woodruff
# interval; domains by subset() on comp.imp (what svyby does). Replicate weights: the JK1 design of
# apiclus1_jk1.csv (tests_contrasts.R) calibrated as replicate_calibration.R does, or raked; domains by sch.wide.
# Writes calibrated_quantiles_expected.csv (%.15g): case, rule, interval, domain, p, estimate, se, low, high.
suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "fail")
strat <- read.csv("apistrat.csv")
des <- svydesign(id = ~dnum, strata = ~stype, weights = ~pw, nest = TRUE, data = strat)
# apipop: N = 6194, awards Yes 4167, sum(api99) = 3914069, sch.wide No 1072 / Yes 5122, awards No 2027.
pop <- c(`(Intercept)` = 6194, awardsYes = 4167, api99 = 3914069)
designs <- list(
  CQ01 = calibrate(des, ~awards + api99, pop),                                    # linear (GREG)
  CQ02 = calibrate(des, ~awards + api99, pop, calfun = "logit", bounds = c(0.5, 2)), # grake
  CQ03 = rake(des, list(~sch.wide, ~awards),
              list(data.frame(sch.wide = c("No", "Yes"), Freq = c(1072, 5122)),
                   data.frame(awards = c("No", "Yes"), Freq = c(2027, 4167))),
              control = list(maxit = 1000, epsilon = 1e-12)))
designs$CQ06 <- postStratify(des, ~awards, data.frame(awards = c("No", "Yes"), Freq = c(2027, 4167)))
clus1 <- read.csv("apiclus1_jk1.csv")
jk1 <- svrepdesign(data = clus1, repweights = "^rw[0-9]+$", weights = ~pw, type = "JK1", scale = 0.9148392779,
                   combined.weights = TRUE)
designs$CQ04 <- calibrate(jk1, ~stype + api99, c(`(Intercept)` = 6194, stypeH = 755, stypeM = 1018, api99 = 3914069),
                          compress = FALSE)
designs$CQ05 <- rake(jk1, list(~stype, ~sch.wide),
                     list(data.frame(stype = c("E", "H", "M"), Freq = c(4421, 755, 1018)),
                          data.frame(sch.wide = c("No", "Yes"), Freq = c(1072, 5122))),
                     control = list(maxit = 1000, epsilon = 1e-12), compress = FALSE)
probs <- c(0.25, 0.5, 0.9)
out <- data.frame()
put <- function(case, rule, interval, domain, d) {
  r <- svyquantile(~api00, d, probs, qrule = rule, interval.type = interval, ci = TRUE, se = TRUE)$api00
  for (k in seq_along(probs)) out <<- rbind(out, data.frame(case = case, rule = rule, interval = interval,
    domain = domain, p = probs[k], estimate = sprintf("%.15g", r[k, 1]), se = sprintf("%.15g", r[k, 4]),
    low = sprintf("%.15g", r[k, 2]), high = sprintf("%.15g", r[k, 3])))
}
for (id in names(designs)) {
  d <- designs[[id]]
  replicate <- inherits(d, "svyrep.design")
  for (rule in c("math", "hf7", "school")) {
    for (interval in if (replicate) "mean" else c("mean", "xlogit")) {
      put(id, rule, interval, "", d)
      for (v in c("No", "Yes")) {
        put(id, rule, interval, v, if (replicate) subset(d, sch.wide == v) else subset(d, comp.imp == v))
      }
    }
  }
}
# The score interval (ffullerCI) of the linear calibration, whole sample only.
put("CQ01", "math", "score", "", designs$CQ01)
# svyby gives the same as subset(): checked here, not written.
b <- svyby(~api00, ~comp.imp, designs$CQ01, svyquantile, quantiles = 0.5, qrule = "hf7", ci = TRUE)
stopifnot(abs(coef(b)[["Yes"]] - as.numeric(out$estimate[out$case == "CQ01" & out$rule == "hf7" &
  out$interval == "mean" & out$domain == "Yes" & out$p == 0.5])) < 1e-9)
write.csv(out, "calibrated_quantiles_expected.csv", row.names = FALSE)
print(out[out$p == 0.5, ])
