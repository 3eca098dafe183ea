# Quantile rules against R (R 4.2, survey 4.1.1; run from Fixtures/rsurvey: Rscript quantile_rules.R).
# Equal weights: stats::quantile(x, p, type = k) for k = 1..9 on the first 25 api00 values of apistrat
# (ties included), and "school" = type 2. Unequal weights: svyquantile(~api00, dstrat, p, qrule = rule)
# for every rule on the whole of apistrat (column value). Writes quantile_rules_expected.csv (sprintf("%.15g")).
suppressMessages(library(survey))
apistrat <- read.csv("apistrat.csv")
dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat, fpc = ~fpc)
x <- apistrat$api00[1:25]
p <- c(0, 0.05, 0.1, 0.25, 1/3, 0.5, 0.6, 2/3, 0.75, 0.9, 0.95, 1)
# The equal-weight rows also give svyquantile() at equal weights (column svyquantile; NA for the weighted rows):
# R survey's hf3 differs from type 3, and below the first cumulative share (p < 1/25 here) and, for hf4, at p = 1
# R survey's qs() edge gives other values than quantile().
eq <- data.frame(api00 = x, one = 1)
deq <- svydesign(id = ~1, weights = ~one, data = eq)
rows <- list()
for (k in c(1:9, 2)) {
  rule <- if (length(rows) == 9) "school" else paste0("hf", k)
  rows[[length(rows) + 1]] <- data.frame(case = "equal", rule = rule, p = sprintf("%.17g", p),
    value = sprintf("%.15g", quantile(x, p, type = k, names = FALSE)),
    svyquantile = sprintf("%.15g", as.vector(coef(svyquantile(~api00, deq, p, qrule = rule, ci = FALSE)))))
}
pw <- c(0.1, 0.25, 0.5, 0.75, 0.9)
for (rule in c("math", "school", paste0("hf", 1:9))) {
  q <- svyquantile(~api00, dstrat, pw, qrule = rule, ci = FALSE)
  rows[[length(rows) + 1]] <- data.frame(case = "dstrat", rule = rule, p = sprintf("%.17g", pw),
    value = sprintf("%.15g", as.vector(coef(q))), svyquantile = NA)
}
write.csv(do.call(rbind, rows), "quantile_rules_expected.csv", row.names = FALSE)
