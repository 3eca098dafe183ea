# Oracle for `microdata mobility` on the bundled synthetic LFS-style example (Codebooks/examples/lfs-synthetic):
# origin SM_NSEC20 and destination NSECM20 collapsed to the 9 analytic NS-SEC classes (1.1, 1.2, 2, ..., 7, 8),
# households (HSERIALP) as clusters, weights PWT24; rows without both classes are a domain, not dropped.
# Run: Rscript lfs_mobility.R Codebooks/examples/lfs-synthetic/lfs_synthetic_js2024.dat.gz > lfs_mobility_expected.csv
suppressMessages({ library(readr); library(survey) })
args <- commandArgs(trailingOnly = TRUE)
pos <- fwf_positions(c(1, 12, 20, 33, 44), c(9, 19, 20, 37, 48), c("HSERIALP", "PWT24", "COUNTRY", "NSECM20", "SM_NSEC20"))
d <- as.data.frame(read_fwf(args[1], pos, col_types = "ddddd", progress = FALSE))
d$PWT24 <- d$PWT24 / 100
cls <- function(x) {
  m <- floor(x)
  out <- ifelse(m <= 2, 1, ifelse(m == 3, 2, ifelse(m <= 6, 3, ifelse(m == 7, 4, ifelse(m <= 9, 5,
         ifelse(m <= 11, 6, ifelse(m == 12, 7, ifelse(m == 13, 8, ifelse(m == 14, 9, NA)))))))))
  out[x < 0] <- NA
  out
}
d$o <- cls(d$SM_NSEC20); d$d <- cls(d$NSECM20)
d$valid <- !is.na(d$o) & !is.na(d$d)
for (j in 1:9) d[[paste0("d", j)]] <- as.numeric(d$valid & d$d == j)
d$imm <- as.numeric(d$valid & d$o == d$d); d$up <- as.numeric(d$valid & d$d < d$o); d$down <- as.numeric(d$valid & d$d > d$o)
des <- svydesign(ids = ~HSERIALP, weights = ~PWT24, data = d)
v <- subset(des, valid)
out <- data.frame(statistic = character(), row = character(), column = character(), estimate = numeric(), se = numeric())
add <- function(stat, r, c, est, se) out <<- rbind(out, data.frame(statistic = stat, row = as.character(r),
  column = as.character(c), estimate = unname(as.numeric(est))[1], se = unname(as.numeric(se))[1]))
of <- svyby(as.formula(paste("~", paste0("d", 1:9, collapse = "+"))), ~o, v, svymean)
for (i in 1:9) for (j in 1:9) add("outflow", i, j, of[i, 1 + j], of[i, 10 + j])
r <- svymean(~imm + up + down, v)
for (nm in c("imm", "up", "down")) add(nm, "", "", coef(r)[nm], SE(r)[nm])
q <- svyratio(~up, ~down, v); add("up_down_ratio", "", "", coef(q), SE(q))
d2 <- update(v, c11 = as.numeric(o == 1 & d == 1), c18 = as.numeric(o == 1 & d == 8),
             c81 = as.numeric(o == 8 & d == 1), c88 = as.numeric(o == 8 & d == 8))
t <- svytotal(~c11 + c18 + c81 + c88, d2)
l <- svycontrast(t, quote(log(c11) + log(c88) - log(c18) - log(c81))); add("log_odds_ratio", "1:8", "1:8", coef(l), SE(l))
b <- svyby(~imm, ~COUNTRY, v, svymean, covmat = TRUE)
for (g in rownames(b)) add("immobile_by_country", g, "", b[g, "imm"], b[g, "se"])
cc <- (rownames(b) == "1") - (rownames(b) == "3")  # England minus Scotland (code 3)
ct <- svycontrast(b, cc); add("immobile_difference", "1-3", "", coef(ct), SE(ct))
x <- svychisq(~o + d, des)
add("rao_scott_F", "", "", unname(x$statistic), NA); add("rao_scott_ndf", "", "", unname(x$parameter[1]), NA)
add("rao_scott_ddf", "", "", unname(x$parameter[2]), NA)
add("valid_rows", "", "", sum(d$valid), NA); add("rows", "", "", nrow(d), NA)
write.csv(out, stdout(), row.names = FALSE)
