# The R side of the end-to-end mobility benchmark: the same job as `microdata mobility` on the synthetic
# LFS-style file, with readr + survey: read the gzip fixed-width file, collapse NS-SEC operational categories
# to the 8 analytic classes (plus never worked), households as clusters, weights PWT24; outflow, inflow and
# joint percentages, absolute rates by the tiers of Codebooks/mobility/class-schemes.csv, the upward:downward
# ratio and the Rao-Scott test. Rows without both classes stay in the design as a domain (subset()).
#
# Usage: Rscript mobility_r.R FILE.dat.gz OUT.csv   (timings on stderr; estimates as CSV for compare.py)
suppressMessages({ library(readr); library(survey) })
args <- commandArgs(trailingOnly = TRUE)
t0 <- Sys.time()
pos <- fwf_positions(c(1, 12, 33, 44), c(9, 19, 37, 48), c("HSERIALP", "PWT24", "NSECM20", "SM_NSEC20"))
d <- read_fwf(args[1], pos, col_types = "dddd", progress = FALSE)
d$PWT24 <- d$PWT24 / 100
# Operational category -> analytic class index 1..9 (1.1, 1.2, 2, ..., 8 never worked); students, not
# classified and non-response codes -> NA.
cls <- function(x) {
  m <- floor(x)
  out <- ifelse(m <= 2, 1, ifelse(m == 3, 2, ifelse(m <= 6, 3, ifelse(m == 7, 4, ifelse(m <= 9, 5,
         ifelse(m <= 11, 6, ifelse(m == 12, 7, ifelse(m == 13, 8, ifelse(m == 14, 9, NA)))))))))
  out[x < 1] <- NA
  out
}
codes <- c("1.1", "1.2", "2", "3", "4", "5", "6", "7", "8")
tier <- c(1, 1, 2, 3, 3, 3, 4, 5, 6)
o <- cls(d$SM_NSEC20); de <- cls(d$NSECM20)
d$both <- !is.na(o) & !is.na(de)
o[!d$both] <- 1; de[!d$both] <- 1
d$o <- factor(o, levels = 1:9); d$d <- factor(de, levels = 1:9)
d$imm <- as.numeric(d$both & o == de)
d$up <- as.numeric(d$both & tier[de] < tier[o])
d$down <- as.numeric(d$both & tier[de] > tier[o])
t1 <- Sys.time()
des <- svydesign(ids = ~HSERIALP, weights = ~PWT24, data = d)
valid <- subset(des, both)
outflow <- svyby(~d, ~o, valid, svymean)
inflow <- svyby(~o, ~d, valid, svymean)
joint <- svymean(~interaction(o, d), valid)
rates <- svymean(~imm + up + down, valid)
ratio <- svyratio(~up, ~down, valid)
chisq <- svychisq(~o + d, valid)
t2 <- Sys.time()
cat(sprintf("R: read %.2f s, estimate %.2f s, total %.2f s\n", as.numeric(t1 - t0, units = "secs"),
            as.numeric(t2 - t1, units = "secs"), as.numeric(t2 - t0, units = "secs")), file = stderr())

rows <- list()
add <- function(table, row, column, est, se) rows[[length(rows) + 1]] <<- data.frame(table, row, column, est, se)
# svyby: one row per group, columns d1..d9 (estimates) and se.d1..se.d9.
by <- function(x, g, v) as.numeric(as.data.frame(x)[as.character(g), v])
for (i in 1:9) for (j in 1:9) {
  add("outflow", codes[i], codes[j], 100 * by(outflow, i, paste0("d", j)), 100 * by(outflow, i, paste0("se.d", j)))
  add("inflow", codes[i], codes[j], 100 * by(inflow, j, paste0("o", i)), 100 * by(inflow, j, paste0("se.o", i)))
  k <- (j - 1) * 9 + i
  add("joint", codes[i], codes[j], 100 * coef(joint)[k], 100 * SE(joint)[k])
}
add("rates", "immobile", "", 100 * coef(rates)["imm"], 100 * SE(rates)["imm"])
add("rates", "upward", "", 100 * coef(rates)["up"], 100 * SE(rates)["up"])
add("rates", "downward", "", 100 * coef(rates)["down"], 100 * SE(rates)["down"])
add("ratio", "upward:downward", "", coef(ratio)[1], SE(ratio)[1])
add("raoscott", "F", "", unname(chisq$statistic), NA)
out <- do.call(rbind, rows)
names(out) <- c("table", "row", "column", "estimate", "se")
write.csv(out, args[2], row.names = FALSE)
