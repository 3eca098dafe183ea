# Independent join counts and values for the MicrodataLink tests, by R merge() (R 4.2.2, base only):
#   cd Fixtures/link && Rscript link_oracle.R
# Reads the synthetic examples in Codebooks/examples/linking (ids as character); writes link_expected.csv.
d <- "../../Codebooks/examples/linking/"
rd <- function(f) read.csv(paste0(d, f), colClasses = c(BCSID = "character"))
birth <- rd("bcs70_birth.csv"); age10 <- rd("bcs70_age10.csv"); age42 <- rd("bcs70_age42.csv")
hh <- read.csv(paste0(d, "was_r8_household.csv")); p <- read.csv(paste0(d, "was_r8_person.csv"))
out <- list()
put <- function(name, value) out[[name]] <<- sprintf("%.15g", value)
# Chain birth -> age 10 -> age 42 (left joins; age 42 keeps the first row of its duplicated id).
age42first <- age42[!duplicated(age42$BCSID), ]
s1 <- merge(birth, age10, by = "BCSID", all.x = TRUE)
s2 <- merge(s1, age42first, by = "BCSID", all.x = TRUE, suffixes = c("", "_bcs70_age42"))
put("chain.rows", nrow(s2))
put("chain.step1.matched", sum(birth$BCSID %in% age10$BCSID))
put("chain.step2.matched", sum(s1$BCSID %in% age42$BCSID))
put("chain.step2.right.duplicateKeys", sum(duplicated(age42$BCSID)))
put("chain.sum.B9GROSPAY", sum(s2$B9GROSPAY, na.rm = TRUE))
put("chain.sum.REGION_bcs70_age42", sum(s2$REGION_bcs70_age42, na.rm = TRUE))
for (k in 1:3) {
  inlev <- s1$FNSSEC3 == k & !is.na(s1$FNSSEC3)
  put(paste0("chain.step2.rate.FNSSEC3.", k), mean(s1$BCSID[inlev] %in% age42$BCSID))
}
put("chain.step2.rate.overall", mean(s1$BCSID %in% age42$BCSID))
# Inner and full joins of birth and age 10.
put("inner.rows", nrow(merge(birth, age10, by = "BCSID")))
put("full.rows", nrow(merge(birth, age10, by = "BCSID", all = TRUE)))
# Persons -> households, many-to-one.
ph <- merge(p, hh, by = "CASER8", all.x = TRUE)
put("persons.rows", nrow(ph))
put("persons.matched", sum(p$CASER8 %in% hh$CASER8))
put("persons.sum.TOTWLTHR8", sum(ph$TOTWLTHR8, na.rm = TRUE))
put("persons.weighted.total.TOTWLTHR8", sum(ph$R8XSHHWGT * ph$TOTWLTHR8, na.rm = TRUE))
put("households.matched", sum(hh$CASER8 %in% p$CASER8))
# Households <- persons, one-to-many collapsed by aggregates (over no rows: NA, count 0).
hrp <- p[p$ISHRPR8 == 1, c("CASER8", "NSSEC3R8")]; hrp <- hrp[!duplicated(hrp$CASER8), ]
names(hrp)[2] <- "HRP_CLASS"
agg <- merge(hh, hrp, by = "CASER8", all.x = TRUE)
n <- aggregate(PERSONR8 ~ CASER8, p, length); names(n)[2] <- "NPERS"
e <- aggregate(DVGRSPAYR8 ~ CASER8, p, sum); names(e)[2] <- "EARN"
a <- aggregate(DVAGER8 ~ CASER8, p, mean); names(a)[2] <- "MEANAGE"
o <- aggregate(DVAGER8 ~ CASER8, p[p$DVAGER8 >= 65, ], length); names(o)[2] <- "OVER65"
for (x in list(n, e, a, o)) agg <- merge(agg, x, by = "CASER8", all.x = TRUE)
agg$NPERS[is.na(agg$NPERS)] <- 0; agg$OVER65[is.na(agg$OVER65)] <- 0
put("agg.rows", nrow(agg))
put("agg.sum.HRP_CLASS", sum(agg$HRP_CLASS, na.rm = TRUE))
put("agg.missing.HRP_CLASS", sum(is.na(agg$HRP_CLASS)))
put("agg.sum.NPERS", sum(agg$NPERS)); put("agg.zero.NPERS", sum(agg$NPERS == 0))
put("agg.sum.EARN", sum(agg$EARN, na.rm = TRUE)); put("agg.missing.EARN", sum(is.na(agg$EARN)))
put("agg.sum.MEANAGE", sum(agg$MEANAGE, na.rm = TRUE))
put("agg.sum.OVER65", sum(agg$OVER65))
put("agg.max.EARN.case80001", agg$EARN[agg$CASER8 == 80001])
res <- data.frame(name = names(out), value = unlist(out))
write.csv(res, "link_expected.csv", row.names = FALSE)
print(res)
