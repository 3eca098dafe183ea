# Oracles for `microdata mobility --origin-income/--destination-income` (issue 17).
# Run: cd Fixtures/income && Rscript income_mobility.R   (R 4.2.2, survey 4.1.1)
suppressMessages(library(survey))
options(digits = 17)
out <- data.frame(case = character(), group = character(), table = character(), row = character(),
                  column = character(), statistic = character(), value = character(), stringsAsFactors = FALSE)
put <- function(case, group, table, row, column, statistic, value) {
  out[nrow(out) + 1, ] <<- list(case, group, table, row, column, statistic, sprintf("%.17g", value))
}

# The issue's rank: weight strictly below plus half the weight tied, over the total, x 100 (within the domain).
wrank <- function(v, w) {
  sapply(v, function(a) 100 * (sum(w[v < a]) + sum(w[v == a]) / 2) / sum(w))
}

# One domain: `dd` is the design restricted to the domain (subset), `deflator` multiplies origin income.
measures <- function(case, group, des, dom, K = 5) {
  dom <- dom & !is.na(des$variables$x) & !is.na(des$variables$y)
  d <- subset(des, dom)
  p <- (1:(K - 1)) / K
  qx <- as.numeric(coef(svyquantile(~x, d, quantiles = p)))
  qy <- as.numeric(coef(svyquantile(~y, d, quantiles = p)))
  for (k in 1:(K - 1)) { put(case, group, "boundaries", k, "origin", "estimate", qx[k])
                         put(case, group, "boundaries", k, "destination", "estimate", qy[k]) }
  # Groups and ranks on the whole design (values outside the domain are not used).
  x <- des$variables$x; y <- des$variables$y
  sel <- dom & !is.na(x) & !is.na(y)
  ox <- rep(NA, length(x)); oy <- ox; rx <- ox; ry <- ox
  ox[sel] <- 1 + sapply(x[sel], function(a) sum(a > qx))
  oy[sel] <- 1 + sapply(y[sel], function(a) sum(a > qy))
  ww <- if (inherits(des, "svyrep.design")) weights(des, "sampling") else weights(des)
  rx[sel] <- wrank(x[sel], ww[sel]); ry[sel] <- wrank(y[sel], ww[sel])
  des2 <- update(des, ox = factor(ox, levels = 1:K), oy = factor(oy, levels = 1:K), rx = rx, ry = ry,
                 up = as.numeric(y > x), down = as.numeric(y < x))
  d2 <- subset(des2, sel)
  t <- suppressWarnings(svyby(~oy, ~ox, d2, svymean))
  est <- coef(t); s <- sqrt(diag(vcov(t))); names(s) <- names(est)
  for (i in 1:K) for (j in 1:K) {
    name <- paste0(i, ":oy", j)
    put(case, group, "income_transition", i, j, "estimate", est[name])
    put(case, group, "income_transition", i, j, "se", s[name])
  }
  m <- svyglm(ry ~ rx, d2)
  put(case, group, "rank_rank", "slope", "", "estimate", coef(m)[2]); put(case, group, "rank_rank", "slope", "", "se", SE(m)[2])
  put(case, group, "rank_rank", "intercept", "", "estimate", coef(m)[1]); put(case, group, "rank_rank", "intercept", "", "se", SE(m)[1])
  pos <- sel & !is.na(x) & !is.na(y) & x > 0 & y > 0
  g <- svyglm(log(y) ~ log(x), subset(des2, pos))
  put(case, group, "ige", "elasticity", "", "estimate", coef(g)[2]); put(case, group, "ige", "elasticity", "", "se", SE(g)[2])
  put(case, group, "ige", "intercept", "", "estimate", coef(g)[1]); put(case, group, "ige", "intercept", "", "se", SE(g)[1])
  put(case, group, "ige", "excluded", "", "estimate", sum(sel) - sum(pos))
  a <- svymean(~up + down, d2)
  put(case, group, "absolute_income", "upward", "", "estimate", coef(a)[1]); put(case, group, "absolute_income", "upward", "", "se", SE(a)[1])
  put(case, group, "absolute_income", "downward", "", "estimate", coef(a)[2]); put(case, group, "absolute_income", "downward", "", "se", SE(a)[2])
  list(rx = rx, ry = ry, sel = sel)
}

# Differences A - B between two groups whose ranks were computed within each group.
differences <- function(case, des, gvar, a, b, ranks) {
  rx <- ifelse(is.na(ranks[[1]]$rx), ranks[[2]]$rx, ranks[[1]]$rx)
  ry <- ifelse(is.na(ranks[[1]]$ry), ranks[[2]]$ry, ranks[[1]]$ry)
  sel <- ranks[[1]]$sel | ranks[[2]]$sel
  x <- des$variables$x; y <- des$variables$y
  des2 <- update(des, rx = rx, ry = ry, gg = factor(des$variables[[gvar]], levels = c(a, b)),
                 up = as.numeric(y > x), down = as.numeric(y < x))
  d2 <- subset(des2, sel)
  m <- svyglm(ry ~ gg * rx, d2)
  put(case, "", "differences", "rank_rank:slope", "", "estimate", -coef(m)[4])
  put(case, "", "differences", "rank_rank:slope", "", "se", SE(m)[4])
  pos <- sel & x > 0 & y > 0
  g <- svyglm(log(y) ~ gg * log(x), subset(des2, pos))
  put(case, "", "differences", "ige:elasticity", "", "estimate", -coef(g)[4])
  put(case, "", "differences", "ige:elasticity", "", "se", SE(g)[4])
  for (v in c("up", "down")) {
    t <- svyby(as.formula(paste0("~", v)), ~gg, d2, svymean, covmat = TRUE)
    cn <- svycontrast(t, c(1, -1))
    name <- if (v == "up") "absolute_income:upward" else "absolute_income:downward"
    put(case, "", "differences", name, "", "estimate", coef(cn)); put(case, "", "differences", name, "", "se", SE(cn))
  }
}

# ---- Case B1/B2: the BCS70-style cohort (Codebooks/examples/linking), age 10 joined with age 42 on BCSID
# (inner, first row of the duplicated id), weights only (B9NRWT); origin PARINC10 x 3.89, destination B9GROSPAY.
a10 <- read.csv("bcs70_age10.csv", colClasses = c(BCSID = "character"))
a42 <- read.csv("bcs70_age42.csv", colClasses = c(BCSID = "character"))
birth <- read.csv("bcs70_birth.csv", colClasses = c(BCSID = "character"))
a42 <- a42[!duplicated(a42$BCSID), ]
cohort <- merge(merge(a10[, c("BCSID", "FNSSEC3", "PARINC10")], a42[, c("BCSID", "B9GROSPAY", "B9NRWT")], by = "BCSID"),
                birth[, c("BCSID", "SEX")], by = "BCSID")
cohort <- cohort[order(cohort$BCSID), ]
write.csv(cohort, "bcs70_cohort.csv", row.names = FALSE, na = "")
cohort$x <- cohort$PARINC10 * 3.89
cohort$y <- cohort$B9GROSPAY
dB <- svydesign(id = ~1, weights = ~B9NRWT, data = cohort)
invisible(measures("B1", "All", dB, rep(TRUE, nrow(cohort))))
r1 <- measures("B2", "1", dB, cohort$SEX == 1)
r2 <- measures("B2", "2", dB, cohort$SEX == 2)
differences("B2", dB, "SEX", 1, 2, list(r1, r2))

# ---- Generated file: 2 cohorts, 12 strata x 4 PSUs, FPC, ties (rounded incomes), zero and negative values
# (wealth-like), missing incomes.
set.seed(20261204)
n <- 1200
stratum <- rep(1:12, each = 100)
psu <- stratum * 10 + sample(1:4, n, replace = TRUE)
cohortv <- sample(c(1970, 1980), n, replace = TRUE)
w <- round(runif(n, 0.5, 3), 3)
pinc <- round(exp(rnorm(n, 10, 0.6)) + 500 * (stratum %% 3), -2)
cinc <- round(exp(0.4 * log(pinc) + rnorm(n, 6, 0.7)) - 800, -2)
cinc[sample(n, 15)] <- 0
pinc[sample(n, 8)] <- -round(runif(8, 100, 5000))
pinc[sample(n, 30)] <- NA
cinc[sample(n, 40)] <- NA
gen <- data.frame(ID = 1:n, STRATUM = stratum, PSU = psu, FPC = 40, W = w, COHORT = cohortv, PINC = pinc,
                  CINC = cinc)
gen$x <- gen$PINC; gen$y <- gen$CINC
dG <- svydesign(id = ~PSU, strata = ~STRATUM, fpc = ~FPC, weights = ~W, data = gen)
invisible(measures("G1", "All", dG, rep(TRUE, n)))
g1 <- measures("G2", "1970", dG, gen$COHORT == 1970)
g2 <- measures("G2", "1980", dG, gen$COHORT == 1980)
differences("G2", dG, "COHORT", 1970, 1980, list(g1, g2))
# Quartiles, deflator 1.25 on origin
gen$x <- gen$PINC * 1.25
dG4 <- svydesign(id = ~PSU, strata = ~STRATUM, fpc = ~FPC, weights = ~W, data = gen)
invisible(measures("G3", "All", dG4, rep(TRUE, n), K = 4))
gen$x <- gen$PINC

# ---- Replicate design: JK1 from PSUs (no strata), combined weights written as RW1..RWk.
dC <- svydesign(id = ~PSU, weights = ~W, data = gen)
drep <- as.svrepdesign(dC, type = "JK1", compress = FALSE)
rw <- as.matrix(unclass(weights(drep, "analysis")))
colnames(rw) <- paste0("RW", seq_len(ncol(rw)))
genr <- cbind(gen[, c("ID", "STRATUM", "PSU", "FPC", "W", "COHORT", "PINC", "CINC")], rw)
write.csv(genr, "generated_income.csv", row.names = FALSE, na = "")
put("R1", "", "design", "scale", "", "estimate", drep$scale)
invisible(measures("R1", "All", drep, rep(TRUE, n)))
q1 <- measures("R2", "1970", drep, gen$COHORT == 1970)
q2 <- measures("R2", "1980", drep, gen$COHORT == 1980)
differences("R2", drep, "COHORT", 1970, 1980, list(q1, q2))
write.csv(out, "expected.csv", row.names = FALSE)
cat("wrote", nrow(out), "values\n")
