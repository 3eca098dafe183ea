# Synthetic cohort for the nonresponse-weight oracles (SYNTHETIC DATA). Rscript make_cohort.R
set.seed(20261204)
n_str <- 4; n_psu <- 5; rows <- list(); id <- 0
for (h in 1:n_str) for (j in 1:n_psu) {
  m <- 25 + sample(0:10, 1)
  id <- id + 1:m
  origin <- sample(1:3, m, replace = TRUE, prob = c(0.3, 0.25, 0.45))
  sex <- sample(1:2, m, replace = TRUE)
  region <- sample(1:5, m, replace = TRUE)
  eta <- 1.1 - 0.45 * (origin == 2) - 0.95 * (origin == 3) + 0.3 * (sex == 2) - 0.08 * region
  respond <- as.integer(runif(m) < plogis(eta))
  income <- round(exp(rnorm(m, 10.2 - 0.2 * (origin - 1), 0.4)))
  w0 <- round(runif(m, 50, 150), 2)
  rows[[length(rows) + 1]] <- data.frame(id = sprintf("C%04d", max(id) - m + 1:m), stratum = h, psu = h * 10 + j,
    w0 = w0, origin = origin, sex = sex, region = region, respond = respond, income = income)
  id <- max(id)
}
x <- do.call(rbind, rows)
write.csv(x, "cohort.csv", row.names = FALSE, quote = FALSE)
