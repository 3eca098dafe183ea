# The model benchmark's R side, the whole job: read the CSV (base read.csv), build the design, fit svyglm
# (quasibinomial), write the coefficient table. Usage: Rscript r_svyglm.R DIR
suppressMessages(library(survey))
dir <- commandArgs(TRUE)[1]
d <- read.csv(file.path(dir, "model.csv"))
des <- svydesign(id = ~psu, strata = ~stratum, weights = ~w, fpc = ~fpc, data = d)
m <- svyglm(top ~ factor(origin) + factor(cohort) + factor(sex) + factor(region) + age, design = des,
            family = quasibinomial())
s <- summary(m)$coefficients
ci <- confint(m)
out <- data.frame(term = rownames(s), estimate = s[, 1], se = s[, 2], t = s[, 3], p = s[, 4],
                  ci_low = ci[, 1], ci_high = ci[, 2], df = m$df.residual)
write.csv(out, file.path(dir, "r_model.csv"), row.names = FALSE)
