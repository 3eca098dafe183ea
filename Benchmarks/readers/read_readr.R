# readr::read_fwf on the same 10 variables: Rscript read_readr.R CODEBOOK.xml DATA VAR1,VAR2,...
# Positions come from the DDI; implied decimals are applied after reading (readr has no such option).
suppressPackageStartupMessages(library(readr))
args <- commandArgs(TRUE)
xml <- paste(readLines(args[1]), collapse = "\n")
vars <- strsplit(args[3], ",")[[1]]
start <- end <- dcml <- integer(0)
type <- character(0)
for (v in vars) {
  block <- regmatches(xml, regexpr(paste0('<var ID="', v, '"[^>]*>[\\s\\S]*?</var>'), xml, perl = TRUE))
  start <- c(start, as.integer(sub('.*StartPos="([0-9]+)".*', "\\1", block)))
  end <- c(end, as.integer(sub('.*EndPos="([0-9]+)".*', "\\1", block)))
  dcml <- c(dcml, as.integer(sub('.*dcml="([0-9]+)".*', "\\1", block)))
  type <- c(type, if (grepl('type="character"', block)) "c" else if (end[length(end)] - start[length(start)] >= 9) "d" else "i")
}
df <- read_fwf(args[2], fwf_positions(start, end, vars), col_types = paste(type, collapse = ""), lazy = FALSE,
               progress = FALSE)
for (i in which(dcml > 0)) df[[i]] <- df[[i]] / 10^dcml[i]
cat(nrow(df), "\n")
