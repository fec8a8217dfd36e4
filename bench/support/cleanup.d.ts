/**
 * Registers something to undo (a child process, a temp folder, a database). Returns the undo
 * function; calling it runs the task once and forgets it. Whatever is still registered when
 * the benchmark ends, fails or is interrupted is undone by `cleanUpAll`, newest first.
 */
export declare function deferCleanup(label: string, run: () => Promise<void> | void): () => Promise<void>;
export declare function cleanUpAll(): Promise<void>;
/**
 * Runs a benchmark's main function: cleans up afterwards whatever happens, reports a failure
 * on stderr and exits non-zero. Ctrl-C and SIGTERM clean up too.
 */
export declare function runBench(main: () => Promise<void>): Promise<void>;
