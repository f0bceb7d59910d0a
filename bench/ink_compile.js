// Compile one .ink file with inkle's compiler from inkjs, in a fresh Node process.
//
//     node bench/ink_compile.js INK_DIR FILE.ink
//
// INK_DIR is where `npm install --prefix INK_DIR inkjs@2.4.0` put the package. The package is
// loaded before the clock starts, so `work_s` is the compile itself (read + Compile()); the
// caller also times the whole process. Prints one JSON line.
"use strict";

const fs = require("fs");
const path = require("path");

const [inkDir, file] = process.argv.slice(2);
const { Compiler } = require(require.resolve("inkjs/full", { paths: [path.resolve(inkDir)] }));

const started = process.hrtime.bigint();
const source = fs.readFileSync(file, "utf8");
const compiler = new Compiler(source);
const story = compiler.Compile();
const elapsed = Number(process.hrtime.bigint() - started) / 1e9;

if (!story || compiler.errors.length) {
  console.error(compiler.errors.slice(0, 5).join("\n"));
  process.exit(1);
}
// VmHWM, not resourceUsage().maxRSS: getrusage's figure survives exec and can be the parent's.
const hwm = /^VmHWM:\s+(\d+)/m.exec(fs.readFileSync("/proc/self/status", "ascii"));
const rssKib = hwm ? Number(hwm[1]) : 0;
process.stdout.write(JSON.stringify({ step: "ink", work_s: elapsed, rss_kib: rssKib }) + "\n");
process.exit(0);
