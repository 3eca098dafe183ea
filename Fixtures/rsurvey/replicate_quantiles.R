# Quantiles under replicate weights (R 4.2, survey 4.1.1): cd Fixtures/rsurvey && Rscript replicate_quantiles.R
# Writes replicate_quantiles_expected.csv (%.15g): case, domain, p, quantile, ci_low, ci_high, se.
suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "fail", survey.replicates.mse = FALSE)
clus1 <- cbind(read.csv("apiclus1.csv"), read.csv("rep_dclus1_JK1.csv"))
jk1 <- svrepdesign(data = clus1, repweights = "^rw[0-9]+$", weights = ~pw, type = "JK1",
                   scale = 0.9148392779, combined.weights = TRUE)
srs <- read.csv("apisrs_sdr80.csv")
sdr <- svrepdesign(data = srs, repweights = "^f[0-9]+$", weights = ~pw, type = "successive-difference",
                   combined.weights = FALSE, mse = TRUE)
num <- function(x) sprintf("%.15g", x)
rows <- list()
add <- function(case, domain, q) {
  m <- as.matrix(q[[1]])
  rows[[length(rows) + 1]] <<- data.frame(case = case, domain = domain, p = rownames(m),
    quantile = num(m[, 1]), ci_low = num(m[, 2]), ci_high = num(m[, 3]), se = num(m[, 4]))
}
# RQ01 Woodruff interval (interval.type = "mean", the default) with the JK1 variance of F(q).
add("RQ01", "", svyquantile(~api00, jk1, c(0.25, 0.5, 0.75)))
# RQ02 the same per domain (svyby sets the weights outside the domain to zero).
for (s in c("E", "H", "M")) add("RQ02", s, svyquantile(~api00, subset(jk1, stype == s), 0.5))
# RQ03 SDR factors with mse = TRUE, Woodruff.
add("RQ03", "", svyquantile(~api00, sdr, c(0.5, 0.9)))
# RQ04 interval.type = "quantile": the quantile in each replicate, variance by svrVar.
add("RQ04", "", svyquantile(~api00, sdr, c(0.5, 0.9), interval.type = "quantile"))
add("RQ05", "", svyquantile(~enroll, jk1, 0.5, interval.type = "quantile", qrule = "hf7"))
out <- do.call(rbind, rows)
write.csv(out, "replicate_quantiles_expected.csv", row.names = FALSE)
print(out)
cat("degf jk1", degf(jk1), "subset E", degf(subset(jk1, stype == "E")), "sdr", degf(sdr), "\n")
