# R survey timings and numbers for the weighting benchmark. Usage: Rscript r_survey.R DIR
suppressPackageStartupMessages({ library(survey); library(readr) })
args <- commandArgs(trailingOnly = TRUE); dir <- args[1]
options(survey.lonely.psu = "fail")
timing <- function(label, expr) {
  t <- system.time(v <- force(expr))[["elapsed"]]
  cat(sprintf("%-40s %8.3f s\n", label, t)); flush.console(); v
}
d <- timing("read design.csv (readr)", as.data.frame(read_csv(file.path(dir, "design.csv"), show_col_types = FALSE)))
d$destf <- factor(d$dest, levels = 1:8)  # every origin reports all 8 destinations
des <- timing("svydesign", svydesign(id = ~psu, strata = ~stratum, fpc = ~fpc, weights = ~w, data = d))
a <- timing("(a) svymean(~y)", svymean(~y, des))
b <- timing("(b) svyby(~destf, ~origin, svymean) 8x8", svyby(~destf, ~origin, des, svymean))
c <- timing("(c) svyby(~y, ~dom, svymean) 100 domains", svyby(~y, ~dom, des, svymean))
q <- timing("(d) svyquantile(~y, 0.5)", svyquantile(~y, des, 0.5))
r <- timing("read reps.csv (readr)", as.data.frame(read_csv(file.path(dir, "reps.csv"), show_col_types = FALSE)))
rd <- timing("svrepdesign (80 SDR, mse)", svrepdesign(data = r, repweights = "^f[0-9]+$", weights = ~w,
          type = "successive-difference", combined.weights = FALSE, mse = TRUE))
e <- timing("(e) svyby(~y, ~dom, svymean) 80 reps", svyby(~y, ~dom, rd, svymean))
num <- function(x) sprintf("%.15g", x)
out <- rbind(
  data.frame(case = "a", domain = "", level = "", estimate = num(coef(a)), se = num(SE(a))),
  data.frame(case = "b", domain = rep(b$origin, each = 8), level = rep(1:8, times = nrow(b)),
             estimate = num(as.vector(t(as.matrix(b[, paste0("destf", 1:8)])))),
             se = num(as.vector(t(as.matrix(b[, paste0("se.destf", 1:8)]))))),
  data.frame(case = "c", domain = c$dom, level = "", estimate = num(c$y), se = num(c$se)),
  data.frame(case = "d", domain = "", level = "0.5", estimate = num(q$y[1, 1]), se = num(q$y[1, 4])),
  data.frame(case = "e", domain = e$dom, level = "", estimate = num(e$y), se = num(e$se)))
write.csv(out, file.path(dir, "r_results.csv"), row.names = FALSE)
cat("survey", as.character(packageVersion("survey")), "R", R.version.string, "\n")
