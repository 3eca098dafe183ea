library(survey)
d <- read.csv("calibrated.csv")
des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = d)
m <- svymean(~y, des); t <- svytotal(~y, des)
b <- svyby(~y, ~g, des, svymean)
out <- data.frame(statistic = c("mean", "total", "mean_g_a", "mean_g_b"),
                  estimate = c(coef(m), coef(t), coef(b)),
                  se = c(SE(m), SE(t), SE(b)))
out$estimate <- sprintf("%.15g", out$estimate); out$se <- sprintf("%.15g", out$se)
write.csv(out, "expected.csv", row.names = FALSE, quote = FALSE)
print(out, digits = 15)
print(degf(des))
