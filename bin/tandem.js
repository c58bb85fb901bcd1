#!/usr/bin/env -S node --max-semi-space-size=4 --heap-growing-percent=150
'use strict';
const { buildProgram } = require('../dist/src/cli/main.js');
buildProgram()
  .parseAsync(process.argv)
  .catch((e) => {
    process.stderr.write(`tandem: ${e && e.message ? e.message : e}\n`);
    process.exit(1);
  });
