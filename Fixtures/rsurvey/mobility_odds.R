# Log odds ratios of origin-by-destination tables, local and reference-cell forms (R 4.2, survey 4.1.1):
# cd Fixtures/rsurvey && Rscript mobility_odds.R
# Writes mobility_odds_expected.csv (%.15g): case, form, originA, originB, destinationA, destinationB, estimate, se.
suppressPackageStartupMessages(library(survey))
apiclus1 <- read.csv("apiclus1.csv")
# Classes are ordered highest first, coded 1..K: origin and destination as integers.
apiclus1$o2 <- ifelse(apiclus1$sch.wide == "Yes", 1, 2)   # target met: class 1
apiclus1$d2 <- ifelse(apiclus1$meals <= 50, 1, 2)          # half or fewer on free meals: class 1
apiclus1$o3 <- match(apiclus1$stype, c("E", "M", "H"))
apiclus1$d3 <- as.integer(cut(apiclus1$meals, c(-1, 30, 60, 101)))
dclus1 <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1)
rows <- list()
lor <- function(case, form, o, d, k, a, b, x, y) {
  tot <- svytotal(as.formula(paste0("~interaction(", o, ",", d, ")")), dclus1)
  nm <- function(i, j) paste0("interaction(", o, ", ", d, ")", i, ".", j)
  e <- eval(bquote(quote(log(.(as.name(nm(a, x))) * .(as.name(nm(b, y))) / (.(as.name(nm(a, y))) * .(as.name(nm(b, x))))))))
  c <- svycontrast(tot, e)
  rows[[length(rows) + 1]] <<- data.frame(case = case, form = form, originA = a, originB = b, destinationA = x,
    destinationB = y, estimate = sprintf("%.15g", coef(c)), se = sprintf("%.15g", SE(c)))
}
lor("OR2", "local+reference", "o2", "d2", 2, 1, 2, 1, 2)            # the one log odds ratio of a 2 x 2 table
for (a in 1:2) for (x in 1:2) {
  lor("OR3", "local", "o3", "d3", 3, a, a + 1, x, x + 1)            # adjacent classes
  lor("OR3", "reference", "o3", "d3", 3, a, 3, x, 3)                # against origin 3 and destination 3
}
write.csv(do.call(rbind, rows), "mobility_odds_expected.csv", row.names = FALSE)
