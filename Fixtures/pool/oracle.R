# Oracle for `microdata pool`: the same pooling rules written independently in R, then R survey estimates.
# Run from Fixtures/pool: Rscript oracle.R  (writes pool_expected.csv)
library(survey)
options(digits = 17)
read <- function(year) {
  d <- read.csv(sprintf("lfs%d.csv", year), colClasses = c(PID = "character"))
  names(d)[names(d) == "PWT22"] <- "PWT24"          # renames.txt
  d$period <- year
  d
}
stacked <- do.call(rbind, lapply(2022:2024, read))
pool <- function(keep, weights) {
  d <- stacked[order(stacked$period), ]
  # a person in several periods is kept once: in the earliest (first) or latest (last) period
  d <- d[!duplicated(d$PID, fromLast = keep == "last"), ]
  d$pool_weight <- if (weights == "equal") d$PWT24 / 3 else d$PWT24
  d$pool_stratum <- paste(d$period, d$STRATUM, sep = ":")
  d
}
rows <- list()
add <- function(case, statistic, domain, est, se) {
  rows[[length(rows) + 1]] <<- data.frame(case = case, statistic = statistic, domain = domain,
                                          estimate = sprintf("%.17g", est), se = sprintf("%.17g", se))
}
for (cfg in list(c("last", "equal"), c("first", "sum"))) {
  case <- paste(cfg, collapse = "-")
  d <- pool(cfg[1], cfg[2])
  for (p in 2022:2024) add(case, "dropped", p, sum(stacked$period == p) - sum(d$period == p), 0)
  des <- svydesign(ids = ~1, strata = ~pool_stratum, weights = ~pool_weight, data = d)
  m <- svymean(~INCOME, des); add(case, "mean", "all", coef(m), SE(m))
  t <- svytotal(~INCOME, des); add(case, "total", "all", coef(t), SE(t))
  bm <- svyby(~INCOME, ~REGION, des, svymean)
  for (i in seq_len(nrow(bm))) add(case, "mean", bm$REGION[i], bm$INCOME[i], bm$se[i])
  bt <- svyby(~INCOME, ~REGION, des, svytotal)
  for (i in seq_len(nrow(bt))) add(case, "total", bt$REGION[i], bt$INCOME[i], bt$se[i])
}
write.csv(do.call(rbind, rows), "pool_expected.csv", row.names = FALSE, quote = FALSE)
