# The likelihood interval of a proportion with missing values and in domains (R 4.2, survey 4.1.1):
# cd Fixtures/rsurvey && Rscript likelihood_missing.R
# Writes apiclus1_hi.csv (dnum, pw, fpc, stype, hi: "yes" when api00 > 650, NA when meals > 80) and
# likelihood_missing_expected.csv (%.15g): case, domain, p, se, ci_low, ci_high.
suppressPackageStartupMessages(library(survey))
apiclus1 <- read.csv("apiclus1.csv")
apiclus1$hi <- ifelse(apiclus1$api00 > 650, "yes", "no")
apiclus1$hi[apiclus1$meals > 80] <- NA
write.csv(apiclus1[, c("dnum", "pw", "fpc", "stype", "hi")], "apiclus1_hi.csv", row.names = FALSE)
d <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1)
out <- data.frame(case = character(), domain = character(), p = character(), se = character(),
                  ci_low = character(), ci_high = character())
put <- function(case, domain, r) {
  ci <- attr(r, "ci")
  out[nrow(out) + 1, ] <<- c(case, domain, sprintf("%.15g", c(coef(r), SE(r), ci[1], ci[2])))
}
# L01: the whole sample; svyglm scales the weights by their mean over all 183 rows, the 32 missing included.
put("L01", "", svyciprop(~I(hi == "yes"), d, method = "likelihood"))
# L02: domains (svyby subsets: rows outside the domain stay in the design at weight 0), with missing values.
for (s in c("E", "H", "M")) put("L02", s, svyciprop(~I(hi == "yes"), subset(d, stype == s), method = "likelihood"))
# L03: domains without missing values (a level of stype within sch.wide-free design: proportion of "E" by hi).
for (h in c("no", "yes")) put("L03", h, svyciprop(~I(stype == "E"), subset(d, hi == h), method = "likelihood"))
write.csv(out, "likelihood_missing_expected.csv", row.names = FALSE)
