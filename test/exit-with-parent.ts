/**
 * Preloaded (`node -r`) into the processes the fault tests and the chaos benchmark start: a child ends when its
 * parent's end of stdin closes, so a test run that dies leaves no subgraph or database behind.
 */
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
