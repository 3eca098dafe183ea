# Arcsine-transformed and GVF-smoothed Fay-Herriot fits for the small-area tests: writes arcsin-persons.csv and
# expected-arcsin.csv. Reproduces emdi::fh(transformation = "arcsin", backtransformation = "naive"|"bc") by hand
# (emdi 2.x R/framework_fh.R, R/back_transformation.R) on sae::eblupFH, since emdi's dependencies cannot be
# installed offline. Run: cd Fixtures/sae && R_LIBS=/tmp/rlib-sae Rscript arcsin.R   (sae 1.3 from its sources)
suppressMessages({ library(survey); library(sae) })
set.seed(20261205)
areas <- read.csv("areas.csv", stringsAsFactors = FALSE)   # the 30 areas of synthetic.R
D <- nrow(areas)
u <- rnorm(D, 0, 0.5)
sampled <- setdiff(1:D, c(7, 18, 29))    # three areas have no sample
rows <- list()
for (d in sampled) {
  npsu <- 2 + d %% 3
  for (k in 1:npsu) {
    n <- 3 + ((d * 7 + k * 3) %% 7)
    claimant <- as.integer(runif(n) < plogis(-2.6 + 0.12 * areas$x1[d] + u[d]))
    hours <- round(rnorm(n, 30 + 0.5 * areas$x1[d] + 2 * u[d], 6), 1)
    rows[[length(rows) + 1]] <- data.frame(area = areas$area[d], region = areas$region[d],
                                           psu = sprintf("%s-%d", areas$area[d], k), claimant = claimant,
                                           hours = hours, weight = round(runif(n, 50, 400), 1))
  }
}
persons <- do.call(rbind, rows)
persons$person <- seq_len(nrow(persons))
persons <- persons[, c("person", "area", "region", "psu", "weight", "claimant", "hours")]
write.csv(persons, "arcsin-persons.csv", row.names = FALSE)

des <- svydesign(ids = ~psu, strata = ~region, weights = ~weight, data = persons, nest = TRUE)
out <- NULL
add <- function(case, statistic, term, value)
  out <<- rbind(out, data.frame(case = case, statistic = statistic, term = term, value = sprintf("%.15g", value)))
f <- ~ x1 + factor(region)
Xall <- model.matrix(f, areas)
fit_fh <- function(case, dat, y, psi) {
  dat$y <- y; dat$psi <- psi
  fit <- eblupFH(y ~ x1 + factor(region), psi, method = "REML", PRECISION = 1e-12, MAXITER = 1000, data = dat)
  mse <- mseFH(y ~ x1 + factor(region), psi, method = "REML", PRECISION = 1e-12, MAXITER = 1000, data = dat)
  A <- fit$fit$refvar
  co <- fit$fit$estcoef
  add(case, "refvar", "A", A)
  for (j in seq_len(nrow(co))) add(case, "beta", rownames(co)[j], co$beta[j])
  gamma <- A / (A + psi)
  for (d in seq_len(nrow(dat))) {
    add(case, "eblup", dat$area[d], fit$eblup[d])
    add(case, "mse", dat$area[d], mse$mse[d])
    add(case, "gamma", dat$area[d], gamma[d])
  }
  syn <- as.vector(Xall %*% co$beta)
  for (d in which(!(areas$area %in% dat$area))) add(case, "synthetic", areas$area[d], syn[d])
  list(A = A, eblup = as.vector(fit$eblup), gamma = gamma, synthetic = syn)
}

# Direct estimates: the proportion of claimants (svymean of the 0/1 variable), its variance, R's design effect
# against SRS with replacement (deff = "replace": v / (p(1 - p) / (n - 1))) and the area's sample size n.
direct <- svyby(~claimant, ~area, des, svymean, deff = "replace")
n <- as.vector(table(persons$area)[direct$area])
dat <- merge(areas, data.frame(area = direct$area, p = direct$claimant, v = direct$se^2,
                               deff = direct$DEff.claimant, n = n), by = "area")
for (d in seq_len(nrow(dat))) {
  add("direct", "p", dat$area[d], dat$p[d]); add("direct", "vardir", dat$area[d], dat$v[d])
  add("direct", "n", dat$area[d], dat$n[d])
  if (is.finite(dat$deff[d])) add("direct", "deff", dat$area[d], dat$deff[d])
}

# Arcsine: y = asin(sqrt(p)), psi = 1 / (4 n_eff), n_eff = n / deff; where deff is undefined (p = 0 or 1, or zero
# variance) the mean deff of the other areas is used (emdi takes n_eff as given: `eff_smpsize`).
ok <- is.finite(dat$deff) & dat$deff > 0
pooled <- mean(dat$deff[ok])
add("arcsin", "pooled_deff", "deff", pooled)
neff <- ifelse(ok, dat$n / dat$deff, dat$n / pooled)
for (d in seq_len(nrow(dat))) add("arcsin", "neff", dat$area[d], neff[d])
y <- asin(sqrt(dat$p))
psi <- 1 / (4 * neff)
for (d in seq_len(nrow(dat))) { add("arcsin", "y", dat$area[d], y[d]); add("arcsin", "psi", dat$area[d], psi[d]) }
tf <- fit_fh("arcsin", dat, y, psi)
# Back-transformations, as emdi's arcsin_naive and arcsin_bc. Naive: sin^2 of the EBLUP (or synthetic x'beta)
# truncated to [0, pi/2]. bc (in-sample areas): integral over [0, pi/2] of sin(x)^2 dnorm(x, EBLUP, sqrt(A (1 - gamma)))
# (emdi calls integrate with its default tolerance; here rel.tol = 1e-12 so the oracle is exact to 1e-8);
# out-of-sample areas: sin(x'beta)^2 without truncation.
clip <- function(x) pmin(pmax(x, 0), pi / 2)
integrand <- function(x, mean, sd) sin(x)^2 * dnorm(x, mean = mean, sd = sd)
for (d in seq_len(nrow(dat))) {
  add("arcsin", "naive", dat$area[d], sin(clip(tf$eblup[d]))^2)
  sd <- sqrt(tf$A * (1 - tf$gamma[d]))
  bc <- integrate(integrand, lower = 0, upper = pi / 2, tf$eblup[d], sd, rel.tol = 1e-12, abs.tol = 0)$value
  bc_default <- integrate(integrand, lower = 0, upper = pi / 2, tf$eblup[d], sd)$value
  add("arcsin", "bc", dat$area[d], bc)
  add("arcsin", "bc_default_tolerance", dat$area[d], bc_default)
}
for (d in which(!(areas$area %in% dat$area))) {
  add("arcsin", "naive", areas$area[d], sin(clip(tf$synthetic[d]))^2)
  add("arcsin", "bc", areas$area[d], sin(tf$synthetic[d])^2)
}

# GVF: log(v) = a + b log(n) by OLS over the areas with v > 0; v smoothed as exp(a + b log n) times Duan's smearing
# factor mean(exp(residual)); then the untransformed Fay-Herriot fit on the smoothed variances.
gvf <- function(case, dat, est, v) {
  pos <- v > 0
  ols <- lm(log(v[pos]) ~ log(dat$n[pos]))
  smear <- mean(exp(residuals(ols)))
  a <- coef(ols)[1]; b <- coef(ols)[2]
  add(case, "gvf", "a", a); add(case, "gvf", "b", b); add(case, "gvf", "smearing", smear)
  add(case, "gvf", "r2", summary(ols)$r.squared)
  vs <- exp(a + b * log(dat$n)) * smear
  for (d in seq_len(nrow(dat))) add(case, "smoothed", dat$area[d], vs[d])
  fit_fh(case, dat, est, vs)
}
invisible(gvf("gvf_claimant", dat, dat$p, dat$v))
hrs <- svyby(~hours, ~area, des, svymean)
dath <- merge(areas, data.frame(area = hrs$area, m = hrs$hours, v = hrs$se^2, n = n), by = "area")
for (d in seq_len(nrow(dath))) { add("direct_hours", "mean", dath$area[d], dath$m[d]); add("direct_hours", "vardir", dath$area[d], dath$v[d]) }
invisible(gvf("gvf_hours", dath, dath$m, dath$v))
write.csv(out, "expected-arcsin.csv", row.names = FALSE)
cat("areas with p = 0:", sum(dat$p == 0), " p = 1:", sum(dat$p == 1), " max |bc - bc default tol|:",
    max(abs(as.numeric(out$value[out$statistic == "bc_default_tolerance"]) -
            as.numeric(out$value[out$statistic == "bc" & out$case == "arcsin"][seq_len(nrow(dat))]))), "\n")
