# Oracle for `sae --mobility`: the area upward/downward/immobile rates of persons.csv with the origin and
# destination classes SmallAreaMobilityTests derives (1 highest), fitted by eblupFH/mseFH (REML).
# Run: cd Fixtures/sae && R_LIBS=/tmp/rlib-sae Rscript mobility.R   (writes expected-mobility.csv)
suppressMessages({ library(survey); library(sae) })
persons <- read.csv("persons.csv")
areas <- read.csv("areas.csv")
persons$origin <- 1 + persons$person %% 5
step <- c(0, 0, -1, 1, -2, 0, 2)[(persons$person * 3 + persons$employed) %% 7 + 1]
persons$destination <- pmin(5, pmax(1, persons$origin + step))
persons$upward <- as.numeric(persons$destination < persons$origin)
persons$downward <- as.numeric(persons$destination > persons$origin)
persons$immobile <- as.numeric(persons$destination == persons$origin)
des <- svydesign(ids = ~psu, strata = ~region, weights = ~weight, data = persons, nest = TRUE)
out <- NULL
for (rate in c("upward", "downward", "immobile")) {
  direct <- svyby(as.formula(paste0("~", rate)), ~area, des, svymean)
  dat <- merge(areas, data.frame(area = direct$area, direct = direct[[rate]], vardir = direct$se^2), by = "area")
  dat <- dat[dat$vardir > 0, ]           # --zero-variance synthetic: fitted as areas without sample
  fit <- eblupFH(direct ~ x1 + factor(region), vardir, method = "REML", PRECISION = 1e-12, MAXITER = 1000, data = dat)
  mse <- mseFH(direct ~ x1 + factor(region), vardir, method = "REML", PRECISION = 1e-12, MAXITER = 1000, data = dat)
  out <- rbind(out, data.frame(rate = rate, area = dat$area, eblup = sprintf("%.15g", fit$eblup[, 1]),
                               mse = sprintf("%.15g", mse$mse)))
}
write.csv(out, "expected-mobility.csv", row.names = FALSE, quote = FALSE)
