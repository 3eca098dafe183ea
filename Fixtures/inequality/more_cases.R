# More convey 1.0.1 cases (run from Fixtures/inequality: Rscript more_cases.R > more_cases_expected.csv).
# R survey 4.1.1 (Debian r-cran-survey) with convey's R/ sources (/work/shared/tools/convey-1.0.1/R) source()d.
suppressMessages(library(survey))
for (f in list.files("/work/shared/tools/convey-1.0.1/R", full.names = TRUE)) source(f)
apistrat <- read.csv("../rsurvey/apistrat.csv")
apiclus1 <- read.csv("../rsurvey/apiclus1.csv")
dstrat <- convey_prep(svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat, fpc = ~fpc))
dclus1 <- convey_prep(svydesign(id = ~dnum, weights = ~pw, data = apiclus1, fpc = ~fpc))
dw <- convey_prep(svydesign(id = ~1, weights = ~pw, data = apistrat))
rw <- read.csv("../rsurvey/rep_dclus1_JK1.csv")
djk <- convey_prep(svrepdesign(data = apiclus1, repweights = rw, weights = ~pw, type = "JK1",
                               combined.weights = TRUE, scale = 0.9148392779))
out <- function(id, call, stat, terms, est, se) {
  for (k in seq_along(terms)) {
    cat(sprintf('"%s","%s","%s","%s","%.15g"\n', id, call, stat, terms[k], est[k]))
    cat(sprintf('"%s","%s","%s","%s","%.15g"\n', id, call, "SE", terms[k], se[k]))
  }
}
cat('"case","call","statistic","term","value"\n')
x <- svygini(~enroll, dw); out("IQ01", "svygini(~enroll, dw)", "gini", "enroll", coef(x), SE(x))
x <- svyqsr(~enroll, dw); out("IQ02", "svyqsr(~enroll, dw)", "qsr", "enroll", coef(x), SE(x))
x <- svyarpr(~enroll, dw); out("IQ03", "svyarpr(~enroll, dw)", "arpr", "enroll", coef(x), SE(x))
x <- svyby(~enroll, ~stype, dstrat, svyarpr)
out("IQ04", "svyby(~enroll, ~stype, dstrat, svyarpr)", "arpr", paste0("stype=", x$stype), coef(x), SE(x))
x <- svyby(~api00, ~stype, dclus1, svyarpt)
out("IQ05", "svyby(~api00, ~stype, dclus1, svyarpt)", "arpt", paste0("stype=", x$stype), coef(x), SE(x))
x <- svyby(~api00, ~stype, dclus1, svyqsr)
out("IQ06", "svyby(~api00, ~stype, dclus1, svyqsr)", "qsr", paste0("stype=", x$stype), coef(x), SE(x))
x <- svyqsr(~api00, djk); out("IQ07", "svyqsr(~api00, djk)", "qsr", "api00", coef(x), SE(x))
x <- svyarpr(~enroll, djk); out("IQ08", "svyarpr(~enroll, djk)", "arpr", "enroll", coef(x), SE(x))
x <- svyarpt(~api00, djk); out("IQ09", "svyarpt(~api00, djk)", "arpt", "api00", coef(x), SE(x))
x <- svylorenz(~api00, djk, quantiles = c(.5, .9), plot = FALSE)
out("IQ10", "svylorenz(~api00, djk, quantiles = c(.5, .9))", "lorenz", c("L(0.5)", "L(0.9)"), coef(x), SE(x))
x <- svylorenz(~api00, dclus1, quantiles = c(.5, .9), plot = FALSE)
out("IQ11", "svylorenz(~api00, dclus1, quantiles = c(.5, .9))", "lorenz", c("L(0.5)", "L(0.9)"), coef(x), SE(x))
