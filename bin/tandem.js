#!/usr/bin/env -S MALLOC_MMAP_THRESHOLD_=131072 node --max-semi-space-size=4 --heap-growing-percent=100
'use strict';
require('../dist/src/cli/main.js').runCli(process.argv);
