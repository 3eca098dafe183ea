# Synthetic survey for the small-area tests: writes persons.csv, areas.csv and expected-synthetic.csv.
# Run: cd Fixtures/sae && R_LIBS=/tmp/rlib-sae Rscript synthetic.R   (sae 1.3 installed from its sources)
suppressMessages({ library(survey); library(sae) })
set.seed(20261204)
D <- 30                                  # areas in the population (areas.csv)
areas <- data.frame(area = sprintf("LA%02d", 1:D), region = rep(c("N", "M", "S"), each = 10),
                    x1 = round(runif(D, 0, 10), 3), population = round(runif(D, 20000, 200000)))
u <- rnorm(D, 0, 0.6)
sampled <- setdiff(1:D, c(7, 18, 29))    # three areas have no sample
rows <- list()
for (d in sampled) {
  npsu <- 2 + d %% 3
  for (k in 1:npsu) {
    n <- 6 + ((d * 7 + k * 3) %% 9)
    mu <- 20 + 0.8 * areas$x1[d] + c(N = 0, M = 1.5, S = -1)[areas$region[d]] + u[d]
    y <- round(rnorm(n, mu, 4), 2)
    emp <- as.integer(runif(n) < plogis(-0.5 + 0.15 * areas$x1[d] + u[d] / 3))
    rows[[length(rows) + 1]] <- data.frame(area = areas$area[d], region = areas$region[d],
                                           psu = sprintf("%s-%d", areas$area[d], k), y = y, employed = emp,
                                           weight = round(runif(n, 50, 400), 1))
  }
}
persons <- do.call(rbind, rows)
persons$person <- seq_len(nrow(persons))
persons <- persons[, c("person", "area", "region", "psu", "weight", "y", "employed")]
write.csv(persons, "persons.csv", row.names = FALSE)
write.csv(areas, "areas.csv", row.names = FALSE)

des <- svydesign(ids = ~psu, strata = ~region, weights = ~weight, data = persons, nest = TRUE)
out <- NULL
add <- function(case, statistic, term, value)
  out <<- rbind(out, data.frame(case = case, statistic = statistic, term = term, value = sprintf("%.15g", value)))
for (v in c("y", "employed")) {
  direct <- svyby(as.formula(paste0("~", v)), ~area, des, svymean)
  dat <- merge(areas, data.frame(area = direct$area, direct = direct[[v]], vardir = direct$se^2), by = "area")
  for (d in seq_len(nrow(dat))) {
    add(paste0("direct_", v), "direct", dat$area[d], dat$direct[d])
    add(paste0("direct_", v), "vardir", dat$area[d], dat$vardir[d])
  }
  for (method in c("REML", "ML", "FH")) {
    case <- paste0(v, "_", method)
    fit <- eblupFH(direct ~ x1 + factor(region), vardir, method = method, PRECISION = 1e-12, MAXITER = 1000, data = dat)
    mse <- mseFH(direct ~ x1 + factor(region), vardir, method = method, PRECISION = 1e-12, MAXITER = 1000, data = dat)
    A <- fit$fit$refvar
    add(case, "refvar", "A", A)
    add(case, "iterations", "k", fit$fit$iterations)
    co <- fit$fit$estcoef
    for (j in seq_len(nrow(co))) {
      add(case, "beta", rownames(co)[j], co$beta[j])
      add(case, "beta_se", rownames(co)[j], co$std.error[j])
    }
    for (d in seq_len(nrow(dat))) {
      add(case, "eblup", dat$area[d], fit$eblup[d])
      add(case, "mse", dat$area[d], mse$mse[d])
      add(case, "gamma", dat$area[d], A / (A + dat$vardir[d]))
    }
    # Areas without sample: synthetic x'beta, MSE x'(X'V^-1X)^-1 x + A.
    X <- model.matrix(~ x1 + factor(region), dat)
    Q <- solve(t(X / (A + dat$vardir)) %*% X)
    Xall <- model.matrix(~ x1 + factor(region), areas)
    for (d in which(!(areas$area %in% dat$area))) {
      xd <- Xall[d, , drop = FALSE]
      add(case, "synthetic", areas$area[d], xd %*% co$beta)
      add(case, "synthetic_mse", areas$area[d], xd %*% Q %*% t(xd) + A)
    }
    # Diagnostics: standardised residuals (direct - x'beta) / sqrt(A + vardir); bias regression direct ~ eblup (OLS).
    xb <- X %*% co$beta
    for (d in seq_len(nrow(dat))) add(case, "std_residual", dat$area[d], (dat$direct[d] - xb[d]) / sqrt(A + dat$vardir[d]))
    bias <- summary(lm(dat$direct ~ as.vector(fit$eblup)))$coefficients
    add(case, "bias_intercept", "estimate", bias[1, 1]); add(case, "bias_intercept", "se", bias[1, 2])
    add(case, "bias_slope", "estimate", bias[2, 1]); add(case, "bias_slope", "se", bias[2, 2])
    # Ratio benchmarking over the sampled areas with population shares.
    w <- dat$population / sum(dat$population)
    factor <- sum(w * dat$direct) / sum(w * fit$eblup)
    add(case, "benchmark_factor", "factor", factor)
    for (d in seq_len(nrow(dat))) add(case, "benchmarked", dat$area[d], fit$eblup[d] * factor)
  }
}
write.csv(out, "expected-synthetic.csv", row.names = FALSE)
