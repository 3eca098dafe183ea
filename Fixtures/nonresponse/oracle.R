# Oracles for NonresponseWeights tests: Rscript oracle.R (R survey 4.1.1)
library(survey)
options(digits = 17)
x <- read.csv("cohort.csv")
d <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w0, nest = TRUE, data = x)
m <- svyglm(respond ~ factor(origin) + factor(sex) + region, design = d, family = quasibinomial())
co <- data.frame(term = names(coef(m)), estimate = coef(m), se = sqrt(diag(vcov(m))), row.names = NULL)
write.csv(co, "oracle_coefficients.csv", row.names = FALSE)
tests <- do.call(rbind, lapply(c("factor(origin)", "factor(sex)", "region"), function(t) {
  r <- regTermTest(m, as.formula(paste("~", t)), method = "Wald")
  data.frame(term = t, F = as.numeric(r$Ftest), df = r$df, ddf = r$ddf, p = as.numeric(r$p))
}))
write.csv(tests, "oracle_wald.csv", row.names = FALSE)
x$p <- fitted(m)
r <- x[x$respond == 1, ]
r$w_new <- r$w0 / r$p
q99 <- quantile(r$w_new, 0.99, type = 7)
r$w_q99 <- pmin(r$w_new, q99)
r$w_max <- pmin(r$w_new, 300)
write.csv(r[, c("id", "p", "w_new", "w_q99", "w_max")], "oracle_weights.csv", row.names = FALSE)
kish <- function(w) length(w) * sum(w^2) / sum(w)^2
s <- data.frame(what = c("q99", "capped_q99", "capped_max", "kish_new", "min", "q1", "median", "q3", "max"),
  value = c(q99, sum(r$w_new > q99), sum(r$w_new > 300), kish(r$w_new), min(r$w_new),
            quantile(r$w_new, c(0.25, 0.5, 0.75), type = 7), max(r$w_new)))
write.csv(s, "oracle_summary.csv", row.names = FALSE)
means <- do.call(rbind, lapply(c("w0", "w_new", "w_q99", "w_max"), function(w) {
  dr <- svydesign(ids = ~psu, strata = ~stratum, weights = as.formula(paste("~", w)), nest = TRUE, data = r)
  e <- svymean(~income, dr)
  data.frame(weight = w, mean = coef(e), se = as.numeric(SE(e)), row.names = NULL)
}))
write.csv(means, "oracle_means.csv", row.names = FALSE)
# Balance: proportions of each model variable, full sample with w0, responders with w_new (as a domain)
x$w_new <- ifelse(x$respond == 1, x$w0 / x$p, x$w0)
dn <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w_new, nest = TRUE, data = x)
bal <- do.call(rbind, lapply(c("origin", "sex"), function(v) {
  f <- as.formula(paste0("~factor(", v, ")"))
  a <- svymean(f, d); b <- svymean(f, subset(dn, respond == 1)); cc <- svymean(f, subset(d, respond == 1))
  data.frame(variable = v, level = sub(".*\\)", "", names(coef(a))), baseline = coef(a), baseline_se = SE(a),
             responders_w0 = coef(cc), responders_new = coef(b), responders_new_se = SE(b), row.names = NULL)
}))
a <- svymean(~region, d); b <- svymean(~region, subset(dn, respond == 1)); cc <- svymean(~region, subset(d, respond == 1))
bal <- rbind(bal, data.frame(variable = "region", level = "", baseline = coef(a), baseline_se = as.numeric(SE(a)),
  responders_w0 = coef(cc), responders_new = coef(b), responders_new_se = as.numeric(SE(b)), row.names = NULL))
write.csv(bal, "oracle_balance.csv", row.names = FALSE)
