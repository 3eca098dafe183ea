# mobility --subpop against R subset() (R 4.2.2, survey 4.1.1): cd Fixtures/link && Rscript mobility_subpop.R
# The BCS70-style cohort of Codebooks/examples/linking joined inner (birth, age 10, age 42 with the first row of
# the duplicated id), weights only (B9NRWT); outflow % of own class at 42 by father's class, women only.
suppressPackageStartupMessages(library(survey))
d <- "../../Codebooks/examples/linking/"
rd <- function(f) read.csv(paste0(d, f), colClasses = c(BCSID = "character"))
age42 <- rd("bcs70_age42.csv")
ch <- merge(merge(rd("bcs70_birth.csv"), rd("bcs70_age10.csv"), by = "BCSID"),
            age42[!duplicated(age42$BCSID), ], by = "BCSID", suffixes = c("", "_bcs70_age42"))
des <- svydesign(id = ~1, weights = ~B9NRWT, data = ch)
rows <- list()
for (o in 1:3) {
  m <- svymean(~factor(B9NSSEC3), subset(des, SEX == 2 & FNSSEC3 == o))
  for (k in 1:3) rows[[length(rows) + 1]] <- data.frame(origin = o, destination = k,
    estimate = sprintf("%.15g", 100 * coef(m)[k]), se = sprintf("%.15g", 100 * SE(m)[k]))
}
out <- do.call(rbind, rows)
write.csv(out, "mobility_subpop_expected.csv", row.names = FALSE)
print(out); cat("rows", nrow(ch), "\n")
