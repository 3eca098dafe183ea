# Bounded and nonlinear calibration (calibrate() with calfun = "linear", "raking", "logit" and g-weight bounds,
# solved by grake) on apiclus1, against the population totals of apipop (R survey 4.1.1 on R 4.2; run from
# Fixtures/rsurvey:
#   Rscript calibration_bounds.R
# ). Writes calibration_bounds_expected.csv (case, call, statistic, term, value; sprintf("%.15g")).
# Totals from apipop: N = 6194, stype H 755, M 1018, sum(api99) = 3914069.
suppressMessages(library(survey))
apiclus1 <- read.csv("apiclus1.csv")
dclus1 <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1, fpc = ~fpc)
pop <- c(`(Intercept)` = 6194, stypeH = 755, stypeM = 1018, api99 = 3914069)

out <- list()
row <- function(case, call, statistic, term, value) {
  out[[length(out) + 1]] <<- data.frame(case = case, call = call, statistic = statistic, term = term,
                                        value = sprintf("%.15g", value))
}
add <- function(case, call, est) {
  row(case, call, c(rep("estimate", length(coef(est))), rep("SE", length(coef(est)))),
      rep(names(coef(est)), 2), c(coef(est), SE(est)))
}
cases <- list(
  G01 = list(calfun = "logit", bounds = c(0.7, 1.7)),
  G02 = list(calfun = "raking", bounds = c(-Inf, Inf)),
  G03 = list(calfun = "linear", bounds = c(0.5, 2)),   # truncated linear: the lower bound is reached
  G04 = list(calfun = "raking", bounds = c(0.5, 1.8))  # bounded raking: the upper bound is reached
)
for (id in names(cases)) {
  k <- cases[[id]]
  call <- sprintf('calibrate(dclus1, ~stype+api99, pop, calfun="%s", bounds=c(%s, %s))', k$calfun,
                  k$bounds[1], k$bounds[2])
  cal <- calibrate(dclus1, ~stype + api99, pop, calfun = k$calfun, bounds = k$bounds)
  g <- weights(cal) / weights(dclus1)
  row(id, call, "g", c("min", "max"), range(g))
  row(id, call, "total", names(pop), colSums(model.matrix(~stype + api99, apiclus1) * weights(cal)))
  add(id, paste0("svymean(~api00, ", call, ")"), svymean(~api00, cal))
  add(id, paste0("svytotal(~enroll, ", call, ")"), svytotal(~enroll, cal))
  add(id, paste0("svymean(~sch.wide, ", call, ")"), svymean(~sch.wide, cal))
  by <- svyby(~api00, ~sch.wide, cal, svymean)
  row(id, paste0("svyby(~api00, ~sch.wide, ", call, ", svymean)"), rep(c("estimate", "SE"), each = 2),
      rep(paste0("api00:", by$sch.wide), 2), c(coef(by), SE(by)))
}

# Non-convergence: logit within (0.7, 1.7) stopped after maxit = 3 Newton steps. grake warns
# "Failed to converge: eps=<max |misfit|/(1+|total|)> in <iter> iterations"; force = TRUE keeps the weights.
call <- 'calibrate(dclus1, ~stype+api99, pop, calfun="logit", bounds=c(0.7, 1.7), maxit=3, force=TRUE)'
msg <- NULL
forced <- withCallingHandlers(
  calibrate(dclus1, ~stype + api99, pop, calfun = "logit", bounds = c(0.7, 1.7), maxit = 3, force = TRUE),
  warning = function(w) { msg <<- conditionMessage(w); invokeRestart("muffleWarning") })
m <- regmatches(msg, regexec("eps=([0-9.eE+-]+) in ([0-9]+) iterations", msg))[[1]]
row("G05", call, "failed", c("eps", "iterations"), as.numeric(m[2:3]))

# Infeasible bounds: linear within (0.8, 1.2) cannot reach stypeH = 755 from 14 schools weighing 473.86
# (at most 1.2 x 473.86 = 568.63); R's grake runs to maxit and stops with "Calibration failed".
call <- 'calibrate(dclus1, ~stype+api99, pop, calfun="linear", bounds=c(0.8, 1.2))'
msg <- NULL
r <- tryCatch(withCallingHandlers(
  calibrate(dclus1, ~stype + api99, pop, calfun = "linear", bounds = c(0.8, 1.2)),
  warning = function(w) { msg <<- conditionMessage(w); invokeRestart("muffleWarning") }),
  error = function(e) conditionMessage(e))
m <- regmatches(msg, regexec("eps=([0-9.eE+-]+) in ([0-9]+) iterations", msg))[[1]]
row("G06", call, "failed", c("eps", "iterations"), as.numeric(m[2:3]))
row("G06", call, "sample", "stypeH", sum(weights(dclus1)[apiclus1$stype == "H"]))

# Pre-scaling: with input weights all 1 every total / sample total exceeds 20, so grake first multiplies the
# weights by the mean of those ratios (raking, unbounded, on the cluster design with weights ~one).
apiclus1$one <- 1
done <- svydesign(id = ~dnum, weights = ~one, data = apiclus1)
call <- 'calibrate(svydesign(id=~dnum, weights=~one), ~stype+api99, pop, calfun="raking")'
cal <- calibrate(done, ~stype + api99, pop, calfun = "raking")
row("G07", call, "g", c("min", "max"), range(weights(cal)))
add("G07", paste0("svymean(~api00, ", call, ")"), svymean(~api00, cal))
add("G07", paste0("svytotal(~enroll, ", call, ")"), svytotal(~enroll, cal))

write.csv(do.call(rbind, out), "calibration_bounds_expected.csv", row.names = FALSE)
