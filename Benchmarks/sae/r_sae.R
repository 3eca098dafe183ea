# The R side of the small-area benchmark: read.csv, svydesign, svyby(svymean) over the areas, eblupFH + mseFH
# (REML, PRECISION 1e-10), synthetic estimates for the areas without sample, write.csv.
# Usage: R_LIBS=/tmp/rlib-sae Rscript r_sae.R DIR
suppressMessages({ library(survey); library(sae) })
dir <- commandArgs(TRUE)[1]
p <- read.csv(file.path(dir, "persons.csv"))
a <- read.csv(file.path(dir, "areas.csv"))
des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~weight, data = p, nest = TRUE)
d <- svyby(~y, ~area, des, svymean)
dat <- merge(a, data.frame(area = d$area, direct = d$y, vardir = d$se^2), by = "area")
f <- direct ~ x1 + x2 + factor(region)
fit <- eblupFH(f, vardir, PRECISION = 1e-10, MAXITER = 1000, data = dat)
mse <- mseFH(f, vardir, PRECISION = 1e-10, MAXITER = 1000, data = dat)
A <- fit$fit$refvar
X <- model.matrix(~ x1 + x2 + factor(region), dat)
Q <- solve(t(X / (A + dat$vardir)) %*% X)
rest <- a[!(a$area %in% dat$area), ]
Xr <- model.matrix(~ x1 + x2 + factor(region), rest)
out <- rbind(data.frame(area = dat$area, estimate = as.vector(fit$eblup), mse = mse$mse),
             data.frame(area = rest$area, estimate = as.vector(Xr %*% fit$fit$estcoef$beta),
                        mse = rowSums((Xr %*% Q) * Xr) + A))
write.csv(out, file.path(dir, "r_sae.csv"), row.names = FALSE)
