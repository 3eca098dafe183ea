# Percentile ratios, relative median poverty gaps and per-domain poverty lines against convey 1.0.1
# (run from Fixtures/inequality: Rscript ratio_gap_cases.R > ratio_gap_cases_expected.csv).
# R survey 4.1.1 (Debian r-cran-survey) with convey's R/ sources (/work/shared/tools/convey-1.0.1/R) source()d.
suppressMessages(library(survey))
for (f in list.files("/work/shared/tools/convey-1.0.1/R", full.names = TRUE)) source(f)
apistrat <- read.csv("../rsurvey/apistrat.csv")
apiclus1 <- read.csv("../rsurvey/apiclus1.csv")
# Stratified cluster design: districts within school types (nest = TRUE), with replacement.
sc_raw <- svydesign(id = ~dnum, strata = ~stype, weights = ~pw, data = apistrat, nest = TRUE)
dsc <- convey_prep(sc_raw)
w_raw <- svydesign(id = ~1, weights = ~pw, data = apistrat)
dw <- convey_prep(w_raw)
rw <- read.csv("../rsurvey/rep_dclus1_JK1.csv")
jk_raw <- svrepdesign(data = apiclus1, repweights = rw, weights = ~pw, type = "JK1",
                      combined.weights = TRUE, scale = 0.9148392779)
djk <- convey_prep(jk_raw)
# The percentile ratio Q(top)/Q(bottom): convey's svyiqalpha quantiles and influence functions, combined by
# contrastinf and pushed through svyrecvar (linearised); under replicate weights the ratio of
# computeQuantiles in each replicate through svrVar.
svypr <- function(formula, design, top = 0.9, bottom = 0.1) {
  if (inherits(design, "svyrep.design")) {
    x <- model.frame(formula, design$variables)[[1]]
    est <- computeQuantiles(x, weights(design, "sampling"), top) / computeQuantiles(x, weights(design, "sampling"), bottom)
    qq <- apply(weights(design, "analysis"), 2, function(wi) computeQuantiles(x, wi, top) / computeQuantiles(x, wi, bottom))
    return(c(est, sqrt(svrVar(qq, design$scale, design$rscales, mse = design$mse, coef = est))))
  }
  qt <- svyiqalpha(formula, design, top); qb <- svyiqalpha(formula, design, bottom)
  r <- contrastinf(quote(QT / QB), list(QT = list(value = coef(qt), lin = attr(qt, "lin")),
                                        QB = list(value = coef(qb), lin = attr(qb, "lin"))))
  v <- svyrecvar(r$lin / design$prob, design$cluster, design$strata, design$fpc, postStrata = design$postStrata)
  c(r$value, sqrt(v))
}
out <- function(id, call, stat, terms, est, se) {
  for (k in seq_along(terms)) {
    cat(sprintf('"%s","%s","%s","%s","%.15g"\n', id, call, stat, terms[k], est[k]))
    cat(sprintf('"%s","%s","%s","%s","%.15g"\n', id, call, "SE", terms[k], se[k]))
  }
}
pr_by <- function(id, call, formula, design, by, levels, ...) {
  for (k in levels) {
    d <- design[design$variables[[by]] == k, ]
    r <- svypr(formula, d, ...)
    out(id, call, "percentile_ratio", paste0(by, "=", k), r[1], r[2])
  }
}
cat('"case","call","statistic","term","value"\n')
r <- svypr(~enroll, dsc); out("RG01", "svypr(~enroll, dsc)", "percentile_ratio", "enroll", r[1], r[2])
r <- svypr(~api00, dsc, 0.75, 0.25); out("RG02", "svypr(~api00, dsc, 0.75, 0.25)", "percentile_ratio", "api00", r[1], r[2])
r <- svypr(~enroll, dw); out("RG03", "svypr(~enroll, dw)", "percentile_ratio", "enroll", r[1], r[2])
r <- svypr(~api00, djk); out("RG04", "svypr(~api00, djk)", "percentile_ratio", "api00", r[1], r[2])
pr_by("RG05", "svypr(~enroll, dsc[awards == k, ])", ~enroll, dsc, "awards", c("No", "Yes"))
pr_by("RG06", "svypr(~api00, djk[stype == k, ])", ~api00, djk, "stype", c("E", "H", "M"))
x <- svyrmpg(~enroll, dsc); out("RG07", "svyrmpg(~enroll, dsc)", "rmpg", "enroll", coef(x), SE(x))
x <- svyrmpg(~enroll, dw); out("RG08", "svyrmpg(~enroll, dw)", "rmpg", "enroll", coef(x), SE(x))
x <- svyrmpg(~enroll, djk); out("RG09", "svyrmpg(~enroll, djk)", "rmpg", "enroll", coef(x), SE(x))
x <- svyby(~enroll, ~awards, dsc, svyrmpg)
out("RG10", "svyby(~enroll, ~awards, dsc, svyrmpg)", "rmpg", paste0("awards=", x$awards), coef(x), SE(x))
x <- svyby(~enroll, ~stype, djk, svyrmpg)
out("RG11", "svyby(~enroll, ~stype, djk, svyrmpg)", "rmpg", paste0("stype=", x$stype), coef(x), SE(x))
x <- svyrmpg(~api00, dsc, percent = 0.7, quantiles = 0.4)
out("RG12", "svyrmpg(~api00, dsc, percent = 0.7, quantiles = 0.4)", "rmpg", "api00", coef(x), SE(x))
# Per-domain poverty lines: each domain its own full design (convey_prep on the subset).
for (k in c("No", "Yes")) {
  d <- convey_prep(subset(sc_raw, awards == k))
  x <- svyarpr(~enroll, d)
  out("RG13", "svyarpr(~enroll, convey_prep(subset(sc_raw, awards == k)))", "arpr", paste0("awards=", k), coef(x), SE(x))
  x <- svyrmpg(~enroll, d)
  out("RG14", "svyrmpg(~enroll, convey_prep(subset(sc_raw, awards == k)))", "rmpg", paste0("awards=", k), coef(x), SE(x))
}
for (k in c("E", "H", "M")) {
  d <- convey_prep(subset(jk_raw, stype == k))
  x <- svyarpr(~enroll, d)
  out("RG15", "svyarpr(~enroll, convey_prep(subset(jk_raw, stype == k)))", "arpr", paste0("stype=", k), coef(x), SE(x))
  x <- svyrmpg(~enroll, d)
  out("RG16", "svyrmpg(~enroll, convey_prep(subset(jk_raw, stype == k)))", "rmpg", paste0("stype=", k), coef(x), SE(x))
}
# JKn (apiclus1's 15 districts in 3 pseudo-strata, rscales from the file) and bootstrap replicate designs.
wj <- read.csv("../rsurvey/rep_clus1str3_JKn.csv")
rs <- read.csv("../rsurvey/rep_clus1str3_JKn_rscales.csv")$rscales
djkn <- convey_prep(svrepdesign(data = cbind(apiclus1, wj), repweights = "^jkn[0-9]+$", weights = ~pw, type = "JKn",
                                scale = 1, rscales = rs, combined.weights = TRUE))
bw <- read.csv("../rsurvey/rep_dclus1_boot50_seed42.csv")
dboot <- convey_prep(svrepdesign(data = apiclus1, repweights = bw, weights = ~pw, type = "bootstrap",
                                 combined.weights = TRUE, scale = 0.02186588921, rscales = rep(1, ncol(bw))))
r <- svypr(~api00, djkn); out("RG17", "svypr(~api00, djkn)", "percentile_ratio", "api00", r[1], r[2])
x <- svyrmpg(~enroll, djkn); out("RG18", "svyrmpg(~enroll, djkn)", "rmpg", "enroll", coef(x), SE(x))
r <- svypr(~api00, dboot); out("RG19", "svypr(~api00, dboot)", "percentile_ratio", "api00", r[1], r[2])
x <- svyrmpg(~enroll, dboot); out("RG20", "svyrmpg(~enroll, dboot)", "rmpg", "enroll", coef(x), SE(x))
