// Loaded before every test file (node --import ./tests/console-guard.mjs,
// from package.json and .ci/clients.sh): whatever a client library prints to
// console.warn or console.error fails the file it ran in. Apollo Client's
// development checks (missing possibleTypes, cache data lost on a write,
// missing fields) print there and nowhere else. Their full text is loaded
// here, as a frontend's development build shows it, instead of error codes.
import { format } from "node:util";

import { loadDevMessages, loadErrorMessages } from "@apollo/client/dev";

loadDevMessages();
loadErrorMessages();

/** Every console.warn and console.error of this process, as printed. */
export const printed = [];

for (const level of ["warn", "error"]) {
  const original = console[level].bind(console);
  console[level] = (...args) => {
    printed.push(`console.${level}: ${format(...args)}`);
    original(...args);
  };
}

process.on("exit", () => {
  if (printed.length) {
    process.stderr.write(`\n${printed.length} console warning(s) or error(s) printed: this test file fails.\n`);
    process.exitCode = 1;
  }
});
