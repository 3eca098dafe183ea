# Quantiles under a jackknife built from the design (R 4.2, survey 4.1.1):
#   cd Fixtures/rsurvey && Rscript jackknife_quantiles.R
# Writes jackknife_quantiles_expected.csv (%.15g): case, domain, p, quantile, ci_low, ci_high, se, df.
suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "fail", survey.replicates.mse = FALSE)
clus1 <- read.csv("apiclus1.csv")
strat <- read.csv("apistrat.csv")
dclus1 <- svydesign(id = ~dnum, weights = ~pw, data = clus1, fpc = ~fpc)
dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = strat, fpc = ~fpc)
jk1 <- as.svrepdesign(dclus1, type = "JK1")
jkn <- as.svrepdesign(dstrat, type = "JKn")
num <- function(x) sprintf("%.15g", x)
rows <- list()
add <- function(case, domain, q, df) {
  m <- as.matrix(q[[1]])
  rows[[length(rows) + 1]] <<- data.frame(case = case, domain = domain, p = rownames(m),
    quantile = num(m[, 1]), ci_low = num(m[, 2]), ci_high = num(m[, 3]), se = num(m[, 4]), df = num(df))
}
# JQ01 JK1 from a one-stage cluster design with fpc: Woodruff interval (the default interval.type = "mean").
add("JQ01", "", svyquantile(~api00, jk1, c(0.25, 0.5, 0.75)), degf(jk1))
# JQ02 per domain (subset sets the weights outside the domain to zero, as svyby does).
for (s in c("E", "H", "M")) {
  d <- subset(jk1, stype == s)
  add("JQ02", s, svyquantile(~api00, d, 0.5), degf(d))
}
# JQ03 JKn from a stratified element design with fpc.
add("JQ03", "", svyquantile(~api00, jkn, c(0.1, 0.5, 0.9)), degf(jkn))
out <- do.call(rbind, rows)
write.csv(out, "jackknife_quantiles_expected.csv", row.names = FALSE)
print(out)
cat("linearisation degf dclus1", degf(dclus1), "dstrat", degf(dstrat), "\n")
