# Replicate designs of types BRR, Fay and JKn on the api data, and their estimates recomputed with
# svrepdesign() from the exported columns (R survey 4.1.1 on R 4.2; run from Fixtures/rsurvey:
#   Rscript replicate_types.R
# ). Writes rep_clus2pairs_BRR.csv, rep_clus2pairs_Fay03.csv, rep_clus1str3_JKn.csv (+ _rscales.csv) and
# rep_clus1str3_other_rscales.csv and replicate_types_expected.csv (case, call, statistic, term, value; sprintf("%.15g")).
suppressMessages(library(survey))
apiclus1 <- read.csv("apiclus1.csv"); apiclus2 <- read.csv("apiclus2.csv")
# Pseudo-strata: apiclus2's 40 districts in sorted pairs (20 strata of 2 PSUs), apiclus1's 15 in 3 groups of 5.
apiclus2$pair <- (match(apiclus2$dnum, sort(unique(apiclus2$dnum))) - 1) %/% 2 + 1
apiclus1$str3 <- (match(apiclus1$dnum, sort(unique(apiclus1$dnum))) - 1) %/% 5 + 1
d2 <- svydesign(id = ~dnum, strata = ~pair, weights = ~pw, data = apiclus2)
d1 <- svydesign(id = ~dnum, strata = ~str3, weights = ~pw, data = apiclus1)
brr <- as.svrepdesign(d2, type = "BRR")
fay <- as.svrepdesign(d2, type = "Fay", fay.rho = 0.3)
jkn <- as.svrepdesign(d1, type = "JKn")
export <- function(des, prefix, file) {
  w <- weights(des, "analysis"); colnames(w) <- paste0(prefix, seq_len(ncol(w)))
  write.csv(w, file, row.names = FALSE)
  w
}
wb <- export(brr, "brr", "rep_clus2pairs_BRR.csv")
wf <- export(fay, "fay", "rep_clus2pairs_Fay03.csv")
wj <- export(jkn, "jkn", "rep_clus1str3_JKn.csv")
write.csv(data.frame(rscales = jkn$rscales), "rep_clus1str3_JKn_rscales.csv", row.names = FALSE)
other_rscales <- seq(0.5, 1.9, by = 0.1)
write.csv(data.frame(rscales = other_rscales), "rep_clus1str3_other_rscales.csv", row.names = FALSE)

out <- list()
add <- function(case, call, est) {
  out[[length(out) + 1]] <<- data.frame(case = case, call = call,
    statistic = c(rep("estimate", length(coef(est))), rep("SE", length(coef(est)))),
    term = rep(names(coef(est)), 2), value = sprintf("%.15g", c(coef(est), SE(est))))
}
# From the exported columns, scale by type default (BRR 1/R, Fay 1/(R(1-rho)^2), JKn 1 with rscales).
s2b <- svrepdesign(data = cbind(apiclus2, wb), repweights = "^brr[0-9]+$", weights = ~pw, type = "BRR",
                   combined.weights = TRUE)
s2f <- svrepdesign(data = cbind(apiclus2, wf), repweights = "^fay[0-9]+$", weights = ~pw, type = "Fay",
                   rho = 0.3, combined.weights = TRUE)
s1j <- svrepdesign(data = cbind(apiclus1, wj), repweights = "^jkn[0-9]+$", weights = ~pw, type = "JKn",
                   scale = 1, rscales = jkn$rscales, combined.weights = TRUE)
s2bm <- svrepdesign(data = cbind(apiclus2, wb), repweights = "^brr[0-9]+$", weights = ~pw, type = "BRR",
                    combined.weights = TRUE, mse = TRUE)
s1o <- svrepdesign(data = cbind(apiclus1, wj), repweights = "^jkn[0-9]+$", weights = ~pw, type = "other",
                   scale = 0.5, rscales = other_rscales, combined.weights = TRUE)
add("R01", "svymean(~api00+api99, BRR from rep_clus2pairs_BRR.csv, default scale)", svymean(~api00 + api99, s2b))
add("R02", "svytotal(~api00, BRR from rep_clus2pairs_BRR.csv, mse=TRUE)", svytotal(~api00, s2bm))
add("R03", "svymean(~api00+api99, Fay rho=0.3 from rep_clus2pairs_Fay03.csv, default scale)", svymean(~api00 + api99, s2f))
add("R04", "svymean(~api00, JKn from rep_clus1str3_JKn.csv, scale=1, rscales file)", svymean(~api00, s1j))
add("R05", "svytotal(~enroll, JKn from rep_clus1str3_JKn.csv, scale=1, rscales file)", svytotal(~enroll, s1j))
add("R06", "svymean(~api00, type='other', scale=0.5, rscales=seq(0.5,1.9,0.1))", svymean(~api00, s1o))
add("R07", "svymean(~api00, as.svrepdesign(d2, type='BRR')) (must equal R01)", svymean(~api00, brr))
add("R08", "svymean(~api00, as.svrepdesign(d1, type='JKn')) (must equal R04)", svymean(~api00, jkn))
meta <- data.frame(case = "meta", call = "replicate counts, default scales, degf",
  statistic = c("nrep", "nrep", "nrep", "scale", "scale", "scale", "degf", "degf", "degf"),
  term = c("BRR", "Fay", "JKn", "BRR", "Fay", "JKn", "BRR", "Fay", "JKn"),
  value = sprintf("%.15g", c(ncol(wb), ncol(wf), ncol(wj), s2b$scale, s2f$scale, s1j$scale,
                             degf(s2b), degf(s2f), degf(s1j))))
write.csv(rbind(do.call(rbind, out), meta), "replicate_types_expected.csv", row.names = FALSE)
