# The R side of the end-to-end mobility benchmark: the same job as `microdata mobility` on the synthetic
# LFS-style file, with readr + survey (households as clusters, weights PWT24).
# Usage: Rscript mobility_r.R FILE.dat.gz
suppressMessages({ library(readr); library(survey) })
args <- commandArgs(trailingOnly = TRUE)
t0 <- Sys.time()
pos <- fwf_positions(c(1, 12, 33, 44), c(9, 19, 37, 48), c("HSERIALP", "PWT24", "NSECM20", "SM_NSEC20"))
d <- read_fwf(args[1], pos, col_types = "dddd", progress = FALSE)
d$PWT24 <- d$PWT24 / 100
# NS-SEC operational category -> analytic class 1 (1.1) ... 9 (8); students and missing -> NA (a domain).
cls <- function(x) {
  m <- floor(x)
  out <- ifelse(m <= 2, 1, ifelse(m == 3, 2, ifelse(m <= 6, 3, ifelse(m == 7, 4, ifelse(m <= 9, 5,
         ifelse(m <= 11, 6, ifelse(m == 12, 7, ifelse(m == 13, 8, ifelse(m == 14, 9, NA)))))))))
  out[x < 0] <- NA
  out
}
d$o <- cls(d$SM_NSEC20); d$d <- cls(d$NSECM20)
t1 <- Sys.time()
des <- svydesign(ids = ~HSERIALP, weights = ~PWT24, data = d)
valid <- subset(des, !is.na(o) & !is.na(d))
valid$variables[paste0("d", 1:9)] <- lapply(1:9, function(j) as.numeric(valid$variables$d == j))
f <- as.formula(paste("~", paste0("d", 1:9, collapse = "+")))
outflow <- svyby(f, ~o, valid, svymean, covmat = TRUE)
valid$variables$imm <- as.numeric(valid$variables$o == valid$variables$d)
valid$variables$up <- as.numeric(valid$variables$d < valid$variables$o)
valid$variables$down <- as.numeric(valid$variables$d > valid$variables$o)
rates <- svymean(~imm + up + down, valid)
ratio <- svyratio(~up, ~down, valid)
t2 <- Sys.time()
cat(sprintf("read %.2f s, estimate %.2f s, total %.2f s\n", as.numeric(t1 - t0, units = "secs"),
            as.numeric(t2 - t1, units = "secs"), as.numeric(t2 - t0, units = "secs")), file = stderr())
print(round(coef(rates), 6)); print(round(SE(rates), 6))
print(round(coef(outflow)[1:9], 6))
