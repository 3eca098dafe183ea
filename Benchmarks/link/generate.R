# 10 M left rows (ID in 1..1.1 M, X, G) and 1 M right rows (distinct ID, Y, Z), seeded: Rscript generate.R
library(data.table); set.seed(1)
n <- 1e7; m <- 1e6
fwrite(data.table(ID = sample.int(m + m %/% 10, n, replace = TRUE), X = round(runif(n), 4), G = sample.int(10, n, TRUE)), "left.csv")
fwrite(data.table(ID = sample.int(m + m %/% 10, m), Y = round(rnorm(m), 4), Z = sample.int(100, m, TRUE)), "right.csv")
