# Oracle for `microdata mobility`: a 3x3 "mobility" table built from the R survey api data.
# origin = band of api99, destination = band of api00 (1 = high >= 700, 2 = 550-699, 3 = low < 550).
# Design dclus1: one-stage cluster sample of school districts with fpc.
# Made with R 4.2 and survey 4.1.1 (Debian bookworm); these statistics agree in survey 4.5.
# Run: Rscript api_mobility.R apiclus1.csv > api_mobility_expected.csv
suppressMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
api <- read.csv(args[1])
band <- function(x) ifelse(x >= 700, 1, ifelse(x >= 550, 2, 3))
api$o <- band(api$api99); api$d <- band(api$api00)
dclus1 <- svydesign(id = ~dnum, weights = ~pw, data = api, fpc = ~fpc)
out <- data.frame(statistic = character(), row = character(), column = character(), estimate = numeric(), se = numeric())
add <- function(stat, r, c, est, se) out <<- rbind(out, data.frame(statistic = stat, row = as.character(r), column = as.character(c), estimate = unname(as.numeric(est))[1], se = unname(as.numeric(se))[1]))
# weighted counts and joint proportions of every cell
for (i in 1:3) for (j in 1:3) {
  dd <- update(dclus1, z = as.numeric(o == i & d == j))
  t <- svytotal(~z, dd); m <- svymean(~z, dd)
  add("count", i, j, coef(t), SE(t)); add("joint", i, j, coef(m), SE(m))
}
# outflow (row proportions) and inflow (column proportions)
ind <- update(dclus1, d1 = as.numeric(d == 1), d2 = as.numeric(d == 2), d3 = as.numeric(d == 3),
              o1 = as.numeric(o == 1), o2 = as.numeric(o == 2), o3 = as.numeric(o == 3))
of <- svyby(~d1 + d2 + d3, ~o, ind, svymean)
for (i in 1:3) for (j in 1:3) add("outflow", i, j, of[i, 1 + j], of[i, 4 + j])
inf <- svyby(~o1 + o2 + o3, ~d, ind, svymean)
for (j in 1:3) for (i in 1:3) add("inflow", i, j, inf[j, 1 + i], inf[j, 4 + i])
# absolute rates
for (nm in c("immobile", "mobile", "upward", "downward")) {
  dd <- update(dclus1, z = as.numeric(switch(nm, immobile = o == d, mobile = o != d, upward = d < o, downward = d > o)))
  m <- svymean(~z, dd); add(nm, "", "", coef(m), SE(m))
}
dd <- update(dclus1, up = as.numeric(d < o), down = as.numeric(d > o))
r <- svyratio(~up, ~down, dd); add("up_down_ratio", "", "", coef(r), SE(r))
# log odds ratios of adjacent origins by adjacent destinations (cells (1,3) and (3,1) are empty)
dd <- update(dclus1, c22 = as.numeric(o == 2 & d == 2), c23 = as.numeric(o == 2 & d == 3),
             c32 = as.numeric(o == 3 & d == 2), c33 = as.numeric(o == 3 & d == 3))
t <- svytotal(~c22 + c23 + c32 + c33, dd)
lor <- svycontrast(t, quote(log(c22) + log(c33) - log(c23) - log(c32)))
add("log_odds_ratio", "2:3", "2:3", coef(lor), SE(lor))
dd <- update(dclus1, c11 = as.numeric(o == 1 & d == 1), c12 = as.numeric(o == 1 & d == 2), c21 = as.numeric(o == 2 & d == 1), c22 = as.numeric(o == 2 & d == 2))
t <- svytotal(~c11 + c12 + c21 + c22, dd)
lor <- svycontrast(t, quote(log(c11) + log(c22) - log(c12) - log(c21)))
add("log_odds_ratio", "1:2", "1:2", coef(lor), SE(lor))
# Rao-Scott second-order test of independence
x <- svychisq(~o + d, dclus1)
add("rao_scott_F", "", "", unname(x$statistic), NA)
add("rao_scott_ndf", "", "", unname(x$parameter[1]), NA)
add("rao_scott_ddf", "", "", unname(x$parameter[2]), NA)
add("rao_scott_p", "", "", unname(x$p.value), NA)
# immobility by school type and the E - H difference (groups share PSUs)
dd <- update(dclus1, z = as.numeric(o == d))
b <- svyby(~z, ~stype, dd, svymean, covmat = TRUE)
for (g in rownames(b)) add("immobile_by_stype", g, "", b[g, "z"], b[g, "se"])
ct <- svycontrast(b, c(E = 1, H = -1, M = 0))
add("immobile_difference", "E-H", "", coef(ct), SE(ct))
write.csv(out, stdout(), row.names = FALSE)
