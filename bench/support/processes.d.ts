export type Server = {
    readonly label: string;
    readonly pid: number;
    /** Whatever the process has written lately, for error messages. */
    recentOutput(): string;
    /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
    stop(graceMs?: number): Promise<void>;
};
export type SpawnOptions = {
    label: string;
    args: string[];
    env: NodeJS.ProcessEnv;
    cwd?: string;
};
/**
 * Starts `node <args>` as a child process. Its output is forwarded to our stderr with a
 * prefix (our stdout carries only JSON figures) and it is registered for cleanup.
 */
export declare function startNode(options: SpawnOptions): Server;
/** Runs `node <args>` to completion and returns its stdout; fails with its output if it exits non-zero. */
export declare function runNode(label: string, args: string[], env: NodeJS.ProcessEnv): Promise<string>;
/** A TCP port that was free a moment ago on 127.0.0.1. */
export declare function freePort(): Promise<number>;
/** Polls `url` until it answers 200, or fails after `timeoutMs` or when the server exits. */
export declare function waitUntilReady(server: Server, url: string, timeoutMs?: number): Promise<void>;
