# Shapiro-Wilk oracle: writes normality-vectors.csv and expected-normality.csv.
# Run: cd Fixtures/sae && Rscript normality.R   (base R only; reads expected-synthetic.csv)
set.seed(20261205)
vectors <- list(
  n3 = c(1.5, 2.25, 7),
  n3_tight = c(0, 1, 1.0000001),
  n4 = rnorm(4),
  n5 = c(-3, 0.2, 0.4, 0.5, 9),
  n6 = rexp(6),
  n7 = rnorm(7, 10, 2),
  n11 = runif(11),
  n12 = rnorm(12),
  n20_ties = round(rnorm(20), 1),
  n30_skewed = rexp(30)^2,
  n100 = rnorm(100, 50, 7),
  n200_t3 = rt(200, 3),
  tiny_range = 1 + c(0, 3, 1, 7, 2, 9, 4) * 1e-12
)
formula <- function(n) { i <- seq_len(n); sin(0.7 * i) + (i %% 7) / 10 + log(i) }
rows <- NULL
for (name in names(vectors)) {
  x <- vectors[[name]]
  rows <- rbind(rows, data.frame(case = name, index = seq_along(x), value = sprintf("%.17g", x)))
}
write.csv(rows, "normality-vectors.csv", row.names = FALSE)
# Formula vectors (computed again by the test): sin(0.7 i) + (i mod 7) / 10 + log(i), i = 1..n.
for (n in c(1000, 5000)) vectors[[paste0("formula", n)]] <- formula(n)
# The standardised residuals of synthetic.R's fits.
syn <- read.csv("expected-synthetic.csv")
for (case in c("y_REML", "y_ML", "y_FH", "employed_REML")) {
  r <- syn[syn$case == case & syn$statistic == "std_residual", ]
  vectors[[paste0("residuals_", case)]] <- as.numeric(r$value[order(r$term)])
}
skewness <- function(x) { d <- x - mean(x); mean(d^3) / mean(d^2)^1.5 }  # as moments::skewness
kurtosis <- function(x) { d <- x - mean(x); mean(d^4) / mean(d^2)^2 }    # as moments::kurtosis
out <- NULL
for (name in names(vectors)) {
  x <- vectors[[name]]
  t <- shapiro.test(x)
  out <- rbind(out, data.frame(case = name, statistic = c("W", "p", "skewness", "kurtosis"),
                               value = sprintf("%.17g", c(t$statistic, t$p.value, skewness(x), kurtosis(x)))))
}
write.csv(out, "expected-normality.csv", row.names = FALSE)
