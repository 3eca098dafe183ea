/// What `microdata --version` prints. `make release` (scripts/build-release.sh) writes the git tag or commit here
/// for its build and puts this line back afterwards; a plain `swift build` says "dev".
let buildVersion = "dev"
