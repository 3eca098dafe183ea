# Synthetic cohort with five imputations of father's class (origin) and earnings, and R survey + mitools
# oracles (run from this folder: Rscript make_cohort.R). Writes cohort_long.csv (mice .imp/.id long form,
# imputation 0 = the original data with missing values), cohort_imp1.csv ... cohort_imp5.csv and expected.csv.
suppressMessages({ library(survey); library(mitools) })
set.seed(2026)
n <- 360
stratum <- rep(1:4, each = n / 4)
psu <- rep(1:36, each = 10)                      # 9 PSUs per stratum, 10 members each
w <- round(runif(n, 50, 150), 2)
sex <- sample(1:2, n, replace = TRUE)
origin_true <- sample(1:3, n, replace = TRUE, prob = c(0.3, 0.4, 0.3))
destination <- pmin(3, pmax(1, origin_true + sample(c(-2, -1, 0, 0, 1, 2), n, replace = TRUE)))
earn <- round(300 + 60 * (3 - destination) + 25 * (3 - origin_true) + 15 * (sex == 1) + rnorm(n, 0, 40), 1)
miss_origin <- runif(n) < 0.25
miss_earn <- runif(n) < 0.10
id <- 1000 + 1:n
imp <- function(k) {
  o <- origin_true
  # Imputed origin: near the destination, drawn again in each imputation.
  o[miss_origin] <- pmin(3, pmax(1, destination[miss_origin] + sample(c(-1, 0, 1), sum(miss_origin), replace = TRUE)))
  e <- earn
  e[miss_earn] <- round(300 + 60 * (3 - destination[miss_earn]) + rnorm(sum(miss_earn), 20, 50), 1)
  data.frame(.imp = k, .id = id, stratum, psu, w, sex, origin = o, destination, earn = e,
             high = as.integer(destination == 1))
}
orig <- imp(0); orig$origin[miss_origin] <- NA; orig$earn[miss_earn] <- NA
imps <- lapply(1:5, imp)
long <- do.call(rbind, c(list(orig), imps))
write.csv(long, "cohort_long.csv", row.names = FALSE, na = "", quote = FALSE)
for (k in 1:5) write.csv(imps[[k]][, -1], sprintf("cohort_imp%d.csv", k), row.names = FALSE, quote = FALSE)

designs <- imputationList(imps)
mi <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, nest = TRUE, data = designs)
mi <- update(mi, dest = factor(destination, levels = 1:3))
out <- data.frame()
add <- function(id, res) {

  crit <- qt(0.975, res$df)
  se <- sqrt(diag(vcov(res)))
  out <<- rbind(out, data.frame(case = id, term = names(coef(res)), estimate = coef(res), se = se,
                                df = res$df, fmi = res$missinfo, ci_low = coef(res) - crit * se,
                                ci_high = coef(res) + crit * se, m = res$nimp, t = coef(res) / se,
                                p = 2 * pt(-abs(coef(res) / se), res$df)))
}
# E1 domain means of earnings by imputed origin.
add("E1", MIcombine(with(mi, svyby(~earn, ~origin, svymean))))
# E2 outflow: proportions of destination within imputed origin.
add("E2", MIcombine(with(mi, svyby(~dest, ~origin, svymean))))
# E3 overall mean of earnings.
add("E3", MIcombine(with(mi, svymean(~earn))))
# E4 linear model of earnings on imputed origin and sex.
add("E4", MIcombine(with(mi, svyglm(earn ~ factor(origin) + sex))))
# E5 logistic model of reaching the top class.
add("E5", MIcombine(with(mi, svyglm(high ~ factor(origin) + sex, family = quasibinomial()))))
write.csv(out, "expected.csv", row.names = FALSE)

# Inputs for the library test of Rubin's rules: E4's coefficients and full covariance in each imputation, and
# MIcombine's combined covariance.
fits <- with(mi, svyglm(earn ~ factor(origin) + sex))
inp <- do.call(rbind, lapply(1:5, function(k) {
  v <- vcov(fits[[k]]); p <- length(coef(fits[[k]]))
  data.frame(imputation = k, i = rep(1:p, each = p), j = rep(1:p, p), estimate = rep(coef(fits[[k]]), each = p),
             covariance = as.vector(t(v)))
}))
write.csv(inp, "rubin_inputs.csv", row.names = FALSE)
comb <- MIcombine(fits)
p <- length(coef(comb))
write.csv(data.frame(i = rep(1:p, each = p), j = rep(1:p, p), covariance = as.vector(t(comb$variance))),
          "rubin_covariance.csv", row.names = FALSE)
